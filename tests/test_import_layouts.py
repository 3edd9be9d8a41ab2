"""Import reads what the new layouts print, and what a browser-printed PDF carries.

The Sichuan 大英 shape (``实施单位\\n(盖章)``, 项目基本情况 in three parts a row each, 预算执行情况
with rates as ``100.00%`` and ``/``, trailer rows 评价结论 / 存在问题 / 改进措施), a line of
``label：value`` pairs holding 主管部门 and 实施单位, and Kangxi radicals or compatibility
ideographs standing in for the ideographs (``⼼`` for 心) in every value and file name; built
through the project's own HTML → PDF path and read back. Hostile rates and odd Unicode too.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from selfeval_compiler import api
from selfeval_compiler.importers.grid import Cell, Grid, clean_text, squeeze
from selfeval_compiler.importers.ideographs import ideographs
from selfeval_compiler.importers.recognise import read_forms
from selfeval_compiler.importers.records import ImportedForm
from selfeval_compiler.importers.rows import inline_value
from selfeval_compiler.importers.vocabulary import IDENTITY_WORDS, Vocabulary

Row = list[str | tuple[str, int, int] | None]
"""A grid row: a text (one cell), a (text, rows, columns) span, or None (covered)."""


def _grid(rows: list[Row], title: list[str] | None = None) -> Grid:
    grid = Grid("test", title_lines=title or [])
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is None:
                continue
            text, down, across = value if isinstance(value, tuple) else (value, 1, 1)
            grid.add(Cell(r, c, clean_text(text), None, down, across))
    return grid


def _one(rows: list[Row], title: list[str] | None = None) -> ImportedForm:
    (form,) = read_forms(_grid(rows, title), Vocabulary())
    return form


INDICATOR_HEADER: Row = [
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "指标值",
    "度量单位",
    "完成值",
    "权重",
    "得分",
    "未完成原因分析",
]


def _daying(unit_label: str = "实施单位\n(盖章)") -> list[Row]:
    """The 大英 2023 form as its rows print (10 columns)."""
    return [
        [("部门预算项目支出绩效自评表(2023年度)", 1, 10)],
        ["项目名称", ("51092324T000010263357-2023年全县安可替代补助资金项目", 1, 9)],
        [
            "主管部门",
            ("大英县司法局部门", 1, 4),
            None,
            None,
            None,
            unit_label,
            ("大英县司法局", 1, 4),
        ],
        [("项目基本情况", 3, 1), ("项目年度目标", 1, 2), None, ("根据要求购买安可设备。", 1, 7)],
        [None, ("完成情况", 1, 2), None, ("完成", 1, 7)],
        [None, ("实施内容及过程概述", 1, 2), None, ("2023年购买13台安可电脑。", 1, 7)],
        [
            ("预算执行情况(10分)", 6, 1),
            ("年度预算数(万元)", 1, 2),
            None,
            "年初预算",
            "调整后预算数",
            "预算执行数",
            "预算执行率",
            "权重",
            "得分",
            "原因",
        ],
        [None, ("总额", 1, 2), None, "0.00", "3.36", "3.36", "100.00%", "10", "10", ""],
        [None, ("其中:财政资金", 1, 2), None, "0.00", "3.36", "3.36", "100.00%", "/", "/", ""],
        [None, ("财政专户管理资金", 1, 2), None, "0.00", "0.00", "0.00", "0.00%", "/", "/", ""],
        [None, ("单位资金", 1, 2), None, "0.00", "0.00", "0.00", "0.00%", "/", "/", ""],
        [None, ("其他资金", 1, 2), None, "", "", "", "", "/", "/", ""],
        INDICATOR_HEADER,
        ["产出指标", "质量指标", "完成安可产品购买", "=", "100", "%", "100", "90", "90", ""],
        [("合计", 1, 7), None, None, None, None, None, None, "100", "100", ""],
        [("评价结论", 1, 2), None, ("根据财政局资金下达的管理办法,将资金支付给项目施工方。", 1, 8)],
        [("存在问题", 1, 2), None, ("无", 1, 8)],
        [("改进措施", 1, 2), None, ("无", 1, 8)],
        [("项目负责人：张三", 1, 5), None, None, None, None, ("财务负责人：李四", 1, 5)],
    ]


def test_the_daying_form_reads_whole() -> None:
    form = _one(_daying())
    assert (form.year, form.project) == (2023, "2023年全县安可替代补助资金项目")
    assert (form.department, form.unit) == ("大英县司法局部门", "大英县司法局")
    assert form.codes == {"project": "51092324T000010263357"}
    assert (form.expected, form.actual) == ("根据要求购买安可设备。", "完成")
    assert form.process == "2023年购买13台安可电脑。"
    assert form.funds["total"].values == {
        "initial": Decimal("0.00"),
        "annual": Decimal("3.36"),
        "executed": Decimal("3.36"),
        "rate": Decimal("100.00"),
        "weight": Decimal(10),
        "score": Decimal(10),
    }
    assert form.funds["special_account"].values["rate"] == Decimal("0.00")
    assert [(i.name, i.target, i.actual, i.weight) for i in form.indicators] == [
        ("完成安可产品购买", "100", "100", Decimal(90))
    ]
    assert form.indicators[0].extra == {"nature": "=", "unit": "%"}
    assert form.total == Decimal(100)
    assert form.remarks == {
        "conclusion": "根据财政局资金下达的管理办法,将资金支付给项目施工方。",
        "problems": "无",
        "measures": "无",
    }


@pytest.mark.parametrize(
    "label",
    [
        "实施单位\n(盖章)",
        "实施单位（盖章）",
        "实施单位 ( 盖章 )",
        "实 施 单 位\n（公章）",
        "实施单位：",
    ],
)
def test_the_unit_label_reads_with_its_seal_in_any_width(label: str) -> None:
    assert _one(_daying(label)).unit == "大英县司法局"


def test_a_signature_row_after_the_table_is_no_indicator() -> None:
    form = _one(_daying())
    assert [i.level1 for i in form.indicators] == ["产出指标"]
    assert not [n for n in form.notes if "负责人" in n.zh]


def test_goals_side_by_side_with_a_process_part() -> None:
    rows: list[Row] = [
        ["项目名称", "甲"],
        [("年度总体目标", 2, 1), "预期目标", "实际完成情况", "实施内容及过程概述"],
        [None, "建成", "已建成", "招标、施工、验收"],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数"],
        ["", "其中：当年财政拨款", "1", "1", "1"],
    ]
    form = _one(rows)
    assert (form.expected, form.actual, form.process) == ("建成", "已建成", "招标、施工、验收")


def test_an_empty_trailer_row_writes_nothing() -> None:
    rows = _daying()
    rows[16] = [("存在问题", 1, 2), None, ("", 1, 8)]
    assert "problems" not in _one(rows).remarks


# --- a line of label：value pairs ---------------------------------------------------------


def test_department_and_unit_from_one_cell_holding_both() -> None:
    rows = _daying()
    rows[2] = [("主管部门：大英县司法局部门　　实施单位（盖章）：大英县司法局", 1, 10)]
    form = _one(rows)
    assert (form.department, form.unit) == ("大英县司法局部门", "大英县司法局")


def test_department_and_unit_from_a_title_line_above_the_table() -> None:
    rows = _daying()
    del rows[2]
    form = _one(rows, ["主管部门: 某局 实施单位: 某站 金额单位：万元"])
    assert (form.department, form.unit) == ("某局", "某站")


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("主管部门：某局实施单位：某站", "department", "某局"),
        ("主管部门：某局实施单位：某站", "unit", "某站"),
        ("主管部门﹕ 某局", "department", "某局"),
        ("实施单位(盖章)：", "unit", ""),
        ("主管部门", "department", None),
        ("某某：实施单位", "unit", None),
        ("主管部门：（1）某局：分局", "department", "（1）某局：分局"),
        ("主管部门：㈠某局 单位：万元", "department", "㈠某局"),
        ("配合主管部门：完成验收", "department", None),
        ("年度目标：配合主管部门：完成验收", "department", None),
        ("甲，主管部门：某局", "department", "某局"),
    ],
)
def test_inline_values(text: str, key: str, value: str | None) -> None:
    pattern = dict(IDENTITY_WORDS)[key]
    assert inline_value(text, pattern) == value


# --- radicals and compatibility ideographs -------------------------------------------------

STAND_INS = {
    "中⼼": "中心",  # U+2F3C KANGXI RADICAL HEART
    "⽅案": "方案",  # U+2F45
    "使⽤": "使用",  # U+2F64
    "⻔诊": "门诊",  # U+2ED4 CJK RADICAL C-SIMPLIFIED GATE (supplement)
    "⻅效": "见效",  # U+2EC5
    "\ufa1b利": "福利",  # CJK COMPATIBILITY IDEOGRAPH-FA1B
    "\U0002f800": "丽",  # CJK COMPATIBILITY IDEOGRAPH-2F800
}


@pytest.mark.parametrize(("printed", "meant"), STAND_INS.items())
def test_a_stand_in_is_the_ideograph(printed: str, meant: str) -> None:
    assert ideographs(printed) == meant
    assert clean_text(printed) == meant


@pytest.mark.parametrize(
    "text", ["（一）", "１００％", "㈠", "①", "㎡", "Ⅱ", "：", "\u2ffb", "\u2e9a", "", "abc"]
)
def test_nothing_but_stand_ins_changes(text: str) -> None:
    """Full-width punctuation and digits stay as printed; an unassigned radical or an
    ideographic description character stays itself."""
    assert ideographs(text) == text


def test_labels_with_radicals_are_the_labels() -> None:
    assert squeeze("项⽬名称") == "项目名称"


def test_every_value_of_a_form_loses_its_radicals() -> None:
    rows = _daying()
    rows[1] = ["项⽬名称", ("⽂化中⼼建设", 1, 9)]
    rows[2] = ["主管部⻔", ("⽂化局", 1, 4), None, None, None, "实施单位", ("⽂化中⼼", 1, 4)]
    rows[3][3] = ("完善⽅案", 1, 7)
    rows[13] = ["产出指标", "质量指标", "⽤户覆盖", "=", "⼀百", "%", "⼀百", "90", "90", ""]
    rows[15][2] = ("按⽅案完成", 1, 8)
    form = _one(rows)
    values = [form.project, form.department, form.unit, form.expected, form.remarks["conclusion"]]
    values += [form.indicators[0].name, form.indicators[0].target, form.indicators[0].actual]
    assert (
        values
        == ["文化中心建设", "文化局", "文化中心", "完善方案", "按方案完成", "用户覆盖"]
        + ["一百"] * 2
    )


# --- hostile rates ------------------------------------------------------------------------

RATES = {
    "%": None,
    "%%": None,
    "100%%": None,
    "１００．００％": Decimal("100.00"),
    "100.00 %": Decimal("100.00"),
    "99999999999999999999999999.99%": Decimal("99999999999999999999999999.99"),
    "1e5%": None,
    "-5%": Decimal(-5),
    "∞%": None,
    "NaN%": None,
    "百分之百": None,
    "\u3000%\u3000": None,
}


@pytest.mark.parametrize(("printed", "read"), RATES.items(), ids=list(map(repr, RATES)))
def test_a_printed_rate_is_read_or_noted_never_guessed(printed: str, read: Decimal | None) -> None:
    rows = _daying()
    rows[7][6] = printed
    form = _one(rows)
    assert form.funds["total"].values.get("rate") == read
    if read is None and printed.strip("\u3000"):
        assert any("不是数字" in note.zh for note in form.notes)


def _page(rows: list[Row]) -> str:
    body = ""
    for values in rows:
        cells = ""
        for value in values:
            if value is None:
                continue
            text, down, across = value if isinstance(value, tuple) else (value, 1, 1)
            cells += f'<td rowspan="{down}" colspan="{across}">{text}</td>'
        body += f"<tr>{cells}</tr>"
    return f"<html><body><table>{body}</table></body></html>"


def test_a_huge_rate_imports_and_check_bounds_it(tmp_path: Path) -> None:
    rows = _daying()
    rows[7][6] = "9" * 40 + "%"
    page = tmp_path / "form.htm"
    page.write_text(_page(rows), "utf-8")
    report = api.import_forms([page], tmp_path / "specs")
    assert report.errors == 0, [d.message_en for d in report.diagnostics]
    checked = api.check([tmp_path / "specs"])
    assert "SE012" in {d.code for d in checked.diagnostics}


def test_a_radical_in_the_project_names_the_file(tmp_path: Path) -> None:
    rows = _daying()
    rows[1] = ["项目名称", ("⽂化中⼼⽤房", 1, 9)]
    page = tmp_path / "form.htm"
    page.write_text(_page(rows), "utf-8")
    report = api.import_forms([page], tmp_path / "specs")
    assert [p.name for p in report.files[0].written] == ["01-文化中心用房.yaml"]
    assert "project: 文化中心用房\n" in report.files[0].written[0].read_text("utf-8")


# --- the layouts printed by selfeval itself, read back -------------------------------------

DAYING_PROFILE = """\
extends: mof-2020
labels:
  unit: "实施单位\\n(盖章)"
  goals: "项目基本情况"
  expected: "项目年度目标"
  actual: "完成情况"
layout:
  goals_parts: [expected, actual, process]
  goals_layout: rows
  trailer_rows:
    - {label: 评价结论, text: remarks.conclusion}
    - {label: 存在问题, text: remarks.problems}
    - {label: 改进措施, text: remarks.measures}
  header_lines:
    - {label: 填报单位（盖章）, text: filing.unit}
    - {label: 填报日期, text: filing.date}
  signature_row:
    - {label: 项目负责人, text: filing.project_lead}
    - {label: 财务负责人, text: filing.finance_lead}
"""

DAYING_SPEC = """\
profile: daying.profile.yaml
year: 2023
project: 全县安可替代补助资⾦项⽬
department: 大英县司法局部门
unit: 大英县司法局
funds:
  weight: 10
  current_year: {initial: 0, annual: 3.36, executed: 3.36}
goals:
  expected: 根据要求购买安可设备,并完成项目资金支付。
  actual: 完成
  process: 2023年购买13台安可电脑,并于12⽉前完成资金⽀付。
indicators:
  产出指标:
    数量指标:
      - {name: 采购台数, target: ≥13(台), actual: 13(台), weight: 50}
  效益指标:
    社会效益指标:
      - {name: 办公效率, target: 提高, actual: 提高, weight: 30}
  满意度指标:
    服务对象满意度指标:
      - {name: 使⽤满意度, target: ≥90%, actual: 95%, weight: 10}
remarks:
  conclusion: 根据财政局资金下达的管理办法,将资金支付给项目施工方。
  problems: 无
  measures: 无
filing:
  unit: 大英县司法局
  date: 2024年3月1日
  project_lead: 张⼩三
  finance_lead: 李四
"""


@pytest.fixture(scope="module")
def daying_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("daying")
    specs = root / "specs"
    specs.mkdir()
    (specs / "daying.profile.yaml").write_text(DAYING_PROFILE, "utf-8")
    (specs / "anke.yaml").write_text(DAYING_SPEC, "utf-8")
    report = api.build([specs], root / "out", formats=["pdf", "html"])
    assert report.errors == 0, [d.message_en for d in report.diagnostics]
    return root


@pytest.mark.parametrize("suffix", ["pdf", "html"])
def test_the_daying_layout_built_by_selfeval_reads_back(daying_build: Path, suffix: str) -> None:
    imported = daying_build / f"imported-{suffix}"
    imported.mkdir(exist_ok=True)
    shutil.copy(daying_build / "specs" / "daying.profile.yaml", imported)
    profile = str(imported / "daying.profile.yaml")
    report = api.import_forms([daying_build / "out" / f"anke.{suffix}"], imported, profile=profile)
    assert report.errors == 0, [d.message_en for d in report.diagnostics]
    (written,) = report.files[0].written
    assert written.name == "01-全县安可替代补助资金项目.yaml"
    text = written.read_text("utf-8")
    for line in (
        "project: 全县安可替代补助资金项目\n",
        "department: 大英县司法局部门\n",
        "unit: 大英县司法局\n",
        "profile: daying.profile.yaml\n",
        "  process: >-\n    2023年购买13台安可电脑,并于12月前完成资金支付。\n",
        "remarks:",
        "  conclusion: >-\n    根据财政局资金下达的管理办法,将资金支付给项目施工方。\n",
        "  problems: >-\n    无\n",
        "{name: 使用满意度, target: ≥90%, actual: 95%, weight: 10}",
        "filing:",
        "  unit: 大英县司法局\n  date: 2024年3月1日\n",
        "  project_lead: 张小三\n  finance_lead: 李四\n",
    ):
        assert line in text
    assert not any(0x2E80 <= ord(c) <= 0x2FDF for c in text)
    checked = api.check([imported])
    assert checked.errors == checked.warnings == 0, [d.message_en for d in checked.diagnostics]


# --- where an imported spec points --------------------------------------------------------


def _form_page(tmp_path: Path) -> Path:
    page = tmp_path / "form.htm"
    page.write_text(_page(_daying()), "utf-8")
    return page


def test_outside_a_repository_the_spec_names_no_path_of_this_machine(tmp_path: Path) -> None:
    report = api.import_forms([_form_page(tmp_path)], tmp_path / "out")
    text = report.files[0].written[0].read_text("utf-8")
    first = text.split("\n", 1)[0]
    assert first.startswith("# 编辑器提示")
    assert "schema/" in first
    for trace in ("file://", "site-packages", str(Path(api.__file__).parent.parent)):
        assert trace not in text


def test_inside_a_repository_the_modeline_is_relative_to_its_schema(tmp_path: Path) -> None:
    repository = tmp_path / "bureau"
    (repository / "schema").mkdir(parents=True)
    (repository / "schema" / "selfeval.schema.json").write_text("{}", "utf-8")
    out = repository / "specs" / "2023"
    report = api.import_forms([_form_page(tmp_path)], out)
    first = report.files[0].written[0].read_text("utf-8").split("\n", 1)[0]
    assert first == "# yaml-language-server: $schema=../../schema/selfeval.schema.json"
    assert (out / "../../schema/selfeval.schema.json").is_file()


def test_a_profile_outside_is_refused_and_nothing_written(tmp_path: Path) -> None:
    clone = tmp_path / "other-clone" / "profiles"
    clone.mkdir(parents=True)
    (clone / "local.profile.yaml").write_text("extends: mof-2020\n", "utf-8")
    out = tmp_path / "imported"
    report = api.import_forms(
        [_form_page(tmp_path)], out, profile=str(clone / "local.profile.yaml")
    )
    assert [d.code for d in report.diagnostics] == ["SE507"]
    assert "../other-clone/profiles/local.profile.yaml" in report.diagnostics[0].message_zh
    assert not list(out.glob("*.yaml"))


def test_cli_refuses_a_profile_outside_with_exit_two(tmp_path: Path) -> None:
    (tmp_path / "p.profile.yaml").write_text("extends: mof-2020\n", "utf-8")
    page = _form_page(tmp_path)
    done = run_cli("import", str(page), "-o", "out", "--profile", "p.profile.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert "SE507" in done.stdout + done.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    "name", ["本地 规则.profile.yaml", "a'b\"c.profile.yaml", "-x.profile.yml"]
)
def test_a_profile_in_the_project_is_written_relative_and_checks(tmp_path: Path, name: str) -> None:
    project = tmp_path / "project"
    (project / "profiles").mkdir(parents=True)
    (project / "selfeval.toml").write_text("", "utf-8")
    profile = project / "profiles" / name
    profile.write_text("extends: mof-2020\n", "utf-8")
    out = project / "specs" / "imported"
    report = api.import_forms([_form_page(tmp_path)], out, profile=str(profile))
    assert report.errors == 0, [d.message_en for d in report.diagnostics]
    spec = report.files[0].written[0]
    codes = {d.code for d in api.check([spec]).diagnostics}
    assert not codes & {"SE016", "SE504", "SE505"}  # the profile is found and read
    assert f"../../profiles/{name}" in spec.read_text("utf-8").replace('\\"', '"')


# --- a cell not read is left for check to ask for, never a silent 0 ------------------------


@pytest.mark.parametrize("printed", ["待定", "%", "1e5", "\u3000"])
def test_an_unread_amount_is_left_out_and_check_asks_for_it(tmp_path: Path, printed: str) -> None:
    rows = _daying()
    rows[8][5] = printed  # 其中:财政资金, 预算执行数
    page = tmp_path / "form.htm"
    page.write_text(_page(rows), "utf-8")
    report = api.import_forms([page], tmp_path / "specs")
    (spec,) = report.files[0].written
    text = spec.read_text("utf-8")
    if printed.strip():
        line = next(x for x in text.splitlines() if x.startswith("  current_year:"))
        assert "executed" not in line.split("#")[0]
        assert "表上没有读到全年执行数" in line
        found = [d for d in api.check([spec]).diagnostics if d.code == "SE021"]
        assert [d.location.line for d in found] == [text.splitlines().index(line) + 1]
    else:  # a blank sub-row cell is the form's 0
        assert "current_year: {initial: 0.00, annual: 3.36, executed: 0}" in text


# --- what the display prints: % rates, thousands separators, places as written --------------


def test_rates_with_percent_and_amounts_with_separators_read_exactly() -> None:
    rows = _daying()
    rows[7][3:9] = ["215,457.6", "215,457.60", "185,293.54", "86%", "10", "8.62"]
    form = _one(rows)
    assert form.funds["total"].values == {
        "initial": Decimal("215457.6"),
        "annual": Decimal("215457.60"),
        "executed": Decimal("185293.54"),
        "rate": Decimal(86),
        "weight": Decimal(10),
        "score": Decimal("8.62"),
    }


def test_a_bare_rate_under_a_percent_header_is_a_percentage() -> None:
    rows = _daying()
    rows[6][6] = "预算执行率(%)"
    rows[7][6] = "1"
    assert _one(rows).funds["total"].values["rate"] == Decimal(1)


# --- hostile texts in the new blocks ---------------------------------------------------------


def test_a_huge_trailer_text_is_cut_to_what_a_spec_holds(tmp_path: Path) -> None:
    rows = _daying()
    rows[15][2] = ("结论" * 20_000, 1, 8)
    page = tmp_path / "form.htm"
    page.write_text(_page(rows), "utf-8")
    report = api.import_forms([page], tmp_path / "specs")
    assert report.errors == 0
    assert len(report.files[0].forms[0].remarks["conclusion"]) == 5000


@pytest.mark.parametrize(
    "label",
    ["评价\u200b结论", "评 价 结 论", "评价结论：", "评价结论\n", "⾃评结论"],
    ids=["zero-width", "spaced", "colon", "newline", "radical"],
)
def test_a_trailer_label_in_odd_dress_is_still_read(label: str) -> None:
    rows = _daying()
    rows[15][0] = (label, 1, 2)
    assert "conclusion" in _one(rows).remarks


def test_goals_parts_with_bidi_controls_and_odd_spaces_are_cleaned() -> None:
    rows = _daying()
    rows[3][3] = ("\u202e根据要求\u3000购买\u00a0设备。\u200b", 1, 7)
    assert _one(rows).expected == "根据要求\u3000购买\u00a0设备。"


def test_an_unknown_row_after_the_total_is_not_an_indicator() -> None:
    rows = _daying()
    rows.insert(15, [("备注：本表金额单位为万元", 1, 10)])
    form = _one(rows)
    assert [i.name for i in form.indicators] == ["完成安可产品购买"]
    assert set(form.remarks) == {"conclusion", "problems", "measures"}


def test_the_daying_realform_reads_back_the_same_from_every_format(tmp_path: Path) -> None:
    """examples/realforms/sc-suining-daying-2023.yaml under its profile (funds columns in its
    order with 原因 as one block, rates with %, goals a row each, 绩效指标(90分) beside the
    table), built to PDF, HTML and xlsx and imported with that profile: one spec text from all
    three, whose figures build as the original's."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "examples/profiles", project / "profiles")
    (project / "selfeval.toml").write_text("", "utf-8")
    (project / "specs").mkdir()
    shutil.copy(REPO / "examples/realforms/sc-suining-daying-2023.yaml", project / "specs")
    built = api.build([project / "specs"], project / "out", formats=["pdf", "html", "xlsx", "json"])
    assert built.errors == 0, [d.message_en for d in built.diagnostics]
    profile = str(project / "profiles/sichuan-daying.profile.yaml")
    texts = []
    for suffix in ("pdf", "html", "xlsx"):
        source = project / "out" / f"sc-suining-daying-2023.{suffix}"
        report = api.import_forms([source], project / suffix, profile=profile)
        assert report.errors == report.warnings == 0, [d.message_en for d in report.diagnostics]
        texts.append(report.files[0].written[0].read_text("utf-8").split("\n", 3)[3])
    assert texts[0] == texts[1] == texts[2]
    assert "  process: >-\n    2023年购买13台安可电脑,并于12月前完成资金支付。\n" in texts[0]
    assert "  reason: >-\n    1.预算执行率=预算执行数/调整后预算数" in texts[0]
    assert (
        "total: {initial: 0.00, annual: 3.36, executed: 3.36, rate: 100.00, score: 10}"
        in (texts[0])
    )
    rebuilt = api.build([project / "pdf"], project / "rebuilt", formats=["json"])
    assert rebuilt.errors == 0, [d.message_en for d in rebuilt.diagnostics]
    original = json.loads((project / "out/sc-suining-daying-2023.json").read_text("utf-8"))
    (again,) = [
        json.loads(path.read_text("utf-8"))
        for path in (project / "rebuilt").rglob("*.json")
        if not path.name.startswith(".")
    ]
    for key in ("funds", "indicators", "total", "grade", "goals", "trailer", "unit", "year"):
        assert again[key] == original[key], key


# --- header and signature lines -------------------------------------------------------------


def test_header_and_signature_values_from_cells_and_lines() -> None:
    rows = _daying()
    form = _one(
        rows, ["部门预算项目支出绩效自评表", "填报单位（盖章）：某局　　填报日期：2024年3月1日"]
    )
    assert form.filing == {
        "unit": "某局",
        "date": "2024年3月1日",
        "project_lead": "张三",
        "finance_lead": "李四",
    }


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("填报单位（盖章）：", {}),
        ("填报单位：（盖章）", {}),
        ("填报单位：/　填表人：—", {}),
        ("填表人：王五 联系电话：0825-1234567", {"person": "王五", "phone": "0825-1234567"}),
        ("填报单位:\u202e某局\u200b", {"unit": "某局"}),
        ("填报日期：" + "9" * 300, {"date": "9" * 300}),
    ],
)
def test_odd_header_lines(line: str, found: dict[str, str]) -> None:
    rows = _daying()
    del rows[-1]
    assert _one(rows, [clean_text(line)]).filing == found


def test_signature_lines_below_a_web_pages_table(tmp_path: Path) -> None:
    rows = _daying()
    del rows[-1]
    page = tmp_path / "form.htm"
    html = _page(rows).replace("</table>", "</table><p>项目负责人：赵六　财务负责人：钱七</p>")
    page.write_text(html, "utf-8")
    report = api.import_forms([page], tmp_path / "specs")
    assert report.files[0].forms[0].filing == {"project_lead": "赵六", "finance_lead": "钱七"}


# --- the 天长 template rows: placeholders with a colon, met rows printed empty ----------------


def test_placeholder_rows_with_a_colon_and_met_rows_printed_empty() -> None:
    rows = _daying()
    rows[13:14] = [
        ["产出指标", "质量指标", "指标1:验收合格", "", "", "", "", "45", "45", ""],
        ["", "", "指标2:", "", "", "", "", "", "", ""],
        ["", "", "……", "", "", "", "", "", "", ""],
        ["", "时效指标", "指标1:按时完成", "=", "100", "%", "100", "45", "45", ""],
    ]
    form = _one(rows)
    assert [(i.level2, i.name) for i in form.indicators] == [
        ("质量指标", "验收合格"),
        ("时效指标", "按时完成"),
    ]
    blank = [n.zh for n in form.notes if "为空" in n.zh]
    assert blank == ["验收合格：表上年度指标值和实际完成值为空，请照原始材料补上"]

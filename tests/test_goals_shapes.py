"""The 绩效目标申报表 in more shapes (issue #20): the profile's ``goals_form`` rows, goals
in rows, extra indicator columns, empty 二级 rows, the 实施期 indicator table, funds by level,
the 项目预算成本构成 with its checked sums, the review row, header and footer lines; the 湘潭
2023 form reproduced from its transcription (figures and texts read from it, never typed in)."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import DATA, REPO
from test_diff_printed import _mutations, _values

from selfeval_compiler import api
from selfeval_compiler.diff.compare import goals_printed_facts
from selfeval_compiler.forms.goals import GoalsPresentation, goals_to_dict, present_goals
from selfeval_compiler.forms.self_evaluation import flat
from selfeval_compiler.outputs.html import GOALS_TEMPLATE, render_html
from selfeval_compiler.outputs.xlsx_format import goals_to_xlsx
from selfeval_compiler.rules.compiler import CompiledSpec
from selfeval_compiler.rules.goals import GoalsForm

XIANGTAN = REPO / "examples" / "realforms" / "hn-xiangtan-huanwei-2023-goals.yaml"
XIANGTAN_PRINTED = DATA / "realforms" / "hn_xiangtan_huanwei_2023_wupaoche_goals.json"

SHAPES_PROFILE = """\
name: all-shapes
extends: mof-2020
goals_form:
  amount_unit: 万元
  thousands: false
  funds_layout: levels
  rows:
    - project
    - [department, unit]
    - period
    - [local, upper]
    - funds
    - goals
    - period_indicators
    - indicators
    - costs
    - review
  goals_layout: rows
  indicator_columns: [level1, level2, content, name, target, standard, scoring, remark]
  empty_rows: true
  period_format: "{start}—{end}"
  cost_total: top
  header_lines: ["填报单位：（盖章）", "单位：{unit}"]
  footer: [填表人：, 联系电话：]
  labels:
    period_indicators: 长期绩效指标
"""

SHAPES_SPEC = """\
stage: 申报
year: 2024
project: 城区道路保洁
department: 某局
unit: 某中心
profile: shapes.profile.yaml
start_date: "2024.01"
end_date: "2026.12"
project_funds: {total: 900, fiscal: 900, other: 0}
funds:
  current_year: {initial: 280}
  carried_over: {initial: 20}
funds_levels: {upper: 100}
goals:
  overall: 三年内城区道路保洁全覆盖。
  expected: 本年城区主干道保洁全覆盖。
period_indicators:
  产出指标:
    数量指标:
      - {name: 保洁面积, target: ≥300万平方米, standard: 计划标准, content: 三年保洁,
         scoring: 按完成比例, remark: 无}
indicators:
  产出指标:
    数量指标:
      - {name: 保洁面积, target: ≥100万平方米, standard: 计划标准, content: 日常保洁,
         scoring: 完成得满分, remark: 无}
  效益指标:
    经济效益指标: []
    社会效益指标:
      - {name: 市容改善, target: 明显, standard: 历史标准, content: 市容, scoring: 按程度,
         remark: 无}
costs:
  items:
    - name: 人工费
      amount: 200.50
      items:
        - {name: 保洁员工资, amount: 180.25, basis: 60人×3.0042万元}
        - {name: 社保, amount: 20.25}
    - {name: 设备费, amount: 99.50, basis: 扫路车租赁}
  total: 300
review: 同意。
"""


def _project(
    tmp_path: Path,
    spec: str = SHAPES_SPEC,
    profile: str = SHAPES_PROFILE,
    profile_name: str = "shapes.profile.yaml",
) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    specs = tmp_path / "specs"
    specs.mkdir(exist_ok=True)
    (specs / profile_name).write_text(profile, "utf-8")
    path = specs / "form.yaml"
    path.write_text(spec, "utf-8")
    return path


def _compiled(path: Path) -> CompiledSpec:
    (compiled,) = api.check([path], form="goals").compiled
    return compiled


def _form(path: Path) -> GoalsForm:
    compiled = _compiled(path)
    assert isinstance(compiled.goals, GoalsForm), compiled.diagnostics
    return compiled.goals


def _found(path: Path) -> list[tuple[str, int]]:
    return [(d.code, d.location.line) for d in _compiled(path).diagnostics]


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if fragment in line)


def test_every_shape_option_prints_what_the_spec_holds(tmp_path: Path) -> None:
    path = _project(tmp_path)
    assert _compiled(path).diagnostics == []
    data = goals_to_dict(present_goals(_form(path)))
    assert data["period"] == "2024.01—2026.12"
    assert data["amounts"] == [
        {"key": "local", "label": "本级安排", "amount": "200.00"},  # 300 − 上级 100
        {"key": "upper", "label": "上级补助", "amount": "100.00"},
    ]
    funds = data["funds"]
    assert isinstance(funds, list)
    assert [(row["annual_label"], row["annual_amount"]) for row in funds] == [
        ("年度资金申请总额", "300.00"),
        ("本级安排", "200.00"),
        ("上级补助", "100.00"),
    ]
    rows = data["indicators"]
    assert isinstance(rows, list)
    assert rows[0] == {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "保洁面积",
        "target": "≥100万平方米",
        "content": "日常保洁",
        "standard": "计划标准",
        "scoring": "完成得满分",
        "remark": "无",
    }
    assert rows[1]["level2"] == "经济效益指标"
    assert rows[1]["blank"] is True
    assert rows[1]["name"] == rows[1]["standard"] == ""
    assert data["period_indicators"] == [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "保洁面积",
            "target": "≥300万平方米",
            "content": "三年保洁",
            "standard": "计划标准",
            "scoring": "按完成比例",
            "remark": "无",
        }
    ]
    assert data["costs"] == [
        {"kind": "total", "name": "合计", "amount": "300.00", "basis": ""},
        {"kind": "group", "name": "人工费", "amount": "200.50", "basis": ""},
        {"kind": "sub", "name": "保洁员工资", "amount": "180.25", "basis": "60人×3.0042万元"},
        {"kind": "sub", "name": "社保", "amount": "20.25", "basis": ""},
        {"kind": "item", "name": "设备费", "amount": "99.50", "basis": "扫路车租赁"},
    ]
    assert data["review"] == "同意。"
    assert data["header_lines"] == ["填报单位：（盖章）", "单位：万元"]
    assert data["footer"] == ["填表人：", "联系电话："]


def test_the_html_prints_the_profiles_columns_rows_and_tables_in_order(tmp_path: Path) -> None:
    html = render_html(present_goals(_form(_project(tmp_path))), None, GOALS_TEMPLATE)
    body = html[html.index("<body>") :]
    headings = re.findall(r"<th[^>]*>([^<]*)</th>", body)
    period, annual = [i for i, text in enumerate(headings) if text == "一级指标"]
    assert headings[period - 1] == "长期绩效指标"  # the 实施期 table comes first, as listed
    columns = ["一级指标", "二级指标", "指标内容", "三级指标", "年度(/项目)指标值"]
    columns += ["绩效标准", "评分细则", "备注"]
    assert headings[annual : annual + 8] == columns
    columns[4] = "实施期指标值"
    assert headings[period : period + 8] == columns
    order = [
        body.index(text) for text in ("填报单位", "长期绩效指标", "成本项目", "同意。", "填表人")
    ]
    assert order == sorted(order)
    assert "项目性质" not in body  # a row the profile leaves out is not printed
    assert "项目实施期" in body
    assert "2024.01—2026.12" in body


def test_a_subtotal_or_total_that_is_not_the_sum_of_its_items_is_an_error(tmp_path: Path) -> None:
    text = SHAPES_SPEC.replace("amount: 200.50", "amount: 200.40").replace(
        "total: 300", "total: 300.01"
    )
    path = _project(tmp_path, text)
    assert _found(path) == [
        ("SE419", _line_of(text, "amount: 200.40")),
        ("SE420", _line_of(text, "total: 300.01")),
    ]
    message = _compiled(path).diagnostics[0].message_zh
    assert "200.40" in message
    assert "200.50" in message
    # The form is not printed with a sum that does not add up.
    report = api.build([path], tmp_path / "out", formats=["json"], form="goals")
    assert report.errors == 2
    assert not (tmp_path / "out" / "form.json").exists()


def test_sums_are_exact_decimals(tmp_path: Path) -> None:
    costs = (
        "costs:\n  items:\n    - name: 甲\n      amount: 0.3\n      items:\n"
        "        - {name: 甲一, amount: 0.1}\n        - {name: 甲二, amount: 0.2}\n"
        "    - {name: 乙, amount: 299.7}\n  total: 300\n"
    )
    text = SHAPES_SPEC[: SHAPES_SPEC.index("costs:")] + costs + "review: 同意。\n"
    # 0.1 + 0.2 is the stated 小计 0.3 (in floats 0.30000000000000004, which would not match)
    assert _found(_project(tmp_path, text)) == []


def test_a_breakdown_of_neither_budget_is_a_warning(tmp_path: Path) -> None:
    text = SHAPES_SPEC.replace("amount: 99.50", "amount: 89.50").replace("total: 300", "total: 290")
    assert _found(_project(tmp_path, text)) == [("SE426", _line_of(text, "total: 290"))]
    whole = text.replace(
        "project_funds: {total: 900, fiscal: 900", "project_funds: {total: 290, fiscal: 290"
    )
    assert _found(_project(tmp_path, whole)) == []  # the project's whole budget broken down


@pytest.mark.parametrize(
    "levels",
    ["{local: 250, upper: 100}", "{upper: 301}", "{local: 300.01}"],
    ids=["both-too-much", "upper-above-total", "local-above-total"],
)
def test_funds_by_level_must_make_up_the_years_application(tmp_path: Path, levels: str) -> None:
    text = SHAPES_SPEC.replace("funds_levels: {upper: 100}", f"funds_levels: {levels}")
    assert _found(_project(tmp_path, text)) == [("SE421", _line_of(text, "funds_levels"))]


def _without(text: str, first: str, up_to: str) -> str:
    """``text`` without the lines from the one starting ``first`` to the one before ``up_to``."""
    start = text.index(first)
    return text[:start] + text[text.index(up_to, start) :]


def test_blank_cells_are_warned_only_where_the_profile_prints_them(tmp_path: Path) -> None:
    text = SHAPES_SPEC.replace("funds_levels: {upper: 100}\n", "")
    text = text.replace(", standard: 历史标准", "")
    text = _without(
        text,
        "period_indicators:",
        "indicators:\n  产出指标:\n    数量指标:\n      - {name: 保洁面积, target: ≥100",
    )
    text = _without(text, "costs:", "review:")
    path = _project(tmp_path, text)
    found = _compiled(path).diagnostics
    assert sorted(d.code for d in found) == ["SE422", "SE423", "SE424", "SE425"]
    (standard,) = [d for d in found if d.code == "SE422"]
    assert "“绩效标准（效益指标 / 社会效益指标 / 市容改善）”" in standard.message_zh
    assert standard.location.line == _line_of(text, "name: 市容改善")
    # No 项目性质, 项目类别 or dates row in this profile, so none is warned about; the
    # 实施期 row prints both dates, so a missing one is.
    no_start = text.replace('start_date: "2024.01"\n', "")
    assert "SE412" in {d.code for d in _compiled(_project(tmp_path, no_start)).diagnostics}


def test_an_empty_group_is_left_out_unless_the_profile_prints_empty_rows(tmp_path: Path) -> None:
    profile = SHAPES_PROFILE.replace("empty_rows: true", "empty_rows: false")
    form = present_goals(_form(_project(tmp_path, profile=profile)))
    assert "经济效益指标" not in [line.level2 for line in form.indicators]
    assert not any(line.blank for line in form.indicators)


def test_the_default_form_gains_no_new_json_keys() -> None:
    example = REPO / "examples" / "goals" / "chaiwei-2026.yaml"
    data = goals_to_dict(present_goals(_form(example)))
    assert set(data) == {
        "form",
        "title",
        "year",
        "project",
        "department",
        "unit",
        "project_nature",
        "project_category",
        "start_date",
        "end_date",
        "amount_unit",
        "funds",
        "overall",
        "expected",
        "indicators",
    }


HOSTILE_SPECS = {
    "huge-amount": ("amount: 99.50", "amount: 1e400"),
    "negative-amount": ("amount: 99.50", "amount: -1"),
    "text-amount": ("amount: 99.50", "amount: 九十九"),
    "empty-items": ("      items:\n", "      items: []\n      unused:\n"),
    "no-items": ("costs:\n  items:", "costs:\n  list:"),
    "number-standard": ("standard: 计划标准", "standard: 12"),
    "empty-levels": ("funds_levels: {upper: 100}", "funds_levels: {}"),
    "text-levels": ("funds_levels: {upper: 100}", "funds_levels: {upper: 一百}"),
    "list-costs": ("costs:\n  items:", "costs:\n  - items:"),
    "empty-review": ("review: 同意。", 'review: ""'),
    "missing-amount": ("{name: 设备费, amount: 99.50, ", "{name: 设备费, "),
    "unknown-key-in-a-group": ("amount: 20.25}", "amount: 20.25, extra: 1}"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_SPECS), ids=str)
def test_hostile_spec_values_are_clear_errors(tmp_path: Path, case: str) -> None:
    old, new = HOSTILE_SPECS[case]
    assert old in SHAPES_SPEC
    spec = SHAPES_SPEC.replace(old, new, 1)
    report = api.check([_project(tmp_path, spec)], form="goals")
    assert report.errors >= 1
    assert all(d.code != "SE999" for d in report.diagnostics)
    assert all(d.location.line >= 1 for d in report.diagnostics)
    if case not in ("empty-items", "no-items"):  # one slip, one message
        assert len(report.diagnostics) == 1, [d.message_en for d in report.diagnostics]


HOSTILE_PROFILES = {
    "unknown-row": ("    - review", "    - signature"),
    "three-in-a-row": ("[department, unit]", "[department, unit, project]"),
    "block-in-a-pair": ("[department, unit]", "[department, funds]"),
    "no-target-column": (
        "[level1, level2, content, name, target,",
        "[level1, level2, content, name,",
    ),
    "unknown-column": ("scoring, remark]", "scoring, score]"),
    "bad-goals-layout": ("goals_layout: rows", "goals_layout: diagonal"),
    "rows-not-a-list": ("  rows:\n", "  rows: project\n  unused:\n"),
    "cost-total-number": ("cost_total: top", "cost_total: 1"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_PROFILES), ids=str)
def test_hostile_profile_options_are_reported_on_the_profile(tmp_path: Path, case: str) -> None:
    old, new = HOSTILE_PROFILES[case]
    assert old in SHAPES_PROFILE
    profile = SHAPES_PROFILE.replace(old, new, 1)
    report = api.check([_project(tmp_path, profile=profile)], form="goals")
    assert [d.code for d in report.diagnostics][:1] == ["SE505"]
    assert report.diagnostics[0].location.file.endswith("shapes.profile.yaml")
    if case != "rows-not-a-list":  # one slip, one message
        assert len(report.diagnostics) == 1, [d.message_en for d in report.diagnostics]


def test_markup_in_the_new_texts_prints_as_text(tmp_path: Path) -> None:
    text = SHAPES_SPEC.replace("review: 同意。", "review: <script>alert(1)</script>").replace(
        "basis: 扫路车租赁", 'basis: "<b>租赁</b>"'
    )
    html = render_html(present_goals(_form(_project(tmp_path, text))), None, GOALS_TEMPLATE)
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;租赁" in html


def test_the_workbook_carries_the_new_tables_and_lines(tmp_path: Path) -> None:
    form = present_goals(_form(_project(tmp_path)))
    sheet = openpyxl.load_workbook(io.BytesIO(goals_to_xlsx(form, None))).active
    assert sheet is not None
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    for text in (
        "填报单位：（盖章）",
        "长期绩效指标",
        "指标内容",
        "评分细则",
        "保洁员工资",
        "同意。",
    ):
        assert any(text in cell for cell in cells), text
    assert cells[-2:] == ["填表人：", "联系电话："]
    amounts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, float)]
    assert 180.25 in amounts  # a cost stored as a number with the printed places
    # One sheet column per indicator column, after the label column.
    assert sheet.max_column == 1 + len(form.indicator_columns)


def _shapes(tmp_path: Path) -> Path:
    return _project(tmp_path)


@pytest.mark.parametrize("which", ["shapes", "xiangtan"])
def test_every_printed_field_of_the_new_shapes_is_compared(tmp_path: Path, which: str) -> None:
    form = present_goals(_form(_shapes(tmp_path) if which == "shapes" else XIANGTAN))
    before = _values(goals_printed_facts(form))
    checked = 0
    for where, changed in _mutations(form, "goals"):
        assert isinstance(changed, GoalsPresentation)
        assert _values(goals_printed_facts(changed)) != before, f"{where} changed, diff is silent"
        checked += 1
    assert checked > 60


def test_a_cost_changed_between_versions_is_a_change(tmp_path: Path) -> None:
    from selfeval_compiler.diff.compare import compare_forms

    old = _form(_project(tmp_path / "old"))
    text = SHAPES_SPEC.replace("amount: 99.50", "amount: 109.50").replace(
        "total: 300", "total: 310"
    )
    new = _form(_project(tmp_path / "new", text))
    changes = {(c.label, c.old, c.new) for c in compare_forms(old, new)}
    assert ("项目预算成本构成·设备费", "99.50", "109.50") in changes
    assert ("项目预算成本构成·合计", "300.00", "310.00") in changes


# The 湘潭 2023 form, from its transcription.


def _printed() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(XIANGTAN_PRINTED.read_text("utf-8"))
    return data


def _amount(text: str, unit: str) -> str:
    """A transcribed amount in the header's unit: ``250万`` under 单位:万元 is 250."""
    return text.removesuffix(unit.removesuffix("元"))


def test_xiangtan_2023_goals_form_prints_as_transcribed() -> None:
    printed = _printed()
    compiled = _compiled(XIANGTAN)
    assert compiled.diagnostics == []
    assert isinstance(compiled.goals, GoalsForm)
    form = present_goals(compiled.goals)
    data = goals_to_dict(form)
    labels = {key: flat(text) for key, text in form.labels.items()}  # as one line
    assert data["title"] == printed["form_title_as_printed"]
    assert labels["project"] == printed["project_label_as_printed"]
    assert labels["department"] == printed["department_label_as_printed"]
    assert (data["project"], data["department"]) == (printed["project_name"], printed["department"])
    assert data["amount_unit"] == printed["amount_unit"]
    assert f"单位:{printed['amount_unit']}" in form.header_lines
    unit = printed["amount_unit"]
    assert [(flat(row["label"]), row["amount"]) for row in data["amounts"]] == [  # type: ignore[attr-defined]
        (label, _amount(amount, unit)) for label, amount in printed["funds"].items()
    ]
    assert data["period"] == printed["period"]
    assert [(labels[part], form.goal(part)) for part in form.goals_parts] == list(
        printed["goals"].items()
    )
    assert [column.label for column in form.indicator_columns] == printed[
        "indicator_header_as_printed"
    ]
    shown = [
        {
            "level1": line.level1,
            "level2": line.level2,
            "level3": line.name or None,
            "target": line.target or None,
            "standard": line.text("standard") or None,
        }
        for line in form.indicators
    ]
    expected = [
        {key: row.get(key) for key in ("level1", "level2", "level3", "target", "standard")}
        for row in printed["indicators"]
    ]
    assert shown == expected
    assert [line.blank for line in form.indicators] == [
        row["level3"] is None for row in printed["indicators"]
    ]
    assert printed["财政部门审核意见"] is None
    assert data["review"] == ""
    assert labels["review"] == "财政部门审核意见"
    for entry in form.footer:  # 填表人 / 联系电话 / 填报日期 / 单位负责人签字
        assert entry.rstrip(":") in printed["template_family"]
    # The 成本指标 target states the whole budget, as the transcription notes.
    assert Decimal(
        _amount(next(r["target"] for r in printed["indicators"] if r["level2"] == "成本指标"), unit)
    ) == Decimal(data["amounts"][0]["amount"])  # type: ignore[index]


@pytest.mark.slow
def test_xiangtan_2023_builds_to_a_one_page_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader

    report = api.build([XIANGTAN], tmp_path / "out", formats=["pdf", "xlsx"], form="goals")
    assert report.errors == 0
    (pdf,) = (tmp_path / "out").rglob("*.pdf")
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    text = "".join(reader.pages[0].extract_text().split())
    printed = _printed()
    for expected in (
        printed["form_title_as_printed"],
        printed["project_name"],
        *printed["indicator_header_as_printed"],
        "财政部门审核意见",
        "单位负责人签字",
    ):
        assert expected in text, expected


def test_rollover_drops_this_years_review_and_keeps_the_spring_parts() -> None:
    from ruamel.yaml import YAML

    from selfeval_compiler.authoring.rollover import roll_spec

    data = YAML().load(SHAPES_SPEC)
    roll_spec(data, 2025)
    assert "review" not in data
    assert data["year"] == 2025
    assert {"costs", "funds_levels", "period_indicators"} <= set(data)


def test_an_amount_with_more_places_than_the_form_shows_prints_in_full(tmp_path: Path) -> None:
    text = XIANGTAN.read_text("utf-8").replace("{initial: 250}", "{initial: 250.5}")
    text = text.replace("{local: 250, upper: 0}", "{upper: 0}")
    text = text.replace("../profiles/hunan-xiangtan-goals.profile.yaml", "xiangtan.profile.yaml")
    profile = (REPO / "examples" / "profiles" / "hunan-xiangtan-goals.profile.yaml").read_text()
    form = present_goals(_form(_project(tmp_path, text, profile, "xiangtan.profile.yaml")))
    # 万元 with no places on the 湘潭 form: 250 prints 250, 250.5 is never rounded to 251.
    assert form.amounts == (("local", "250.5"), ("upper", "0"))


def test_the_funds_block_without_the_project_column(tmp_path: Path) -> None:
    profile = SHAPES_PROFILE.replace("  funds_layout: levels\n", "  funds_project_column: false\n")
    text = SHAPES_SPEC.replace("project_funds: {total: 900, fiscal: 900, other: 0}\n", "")
    path = _project(tmp_path, text, profile)
    assert _compiled(path).diagnostics == []  # no 项目资金总额 printed, none asked for
    form = present_goals(_form(path))
    assert [(p.project_label, p.project_amount, p.annual_label) for p in form.funds] == [
        ("", "", "年度资金申请总额"),
        ("", "", "其中：当年财政拨款"),
        ("", "", "上年结转资金"),
        ("", "", "其他资金"),
    ]
    body = render_html(form, None, GOALS_TEMPLATE)
    assert "项目资金总额" not in body[body.index("<body>") :]
    assert '<td colspan="4" class="num">300.00</td>' in body
    sheet = openpyxl.load_workbook(io.BytesIO(goals_to_xlsx(form, None))).active
    assert sheet is not None
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "项目资金总额" not in cells
    assert "年度资金申请总额" in cells


@pytest.mark.parametrize("parts", ["[expected]", "[expected, overall]"])
def test_side_by_side_goals_print_the_parts_the_profile_lists(tmp_path: Path, parts: str) -> None:
    profile = SHAPES_PROFILE.replace("goals_layout: rows", "goals_layout: columns")
    profile = profile.replace(
        "  empty_rows: true\n", f"  empty_rows: true\n  goals_parts: {parts}\n"
    )
    form = present_goals(_form(_project(tmp_path, profile=profile)))
    body = render_html(form, None, GOALS_TEMPLATE)
    headings = re.findall(r"<th[^>]*>([^<]*)</th>", body)
    shown = [text for text in headings if text in ("项目总体目标", "年度总体目标")]
    assert shown == [
        {"overall": "项目总体目标", "expected": "年度总体目标"}[p] for p in form.goals_parts
    ]
    assert body.index("本年城区主干道") < body.index("</table>")


def test_the_spring_summary_counts_indicators_not_empty_rows() -> None:
    from selfeval_compiler.summary.collect import goals_row_of

    data = goals_to_dict(present_goals(_form(XIANGTAN)))
    row = goals_row_of(data, "realforms", "xiangtan.json")
    assert row.indicators == sum(r["level3"] is not None for r in _printed()["indicators"])


def test_every_goals_form_option_has_a_chinese_title_and_description() -> None:
    schema = json.loads((REPO / "schema" / "profile.schema.json").read_text("utf-8"))
    goals = schema["properties"]["goals_form"]
    options = [("goals_form", goals), *goals["properties"].items()]
    options += [(f"labels.{k}", v) for k, v in goals["properties"]["labels"]["properties"].items()]
    assert len(options) > 50
    for path, option in options:
        for part in ("title", "description"):
            text = option.get(part, "")
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), f"{path}: no Chinese {part}"


def test_a_period_without_dates_prints_blank_and_is_warned_about(tmp_path: Path) -> None:
    text = SHAPES_SPEC.replace('start_date: "2024.01"\nend_date: "2026.12"\n', "")
    path = _project(tmp_path, text)
    assert present_goals(_form(path)).period == ""  # not a lone "—"
    assert [code for code, _ in _found(path)] == ["SE412", "SE413"]


APPROVAL_PROFILE = """\
name: approval
extends: mof-2020
goals_form:
  indicator_columns: [level1, level2, name, target, unit, weight, explanation]
"""


def test_weights_and_measures_set_at_approval_print_as_written(tmp_path: Path) -> None:
    example = (REPO / "examples" / "goals" / "chaiwei-2026.yaml").read_text("utf-8")
    text = example.replace("project_nature:", "profile: shapes.profile.yaml\nproject_nature:")
    text = text.replace(
        "{name: 完成年度拆违计划, target: =100.00(%)}",
        "{name: 完成年度拆违计划, target: =100.00(%), weight: 20, unit: '%', explanation: 按计划}",
    ).replace(
        "{name: 违法建筑销项正确率, target: =100.00(%)}",
        "{name: 违法建筑销项正确率, target: =100.00(%), weight: 20.00, unit: '%',"
        " explanation: 抽查}",
    )
    path = _project(tmp_path, text, APPROVAL_PROFILE)
    form = present_goals(_form(path))
    assert [c.label for c in form.indicator_columns][4:] == ["度量单位", "分值", "指标解释"]
    shown = {line.name: (line.text("unit"), line.text("weight")) for line in form.indicators}
    assert shown["完成年度拆违计划"] == ("%", "20")
    assert shown["违法建筑销项正确率"] == ("%", "20.00")  # as the unit wrote each
    blank = [d for d in _compiled(path).diagnostics if d.code == "SE422"]
    # Six rows lack all three: each missing cell named in the form's words.
    assert len(blank) == 3 * (len(form.indicators) - 2)
    assert any("“分值（成本指标 / 经济成本指标 / 成本控制合理性）”" in d.message_zh for d in blank)
    assert any("“度量单位（" in d.message_zh for d in blank)
    sheet = openpyxl.load_workbook(io.BytesIO(goals_to_xlsx(form, None))).active
    assert sheet is not None
    header = next(c.row for c in sheet["G"] if c.value == "分值")
    numbers = [c for c in sheet["G"][header:] if isinstance(c.value, int | float)]
    assert [c.value for c in numbers] == [20, 20]
    assert [c.number_format for c in numbers] == ["0", "0.00"]

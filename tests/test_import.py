"""``selfeval import``: published forms back into specs that build to the same figures.

Round trips from the seed (bundle PDF, xlsx, HTML), a workbook in the Anhui WPS layout from
the real-form transcription, a genuine ``.xls``, and how the layouts' variants are read.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import REPO, SEED_FOLDER, run_cli
from openpyxl.styles import Alignment

from selfeval_compiler import api
from selfeval_compiler.importers.grid import Cell, Grid
from selfeval_compiler.importers.recognise import read_forms
from selfeval_compiler.importers.vocabulary import Vocabulary

SEED = SEED_FOLDER
FIGURES = ("funds", "indicators", "total", "grade", "project", "department", "unit", "year")


def _figures(build: Path) -> dict[str, dict[str, Any]]:
    """Each built form's JSON figures, by project name."""
    found = {}
    for path in sorted(build.rglob("*.json")):
        if path.name.startswith("."):
            continue
        data = json.loads(path.read_text("utf-8"))
        found[data["project"]] = {key: data.get(key) for key in FIGURES}
    return found


def _import_and_build(tmp: Path, files: list[Path], profile: str | None) -> dict[str, Any]:
    specs = tmp / "imported"
    report = api.import_forms(files, specs, profile=profile)
    assert report.errors == 0, [d.message_en for d in report.diagnostics]
    assert report.warnings == 0, [d.message_en for d in report.diagnostics]
    built = api.build([specs], tmp / "rebuilt", formats=["json"])
    assert built.errors == 0, [d.message_en for d in built.diagnostics]
    return _figures(tmp / "rebuilt")


@pytest.fixture(scope="module")
def seed_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("seed-all")
    report = api.build([SEED], output, formats=["json", "pdf", "html", "xlsx"])
    assert report.errors == 0
    return output


def test_seed_bundle_pdf_imports_to_the_same_figures(seed_outputs: Path, tmp_path: Path) -> None:
    bundle = next(seed_outputs.rglob("_combined.pdf"))
    figures = _import_and_build(tmp_path, [bundle], "shanghai-municipal")
    expected = _figures(seed_outputs)
    assert len(expected) == 5
    assert figures == expected


def test_a_pdf_named_xlsx_is_read_as_a_pdf(seed_outputs: Path, tmp_path: Path) -> None:
    """A file's kind is told by its bytes, not its name (#19)."""
    renamed = tmp_path / "自评表.xlsx"
    shutil.copy(next(seed_outputs.rglob("_combined.pdf")), renamed)
    report = api.import_forms([renamed], tmp_path / "specs", profile="shanghai-municipal")
    assert report.errors == 0, [d.message_en for d in report.diagnostics]
    assert len(report.files[0].forms) == 5


def test_seed_workbooks_import_to_the_same_figures(seed_outputs: Path, tmp_path: Path) -> None:
    workbooks = sorted(p for p in seed_outputs.rglob("*.xlsx") if p.name != "_combined.xlsx")
    assert len(workbooks) == 5
    assert _import_and_build(tmp_path, workbooks, "shanghai-municipal") == _figures(seed_outputs)


def test_pdf_html_and_xlsx_give_the_same_specs(seed_outputs: Path, tmp_path: Path) -> None:
    """The three renderings of one form read back to the same spec, line for line (the
    layout's even wrapping, soft wraps in the PDF and number formats all undone)."""
    form = "01-jiguan-fuwufei"
    texts = []
    for suffix in ("pdf", "html", "xlsx"):
        source = next(seed_outputs.rglob(f"{form}.{suffix}"))
        out = tmp_path / suffix
        api.import_forms([source], out, profile="shanghai-municipal")
        (spec,) = out.glob("*.yaml")
        texts.append(spec.read_text("utf-8").split("\n", 3)[3])  # after modeline and origin
    assert texts[0] == texts[1] == texts[2]
    assert "project: 机关服务费\n" in texts[0]
    assert (
        "total: {initial: 14.00, annual: 14.00, executed: 12.51, rate: 89.35, score: 8.93}"
        in (texts[0])
    )


def test_default_profile_flags_the_shanghai_truncation(seed_outputs: Path, tmp_path: Path) -> None:
    """Imported under the MoF rules (half-up), the Shanghai form's truncated 89.35 is not what
    the rules give: check says so, on the printed field, instead of hiding it."""
    source = next(seed_outputs.rglob("01-jiguan-fuwufei.xlsx"))
    api.import_forms([source], tmp_path / "specs")
    report = api.check([tmp_path / "specs"])
    (spec,) = (tmp_path / "specs").glob("*.yaml")
    line = (
        spec.read_text("utf-8")
        .split("\n")
        .index(
            next(
                text for text in spec.read_text("utf-8").split("\n") if text.startswith("  total:")
            )
        )
        + 1
    )
    found = sorted((d.code, d.location.line, d.args.get("written")) for d in report.diagnostics)
    assert ("SE407", line, Decimal("89.35")) in found
    assert ("SE407", line, Decimal("8.93")) in found


# --- a workbook in another region's layout ----------------------------------------------


def chizhou_workbook(path: Path) -> Path:
    """The Anhui 池州 form as its WPS export lays it out (tests/data/realforms): a 附件 line,
    the title and year in merged rows, code-prefixed names, 本年财政拨款, a 年度资金总额 row
    printed 0/0/0 while the sub-row holds the money, 一级 labels with their points, amounts
    with three decimals stored as numbers, and an empty 经济效益指标 row."""
    data = json.loads(
        (REPO / "tests/data/realforms/ah_chizhou_tangxi_2022_weituo.json").read_text()
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    wrap = Alignment(wrap_text=True)

    def put(cell: str, value: Any, merge: str | None = None, fmt: str | None = None) -> None:
        sheet[cell] = value
        sheet[cell].alignment = wrap
        if fmt:
            sheet[cell].number_format = fmt
        if merge:
            sheet.merge_cells(f"{cell}:{merge}")

    put("A1", "附件:")
    put("A2", "项目支出绩效自评表", "H2")
    put("A3", "(2022年度)", "H3")
    put("A4", "项目名称", None)
    put("B4", data["project_name"], "H4")
    put("A5", "主管部门")
    put("B5", data["department"], "D5")
    put("E5", "实施单位")
    put("F5", data["unit"], "H5")
    put("A6", "项目资金\n(万元)", "A9")
    for column, label in zip(
        "CDEFGH", ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], strict=True
    ):
        put(f"{column}6", label)
    put("B7", "年度资金总额:")
    for column, value in zip("CDEFGH", [0, 0, 0, 10, 0, 0], strict=True):
        put(f"{column}7", value, fmt="0%" if column == "G" else "General")
    put("B8", "其中:本年财政拨款")
    put("C8", 90)
    put("D8", 89.974, fmt="0.000")
    put("E8", 89.974, fmt="0.000")
    for column in "FGH":
        put(f"{column}8", "—")
    put("B9", "上年结转资金")
    put("B10", "其他资金")
    sheet.merge_cells("A6:A10")
    put("A11", "年度\n总体\n目标", "A12")
    put("B11", "预期目标", "D11")
    put("E11", "实际完成情况", "H11")
    put("B12", data["goals"]["expected"], "D12")
    put("E12", data["goals"]["actual"], "H12")
    put("A13", "绩效指标", None)
    for column, label in zip(
        "ABCDEFGH",
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        strict=True,
    ):
        put(f"{column}13", label)
    _chizhou_indicators(sheet, data["indicators"])
    book.save(path)
    return path


def _chizhou_indicators(sheet: Any, indicators: list[dict[str, Any]]) -> None:
    """One row per captured indicator (and the empty row), 一级 cells merged down."""
    row = 14
    starts: dict[str, list[int]] = {}
    for item in indicators:
        if "note" in item and item.get("level3") is not None:
            continue  # the 满意度 row the transcription could not capture
        starts.setdefault(item["level1"], []).append(row)
        sheet[f"A{row}"] = item["level1"]
        sheet[f"B{row}"] = item["level2"]
        if item.get("level3"):
            values = [item["level3"], item["target"], item["actual"]]
            values += [int(item["weight"]), int(item["score"])]
            for column, value in zip("CDEFG", values, strict=True):
                sheet[f"{column}{row}"] = value
        row += 1
    for rows in starts.values():
        for other in rows[1:]:
            sheet[f"A{other}"] = None
        if len(rows) > 1:
            sheet.merge_cells(f"A{rows[0]}:A{rows[-1]}")


def test_anhui_wps_workbook_imports_and_check_flags_its_printed_total(tmp_path: Path) -> None:
    workbook = chizhou_workbook(tmp_path / "池州 自评表.xlsx")
    specs = tmp_path / "specs"
    specs.mkdir()
    profile = specs / "anhui-chizhou.profile.yaml"  # reads stay inside the spec folder
    shutil.copy(REPO / "examples/profiles/anhui-chizhou.profile.yaml", profile)
    report = api.import_forms([workbook], specs, profile=str(profile))
    assert report.errors == 0
    spec = specs / "01-委托业务项目.yaml"
    text = spec.read_text("utf-8")
    assert "department: 池州市贵池区棠溪镇人民政府   # 原表名称前的编码 219\n" in text
    assert "unit: 池州市贵池区棠溪镇人民政府   # 原表名称前的编码 219001\n" in text
    assert "current_year: {initial: 90, annual: 89.974, executed: 89.974}" in text
    assert "total: {initial: 0, annual: 0, executed: 0, rate: 0, score: 0}" in text
    assert "  产出指标:\n" in text  # the (50分) of the label is the layout's, not the name's
    assert "    经济效益指标: []" in text
    assert '{name: 委托业务报告合格率, target: ≥100百分比, actual: "100", weight: 8}' in text
    assert "profile: anhui-chizhou.profile.yaml\n" in text
    checked = api.check([specs])
    codes = sorted((d.code, d.args.get("written")) for d in checked.diagnostics)
    assert codes.count(("SE404", Decimal(0))) == 3  # 年初预算数, 全年预算数, 全年执行数
    assert ("SE407", Decimal(0)) in codes  # 执行率 printed 0, the rules give 100
    assert sum(code == "SE407" for code, _ in codes) == 2  # and the budget-execution score


def test_a_genuine_xls_is_read_with_its_merged_cells(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt", reason="xlwt writes the .xls fixture (test extra)")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("项目支出绩效自评表")
    sheet.write_merge(0, 0, 0, 7, "项目支出绩效自评表（2021年度）")
    sheet.write(1, 0, "项目名称")
    sheet.write_merge(1, 1, 1, 7, "[173]老旧设备更新")
    sheet.write(2, 0, "主管部门")
    sheet.write_merge(2, 2, 1, 3, "某局")
    sheet.write(2, 4, "实施单位")
    sheet.write_merge(2, 2, 5, 7, "某中心")
    sheet.write_merge(3, 6, 0, 0, "项目资金（元）")
    for column, label in enumerate(
        ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], 2
    ):
        sheet.write(3, column, label)
    sheet.write(4, 1, "年度资金总额")
    for column, value in enumerate([200000, 180000, 171000, 10, 0.95, 9.5], 2):
        sheet.write(4, column, value)
    sheet.write(5, 1, "其中：当年财政拨款")
    for column, value in enumerate([200000, 180000, 171000], 2):
        sheet.write(5, column, value)
    sheet.write_merge(7, 8, 0, 0, "年度总体目标")
    sheet.write_merge(7, 7, 1, 3, "预期目标")
    sheet.write_merge(7, 7, 4, 7, "实际完成情况")
    sheet.write_merge(8, 8, 1, 3, "更新设备 20 台。")
    sheet.write_merge(8, 8, 4, 7, "更新设备 19 台。")
    header = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    for column, label in enumerate(header):
        sheet.write(9, column, label)
    sheet.write_merge(10, 11, 0, 0, "产出指标")
    sheet.write(10, 1, "数量指标")
    sheet.write(10, 2, "更新设备数量")
    sheet.write(10, 3, "≥20台")
    sheet.write(10, 4, "19台")
    sheet.write(10, 5, 50)
    sheet.write(10, 6, 47.5)
    sheet.write(10, 7, "一台延期到货")
    sheet.write(11, 1, "质量指标")
    sheet.write(11, 2, "验收合格率")
    sheet.write(11, 3, "100%")
    sheet.write(11, 4, "达成指标")
    sheet.write(11, 5, 40)
    sheet.write(11, 6, 40)
    sheet.write_merge(12, 12, 0, 4, "总分")
    sheet.write(12, 5, 100)
    sheet.write(12, 6, 97)
    path = tmp_path / "old.xls"
    book.save(str(path))
    specs = tmp_path / "specs"
    profile = specs / "shanghai-district.profile.yaml"  # reads stay inside the spec folder
    specs.mkdir()
    shutil.copy(REPO / "examples/profiles/shanghai-district.profile.yaml", profile)
    report = api.import_forms([path], specs, profile=str(profile))
    assert report.errors == 0, [d.message_en for d in report.diagnostics]
    text = next(specs.glob("*.yaml")).read_text("utf-8")
    assert "year: 2021\n" in text
    assert "project: 老旧设备更新   # 原表名称前的编码 173\n" in text
    # calamine gives no number formats: a bare 0.95 under 执行率 is a fraction (171000/180000)
    assert (
        "total: {initial: 200000, annual: 180000, executed: 171000, rate: 95, score: 9.5}" in text
    )
    missed = "{name: 更新设备数量, target: ≥20台, actual: 19台, weight: 50, score: 47.5, "
    assert missed + "deviation: 一台延期到货}" in text
    assert "{name: 验收合格率, target: 100%, actual: 达成指标, weight: 40}" in text  # score implied
    assert "total: 97   # " in text


# --- reading the layouts' variants -------------------------------------------------------


def _grid(rows: list[list[str]]) -> Grid:
    grid = Grid("test")
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is not None:
                grid.add(Cell(r, c, value))
    return grid


def test_labels_are_found_wherever_the_blocks_sit() -> None:
    """An extra column on the left, a title block above, 执行率 as text with %, an indicator
    header in the A/B variant, a placeholder row and a numbered name."""
    grid = _grid(
        [
            ["", "附件1"],
            ["", "部门预算项目支出绩效自评表(2023年度)"],
            ["", "填报单位：某局", "", "", "金额单位：万元"],
            ["", "项目名称", "51000021R000000019951-项目", "", "", "", "", ""],
            ["", "主管部门及代码", "[101]某局", "", "实施单位", "101001-某站"],
            [
                "",
                "项目资金",
                "",
                "年初预算数",
                "全年预算数（A）",
                "全年执行数（B）",
                "分值",
                "执行率（B/A）",
                "得分",
            ],
            ["", "", "年度资金总额", "10", "10", "8.5", "10", "85.00%", "8.5"],
            ["", "", "其中：财政资金", "10", "10", "8.5", "/", "85.00%", "/"],
            ["", "年度总体目标", "预期目标", "", "", "实际完成情况"],
            ["", "", '"甲\n乙"', "", "", "甲乙完成"],
            [
                "",
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值（A）",
                "实际完成值（B）",
                "分值",
                "得分",
                "未完成原因分析",
            ],
            [
                "",
                "产出指标(50分)",
                "数量指标",
                "指标1培训人次",
                "≥20人次",
                "25人次",
                "50",
                "50",
                "",
            ],
            ["", "", "", "指标2", "", "", "", "", ""],
            ["", "满意度指标（续）", "满意度指标", "满意度", "≥90%", "95%", "40", "40", "—"],
            ["", "总分", "", "", "", "", "100", "98.5", ""],
            ["", "评分等级", "优"],
        ]
    )
    (form,) = read_forms(grid, Vocabulary())
    assert (form.year, form.project, form.department, form.unit) == (2023, "项目", "某局", "某站")
    assert form.codes == {"project": "51000021R000000019951", "department": "101", "unit": "101001"}
    assert form.amount_unit == "万元"
    assert form.funds["total"].values == {
        "initial": Decimal(10),
        "annual": Decimal(10),
        "executed": Decimal("8.5"),
        "weight": Decimal(10),
        "rate": Decimal("85.00"),
        "score": Decimal("8.5"),
    }
    assert form.expected == "甲\n乙"
    assert form.actual == "甲乙完成"
    names = [(i.level1, i.level2, i.name) for i in form.indicators]
    assert names == [("产出指标", "数量指标", "培训人次"), ("满意度指标", "满意度指标", "满意度")]
    assert (form.total, form.total_weight, form.grade) == (Decimal("98.5"), Decimal(100), "优")
    assert any("指标1" in note.zh for note in form.notes)


def test_a_printed_weight_total_that_is_not_the_sum_is_noted() -> None:
    """The Zhongjiang form prints 分值 100 under weights that add up to 110."""
    rows = [
        ["项目名称", "甲"],
        ["项目资金（万元）", "", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "年度资金总额", "1", "1", "10", "100%", "10"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "甲", "1个", "1个", "60", "60"],
        ["效益指标", "社会效益指标", "乙", "好", "好", "40", "40"],
        ["总分", "", "", "", "", "100", "100"],
    ]
    (form,) = read_forms(_grid(rows), Vocabulary())
    assert [n.zh for n in form.notes if "总分一行" in n.zh] == [
        "总分一行印的分值 100 与各项分值之和 110 不符"
    ]
    rows[5][5] = rows[5][6] = "30"
    (form,) = read_forms(_grid(rows), Vocabulary())
    assert not [n for n in form.notes if "总分一行" in n.zh]


def test_several_forms_on_one_sheet_are_read_in_order() -> None:
    one = [
        ["项目支出绩效自评表"],
        ["项目名称", "甲"],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数"],
        ["", "其中：当年财政拨款", "1", "1", "1"],
    ]
    two = [row[:] for row in one]
    two[1][1] = "乙"
    forms = read_forms(_grid([*one, [""], *two]), Vocabulary())
    assert [f.project for f in forms] == ["甲", "乙"]


def test_import_never_overwrites_without_force(seed_outputs: Path, tmp_path: Path) -> None:
    source = next(seed_outputs.rglob("01-jiguan-fuwufei.xlsx"))
    specs = tmp_path / "specs"
    api.import_forms([source], specs)
    (spec,) = specs.glob("*.yaml")
    spec.write_text("# mine\n", "utf-8")
    again = api.import_forms([source], specs)
    assert [d.code for d in again.diagnostics] == ["SE605"]
    assert spec.read_text("utf-8") == "# mine\n"
    forced = api.import_forms([source], specs, force=True)
    assert forced.errors == 0
    assert spec.read_text("utf-8").startswith("# 编辑器提示")  # outside a repository


def test_cli_reports_per_file_and_exits_on_errors(seed_outputs: Path, tmp_path: Path) -> None:
    source = next(seed_outputs.rglob("02-kaiban-jingfei.xlsx"))
    bogus = tmp_path / "notes.pdf"
    bogus.write_bytes(b"%PDF-1.4\nnot really a pdf")
    copied = tmp_path / "自评 表.xlsx"
    shutil.copy(source, copied)
    result = run_cli("import", str(copied), str(bogus), "-o", str(tmp_path / "out"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "自评 表.xlsx：1 张表" in result.stdout
    assert "01-开办经费.yaml" in result.stdout
    assert "SE601" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert (tmp_path / "out" / "01-开办经费.yaml").is_file()


# --- the folder workbook and the xlsx round trip over generated specs -------------------


def test_folder_workbook_lists_every_form_and_imports_back(
    seed_outputs: Path, tmp_path: Path
) -> None:
    combined = next(seed_outputs.rglob("_combined.xlsx"))
    book = openpyxl.load_workbook(combined)
    assert book.sheetnames[0] == "清单"
    assert len(book.sheetnames) == 6
    listing = book["清单"]
    rows = [[c.value for c in row] for row in listing.iter_rows(min_row=3, max_row=7)]
    assert rows[0][:8] == [
        1,
        "机关服务费",
        "上海市人民政府驻新疆办事处",
        14,
        12.51,
        89.35,
        98.93,
        "优",
    ]
    assert rows[0][8] == "01 机关服务费"
    assert listing["F3"].number_format == "0.00"
    assert [r[7] for r in rows] == ["优"] * 5  # five projects, all 优
    figures = _import_and_build(tmp_path, [combined], "shanghai-municipal")
    assert figures == _figures(seed_outputs)


def test_folder_workbook_is_byte_identical_across_builds(tmp_path: Path) -> None:
    for name in ("one", "two"):
        assert api.build([SEED], tmp_path / name, formats=["xlsx"]).errors == 0
    first = (tmp_path / "one/shanghai-xinjiang-office/_combined.xlsx").read_bytes()
    assert first == (tmp_path / "two/shanghai-xinjiang-office/_combined.xlsx").read_bytes()


# --- other regions' layouts read back --------------------------------------------------

REGIONAL = ["anhui-chizhou", "hebei-langfang", "sichuan-zhongjiang", "sichuan"]


@pytest.mark.parametrize("profile", REGIONAL)
def test_regional_layouts_read_back_to_the_same_figures(profile: str, tmp_path: Path) -> None:
    """The seed forms printed under another region's layout (its columns, rows, labels,
    glyphs, points in 一级 labels, blank untouched rows), imported from each format with that
    profile, build to the same figures."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "examples/profiles", project / "profiles")
    (project / "selfeval.toml").write_text("", "utf-8")
    specs = project / "specs"
    specs.mkdir()
    for spec in SEED.glob("0*.yaml"):
        shutil.copy(spec, specs)
    defaults = (SEED / "_defaults.yaml").read_text("utf-8")
    defaults = defaults.replace(
        "profile: shanghai-municipal", f"profile: ../profiles/{profile}.profile.yaml"
    )
    (specs / "_defaults.yaml").write_text(defaults, "utf-8")
    built = api.build([specs], project / "out", formats=["pdf", "xlsx", "html", "json"])
    expected = _figures(project / "out")
    assert expected, [d.message_en for d in built.diagnostics]
    chosen = str(project / "profiles" / f"{profile}.profile.yaml")
    for suffix in ("pdf", "xlsx", "html"):
        sources = sorted((project / "out").glob(f"0*.{suffix}"))
        imported = project / f"imported-{suffix}"
        report = api.import_forms(sources, imported, profile=chosen)
        assert report.errors == 0, [d.message_en for d in report.diagnostics]
        api.build([imported], project / f"rebuilt-{suffix}", formats=["json"])
        assert _figures(project / f"rebuilt-{suffix}") == expected, suffix


def test_a_form_that_prints_one_funds_row_reads_its_money_there(tmp_path: Path) -> None:
    """The Hubei district layout prints only 年度财政资金总额 (no sub-rows, no 年初预算数) and
    scores indicators out of 100 scaled to 80: the one row is the money, and the figures
    come back the same from PDF and xlsx. (The published form prints scores only, which
    cannot give the weights back: here its table keeps the 分值 column and a goals block.)"""
    project = tmp_path / "project"
    shutil.copytree(REPO / "examples/profiles", project / "profiles")
    (project / "profiles" / "hubei-weights.profile.yaml").write_text(
        "extends: hubei-district.profile.yaml\nlayout:\n"
        "  blocks: [header, basic, funds, goals, indicators, total, footnotes]\n"
        "  indicator_columns: [level1, level2, name, target, actual, weight, score, deviation]\n"
        "  indicator_heading: none\n",
        "utf-8",
    )
    (project / "selfeval.toml").write_text("", "utf-8")
    (project / "specs").mkdir()
    text = (REPO / "examples/realforms/hubei-district-commerce-2020.yaml").read_text("utf-8")
    text = text.replace("  total: {rate: 100, score: 20}\n", "").replace("\ntotal: 100\n", "\n")
    text = text.replace("hubei-district.profile.yaml", "hubei-weights.profile.yaml")
    text += "goals: {expected: 支持服务贸易发展。, actual: 已完成。}\n"
    (project / "specs" / "hubei.yaml").write_text(text)
    assert api.build([project / "specs"], project / "out", formats=["pdf", "xlsx"]).errors == 0
    built = api.build([project / "specs"], project / "out", formats=["pdf", "xlsx", "json"])
    expected = _figures(project / "out")
    chosen = str(project / "profiles/hubei-weights.profile.yaml")
    for suffix in ("pdf", "xlsx"):
        imported = project / f"imported-{suffix}"
        api.import_forms([project / "out" / f"hubei.{suffix}"], imported, profile=chosen)
        text = next(imported.glob("*.yaml")).read_text("utf-8")
        assert "current_year: {initial: 285.84, annual: 285.84, executed: 285.84}" in text
        assert "total: {rate: 100, score: 20}" in text
        api.build([imported], project / f"rebuilt-{suffix}", formats=["json"])
        assert _figures(project / f"rebuilt-{suffix}") == expected, (suffix, built.errors)


def test_amounts_are_converted_exactly_to_the_profiles_unit(
    seed_outputs: Path, tmp_path: Path
) -> None:
    """A 万元 form imported under a 元 profile: every amount × 10000, exactly, and said so."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "examples/profiles", project / "profiles")
    (project / "selfeval.toml").write_text("", "utf-8")
    source = next(seed_outputs.rglob("01-jiguan-fuwufei.xlsx"))
    chosen = str(project / "profiles/shanghai-district.profile.yaml")
    api.import_forms([source], project / "specs", profile=chosen)
    text = next((project / "specs").glob("*.yaml")).read_text("utf-8")
    assert "# 原表金额单位为万元，已按评分规则的元换算" in text
    assert "current_year: {initial: 140000.00, annual: 140000.00, executed: 125100.00}" in text
    assert "funds:                      # 项目资金（元）" in text


_WEB_PAGE_ROWS = [
    "<tr><td colspan=8 class=xl65>项目支出绩效自评表</td></tr>",
    "<tr><td colspan=8>（2022年度）</td></tr>",
    "<tr><td>项目名称</td><td colspan=7>老年助餐补贴</td></tr>",
    "<tr><td>主管部门</td><td colspan=3>某民政局</td>"
    "<td>实施单位</td><td colspan=3>某街道</td></tr>",
    "<tr><td rowspan=3>项目资金<br style='mso-data-placement:same-cell'>（万元）</td><td></td>"
    "<td>年初预算数</td><td>全年预算数</td><td>全年执行数</td><td>分值</td><td>执行率</td>"
    "<td>得分</td></tr>",
    "<tr><td>年度资金总额</td><td x:num>50</td><td>50.00</td><td>45.00</td><td>10</td>"
    "<td>90.00%</td><td>9.00</td></tr>",
    "<tr><td>其中：当年财政拨款</td><td>50.00</td><td>50.00</td><td>45.00</td><td>—</td>"
    "<td>90.00%</td><td>—</td></tr>",
    "<tr><td rowspan=2>年度总体目标</td><td colspan=3>预期目标</td>"
    "<td colspan=4>实际完成情况</td></tr>",
    "<tr><td colspan=3>1.助餐点 10 个；<br style='mso-data-placement:same-cell'>"
    "2.服务 5000 人次。</td>"
    "<td colspan=4>完成&nbsp;10&nbsp;个助餐点。</td></tr>",
    "<tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>年度指标值</td><td>实际完成值</td>"
    "<td>分值</td><td>得分</td><td>偏差原因分析及改进措施</td></tr>",
    "<tr><td rowspan=2>产出指标</td><td>数量指标</td><td>助餐点数量</td><td>≥10个</td>"
    "<td>10个</td><td>50</td><td>50</td><td></td></tr>",
    "<tr><td>质量指标</td><td>服务人次</td><td>≥5000人次</td><td>4500人次</td><td>40</td>"
    "<td>36</td><td>冬季就餐减少</td></tr>",
    "<tr><td colspan=5>总分</td><td>100</td><td>95</td><td></td></tr>",
]
"""An Excel web page of one form, row by row (GB2312 on a Chinese system)."""


def test_an_excel_web_page_in_gb2312_imports(tmp_path: Path) -> None:
    """Excel's "save as web page" on a Chinese system: GB2312, the title inside the table,
    ``<br style='mso-data-placement:same-cell'>`` for a line break, ``&nbsp;`` padding."""
    rows = _WEB_PAGE_ROWS
    page = (
        "<html><head><meta http-equiv=Content-Type content='text/html; charset=gb2312'>"
        "<style>.xl65 {font-weight:700}</style></head><body><table>"
        + "".join(rows)
        + "</table></body></html>"
    )
    path = tmp_path / "sheet001.htm"
    path.write_bytes(page.encode("gb18030"))  # what Windows writes for gb2312 (— included)
    report = api.import_forms([path], tmp_path / "specs")
    assert report.errors == 0, [d.message_en for d in report.diagnostics]
    text = next((tmp_path / "specs").glob("*.yaml")).read_text("utf-8")
    assert "project: 老年助餐补贴\n" in text
    assert "year: 2022\n" in text
    assert "total: {initial: 50, annual: 50.00, executed: 45.00, rate: 90.00, score: 9.00}" in text
    assert "  expected: |-\n    1.助餐点 10 个；\n    2.服务 5000 人次。\n" in text
    assert "完成 10 个助餐点。" in text
    assert "{name: 服务人次, target: ≥5000人次, actual: 4500人次, weight: 40, score: 36" in text
    checked = api.check([tmp_path / "specs"])
    assert checked.errors == 0, [d.message_en for d in checked.diagnostics]


def test_a_web_pages_goal_keeps_its_paragraph_indent(tmp_path: Path) -> None:
    """Excel indents a goal's paragraphs with &nbsp; or ideographic spaces: the spec keeps
    that indent (the page's own layout whitespace is still dropped, and runs inside a line
    still fold to one space)."""
    goals = _WEB_PAGE_ROWS.index(
        "<tr><td colspan=3>1.助餐点 10 个；<br style='mso-data-placement:same-cell'>"
        "2.服务 5000 人次。</td>"
        "<td colspan=4>完成&nbsp;10&nbsp;个助餐点。</td></tr>"
    )
    rows = list(_WEB_PAGE_ROWS)
    rows[goals] = (
        "<tr><td colspan=3>\n  &nbsp;&nbsp;1.助餐点 10 个；"
        "<br style='mso-data-placement:same-cell'>"
        "\n  &nbsp;&nbsp;2.服务&nbsp;&nbsp;5000 人次。</td>"
        "<td colspan=4>\u3000\u3000完成&nbsp;10&nbsp;个助餐点。</td></tr>"
    )
    page = (
        "<html><head><meta charset=utf-8></head><body><table>" + "".join(rows) + "</table>"
        "</body></html>"
    )
    path = tmp_path / "sheet001.htm"
    path.write_bytes(page.encode("utf-8"))
    report = api.import_forms([path], tmp_path / "specs")
    assert report.errors == 0, [d.message_en for d in report.diagnostics]
    text = next((tmp_path / "specs").glob("*.yaml")).read_text("utf-8")
    checked = api.check([tmp_path / "specs"])
    assert checked.errors == 0, [d.message_en for d in checked.diagnostics]
    (spec,) = [c.form.spec for c in api.check([tmp_path / "specs"]).compiled if c.form]
    assert spec.goals.expected == "  1.助餐点 10 个；\n  2.服务 5000 人次。"
    assert spec.goals.actual == "\u3000\u3000完成 10 个助餐点。"
    assert "project: 老年助餐补贴\n" in text  # single values are still stripped


def test_header_words_with_units_and_other_names_are_read() -> None:
    grid = _grid(
        [
            ["项目名称", "甲项目"],
            ["项目资金（元）", "", "预算数", "执行数", "权重(分)", "执行率(%)", "得分(分)"],
            ["", "合计", "100", "80", "10", "80", "8"],
            ["", "财政资金", "100", "80", "", "80", ""],
            ["一级指标", "二级指标", "指标名称", "指标值", "完成值", "权重(分)", "自评得分"],
            ["产出指标", "数量指标", "人次", "≥10人次", "8人次", "90", "72"],
        ]
    )
    (form,) = read_forms(grid, Vocabulary())
    assert form.amount_unit == "元"
    assert form.funds["total"].values["weight"] == Decimal(10)
    assert form.funds["current_year"].values == {
        "annual": Decimal(100),
        "executed": Decimal(80),
        "rate": Decimal(80),
    }
    (item,) = form.indicators
    assert (item.name, item.target, item.actual, item.weight, item.score) == (
        "人次",
        "≥10人次",
        "8人次",
        Decimal(90),
        Decimal(72),
    )

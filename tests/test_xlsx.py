"""build --format xlsx (#12, export part): the official grid in a workbook, read back with
openpyxl: merges, numbers stored as numbers with the printed precision, print setup, and
byte-identical workbooks across builds."""

from __future__ import annotations

import copy
import io
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO, SEED_FOLDER
from helpers import BASE, compile_one

from selfeval_compiler import api
from selfeval_compiler.diagnostics import Location
from selfeval_compiler.forms.self_evaluation import SelfEvaluationForm, present
from selfeval_compiler.outputs.render import render_form
from selfeval_compiler.rules.scoring import ScoredForm

SPEC_FILES = sorted(SEED_FOLDER.glob("[!_]*.yaml"))


def _xlsx(form: ScoredForm, created: str | None = "2024-03-01T10:00:00+08:00") -> bytes:
    rendered = render_form(form, ["xlsx"], created=created, where=Location("a.yaml"))
    assert rendered.ok, rendered.diagnostics
    ((_, data),) = rendered.outputs
    return data


def _sheet(data: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _printed(cell: openpyxl.cell.cell.Cell) -> str:
    """A number cell as Excel shows it with its number format (0, 0.00, 0.000)."""
    places = len(cell.number_format.split(".", 1)[1]) if "." in cell.number_format else 0
    return f"{Decimal(str(cell.value)):.{places}f}"


@pytest.mark.parametrize("spec_file", SPEC_FILES, ids=lambda p: p.stem)
def test_seed_workbooks_state_every_figure_as_the_form_prints_it(spec_file: Path) -> None:
    compiled = api.check([spec_file]).compiled[0]
    assert compiled.form is not None
    shown: SelfEvaluationForm = present(compiled.form)
    sheet = _sheet(_xlsx(compiled.form))
    numbers = [
        _printed(cell)
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
    ]
    expected = []
    for line in (shown.funds_total, *shown.funds_rows):
        expected += [cell.text for cell in line.cells if cell.kind == "num"]
    for indicator in shown.indicators:
        expected += [indicator.weight, indicator.score]
    expected += [shown.total_weight, shown.total]
    assert numbers == expected


def test_merges_print_setup_and_labels(tmp_path: Path) -> None:
    compiled = api.check([SPEC_FILES[0]]).compiled[0]
    assert compiled.form is not None
    sheet = _sheet(_xlsx(compiled.form))
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:H1", "B3:H3", "A5:A9"} <= merged  # title, 项目名称, the 项目资金 block
    assert sheet["A5"].value == "项目资金（万元）"
    assert sheet["A1"].value == "财政项目支出绩效自评表"
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "一级指标")
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.cell(header, 8).value == "偏差原因分析及改进措施"
    assert sheet.cell(sheet.max_row, 1).value == "评分等级"
    assert sheet.cell(sheet.max_row, 2).value == "优"


def test_two_builds_give_the_same_bytes(tmp_path: Path) -> None:
    compiled = api.check([SPEC_FILES[1]]).compiled[0]
    assert compiled.form is not None
    assert _xlsx(compiled.form) == _xlsx(compiled.form)
    assert _xlsx(compiled.form, None) == _xlsx(compiled.form, None)


def test_a_custom_layout_exports_its_own_columns(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["profile"] = "custom.profile.yaml"
    data["indicators"]["产出指标"]["数量指标"][0].update(nature="≥", unit="人次")
    profile = (
        "extends: mof-2020\nlayout: {indicator_columns: [level1, level2, name, nature, target,"
        " unit, actual, weight, score, deviation], funds_columns: [annual, executed, weight,"
        " rate, score]}\n"
    )
    compiled = compile_one(tmp_path, data, profile)
    assert compiled.form is not None, compiled.diagnostics
    sheet = _sheet(_xlsx(compiled.form))
    assert sheet.max_column == 10
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "一级指标")
    assert [sheet.cell(header, c).value for c in (4, 6)] == ["指标性质", "度量单位"]
    assert "年初预算数" not in {cell.value for row in sheet.iter_rows() for cell in row}


def test_xlsx_is_written_only_when_asked_for(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "a.yaml").write_text(SPEC_FILES[0].read_text("utf-8"), encoding="utf-8")
    (specs / "_defaults.yaml").write_text(
        (SEED_FOLDER / "_defaults.yaml").read_text("utf-8"), encoding="utf-8"
    )
    api.build([specs], tmp_path / "out", formats=["html", "json"])
    assert not list((tmp_path / "out").glob("*.xlsx"))
    api.build([specs], tmp_path / "out", formats=["xlsx"])
    assert (tmp_path / "out" / "a.xlsx").is_file()


def test_spec_text_stays_text_in_the_workbook(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["profile"] = "custom.profile.yaml"
    data["project"] = '=HYPERLINK("http://evil.invalid","点我")'
    data["indicators"]["产出指标"]["数量指标"][0]["name"] = "=1+1"
    data["goals"]["expected"] = "http://evil.invalid/x"
    profile = "extends: mof-2020\nlabels: {title: '[表]:*?/\\\\自评表'}\n"
    compiled = compile_one(tmp_path, data, profile)
    assert compiled.form is not None, compiled.diagnostics
    workbook = openpyxl.load_workbook(io.BytesIO(_xlsx(compiled.form)))
    sheet = workbook.active
    values = {cell.value for row in sheet.iter_rows() for cell in row}
    assert '=HYPERLINK("http://evil.invalid","点我")' in values
    assert "=1+1" in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert not sheet._hyperlinks
    assert "[" not in sheet.title


def test_blank_and_not_applicable_figures_export_as_text(tmp_path: Path) -> None:
    """Under a layout that leaves untouched rows blank and prints its own glyph, a figure
    column holds text: the workbook writes it as text (it used to fail with SE999)."""
    data = copy.deepcopy(BASE)
    data["profile"] = "custom.profile.yaml"
    profile = "extends: mof-2020\nlayout: {blank_untouched_rows: true, not_applicable: '/'}\n"
    compiled = compile_one(tmp_path, data, profile)
    assert compiled.form is not None, compiled.diagnostics
    sheet = _sheet(_xlsx(compiled.form))
    values = {cell.value for row in sheet.iter_rows() for cell in row}
    assert "/" in values
    assert 95 in values  # the figures beside them are still numbers


GOALS_EXAMPLE = REPO / "examples" / "goals" / "chaiwei-2026.yaml"


class _Cells(HTMLParser):
    """The texts of a form page's title, year line and table cells, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "p", "th", "td"):
            self._open = True
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "p", "th", "td"):
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[-1] += "".join(data.split())


def _shown(cell: openpyxl.cell.cell.Cell) -> str:
    """A cell as Excel shows it: numbers with their format's places and thousands commas."""
    if isinstance(cell.value, int | float):
        places = len(cell.number_format.split(".", 1)[1]) if "." in cell.number_format else 0
        comma = "," if "," in cell.number_format else ""
        return f"{Decimal(str(cell.value)):{comma}.{places}f}"
    return "".join(str(cell.value or "").split())


def _goals_build(tmp_path: Path, formats: list[str]) -> Path:
    specs = tmp_path / "specs" / "unit"
    specs.mkdir(parents=True)
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    text = GOALS_EXAMPLE.read_text("utf-8")
    (specs / "a.yaml").write_text(text, "utf-8")
    (specs / "b.yaml").write_text(text.replace("拆违经费", "拆违经费（二期）"), "utf-8")
    out = tmp_path / "out"
    report = api.build([tmp_path / "specs"], out, formats=formats, form="goals", force=True)
    assert report.errors == 0, [d.message_en for d in report.diagnostics]
    return out / "unit"


def test_goals_workbook_holds_every_cell_the_html_prints(tmp_path: Path) -> None:
    out = _goals_build(tmp_path, ["html", "xlsx"])
    parser = _Cells()
    parser.feed((out / "a.html").read_text("utf-8"))
    printed = [text for text in parser.texts if text]
    sheet = _sheet((out / "a.xlsx").read_bytes())
    cells = [_shown(cell) for row in sheet.iter_rows() for cell in row]
    assert [text for text in cells if text] == printed
    assert sheet["C7"].value == 10308000
    assert sheet["C7"].number_format == "#,##0.00"
    assert {"A7:A10", "A13:A21", "B15:B17"} <= {str(r) for r in sheet.merged_cells.ranges}
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "一级指标")
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.page_setup.paperSize == 9


def test_goals_folder_workbook_lists_its_forms_and_rebuilds_byte_identical(tmp_path: Path) -> None:
    out = _goals_build(tmp_path, ["xlsx"])
    first = {name: (out / name).read_bytes() for name in ("a.xlsx", "_combined.xlsx")}
    book = openpyxl.load_workbook(io.BytesIO(first["_combined.xlsx"]))
    assert book.sheetnames == ["清单", "01 拆违经费", "02 拆违经费（二期）"]
    rows = list(book["清单"].iter_rows(min_row=2, values_only=True))
    assert rows[0] == (
        "序号",
        "项目名称",
        "实施单位",
        "项目资金总额（元）",
        "年度资金申请总额（元）",
        "工作表",
    )
    assert rows[1][1:5] == ("拆违经费", "上海市普陀区城市管理行政执法局执法大队", 10308000, 3498000)
    again = _goals_build(tmp_path / "again", ["xlsx"])
    assert {name: (again / name).read_bytes() for name in first} == first


def test_a_folder_moving_from_spring_to_autumn_lists_each_form_on_its_own_sheet(
    tmp_path: Path,
) -> None:
    """A folder whose specs are at both stages (some moved to 自评 already) gets one workbook:
    清单 for the 自评表, 申报清单 for the 申报表, a sheet per form in file order."""
    import shutil

    specs = tmp_path / "specs" / "unit"
    shutil.copytree(SEED_FOLDER, specs)
    for name in ("04-zhuwaiban-gongzuo-jingfei.yaml", "05-hezuo-jiaoliu-yewufei.yaml"):
        spec = specs / name
        spec.write_text("stage: 申报\n" + spec.read_text("utf-8"), "utf-8")
    report = api.build([specs], tmp_path / "out", formats=["xlsx"])
    assert report.errors == 0
    book = openpyxl.load_workbook(tmp_path / "out/unit/_combined.xlsx")
    assert book.sheetnames[:2] == ["清单", "申报清单"]
    assert len(book.sheetnames) == 7
    autumn = [r[1] for r in book["清单"].iter_rows(min_row=3, values_only=True) if r[1]]
    spring = [r[1] for r in book["申报清单"].iter_rows(min_row=3, values_only=True) if r[1]]
    assert len(autumn) == 3
    assert spring == ["驻外办驻外工作经费", "合作交流工作业务费"]

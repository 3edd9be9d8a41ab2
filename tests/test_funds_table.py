"""The funds table as the profile lays it out (#20 items 1-3): columns in the profile's order,
text columns 原因 / 得分计算方法 from the spec, per-row blanks and not-applicable cells, blank
versus 0.00 per row, a 财政资金 subtotal row, a heading with points, figures shown by the
profile's ``display``; JSON and xlsx carry every cell as printed."""

from __future__ import annotations

import copy
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import DATA, REPO
from helpers import BASE, D, codes, compile_one, to_yaml, write
from ruamel.yaml import YAML

from selfeval_compiler import api
from selfeval_compiler.authoring.rollover import roll_spec
from selfeval_compiler.diagnostics import Location
from selfeval_compiler.forms.self_evaluation import Cell, SelfEvaluationForm, flat, present
from selfeval_compiler.outputs.html import render_html
from selfeval_compiler.outputs.json_format import form_to_data
from selfeval_compiler.outputs.render import render_form
from selfeval_compiler.rules.compiler import CompiledSpec


def _compiled(tmp_path: Path, profile: str, data: dict[str, Any] | None = None) -> CompiledSpec:
    spec = copy.deepcopy(BASE if data is None else data)
    spec["profile"] = "custom.profile.yaml"
    return compile_one(tmp_path, spec, "extends: mof-2020\n" + profile)


def _shown(
    tmp_path: Path, profile: str, data: dict[str, Any] | None = None
) -> tuple[SelfEvaluationForm, str]:
    compiled = _compiled(tmp_path, profile, data)
    assert compiled.form is not None, compiled.diagnostics
    form = present(compiled.form)
    return form, render_html(form)


def _funds_html(html: str) -> str:
    return html.split('<table class="grid funds">')[1].split("</table>")[0]


def _texts(form: SelfEvaluationForm) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in (form.funds_total, *form.funds_rows)]


def test_columns_print_in_the_profiles_order(tmp_path: Path) -> None:
    form, html = _shown(
        tmp_path, "layout: {funds_columns: [initial, annual, executed, rate, weight, score]}\n"
    )
    assert [c.key for c in form.funds_columns] == [
        "initial",
        "annual",
        "executed",
        "rate",
        "weight",
        "score",
    ]
    assert _texts(form)[0] == ["100.00", "100.00", "95.00", "95.00", "10.00", "9.50"]
    funds = _funds_html(html)
    assert funds.index("执行率(%)") < funds.index(">分值<")
    # A grid of its own: side label, row label, one width per column, summing to 100.
    assert len(form.funds_grid) == 2 + 6
    assert sum(form.funds_grid) == 100
    assert 'class="f1"' not in funds


def test_the_mof_order_keeps_the_shared_grid(tmp_path: Path) -> None:
    form, html = _shown(tmp_path, "layout: {funds_columns: [annual, executed, rate]}\n")
    assert form.funds_grid == ()
    assert 'class="f1"' in _funds_html(html)


def test_text_columns_print_the_specs_reason_and_method(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["reason"] = "年中追加预算 20 万元"
    data["funds"]["method"] = "执行率×分值"
    data["funds"]["current_year"]["reason"] = "按进度支付 <全部>"
    form, html = _shown(
        tmp_path,
        "layout: {funds_columns: [annual, executed, rate, score, method, reason]}\n"
        "labels: {funds_reason: 原因说明, funds_method: 计分办法}\n",
        data,
    )
    assert [c.label for c in form.funds_columns][-2:] == ["计分办法", "原因说明"]
    texts = _texts(form)
    assert texts[0][-2:] == ["执行率×分值", "年中追加预算 20 万元"]
    assert texts[1][-2:] == ["", "按进度支付 <全部>"]
    funds = _funds_html(html)
    assert '<td class="text">年中追加预算 20 万元</td>' in funds
    assert "按进度支付 &lt;全部&gt;" in funds  # escaped, never markup
    assert form.funds_rows[0].cells[-1].kind == "text"


def test_a_text_without_its_column_is_warned(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["reason"] = "年中追加预算"
    data["funds"]["other"]["method"] = "不计分"
    compiled = _compiled(tmp_path, "", data)
    assert codes(compiled) == ["SE313", "SE313"]
    source = (tmp_path / "form.yaml").read_text("utf-8").splitlines()
    flagged = {source[d.location.line - 1].strip() for d in compiled.diagnostics}
    assert flagged == {"reason: 年中追加预算", "method: 不计分"}
    assert {d.args["column"].zh for d in compiled.diagnostics} == {"原因", "得分计算方法"}
    assert compiled.form is not None  # a warning: the form still builds


def test_per_row_blanks_and_not_applicable(tmp_path: Path) -> None:
    form, html = _shown(
        tmp_path,
        'layout:\n  not_applicable: "/"\n'
        "  funds_rows:\n"
        "    - {row: current_year, blank: [rate], not_applicable: [initial]}\n"
        "    - {row: carried_over, zero: figures}\n"
        "    - {row: other, zero: blank, blank: [weight]}\n"
        "  blank_untouched_rows: true\n"
        "  funds_total: {blank: [rate], not_applicable: [weight]}\n",
    )
    assert _texts(form) == [
        ["100.00", "100.00", "95.00", "/", "", "9.50"],
        ["/", "100.00", "95.00", "/", "", "/"],
        ["0.00", "0.00", "0.00", "/", "0.00", "/"],  # zero: figures overrides the layout
        ["", "", "", "", "", "/"],  # blank_untouched_rows, and 分值 left blank
    ]
    assert '<td class="dash">/</td>' in _funds_html(html)


def test_blank_versus_zero_follows_blank_untouched_rows_by_default(tmp_path: Path) -> None:
    form, _ = _shown(
        tmp_path,
        "layout: {blank_untouched_rows: true, funds_rows: [current_year, {row: other}]}\n",
    )
    assert _texts(form)[2] == ["", "", "", "-", "", "-"]


def test_the_fiscal_row_adds_current_year_and_carried_over(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["carried_over"] = {"initial": 0, "annual": D("20.00"), "executed": D("15.00")}
    data["funds"]["unit_funds"] = {"initial": 0, "annual": D("5.00"), "executed": D("5.00")}
    form, _ = _shown(
        tmp_path,
        "layout: {funds_rows: [fiscal, current_year, carried_over, unit_funds, other]}\n",
        data,
    )
    rows = {row.key: row for row in form.funds_rows}
    assert (rows["fiscal"].annual, rows["fiscal"].executed, rows["fiscal"].rate) == (
        "120.00",
        "110.00",
        "91.67",
    )
    assert rows["fiscal"].label == "其中：财政资金"
    # The subtotal is not added into 年度资金总额 a second time.
    assert (form.funds_total.annual, form.funds_total.executed) == ("125.00", "115.00")


def test_heading_with_points_and_corner(tmp_path: Path) -> None:
    form, html = _shown(
        tmp_path,
        "labels: {funds: '预算执行情况({points}分)', funds_corner: '年度预算数({unit})'}\n",
    )
    assert form.funds_label == "预算执行情况(10分)"
    funds = _funds_html(html)
    assert "预算执行情况(10分)" in funds
    assert "<th>年度预算数(万元)</th>" in funds


def test_points_follow_the_weights_display(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["weight"] = D("12.5")
    data["indicators"]["产出指标"]["数量指标"][0]["weight"] = D("27.5")
    form, _ = _shown(
        tmp_path,
        "funds_weight: 12.5\nlabels: {funds: '预算执行({points}分)'}\n"
        "display: {funds_weight: {places: 0, percent: true}}\n",
        data,
    )
    assert form.funds_label == "预算执行(12.5分)"  # never cut, never with %
    assert form.funds_total.weight == "12.5%"


def test_display_of_the_funds_figures(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["current_year"] = {
        "initial": D("250000"),
        "annual": D("250000"),
        "executed": D("215457.6"),
    }
    form, _ = _shown(
        tmp_path,
        "amount_unit: 元\n"
        "display:\n"
        "  amount: {thousands: true}\n"
        "  rate: {percent: true}\n"
        "  funds_weight: {places: as-written}\n"
        "  funds_score: {places: as-written}\n",
        data,
    )
    total = form.funds_total
    assert (total.annual, total.executed, total.rate) == ("250,000.00", "215,457.60", "86.18%")
    assert (total.weight, total.score) == ("10", "8.62")  # 分值 as written beside 得分 8.62


def test_json_carries_every_printed_cell(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["reason"] = "年中追加预算"
    compiled = _compiled(
        tmp_path,
        'labels: {funds: "预算执行情况({points}分)"}\n'
        "display: {rate: {percent: true}}\n"
        'layout: {not_applicable: "/", funds_columns: [initial, annual, executed, rate, weight, '
        "score, reason], funds_rows: [current_year, {row: other, zero: blank}]}\n",
        data,
    )
    assert compiled.form is not None
    funds = form_to_data(present(compiled.form))["funds"]
    assert funds["label"] == "预算执行情况(10分)"
    assert [c["key"] for c in funds["columns"]] == [
        "initial",
        "annual",
        "executed",
        "rate",
        "weight",
        "score",
        "reason",
    ]
    assert funds["printed"]["total"] == {
        "initial": "100.00",
        "annual": "100.00",
        "executed": "95.00",
        "rate": "95.00%",
        "weight": "10.00",
        "score": "9.50",
        "reason": "年中追加预算",
    }
    assert list(funds["printed"]["other"].values()) == ["", "", "", "", "/", "/", ""]
    assert funds["total"]["execution_rate"] == "95.00%"
    json.dumps(funds)  # all of it is plain data


def _as_excel_shows(cell: Any) -> str:
    """A cell's text as Excel shows it under its number format (0.00, #,##0.00, 0.00%)."""
    value = cell.value
    if value is None:
        return ""
    if not isinstance(value, int | float):
        return str(value)
    pattern = cell.number_format
    percent = pattern.endswith("%")
    digits = pattern.removesuffix("%")
    places = len(digits.split(".", 1)[1]) if "." in digits else 0
    number = Decimal(str(value)) * (100 if percent else 1)
    text = f"{number:,.{places}f}" if "," in digits else f"{number:.{places}f}"
    return text + ("%" if percent else "")


def test_xlsx_prints_the_same_cells(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["reason"] = "年中追加预算"
    compiled = _compiled(
        tmp_path,
        "labels: {funds_corner: '年度预算数({unit})'}\n"
        "display: {rate: {percent: true}, amount: {thousands: true}}\n"
        'layout: {not_applicable: "/", funds_columns: [annual, executed, rate, weight, score, '
        "reason], funds_rows: [current_year, {row: other, zero: blank}]}\n",
        data,
    )
    assert compiled.form is not None
    rendered = render_form(compiled.form, ["xlsx"], created=None, where=Location("a.yaml"))
    ((_, data_bytes),) = rendered.outputs
    sheet = openpyxl.load_workbook(io.BytesIO(data_bytes)).worksheets[-1]
    rows = [[_as_excel_shows(cell) for cell in row] for row in sheet.iter_rows()]
    head = next(row for row in rows if "年度预算数(万元)" in row)
    assert head[2:8] == ["全年预算数", "全年执行数", "执行率(%)", "分值", "得分", "原因"]
    total = rows[rows.index(head) + 1]
    shown = present(compiled.form).funds_total
    assert total[1:8] == ["年度资金总额", *(cell.text for cell in shown.cells)]
    assert total[1:8] == [
        "年度资金总额",
        "100.00",
        "95.00",
        "95.00%",
        "10.00",
        "9.50",
        "年中追加预算",
    ]
    other = rows[rows.index(head) + 3]
    assert other[2:7] == ["", "", "", "/", "/"]


@pytest.mark.parametrize(
    ("profile", "line"),
    [
        ("layout: {funds_rows: [current_year, {row: nonsense}]}\n", 2),
        ("layout: {funds_rows: [{row: other, blank: [total]}]}\n", 2),
        ("layout: {funds_rows: [{row: other, zero: maybe}]}\n", 2),
        ("layout: {funds_rows: [{blank: [rate]}]}\n", 2),
        ("layout: {funds_rows: [{row: other, colour: red}]}\n", 2),
        ("layout: {funds_columns: [annual, reasons]}\n", 2),
        ("layout: {funds_total: {zero: blank}}\n", 2),
        ("layout: {funds_text_span: merged}\n", 2),
        ("display: {rate: {places: -1}}\n", 2),
        ("display: {rate: {places: 7}}\n", 2),
        ("display: {rate: {places: as-writen}}\n", 2),
        ("display: {rate: {places: 1.5}}\n", 2),
        ("display: {rate: {places: true}}\n", 2),
        ('display: {rate: {places: "2"}}\n', 2),
        ("display: {amount: {thousands: 1}}\n", 2),
        ("display: {rate: {percent: yes please}}\n", 2),
        ("display: {rates: {percent: true}}\n", 2),
        ("display: {amount: []}\n", 2),
        ("labels: {funds_corner: 123}\n", 2),
    ],
)
def test_bad_option_values_are_refused_at_their_line(
    tmp_path: Path, profile: str, line: int
) -> None:
    compiled = _compiled(tmp_path, profile)
    assert codes(compiled) == ["SE505"]
    where = compiled.diagnostics[0].location
    assert (Path(where.file).name, where.line) == ("custom.profile.yaml", line)


def test_a_row_listed_twice(tmp_path: Path) -> None:
    compiled = _compiled(
        tmp_path, "layout:\n  funds_rows:\n    - other\n    - current_year\n    - {row: other}\n"
    )
    assert codes(compiled) == ["SE311"]
    where = compiled.diagnostics[0].location
    assert (Path(where.file).name, where.line, where.column) == ("custom.profile.yaml", 6, 7)


def test_a_cell_blank_and_not_applicable(tmp_path: Path) -> None:
    compiled = _compiled(
        tmp_path,
        "layout:\n  funds_total: {blank: [rate, score], not_applicable: [score]}\n",
    )
    assert codes(compiled) == ["SE312"]
    assert compiled.diagnostics[0].location.line == 3
    assert "score" in compiled.diagnostics[0].message_en


@pytest.mark.parametrize(
    "value",
    ["", 12, ["原因"], "x" * 2001],
)
def test_hostile_reason_texts_are_refused(tmp_path: Path, value: object) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["current_year"]["reason"] = value
    compiled = _compiled(tmp_path, "layout: {funds_columns: [annual, executed, reason]}\n", data)
    assert compiled.form is None
    assert len(compiled.diagnostics) == 1
    assert compiled.diagnostics[0].code.startswith("SE1")


def test_huge_amounts_with_separators_render(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    big = D("999999999999.99")
    data["funds"]["current_year"] = {"initial": big, "annual": big, "executed": big}
    form, html = _shown(tmp_path, "amount_unit: 元\ndisplay: {amount: {thousands: true}}\n", data)
    assert form.funds_total.annual == "999,999,999,999.99"
    assert "999,999,999,999.99" in html


def test_rollover_drops_the_years_reasons_and_keeps_the_method() -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["reason"] = "年中追加预算"
    data["funds"]["method"] = "执行率×分值"
    data["funds"]["current_year"]["reason"] = "按进度支付"
    data["funds"]["current_year"]["method"] = "不单独计分"
    data = YAML().load(to_yaml(data))  # as rollover reads a spec: round-trip
    roll_spec(data, 2024)
    assert "reason" not in data["funds"]
    assert "reason" not in data["funds"]["current_year"]
    assert data["funds"]["method"] == "执行率×分值"
    assert data["funds"]["current_year"]["method"] == "不单独计分"


def test_the_daying_2023_funds_block_prints_as_published() -> None:
    """examples/realforms/sc-suining-daying-2023.yaml under its profile: the funds block's
    heading, header, rows and every cell as the transcription holds them (null = blank)."""
    printed = json.loads(
        (DATA / "realforms" / "sc_suining_daying_2023_anke.json").read_text("utf-8")
    )
    compiled = api.check([REPO / "examples" / "realforms" / "sc-suining-daying-2023.yaml"])
    (spec,) = compiled.compiled
    assert spec.form is not None
    assert not [d for d in spec.diagnostics if d.code.startswith(("SE3", "SE4"))]
    form = present(spec.form)
    assert flat(form.funds_label) == printed["funds_block_label_as_printed"]
    header = printed["funds_header_as_printed"]
    assert flat(form.funds_corner) == header[0]
    assert [flat(c.label) for c in form.funds_columns] == header[1:]
    columns = ("initial_budget", "annual_budget", "executed", "rate", "weight", "score")
    for line, row in zip((form.funds_total, *form.funds_rows), printed["funds"], strict=True):
        assert flat(line.label) == row["label"]
        expected = [row[key] or "" for key in columns]
        expected.append(row.get("reason_cell_as_printed", ""))
        assert [cell.text for cell in line.cells] == expected


def test_a_text_column_as_one_cell_down_the_table(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["reason"] = "填表说明"
    profile = "layout: {funds_columns: [annual, executed, rate, reason], funds_text_span: block}\n"
    form, html = _shown(tmp_path, profile, data)
    assert form.funds_total.cells[-1] == Cell("填表说明", "text", 1, rows=4)
    assert [row.cells[-1].kind for row in form.funds_rows] == ["covered"] * 3
    funds = _funds_html(html)
    assert funds.count('<td class="text"') == 1
    assert '<td class="text" rowspan="4">填表说明</td>' in funds
    assert "covered" not in funds
    compiled = _compiled(tmp_path, profile, data)
    assert compiled.form is not None
    rendered = render_form(compiled.form, ["xlsx"], created=None, where=Location("a.yaml"))
    ((_, data_bytes),) = rendered.outputs
    sheet = openpyxl.load_workbook(io.BytesIO(data_bytes)).worksheets[-1]
    merged = [r for r in sheet.merged_cells.ranges if r.max_row - r.min_row == 3]
    assert len(merged) == 1
    assert sheet.cell(merged[0].min_row, merged[0].min_col).value == "填表说明"


def test_a_sub_rows_text_under_a_block_is_warned(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["current_year"]["reason"] = "余款明年支付"
    compiled = _compiled(
        tmp_path,
        "layout: {funds_columns: [annual, executed, reason], funds_text_span: block}\n",
        data,
    )
    assert codes(compiled) == ["SE314"]
    assert "其中：当年财政拨款" in compiled.diagnostics[0].message_zh
    assert "funds_text_span: block" in compiled.diagnostics[0].message_zh


def test_indicator_figures_as_written_row_by_row(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["indicators"]["产出指标"]["质量指标"][0]["weight"] = D("20.00")
    plain, _ = _shown(tmp_path, "", data)
    # The form's own rule: every indicator figure at the places the weights were written with.
    assert [(line.weight, line.score) for line in plain.indicators] == [
        ("30.00", "30.00"),
        ("20.00", "20.00"),
        ("30.00", "30.00"),
        ("10.00", "10.00"),
    ]
    form, _ = _shown(
        tmp_path,
        "display:\n"
        "  indicator_weight: {places: as-written}\n"
        "  indicator_score: {places: as-written}\n"
        "  total: {places: 1}\n"
        "  total_weight: {places: 2}\n",
        data,
    )
    assert [(line.weight, line.score) for line in form.indicators] == [
        ("30", "30"),
        ("20.00", "20.00"),
        ("30", "30"),
        ("10", "10"),
    ]
    assert (form.total_weight, form.total) == ("100.00", "99.5")


def test_a_text_on_a_row_the_table_does_not_print_is_warned(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["carried_over"]["reason"] = "结转资金已用完"
    compiled = _compiled(
        tmp_path,
        "layout: {funds_columns: [annual, executed, reason], funds_rows: [current_year, other]}\n",
        data,
    )
    assert codes(compiled) == ["SE314"]
    assert "layout.funds_rows" in compiled.diagnostics[0].message_en


def test_the_summary_reads_figures_printed_with_percent_and_separators(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["profile"] = "custom.profile.yaml"
    data["funds"]["current_year"] = {
        "initial": D("250000"),
        "annual": D("250000"),
        "executed": D("215457.6"),
    }
    specs = tmp_path / "specs"
    write(specs, data)
    (specs / "custom.profile.yaml").write_text(
        "extends: mof-2020\namount_unit: 元\n"
        "display: {amount: {thousands: true}, rate: {percent: true}, total: {percent: false}}\n",
        encoding="utf-8",
    )
    assert api.build([specs], tmp_path / "build", formats=["json"]).errors == 0
    report = api.summary([tmp_path / "build"], tmp_path / "out", formats=["json"])
    assert report.diagnostics == []
    assert report.projects == 1
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    (project,) = summary["projects"]
    assert project["execution_rate"] == "86.18"
    assert project["executed"] == "215457.60"


def _properties(node: Any, path: str) -> list[tuple[str, Any]]:
    """Every named property under ``node`` (through if/then/else and items), with its path."""
    found = []
    if isinstance(node, dict):
        for name, child in node.get("properties", {}).items():
            found.append((f"{path}.{name}", child))
            found += _properties(child, f"{path}.{name}")
        for key in ("items", "then", "else"):
            if key in node:
                found += _properties(node[key], path)
    return found


def test_every_new_option_has_a_chinese_title_and_description() -> None:
    schema = json.loads((REPO / "schema" / "profile.schema.json").read_text("utf-8"))
    layout = schema["properties"]["layout"]["properties"]
    options = [("display", schema["properties"]["display"])]
    options += _properties(schema["properties"]["display"], "display")
    for name in ("funds_rows", "funds_total", "funds_columns", "funds_text_span"):
        options.append((f"layout.{name}", layout[name]))
        options += _properties(layout[name], f"layout.{name}")
    labels = schema["properties"]["labels"]["properties"]
    options += [
        (f"labels.{k}", labels[k])
        for k in ("fiscal", "funds_reason", "funds_method", "funds_corner")
    ]
    assert len(options) > 40
    for path, option in options:
        for part in ("title", "description"):
            text = option.get(part, "")
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), f"{path}: no Chinese {part}"


_TRANSCRIBED = {
    "initial": "initial_budget",
    "annual": "annual_budget",
    "executed": "executed",
    "rate": "rate",
    "weight": "weight",
    "score": "score",
}
"""A funds column and the transcription's key for its cell (null: printed blank)."""


@pytest.mark.parametrize(
    ("spec", "transcription"),
    [
        ("hb-langfang-food-school-2019.yaml", "hb_langfang_food_school_2019.json"),
        ("sc-zhongjiang-water-2022.yaml", "sc_zhongjiang_water_2022.json"),
        ("sc-suining-daying-2023.yaml", "sc_suining_daying_2023_anke.json"),
    ],
)
def test_real_funds_blocks_print_every_transcribed_cell(spec: str, transcription: str) -> None:
    """Each transcribed cell of a published funds block (a key the transcription holds; null
    is a blank cell) is the cell the form prints under its example profile."""
    printed = json.loads((DATA / "realforms" / transcription).read_text("utf-8"))
    (compiled,) = api.check([REPO / "examples" / "realforms" / spec]).compiled
    assert compiled.form is not None
    form = present(compiled.form)
    lines = (form.funds_total, *form.funds_rows)
    assert len(lines) == len(printed["funds"])
    for line, row in zip(lines, printed["funds"], strict=True):
        cells = {c.key: cell.text for c, cell in zip(form.funds_columns, line.cells, strict=True)}
        for column, text in cells.items():
            key = _TRANSCRIBED.get(column)
            if key in row:
                assert text == (row[key] or ""), (row["label"], column)

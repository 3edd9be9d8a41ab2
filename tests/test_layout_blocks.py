"""The 自评表's blocks and indicator table as profile data (#20): the blocks in the layout's
order (a block not listed is not printed), numbered names and the template's placeholder
rows, a not-applicable 二级, met rows printed empty, a table of scores only, the indicator
block's heading beside or above it, the goals in parts, rows after the table, header and
signature values, checkbox rows, and column widths that never exceed the page."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from helpers import BASE, codes, compile_one

from selfeval_compiler.forms.self_evaluation import SelfEvaluationForm, present, shares
from selfeval_compiler.outputs.html import render_html
from selfeval_compiler.outputs.json_format import form_to_data
from selfeval_compiler.rules.compiler import CompiledSpec


def _compiled(tmp_path: Path, layout: str, labels: str = "", **spec: Any) -> CompiledSpec:
    data = copy.deepcopy(BASE)
    data["profile"] = "custom.profile.yaml"
    for key, value in spec.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    profile = f"extends: mof-2020\nlayout: {layout}\n" + (f"labels: {labels}\n" if labels else "")
    return compile_one(tmp_path, data, profile)


def _shown(
    tmp_path: Path, layout: str, labels: str = "", **spec: Any
) -> tuple[SelfEvaluationForm, str]:
    compiled = _compiled(tmp_path, layout, labels, **spec)
    assert compiled.form is not None, [d.message_en for d in compiled.diagnostics]
    form = present(compiled.form)
    return form, render_html(form)


def _order(html: str, *marks: str) -> list[str]:
    """The marks in the order they first appear in the page."""
    return sorted(marks, key=html.index)


def test_blocks_print_in_the_layouts_order_and_unlisted_blocks_not_at_all(
    tmp_path: Path,
) -> None:
    form, html = _shown(
        tmp_path,
        "{blocks: [basic, goals, funds, indicators, total], footnotes: [注：一条。]}",
    )
    assert _order(html, "goals-head", "funds-head", "grid indicators") == [
        "goals-head",
        "funds-head",
        "grid indicators",
    ]
    assert "注：一条。" not in html  # footnotes not listed
    # A block placed apart from the indicators is a table of its own, on the same grid.
    form, html = _shown(tmp_path, "{blocks: [basic, total, funds, goals, indicators]}")
    assert [section.kind for section in form.sections] == [
        "basic",
        "grid",
        "funds",
        "goals",
        "grid",
    ]
    assert html.index('class="total"') < html.index("funds-head")
    assert html.count("<thead>") == 1
    # The indicators open their table, whatever grid block stands before them.
    form, _ = _shown(tmp_path, "{blocks: [basic, funds, goals, total, indicators]}")
    assert [section.blocks for section in form.sections[3:]] == [("total",), ("indicators",)]


def test_the_goals_block_may_be_left_out_and_the_spec_then_needs_no_goals(
    tmp_path: Path,
) -> None:
    form, html = _shown(tmp_path, "{blocks: [basic, funds, indicators, total]}", goals=None)
    assert "goals" not in html
    assert "预期目标" not in html
    assert "goals" not in form_to_data(form)
    # Where the layout prints goals, a spec without them is told so, once.
    compiled = _compiled(tmp_path, "{}", goals=None)
    assert codes(compiled) == ["SE102"]


def test_goals_in_three_parts_side_by_side_or_in_rows(tmp_path: Path) -> None:
    goals = {"expected": "年度目标文字。", "actual": "完成。", "process": "购买设备并支付。"}
    form, html = _shown(tmp_path, "{goals_parts: [expected, actual, process]}", goals=goals)
    assert [(p.label, p.text, p.span) for p in form.goals_parts] == [
        ("预期目标", "年度目标文字。", 2),
        ("实际完成情况", "完成。", 2),
        ("实施内容及过程概述", "购买设备并支付。", 3),
    ]
    assert '<th colspan="3">实施内容及过程概述</th>' in html
    form, html = _shown(
        tmp_path,
        "{goals_parts: [process, expected], goals_layout: rows}",
        "{expected: 年度目标}",
        goals=goals,
    )
    rows = re.findall(
        r'<tr class="goals">\s*(?:<th rowspan="2">[^<]*(?:<br>[^<]*)*</th>\s*)?'
        r"<th colspan=\"2\">([^<]*)</th>",
        html,
    )
    assert rows == ["实施内容及过程概述", "年度目标"]
    assert form_to_data(form)["goals"] == {
        "process": "购买设备并支付。",
        "expected": "年度目标文字。",
    }


def test_a_goals_part_the_layout_prints_must_be_written(tmp_path: Path) -> None:
    compiled = _compiled(tmp_path, "{goals_parts: [expected, actual, process]}")
    assert codes(compiled) == ["SE315"]
    assert "goals.process" in compiled.diagnostics[0].message_zh


_GROUPED: dict[str, dict[str, Any]] = {
    "产出指标": {
        "数量指标": [
            {"name": "甲", "target": "≥2个", "actual": "3个", "weight": 25},
            {"name": "乙", "target": "合格", "actual": "合格", "weight": 25},
        ],
    },
    "效益指标": {
        "社会效益指标": [{"name": "丙", "target": "明显", "actual": "明显", "weight": 30}],
        "生态效益指标": "不适用",
    },
    "满意度指标": {
        "服务对象满意度指标": [{"name": "丁", "target": "≥90%", "actual": "95%", "weight": 10}]
    },
}


def _cells(form: SelfEvaluationForm, *keys: str) -> list[tuple[str, ...]]:
    return [tuple(line.cell(key) for key in keys) for line in form.indicators]


def test_numbered_names_placeholder_rows_and_a_not_applicable_row(tmp_path: Path) -> None:
    form, html = _shown(
        tmp_path,
        "{numbering: '指标{n}:', placeholder_rows: {numbered: 2, closing: [……]}}",
        indicators=_GROUPED,
    )
    assert _cells(form, "level2", "name", "target", "weight", "score") == [
        ("数量指标", "指标1:甲", "≥2个", "25", "25"),
        ("数量指标", "指标2:乙", "合格", "25", "25"),
        ("数量指标", "……", "", "", ""),
        ("社会效益指标", "指标1:丙", "明显", "30", "30"),
        ("社会效益指标", "指标2:", "", "", ""),
        ("社会效益指标", "……", "", "", ""),
        ("生态效益指标", "指标1:", "/", "/", ""),
        ("生态效益指标", "指标2:", "", "", ""),
        ("生态效益指标", "……", "", "", ""),
        ("服务对象满意度指标", "指标1:丁", "≥90%", "10", "10"),
        ("服务对象满意度指标", "指标2:", "", "", ""),
        ("服务对象满意度指标", "……", "", "", ""),
    ]
    assert [line.level1_span for line in form.indicators if line.level1_span] == [3, 6, 3]
    assert [line.level2_span for line in form.indicators if line.level2_span] == [3, 3, 3, 3]
    assert html.count('class="placeholder"') == 7
    assert html.count('class="not-applicable"') == 1
    # The JSON names each indicator as the spec does, its number beside it; template rows
    # are not indicators.
    data = form_to_data(form)
    assert [(item["name"], item["number"]) for item in data["indicators"]] == [
        ("甲", "指标1:"),
        ("乙", "指标2:"),
        ("丙", "指标1:"),
        ("丁", "指标1:"),
    ]
    # The not-applicable glyph and its columns are the profile's.
    form, _ = _shown(
        tmp_path, "{not_applicable_row: {text: —, columns: [score]}}", indicators=_GROUPED
    )
    (row,) = [line for line in form.indicators if line.kind == "not-applicable"]
    assert (row.cell("target"), row.cell("weight"), row.cell("score")) == ("", "", "—")


def test_a_not_applicable_group_is_not_scored_nor_an_empty_group(tmp_path: Path) -> None:
    compiled = _compiled(tmp_path, "{}", indicators=_GROUPED)
    assert compiled.form is not None
    assert "SE204" not in codes(compiled)
    assert [item.indicator.name for item in compiled.form.indicators] == ["甲", "乙", "丙", "丁"]


@pytest.mark.parametrize(
    ("rule", "blank"),
    [("printed", set()), ("blank-text", {"乙", "丙"}), ("blank", {"甲", "乙", "丙", "丁"})],
)
def test_met_rows_print_their_values_empty_where_the_layout_says(
    tmp_path: Path, rule: str, blank: set[str]
) -> None:
    form, _ = _shown(tmp_path, f"{{met_values: {rule}}}", indicators=_GROUPED)
    shown = {line.name: (line.cell("target"), line.cell("actual")) for line in form.indicators}
    for line in form.indicators:
        if line.kind != "indicator":
            continue
        expected = ("", "") if line.name in blank else (line.target, line.actual)
        assert shown[line.name] == expected, line.name
    # The JSON keeps what the form leaves empty.
    data = form_to_data(form)
    assert {item["name"]: item["target"] for item in data["indicators"]}["乙"] == "合格"


def test_an_unmet_row_always_prints_its_values(tmp_path: Path) -> None:
    indicators = copy.deepcopy(_GROUPED)
    indicators["满意度指标"]["服务对象满意度指标"][0].update(
        {"actual": "80%", "deviation": "调查样本偏少。"}
    )
    form, _ = _shown(tmp_path, "{met_values: blank}", indicators=indicators)
    unmet = next(line for line in form.indicators if line.name == "丁")
    assert (unmet.cell("target"), unmet.cell("actual")) == ("≥90%", "80%")


def test_a_table_of_scores_only(tmp_path: Path) -> None:
    form, html = _shown(
        tmp_path, "{indicator_columns: [level1, level2, name, target, actual, score]}"
    )
    assert "分值" not in html.split("grid indicators")[1]
    assert form.total_label_span == 5
    assert [(cell.text, cell.kind) for cell in form.total_cells] == [(form.total, "num")]
    assert "weight" not in [column.key for column in form.indicator_columns]


def test_the_indicator_heading_beside_or_above_with_its_points(tmp_path: Path) -> None:
    form, html = _shown(
        tmp_path, "{indicator_heading: row}", "{indicator_heading: '绩效指标({points}分)'}"
    )
    assert form.indicator_heading_label == "绩效指标(90分)"
    assert '<tr class="block-heading">\n  <th colspan="8">绩效指标(90分)</th>' in html
    form, html = _shown(
        tmp_path, "{indicator_heading: side}", "{indicator_heading: 年度绩效指标完成情况}"
    )
    rows = len(form.indicators)  # beside every indicator row, its top in the heading row
    assert f'<th rowspan="{rows}" class="side">年度绩效指标完成情况</th>' in html
    assert '<thead>\n<tr>\n  <th class="side-head"></th>' in html  # repeated on each page
    assert form.grid_columns == 9
    assert form.total_label_span == 6  # the side column, then 一级 … 实际完成值
    widths = [int(w) for w in re.findall(r'<col style="width: (\d+)%">', html)]
    assert widths[0] == 9
    assert sum(widths) == 100


def test_a_scaled_block_heading_prints_the_points_it_counts_for(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["profile"] = "custom.profile.yaml"
    data["funds"]["weight"] = 20
    data["indicators"]["产出指标"]["质量指标"][0]["weight"] = 30  # out of 100
    profile = (
        "extends: mof-2020\nfunds_weight: 20\nlevel1_weights: {}\n"
        "indicator_scale: {out_of: 100, points: 80}\n"
        "layout: {indicator_heading: row}\n"
        "labels: {indicator_heading: '年度绩效目标({points}分)'}\n"
    )
    compiled = compile_one(tmp_path, data, profile)
    assert compiled.form is not None
    assert present(compiled.form).indicator_heading_label == "年度绩效目标(80分)"


def test_trailer_rows_header_values_signatures_and_checkboxes(tmp_path: Path) -> None:
    layout = (
        "{header_lines: [{label: 填报单位（盖章）, text: filing.unit}, 联系电话],"
        " signature_row: [{label: 项目负责人, text: filing.project_lead}, 财务负责人],"
        " trailer_rows: [{label: 评价结论, text: remarks.conclusion},"
        " {label: 财政部门审核意见, text: remarks.review}],"
        " choice_rows: [{label: 项目类别, key: project_category, options: [区直专项, 转移支付]}]}"
    )
    form, html = _shown(
        tmp_path,
        layout,
        filing={"unit": "区商务局", "project_lead": "张三"},
        remarks={"conclusion": "项目按计划完成。"},
        project_category="转移支付",
    )
    assert "<span>填报单位（盖章）：区商务局</span>" in html
    assert "<span>联系电话：</span>" in html
    assert "<span>项目负责人：张三</span>" in html
    assert (
        '<th colspan="2">评价结论</th>\n  <td colspan="6" class="text long">项目按计划完成。</td>'
        in html
    )
    assert (
        '<th colspan="2">财政部门审核意见</th>\n  <td colspan="6" class="text long"></td>' in html
    )
    assert '<span class="choice">□区直专项</span><span class="choice">☑转移支付</span>' in html
    data = form_to_data(form)
    assert data["trailer"] == {"评价结论": "项目按计划完成。", "财政部门审核意见": ""}
    assert data["header"] == {"填报单位（盖章）": "区商务局", "联系电话": ""}
    assert data["choices"] == {"项目类别": ["转移支付"]}
    assert html.index('class="trailer"') > html.index('class="total"')


def test_texts_the_form_does_not_print_are_named(tmp_path: Path) -> None:
    compiled = _compiled(
        tmp_path,
        "{trailer_rows: [{label: 评价结论, text: remarks.conclusion}], blocks: [basic, funds,"
        " goals, indicators, total]}",
        remarks={"conclusion": "完成。", "problems": "无"},
        goals={"expected": "甲", "actual": "乙", "process": "丙"},
    )
    found = sorted((d.code, d.message_en.split(" ")[0]) for d in compiled.diagnostics)
    # The trailer block is not listed: nothing of it prints; nor does goals.process.
    assert found == [
        ("SE316", "goals.process"),
        ("SE316", "remarks.conclusion"),
        ("SE316", "remarks.problems"),
    ]
    assert all(d.severity.value == "warning" for d in compiled.diagnostics)


def test_a_choice_the_form_cannot_tick_is_an_error(tmp_path: Path) -> None:
    compiled = _compiled(
        tmp_path,
        "{choice_rows: [{label: 项目属性, key: project_nature, options: [新增, 延续]}]}",
        project_nature="经常性",
    )
    assert codes(compiled) == ["SE317"]
    assert "新增、延续" in compiled.diagnostics[0].message_zh


def test_column_widths_sum_to_the_page() -> None:
    # The Sichuan ten columns summed to 101 % before: the table printed wider than the rest.
    ten = [9, 12, 18, 7, 12, 7, 12, 8, 8, 21]
    assert sum(shares(ten, 100)) == 100
    assert sum(shares(ten, 91)) == 91
    assert shares([9, 12, 18, 12, 12, 8, 8, 21], 100) == [9, 12, 18, 12, 12, 8, 8, 21]
    for weights in ([1], [1, 1, 1], [7, 7, 7, 7, 7, 7], [21, 1, 1]):
        assert sum(shares(weights, 100)) == 100


def test_ten_indicator_columns_are_no_wider_than_the_tables_above(tmp_path: Path) -> None:
    form, html = _shown(
        tmp_path,
        "{indicator_columns: [level1, level2, name, nature, target, unit, actual, weight,"
        " score, deviation]}",
    )
    table = html.split("grid indicators")[1].split("</colgroup>")[0]
    assert sum(int(w) for w in re.findall(r"width: (\d+)%", table)) == 100
    data = json.loads(json.dumps(form_to_data(form)))
    assert {"nature", "unit"} <= set(data["indicators"][0])
    assert "method" not in data["indicators"][0]  # only the columns the form prints


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"filing": "区商务局"}, "SE103"),
        ({"filing": {"unit": 12345}}, "SE103"),
        ({"filing": {"unti": "区商务局"}}, "SE101"),
        ({"remarks": {"conclusion": ""}}, "SE104"),
        ({"remarks": {"conclusion": "字" * 5001}}, "SE104"),
        ({"remarks": []}, "SE103"),
        ({"goals": {"expected": "甲", "actual": "乙", "process": ""}}, "SE104"),
        ({"indicators": {"产出指标": {"数量指标": "不相干"}}}, "SE104"),
        ({"indicators": {"产出指标": {"数量指标": 7}}}, "SE104"),
        ({"project_category": ["区直专项"]}, "SE103"),
    ],
    ids=lambda value: str(value)[:40],
)
def test_hostile_spec_values_get_a_diagnostic(
    tmp_path: Path, changes: dict[str, Any], code: str
) -> None:
    compiled = _compiled(tmp_path, "{}", **changes)
    assert compiled.form is None
    assert code in codes(compiled), [d.message_en for d in compiled.diagnostics]


@pytest.mark.parametrize(
    "layout",
    [
        "{blocks: [basic, basic]}",
        "{blocks: [cover]}",
        "{numbering: '" + "编" * 21 + "'}",
        "{placeholder_rows: {numbered: 1000}}",
        "{placeholder_rows: {closing: ['']}}",
        "{not_applicable_row: {columns: [level1]}}",
        "{met_values: sometimes}",
        "{indicator_heading: left}",
        "{goals_parts: []}",
        "{goals_layout: grid}",
        "{trailer_rows: [{label: 评价结论, text: remarks.verdict}]}",
        "{trailer_rows: [评价结论]}",
        "{header_lines: [{text: filing.unit}]}",
        "{choice_rows: [{label: 项目类别, key: project_category, options: []}]}",
        "{choice_rows: [{label: 项目类别, key: unit, options: [甲]}]}",
        "{indicator_columns: [level1, level2, name, weight]}",
    ],
)
def test_hostile_layouts_are_a_profile_diagnostic(tmp_path: Path, layout: str) -> None:
    compiled = _compiled(tmp_path, layout)
    assert compiled.form is None
    assert codes(compiled), layout
    assert set(codes(compiled)) == {"SE505"}, layout


def test_a_huge_placeholder_count_within_the_limit_prints_once_per_group(tmp_path: Path) -> None:
    form, _ = _shown(tmp_path, "{placeholder_rows: {numbered: 10, closing: [……, ……, ……]}}")
    groups = {line.level2 for line in form.indicators}
    assert len(form.indicators) == len(groups) * 13


def _untitled(node: Any, path: str) -> list[str]:
    """Every property under ``node`` without a Chinese title."""
    found: list[str] = []
    if not isinstance(node, dict):
        return found
    for key, value in node.get("properties", {}).items():
        if not re.search(r"[\u4e00-\u9fff]", value.get("title") or ""):
            found.append(f"{path}.{key}")
        found += _untitled(value, f"{path}.{key}")
    for key in ("items", "additionalProperties", "then", "else"):
        found += _untitled(node.get(key), f"{path}[{key}]")
    for key in ("oneOf", "anyOf", "allOf"):
        for member in node.get(key, []):
            found += _untitled(member, path)
    return found


@pytest.mark.parametrize("name", ["profile.schema.json", "selfeval.schema.json"])
def test_every_option_has_a_chinese_title(name: str) -> None:
    schema = json.loads((REPO / "schema" / name).read_text("utf-8"))
    assert _untitled(schema, "") == []


@pytest.mark.slow
def test_a_side_heading_continues_on_the_next_page_with_its_rows(tmp_path: Path) -> None:
    """A page break splits the side heading with the 一级/二级 cells, at the row that opens
    the page; the side heading is named as continued and the heading row repeats."""
    from io import BytesIO

    from pypdf import PdfReader

    from selfeval_compiler.diagnostics import Location
    from selfeval_compiler.outputs.render import render_form

    indicators = copy.deepcopy(BASE["indicators"])
    indicators["产出指标"]["数量指标"] = [
        {"name": f"第{i}项工作量", "target": "≥1(次)", "actual": "2(次)", "weight": 1}
        for i in range(1, 31)
    ]
    indicators["产出指标"]["质量指标"][0]["weight"] = 20
    compiled = _compiled(
        tmp_path,
        "{indicator_heading: side}",
        "{indicator_heading: 绩效指标}",
        indicators=indicators,
    )
    assert compiled.form is not None
    rendered = render_form(compiled.form, ["pdf"], created=None, where=Location("a.yaml"))
    assert rendered.ok, rendered.diagnostics
    ((_, data),) = rendered.outputs
    pages = [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(BytesIO(data)).pages]
    assert len(pages) == 2
    assert "绩效指标（续）" in pages[1]
    assert "数量指标（续）" in pages[1]
    assert "一级指标" in pages[1]
    assert "（续）" not in pages[0]
    # The page starts at the indicator row that opens page 2 (the 数量指标 rows come first).
    from selfeval_compiler.outputs import pdf

    document = pdf.render_document(render_html(present(compiled.form)))
    found = re.search(r"第(\d+)项工作量", pages[1])
    assert found is not None
    assert pdf.indicator_page_starts(document) == {int(found.group(1)) - 1}


def test_rollover_drops_the_years_texts_and_keeps_who_files(tmp_path: Path) -> None:
    from selfeval_compiler import api

    source = tmp_path / "specs" / "2023"
    source.mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (source / "form.yaml").write_text(
        "year: 2023\nproject: 测试项目\ndepartment: 某主管部门\nunit: 某实施单位\n"
        "funds:\n  weight: 10\n  current_year: {initial: 1, annual: 1, executed: 1}\n"
        "goals: {expected: 甲, actual: 乙, process: 丙}\n"
        "filing: {unit: 区商务局, date: 2024 年 4 月 1 日, project_lead: 张三}\n"
        "remarks: {conclusion: 完成。}\n"
        "indicators:\n  产出指标:\n    数量指标:\n"
        "      - {name: 次数, target: ≥1次, actual: 2次, weight: 90}\n"
        "    质量指标: 不适用\n",
        "utf-8",
    )
    report = api.rollover([source], 2024, tmp_path / "specs" / "2024")
    assert report.diagnostics == []
    rolled = (tmp_path / "specs" / "2024" / "form.yaml").read_text("utf-8")
    for gone in ("process", "丙", "remarks", "完成。", "date", "actual"):
        assert gone not in rolled, gone
    assert "filing: {unit: 区商务局, project_lead: 张三}" in rolled
    assert "质量指标: 不适用" in rolled


def test_the_workbook_follows_the_blocks_goals_parts_and_trailer(tmp_path: Path) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from selfeval_compiler.outputs.xlsx_format import form_to_xlsx

    goals = {"expected": "年度目标文字。", "actual": "完成。", "process": "购买设备并支付。"}
    form, _ = _shown(
        tmp_path,
        "{goals_parts: [expected, actual, process], goals_layout: rows, indicator_heading: side,"
        " trailer_rows: [{label: 评价结论, text: remarks.conclusion}]}",
        goals=goals,
        remarks={"conclusion": "项目按计划完成。"},
    )
    sheet = load_workbook(BytesIO(form_to_xlsx(form, None))).active
    assert sheet is not None
    cells = {str(c.value): (c.row, c.column) for r in sheet.iter_rows() for c in r if c.value}
    assert cells["实施内容及过程概述"][1] == 2
    assert cells["购买设备并支付。"][1] == 4
    total_row, total_column = cells["总分"]
    assert total_column == 1
    # 总分's figures under 分值 and 得分, no side column in the sheet.
    weight_column = cells["分值"][1]
    assert sheet.cell(total_row, weight_column).value == 100
    assert cells["评价结论"] == (total_row + 1, 1)
    assert cells["项目按计划完成。"] == (total_row + 1, 3)
    form, _ = _shown(tmp_path, "{blocks: [basic, funds, indicators, total]}", goals=None)
    sheet = load_workbook(BytesIO(form_to_xlsx(form, None))).active
    assert sheet is not None
    assert "预期目标" not in {str(c.value) for r in sheet.iter_rows() for c in r}


_NEW_OPTIONS = (
    "blocks",
    "numbering",
    "placeholder_rows",
    "not_applicable_row",
    "met_values",
    "indicator_heading",
    "goals_parts",
    "goals_layout",
    "trailer_rows",
    "choice_rows",
    "header_lines",
    "signature_row",
)


def _described(node: dict[str, Any], path: str) -> list[str]:
    """``path`` and every property under it that lacks a Chinese title or description."""
    missing = [
        f"{path} {part}"
        for part in ("title", "description")
        if not re.search(r"[\u4e00-\u9fff]", node.get(part) or "")
    ]
    for key, child in node.get("properties", {}).items():
        missing += _described(child, f"{path}.{key}")
    if isinstance(node.get("items"), dict):
        missing += _described_items(node["items"], path)
    return missing


def _described_items(node: dict[str, Any], path: str) -> list[str]:
    missing: list[str] = []
    for key, child in node.get("properties", {}).items():
        missing += _described(child, f"{path}[].{key}")
    return missing


def test_every_layout_option_of_this_issue_is_described_in_chinese() -> None:
    profile = json.loads((REPO / "schema" / "profile.schema.json").read_text("utf-8"))
    layout = profile["properties"]["layout"]["properties"]
    labels = profile["properties"]["labels"]["properties"]
    missing = [m for name in _NEW_OPTIONS for m in _described(layout[name], f"layout.{name}")]
    missing += [
        m for name in ("process", "indicator_heading") for m in _described(labels[name], name)
    ]
    spec = json.loads((REPO / "schema" / "selfeval.schema.json").read_text("utf-8"))
    for name in ("filing", "remarks"):
        node = spec["properties"][name]
        missing += [m for m in _described(node, name) if m != f"{name} title"]
    assert missing == []

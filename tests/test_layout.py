"""Layout as profile data (#11): the funds table's columns and rows, the not-applicable glyph,
blank untouched rows, 一级 labels with points, header lines, signatures, footnotes, page
numbers. The default layout prints exactly what it printed before (the golden files)."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

from helpers import BASE, compile_one

from selfeval_compiler.forms.self_evaluation import SelfEvaluationForm, present
from selfeval_compiler.outputs.html import render_html


def _shown(tmp_path: Path, layout: str, labels: str = "") -> tuple[SelfEvaluationForm, str]:
    data = copy.deepcopy(BASE)
    data["profile"] = "custom.profile.yaml"
    profile = f"extends: mof-2020\nlayout: {layout}\n" + (f"labels: {labels}\n" if labels else "")
    compiled = compile_one(tmp_path, data, profile)
    assert compiled.form is not None, compiled.diagnostics
    form = present(compiled.form)
    return form, render_html(form)


def test_the_default_layout_has_six_single_columns(tmp_path: Path) -> None:
    form, html = _shown(tmp_path, "{}")
    assert [(c.key, c.span) for c in form.funds_columns] == [
        ("initial", 1),
        ("annual", 1),
        ("executed", 1),
        ("weight", 1),
        ("rate", 1),
        ("score", 1),
    ]
    assert 'colspan="2"' not in html.split("funds-head")[1].split("goals-head")[0]


def test_fewer_funds_columns_keep_the_grid(tmp_path: Path) -> None:
    form, html = _shown(tmp_path, "{funds_columns: [annual, executed, weight, rate, score]}")
    columns = form.funds_columns
    assert [c.key for c in columns] == ["annual", "executed", "weight", "rate", "score"]
    assert sum(c.span for c in columns) == 6
    assert "年初预算数" not in html
    total = form.funds_total
    assert [cell.text for cell in total.cells] == ["100.00", "95.00", "10.00", "95.00", "9.50"]


def test_funds_rows_glyph_and_blank_untouched_rows(tmp_path: Path) -> None:
    form, html = _shown(
        tmp_path,
        '{funds_rows: [current_year, other], not_applicable: "—", blank_untouched_rows: true}',
    )
    rows = form.funds_rows
    assert [row.key for row in rows] == ["current_year", "other"]
    assert [cell.text for cell in rows[0].cells] == ["100.00", "100.00", "95.00", "—", "95.00", "—"]
    assert [cell.text for cell in rows[1].cells] == ["", "", "", "—", "", "—"]
    assert "上年结转资金" not in html


def test_level1_labels_carry_their_points(tmp_path: Path) -> None:
    form, _ = _shown(tmp_path, "{level1_points: true}")
    assert [line.level1 for line in form.indicators if line.level1_span] == [
        "产出指标(50分)",
        "效益指标(30分)",
        "满意度指标(10分)",
    ]
    form, _ = _shown(tmp_path, "{level1_points: true}", "{level1_points: '{name}（{points}分）'}")
    assert form.indicators[0].level1 == "产出指标（50分）"


def test_header_signatures_footnotes_and_page_numbers(tmp_path: Path) -> None:
    _, html = _shown(
        tmp_path,
        "{header_lines: [填报单位（盖章）, 填报日期], signature_row: [项目负责人, 财务负责人],"
        " footnotes: [备注：金额单位万元。], page_numbers: true, page_number_format: '-{page}-'}",
    )
    assert "<span>填报单位（盖章）：</span>" in html
    assert "<span>财务负责人：</span>" in html
    assert '<p class="footnote">备注：金额单位万元。</p>' in html
    assert 'content: "-" counter(page) "-"' in html


def test_the_year_can_stand_in_the_title(tmp_path: Path) -> None:
    form, html = _shown(tmp_path, "{}", "{title: '{year}年度项目支出绩效自评表', year_line: ''}")
    assert form.title == "2023年度项目支出绩效自评表"
    assert '<p class="year">' not in html
    assert "<h1>2023年度项目支出绩效自评表</h1>" in html


def test_extra_indicator_columns_print_and_the_grid_follows(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["profile"] = "custom.profile.yaml"
    first = data["indicators"]["产出指标"]["数量指标"][0]
    first.update(nature="≥", unit="人次", target="20", actual="25", remark="按年统计")
    profile = (
        "extends: mof-2020\nlayout: {indicator_columns: [level1, level2, name, nature, target,"
        " unit, actual, weight, score, deviation, remark]}\n"
    )
    compiled = compile_one(tmp_path, data, profile)
    assert compiled.form is not None, compiled.diagnostics
    form = present(compiled.form)
    html = render_html(form)
    assert [c.key for c in form.indicator_columns][3:6] == ["nature", "target", "unit"]
    assert sum(c.span for c in form.indicator_columns) in (99, 100, 101)
    assert '<th>指标<br class="wrap">性质</th>' in html  # between its words, in 6 %
    assert '<th>度量<br class="wrap">单位</th>' in html
    assert '<td class="measure">人次</td>' in html
    assert (
        '<td class="text">按年<br class="wrap">统计</td>' in html
    )  # evenly wrapped in its narrow column
    assert form.total_label_span == 7  # 总分 spans the columns before 分值
    assert [(c.kind, c.span) for c in form.total_cells] == [("num", 1), ("num", 1), ("blank", 2)]
    assert '<td colspan="11"></td>' in html  # the page-rule footer spans every column


def test_a_bare_target_takes_its_comparison_from_the_nature_column(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    first = data["indicators"]["产出指标"]["数量指标"][0]
    first.update(nature="≤", target="5", actual="8", deviation="超出。")
    compiled = compile_one(tmp_path, data)
    assert compiled.form is not None, compiled.diagnostics
    # at most 5, 8 reached: 30 × 5 / 8 = 18.75 (mof-2020: target over actual)
    assert compiled.form.indicators[0].score == Decimal("18.75")


def test_an_empty_group_prints_an_empty_row_where_the_layout_keeps_them(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["profile"] = "custom.profile.yaml"
    data["indicators"]["效益指标"]["经济效益指标"] = []
    data["indicators"]["效益指标"] = {
        "经济效益指标": [],
        **data["indicators"]["效益指标"],
    }
    refused = compile_one(tmp_path, data, "extends: mof-2020\n")
    assert "SE204" in [d.code for d in refused.diagnostics]
    kept = compile_one(tmp_path, data, "extends: mof-2020\nlayout: {empty_rows: true}\n")
    assert kept.diagnostics == []
    assert kept.form is not None
    form = present(kept.form)
    blank = [line for line in form.indicators if line.blank]
    assert [(line.level2, line.name, line.weight) for line in blank] == [("经济效益指标", "", "")]
    effect = next(
        line for line in form.indicators if line.level1 == "效益指标" and line.level1_span
    )
    assert effect.level1_span == 2
    from selfeval_compiler.outputs.json_format import form_to_data

    assert len(form_to_data(form)["indicators"]) == 4


def test_more_funds_rows_in_the_layouts_order(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["profile"] = "custom.profile.yaml"
    data["funds"]["special_account"] = {"initial": 20, "annual": 20, "executed": 20}
    data["funds"]["unit_funds"] = {"initial": 5, "annual": 5, "executed": 4}
    profile = (
        "extends: mof-2020\nlayout: {funds_rows: [current_year, special_account, unit_funds]}\n"
        "labels: {current_year: 其中：本年一般公共预算拨款}\n"
    )
    compiled = compile_one(tmp_path, data, profile)
    assert compiled.form is not None, compiled.diagnostics
    # 100 + 20 + 5 = 125 budgeted, 95 + 20 + 4 = 119 executed: 95.20 %
    assert compiled.form.funds.total.annual == Decimal("125.00")
    assert compiled.form.funds.total.rate == Decimal("95.20")
    form = present(compiled.form)
    assert [row.label for row in form.funds_rows] == [
        "其中：本年一般公共预算拨款",
        "财政专户管理资金",
        "单位资金",
    ]

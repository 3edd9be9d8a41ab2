"""Real published forms (tests/data/realforms, transcribed from their public pages): each spec
under examples/realforms either reproduces every printed figure under its profile or has the
printed defect flagged with the right code. Expected figures are read from the transcription,
never typed in here."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, REPO

from selfeval_compiler import api
from selfeval_compiler.forms.department import present_department
from selfeval_compiler.forms.self_evaluation import SelfEvaluationForm, flat, present
from selfeval_compiler.model.profiles import ProfileCache
from selfeval_compiler.model.spec import build_spec
from selfeval_compiler.outputs.json_format import form_to_data
from selfeval_compiler.rules.compiler import CompiledSpec
from selfeval_compiler.rules.scoring import ScoredForm, score_form
from selfeval_compiler.sources.discovery import discover
from selfeval_compiler.sources.yaml_loader import load_file

FORMS = REPO / "examples" / "realforms"
TRANSCRIPTIONS = DATA / "realforms"


def _number(text: str) -> Decimal:
    return Decimal(text.rstrip("%"))


def _load(spec: str, transcription: str) -> tuple[CompiledSpec, dict[str, Any]]:
    compiled = api.check([FORMS / spec]).compiled[0]
    printed = json.loads((TRANSCRIPTIONS / transcription).read_text("utf-8"))
    return compiled, printed


def _scored(printed: dict[str, Any]) -> list[Decimal]:
    return [_number(row["score"]) for row in printed["indicators"] if row.get("score")]


def _codes(compiled: CompiledSpec) -> list[str]:
    return sorted(d.code for d in compiled.diagnostics)


def test_hebei_langfang_2019_reproduces_every_printed_figure() -> None:
    compiled, printed = _load(
        "hb-langfang-food-school-2019.yaml", "hb_langfang_food_school_2019.json"
    )
    assert compiled.diagnostics == []
    assert compiled.form is not None
    total_row = printed["funds"][0]
    assert compiled.form.funds.total.rate == _number(total_row["rate"])
    assert compiled.form.funds.score == _number(total_row["score"])
    assert [s.score for s in compiled.form.indicators] == _scored(printed)
    shown = present(compiled.form)
    assert shown.funds_total.rate == total_row["rate"]  # 86%, as printed
    assert shown.funds_total.score == total_row["score"]
    columns = tuple(column.key for column in shown.funds_columns)
    assert _shown_funds(shown) == _printed_funds(printed, columns)  # 43.2, 86%, blanks
    assert [line.score for line in shown.indicators if not line.blank] == [
        row["score"] for row in printed["indicators"] if row.get("score")
    ]
    # Names as printed: the template's numbers (指标1, 指标2) come from the layout.
    assert [line.cell("name") for line in shown.indicators if not line.blank] == [
        row["level3"] for row in printed["indicators"] if row.get("level3")
    ]
    # The template's empty row is printed where the transcription has it.
    empty = [row["level2"] for row in printed["indicators"] if row.get("level3") is None]
    assert [line.level2 for line in shown.indicators if line.blank] == empty


def test_hubei_district_2020_reproduces_scaled_scores_and_total() -> None:
    compiled, printed = _load(
        "hubei-district-commerce-2020.yaml",
        "hubei_style_district_commerce_2020_service_trade.json",
    )
    assert compiled.diagnostics == []  # the printed rate, score and 总分 all agree
    assert compiled.form is not None
    (total_row,) = printed["funds"]
    assert compiled.form.funds.total.rate == _number(total_row["rate"])
    assert compiled.form.funds.score == _number(total_row["score"])
    assert [s.score for s in compiled.form.indicators] == _scored(printed)
    # 20 + (Σ 100 scaled to 80) = 100, as printed.
    assert compiled.form.total == _number(printed["total_score"])
    # As published: scores only (no 分值 column), no goals block, the header's values.
    shown = present(compiled.form)
    assert "weight" not in [column.key for column in shown.indicator_columns]
    assert [line.cell("score") for line in shown.indicators] == [
        row["score"] for row in printed["indicators"]
    ]
    assert [line.level1 for line in shown.indicators] == [
        row["level1"] for row in printed["indicators"]
    ]
    assert all(row["weight"] is None for row in printed["indicators"])
    assert printed["goals"] is None
    assert "goals" not in [section.kind for section in shown.sections]
    assert [row.text for row in shown.header_rows] == [
        printed["filing_unit"],
        printed["filing_date"],
    ]
    assert shown.funds_total.cells[3].text == total_row["rate"]


def test_anhui_chizhou_2022_flags_the_zero_total_row() -> None:
    compiled, printed = _load("ah-chizhou-tangxi-2022.yaml", "ah_chizhou_tangxi_2022_weituo.json")
    # The printed 0/0/0 total row: three amounts, the rate and the score; and the weights sum
    # to 90 because the satisfaction row was not captured by the transcription.
    assert _codes(compiled) == ["SE404", "SE404", "SE404", "SE407", "SE407", "SE501"]
    total_line = {d.location.line for d in compiled.diagnostics if d.code in ("SE404", "SE407")}
    assert len(total_line) == 1
    assert printed["funds"][0]["initial_budget"] == "0"
    captured = [row for row in printed["indicators"] if row.get("score")]
    form = _derived(FORMS / "ah-chizhou-tangxi-2022.yaml")
    assert [s.score for s in form.indicators] == [_number(row["score"]) for row in captured]
    assert form.funds.total.rate == Decimal("100.00")  # 89.974 / 89.974, not the printed 0


def _derived(path: Path) -> ScoredForm:
    """Every figure the rules give a spec whose errors are about its printed figures and its
    weights only (which stop a build, not the arithmetic)."""
    (spec_file,), _ = discover([path])
    document, _ = load_file(spec_file.path)
    assert document is not None
    spec, _ = build_spec(document, spec_file.path, [])
    assert spec is not None
    profile, _ = ProfileCache().get(spec.profile, spec.profile_base, spec.profile_location)
    assert profile is not None
    form, _ = score_form(spec, profile)
    assert form is not None
    return form


def test_sichuan_zhongjiang_2022_flags_weights_of_110_printed_as_100() -> None:
    compiled, printed = _load("sc-zhongjiang-water-2022.yaml", "sc_zhongjiang_water_2022.json")
    assert _codes(compiled) == ["SE407", "SE501", "SE502", "SE502"]
    (total,) = [d for d in compiled.diagnostics if d.code == "SE407"]
    assert printed["total_score"] in total.message_zh
    total_row = printed["funds"][0]
    form = _derived(FORMS / "sc-zhongjiang-water-2022.yaml")
    assert [s.score for s in form.indicators] == _scored(printed)
    assert form.funds.total.rate == _number(total_row["rate"])
    assert form.funds.score == _number(total_row["score"])


@pytest.mark.parametrize("spec", sorted(FORMS.glob("*.yaml")), ids=lambda p: p.stem)
def test_each_real_form_names_its_transcription(spec: Path) -> None:
    text = spec.read_text("utf-8")
    assert "tests/data/realforms/" in text


def test_chongqing_department_2021_reproduces_its_printed_figures() -> None:
    """The 部门整体绩效自评表 (garbled extraction): 执行率 × 权重 and every 得分系数 × 权重
    reproduce; what the extraction lost is reported, not invented."""
    compiled, printed = _load(
        "cq-kexuecheng-rongmeiti-2021-department.yaml", "cq_kexuecheng_rongmeiti_2021_bumen.json"
    )
    form = compiled.department
    assert form is not None
    (funds_row,) = printed["funds"]
    assert form.funds.total.rate == _number(funds_row["rate"])
    assert form.funds.weight == _number(funds_row["weight"])
    assert form.funds.score == _number(funds_row["score"])
    rows = [row for row in printed["indicators"] if row.get("score")]
    assert [s.indicator.name for s in form.indicators] == [row["name"] for row in rows]
    assert [s.score for s in form.indicators] == [_number(row["score"]) for row in rows]
    assert [s.coefficient for s in form.indicators] == [_number(r["coefficient"]) for r in rows]
    shown = present_department(form)
    assert (shown.funds[0].rate, shown.funds[0].weight, shown.funds[0].score) == (
        funds_row["rate"],
        funds_row["weight"],
        funds_row["score"],
    )
    assert [line.score for line in shown.indicators] == [row["score"] for row in rows]
    assert [line.coefficient for line in shown.indicators] == [r["coefficient"] for r in rows]
    assert [line.core for line in shown.indicators] == [row["core"] for row in rows]
    assert shown.total_at == "header"
    # The amounts are lost (SE702: the printed rate is used); the list is cut after 19 rows
    # (SE708); cells the extraction left empty print blank (SE709).
    assert _codes(compiled) == ["SE702", "SE708"] + ["SE709"] * 5
    # The printed 自评总分 is the derived total plus the cut rows at full marks.
    missing = (
        form.profile.total_weight
        - form.funds.weight
        - sum(r.indicator.weight for r in form.indicators)
    )
    assert form.total + missing == _number(printed["total_score"])


_FUNDS_KEYS = {
    "initial": "initial_budget",
    "annual": "annual_budget",
    "executed": "executed",
    "weight": "weight",
    "rate": "rate",
    "score": "score",
}


def _printed_funds(printed: dict[str, Any], columns: tuple[str, ...]) -> list[list[str]]:
    """Each transcribed funds row's figure cells, blank where the form printed nothing."""
    return [
        [row.get(_FUNDS_KEYS[key]) or "" for key in columns if key in _FUNDS_KEYS]
        for row in printed["funds"]
    ]


def _shown_funds(form: SelfEvaluationForm) -> list[list[str]]:
    keys = [column.key for column in form.funds_columns]
    return [
        [cell.text for key, cell in zip(keys, row.cells, strict=True) if key in _FUNDS_KEYS]
        for row in (form.funds_total, *form.funds_rows)
    ]


_INDICATOR_CELLS = (("name", "level3"), ("target", "target"), ("actual", "actual"))
_FIGURE_CELLS = (("weight", "weight"), ("score", "score"))


def _printed_indicators(printed: dict[str, Any]) -> list[list[str]]:
    """Each transcribed indicator row as printed: 一级, 二级, name, target, actual, weight,
    score (an empty cell as "")."""
    return [
        [row["level1"], row["level2"]]
        + [row.get(key) or "" for _, key in (*_INDICATOR_CELLS, *_FIGURE_CELLS)]
        for row in printed["indicators"]
    ]


def _shown_indicators(form: SelfEvaluationForm) -> list[list[str]]:
    return [
        [line.level1, line.level2]
        + [line.cell(key) for key, _ in (*_INDICATOR_CELLS, *_FIGURE_CELLS)]
        for line in form.indicators
    ]


def test_anhui_tianchang_2022_prints_as_published() -> None:
    compiled, printed = _load(
        "ah-chuzhou-tianchang-2022.yaml", "ah_chuzhou_tianchang_2022_shuihan.json"
    )
    assert compiled.diagnostics == []  # the printed 得分 and 总分 agree
    assert compiled.form is not None
    shown = present(compiled.form)
    columns = tuple(column.key for column in shown.funds_columns)
    assert [flat(column.label) for column in shown.funds_columns] == printed[
        "funds_header_as_printed"
    ]
    # 执行率 left blank, the sub-rows' 分值/得分 "-", untouched rows blank.
    assert _shown_funds(shown) == _printed_funds(printed, columns)
    assert flat(shown.labels.goals) == printed["goals"]["block_label_as_printed"]
    assert [part.text for part in shown.goals_parts] == [
        printed["goals"]["expected"],
        printed["goals"]["actual"],
    ]
    assert shown.indicator_heading == "side"
    assert shown.indicator_heading_label == printed["indicator_block_label_as_printed"]
    assert [flat(column.label) for column in shown.indicator_columns] == printed[
        "indicator_header_as_printed"
    ]
    # Every row in its place: numbered names, the template's 指标2: and …… rows, the
    # not-applicable / / / row, met text rows with empty target and actual cells.
    assert _shown_indicators(shown) == _printed_indicators(printed)
    assert shown.total == printed["total_score"]
    assert shown.total_weight == printed["total_weight"]
    assert shown.footnotes == (printed["form_notes_as_printed"].split("(excerpt")[0],)
    # The JSON keeps the values the form leaves unprinted.
    data = form_to_data(shown)
    quality = next(item for item in data["indicators"] if item["name"] == "工程质量合格")
    assert (quality["target"], quality["number"]) == ("合格", "指标1:")


def test_sichuan_daying_2023_prints_as_published() -> None:
    compiled, printed = _load("sc-suining-daying-2023.yaml", "sc_suining_daying_2023_anke.json")
    # The one indicator carries all 90 points (Sichuan's rule of 50 for 产出指标 warns).
    assert _codes(compiled) == ["SE502"]
    assert compiled.form is not None
    shown = present(compiled.form)
    assert flat(shown.title) == printed["form_title_as_printed"].split("(")[0]
    assert flat(shown.funds_label) == printed["funds_block_label_as_printed"]
    header = [flat(shown.funds_corner), *(flat(column.label) for column in shown.funds_columns)]
    assert header == printed["funds_header_as_printed"]
    columns = tuple(column.key for column in shown.funds_columns)
    assert _shown_funds(shown) == _printed_funds(printed, columns)
    assert [flat(row.label) for row in (shown.funds_total, *shown.funds_rows)] == [
        row["label"] for row in printed["funds"]
    ]
    basic = printed["basic_info"]
    assert [(part.key, part.text) for part in shown.goals_parts] == [
        ("expected", basic["annual_goal"]),
        ("actual", basic["goal_completion"]),
        ("process", basic["implementation_summary"]),
    ]
    assert shown.goals_layout == "rows"
    assert shown.indicator_heading_label == printed["indicator_block_label_as_printed"]
    assert [flat(column.label) for column in shown.indicator_columns] == printed[
        "indicator_header_as_printed"
    ]
    # The captured part of the first indicator row (the excerpt ends after its 指标值).
    (first,) = printed["indicators"]
    line = shown.indicators[0]
    for key in ("level1", "level2", "nature", "target"):
        assert line.cell(key) == first[key]
    assert line.cell("name") == first["level3"]
    tail = printed["preceding_form_tail"]
    assert [row.label for row in shown.trailer] == [
        key for key in tail if key in ("评价结论", "存在问题", "改进措施")
    ]
    assert flat(shown.labels.total) == tail["total_row"]["label"]
    data = form_to_data(shown)
    assert data["indicators"][0]["nature"] == first["nature"]
    assert list(data["goals"].values()) == list(basic.values())

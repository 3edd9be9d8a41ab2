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
from selfeval_compiler.forms.self_evaluation import present
from selfeval_compiler.model.profiles import ProfileCache
from selfeval_compiler.model.spec import build_spec
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
    assert [line.score for line in shown.indicators if not line.blank] == [
        row["score"] for row in printed["indicators"] if row.get("score")
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

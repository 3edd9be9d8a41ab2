"""Regional rules as profile options (#11): rounding modes and places per figure, the rate's
basis, a met indicator worth exactly its weight, printed figures checked. Figures are worked
out by hand in the comments."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import BASE, D, codes, compile_one

from selfeval_compiler.forms.self_evaluation import present


def _profile(rounding: str, extra: str = "") -> str:
    return f"extends: mof-2020\nrounding: {rounding}\n{extra}"


def _funds(executed: str, annual: str, initial: str | None = None) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["profile"] = "custom.profile.yaml"
    data["funds"]["current_year"] = {
        "initial": D(initial or annual),
        "annual": D(annual),
        "executed": D(executed),
    }
    return data


@pytest.mark.parametrize(
    ("mode", "rate", "score"),
    [
        # 12.51 / 14.00 = 0.893571…; ×100 = 89.3571…; × 10 = 8.93571…
        ("truncate", "89.35", "8.93"),
        ("half-up", "89.36", "8.94"),
        ("half-even", "89.36", "8.94"),
        ("ceiling", "89.36", "8.94"),
    ],
)
def test_rounding_modes(tmp_path: Path, mode: str, rate: str, score: str) -> None:
    compiled = compile_one(tmp_path, _funds("12.51", "14.00"), _profile(f"{{mode: {mode}}}"))
    assert compiled.form is not None, compiled.diagnostics
    assert compiled.form.funds.total.rate == D(rate)
    assert compiled.form.funds.score == D(score)


def test_half_even_and_ceiling_differ_from_half_up_where_they_should(tmp_path: Path) -> None:
    # 12.345 / 100 → 12.345 %: half-even 12.34 (4 is even), half-up 12.35, ceiling 12.35.
    results = {}
    for mode in ("half-even", "half-up", "ceiling", "truncate"):
        compiled = compile_one(tmp_path, _funds("12.345", "100"), _profile(f"{{mode: {mode}}}"))
        assert compiled.form is not None
        results[mode] = compiled.form.funds.total.rate
    assert results == {
        "half-even": D("12.34"),
        "half-up": D("12.35"),
        "ceiling": D("12.35"),
        "truncate": D("12.34"),
    }
    # 12.341 %: ceiling rounds up to 12.35, half-up keeps 12.34.
    compiled = compile_one(tmp_path, _funds("12.341", "100"), _profile("{mode: ceiling}"))
    assert compiled.form is not None
    assert compiled.form.funds.total.rate == D("12.35")


def test_whole_number_rate_and_score_as_hebei_prints_them(tmp_path: Path) -> None:
    # 37.24 / 43.2 = 86.2037 % → 86; 10 × 0.862037 = 8.62 → 9 (half-up, whole numbers).
    profile = _profile(
        "{mode: half-up, places: 2, figures: {rate: {places: 0}, funds_score: {places: 0}}}"
    )
    compiled = compile_one(tmp_path, _funds("37.24", "43.2"), profile)
    assert compiled.form is not None
    assert compiled.form.funds.total.rate == D("86")
    assert compiled.form.funds.score == D("9")
    shown = present(compiled.form)
    assert (shown.funds_total.rate, shown.funds_total.score, shown.funds_total.weight) == (
        "86",
        "9",
        "10",
    )


def test_a_met_indicator_scores_exactly_its_weight_under_whole_numbers(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["profile"] = "custom.profile.yaml"
    group = data["indicators"]["产出指标"]["数量指标"]
    group[0].update(weight=D("12.5"))  # met (25 ≥ 20)
    group.append({"name": "培训天数", "target": "≥2(天)", "actual": "3(天)", "weight": D("17.5")})
    compiled = compile_one(tmp_path, data, _profile("{mode: half-up, places: 0}"))
    assert codes(compiled) == []
    assert compiled.form is not None
    scores = [s.score for s in compiled.form.indicators]
    assert scores[:2] == [D("12.5"), D("17.5")]
    weights = sum((i.weight for i in compiled.form.spec.indicators), Decimal(0))
    assert compiled.form.total <= weights + compiled.form.funds.weight
    shown = present(compiled.form)
    assert [line.score for line in shown.indicators][:2] == ["12.5", "17.5"]


def test_the_rate_can_be_taken_over_the_initial_budget(tmp_path: Path) -> None:
    # executed 40 of an initial 50 (annual 100): 80 % over the initial budget, 40 % over annual.
    data = _funds("40", "100", initial="50")
    over_initial = compile_one(
        tmp_path, data, _profile("{mode: half-up}", "execution_rate_basis: initial\n")
    )
    over_annual = compile_one(tmp_path, data, _profile("{mode: half-up}"))
    assert over_initial.form is not None
    assert over_annual.form is not None
    assert over_initial.form.funds.total.rate == D("80.00")
    assert over_annual.form.funds.total.rate == D("40.00")


def _printed(**printed: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)  # 95 / 100: rate 95.00, score 9.50; indicators 90 → total 99.50
    total = {"initial": D("100.00"), "annual": D("100.00"), "executed": D("95.00")}
    total.update({k: v for k, v in printed.items() if k in ("rate", "score", "initial")})
    data["funds"]["total"] = total
    data.update({k: v for k, v in printed.items() if k in ("total", "grade")})
    return data


def test_printed_figures_that_agree_pass(tmp_path: Path) -> None:
    compiled = compile_one(
        tmp_path, _printed(rate=D("95.00"), score=D("9.5"), total=D("99.50"), grade="优")
    )
    assert codes(compiled) == []


@pytest.mark.parametrize(
    ("printed", "code", "figures"),
    [
        ({"rate": D("95.10")}, "SE407", ("95.10", "95.00")),
        ({"score": D("10")}, "SE407", ("10", "9.50")),
        ({"total": D("100")}, "SE407", ("100", "99.50")),
        ({"grade": "良"}, "SE407", ("良", "优")),
        ({"initial": D("0")}, "SE404", ("0", "100.00")),
    ],
)
def test_printed_figures_that_disagree_are_flagged_on_their_line(
    tmp_path: Path, printed: dict[str, Any], code: str, figures: tuple[str, str]
) -> None:
    compiled = compile_one(tmp_path, _printed(**printed))
    (problem,) = compiled.diagnostics
    assert problem.code == code
    assert all(figure in problem.message_zh for figure in figures)
    key = next(iter(printed))
    lines = (tmp_path / "form.yaml").read_text("utf-8").splitlines()
    assert lines[problem.location.line - 1].lstrip().startswith(f"{key}:")
    assert compiled.form is not None  # the form itself still builds, printing the derived figure


def test_indicators_out_of_100_scaled_to_the_block(tmp_path: Path) -> None:
    # Funds 20 × 95 % = 19; indicators scored out of 100: 25≥20 met (30), 达成 (20), 明显 (30),
    # and a missed 80 % of a ≥90 % target: 20 × 80/90 = 17.78 → Σ 97.78, × 80/100 = 78.224;
    # 总分 19 + 78.224 = 97.224 → 97.22.
    data = copy.deepcopy(BASE)
    data["profile"] = "custom.profile.yaml"
    data["funds"]["weight"] = 20
    data["indicators"]["满意度指标"]["服务对象满意度指标"][0].update(
        weight=20, actual="80%", deviation="满意度未达标。"
    )
    profile = (
        "extends: mof-2020\nfunds_weight: 20\nlevel1_weights: {}\n"
        "indicator_scale: {out_of: 100, points: 80}\n"
    )
    compiled = compile_one(tmp_path, data, profile)
    assert codes(compiled) == []
    assert compiled.form is not None
    assert compiled.form.funds.score == D("19.00")
    assert [s.score for s in compiled.form.indicators] == [D("30"), D("20"), D("30"), D("17.78")]
    assert compiled.form.total == D("97.22")

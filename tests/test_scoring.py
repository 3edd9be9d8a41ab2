"""Derivation rules (RULES.md §3) on hand-computed cases."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import BASE, D, codes, compile_one, first_indicator, spec

from selfeval_compiler.diagnostics import Severity

HALF_UP_YUAN = "extends: mof-2020\namount_unit: 元\n"
TRUNCATE = "extends: mof-2020\nrounding: {mode: truncate, places: 2}\n"


def funds(executed: str, annual: str, initial: str | None = None) -> dict[str, object]:
    data = dict(BASE["funds"])
    data["current_year"] = {
        "initial": D(initial or annual),
        "annual": D(annual),
        "executed": D(executed),
    }
    return data


def test_valid_base_spec_scores_as_computed_by_hand(tmp_path: Path) -> None:
    compiled = compile_one(tmp_path, spec())
    assert compiled.diagnostics == []
    form = compiled.form
    assert form is not None
    assert form.funds.total.rate == D("95.00")
    assert form.funds.score == D("9.50")
    assert [s.score for s in form.indicators] == [30, 20, 30, 10]
    assert form.total == D("99.50")
    assert form.grade == "优"


@pytest.mark.parametrize(("profile", "score"), [(HALF_UP_YUAN, "8.62"), (TRUNCATE, "8.61")])
def test_putuo_2022_rounding_half_up_versus_truncation(
    tmp_path: Path, profile: str, score: str
) -> None:
    # 上海普陀 2022: 215457.6 / 250000 元 → 86.18 %, score 8.62 half-up (8.61 truncated).
    data = spec(funds=funds("215457.6", "250000"), profile="custom.profile.yaml")
    form = compile_one(tmp_path, data, profile).form
    assert form is not None
    assert form.funds.total.rate == D("86.18")
    assert form.funds.score == D(score)


def test_langfang_2019_whole_numbers(tmp_path: Path) -> None:
    # 河北廊坊 2019: 37.24 / 43.2 → 86 % and 9 points, half-up to whole numbers.
    profile = "extends: mof-2020\nrounding: {mode: half-up, places: 0}\n"
    data = spec(funds=funds("37.24", "43.2"), profile="custom.profile.yaml")
    form = compile_one(tmp_path, data, profile).form
    assert form is not None
    assert (form.funds.total.rate, form.funds.score) == (D("86"), D("9"))


def test_execution_above_budget_is_capped_and_warned(tmp_path: Path) -> None:
    compiled = compile_one(tmp_path, spec(funds=funds("120", "100")))
    assert codes(compiled) == ["SE401"]
    assert compiled.form is not None
    assert compiled.form.funds.total.rate == D("120.00")
    assert compiled.form.funds.score == D("10.00")


def test_zero_budget_rows_print_zero_rate(tmp_path: Path) -> None:
    form = compile_one(tmp_path, spec()).form
    assert form is not None
    printed = [row for row in form.funds.rows if row.key in form.profile.layout.funds_rows]
    assert [row.rate for row in printed] == [D("95.00"), D("0"), D("0")]


def test_zero_budget_with_execution_is_an_error(tmp_path: Path) -> None:
    data = spec()
    data["funds"]["other"] = {"initial": 0, "annual": 0, "executed": D("5.00")}
    assert "SE402" in codes(compile_one(tmp_path, data))


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≥20(次)", "15(次)", "22.50"),  # at least: 30 × 15 / 20
        ("=100(%)", "90(%)", "27.00"),  # equal, below: proportional
        ("100%", "98%", "29.40"),  # no comparator, non-zero: at least
        ("≤5%", "8%", "18.75"),  # at most, mof-2020: 30 × 5 / 8
        ("0次", "2次", "0.00"),  # zero target missed
        ("≤0起", "1起", "0.00"),
    ],
)
def test_unmet_quantitative_targets(
    tmp_path: Path,
    target: str,
    actual: str,
    expected: str,
) -> None:
    data = first_indicator(target=target, actual=actual, deviation="原因及措施")
    compiled = compile_one(tmp_path, data)
    assert compiled.form is not None, compiled.diagnostics
    assert compiled.form.indicators[0].score == D(expected)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [("target_over_actual", "18.75"), ("linear_excess", "12.00"), ("zero", "0.00")],
)
def test_at_most_formula_is_a_profile_setting(tmp_path: Path, formula: str, expected: str) -> None:
    profile = f"extends: mof-2020\nat_most_unmet: {formula}\n"
    data = first_indicator(target="≤5%", actual="8%", deviation="说明")
    data["profile"] = "custom.profile.yaml"
    form = compile_one(tmp_path, data, profile).form
    assert form is not None
    assert form.indicators[0].score == D(expected)


def test_linear_excess_floors_at_zero(tmp_path: Path) -> None:
    profile = "extends: mof-2020\nat_most_unmet: linear_excess\n"
    data = first_indicator(target="≤5%", actual="11%", deviation="说明")
    data["profile"] = "custom.profile.yaml"
    form = compile_one(tmp_path, data, profile).form
    assert form is not None
    assert form.indicators[0].score == 0


def test_met_targets_earn_full_weight(tmp_path: Path) -> None:
    for target, actual in [
        ("≥20(次)", "32.00(次)"),
        ("=100.00(%)", "100.00(%)"),
        ("及时", "及时"),
        ("≥60个", "达成指标"),
        ("0次", "0次"),
    ]:
        form = compile_one(tmp_path, first_indicator(target=target, actual=actual)).form
        assert form is not None
        assert form.indicators[0].score == 30, (target, actual)


def test_met_target_scored_below_weight_is_a_contradiction(tmp_path: Path) -> None:
    compiled = compile_one(tmp_path, first_indicator(actual="达成指标", score=27))
    assert codes(compiled) == ["SE303"]
    assert compiled.form is None


def test_partial_verdict_needs_a_score_in_its_band(tmp_path: Path) -> None:
    partial = "部分达成年度指标并具有一定效果"
    ok = compile_one(tmp_path, first_indicator(actual=partial, score=20, deviation="原因"))
    assert ok.diagnostics == []
    assert ok.form is not None
    assert ok.form.indicators[0].score == 20
    assert codes(compile_one(tmp_path, first_indicator(actual=partial, deviation="x"))) == ["SE304"]
    outside = compile_one(tmp_path, first_indicator(actual=partial, score=27, deviation="x"))
    assert codes(outside) == ["SE302"]


def test_unmet_verdict_band_from_profile(tmp_path: Path) -> None:
    unmet = "未达成年度指标且效果较差"
    assert (
        codes(compile_one(tmp_path, first_indicator(actual=unmet, score=17, deviation="x"))) == []
    )
    assert codes(compile_one(tmp_path, first_indicator(actual=unmet, score=19, deviation="x"))) == [
        "SE302"
    ]
    hubei = "extends: mof-2020\nqualitative_bands: {unmet: {low: 0, high: 50}}\n"
    data = first_indicator(actual=unmet, score=17, deviation="x")
    data["profile"] = "custom.profile.yaml"
    assert codes(compile_one(tmp_path, data, hubei)) == ["SE302"]


def test_score_above_weight(tmp_path: Path) -> None:
    partial = "部分达成"
    assert codes(compile_one(tmp_path, first_indicator(actual=partial, score=31))) == ["SE301"]


def test_deviation_required_below_weight(tmp_path: Path) -> None:
    compiled = compile_one(tmp_path, first_indicator(actual="15(次)"))
    assert codes(compiled) == ["SE307"]
    assert compiled.diagnostics[0].location.path == ("indicators", "产出指标", "数量指标", 0)


def test_numeric_target_needs_number_or_verdict(tmp_path: Path) -> None:
    assert codes(compile_one(tmp_path, first_indicator(actual="较好"))) == ["SE305"]


def test_text_target_with_different_text_needs_a_judgement(tmp_path: Path) -> None:
    data = first_indicator(target="合理", actual="基本合理")
    assert codes(compile_one(tmp_path, data)) == ["SE304"]


def test_unit_mismatch_is_an_error_and_never_a_met_target(tmp_path: Path) -> None:
    compiled = compile_one(tmp_path, first_indicator(target="100%", actual="100个"))
    assert codes(compiled) == ["SE306"]
    assert compiled.diagnostics[0].severity is Severity.ERROR
    assert "“%”填写" in compiled.diagnostics[0].message_zh
    assert compiled.form is None


@pytest.mark.parametrize(
    ("target", "actual", "score"),
    [
        ("≤300元/平方米", "280元/平方米", "30"),
        ("≤300元/平方米", "280元/㎡", "30"),
        ("≤300元/㎡", "280元/m²", "30"),
        ("≤2万元/公里", "19.5元/米", "30"),
        ("≥12000元", "1.2万元", "30"),
        ("≥5次/年", "6次/年", "30"),
        ("≥20(次/年)", "10次/年", "15.00"),
        ("≥2公顷", "10000平方米", "15.00"),
    ],
)
def test_spellings_and_compound_units_compare_after_conversion(
    tmp_path: Path, target: str, actual: str, score: str
) -> None:
    compiled = compile_one(
        tmp_path, first_indicator(target=target, actual=actual, deviation="说明")
    )
    assert codes(compiled) == []
    assert compiled.form is not None
    assert compiled.form.indicators[0].score == D(score)


def test_a_fraction_against_a_percentage_suggests_the_percentage(tmp_path: Path) -> None:
    data = first_indicator(target="≥90%", actual="0.95", deviation="说明")
    compiled = compile_one(tmp_path, data)
    assert codes(compiled) == ["SE310"]
    (warning,) = compiled.diagnostics
    assert warning.severity is Severity.WARNING
    assert "写成 95%" in warning.message_zh
    assert "write 95%" in warning.message_en


@pytest.mark.parametrize(
    ("target", "actual"), [("≥90%", "95"), ("≥0.5%", "0.6"), ("≥20个", "0.95")]
)
def test_no_fraction_warning_where_the_number_is_plausible(
    tmp_path: Path, target: str, actual: str
) -> None:
    assert "SE310" not in codes(
        compile_one(tmp_path, first_indicator(target=target, actual=actual))
    )


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("90.00", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
    ],
)
def test_mof_grades(total: str, grade: str) -> None:
    from selfeval_compiler.model.profiles import load_profile

    assert load_profile("mof-2020").grade_for(Decimal(total)) == grade


def test_vendor_grades_from_a_profile(tmp_path: Path) -> None:
    from selfeval_compiler.model.profiles import load_profile

    path = tmp_path / "vendor.profile.yaml"
    path.write_text(
        "extends: mof-2020\ngrades: [{label: 优, min: 80}, {label: 良, min: 70},"
        " {label: 中, min: 60}, {label: 差, min: 0}]\n",
        encoding="utf-8",
    )
    profile = load_profile("vendor.profile.yaml", tmp_path / "form.yaml")
    assert profile.grade_for(Decimal("80")) == "优"
    assert profile.grade_for(Decimal("79.99")) == "良"


def test_execution_rate_threshold_requires_funds_deviation(tmp_path: Path) -> None:
    sichuan = "extends: mof-2020\ndeviation_required: {execution_rate_below: 90}\n"
    data = spec(funds=funds("80", "100"), profile="custom.profile.yaml")
    assert codes(compile_one(tmp_path, data, sichuan)) == ["SE403"]
    data["funds"]["deviation"] = "采购延期。"
    assert codes(compile_one(tmp_path, data, sichuan)) == []


def test_overrun_above_130_percent_requires_deviation(tmp_path: Path) -> None:
    guangxi = "extends: mof-2020\ndeviation_required: {actual_over_target_percent: 130}\n"
    data = first_indicator(target="≥20(次)", actual="45(次)")
    data["profile"] = "custom.profile.yaml"
    assert codes(compile_one(tmp_path, data, guangxi)) == ["SE308"]
    data = first_indicator(target="≥20(次)", actual="26(次)")
    data["profile"] = "custom.profile.yaml"
    assert codes(compile_one(tmp_path, data, guangxi)) == []

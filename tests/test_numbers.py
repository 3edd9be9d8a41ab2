"""Numbers a clerk or a hostile file may write: bounded, unambiguous, never a crash (#10)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import codes, compile_one, first_indicator, spec, to_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval_compiler.sources.yaml_loader import load_text


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("010", "SE011"),
        ("1:35", "SE011"),
        ("0b101", "SE011"),
        ("0x1F", "SE011"),
        ("1_000", "SE011"),
        ("1_000.5", "SE011"),
        ("1.0e-99999999", "SE012"),
        ("1.0e+30", "SE012"),
        ("1234567890123456", "SE012"),
        ("-1234567890123456.5", "SE012"),
        ("0.1234567", "SE012"),
        ('"a\\0b"', "SE013"),
        ('"a\\rb"', "SE013"),
        ('"a\\x1bb"', "SE013"),
    ],
)
def test_numbers_and_escapes_that_would_mislead_are_refused(written: str, code: str) -> None:
    document, problems = load_text(f"a: {written}\n", "n.yaml")
    assert document is None
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [(code, 1, 4)]


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("0", 0),
        ("-3", -3),
        ("12.50", Decimal("12.50")),
        ("0.5", Decimal("0.5")),
        ("00.5", Decimal("0.5")),
    ],
)
def test_plain_numbers_still_load(written: str, value: object) -> None:
    document, problems = load_text(f"a: {written}\n", "n.yaml")
    assert problems == []
    assert document is not None
    assert document.data["a"] == value


def test_text_keeps_tabs_and_line_breaks() -> None:
    document, problems = load_text('a: "x\\ty\\nz"\n', "n.yaml")
    assert problems == []
    assert document is not None
    assert document.data["a"] == "x\ty\nz"


def test_a_missed_negative_target_asks_for_a_judged_score(tmp_path: Path) -> None:
    data = first_indicator(target="≤-5%", actual="0%")
    compiled = compile_one(tmp_path, data)
    assert codes(compiled) == ["SE304"]
    data = first_indicator(target="≤-5%", actual="0%", score=12, deviation="成本未降。")
    compiled = compile_one(tmp_path, data)
    assert codes(compiled) == []
    assert compiled.form is not None
    assert compiled.form.indicators[0].score == 12


measures = st.decimals(min_value=-200, max_value=200, places=1, allow_nan=False)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    comparator=st.sampled_from(["≥", "≤", "=", ">", "<", ""]),
    target=measures,
    actual=measures,
)
def test_quantities_never_score_outside_zero_to_weight(
    tmp_path: Path, comparator: str, target: Decimal, actual: Decimal
) -> None:
    data = first_indicator(target=f"{comparator}{target}%", actual=f"{actual}%", deviation="说明。")
    compiled = compile_one(tmp_path, data)
    if compiled.form is None:
        assert set(codes(compiled)) <= {"SE304"}
        return
    score = compiled.form.indicators[0].score
    assert 0 <= score <= 30
    met = compiled.form.indicators[0].basis == "met"
    assert not (met and score != 30)


def test_the_base_spec_still_loads(tmp_path: Path) -> None:
    assert load_text(to_yaml(spec()), "a.yaml")[1] == []


@pytest.mark.parametrize(
    ("annual", "hint"),
    [
        ("１００", "100"),  # full-width digits
        ("47.80万元", "47.80"),  # a unit typed in the number
        ("1,234.5x", None),
    ],
)
def test_text_in_a_number_field_says_what_to_write(
    tmp_path: Path, annual: str, hint: str | None
) -> None:
    data = spec()
    data["funds"]["weight"] = annual
    compiled = compile_one(tmp_path, data)
    (problem,) = compiled.diagnostics
    assert problem.code == "SE103"
    if hint is None:
        assert problem.message_zh.endswith("这里是文字")
    else:
        assert f"{hint}" in problem.message_zh.split("这里是文字")[1]


def test_quoted_grouped_amounts_are_read_as_numbers(tmp_path: Path) -> None:
    data = spec()
    data["funds"]["current_year"] = {
        "initial": "1,234.50",
        "annual": "1,234.50",
        "executed": "1,000",
    }
    compiled = compile_one(tmp_path, data)
    assert compiled.diagnostics == []
    assert compiled.form is not None
    assert compiled.form.funds.total.annual == Decimal("1234.50")
    assert compiled.form.funds.total.executed == Decimal("1000")


def test_a_tab_in_the_indentation_is_named(tmp_path: Path) -> None:
    document, problems = load_text("funds:\n\tweight: 10\n", "t.yaml")
    assert document is None
    assert [(p.code, p.location.line) for p in problems] == [("SE001", 2)]
    assert "Tab" in problems[0].message_zh
    assert "tabs" in problems[0].message_en

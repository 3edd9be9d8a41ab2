from __future__ import annotations

from decimal import Decimal

import pytest

from selfeval_compiler.model.measures import (
    Quantity,
    Verdict,
    is_met,
    parse_quantity,
    parse_verdict,
)
from selfeval_compiler.model.units import conversion

MET = ("达成指标", "达成年度指标")
PARTIAL = ("部分达成",)
UNMET = ("未达成",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥60个", Quantity(">=", Decimal(60), "个")),
        ("=100(%)", Quantity("=", Decimal(100), "%")),
        ("=100.00(%)", Quantity("=", Decimal("100.00"), "%")),
        ("0次", Quantity("", Decimal(0), "次")),
        ("100%", Quantity("", Decimal(100), "%")),
        ("≥20（次）", Quantity(">=", Decimal(20), "次")),
        ("32.00(次)", Quantity("", Decimal("32.00"), "次")),
        (">= 90 %", Quantity(">=", Decimal(90), "%")),
        ("＞＝90％", Quantity(">=", Decimal(90), "%")),
        ("≤5%", Quantity("<=", Decimal(5), "%")),
        ("<3天", Quantity("<", Decimal(3), "天")),
        ("不少于5篇", Quantity(">=", Decimal(5), "篇")),
        ("90%以上", Quantity(">=", Decimal(90), "%")),
        ("100", Quantity("", Decimal(100), "")),
        ("≥1,000人次", Quantity(">=", Decimal(1000), "人次")),
    ],
)
def test_quantities(text: str, expected: Quantity) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize("text", ["合理", "100%达到预算计划", "成本控制在预算内", "达成指标", ""])
def test_texts_are_not_quantities(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("达成指标", "met"),
        ("达成年度指标", "met"),
        (" 达成指标 ", "met"),
        ("部分达成年度指标并具有一定效果", "partial"),
        ("未达成年度指标且效果较差", "unmet"),
    ],
)
def test_verdicts(text: str, kind: str) -> None:
    assert parse_verdict(text, MET, PARTIAL, UNMET) == Verdict(kind)


def test_text_is_no_verdict() -> None:
    assert parse_verdict("合理", MET, PARTIAL, UNMET) is None


@pytest.mark.parametrize(
    ("actual", "comparator", "target", "met"),
    [
        (32, ">=", 20, True),
        (19, ">=", 20, False),
        (100, "=", 100, True),
        (99, "=", 100, False),
        (0, "", 0, True),
        (1, "", 0, False),
        (100, "", 100, True),
        (98, "", 100, False),
        (4, "<=", 5, True),
        (6, "<=", 5, False),
        (5, "<", 5, False),
        (6, ">", 5, True),
    ],
)
def test_is_met(actual: int, comparator: str, target: int, met: bool) -> None:
    assert is_met(Decimal(actual), comparator, Decimal(target)) is met


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("≤300元/平方米", "元/平方米"),
        ("280元/㎡", "元/m2"),
        ("≤5万元/公里", "万元/公里"),
        ("≥4次/年", "次/年"),
        ("≥20(元/平方米)", "元/平方米"),
    ],
)
def test_compound_units_are_read_like_simple_ones(text: str, unit: str) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None
    assert quantity.unit == unit


@pytest.mark.parametrize(
    ("target", "actual", "factor"),
    [
        ("平方米", "㎡", Decimal(1)),
        ("元/平方米", "元/㎡", Decimal(1)),
        ("元", "万元", Decimal(10000)),
        ("万元", "元", Decimal("0.0001")),
        ("万元/公里", "元/米", Decimal("0.1")),
        ("%", "‰", Decimal("0.1")),
        ("次/年", "次/年", Decimal(1)),
        ("个", "个", Decimal(1)),
    ],
)
def test_spellings_of_one_unit_convert_exactly(target: str, actual: str, factor: Decimal) -> None:
    assert conversion(target, actual) == factor


@pytest.mark.parametrize(
    ("target", "actual"), [("%", "个"), ("元", "平方米"), ("次", "人"), ("元/平方米", "元")]
)
def test_different_units_do_not_convert(target: str, actual: str) -> None:
    assert conversion(target, actual) is None

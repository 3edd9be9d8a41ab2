"""forms/display.py: how a figure kind prints (places, as-written, ``%``, thousands), never
what it is; a figure needing more places than asked prints in full. With no ``display`` in a
profile every figure prints as :func:`figures.figure` prints it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import D

from selfeval_compiler.forms.display import Display, group_thousands, written_places_of
from selfeval_compiler.forms.figures import figure
from selfeval_compiler.model.profiles import DisplayKind, FigureStyle, load_profile


def _display(**styles: FigureStyle) -> Display:
    kinds: dict[DisplayKind, FigureStyle] = {}
    for kind, style in styles.items():
        kinds[kind] = style  # type: ignore[index]
    return Display(kinds, {"amount": 2, "rate": 2, "funds_weight": 2, "funds_score": 2})


def test_no_style_prints_as_figure_prints() -> None:
    display = _display()
    for value in ("95", "95.5", "89.974", "0", "12.345678", "1E+3"):
        assert display.show(D(value), "rate") == figure(D(value), 2)
        assert display.show(D(value), "amount") == figure(D(value), 2)


def test_a_kind_without_own_places_prints_two() -> None:
    assert Display().show(D("7"), "total") == "7.00"


def test_places_per_kind() -> None:
    display = _display(funds_weight=FigureStyle(places=0), funds_score=FigureStyle(places=2))
    assert display.show(D("10"), "funds_weight") == "10"
    assert display.show(D("8.62"), "funds_score") == "8.62"
    assert display.show(D("10"), "funds_score") == "10.00"


def test_a_figure_needing_more_places_prints_in_full() -> None:
    display = _display(rate=FigureStyle(places=0), amount=FigureStyle(places=1))
    assert display.show(D("12.5"), "rate") == "12.5"
    assert display.show(D("89.974"), "amount") == "89.974"
    assert display.show(D("86.00"), "rate") == "86"


def test_as_written_row_by_row() -> None:
    display = _display(
        indicator_weight=FigureStyle(places="as-written"),
        indicator_score=FigureStyle(places="as-written"),
    )
    assert display.show(D("20"), "indicator_weight") == "20"
    assert display.show(D("20.00"), "indicator_weight") == "20.00"
    assert display.show(D("20.0"), "indicator_weight") == "20.0"
    # A score takes the places of its row's weight; a derived 9.44 is never cut.
    assert display.show(D("20.00"), "indicator_score", written=D("20")) == "20"
    assert display.show(D("20"), "indicator_score", written=D("20.00")) == "20.00"
    assert display.show(D("9.44"), "indicator_score", written=D("10")) == "9.44"


def test_percent() -> None:
    display = _display(rate=FigureStyle(places=0, percent=True))
    assert display.show(D("86.21"), "rate") == "86.21%"
    assert display.show(D("86"), "rate") == "86%"
    assert _display(rate=FigureStyle(percent=True)).show(D("100"), "rate") == "100.00%"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("215457.6", "215,457.60"),
        ("0", "0.00"),
        ("999.99", "999.99"),
        ("1000", "1,000.00"),
        ("-1234567.5", "-1,234,567.50"),
        ("-12", "-12.00"),
        ("123456789012345.678", "123,456,789,012,345.678"),
        ("1E+12", "1,000,000,000,000.00"),
    ],
)
def test_thousands(value: str, shown: str) -> None:
    display = _display(amount=FigureStyle(thousands=True))
    assert display.show(D(value), "amount") == shown


def test_thousands_percent_and_places_together() -> None:
    display = _display(rate=FigureStyle(places=1, percent=True, thousands=True))
    assert display.show(D("12345.25"), "rate") == "12,345.25%"
    assert display.show(D("12345.20"), "rate") == "12,345.2%"


def test_group_thousands_keeps_the_text_otherwise() -> None:
    assert group_thousands("12") == "12"
    assert group_thousands("123") == "123"
    assert group_thousands("1234") == "1,234"
    assert group_thousands("-123456.0001") == "-123,456.0001"


def test_written_places() -> None:
    assert [written_places_of(D(v)) for v in ("20", "20.00", "0.5", "1E+2")] == [0, 2, 1, 0]


def test_the_default_profile_styles_nothing() -> None:
    profile = load_profile()
    assert all(style == FigureStyle() for _, style in profile.display)
    display = Display.of(profile, places={"rate": 2})
    assert display.show(Decimal("95.5"), "rate") == "95.50"

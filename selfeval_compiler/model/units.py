"""Units of 年度指标值 and 实际完成值: which spellings name the same unit, and by what factor.

A clerk writes ㎡, m² or 平方米 for one unit, and may state a target in 万元 and the actual
in 元. Each spelling is read as a base unit and an exact decimal factor (万元 is 10000 元),
so two quantities compare only when their base units agree, after converting one into the
other. A compound unit (元/平方米, 万元/公里, 次/年) is read part by part. A unit missing
from the table stands for itself: it equals only the same spelling.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Unit:
    """A unit as a base unit (``"元/米"``) and the factor that turns it into the base."""

    base: str
    factor: Decimal


_TEN_THOUSAND = Decimal(10_000)
_THOUSAND = Decimal(1_000)
_MILLION = Decimal(1_000_000)

_SPELLINGS: dict[str, tuple[str, Decimal]] = {
    # Shares: 5‰ is 0.5%.
    "%": ("%", Decimal(1)),
    "‰": ("%", Decimal("0.1")),
    # Money.
    "元": ("元", Decimal(1)),
    "千元": ("元", _THOUSAND),
    "万元": ("元", _TEN_THOUSAND),
    "亿元": ("元", Decimal(100_000_000)),
    # Length.
    "米": ("米", Decimal(1)),
    "m": ("米", Decimal(1)),
    "公里": ("米", _THOUSAND),
    "千米": ("米", _THOUSAND),
    "km": ("米", _THOUSAND),
    # Area (NFKC reads ㎡ and m² as m2, ㎢ as km2).
    "平方米": ("平方米", Decimal(1)),
    "平米": ("平方米", Decimal(1)),
    "m2": ("平方米", Decimal(1)),
    "公顷": ("平方米", _TEN_THOUSAND),
    "平方公里": ("平方米", _MILLION),
    "平方千米": ("平方米", _MILLION),
    "km2": ("平方米", _MILLION),
    # Volume.
    "立方米": ("立方米", Decimal(1)),
    "立方": ("立方米", Decimal(1)),
    "m3": ("立方米", Decimal(1)),
    # Weight.
    "千克": ("千克", Decimal(1)),
    "公斤": ("千克", Decimal(1)),
    "kg": ("千克", Decimal(1)),
    "吨": ("千克", _THOUSAND),
}
"""Spelling (after NFKC folding, case folded) → base unit and factor."""


def _simple(spelling: str) -> Unit:
    base, factor = _SPELLINGS.get(spelling.casefold(), (spelling, Decimal(1)))
    return Unit(base, factor)


def read_unit(text: str) -> Unit:
    """The base and factor of a unit as written: ``元/㎡`` → 元/平方米 × 1,
    ``万元/公里`` → 元/米 × 10."""
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    if "/" not in folded:
        return _simple(folded)
    top, _, bottom = folded.partition("/")
    numerator, denominator = _simple(top), _simple(bottom)
    return Unit(f"{numerator.base}/{denominator.base}", numerator.factor / denominator.factor)


def conversion(target_unit: str, actual_unit: str) -> Decimal | None:
    """The factor that turns an amount in ``actual_unit`` into ``target_unit``, or ``None``
    when the two are not the same kind of unit (% against 个, 元 against 平方米)."""
    target, actual = read_unit(target_unit), read_unit(actual_unit)
    if target.base != actual.base:
        return None
    return actual.factor / target.factor


def is_percent(unit: str) -> bool:
    return read_unit(unit) == Unit("%", Decimal(1))

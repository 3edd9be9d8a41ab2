"""The one place figures are rounded: every derived figure goes through :func:`round_figure`."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

_MODES = {
    "truncate": ROUND_DOWN,
    "half-up": ROUND_HALF_UP,
    "half-even": ROUND_HALF_EVEN,
    "ceiling": ROUND_CEILING,  # 向上: every figure here is zero or more
}


def round_figure(value: Decimal, mode: str, places: int) -> Decimal:
    """Round ``value`` to ``places`` decimals the way the profile says (truncate, half-up…)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=_MODES[mode])

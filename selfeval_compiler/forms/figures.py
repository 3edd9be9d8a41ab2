"""How a figure is printed: the one place a Decimal becomes text on a form.

Rounding (what a figure *is*) happens in :mod:`selfeval_compiler.rules.rounding`; this module
only decides how many decimals to show, so that HTML, PDF, JSON and the diff print the same.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def plain(value: Decimal, places: int) -> str:
    """``value`` printed with exactly ``places`` decimals, never in exponent form."""
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"


def figure(value: Decimal, places: int) -> str:
    """``value`` with ``places`` decimals when that shows it exactly, else in full.

    The indicator table prints figures at the precision the weights were written in (the
    seed prints ``10`` in one form and ``10.00`` in another); a derived ``9.44`` is never cut
    to ``9``, and an amount written with three decimals (``89.974``) prints all three.
    """
    shown = plain(value, places)
    return shown if Decimal(shown) == value else f"{value:f}"


def written_places(values: list[Decimal], most: int) -> int:
    """Decimals the unit wrote ``values`` with (trailing zeros count), at most ``most``."""
    places = max((max(0, -int(value.as_tuple().exponent)) for value in values), default=0)
    return min(places, most)

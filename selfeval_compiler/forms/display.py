"""How each kind of figure is shown on a form: places, ``%`` and thousands separators.

Rounding (what a figure *is*) happens in :mod:`selfeval_compiler.rules.rounding`; a display only
decides the text. It never changes a value: a figure that needs more places than its display
asks for prints in full (``12.5`` under whole numbers stays ``12.5``).

A profile's ``display`` group states, per figure kind (amount, rate, funds_weight, funds_score,
indicator_weight, indicator_score, total, total_weight), a :class:`FigureStyle`: ``places`` (an
integer; ``as-written`` for the places the unit wrote a value with, row by row; or absent for
the form's own rule), ``percent`` (``%`` after the figure) and ``thousands`` (digits grouped
with ``,``). The form's own rule — the places a presentation model uses when the profile says
nothing (the rounding's places, the places the weights were written with) — is given by the
presentation model as :attr:`Display.places`; with no ``display`` in a profile every figure
prints exactly as :func:`selfeval_compiler.forms.figures.figure` prints it.

Use::

    display = Display.of(profile, places={"rate": 2, "amount": 2})
    display.show(Decimal("86"), "rate")            # "86.00", or "86%" under {places: 0, percent}
    display.show(score, "indicator_score", written=weight)   # places of the row's weight

The 自评表's display, its own places filled in, is
:func:`selfeval_compiler.forms.self_evaluation.form_display`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from selfeval_compiler.forms.figures import figure
from selfeval_compiler.model.profiles import DisplayKind, FigureStyle, Profile

PLAIN = FigureStyle()
"""A kind the profile does not style: the form's own places, no ``%``, no separators."""


def written_places_of(value: Decimal) -> int:
    """The decimals ``value`` was written with, trailing zeros counted (``20.00`` → 2)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def group_thousands(text: str) -> str:
    """``text`` (a plain decimal such as ``-215457.60``) with its whole digits grouped by 3."""
    sign = "-" if text.startswith("-") else ""
    whole, dot, fraction = text.removeprefix("-").partition(".")
    head = len(whole) % 3 or 3
    groups = [whole[:head], *(whole[i : i + 3] for i in range(head, len(whole), 3))]
    return sign + ",".join(groups) + dot + fraction


@dataclass(frozen=True)
class Display:
    """The profile's figure styles, with the form's own places for kinds it leaves unstated."""

    styles: Mapping[DisplayKind, FigureStyle] = field(default_factory=dict)
    places: Mapping[DisplayKind, int] = field(default_factory=dict)
    """The form's own rule per kind (what a figure prints with when the profile states no
    places); a kind missing here prints with 2 places."""

    @classmethod
    def of(cls, profile: Profile, places: Mapping[DisplayKind, int]) -> Display:
        """The display of ``profile``, the form's own ``places`` per kind as the default."""
        return cls(dict(profile.display), dict(places))

    def style(self, kind: DisplayKind) -> FigureStyle:
        return self.styles.get(kind, PLAIN)

    def show(self, value: Decimal, kind: DisplayKind, written: Decimal | None = None) -> str:
        """``value`` as the form prints a figure of ``kind``.

        ``written``: for ``places: as-written``, the value whose written places this figure
        takes (the row's weight beside its score); without it, the figure's own places.
        """
        style = self.style(kind)
        if style.places is None:
            places = self.places.get(kind, 2)
        elif isinstance(style.places, int):
            places = style.places
        else:  # as-written
            places = written_places_of(value if written is None else written)
        text = figure(value, places)
        if style.thousands:
            text = group_thousands(text)
        return text + "%" if style.percent else text

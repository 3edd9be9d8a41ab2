"""The output formats by name: their suffixes and what each needs, without their renderers.

``check``, planning and a no-op rebuild ask only these questions (which suffix, which formats
are bundled, isolated, drawn with fonts, written by default), so they never import the
presentation models, Jinja or WeasyPrint. How each format is rendered lives in
:mod:`selfeval_compiler.outputs.render`, keyed by the same names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class OutputFormat:
    name: str
    suffix: str
    isolated: bool = False
    """Rendered only in a worker process under the memory and time caps."""
    needs_fonts: bool = False
    """Draws glyphs: refused up front when no CJK font is installed."""
    bundled: bool = False
    """A folder's forms in this format are also assembled into one bundle."""
    default: bool = True
    """Written when no format is asked for."""


FORMATS: dict[str, OutputFormat] = {
    # PDF first: it is the one that can fail, and then nothing of the form is written.
    "pdf": OutputFormat("pdf", ".pdf", isolated=True, needs_fonts=True, bundled=True),
    "html": OutputFormat("html", ".html"),
    "json": OutputFormat("json", ".json"),
    "xlsx": OutputFormat("xlsx", ".xlsx", bundled=True, default=False),
}

OUTPUT_SUFFIXES = frozenset(fmt.suffix for fmt in FORMATS.values())

GOALS_FORMATS = ("pdf", "html", "json", "xlsx")
"""What the 绩效目标申报表 is printed as (the same suffixes, bundles and defaults as the
自评表's)."""


Feature = Literal["isolated", "needs_fonts", "bundled"]


def bundled_suffixes(names: Iterable[str]) -> list[str]:
    """The bundle formats among ``names``, in registry order (``.pdf``, ``.xlsx``)."""
    wanted = set(names)
    return [f.suffix for f in FORMATS.values() if f.bundled and f.name in wanted]


def any_format(names: Iterable[str], feature: Feature) -> bool:
    """Whether a format of ``names`` has ``feature`` (isolated, needs_fonts, bundled)."""
    return any(getattr(FORMATS[name], feature) for name in names)

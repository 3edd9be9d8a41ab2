"""Characters no installed font can print, found by ``check`` at their line and column (SE902).

``build`` lays a PDF out with WeasyPrint, whose text engine (Pango) takes each character from
the first font fontconfig offers that has it; a character no font has is drawn as an empty
box, which build's glyph check reports (SE902, :mod:`selfeval_compiler.outputs.pdf`). The
coverage Pango goes by is fontconfig's charset of each font, so the union of the charsets
``fc-list`` prints is exactly what a PDF can show. It is read once per process (one
``fc-list`` call, answered from fontconfig's own cache) without importing WeasyPrint, so
``check``, the hook and CI find such a character before any build.

Where fontconfig is missing or offers no Chinese font, nothing is reported here: build then
stops with SE901 (no CJK font) and says what to install.
"""

from __future__ import annotations

import bisect
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from selfeval_compiler.diagnostics import Diagnostic, Location, make
from selfeval_compiler.sources.yaml_loader import Document

CJK_PROBE = "财政项目支出绩效自评表"
"""Characters every form prints: a coverage without them means no Chinese font at all."""

_IGNORED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs"})
"""Controls, format characters and spaces: laid out without a glyph of their own."""


@dataclass(frozen=True)
class Coverage:
    """Code points the installed fonts cover, as sorted, disjoint, inclusive ranges."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def covers(self, char: str) -> bool:
        point = ord(char)
        index = bisect.bisect_right(self.starts, point) - 1
        return index >= 0 and point <= self.ends[index]


def parse_charsets(text: str) -> Coverage:
    """fontconfig charsets (``20-7e a0-17f 4e00``, one font a line) → their union."""
    ranges: list[tuple[int, int]] = []
    # The weights and styles of one family share a charset: each distinct line is read once.
    for item in " ".join(set(text.splitlines())).split():
        first, _, last = item.partition("-")
        try:
            ranges.append((int(first, 16), int(last or first, 16)))
        except ValueError:
            continue
    ranges.sort()
    starts: list[int] = []
    ends: list[int] = []
    for start, end in ranges:
        if ends and start <= ends[-1] + 1:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return Coverage(tuple(starts), tuple(ends))


@cache
def installed_coverage() -> Coverage | None:
    """What the fonts fontconfig lists can print, or ``None`` when that cannot be told
    (no ``fc-list``, or no Chinese font: build reports SE901 then)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        result = subprocess.run(
            [fc_list, "--format", "%{charset}\\n"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    coverage = parse_charsets(result.stdout)
    if not all(coverage.covers(char) for char in CJK_PROBE):
        return None
    return coverage


def _printable_anyway(char: str) -> bool:
    if char.isspace() or unicodedata.category(char) in _IGNORED_CATEGORIES:
        return True
    # Variation selectors pick a glyph of the character before them; they have none.
    point = ord(char)
    return 0xFE00 <= point <= 0xFE0F or 0xE0100 <= point <= 0xE01EF


def _texts(data: Any) -> Iterator[str]:
    """Every text a form may print: string values and mapping keys."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield str(key)
            yield from _texts(value)
    elif isinstance(data, list):
        for value in data:
            yield from _texts(value)


def unprintable(document: Document, coverage: Coverage | None = None) -> list[Diagnostic]:
    """SE902 at each place in the spec's text where a printed character has no font."""
    coverage = coverage or installed_coverage()
    if coverage is None:
        return []
    used: set[str] = set().union(*_texts(document.data))
    missing = {
        char
        for char in used
        if ord(char) > 0x7F and not _printable_anyway(char) and not coverage.covers(char)
    }
    if not missing:
        return []
    found = []
    for number, line in enumerate(document.source.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue  # a comment line prints nothing
        for index, char in enumerate(line):
            if char in missing:
                where = Location(document.file, number, index + 1)
                found.append(make("SE902", where, char=char, codepoint=f"{ord(char):04X}"))
    return found

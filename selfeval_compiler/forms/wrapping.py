"""Labels that wrap evenly in narrow cells: never one character alone on a line.

A Chinese label wraps wherever its cell ends (年度资金总 / 额, 满意度指 / 标). Where a label of
Chinese characters needs more than one line in its column, the lines are made even
(年度资 / 金总额, 满意度 / 指标) by hard breaks. Text with Latin letters or digits, and text
that already holds a break, is left to the renderer.
"""

from __future__ import annotations

import math
import unicodedata

PAGE_WIDTH_MM = 182.0
"""A4 less the page margins (templates/form.css)."""
CELL_PADDING_MM = 2.4
CHARACTER_MM = 3.4
"""One Chinese character at the form's 9.5 pt, with the renderer's spacing."""


def _wide(text: str) -> bool:
    return all(unicodedata.east_asian_width(char) in ("W", "F") for char in text)


def per_line(width_percent: float) -> int:
    """How many Chinese characters fit on one line of a column ``width_percent`` wide."""
    usable = PAGE_WIDTH_MM * width_percent / 100 - CELL_PADDING_MM
    return max(1, math.floor(usable / CHARACTER_MM))


def balanced(text: str, width_percent: float) -> str:
    """``text`` with even hard line breaks where it would leave a lone character."""
    if "\n" in text or not text or not _wide(text):
        return text
    room = per_line(width_percent)
    lines = math.ceil(len(text) / room)
    if lines <= 1 or len(text) % room not in (1,):
        return text
    size = math.ceil(len(text) / lines)
    return "\n".join(text[start : start + size] for start in range(0, len(text), size))

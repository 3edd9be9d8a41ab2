"""Where the text of a label or a short cell breaks: between words, never inside one.

A renderer breaks Chinese text between any two characters, wherever the cell ends
(其中：当年财 / 政拨款, ≥1000平方 / 米). Without a dictionary, these rules put the breaks
between words instead, for a text that needs a few lines in its column:

1. A line break the profile wrote (``\\n``) is kept, and each of its lines is laid out on
   its own (产出指标 / (70分)).
2. A number keeps its sign, its unit and a bracketed unit (≥1000平方米, 98%以上, 20万元,
   2(次)), and a short bracketed note stays whole ((万美元), （地区）): each is one piece,
   never broken, and printed unbreakable (``nowrap``).
3. A break after full-width punctuation (其中： / 当年财政拨款) or before a bracket costs
   nothing; a closing mark never starts a line and an opening one never ends one.
4. Inside a run of Chinese characters a break falls between two-character words: counted
   from the start of the run in a text (项目验收 / 合格率, 企业把握政治导向 / 和文化方向情况),
   from its end in a label, which ends in its head word (可持续影响 / 指标, 满意度 / 指标),
   and a label takes a line more rather than cut a word where it can; a line never holds
   one character alone.
5. Few lines, the breaks above, then lines as full as they go.

A text that fits on one line, needs more than :data:`MAX_LINES` or holds Latin letters is left
to the renderer (its numbers still unbreakable): a long paragraph wraps as a paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

PAGE_WIDTH_MM = 182.0
"""A4 less the page margins (templates/form.css)."""
CELL_PADDING_MM = 2.4
CHARACTER_MM = 3.4
"""One Chinese character at the form's 9.5 pt, with the renderer's spacing."""
NARROW = 0.6
"""A Latin letter or another narrow mark, in Chinese characters (about what it takes)."""
MAX_LINES = 4
"""Texts needing more lines than this are paragraphs: the renderer wraps them."""
LINE_COST = 40
"""A line more, against a break's cost (×10): a label's cut word costs more."""
RAGGED = 25
"""What a line left empty costs, the part of its width left over squared: a full line is
preferred, never over a better break (办公宿舍楼、 / 食堂及餐厅暖通改造经费)."""

_OPENING = "（《「『“‘([【〔"
_CLOSING = "，。、；：！？）》」』”’)]】〕%‰℃…·,.;:!?"
_STRONG = "，。、；：！？,;:!?"
"""Punctuation a line may end at, free."""
_LATIN = re.compile(r"[A-Za-z]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_NOTE = re.compile(r"[（(][^（()）\s]{1,4}[)）]")
_NUMBER = re.compile(
    r"[≥≤＞＜><=≈±~～约]?[+\-]?\d[\d.,]*"  # a sign, the digits
    r"(?:[%‰℃]|[A-Za-z]+)?"  # a symbol or Latin unit
    r"(?:[（(][^（()）\s]{1,4}[)）])?"  # a bracketed unit: (次), （万元）
)
UNIT_CHARACTERS = 3
"""Chinese characters that end a phrase after a number, kept with it as its unit (平方米,
万元, 以上); more are words of their own (100%达到预算计划)."""


@dataclass(frozen=True)
class Piece:
    """An unbreakable piece of text: a character, a word of Latin letters, or a number with
    its sign and unit (``whole``: printed with no break inside)."""

    text: str
    width: float
    whole: bool = False


_NARROW_WIDTHS = {**dict.fromkeys("0123456789", 0.56), ".": 0.33, ",": 0.33, "%": 0.92}
_NARROW_WIDTHS |= dict.fromkeys("()[]", 0.38)
_NARROWEST = min(_NARROW_WIDTHS.values())


def _width(text: str) -> float:
    """Characters of ambiguous width (≥, ±, №) are full width in the form's Chinese fonts;
    digits and marks as wide as the form's font draws them (in em)."""
    return sum(
        1.0 if unicodedata.east_asian_width(char) in "WFA" else _NARROW_WIDTHS.get(char, NARROW)
        for char in text
    )


def _ideograph(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF" and char not in _OPENING + _CLOSING


def pieces(text: str) -> list[Piece]:
    """``text`` cut where a line may break (rules 2 and 3)."""
    found: list[Piece] = []
    index = 0
    while index < len(text):
        number = _NUMBER.match(text, index)
        if number and (number.group().strip("≥≤＞＜><=≈±~～约+-") or "")[:1].isdigit():
            end = number.end()
            unit = 0
            while end + unit < len(text) and _ideograph(text[end + unit]):
                unit += 1
            after = text[end + unit : end + unit + 1]
            if unit <= UNIT_CHARACTERS and (not after or after.isspace() or after in _CLOSING):
                end += unit  # the characters end the phrase: they are the number's unit
            found.append(Piece(text[index:end], _width(text[index:end]), whole=True))
            index = end
            continue
        note = _NOTE.match(text, index)
        if note:
            found.append(Piece(note.group(), _width(note.group()), whole=True))
            index = note.end()
            continue
        latin = _LATIN_WORD.match(text, index)
        end = latin.end() if latin else index + 1
        found.append(Piece(text[index:end], _width(text[index:end])))
        index = end
    return _attach_punctuation(found)


def _attach_punctuation(found: list[Piece]) -> list[Piece]:
    """A closing mark joins the piece before it, an opening mark the piece after it."""
    joined: list[Piece] = []
    for piece in found:
        if joined and piece.text in _CLOSING:
            last = joined.pop()
            piece = Piece(last.text + piece.text, last.width + piece.width, last.whole)
        elif joined and joined[-1].text[-1:] in _OPENING and joined[-1].text.strip(_OPENING) == "":
            last = joined.pop()
            piece = Piece(last.text + piece.text, last.width + piece.width, piece.whole)
        joined.append(piece)
    return joined


@dataclass(frozen=True)
class Sheet:
    """The width a table's columns share and the width of one Chinese character in it."""

    width_mm: float
    character_mm: float


FORM = Sheet(PAGE_WIDTH_MM, CHARACTER_MM)
"""The forms: A4 portrait, 9.5 pt (templates/form.css)."""
SUMMARY = Sheet(273.0, 3.25)
"""The 汇总表: A4 landscape less 12 mm margins, 9 pt (templates/summary.html.j2)."""


def room(width_percent: float, sheet: Sheet = FORM) -> float:
    """How many Chinese characters' width one line of a column ``width_percent`` wide holds."""
    usable = sheet.width_mm * width_percent / 100 - CELL_PADDING_MM
    return max(1.0, usable / sheet.character_mm)


def _break_cost(before: list[Piece], at: int, label: bool) -> int:
    """What breaking after ``before[at - 1]`` costs (rules 3 and 4)."""
    left, right = before[at - 1].text, before[at].text
    if left[-1] in _STRONG or right[0] in _OPENING:
        return 0
    if not (len(left) == 1 and _ideograph(left) and _ideograph(right[0])):
        if not (_ideograph(left[-1]) or _ideograph(right[0]) or right[0].isspace()):
            return 100  # inside a run of narrow marks, as the renderer would not break
        return 2  # between a character and a number
    words_after = _run(before, at, 1) % 2 == 0
    words_before = _run(before, at - 1, -1) % 2 == 0
    if label:  # a line more, rather than a label's word cut (满意度 / 指标 / (10分))
        return 3 if words_after else 12
    return 3 if words_before else 5 if words_after else 8


def _run(parts: list[Piece], first: int, step: int) -> int:
    """Chinese characters, one a piece, from ``parts[first]`` on in direction ``step``, up
    to the end of the run (a closing mark, as in 落实，, ends it)."""
    count, index = 0, first
    while 0 <= index < len(parts):
        text = parts[index].text
        if not (_ideograph(text[0]) and all(char in _CLOSING for char in text[1:])):
            break
        if len(text) > 1 and (step < 0 and index != first):
            break  # the mark ends the run before this one
        count, index = count + 1, index + step
        if len(text) > 1 and step > 0:
            break
    return count


def layout(
    text: str, width_percent: float, label: bool = False, sheet: Sheet = FORM
) -> list[list[list[Piece]]] | None:
    """The lines of ``text`` in a column ``width_percent`` wide: for each of the profile's
    own lines (``\\n``), the lines it is broken into. ``None`` when the renderer should wrap
    it: every line fits as it is, or one is a paragraph. ``label``: a heading or an indicator
    level's name, not a written text."""
    if not text or _LATIN.search(text):
        return None  # Latin words: the renderer knows their widths and where they break
    line_room = room(width_percent, sheet)
    written = text.split("\n")
    if any(len(line) * _NARROWEST > line_room * MAX_LINES for line in written):
        return None  # a paragraph, known without cutting it into pieces
    found = [_lines_of(pieces(line), line_room, label) for line in written]
    if all(lines is not None and len(lines) == 1 for lines in found):
        return None
    if any(lines is None for lines in found):
        return None
    return [lines for lines in found if lines is not None]


def _lines_of(parts: list[Piece], line_room: float, label: bool) -> list[list[Piece]] | None:
    """One line of text broken into lines of at most ``line_room`` (rules 2 to 5), or
    ``None`` when it needs more than :data:`MAX_LINES`."""
    total = sum(p.width for p in parts)
    if total <= line_room:
        return [parts]
    if total > line_room * MAX_LINES:
        return None  # a paragraph: never laid out here, however long
    # A piece wider than the column breaks inside all the same: it cannot fit whole.
    parts = [q for p in parts for q in ([p] if p.width <= line_room else pieces_of_characters(p))]
    count = len(parts)
    # best[i]: (lines, cost, start of the last line) of the best layout of parts[:i]
    best: list[tuple[int, float, int] | None] = [None] * (count + 1)
    best[0] = (0, 0.0, 0)
    for end in range(1, count + 1):
        width = 0.0
        for start in range(end - 1, -1, -1):
            width += parts[start].width
            if width > line_room:
                break
            before = best[start]
            if before is None:
                continue
            cost = before[1] + LINE_COST
            if end < count:
                cost += 10 * _break_cost(parts, end, label) + RAGGED * (1 - width / line_room) ** 2
            if width < 1.5 and count > 1:
                cost += 1000  # a character alone on a line
            known = best[end]
            if known is None or cost < known[1]:
                best[end] = (before[0] + 1, cost, start)
    lines: list[list[Piece]] = []
    end = count
    while end > 0:
        found = best[end]
        assert found is not None  # every piece fits a line, so every prefix has a layout
        lines.insert(0, parts[found[2] : end])
        end = found[2]
    return lines if len(lines) <= MAX_LINES else None


def paragraph(text: str, width_percent: float, sheet: Sheet = FORM) -> list[list[Piece]] | None:
    """The pieces of a text the renderer wraps, a list a line of the profile's own, or
    ``None`` when it fits on one line or holds no number to keep whole."""
    line_room = room(width_percent, sheet)
    lines = [pieces(line) for line in text.split("\n")]
    if len(lines) == 1 and sum(piece.width for piece in lines[0]) <= line_room:
        return None
    # A piece wider than the column cannot be kept whole: the renderer breaks it.
    lines = [
        [q for p in line for q in ([p] if p.width <= line_room else pieces_of_characters(p))]
        for line in lines
    ]
    if not any(piece.whole and len(piece.text) > 1 for line in lines for piece in line):
        return None
    return lines


def pieces_of_characters(piece: Piece) -> list[Piece]:
    """A piece too wide for its column, one character a piece."""
    return [Piece(char, _width(char)) for char in piece.text]


def balanced(text: str, width_percent: float, label: bool = False) -> str:
    """``text`` with hard line breaks (``\\n``) where :func:`layout` puts them."""
    found = layout(text, width_percent, label)
    if found is None:
        return text
    return "\n".join("".join(p.text for p in line) for lines in found for line in lines)

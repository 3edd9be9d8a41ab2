"""Reading a form's rows: a cell by its label, the value right of a label or under a header,
the header cells of a row (:class:`RowReader`). Every block parser reads through it."""

from __future__ import annotations

import re

from selfeval_compiler.importers.grid import Cell, Grid, squeeze
from selfeval_compiler.importers.records import ImportedForm
from selfeval_compiler.importers.vocabulary import (
    CODE,
    FILING_WORDS,
    IDENTITY_WORDS,
    INLINE_STOPS,
    Vocabulary,
    matches,
)


class RowReader:
    def __init__(self, grid: Grid, start: int, end: int, words: Vocabulary) -> None:
        self.grid = grid
        self.start, self.end = start, end
        self.words = words
        self.rows = [(row, cells) for row, cells in grid.rows() if start <= row < end]
        self.form = ImportedForm(grid.source)

    def find(self, pattern: str) -> Cell | None:
        for _, cells in self.rows:
            for cell in cells:
                if matches(cell.label, pattern):
                    return cell
        return None

    def right_of(self, cell: Cell) -> Cell | None:
        return next((o for o in self.grid.anchored(cell.row) if o.column > cell.last_column), None)

    def under(self, header: Cell, row: int) -> Cell | None:
        """The cell anchored in ``row`` that stands under ``header``."""
        return next((cell for cell in self.grid.anchored(row) if cell.overlaps(header)), None)

    def kinds(
        self, row: int, words: list[tuple[str, str]], skip: Cell | None = None
    ) -> dict[str, Cell]:
        """The header cells of ``row``: each kind of column ``words`` names, first one wins."""
        found: dict[str, Cell] = {}
        for cell in self.grid.anchored(row):
            kind = Vocabulary.kind(cell.label, words) if cell is not skip else None
            if kind and kind not in found:
                found[kind] = cell
        return found


def strip_code(text: str) -> tuple[str, str | None]:
    match = CODE.match(text)
    if match and len(text) > match.end():
        return text[match.end() :].strip(), match.group(1) or match.group(2)
    return text.strip(), None


_BREAKS = frozenset("，,；;。.、|/（(）)【】[]")


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` as :func:`squeeze` folds it, and for each folded character the index of the
    character of ``text`` it came from (so a match in the label finds its place in the text)."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in squeeze(char):
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


def inline_value(text: str, pattern: str) -> str | None:
    """The value after ``pattern``'s label and a colon in a line of ``label：value`` pairs
    (``主管部门：某局　实施单位（盖章）：某站``), up to the next label of the line; ``None`` when
    the line has no such label."""
    if ":" not in text and "：" not in text and "︰" not in text and "﹕" not in text:
        return None
    folded, origin = _folded(text)
    labels = "|".join(pattern for _, pattern in (*IDENTITY_WORDS, *FILING_WORDS))
    marks: list[re.Match[str]] = []
    for mark in re.finditer(rf"({labels}|{INLINE_STOPS})[:：]", folded):
        start = origin[mark.start()]
        # A label begins the text, follows a space or a stop, or follows another pair:
        # never the end of a sentence's word (配合主管部门：…).
        if marks or start == 0 or text[start - 1].isspace() or text[start - 1] in _BREAKS:
            marks.append(mark)
    for number, mark in enumerate(marks):
        if not re.fullmatch(rf"({pattern})[:：]", mark.group()):
            continue
        start = origin[mark.end() - 1] + 1
        end = origin[marks[number + 1].start()] if number + 1 < len(marks) else len(text)
        return text[start:end].strip()
    return None


def value_after(reader: RowReader, pattern: str) -> tuple[Cell | None, str]:
    """A label's value: the cell right of it, or the text after a colon in the label cell
    (up to the next label a line of several holds)."""
    for _, cells in reader.rows:
        for cell in cells:
            if matches(cell.label, rf"({pattern})[:：]?"):
                value = reader.right_of(cell)
                return value, value.text.strip() if value else ""
            inline = inline_value(cell.text, pattern)
            if inline is not None:
                return cell, inline
    return None, ""


def text_at(reader: RowReader, row: int, header: Cell | None, spanning: bool = False) -> str:
    if header is None:
        return ""
    for cell in reader.grid.covering_row(row):
        if cell.overlaps(header) and (spanning or cell.row == row):
            return cell.text.strip()
    return ""

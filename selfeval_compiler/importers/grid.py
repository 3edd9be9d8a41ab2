"""What every reader hands the recogniser: a grid of logical cells, whatever the file was.

A workbook sheet, an HTML table or a PDF page's ruled table all become a :class:`Grid`: each
cell once, at its top-left anchor, with its row and column span, the text the form printed
and, for a number stored as a number, its value. Merged cells are never repeated; the
recogniser asks which cell *covers* a place instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from selfeval_compiler.diagnostics.formats import INVISIBLE
from selfeval_compiler.importers.ideographs import ideographs

MAX_ROWS = 2000
MAX_COLUMNS = 60
"""A form has tens of rows and at most a dozen or two columns; a sheet far beyond this is not a
form, and reading it cell by cell would only cost time (the caps bound every reader)."""

MAX_TEXT = 5000
"""The longest text a spec field takes (schema maxLength); longer cell texts are cut."""

_CONTROL = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]|{INVISIBLE.pattern}")


def clean_text(text: str, *, keep_indent: bool = False) -> str:
    """A cell's text as a spec may hold it: line ends as ``\n``, no control or bidi
    characters (they would print as nothing, or reorder a line), no trailing spaces, a
    radical standing in for an ideograph read as the ideograph (``⼼`` → 心).
    ``keep_indent`` keeps the leading spaces of the first line too (a goal's paragraph
    indent, ``　　1.完成…``); otherwise the text is stripped at both ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = ideographs(_CONTROL.sub("", text))
    lines = [line.rstrip() for line in text.split("\n")]
    joined = "\n".join(lines)
    return (joined.strip("\n") if keep_indent else joined.strip())[:MAX_TEXT]


def squeeze(text: str) -> str:
    """A label for comparison: NFKC (full-width brackets and colons become plain), no
    whitespace at all, so ``项目资金\\n（万元）`` and ``项目资金(万元)`` compare equal."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", ideographs(text)))


@dataclass(frozen=True)
class Cell:
    row: int
    column: int
    text: str
    """What the form shows: for a number, its value in its display format (``89.36%``)."""
    value: Decimal | None = None
    """A number stored as a number (workbooks only): the exact stored value, a percentage
    format's fraction included (0.8936 for 89.36%)."""
    rows: int = 1
    columns: int = 1
    indented: str = ""
    """The text with its first line's leading spaces kept, where it has any (a goal's
    paragraph indent); :attr:`block` is what a long text field takes."""

    @property
    def block(self) -> str:
        """The text for a long field (goals): its paragraph indent kept."""
        return self.indented or self.text

    @property
    def last_row(self) -> int:
        return self.row + self.rows - 1

    @property
    def last_column(self) -> int:
        return self.column + self.columns - 1

    @property
    def label(self) -> str:
        return squeeze(self.text)

    def overlaps(self, other: Cell) -> bool:
        """Whether the two cells share a column (a value under its header)."""
        return self.column <= other.last_column and other.column <= self.last_column


def _insert(cells: list[Cell], cell: Cell) -> None:
    cells.append(cell)
    if len(cells) > 1 and cells[-2].column > cell.column:
        cells.sort(key=lambda c: c.column)


@dataclass
class Grid:
    """One table as read: ``source`` says where it came from (sheet name, page numbers)."""

    source: str
    title_lines: list[str] = field(default_factory=list)
    """Text printed above the table (a PDF page's title); workbooks keep the title in cells."""
    after_lines: list[str] = field(default_factory=list)
    """Text printed below the table (a signature line); workbooks keep it in cells."""
    cells: list[Cell] = field(default_factory=list, init=False)
    _anchored: dict[int, list[Cell]] = field(default_factory=dict, init=False, repr=False)
    _covering: dict[int, list[Cell]] = field(default_factory=dict, init=False, repr=False)
    """Per row, the cells anchored in it, and the cells present in it (anchored or spanning
    down from above), each kept left to right as cells are added."""

    def add(self, cell: Cell) -> None:
        if cell.row >= MAX_ROWS or cell.column >= MAX_COLUMNS:
            return
        self.cells.append(cell)
        _insert(self._anchored.setdefault(cell.row, []), cell)
        for row in range(cell.row, min(cell.last_row, MAX_ROWS - 1) + 1):
            _insert(self._covering.setdefault(row, []), cell)

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """Each row's anchored cells, left to right, rows in order."""
        for row in sorted(self._anchored):
            yield row, self._anchored[row]

    def anchored(self, row: int) -> list[Cell]:
        """The cells whose top-left corner is in this row, left to right."""
        return self._anchored.get(row, [])

    def covering_row(self, row: int) -> list[Cell]:
        """Every cell present in this row, anchored here or spanning down from above."""
        return self._covering.get(row, [])

    @property
    def height(self) -> int:
        return max((cell.last_row + 1 for cell in self.cells), default=0)


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_NOT_APPLICABLE = {"", "-", "—", "–", "－", "/", "／", "\\", "——", "--", "无", "N/A", "n/a"}


def not_applicable(text: str) -> bool:
    """A cell that does not apply: blank, a dash of any width, a slash."""
    return squeeze(text) in _NOT_APPLICABLE


def number_text(text: str) -> tuple[Decimal, bool] | None:
    """A printed number: ``14.00``, ``1,234.50``, `` 771,325,800.00 ``, ``89.36%``, ``86％``.
    Returns the number and whether it was printed as a percentage; ``None`` for anything
    else (a unit, words, two numbers)."""
    plain = squeeze(text).replace(",", "").replace("，", "")
    percent = plain.endswith("%")
    if percent:
        plain = plain[:-1]
    if not _NUMBER.fullmatch(plain):
        return None
    try:
        return Decimal(plain), percent
    except InvalidOperation:
        return None

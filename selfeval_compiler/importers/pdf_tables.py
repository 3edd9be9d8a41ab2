"""Text PDFs to grids with pdfplumber: the ruled table of each page, its spans rebuilt from
the cells' boxes, and each cell's text with soft-wrapped lines joined again.

A page whose text above the table names a 自评表 (or whose table starts with 项目名称) begins a
form; a page without one continues the form before it (a long form's second page repeats
only the indicator header). The pages of one form become one grid: their column edges are
matched within a point, their rows follow one another.

pdfplumber reads text and vector lines only: a PDF's scripts, forms and attachments are
never looked at. Scanned (image-only) pages have no text and give no grid.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval_compiler.importers.grid import MAX_ROWS, Cell, Grid, clean_text, squeeze
from selfeval_compiler.importers.safety import Refused

MAX_PAGES = 1000
MAX_CHARS_PER_PAGE = 100_000
MAX_CONTENT_BYTES = 4 * 1024 * 1024
"""A page's drawing instructions once inflated: a form page is about 40 KB; a few MB of
operators already cost a minute of interpreting, so a page past this is refused unread."""
EDGE_TOLERANCE = 1.5
"""Points within which two cell edges are the same grid line (rulings are drawn once per
cell, a fraction of a point apart)."""


@dataclass
class _Box:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""


@dataclass
class _Form:
    title_lines: list[str]
    after_lines: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    tables: list[list[_Box]] = field(default_factory=list)


def _cluster(values: list[float]) -> list[float]:
    """The grid lines among many cell edges: each cluster of edges within the tolerance of
    one another, at its first (leftmost or topmost) edge."""
    from pdfplumber.utils.clustering import cluster_list

    return [group[0] for group in cluster_list(values, EDGE_TOLERANCE)]


def _index(edges: list[float], value: float) -> int:
    position = bisect.bisect_left(edges, value - EDGE_TOLERANCE)
    return min(position, len(edges) - 1)


def _lines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The characters of one cell as printed lines, top to bottom, left to right: tops
    within half the smallest character's size are one line."""
    from pdfplumber.utils.clustering import cluster_objects

    if not chars:
        return []
    tolerance = min(char["size"] for char in chars) * 0.5
    lines = cluster_objects(chars, lambda char: round(char["top"], 1), tolerance)
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _line_text(line: list[dict[str, Any]]) -> str:
    text = ""
    for previous, char in zip([None, *line], line, strict=False):
        gap = previous is not None and char["x0"] - previous["x1"] > char["size"] * 0.25
        if gap and not text.endswith(" ") and char["text"] != " ":
            text += " "
        text += char["text"]
    return text.strip()


_STOPS = set("。！？；：;:!?")


def _is_wide(char: str) -> bool:
    return ord(char) >= 0x2E80


def cell_text(chars: list[dict[str, Any]]) -> str:
    """Rejoin a cell's lines: a line that runs to the right edge of the text was wrapped by
    the layout (joined, with a space only between two Latin words); a line that ends short of
    it was broken by hand (kept as a line break)."""
    lines = [line for line in _lines(chars) if line]
    if not lines:
        return ""
    right = max(line[-1]["x1"] for line in lines)
    text = _line_text(lines[0])
    for before, line in itertools.pairwise(lines):
        following = _line_text(line)
        if not following:
            continue
        size = max(c["size"] for c in before)
        short = right - before[-1]["x1"]
        # Line breaking keeps a closing quote or stop with the character before it, so a
        # wrapped line can end up to three characters short; a sentence's end by less.
        if short > 3.5 * size or (short > 1.2 * size and before[-1]["text"] in _STOPS):
            text += "\n" + following
        elif (
            text
            and not _is_wide(text[-1])
            and not _is_wide(following[0])
            and (text[-1].isalnum() and following[0].isalnum())
        ):
            text += " " + following
        else:
            text += following
    return clean_text(text)


def _starts_form(title: list[str], boxes: list[_Box]) -> bool:
    if any("自评表" in squeeze(line) for line in title):
        return True
    first = min(boxes, key=lambda b: (round(b.top), b.x0), default=None)
    return first is not None and squeeze(first.text) == "项目名称"


def _content_size(page: Any) -> int:
    from pdfminer.pdftypes import resolve1

    contents = resolve1(page.page_obj.attrs.get("Contents"))
    streams = contents if isinstance(contents, list) else [contents]
    total = 0
    for stream in streams:
        data = resolve1(stream)
        total += len(data.get_data()) if hasattr(data, "get_data") else 0
        if total > MAX_CONTENT_BYTES:
            break
    return total


def _page_tables(page: Any) -> list[list[_Box]]:
    if _content_size(page) > MAX_CONTENT_BYTES:
        raise Refused("refused.page-too-dense", page=page.page_number)
    chars = [c for c in page.chars if c.get("upright", True) and c["text"].strip() != ""]
    if len(chars) > MAX_CHARS_PER_PAGE:
        raise Refused("refused.page-too-dense", page=page.page_number)
    tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    found: list[list[_Box]] = []
    for table in tables:
        boxes = [_Box(*cell) for cell in table.cells]
        if not boxes:
            continue
        by_cell: dict[int, list[dict[str, Any]]] = {}
        for char in chars:
            cx = (char["x0"] + char["x1"]) / 2
            cy = (char["top"] + char["bottom"]) / 2
            for index, box in enumerate(boxes):
                if box.x0 <= cx <= box.x1 and box.top <= cy <= box.bottom:
                    by_cell.setdefault(index, []).append(char)
                    break
        for index, box in enumerate(boxes):
            box.text = cell_text(by_cell.get(index, []))
        found.append(boxes)
    return found


def _title_above(page: Any, tables: list[list[_Box]]) -> list[str]:
    top = min((b.top for b in tables[0]), default=page.height) if tables else page.height
    chars = [c for c in page.chars if c["bottom"] <= top + 0.5 and c["text"].strip()]
    return [clean_text(_line_text(line)) for line in _lines(chars) if line]


def _text_below(page: Any, tables: list[list[_Box]]) -> list[str]:
    """The lines printed below the page's last table (a signature line, a footnote)."""
    bottom = max(b.bottom for b in tables[-1])
    chars = [c for c in page.chars if c["top"] >= bottom - 0.5 and c["text"].strip()]
    return [clean_text(_line_text(line)) for line in _lines(chars) if line][:20]


def _grid(form: _Form, path: Path) -> Grid:
    xs = _cluster([x for table in form.tables for b in table for x in (b.x0, b.x1)])
    pages = ", ".join(str(p) for p in form.pages)
    grid = Grid(f"{path.name} p. {pages}", form.title_lines, form.after_lines)
    offset = 0
    for table in form.tables:
        ys = _cluster([y for b in table for y in (b.top, b.bottom)])
        for box in table:
            row, last_row = _index(ys, box.top), _index(ys, box.bottom)
            column, last_column = _index(xs, box.x0), _index(xs, box.x1)
            if offset + row >= MAX_ROWS:
                continue
            grid.add(
                Cell(
                    offset + row,
                    column,
                    box.text,
                    None,
                    max(1, last_row - row),
                    max(1, last_column - column),
                )
            )
        offset += max(1, len(ys) - 1)
    return grid


def read_pdf(path: Path) -> list[Grid]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        document = pdfplumber.open(path)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise Refused("refused.encrypted") from None
    except (PDFSyntaxError, ValueError, TypeError, KeyError) as error:
        raise Refused("refused.unreadable", detail=str(error)[:200]) from None
    forms: list[_Form] = []
    with document:
        if len(document.pages) > MAX_PAGES:
            raise Refused("refused.too-many-pages", count=len(document.pages), limit=MAX_PAGES)
        for page in document.pages:
            tables = _page_tables(page)
            if not tables:
                continue
            title = _title_above(page, tables)
            if not forms or _starts_form(title, tables[0]):
                forms.append(_Form(title))
            forms[-1].pages.append(page.page_number)
            forms[-1].tables.extend(tables)
            forms[-1].after_lines = _text_below(page, tables)
    return [_grid(form, path) for form in forms]

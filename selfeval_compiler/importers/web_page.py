"""Excel's "save as web page" (``.htm``/``.html``) to grids: each top-level ``<table>`` one
grid (a table nested in a cell is read as that cell's text).

The standard library's HTML parser reads it (in the import's capped child): no network, no
script or style, character references decoded to text. ``rowspan``/``colspan`` place each
cell the way a browser would; ``<br>`` is a hard line break (except selfeval's own
``<br class="wrap">``, a soft wrap); the text before the first table (a page's title and
year line) is kept for the form's header.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

from selfeval_compiler.importers.grid import MAX_COLUMNS, MAX_ROWS, Cell, Grid, clean_text
from selfeval_compiler.importers.sandbox import utf16_order

MAX_SPAN = 500
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode(raw: bytes) -> str:
    """The page's text: its BOM, else UTF-16 told by its bytes, else the charset its
    ``<meta>`` names (Excel writes GB2312 pages on Chinese systems), else UTF-8, else GB18030
    (a superset of GBK and GB2312)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", "replace")
    order = utf16_order(raw[:4096])
    if order is not None:  # UTF-16 without a BOM: its byte order from where the NULs stand
        return raw.decode(order, "replace")
    declared = _CHARSET.search(raw[:4096])
    names = [declared.group(1).decode("ascii").lower()] if declared else []
    if names and names[0] in ("gb2312", "gbk", "gb_2312-80"):
        names = ["gb18030"]
    for name in [*names, "utf-8", "gb18030"]:
        try:
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("utf-8", "replace")


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or "1"), MAX_SPAN))
    except ValueError:
        return 1


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.grids: list[Grid] = []
        self._depth = 0
        self._row = -1
        self._taken: set[tuple[int, int]] = set()
        self._cell: dict[str, object] | None = None
        self._text: list[str] = []
        self._skip = 0
        self.before: list[str] = []
        """Text before the first table (a page's title and year line)."""
        self.after: list[str] = []
        """Text after the last table so far (a signature line)."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        hard_break = tag == "br" and ("class", "wrap") not in attrs
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.grids.append(Grid(f"table {len(self.grids) + 1}"))
                self.after = []  # only what follows the last table
                self._row, self._taken = -1, set()
        elif self._depth == 0:
            if tag in ("br", "p", "div", "h1", "h2", "h3", "tr"):
                (self.after if self.grids else self.before).append("\n")
        elif hard_break and self._cell is not None:
            self._text.append("\n")
        elif self._depth == 1 and tag == "tr":
            self._row += 1
        elif self._depth == 1 and tag in ("td", "th") and self._row >= 0:
            self._start_cell(dict(attrs))

    def _start_cell(self, found: dict[str, str | None]) -> None:
        self._finish()
        column = 0
        while (self._row, column) in self._taken:
            column += 1
        rows, columns = _span(found.get("rowspan")), _span(found.get("colspan"))
        for r in range(self._row, min(self._row + rows, MAX_ROWS)):
            for c in range(column, min(column + columns, MAX_COLUMNS)):
                self._taken.add((r, c))
        self._cell = {"row": self._row, "column": column, "rows": rows, "columns": columns}
        self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag == "table":
            if self._depth == 1:
                self._finish()
            self._depth = max(0, self._depth - 1)
        elif tag in ("td", "th", "tr") and self._depth == 1:
            self._finish()

    def handle_data(self, data: str) -> None:
        if self._depth == 0 and not self._skip:
            text = re.sub(r"[ \t\r\n\xa0]+", " ", data)
            (self.after if self.grids else self.before).append(text)
        elif self._cell is not None and not self._skip:
            # the page's own layout whitespace folds; &nbsp; is the text's (kept, see _line)
            self._text.append(re.sub(r"[ \t\r\n]+", " ", data))

    def _finish(self) -> None:
        if self._cell is None or not self.grids:
            return
        cell, self._cell = self._cell, None
        text = "\n".join(_line(part) for part in "".join(self._text).split("\n"))
        plain, indented = clean_text(text), clean_text(text, keep_indent=True)
        self.grids[-1].add(
            Cell(
                int(str(cell["row"])),
                int(str(cell["column"])),
                plain,
                None,
                int(str(cell["rows"])),
                int(str(cell["columns"])),
                indented if indented != plain else "",
            )
        )


def _line(part: str) -> str:
    """One line of a cell: the page's layout spaces dropped at both ends, a run of spaces
    inside folded to one, and the indent the text itself has (``&nbsp;`` or ideographic
    spaces before the first word, Excel's way of indenting a paragraph) kept."""
    part = part.strip(" ")
    lead = re.match(r"[\xa0\u3000 ]*", part)
    indent = lead.group() if lead else ""
    rest = re.sub(r"[ \xa0]+", " ", part[len(indent) :]).strip(" ")
    return indent.replace("\xa0", " ") + rest


def read_web_page(raw: bytes) -> list[Grid]:
    """The page's tables stacked into one grid, top to bottom: a form printed as several
    tables (its funds block and its indicator block) reads as one; several forms on one
    page are told apart by the recogniser."""
    parser = _Tables()
    parser.feed(decode(raw))
    parser.close()
    parser._finish()
    title = [clean_text(line) for line in "".join(parser.before).split("\n")]
    after = [clean_text(line) for line in "".join(parser.after).split("\n")]
    page = Grid(
        "page",
        title_lines=[line for line in title if line][:20],
        after_lines=[line for line in after if line][:20],
    )
    offset = 0
    for grid in parser.grids:
        for cell in grid.cells:
            if offset + cell.row < MAX_ROWS:
                page.add(replace(cell, row=offset + cell.row))
        offset += grid.height
    return [page] if page.cells else []

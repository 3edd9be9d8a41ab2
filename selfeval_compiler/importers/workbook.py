"""Workbooks to grids: ``.xlsx`` with openpyxl (values *and* number formats), ``.xls`` with
python-calamine (values only; it is the one well-kept reader of the old binary format).

openpyxl reads with ``data_only=True`` (a formula gives the value Excel cached), never in
read-only mode (WPS files report wrong dimensions there, and merged ranges are missing), and
only with defusedxml in place against entity bombs. Numbers arrive from both libraries as
binary doubles; each becomes the shortest decimal that gives the same double back (what
Excel itself shows for ``12.51``), and never enters arithmetic as a float.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from selfeval_compiler.forms.figures import plain
from selfeval_compiler.importers.grid import MAX_COLUMNS, MAX_ROWS, Cell, Grid, clean_text
from selfeval_compiler.importers.safety import Refused, check_zip

MAX_SHEETS = 200
MAX_MERGES = 5000


def exact(number: float | int) -> Decimal:
    """A stored double as the decimal it was typed as (``repr`` is the shortest round trip)."""
    if isinstance(number, bool):
        return Decimal(int(number))
    if isinstance(number, int):
        return Decimal(number)
    return Decimal(repr(number))


_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def display(value: Decimal, number_format: str | None) -> str:
    """The text a number shows in its display format: ``0.00%`` → ``89.36%``; ``#,##0.00``
    → ``1234.50``; General → as stored. Thousands separators are left out (the importer
    reads the number back, and a spec keeps plain numbers)."""
    section = _QUOTED.sub("", (number_format or "General").split(";")[0])
    if section.strip().lower() in ("general", "@", ""):
        text = format(value.normalize(), "f") if value == value.to_integral() else str(value)
        return text if "E" not in text else format(value, "f")
    percent = "%" in section
    if percent:
        value = value * 100
    fraction = re.search(r"\.([0#?]+)", section)
    places = len(fraction.group(1)) if fraction else 0
    return plain(value, places) + ("%" if percent else "")


def _text_of(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return clean_text(str(value))


def read_xlsx(path: Path) -> tuple[list[Grid], list[tuple[str, str, int, int]]]:
    """Each sheet as a grid, and the cells whose formula has no cached value (sheet, text,
    row, column): Excel saves the value it computed, other producers sometimes do not."""
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        raise Refused("refused.no-defusedxml")
    check_zip(path)
    # Opened as streams: openpyxl judges a path by its suffix and refuses an xlsx named .xls
    # or .pdf, while the kind was told by the bytes (sniff)
    with open(path, "rb") as stream:
        values = openpyxl.load_workbook(stream, data_only=True, keep_links=False)
    with open(path, "rb") as stream:
        formulas = openpyxl.load_workbook(stream, data_only=False, keep_links=False)
    if len(values.worksheets) > MAX_SHEETS:
        raise Refused("refused.too-many-sheets", count=len(values.worksheets), limit=MAX_SHEETS)
    grids: list[Grid] = []
    uncached: list[tuple[str, str, int, int]] = []
    for sheet in values.worksheets:
        if sheet.sheet_state != "visible":
            continue
        written = formulas[sheet.title]
        grid = Grid(sheet.title)
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        for merged in list(sheet.merged_cells.ranges)[:MAX_MERGES]:
            spans[(merged.min_row, merged.min_col)] = (
                merged.max_row - merged.min_row + 1,
                merged.max_col - merged.min_col + 1,
            )
        last_row = min(sheet.max_row, MAX_ROWS)
        last_column = min(sheet.max_column, MAX_COLUMNS)
        for row in sheet.iter_rows(min_row=1, max_row=last_row, max_col=last_column):
            for cell in row:
                if type(cell).__name__ == "MergedCell":
                    continue
                rows, columns = spans.get((cell.row, cell.column), (1, 1))
                value = cell.value
                if value is None:
                    source = written.cell(cell.row, cell.column).value
                    if isinstance(source, str) and source.startswith("="):
                        uncached.append((sheet.title, source[:100], cell.row, cell.column))
                    if (rows, columns) == (1, 1):
                        continue
                    grid.add(Cell(cell.row - 1, cell.column - 1, "", None, rows, columns))
                    continue
                grid.add(_cell(cell.row - 1, cell.column - 1, value, cell.number_format, spans))
        grids.append(grid)
    return grids, uncached


def _cell(
    row: int, column: int, value: Any, number_format: str | None, spans: dict[Any, Any]
) -> Cell:
    rows, columns = spans.get((row + 1, column + 1), (1, 1))
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = exact(value)
        shown = display(number, number_format)
        return Cell(row, column, shown, number, rows, columns)
    text = _text_of(value)
    indented = clean_text(value, keep_indent=True) if isinstance(value, str) else ""
    return Cell(row, column, text, None, rows, columns, indented if indented != text else "")


def read_xls(path: Path) -> list[Grid]:
    """Each sheet of an old binary workbook (BIFF: at most 256 columns by design)."""
    from python_calamine import CalamineWorkbook

    try:
        with open(path, "rb") as stream:  # by its bytes: calamine judges a path by its suffix
            workbook = CalamineWorkbook.from_filelike(stream)
    except Exception as error:  # calamine raises its own error types per format
        raise Refused("refused.unreadable", detail=str(error)[:200]) from None
    names = workbook.sheet_names
    if len(names) > MAX_SHEETS:
        raise Refused("refused.too-many-sheets", count=len(names), limit=MAX_SHEETS)
    grids: list[Grid] = []
    for name in names:
        sheet = workbook.get_sheet_by_name(name)
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        for (top, left), (bottom, right) in (sheet.merged_cell_ranges or [])[:MAX_MERGES]:
            spans[(top + 1, left + 1)] = (bottom - top + 1, right - left + 1)
        grid = Grid(name)
        start_row, start_column = sheet.start or (0, 0)
        for index, values in enumerate(sheet.iter_rows()):
            row = start_row + index
            if row >= MAX_ROWS:
                break
            for offset, value in enumerate(values[:MAX_COLUMNS]):
                column = start_column + offset
                if value is None or value == "":
                    if spans.get((row + 1, column + 1), (1, 1)) != (1, 1):
                        rows, columns = spans[(row + 1, column + 1)]
                        grid.add(Cell(row, column, "", None, rows, columns))
                    continue
                grid.add(_cell(row, column, value, None, spans))
        grids.append(grid)
    return grids

"""The presentation model → an Excel workbook in the official grid (XlsxWriter).

Both forms have one: the 自评表 (:func:`form_to_xlsx`) and the 绩效目标申报表
(:func:`goals_to_xlsx`), and each a folder workbook with a 清单 sheet. One sheet, the form as
printed: merged cells where the form merges them, borders, column
widths after the PDF's grid, wrapped text, A4 portrait fitted to the page width with the
indicator header repeated on every printed page. Figures are stored as numbers with the
display format of their printed text (``10`` → ``0``, ``89.35`` → ``0.00``, ``89.974`` →
``0.000``, ``10,308,000.00`` → ``#,##0.00``), so the sheet shows what the PDF shows and
still sums. The workbook's dates come from the form's creation date, never the clock, so two
builds are byte-identical.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from selfeval_compiler.forms.goals import GoalsPresentation
from selfeval_compiler.forms.self_evaluation import SelfEvaluationForm, flat
from selfeval_compiler.outputs.sheet_record import FormSheet

FIXED_DATE = datetime(2000, 1, 1)
"""The creation date when the form has none (no commit, no SOURCE_DATE_EPOCH)."""
_GRID_WIDTHS = (9, 12, 18, 12, 12, 8, 8, 21)
"""The PDF's eight-column grid, in percent of the page; Excel widths are scaled from it."""
_PAGE_CHARACTERS = 110
"""Excel character widths the page's width is divided into."""


def _created(created: str | None) -> datetime:
    if not created:
        return FIXED_DATE
    try:
        return datetime.fromisoformat(created).replace(tzinfo=None)
    except ValueError:
        return FIXED_DATE


class _Sheet:
    """Writes cells in the form's grid, with one border-and-wrap format per kind of cell."""

    def __init__(self, workbook: Any, sheet: Worksheet) -> None:
        self.sheet = sheet
        base = {"border": 1, "text_wrap": True, "valign": "vcenter", "font_size": 10}
        self.formats: dict[str, Format] = {
            "label": workbook.add_format({**base, "bold": True, "align": "center"}),
            "row-label": workbook.add_format({**base, "align": "left"}),
            "text": workbook.add_format({**base, "align": "left"}),
            "long": workbook.add_format({**base, "align": "left", "valign": "top"}),
            "center": workbook.add_format({**base, "align": "center"}),
            "title": workbook.add_format({"bold": True, "font_size": 16, "align": "center"}),
            "plain": workbook.add_format({"align": "center", "font_size": 11}),
        }
        self.numbers: dict[str, Format] = {}
        self.workbook = workbook
        self.base = base

    def number_format(self, text: str, percent: bool = False) -> Format:
        places = len(text.split(".", 1)[1]) if "." in text else 0
        pattern = ("#,##0" if "," in text else "0") + ("." + "0" * places if places else "")
        pattern += "%" if percent else ""
        if pattern not in self.numbers:
            self.numbers[pattern] = self.workbook.add_format(
                {**self.base, "align": "right", "num_format": pattern}
            )
        return self.numbers[pattern]

    def put(self, row: int, first: int, last: int, value: str, kind: str) -> None:
        """``value`` in columns first..last of ``row`` (merged when more than one)."""
        # A rate printed with % (a profile's display) is the number it states, shown with %.
        percent = value.endswith("%")
        number = _number(value.removesuffix("%")) if kind == "num" else None
        if number is not None:
            style = self.number_format(value.removesuffix("%"), percent)
            number = number / 100 if percent else number
        else:  # a figure column's blank or glyph (untouched rows, not applicable) is text
            style = self.formats["center" if kind == "num" else kind]
        shown: Any = float(number) if number is not None else value
        if last > first:
            self.sheet.merge_range(row, first, row, last, shown, style)
        elif number is not None:
            self.sheet.write_number(row, first, float(number), style)
        else:
            self.sheet.write_string(row, first, value, style)

    def block(self, first_row: int, last_row: int, column: int, value: str, kind: str) -> None:
        if last_row > first_row:
            self.sheet.merge_range(first_row, column, last_row, column, value, self.formats[kind])
        else:
            self.sheet.write_string(first_row, column, value, self.formats[kind])


def _sheet_name(title: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\, no leading or trailing quote, ≤ 31 chars."""
    clean = re.sub(r"[\[\]:*?/\\]", "_", title).strip("'")[:31]
    return clean or "form"


_GROUPED = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


def _number(text: str) -> Decimal | None:
    """The number a printed figure states (``10,308,000.00`` is one); text (a dash, a blank)
    is not one."""
    if not text or text[-1] == "%":
        return None
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _columns(form: SelfEvaluationForm) -> list[float]:
    """Column widths: the indicator table's columns (percent) in Excel character units."""
    widths: list[float] = [float(c.span) for c in form.indicator_columns] or list(_GRID_WIDTHS)
    if form.default_indicator_grid:
        widths = [float(w) for w in _GRID_WIDTHS]
    return [max(4.0, w * _PAGE_CHARACTERS / 100) for w in widths]


WORKBOOK_OPTIONS = {
    "in_memory": True,
    # Spec text is data: never a formula (=…), a link or a number in the workbook.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
LIST_SHEET = "清单"
GOALS_LIST_SHEET = "申报清单"
_LIST_COLUMNS = (
    ("序号", 6),
    ("项目名称", 30),
    ("实施单位", 24),
    ("全年预算数", 12),
    ("全年执行数", 12),
    ("执行率(%)", 10),
    ("总分", 8),
    ("评分等级", 8),
    ("工作表", 24),
)


def form_to_xlsx(form: SelfEvaluationForm, created: str | None) -> bytes:
    stream = io.BytesIO()
    workbook = xlsxwriter.Workbook(stream, WORKBOOK_OPTIONS)
    date = _created(created)
    workbook.set_properties(
        {"title": form.project, "author": form.unit, "subject": flat(form.title), "created": date}
    )
    workbook.set_custom_property("selfeval", "presentation model")
    sheet = workbook.add_worksheet(_sheet_name(flat(form.title)))
    _layout(_Sheet(workbook, sheet), form)
    workbook.close()
    return stream.getvalue()


def folder_to_xlsx(sheets: list[FormSheet], title: str, created: str | None) -> bytes:
    """A folder's forms in one workbook: a 清单 sheet listing every project, then one sheet
    per form in the order given, each laid out and set up for printing as the form's own
    workbook. A 自评表's row gives budget, spent, 执行率, 总分 and 评分等级; a 申报表's gives
    项目资金总额 and 年度资金. A folder holding both (specs moving from 申报 to 自评) lists
    the 自评表 on 清单 and the 申报表 on 申报清单.

    Made from each form's sheet record (:mod:`.sheet_record`), which the build left behind
    when it wrote the form: no form is compiled or laid out again."""
    from selfeval_compiler.outputs.sheet_record import replay

    autumn = [index for index, sheet in enumerate(sheets) if sheet.kind == "autumn"]
    spring = [index for index, sheet in enumerate(sheets) if sheet.kind == "spring"]
    stream = io.BytesIO()
    workbook = xlsxwriter.Workbook(stream, WORKBOOK_OPTIONS)
    author = sheets[0].unit if sheets else ""
    workbook.set_properties(
        {"title": title, "author": author, "subject": title, "created": _created(created)}
    )
    workbook.set_custom_property("selfeval", "folder workbook")
    names = _sheet_names([sheet.project for sheet in sheets])
    if autumn or not spring:
        out = _Sheet(workbook, workbook.add_worksheet(LIST_SHEET))
        _list(out, [sheets[i] for i in autumn], [names[i] for i in autumn], title)
    if spring:
        name = GOALS_LIST_SHEET if autumn else LIST_SHEET
        out = _Sheet(workbook, workbook.add_worksheet(name))
        _goals_list(out, [sheets[i] for i in spring], [names[i] for i in spring], title)
    for sheet, name in zip(sheets, names, strict=True):
        replay(workbook, workbook.add_worksheet(name), sheet)
    workbook.close()
    return stream.getvalue()


def autumn_row(form: SelfEvaluationForm) -> dict[str, str]:
    """What the 清单 sheet lists of a 自评表."""
    total = form.funds_total
    return {
        "amount_unit": form.amount_unit,
        "annual": total.annual,
        "executed": total.executed,
        "rate": total.rate,
        "total": form.total,
        "grade": form.grade,
    }


def goals_row(form: GoalsPresentation) -> dict[str, str]:
    """What the 申报清单 sheet lists of a 申报表 (its funds block's first row)."""
    row = {"amount_unit": form.amount_unit}
    if form.funds:
        first = form.funds[0]
        row |= {
            "project_label": first.project_label,
            "annual_label": first.annual_label,
            "project_amount": first.project_amount,
            "annual_amount": first.annual_amount,
        }
    return row


def _sheet_names(projects: list[str]) -> list[str]:
    """Unique sheet names: the form's number and project, within Excel's 31 characters."""
    names: list[str] = []
    taken = {LIST_SHEET.lower(), GOALS_LIST_SHEET.lower()}
    for index, project in enumerate(projects, 1):
        name = _sheet_name(f"{index:02d} {project}")
        if name.lower() in taken:
            name = f"{index:02d}"
        taken.add(name.lower())
        names.append(name)
    return names


def _list(out: _Sheet, forms: list[FormSheet], names: list[str], title: str) -> None:
    sheet, last = out.sheet, len(_LIST_COLUMNS) - 1
    for index, (_, width) in enumerate(_LIST_COLUMNS):
        sheet.set_column(index, index, width)
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.merge_range(0, 0, 0, last, title, out.formats["title"])
    unit = forms[0].row.get("amount_unit", "") if forms else ""
    for index, (label, _) in enumerate(_LIST_COLUMNS):
        shown = f"{label}（{unit}）" if label in ("全年预算数", "全年执行数") and unit else label
        out.put(1, index, index, shown, "label")
    sheet.repeat_rows(1)
    for row, (form, name) in enumerate(zip(forms, names, strict=True), 2):
        figures = form.row
        out.put(row, 0, 0, str(row - 1), "num")
        out.put(row, 1, 1, form.project, "text")
        out.put(row, 2, 2, form.unit, "text")
        out.put(row, 3, 3, figures.get("annual", ""), "num")
        out.put(row, 4, 4, figures.get("executed", ""), "num")
        out.put(row, 5, 5, figures.get("rate", ""), "num")
        out.put(row, 6, 6, figures.get("total", ""), "num")
        out.put(row, 7, 7, figures.get("grade", ""), "center")
        out.put(row, 8, 8, name, "text")


def _a4_page(out: _Sheet, widths: list[float]) -> None:
    """A form's sheet: its column widths, printed on A4 portrait, one page wide, centred."""
    for index, width in enumerate(widths):
        out.sheet.set_column(index, index, width)
    out.sheet.set_paper(9)  # A4
    out.sheet.set_portrait()
    out.sheet.fit_to_pages(1, 0)
    out.sheet.center_horizontally()
    out.sheet.set_margins(left=0.55, right=0.55, top=0.63, bottom=0.63)


def _layout(out: _Sheet, form: SelfEvaluationForm) -> None:
    """The form top to bottom: header, funds, goals, indicators, each from the next row."""
    widths = _columns(form)
    _a4_page(out, widths)
    last = len(widths) - 1
    printed = {block for section in form.sections for block in (section.kind, *section.blocks)}
    row = _header(out, form, last)
    row = _funds(out, form, row, last)
    if "goals" in printed:
        row = _goals(out, form, row, last)
    row = _indicators(out, form, row, last)
    if "trailer" in printed:
        _trailer(out, form, row, last)


def _middle(last: int) -> int:
    return max(2, (last + 1) // 2)


def _header(out: _Sheet, form: SelfEvaluationForm, last: int) -> int:
    sheet, labels, row = out.sheet, form.labels, 0
    sheet.merge_range(row, 0, row, last, flat(form.title), out.formats["title"])
    row += 1
    if form.year_line:
        sheet.merge_range(row, 0, row, last, flat(form.year_line), out.formats["plain"])
        row += 1
    middle = _middle(last)
    out.put(row, 0, 0, flat(labels.project), "label")
    out.put(row, 1, last, form.project, "text")
    out.put(row + 1, 0, 0, flat(labels.department), "label")
    out.put(row + 1, 1, middle - 1, form.department, "text")
    out.put(row + 1, middle, middle, flat(labels.unit), "label")
    out.put(row + 1, middle + 1, last, form.unit, "text")
    return row + 2


def _funds(out: _Sheet, form: SelfEvaluationForm, row: int, last: int) -> int:
    """项目资金: its label spans the block; the figure columns fill columns 2..last."""
    funds_rows = [form.funds_total, *form.funds_rows]
    block_rows = 1 + len(funds_rows) + (1 if form.funds_deviation else 0)
    out.block(row, row + block_rows - 1, 0, flat(form.funds_label), "label")
    out.put(row, 1, 1, flat(form.funds_corner), "label")
    spans = _slot_spans([c.span for c in form.funds_columns], last - 1)
    column = 2
    for funds_column, span in zip(form.funds_columns, spans, strict=True):
        out.put(row, column, column + span - 1, flat(funds_column.label), "label")
        column += span
    row += 1
    for funds_line in funds_rows:
        out.put(row, 1, 1, flat(funds_line.label), "row-label")
        column = 2
        for cell, span in zip(funds_line.cells, spans, strict=True):
            kind = cell.kind if cell.kind in ("num", "text") else "center"
            if cell.rows > 1:  # a text column printed as one cell down the table
                last_row = row + cell.rows - 1
                out.sheet.merge_range(
                    row, column, last_row, column + span - 1, cell.text, out.formats[kind]
                )
            elif cell.kind != "covered":
                out.put(row, column, column + span - 1, cell.text, kind)
            column += span
        row += 1
    if form.funds_deviation:
        out.put(row, 1, 1, flat(form.labels.funds_deviation), "row-label")
        out.put(row, 2, last, form.funds_deviation, "text")
        row += 1
    return row


def _goals(out: _Sheet, form: SelfEvaluationForm, row: int, last: int) -> int:
    """The goals block in the layout's parts: side by side under their words, or a row each."""
    parts = form.goals_parts
    longest = max((len(part.text) for part in parts), default=0)
    height = 15 * max(2, longest // 40 + 1)
    if form.goals_layout == "rows":
        out.block(row, row + len(parts) - 1, 0, flat(form.labels.goals), "label")
        for offset, part in enumerate(parts):
            out.put(row + offset, 1, 2, flat(part.label), "label")
            out.put(row + offset, 3, last, part.text, "long")
        return row + len(parts)
    out.block(row, row + 1, 0, flat(form.labels.goals), "label")
    total = sum(part.span for part in parts)
    column = 1
    for index, part in enumerate(parts):
        if index == len(parts) - 1:
            width = last - column + 1
        elif len(parts) == 2:  # the MoF halves, as before
            width = _middle(last) - 1
        else:
            width = part.span * last // total
        out.put(row, column, column + width - 1, flat(part.label), "label")
        out.put(row + 1, column, column + width - 1, part.text, "long")
        column += width
    out.sheet.set_row(row + 1, height)
    return row + 2


def _trailer(out: _Sheet, form: SelfEvaluationForm, row: int, last: int) -> None:
    """The rows after the table: a label over the first two columns, the text after it."""
    for offset, line in enumerate(form.trailer):
        out.put(row + offset, 0, 1, flat(line.label), "label")
        out.put(row + offset, 2, last, line.text, "long")


_KINDS = {"weight": "num", "score": "num", "name": "text", "deviation": "text"}


def _indicators(out: _Sheet, form: SelfEvaluationForm, row: int, last: int) -> int:
    """The indicator table, 总分 and 评分等级 (the sheet has no side-heading column)."""
    labels = form.labels
    for index, indicator_column in enumerate(form.indicator_columns):
        out.put(row, index, index, flat(indicator_column.label), "label")
    out.sheet.repeat_rows(row)  # the header row on every printed page
    first = row + 1
    for offset, line in enumerate(form.indicators):
        here = first + offset
        for index, indicator_column in enumerate(form.indicator_columns):
            key = indicator_column.key
            if key in ("level1", "level2"):
                span = line.level1_span if key == "level1" else line.level2_span
                if span:
                    out.block(here, here + span - 1, index, getattr(line, key), "center")
                continue
            out.put(here, index, index, line.cell(key), _KINDS.get(key, "center"))
    row = first + len(form.indicators)
    label_span = form.total_label_span - (1 if form.indicator_heading == "side" else 0)
    out.put(row, 0, label_span - 1, flat(labels.total), "label")
    column = label_span
    for cell in form.total_cells:
        end = column + cell.span - 1
        out.put(row, column, end, cell.text, "num" if cell.kind == "num" else "center")
        column = end + 1
    if form.grade_row:
        out.put(row + 1, 0, 0, flat(labels.grade), "label")
        out.put(row + 1, 1, last, form.grade, "text")
        return row + 2
    return row + 1


def _slot_spans(spans: list[int], slots: int) -> list[int]:
    """The funds columns' spans stretched over ``slots`` sheet columns (6 in the MoF grid)."""
    total = sum(spans)
    result = list(spans)
    result[-1] += max(0, slots - total)
    return result


_GOALS_WIDTHS = (10, 15, 15, 10, 10, 15, 12.5, 12.5)
"""The 申报表's eight-column grid (templates/goals.html.j2), in percent of the page."""
GOALS_LIST_COLUMNS = (("序号", 6), ("项目名称", 30), ("实施单位", 24), ("工作表", 24))


def goals_to_xlsx(form: GoalsPresentation, created: str | None) -> bytes:
    """The 绩效目标申报表 as a workbook: one sheet in the form's grid, as the PDF prints it."""
    stream = io.BytesIO()
    workbook = xlsxwriter.Workbook(stream, WORKBOOK_OPTIONS)
    workbook.set_properties(
        {
            "title": form.project,
            "author": form.unit,
            "subject": flat(form.title),
            "created": _created(created),
        }
    )
    workbook.set_custom_property("selfeval", "presentation model")
    _goals_layout(_Sheet(workbook, workbook.add_worksheet(_sheet_name(flat(form.title)))), form)
    workbook.close()
    return stream.getvalue()


def _goals_list(out: _Sheet, forms: list[FormSheet], names: list[str], title: str) -> None:
    """序号, 项目名称, 实施单位, then the funds block's first row (项目资金总额 and 年度资金申请
    总额 in the profile's words and unit), then the sheet."""
    first = forms[0].row if forms else None
    amounts = (
        [(first.get("project_label", ""), 14), (first.get("annual_label", ""), 14)] if first else []
    )
    unit = f"（{first.get('amount_unit', '')}）" if first else ""
    columns = [*GOALS_LIST_COLUMNS[:3], *((f"{a}{unit}", w) for a, w in amounts)]
    columns.append(GOALS_LIST_COLUMNS[3])
    sheet, last = out.sheet, len(columns) - 1
    for index, (label, width) in enumerate(columns):
        sheet.set_column(index, index, width)
        out.put(1, index, index, label, "label")
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.merge_range(0, 0, 0, last, title, out.formats["title"])
    sheet.repeat_rows(1)
    for row, (form, name) in enumerate(zip(forms, names, strict=True), 2):
        cells = [str(row - 1), form.project, form.unit]
        kinds = ["num", "text", "text"]
        if amounts:
            cells += [form.row.get("project_amount", ""), form.row.get("annual_amount", "")]
            kinds += ["num", "num"]
        for index, (value, kind) in enumerate(zip([*cells, name], [*kinds, "text"], strict=True)):
            out.put(row, index, index, value, kind)


def _spread(first: int, last: int, parts: int) -> list[tuple[int, int]]:
    """Columns first..last shared out into ``parts`` neighbouring ranges, the later ones
    wider by one where they do not divide evenly (the 申报表's grid: 1 | 2 | 2 | 2)."""
    count = last - first + 1
    base, extra = divmod(count, parts)
    ranges, column = [], first
    for index in range(parts):
        size = max(1, base + (1 if index >= parts - extra else 0))
        ranges.append((column, min(last, column + size - 1)))
        column += size
    return ranges


def _goals_widths(form: GoalsPresentation) -> list[float]:
    """The sheet's columns: the 8-column grid, or the label column and one column per
    indicator column when the profile lists its own."""
    if form.default_grid:
        widths = list(_GOALS_WIDTHS)
    else:
        widths = [10.0, *(float(column.width) for column in form.indicator_columns)]
    return [max(4.0, w * _PAGE_CHARACTERS / 100) for w in widths]


def _goals_layout(out: _Sheet, form: GoalsPresentation) -> None:
    """The 申报表 top to bottom: title, header lines, its tables in the profile's order,
    the footer line."""
    widths = _goals_widths(form)
    _a4_page(out, widths)
    row, last = 0, len(widths) - 1
    out.sheet.merge_range(row, 0, row, last, flat(form.title), out.formats["title"])
    row += 1
    if form.year_line:
        out.sheet.merge_range(row, 0, row, last, flat(form.year_line), out.formats["plain"])
        row += 1
    if form.header_lines:
        row = _sheet_line(out, form.header_lines, row, last)
    for section in form.sections:
        if section.kind == "grid":
            for entry in section.rows:
                row = _grid_row(out, form, entry, row, last)
        elif section.kind == "costs":
            row = _costs(out, form, row, last)
        else:
            row = _goal_indicators(out, form, section.kind, row, last)
    if form.footer:
        _sheet_line(out, form.footer, row, last)


def _sheet_line(out: _Sheet, texts: tuple[str, ...], row: int, last: int) -> int:
    """Header or footer entries across one row, outside the ruled grid."""
    for text, (first, end) in zip(texts, _spread(0, last, len(texts)), strict=False):
        if end > first:
            out.sheet.merge_range(row, first, row, end, text, out.formats["plain"])
        else:
            out.sheet.write_string(row, first, text, out.formats["plain"])
    return row + 1


def _grid_row(
    out: _Sheet, form: GoalsPresentation, entry: tuple[str, ...], row: int, last: int
) -> int:
    """One entry of the profile's rows: the funds block, the goals, the review, or fields."""
    labels = form.labels
    if entry[0] == "funds":
        return _goals_funds(out, form, row, last)
    if entry[0] == "goals":
        return _goals_goals(out, form, row, last)
    if entry[0] == "review":
        out.put(row, 0, 0, flat(labels["review"]), "label")
        out.put(row, 1, last, form.review, "long")
        out.sheet.set_row(row, 15 * max(4, _wrapped_lines(form.review, 45)))
        return row + 1
    if len(entry) == 2:
        middle = _middle(last)
        left, right = entry
        out.put(row, 0, 0, flat(labels[left]), "label")
        out.put(row, 1, middle - 1, form.value(left), form.kind(left))
        out.put(row, middle, middle, flat(labels[right]), "label")
        out.put(row, middle + 1, last, form.value(right), form.kind(right))
        return row + 1
    (key,) = entry
    out.put(row, 0, 0, flat(labels[key]), "label")
    out.put(row, 1, last, form.value(key), form.kind(key))
    return row + 1


def _goals_funds(out: _Sheet, form: GoalsPresentation, row: int, last: int) -> int:
    out.block(row, row + len(form.funds) - 1, 0, flat(form.funds_label), "label")
    spans = _spread(1, last, 4 if form.funds_project_column else 2)
    for pair in form.funds:
        cells: tuple[tuple[str, str], ...] = (
            (pair.annual_label, "row-label"),
            (pair.annual_amount, "num"),
        )
        if form.funds_project_column:
            cells = ((pair.project_label, "row-label"), (pair.project_amount, "num"), *cells)
        for (value, kind), (first, end) in zip(cells, spans, strict=True):
            out.put(row, first, end, value, kind)
        row += 1
    return row


def _goals_goals(out: _Sheet, form: GoalsPresentation, row: int, last: int) -> int:
    labels = form.labels
    if form.goals_layout == "rows":
        for part in form.goals_parts:
            out.put(row, 0, 0, flat(labels[part]), "label")
            out.put(row, 1, last, form.goal(part), "long")
            out.sheet.set_row(row, 15 * max(3, _wrapped_lines(form.goal(part), 45)))
            row += 1
        return row
    out.block(row, row + 1, 0, flat(labels["targets"]), "label")
    spans = _spread(1, last, len(form.goals_parts))
    for part, (first, end) in zip(form.goals_parts, spans, strict=True):
        out.put(row, first, end, flat(labels[part]), "label")
    for part, (first, end) in zip(form.goals_parts, spans, strict=True):
        out.put(row + 1, first, end, form.goal(part), "long")
    per_line = (20, 25) if len(spans) == 2 else (45,)
    shown = max(
        _wrapped_lines(form.goal(part), width)
        for part, width in zip(form.goals_parts, per_line, strict=False)
    )
    out.sheet.set_row(row + 1, 15 * max(3, shown))
    return row + 2


def _wrapped_lines(text: str, per_line: int) -> int:
    """How many lines ``text`` takes wrapped at ``per_line`` Chinese characters (for the
    row's height: Excel does not grow a merged cell's row itself)."""
    return sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))


def _goal_indicators(out: _Sheet, form: GoalsPresentation, kind: str, row: int, last: int) -> int:
    """An indicator table (年度 or 实施期): the 8-column grid's four columns, or one sheet
    column per indicator column the profile lists."""
    labels, lines = form.labels, form.table(kind)
    target = labels["period_target" if kind == "period_indicators" else "target"]
    if form.default_grid:
        places = {"level1": (1, 1), "level2": (2, 2), "name": (3, 4), "target": (5, last)}
        headings = {"level1": labels["level1"], "level2": labels["level2"]}
        headings |= {"name": labels["level3"], "target": target}
    else:
        places = {c.key: (i, i) for i, c in enumerate(form.indicator_columns, 1)}
        headings = {c.key: c.label for c in form.indicator_columns} | {"target": target}
    out.block(row, row + len(lines), 0, flat(labels[kind]), "label")
    for key, (first, end) in places.items():
        out.put(row, first, end, flat(headings[key]), "label")
    out.sheet.repeat_rows(row)  # the header row on every printed page
    for line in lines:
        row += 1
        for key, (first, end) in places.items():
            if key in ("level1", "level2"):
                span = line.level1_span if key == "level1" else line.level2_span
                if span:
                    out.block(row, row + span - 1, first, getattr(line, key), "center")
                continue
            kind = {"target": "center", "weight": "num"}.get(key, "text")
            out.put(row, first, end, line.text(key), kind)
    return row + 1


def _costs(out: _Sheet, form: GoalsPresentation, row: int, last: int) -> int:
    """The 项目预算成本构成: its label column, then its columns over the rest of the sheet."""
    out.block(row, row + len(form.costs), 0, flat(form.labels["costs"]), "label")
    spans = _spread(1, last, len(form.cost_columns))
    for column, (first, end) in zip(form.cost_columns, spans, strict=True):
        out.put(row, first, end, flat(column.label), "label")
    for line in form.costs:
        row += 1
        for column, (first, end) in zip(form.cost_columns, spans, strict=True):
            text = line.text(column.key)
            if column.key == "name" and line.kind == "sub":
                text = "　" + text  # a cost inside a group, set in under its group
            out.put(row, first, end, text, "num" if column.key == "amount" else "text")
    return row + 1

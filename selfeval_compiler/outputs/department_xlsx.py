"""The 部门整体支出绩效自评表's presentation model → one workbook sheet in its grid.

The grid is the indicator table's (10 columns, 12 with 一级 / 二级); the blocks above it
(header, 部门预算执行情况, 当年绩效目标) are laid over the same columns, merged as the PDF
merges them. Figures are numbers with the display format of their printed text, as in
:mod:`~selfeval_compiler.outputs.xlsx_format`, whose sheet writer this reuses.
"""

from __future__ import annotations

import io

import xlsxwriter

from selfeval_compiler.forms.department import DepartmentPresentation
from selfeval_compiler.forms.self_evaluation import flat
from selfeval_compiler.outputs.xlsx_format import (
    _PAGE_CHARACTERS,
    WORKBOOK_OPTIONS,
    _a4_page,
    _created,
    _Sheet,
    _sheet_name,
)

_FLAT_WIDTHS = (18, 7, 9, 10, 10, 10, 9, 9, 9, 9)
"""Percent of the page: 指标名称, 计量单位, 指标性质, 年初 / 调整指标值, 全年完成值, 得分系数,
权重, 得分, 是否核心指标."""
_LEVEL_WIDTHS = (8, 8)


def department_to_xlsx(form: DepartmentPresentation, created: str | None) -> bytes:
    """The department form as a workbook: one sheet, as the PDF prints it."""
    stream = io.BytesIO()
    workbook = xlsxwriter.Workbook(stream, WORKBOOK_OPTIONS)
    workbook.set_properties(
        {
            "title": flat(form.title),
            "author": form.unit,
            "subject": flat(form.title),
            "created": _created(created),
        }
    )
    workbook.set_custom_property("selfeval", "presentation model")
    sheet = workbook.add_worksheet(_sheet_name(flat(form.title)))
    department_layout(_Sheet(workbook, sheet), form)
    workbook.close()
    return stream.getvalue()


def department_layout(out: _Sheet, form: DepartmentPresentation) -> None:
    """The form top to bottom: title, header, funds, goals, indicators."""
    percent = (*_LEVEL_WIDTHS, *_FLAT_WIDTHS) if form.hierarchical else _FLAT_WIDTHS
    widths = [max(4.0, w * _PAGE_CHARACTERS / 100 * 0.9) for w in percent]
    _a4_page(out, widths)
    last = len(widths) - 1
    out.sheet.merge_range(0, 0, 0, last, flat(form.title), out.formats["title"])
    row = _header(out, form, 1, last)
    row = _funds(out, form, row, last)
    row = _goals(out, form, row, last)
    _indicators(out, form, row, last)


def _header(out: _Sheet, form: DepartmentPresentation, row: int, last: int) -> int:
    labels = form.labels
    out.put(row, 0, 1, flat(labels["unit"]), "label")
    out.put(row, 2, last, form.unit, "text")
    row += 1
    out.put(row, 0, 1, flat(labels["department"]), "label")
    out.put(row, 2, 4, form.department, "text")
    out.put(row, 5, 5, flat(labels["finance_office"]), "label")
    if form.total_at == "header":
        out.put(row, 6, last - 3, form.finance_office, "text")
        out.put(row, last - 2, last - 1, flat(labels["total"]), "label")
        out.put(row, last, last, form.total, "num")
    else:
        out.put(row, 6, last, form.finance_office, "text")
    row += 1
    out.put(row, 0, 1, flat(labels["contact"]), "label")
    out.put(row, 2, 4, form.contact, "text")
    out.put(row, 5, 5, flat(labels["phone"]), "label")
    out.put(row, 6, last, form.phone, "text")
    return row + 1


def _funds(out: _Sheet, form: DepartmentPresentation, row: int, last: int) -> int:
    labels = form.labels
    first = 2
    columns = ("initial", "annual", "executed", "rate", "weight", "score")
    spans = [(first + i, first + i) for i in range(len(columns))]
    spans[-1] = (spans[-1][0], last)
    height = len(form.funds) + 1
    if form.funds_split:
        out.block(row, row + height - 1, 0, flat(form.funds_label), "label")
        out.put(row, 1, 1, "", "label")
    else:
        out.sheet.merge_range(
            row, 0, row + height - 1, 1, flat(form.funds_label), out.formats["label"]
        )
    for (start, end), key in zip(spans, columns, strict=True):
        out.put(row, start, end, flat(labels[key]), "label")
    for line in form.funds:
        row += 1
        if form.funds_split:
            out.put(row, 1, 1, line.label, "row-label")
        values = (line.initial, line.annual, line.executed, line.rate, line.weight, line.score)
        for (start, end), value in zip(spans, values, strict=True):
            out.put(row, start, end, value, "num")
    return row + 1


def _goals(out: _Sheet, form: DepartmentPresentation, row: int, last: int) -> int:
    labels = form.labels
    out.sheet.merge_range(row, 0, row + 1, 1, flat(labels["goals"]), out.formats["label"])
    parts = (
        (2, 4, "goals_initial", form.goals_initial),
        (5, 7, "goals_adjusted", form.goals_adjusted),
        (8, last, "goals_actual", form.goals_actual),
    )
    for start, end, key, text in parts:
        out.put(row, start, end, flat(labels[key]), "label")
        out.put(row + 1, start, end, text, "long")
    longest = max(len(text) for *_, text in parts)
    out.sheet.set_row(row + 1, 15 * max(3, -(-longest // 20)))
    return row + 2


def _indicators(out: _Sheet, form: DepartmentPresentation, row: int, last: int) -> None:
    labels = form.labels
    out.put(row, 0, last, flat(labels["indicators"]), "label")
    row += 1
    keys = ["name", "measure_unit", "nature", "target", "adjusted", "actual"]
    keys += ["coefficient", "indicator_weight", "indicator_score", "core"]
    if form.hierarchical:
        keys = ["level1", "level2", *keys]
    for column, key in enumerate(keys):
        out.put(row, column, column, flat(labels[key]), "label")
    out.sheet.repeat_rows(row)
    offset = 2 if form.hierarchical else 0
    for line in form.indicators:
        row += 1
        if form.hierarchical and line.level1_span:
            out.block(row, row + line.level1_span - 1, 0, line.level1, "center")
        if form.hierarchical and line.level2_span:
            out.block(row, row + line.level2_span - 1, 1, line.level2, "center")
        cells = (
            (line.name, "text"),
            (line.unit, "center"),
            (line.nature, "center"),
            (line.target, "center"),
            (line.adjusted, "center"),
            (line.actual, "center"),
            (line.coefficient, "num"),
            (line.weight, "num"),
            (line.score, "num"),
            (line.core, "center"),
        )
        for column, (value, kind) in enumerate(cells, offset):
            out.put(row, column, column, value, kind)
    if form.total_at == "table":
        row += 1
        out.put(row, 0, last - 3, flat(labels["total"]), "label")
        out.put(row, last - 2, last - 2, form.total_weight, "num")
        out.put(row, last - 1, last - 1, form.total, "num")
        out.put(row, last, last, "", "center")

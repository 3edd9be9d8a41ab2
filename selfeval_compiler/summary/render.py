"""The 汇总表 in its formats: HTML with its charts drawn in, PDF (A4 landscape), xlsx, JSON.

A build of 申报表 gives the 绩效目标申报汇总表 instead, and a build holding both kinds gives
both tables, each under its own title: in the HTML and PDF one after the other (the spring
one on a new page), in the workbook on their own sheets, in the JSON the spring one under
``goals``.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from selfeval_compiler import __version__
from selfeval_compiler.diagnostics import Diagnostic, Location
from selfeval_compiler.forms.figures import plain
from selfeval_compiler.outputs.html import environment
from selfeval_compiler.summary.charts import charts
from selfeval_compiler.summary.departments import (
    DEPARTMENT_HEADER,
    DEPARTMENTS_TITLE,
    DepartmentRow,
    department_cells,
    departments_data,
)
from selfeval_compiler.summary.table import GoalsSubtotal, GoalsSummary, Subtotal, Summary

SUMMARY_FORMATS = ("html", "pdf", "xlsx", "json")
TITLE = "项目支出绩效自评结果汇总表"
GOALS_TITLE = "绩效目标申报汇总表"


def money(value: Decimal) -> str:
    return plain(value, 2)


def _years(summary: Summary | GoalsSummary) -> str:
    return "、".join(str(year) for year in summary.years) or "—"


def _money_or_blank(value: Decimal | None) -> str:
    return "" if value is None else money(value)


def _titles(
    summary: Summary | None, goals: GoalsSummary | None, departments: list[DepartmentRow]
) -> list[str]:
    parts = ((TITLE, summary), (GOALS_TITLE, goals), (DEPARTMENTS_TITLE, departments))
    return [title for title, part in parts if part]


def summary_html(
    summary: Summary | None,
    goals: GoalsSummary | None = None,
    departments: list[DepartmentRow] | None = None,
) -> str:
    lines = summary.lines if summary else ()
    numbers = {line.row.sort_key: index for index, line in enumerate(lines, 1)}
    listed = departments or []
    titles = _titles(summary, goals, listed)
    return (
        environment()
        .get_template("summary.html.j2")
        .render(
            title="、".join(titles),
            summary_title=TITLE,
            goals_title=GOALS_TITLE,
            summary=summary,
            goals=goals,
            years=_years(summary) if summary else "",
            goals_years=_years(goals) if goals else "",
            departments=[department_cells(i, row) for i, row in enumerate(listed, 1)],
            departments_title=DEPARTMENTS_TITLE,
            department_header=DEPARTMENT_HEADER,
            first_part=bool(summary or goals),
            numbers=numbers,
            money=money,
            money_or_blank=_money_or_blank,
            charts=[Markup(svg) for svg in charts(summary)] if summary else [],
            generator=f"selfeval {__version__}",
        )
    )


def _subtotal(item: Subtotal) -> dict[str, Any]:
    return {
        "label": item.label,
        "projects": item.count,
        "annual": money(item.annual),
        "executed": money(item.executed),
        "execution_rate": str(item.rate),
        "mean_total": str(item.mean_total),
        "indicators_not_met": item.not_met,
    }


def _goals_subtotal(item: GoalsSubtotal) -> dict[str, Any]:
    return {
        "label": item.label,
        "projects": item.count,
        "annual": money(item.annual),
        "project_total": money(item.project_total),
        "indicators": item.indicators,
    }


def goals_data(goals: GoalsSummary) -> dict[str, Any]:
    """The 绩效目标申报汇总表 as data: amounts as printed texts, goals shortened."""
    return {
        "summary": GOALS_TITLE,
        "years": list(goals.years),
        "amount_unit": goals.amount_unit,
        "projects": [
            {
                "folder": line.row.folder,
                "file": line.row.file,
                "project": line.row.project,
                "department": line.row.department,
                "unit": line.row.unit,
                "annual": money(line.annual),
                "project_total": _money_or_blank(line.project_total),
                "overall": line.overall,
                "expected": line.expected,
                "indicators": line.row.indicators,
            }
            for line in goals.lines
        ],
        "units": [_goals_subtotal(unit) for unit in goals.units],
        "total": _goals_subtotal(goals.total),
    }


def summary_json(
    summary: Summary | None,
    goals: GoalsSummary | None = None,
    departments: list[DepartmentRow] | None = None,
) -> str:
    first = GOALS_TITLE if goals is not None or not departments else DEPARTMENTS_TITLE
    data: dict[str, Any] = {"summary": first, "selfeval": __version__}
    if summary is not None:
        data = _summary_data(summary)
    if goals is not None:
        data["goals"] = goals_data(goals)
    if departments:
        data["departments"] = departments_data(departments)["departments"]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _summary_data(summary: Summary) -> dict[str, Any]:
    return {
        "summary": TITLE,
        "selfeval": __version__,
        "years": list(summary.years),
        "amount_unit": summary.amount_unit,
        "projects": [
            {
                "folder": line.row.folder,
                "file": line.row.file,
                "project": line.row.project,
                "department": line.row.department,
                "unit": line.row.unit,
                "annual": money(line.annual),
                "executed": money(line.executed),
                "execution_rate": str(line.row.rate),
                "total": str(line.row.total),
                "grade": line.row.grade,
                "indicators_not_met": list(line.row.not_met),
            }
            for line in summary.lines
        ],
        "folders": [
            {"folder": group.folder, **_subtotal(group.subtotal)} for group in summary.folders
        ],
        "units": [_subtotal(unit) for unit in summary.units],
        "total": _subtotal(summary.total),
        "grades": dict(summary.grades),
    }


def summary_xlsx(
    summary: Summary | None,
    goals: GoalsSummary | None = None,
    departments: list[DepartmentRow] | None = None,
) -> bytes:
    import xlsxwriter

    from selfeval_compiler.outputs.xlsx_format import FIXED_DATE, WORKBOOK_OPTIONS

    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, WORKBOOK_OPTIONS)
    titles = _titles(summary, goals, departments or [])
    book.set_properties({"title": "、".join(titles), "created": FIXED_DATE})
    styles = {
        "bold": book.add_format({"bold": True, "border": 1, "align": "center", "text_wrap": True}),
        "cell": book.add_format({"border": 1, "text_wrap": True}),
        "number": book.add_format({"border": 1, "num_format": "0.00"}),
    }
    if summary is not None:
        _self_evaluation_sheets(book, summary, styles)
    if goals is not None:
        _goals_sheet(book, goals, styles)
    if departments:
        _departments_sheet(book, departments, styles)
    book.close()
    return stream.getvalue()


def _goals_sheet(book: Any, goals: GoalsSummary, styles: dict[str, Any]) -> None:
    """One sheet: the projects, then a subtotal per 实施单位 and the total."""
    bold, cell, number = styles["bold"], styles["cell"], styles["number"]
    sheet = book.add_worksheet("申报汇总表")
    header = ["序号", "目录", "项目名称", "实施单位", f"年度资金（{goals.amount_unit}）"]
    header += [f"项目资金总额（{goals.amount_unit}）", "项目总体目标", "年度目标", "指标数"]
    widths = (6, 14, 28, 24, 14, 14, 36, 36, 8)
    sheet.merge_range(0, 0, 0, len(header) - 1, f"{GOALS_TITLE}（{_years(goals)}）", bold)
    for column, (label, width) in enumerate(zip(header, widths, strict=True)):
        sheet.write_string(1, column, label, bold)
        sheet.set_column(column, column, width)
    sheet.repeat_rows(1)
    row = 2
    for index, line in enumerate(goals.lines, 1):
        values: list[Any] = [index, line.folder_name, line.row.project, line.row.unit]
        values += [line.annual, line.project_total, line.overall, line.expected]
        values.append(line.row.indicators)
        _write_row(sheet, row, values, cell, number)
        row += 1
    subtotals = [(f"{unit.label} 小计", unit) for unit in goals.units]
    for label, item in [*subtotals, ("合计", goals.total)]:
        sheet.merge_range(row, 0, row, 3, f"{label}（{item.count} 个项目）", bold)
        values = [item.annual, item.project_total, "", "", item.indicators]
        _write_row(sheet, row, values, cell, number, first=4)
        row += 1


def _departments_sheet(book: Any, rows: list[DepartmentRow], styles: dict[str, Any]) -> None:
    """One sheet: each department form's figures as it printed them."""
    bold, cell = styles["bold"], styles["cell"]
    sheet = book.add_worksheet("部门整体")
    sheet.merge_range(0, 0, 0, len(DEPARTMENT_HEADER) - 1, DEPARTMENTS_TITLE, bold)
    widths = (6, 14, 30, 8, 10, 10, 10, 8)
    for column, (label, width) in enumerate(zip(DEPARTMENT_HEADER, widths, strict=True)):
        sheet.write_string(1, column, label, bold)
        sheet.set_column(column, column, width)
    sheet.repeat_rows(1)
    for row, department in enumerate(rows, 2):
        _write_row(sheet, row, department_cells(row - 1, department), cell, styles["number"])


def _write_row(
    sheet: Any, row: int, values: list[Any], cell: Any, number: Any, first: int = 0
) -> None:
    for column, value in enumerate(values, first):
        if isinstance(value, Decimal):
            sheet.write_number(row, column, float(value), number)
        elif isinstance(value, int):
            sheet.write_number(row, column, value, cell)
        else:
            sheet.write_string(row, column, value or "", cell)


def _self_evaluation_sheets(book: Any, summary: Summary, styles: dict[str, Any]) -> None:
    bold, cell, number = styles["bold"], styles["cell"], styles["number"]
    sheet = book.add_worksheet("汇总表")
    sheet.merge_range(0, 0, 0, 9, f"{TITLE}（{_years(summary)}，{summary.amount_unit}）", bold)
    header = ["序号", "目录", "项目名称", "实施单位", "全年预算数", "全年执行数"]
    header += ["执行率(%)", "总分", "评分等级", "未达成的指标"]
    for column, (label, width) in enumerate(
        zip(header, (6, 14, 28, 24, 12, 12, 10, 8, 8, 30), strict=True)
    ):
        sheet.write_string(1, column, label, bold)
        sheet.set_column(column, column, width)
    sheet.repeat_rows(1)
    row = 2
    names = {line.row.sort_key: group.label for group in summary.folders for line in group.lines}
    for index, line in enumerate(summary.lines, 1):
        values: list[Any] = [index, names[line.row.sort_key], line.row.project, line.row.unit]
        values += [line.annual, line.executed, line.row.rate, line.row.total]
        values += [line.row.grade, "、".join(line.row.not_met)]
        for column, value in enumerate(values):
            if isinstance(value, Decimal):
                sheet.write_number(row, column, float(value), number)
            elif isinstance(value, int):
                sheet.write_number(row, column, value, cell)
            else:
                sheet.write_string(row, column, value, cell)
        row += 1
    units = book.add_worksheet("按单位")
    labels = [
        "实施单位",
        "项目数",
        "全年预算数",
        "全年执行数",
        "执行率(%)",
        "平均总分",
        "未达成的指标数",
    ]
    for column, label in enumerate(labels):
        units.write_string(0, column, label, bold)
    for offset, item in enumerate([*summary.units, summary.total], 1):
        units.write_string(offset, 0, item.label, cell)
        units.write_number(offset, 1, item.count, cell)
        for column, value in enumerate((item.annual, item.executed, item.rate, item.mean_total), 2):
            units.write_number(offset, column, float(value), number)
        units.write_number(offset, 6, item.not_met, cell)
    grades = book.add_worksheet("评分等级")
    for column, (grade, count) in enumerate(summary.grades):
        grades.write_string(0, column, grade, bold)
        grades.write_number(1, column, count, cell)


def summary_pdf(html: str, where: Location) -> tuple[bytes | None, list[Diagnostic]]:
    """The table as a PDF (A4 landscape, from the page's CSS), laid out in a worker under the
    forms' memory and time caps: thousands of rows fail as SE906 or SE907, never a hang."""
    from selfeval_compiler.outputs.isolated import pdf_in_worker

    return pdf_in_worker(html, where)


def render_summary(
    summary: Summary | None,
    formats: list[str],
    goals: GoalsSummary | None = None,
    *,
    where: Location,
    departments: list[DepartmentRow] | None = None,
) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """``{suffix: data}`` for each format asked for: the autumn table (``summary``), the
    spring one (``goals``), or both; and the findings on ``where`` (the PDF's path) of a PDF
    that could not be made, the other formats being made all the same."""
    html = summary_html(summary, goals, departments)
    made: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    for name in formats:
        if name == "html":
            made[".html"] = html.encode("utf-8")
        elif name == "json":
            made[".json"] = summary_json(summary, goals, departments).encode("utf-8")
        elif name == "xlsx":
            made[".xlsx"] = summary_xlsx(summary, goals, departments)
        elif name == "pdf":
            data, problems = summary_pdf(html, where)
            if data is not None:
                made[".pdf"] = data
    return made, problems

"""The 汇总表 in its formats: HTML with its charts drawn in, PDF (A4 landscape), xlsx, JSON."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from selfeval_compiler import __version__
from selfeval_compiler.forms.figures import plain
from selfeval_compiler.outputs.html import environment
from selfeval_compiler.summary.charts import charts
from selfeval_compiler.summary.table import Subtotal, Summary

SUMMARY_FORMATS = ("html", "pdf", "xlsx", "json")
TITLE = "项目支出绩效自评结果汇总表"


def money(value: Decimal) -> str:
    return plain(value, 2)


def _years(summary: Summary) -> str:
    return "、".join(str(year) for year in summary.years) or "—"


def summary_html(summary: Summary) -> str:
    numbers = {line.row.sort_key: index for index, line in enumerate(summary.lines, 1)}
    return (
        environment()
        .get_template("summary.html.j2")
        .render(
            title=TITLE,
            summary=summary,
            years=_years(summary),
            numbers=numbers,
            money=money,
            charts=[Markup(svg) for svg in charts(summary)],
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


def summary_json(summary: Summary) -> str:
    data = {
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
        "folders": [_subtotal(group.subtotal) for group in summary.folders],
        "units": [_subtotal(unit) for unit in summary.units],
        "total": _subtotal(summary.total),
        "grades": dict(summary.grades),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def summary_xlsx(summary: Summary) -> bytes:
    import xlsxwriter

    from selfeval_compiler.outputs.xlsx_format import FIXED_DATE, WORKBOOK_OPTIONS

    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, WORKBOOK_OPTIONS)
    book.set_properties({"title": TITLE, "created": FIXED_DATE})
    bold = book.add_format({"bold": True, "border": 1, "align": "center", "text_wrap": True})
    cell = book.add_format({"border": 1, "text_wrap": True})
    number = book.add_format({"border": 1, "num_format": "0.00"})
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
    for index, line in enumerate(summary.lines, 1):
        values: list[Any] = [index, line.row.folder, line.row.project, line.row.unit]
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
    book.close()
    return stream.getvalue()


def summary_pdf(html: str) -> bytes:
    from selfeval_compiler.outputs import pdf

    return pdf.write_pdf(pdf.render_document(html))  # A4 landscape, from the page's CSS


def render_summary(summary: Summary, formats: list[str]) -> dict[str, bytes]:
    """``{suffix: data}`` for each format asked for."""
    html = summary_html(summary)
    made: dict[str, bytes] = {}
    for name in formats:
        if name == "html":
            made[".html"] = html.encode("utf-8")
        elif name == "json":
            made[".json"] = summary_json(summary).encode("utf-8")
        elif name == "xlsx":
            made[".xlsx"] = summary_xlsx(summary)
        elif name == "pdf":
            made[".pdf"] = summary_pdf(html)
    return made

"""The 部门整体支出绩效自评表 in a summary: listed apart from the projects, never mixed.

A department form is not a project: it has no 项目名称 and no 评分等级 of the project rules, and
its 自评总分 is the whole department's. A summary therefore lists the department forms of its
build folders in a table of their own (部门整体支出绩效自评汇总), with the figures as each
form printed them (执行率, 执行率得分, 自评总分), read from the form's JSON (``"form":
"department"``) under the same bounds as every other JSON a summary reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

DEPARTMENTS_TITLE = "部门整体支出绩效自评汇总表"
_PRINTED = re.compile(r"-?\d{1,15}(\.\d{1,6})?%?")


class NotADepartmentForm(Exception):
    pass


@dataclass(frozen=True)
class DepartmentRow:
    folder: str
    file: str
    year: int
    unit: str
    department: str
    rate: str
    """执行率 as the form printed it (``76%``, ``87.50``)."""
    funds_score: str
    total: str
    indicators: int

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.folder, self.file)


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise NotADepartmentForm("a text field is not text or too long")
    return value


def _printed(value: Any) -> str:
    text = _text(value, 30)
    if text and not _PRINTED.fullmatch(text):
        raise NotADepartmentForm(f"not a printed figure: {text[:30]!r}")
    return text


def is_department(data: Any) -> bool:
    return isinstance(data, dict) and data.get("form") == "department" and "summary" not in data


def department_row_of(data: dict[str, Any], folder: str, file: str) -> DepartmentRow:
    """The summary row of one department form's JSON; :class:`NotADepartmentForm` for one
    that claims to be one and is not."""
    try:
        year = data["year"]
        if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2200:
            raise NotADepartmentForm("year")
        funds = data["funds"]
        indicators = data["indicators"]
        if not isinstance(funds, list) or not funds or not isinstance(funds[0], dict):
            raise NotADepartmentForm("funds")
        if not isinstance(indicators, list) or len(indicators) > 1000:
            raise NotADepartmentForm("indicators")
        return DepartmentRow(
            folder=folder,
            file=file,
            year=year,
            unit=_text(data["unit"], 200),
            department=_text(data["department"], 200),
            rate=_printed(funds[0]["rate"]),
            funds_score=_printed(funds[0]["score"]),
            total=_printed(data["total"]),
            indicators=len(indicators),
        )
    except (KeyError, TypeError) as error:
        raise NotADepartmentForm(f"missing {error}") from None


DEPARTMENT_HEADER = (
    "序号",
    "目录",
    "部门（单位）名称",
    "年度",
    "执行率",
    "执行率得分",
    "自评总分",
    "指标数",
)


def department_cells(index: int, row: DepartmentRow) -> list[Any]:
    """One row of the table, in :data:`DEPARTMENT_HEADER`'s order (HTML, PDF and xlsx)."""
    return [
        index,
        row.folder or "（根目录）",
        row.unit,
        row.year,
        row.rate,
        row.funds_score,
        row.total,
        row.indicators,
    ]


def departments_data(rows: list[DepartmentRow]) -> dict[str, Any]:
    """The department table as data (the summary JSON's ``departments``)."""
    return {
        "summary": DEPARTMENTS_TITLE,
        "departments": [
            {
                "folder": row.folder,
                "file": row.file,
                "year": row.year,
                "unit": row.unit,
                "department": row.department,
                "rate": row.rate,
                "funds_score": row.funds_score,
                "total": row.total,
                "indicators": row.indicators,
            }
            for row in rows
        ],
    }

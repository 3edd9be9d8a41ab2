"""What the recogniser hands on: a form as read (:class:`ImportedForm`), its funds rows and
indicators, and the :class:`Note` for everything it could not read as it stands."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from selfeval_compiler.importers.grid import Cell

HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Note:
    """Something the importer could not read as it stands, or changed: where (row and
    column in the grid, 1-based, 0 when not tied to a cell) and what, in both languages."""

    row: int
    column: int
    zh: str
    en: str
    field: str = ""
    """The spec field it concerns (a comment goes beside it), or "" for the whole form."""


@dataclass
class Amounts:
    values: dict[str, Decimal] = field(default_factory=dict)
    bare_rate: bool = False
    """执行率 printed as a bare number of 1.5 or less under a header without (%): a fraction
    or a tiny percentage, decided by :func:`_resolve_rates`."""
    texts: dict[str, str] = field(default_factory=dict)
    """The row's text columns the profile lists (``reason``, ``method``), as printed."""
    unread: set[str] = field(default_factory=set)
    """Amount columns the form does not print or whose cell is not a number: left out of
    the spec for check to ask for (a blank cell is the form's 0)."""


@dataclass
class ImportedIndicator:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: Decimal | None
    score: Decimal | None
    deviation: str
    extra: dict[str, str]
    row: int


@dataclass
class ImportedForm:
    source: str
    year: int | None = None
    project: str = ""
    department: str = ""
    unit: str = ""
    codes: dict[str, str] = field(default_factory=dict)
    amount_unit: str | None = None
    funds: dict[str, Amounts] = field(default_factory=dict)
    funds_reason: str = ""
    expected: str = ""
    actual: str = ""
    process: str = ""
    remarks: dict[str, str] = field(default_factory=dict)
    filing: dict[str, str] = field(default_factory=dict)
    """The header and signature lines' values (填报单位, 项目负责人 …) by their ``filing`` key."""
    """The rows after the table (评价结论, 存在问题 …) by their ``remarks`` key."""
    indicators: list[ImportedIndicator] = field(default_factory=list)
    total_weight: Decimal | None = None
    total: Decimal | None = None
    grade: str | None = None
    notes: list[Note] = field(default_factory=list)

    def note(self, cell: Cell | None, zh: str, en: str, field_name: str = "") -> None:
        row, column = (cell.row + 1, cell.column + 1) if cell else (0, 0)
        self.notes.append(Note(row, column, zh, en, field_name))


TITLES = {
    "project": "项目名称",
    "department": "主管部门",
    "unit": "实施单位",
    "year": "年度",
    "expected": "预期目标",
    "actual": "实际完成情况",
    "process": "实施内容及过程概述",
}

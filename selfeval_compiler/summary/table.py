"""The 汇总表's figures: rows, subtotals per folder and per unit, totals, grade counts; and
the spring 绩效目标申报汇总表's (:func:`summarise_goals`): amounts and goals, no scores.

Sums are exact (Decimal). Amounts in another unit than the first form's are converted
exactly (元 ÷ 10000 = 万元). A subtotal's 执行率 is Σ全年执行数 ÷ Σ全年预算数 and its 总分
the mean of its projects' 总分, each rounded half-up to two places once: the summary's own
figures, not any profile's. The four usual grades are always counted, also when none.

A folder is printed by the name of whom its forms belong to (:func:`folder_names`), never by
its file-system name (``shanghai-xinjiang-office``), which a reader of the table does not know.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from selfeval_compiler.model.amounts import unit_factor
from selfeval_compiler.rules.rounding import round_figure
from selfeval_compiler.summary.collect import GoalsRow, ProjectRow

HUNDRED = Decimal(100)
GRADE_ORDER = ("优", "良", "中", "差")


@dataclass(frozen=True)
class Line:
    """A project as the table prints it, its amounts in the summary's unit."""

    row: ProjectRow
    annual: Decimal
    executed: Decimal


@dataclass(frozen=True)
class Subtotal:
    label: str
    count: int
    annual: Decimal
    executed: Decimal
    rate: Decimal
    mean_total: Decimal
    not_met: int


@dataclass(frozen=True)
class Group:
    label: str
    """The folder's name as printed (:func:`folder_names`)."""
    lines: tuple[Line, ...]
    subtotal: Subtotal
    folder: str = ""
    """The folder below the build folder, "" at the top."""


def folder_names(rows: list[ProjectRow] | list[GoalsRow]) -> dict[str, str]:
    """Each folder's printed name: the 实施单位 of its forms when they share one, else their
    主管部门 when they share one, else their 实施单位 in order, joined by 、."""
    units: dict[str, dict[str, None]] = {}
    departments: dict[str, dict[str, None]] = {}
    for row in rows:
        if row.unit.strip():
            units.setdefault(row.folder, {})[row.unit.strip()] = None
        if row.department.strip():
            departments.setdefault(row.folder, {})[row.department.strip()] = None
    names: dict[str, str] = {}
    for row in rows:
        unit, department = list(units.get(row.folder, ())), list(departments.get(row.folder, ()))
        if len(unit) != 1 and len(department) == 1:
            names[row.folder] = department[0]
        else:
            names[row.folder] = "、".join(unit) or "、".join(department) or "（未填单位）"
    return names


@dataclass(frozen=True)
class Summary:
    amount_unit: str
    years: tuple[int, ...]
    folders: tuple[Group, ...]
    units: tuple[Subtotal, ...]
    total: Subtotal
    grades: tuple[tuple[str, int], ...]

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for group in self.folders for line in group.lines)


def _two(value: Decimal) -> Decimal:
    return round_figure(value, "half-up", 2)


def subtotal(label: str, lines: list[Line]) -> Subtotal:
    annual = sum((line.annual for line in lines), Decimal(0))
    executed = sum((line.executed for line in lines), Decimal(0))
    rate = _two(executed / annual * HUNDRED) if annual else Decimal("0.00")
    totals = [line.row.total for line in lines]
    mean = _two(sum(totals, Decimal(0)) / len(totals)) if totals else Decimal("0.00")
    return Subtotal(
        label,
        len(lines),
        annual,
        executed,
        rate,
        mean,
        sum(len(line.row.not_met) for line in lines),
    )


def summarise(rows: list[ProjectRow]) -> Summary:
    unit = rows[0].amount_unit if rows else "万元"

    def convert(value: Decimal, source: str) -> Decimal:
        return value * unit_factor(source, unit)

    lines = [
        Line(row, convert(row.annual, row.amount_unit), convert(row.executed, row.amount_unit))
        for row in rows
    ]
    by_folder: dict[str, list[Line]] = {}
    by_unit: dict[str, list[Line]] = {}
    for line in lines:
        by_folder.setdefault(line.row.folder, []).append(line)
        by_unit.setdefault(line.row.unit, []).append(line)
    names = folder_names(rows)
    folders = tuple(
        Group(names[folder], tuple(members), subtotal(names[folder], members), folder)
        for folder, members in by_folder.items()
    )
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.row.grade] = counts.get(line.row.grade, 0) + 1
    order = list(GRADE_ORDER) + sorted(set(counts) - set(GRADE_ORDER))
    return Summary(
        amount_unit=unit,
        years=tuple(sorted({row.year for row in rows})),
        folders=folders,
        units=tuple(subtotal(name, members) for name, members in sorted(by_unit.items())),
        total=subtotal("合计", lines),
        grades=tuple((grade, counts.get(grade, 0)) for grade in order),
    )


GOALS_TEXT_LIMIT = 60
"""Characters of a 总体目标 / 年度目标 the spring summary shows before cutting it short."""


def shortened(text: str, limit: int = GOALS_TEXT_LIMIT) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis when longer."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass(frozen=True)
class GoalsLine:
    """A 申报表 as the spring summary prints it, its amounts in the summary's unit."""

    row: GoalsRow
    annual: Decimal
    project_total: Decimal | None
    overall: str
    expected: str
    folder_name: str = ""
    """The folder's name as printed (:func:`folder_names`)."""


@dataclass(frozen=True)
class GoalsSubtotal:
    label: str
    count: int
    annual: Decimal
    project_total: Decimal
    """The sum of the 项目资金总额 given (a blank one adds nothing)."""
    indicators: int


@dataclass(frozen=True)
class GoalsSummary:
    amount_unit: str
    years: tuple[int, ...]
    lines: tuple[GoalsLine, ...]
    units: tuple[GoalsSubtotal, ...]
    total: GoalsSubtotal


def _goals_subtotal(label: str, lines: list[GoalsLine]) -> GoalsSubtotal:
    return GoalsSubtotal(
        label,
        len(lines),
        sum((line.annual for line in lines), Decimal(0)),
        sum((line.project_total or Decimal(0) for line in lines), Decimal(0)),
        sum(line.row.indicators for line in lines),
    )


def summarise_goals(rows: list[GoalsRow]) -> GoalsSummary:
    """The 绩效目标申报汇总表: per project 年度资金, 项目资金总额, its goals shortened and its
    number of indicators; subtotals per 实施单位 and a total, in the first form's unit (the
    others converted exactly)."""
    unit = rows[0].amount_unit if rows else "万元"
    lines = []
    names = folder_names(rows)
    for row in rows:
        factor = unit_factor(row.amount_unit, unit)
        total = row.project_total * factor if row.project_total is not None else None
        overall, expected = shortened(row.overall), shortened(row.expected)
        lines.append(
            GoalsLine(row, row.annual * factor, total, overall, expected, names[row.folder])
        )
    by_unit: dict[str, list[GoalsLine]] = {}
    for line in lines:
        by_unit.setdefault(line.row.unit, []).append(line)
    return GoalsSummary(
        amount_unit=unit,
        years=tuple(sorted({row.year for row in rows})),
        lines=tuple(lines),
        units=tuple(_goals_subtotal(name, members) for name, members in sorted(by_unit.items())),
        total=_goals_subtotal("合计", lines),
    )

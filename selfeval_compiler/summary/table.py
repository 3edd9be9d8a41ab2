"""The 汇总表's figures: rows, subtotals per folder and per unit, totals, grade counts.

Sums are exact (Decimal). Amounts in another unit than the first form's are converted
exactly (元 ÷ 10000 = 万元). A subtotal's 执行率 is Σ全年执行数 ÷ Σ全年预算数 and its 总分
the mean of its projects' 总分, each rounded half-up to two places once: the summary's own
figures, not any profile's. The four usual grades are always counted, also when none.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from selfeval_compiler.model.amounts import unit_factor
from selfeval_compiler.rules.rounding import round_figure
from selfeval_compiler.summary.collect import ProjectRow

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
    lines: tuple[Line, ...]
    subtotal: Subtotal


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
    folders = tuple(
        Group(folder or "（根目录）", tuple(members), subtotal(folder or "（根目录）", members))
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

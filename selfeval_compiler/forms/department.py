"""The 部门整体支出绩效自评表's presentation model: every label and figure as printed text.

Figures are formatted here once, for HTML, PDF, JSON, xlsx, the diff and the summary alike,
through the profile's ``display`` (:mod:`selfeval_compiler.forms.display`): 得分系数 prints
as a rate (``100%`` where rates print with ``%``); a figure needing more places than its
display asks for prints in full (never cut).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from selfeval_compiler.forms.display import Display
from selfeval_compiler.forms.figures import written_places
from selfeval_compiler.model.profiles import DisplayKind
from selfeval_compiler.rules.department import DepartmentForm, ScoredDepartmentRow

MOST_PLACES = 2


@dataclass(frozen=True)
class DepartmentFundsLine:
    label: str
    initial: str
    annual: str
    executed: str
    rate: str
    weight: str
    """Blank on the 基本支出 / 项目支出 rows: the 分值 belongs to the 合计."""
    score: str


@dataclass(frozen=True)
class DepartmentIndicatorLine:
    level1: str
    level1_span: int
    """Rows the 一级 cell spans; 0 where an earlier row's cell covers this one."""
    level2: str
    level2_span: int
    name: str
    unit: str
    nature: str
    target: str
    adjusted: str
    actual: str
    coefficient: str
    weight: str
    score: str
    core: str


@dataclass(frozen=True)
class DepartmentPresentation:
    labels: dict[str, str]
    title: str
    year: int
    unit: str
    department: str
    finance_office: str
    contact: str
    phone: str
    total: str
    total_at: str
    """``header`` or ``table``: where 自评总分 prints."""
    funds_label: str
    funds_split: bool
    """基本支出 / 项目支出 rows under a 合计 (else one 部门预算执行情况 row)."""
    funds: tuple[DepartmentFundsLine, ...]
    goals_initial: str
    goals_adjusted: str
    goals_actual: str
    hierarchical: bool
    indicators: tuple[DepartmentIndicatorLine, ...]
    total_weight: str
    amount_unit: str

    @property
    def project(self) -> str:
        """The name bundles, the preview and PDF outlines list the form under."""
        return f"{self.unit}部门整体支出"

    @property
    def form_name(self) -> str:
        return self.title


class _Printer:
    """How this form prints each kind of figure: the profile's ``display``, over the form's
    own rule (amounts at ``amount_places``, 执行率 and 得分系数 at the rate's rounding places,
    weights and scores at the places the unit wrote its weights with)."""

    def __init__(self, form: DepartmentForm) -> None:
        profile = form.profile
        weights = [form.funds.weight, *(item.weight for item in form.spec.indicators)]
        places = written_places(weights, MOST_PLACES)
        self.display = Display.of(
            profile,
            places={
                "amount": profile.amount_places,
                "rate": profile.rounding("rate")[1],
                "funds_weight": places,
                "funds_score": places,
                "indicator_weight": places,
                "indicator_score": places,
                "total": places,
                "total_weight": places,
            },
        )

    def amount(self, value: Decimal | None) -> str:
        return "" if value is None else self.display.show(value, "amount")

    def show(self, value: Decimal, kind: DisplayKind, written: Decimal | None = None) -> str:
        """A derived figure is shown by its value (``7.60`` rounded at two places is 7.6),
        never by the places the rounding left on it."""
        return self.display.show(value.normalize(), kind, written)


def _funds(form: DepartmentForm, shown: _Printer) -> tuple[DepartmentFundsLine, ...]:
    labels = form.profile.department.labels
    funds = form.funds

    def line(row: ScoredDepartmentRow, label: str, scored: bool) -> DepartmentFundsLine:
        return DepartmentFundsLine(
            label=label,
            initial=shown.amount(row.initial),
            annual=shown.amount(row.annual),
            executed=shown.amount(row.executed),
            rate=shown.show(row.rate, "rate"),
            weight=shown.show(funds.weight, "funds_weight") if scored else "",
            score=shown.show(funds.score, "funds_score", funds.weight) if scored else "",
        )

    if not funds.rows:
        return (line(funds.total, labels["single"], True),)
    total = line(funds.total, labels["sum"], True)
    return (total, *(line(row, labels[row.key], False) for row in funds.rows))


def _indicators(form: DepartmentForm, shown: _Printer) -> tuple[DepartmentIndicatorLine, ...]:
    lines: list[DepartmentIndicatorLine] = []
    scored = form.indicators
    for index, entry in enumerate(scored):
        item = entry.indicator
        extra = dict(item.extra)
        before = scored[index - 1].indicator if index else None
        new_level1 = before is None or before.level1 != item.level1
        new_level2 = new_level1 or (before is not None and before.level2 != item.level2)
        level1_span = sum(1 for s in scored if s.indicator.level1 == item.level1)
        level2_span = sum(
            1
            for s in scored
            if s.indicator.level1 == item.level1 and s.indicator.level2 == item.level2
        )
        lines.append(
            DepartmentIndicatorLine(
                level1=item.level1,
                level1_span=level1_span if new_level1 else 0,
                level2=item.level2,
                level2_span=level2_span if new_level2 else 0,
                name=item.name,
                unit=extra.get("unit", ""),
                nature=extra.get("nature", ""),
                target=item.target,
                adjusted=extra.get("adjusted", ""),
                actual=item.actual,
                coefficient=shown.show(entry.coefficient, "rate"),
                weight=shown.show(item.weight, "indicator_weight"),
                score=shown.show(entry.score, "indicator_score", item.weight),
                core=extra.get("core", ""),
            )
        )
    return tuple(lines)


def present_department(form: DepartmentForm) -> DepartmentPresentation:
    spec, layout = form.spec, form.profile.department
    shown = _Printer(form)
    labels = layout.labels
    return DepartmentPresentation(
        labels=labels,
        title=layout.title.replace("{year}", str(spec.year)),
        year=spec.year,
        unit=spec.unit,
        department=spec.department,
        finance_office=spec.finance_office,
        contact=spec.contact,
        phone=spec.phone,
        total=shown.show(form.total, "total"),
        total_at=layout.total_at,
        funds_label=labels["funds"].replace("{unit}", form.profile.amount_unit),
        funds_split=bool(form.funds.rows),
        funds=_funds(form, shown),
        goals_initial=spec.goals.initial,
        goals_adjusted=spec.goals.adjusted,
        goals_actual=spec.goals.actual,
        hierarchical=spec.hierarchical,
        indicators=_indicators(form, shown),
        total_weight=shown.show(form.profile.total_weight, "total_weight"),
        amount_unit=form.profile.amount_unit,
    )


def department_to_dict(form: DepartmentPresentation) -> dict[str, object]:
    """The department form as data (``--format json``): every cell it prints, as printed."""
    return {
        "form": "department",
        "title": form.title,
        "year": form.year,
        "unit": form.unit,
        "department": form.department,
        "finance_office": form.finance_office,
        "contact": form.contact,
        "phone": form.phone,
        "amount_unit": form.amount_unit,
        "total": form.total,
        "funds": [
            {
                "label": line.label,
                "initial": line.initial,
                "annual": line.annual,
                "executed": line.executed,
                "rate": line.rate,
                "weight": line.weight,
                "score": line.score,
            }
            for line in form.funds
        ],
        "goals": {
            "initial": form.goals_initial,
            "adjusted": form.goals_adjusted,
            "actual": form.goals_actual,
        },
        "indicators": [
            {
                "level1": line.level1,
                "level2": line.level2,
                "name": line.name,
                "unit": line.unit,
                "nature": line.nature,
                "target": line.target,
                "adjusted": line.adjusted,
                "actual": line.actual,
                "coefficient": line.coefficient,
                "weight": line.weight,
                "score": line.score,
                "core": line.core,
            }
            for line in form.indicators
        ],
    }

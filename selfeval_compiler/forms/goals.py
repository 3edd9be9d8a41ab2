"""The 绩效目标申报表's presentation model: every label and figure as printed text.

Amounts are written in the spec in the profile's unit (万元 for the MoF rules) and printed in
the 申报表's own unit (元 in the Shanghai 2026 form): converted exactly in Decimal, then
rounded half-up once to the form's places, with thousands separators where the form has
them (``10,308,000.00``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from selfeval_compiler.forms.figures import plain
from selfeval_compiler.model.amounts import unit_factor
from selfeval_compiler.model.profiles import PageNumbers
from selfeval_compiler.rules.goals import GoalsForm

ZERO = Decimal(0)


@dataclass(frozen=True)
class FundsPair:
    """One row of the funds block: a multi-year label and amount, a year label and amount."""

    project_label: str
    project_amount: str
    annual_label: str
    annual_amount: str


@dataclass(frozen=True)
class GoalLine:
    level1: str
    level1_span: int
    """Rows the 一级 cell spans; 0 where an earlier row's cell covers this one."""
    level2: str
    level2_span: int
    name: str
    target: str


@dataclass(frozen=True)
class GoalsPresentation:
    labels: dict[str, str]
    title: str
    form_name: str
    year: int
    year_line: str
    project: str
    department: str
    unit: str
    project_nature: str
    project_category: str
    start_date: str
    end_date: str
    funds_label: str
    funds: tuple[FundsPair, ...]
    overall: str
    expected: str
    indicators: tuple[GoalLine, ...]
    amount_unit: str
    page_numbers: PageNumbers = "never"
    """As the 自评表's: ``auto`` until the PDF is laid out."""
    page_number_format: str = "第 {page} 页 共 {pages} 页"


def amount_text(value: Decimal | None, form: GoalsForm) -> str:
    """An amount in the 申报表's unit, as the form prints it; blank when not given."""
    if value is None:
        return ""
    layout = form.profile.goals
    factor = unit_factor(form.profile.amount_unit, layout.amount_unit)
    shown = plain(value * factor, layout.amount_places)
    return f"{Decimal(shown):,f}" if layout.thousands else shown


def _funds(form: GoalsForm) -> tuple[FundsPair, ...]:
    labels = form.profile.goals.labels
    project = dict(form.spec.project_funds)
    annual = dict(form.spec.annual)
    total = sum(annual.values(), ZERO)
    others = sum((annual.get(k, ZERO) for k in ("other", "special_account", "unit_funds")), ZERO)

    def money(value: Decimal | None) -> str:
        return amount_text(value, form)

    rows = [
        FundsPair(
            labels["project_total"],
            money(project.get("total")),
            labels["annual_total"],
            money(total),
        )
    ]
    if form.profile.goals.funds_layout == "fiscal-other":
        fiscal = annual.get("current_year", ZERO) + annual.get("carried_over", ZERO)
        rows += [
            FundsPair(
                labels["project_fiscal"],
                money(project.get("fiscal")),
                labels["fiscal"],
                money(fiscal),
            ),
            FundsPair(
                labels["project_other"], money(project.get("other")), labels["other"], money(others)
            ),
        ]
        return tuple(rows)
    rows += [
        FundsPair(
            labels["project_fiscal"],
            money(project.get("fiscal")),
            labels["current_year"],
            money(annual.get("current_year", ZERO)),
        ),
        FundsPair("", "", labels["carried_over"], money(annual.get("carried_over", ZERO))),
        FundsPair(
            labels["project_other"], money(project.get("other")), labels["other"], money(others)
        ),
    ]
    return tuple(rows)


def _ordered(form: GoalsForm) -> list[tuple[str, list[tuple[str, list[tuple[str, str]]]]]]:
    """一级 → 二级 → (三级, 指标值) in print order: the layout's 一级 order first, then the rest
    as the spec has them."""
    groups: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for item in form.spec.indicators:
        groups.setdefault(item.level1, {}).setdefault(item.level2, []).append(
            (item.name, item.target)
        )
    order = [name for name in form.profile.goals.level1_order if name in groups]
    order += [name for name in groups if name not in order]
    return [(level1, list(groups[level1].items())) for level1 in order]


def _lines(form: GoalsForm) -> tuple[GoalLine, ...]:
    lines: list[GoalLine] = []
    for level1, groups in _ordered(form):
        level1_rows = sum(len(items) for _, items in groups)
        first_of_level1 = True
        for level2, items in groups:
            for index, (name, target) in enumerate(items):
                lines.append(
                    GoalLine(
                        level1,
                        level1_rows if first_of_level1 else 0,
                        level2,
                        len(items) if index == 0 else 0,
                        name,
                        target,
                    )
                )
                first_of_level1 = False
    return tuple(lines)


def present_goals(form: GoalsForm) -> GoalsPresentation:
    layout, spec = form.profile.goals, form.spec
    labels = layout.labels
    title = layout.title.replace("{year}", str(spec.year))
    return GoalsPresentation(
        labels=labels,
        title=title,
        form_name=layout.title.replace("{year}年度", "").replace("{year}", ""),
        year=spec.year,
        year_line=layout.year_line.replace("{year}", str(spec.year)),
        project=spec.project,
        department=spec.department,
        unit=spec.unit,
        project_nature=spec.project_nature,
        project_category=spec.project_category,
        start_date=spec.start_date,
        end_date=spec.end_date,
        funds_label=labels["funds"].replace("{unit}", layout.amount_unit),
        funds=_funds(form),
        overall=spec.overall,
        expected=spec.expected,
        indicators=_lines(form),
        amount_unit=layout.amount_unit,
        page_numbers=form.profile.layout.page_numbers,
        page_number_format=form.profile.layout.page_number_format,
    )


def goals_to_dict(form: GoalsPresentation) -> dict[str, object]:
    """The 申报表 as data (``--form goals --format json``): what it prints, as printed."""
    return {
        "form": "goals",
        "title": form.title,
        "year": form.year,
        "project": form.project,
        "department": form.department,
        "unit": form.unit,
        "project_nature": form.project_nature,
        "project_category": form.project_category,
        "start_date": form.start_date,
        "end_date": form.end_date,
        "amount_unit": form.amount_unit,
        "funds": [
            {
                "project_label": pair.project_label,
                "project_amount": pair.project_amount,
                "annual_label": pair.annual_label,
                "annual_amount": pair.annual_amount,
            }
            for pair in form.funds
        ],
        "overall": form.overall,
        "expected": form.expected,
        "indicators": [
            {"level1": line.level1, "level2": line.level2, "name": line.name, "target": line.target}
            for line in form.indicators
        ],
    }

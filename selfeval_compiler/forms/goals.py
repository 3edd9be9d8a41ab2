"""The 绩效目标申报表's presentation model: every label and figure as printed text.

Amounts are written in the spec in the profile's unit (万元 for the MoF rules) and printed in
the 申报表's own unit (元 in the Shanghai 2026 form): converted exactly in Decimal and shown
through :mod:`~selfeval_compiler.forms.display` with the ``goals_form``'s places and thousands
separators (``10,308,000.00``); a figure that needs more places prints in full, never rounded.

The form's shape is its profile's ``goals_form``: the rows top to bottom (fields, one or two
to a row, and blocks), grouped here into :class:`GoalsSection` tables — consecutive fields,
funds, goals and review rows share one ruled grid; each indicator table (年度, 实施期) and the
项目预算成本构成 are tables of their own, with the columns the profile lists.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from selfeval_compiler.forms.display import Display, written_places_of
from selfeval_compiler.model.amounts import unit_factor
from selfeval_compiler.model.goals import CostItem, GoalGroup, GoalIndicator
from selfeval_compiler.model.profiles import GOALS_BLOCKS, FigureStyle, PageNumbers
from selfeval_compiler.rules.goals import GoalsForm, annual_application, funds_by_level

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
    texts: tuple[tuple[str, str], ...] = ()
    """The extra columns' cells (绩效标准, 指标内容, 分值, 备注, …) the layout prints."""
    blank: bool = False
    """A 二级 the spec left empty (``[]``), printed as an empty row."""

    def text(self, key: str) -> str:
        """The cell of column ``key`` (name, target or an extra column)."""
        if key == "name":
            return self.name
        if key == "target":
            return self.target
        return dict(self.texts).get(key, "")


@dataclass(frozen=True)
class GoalColumn:
    key: str
    label: str
    width: str
    """Percent of the page (the left label column takes the first 10)."""


@dataclass(frozen=True)
class CostLine:
    """A row of the 项目预算成本构成: ``item`` (a cost), ``group`` (a group with its 小计),
    ``sub`` (a cost inside a group) or ``total`` (合计)."""

    kind: str
    name: str
    amount: str
    basis: str

    def text(self, key: str) -> str:
        return {"name": self.name, "amount": self.amount, "basis": self.basis}[key]


@dataclass(frozen=True)
class GoalsSection:
    """One table of the form: ``grid`` (its ``rows``: one or two field keys, or ``funds``,
    ``goals``, ``review``), ``indicators``, ``period_indicators`` or ``costs``."""

    kind: str
    rows: tuple[tuple[str, ...], ...] = ()


AMOUNT_FIELDS = (
    "annual_total",
    "current_year",
    "carried_over",
    "fiscal",
    "other",
    "local",
    "upper",
    "project_total",
    "project_fiscal",
    "project_other",
)
"""Fields printing an amount (right-aligned, in the form's unit)."""
IDENTITY_FIELDS = (
    "project",
    "project_nature",
    "project_category",
    "department",
    "unit",
    "start_date",
    "end_date",
)
DEFAULT_COLUMNS = ("level1", "level2", "name", "target")
"""The 8-column grid's indicator table (its own fixed markup)."""
_COLUMN_WEIGHTS = {
    "level1": 11,
    "level2": 13,
    "name": 20,
    "target": 14,
    "standard": 10,
    "content": 18,
    "scoring": 18,
    "remark": 10,
    "nature": 8,
    "unit": 8,
    "explanation": 18,
    "weight": 7,
    "amount": 14,
    "basis": 40,
}
"""Relative widths of a table's columns, shared out over the 90% right of the label column."""


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
    sections: tuple[GoalsSection, ...] = ()
    funds_project_column: bool = True
    """The funds block prints the project's (multi-year) funds beside the year's."""
    period: str = ""
    """项目实施期 as the ``period`` row prints it; blank when the form has no such row."""
    amounts: tuple[tuple[str, str], ...] = ()
    """The amount fields the rows print, each as printed."""
    goals_layout: str = "columns"
    goals_parts: tuple[str, ...] = ("overall", "expected")
    indicator_columns: tuple[GoalColumn, ...] = ()
    default_grid: bool = True
    """The indicator tables have the 8-column grid's default columns."""
    period_indicators: tuple[GoalLine, ...] = ()
    cost_columns: tuple[GoalColumn, ...] = ()
    costs: tuple[CostLine, ...] = ()
    review: str = ""
    header_lines: tuple[str, ...] = ()
    footer: tuple[str, ...] = ()

    page_numbers: PageNumbers = "never"
    """As the 自评表's: ``auto`` until the PDF is laid out."""
    page_number_format: str = "第 {page} 页 共 {pages} 页"

    def value(self, key: str) -> str:
        """The printed text of field ``key`` of ``goals_form.rows``."""
        if key in AMOUNT_FIELDS:
            return dict(self.amounts).get(key, "")
        if key == "period":
            return self.period
        text: str = getattr(self, key)
        return text

    def kind(self, key: str) -> str:
        return "num" if key in AMOUNT_FIELDS else "text"

    def goal(self, part: str) -> str:
        return self.overall if part == "overall" else self.expected

    def table(self, kind: str) -> tuple[GoalLine, ...]:
        return self.period_indicators if kind == "period_indicators" else self.indicators


def amount_text(value: Decimal | None, form: GoalsForm) -> str:
    """An amount in the 申报表's unit, as the form prints it; blank when not given."""
    if value is None:
        return ""
    layout = form.profile.goals
    factor = unit_factor(form.profile.amount_unit, layout.amount_unit)
    style = FigureStyle(places=layout.amount_places, thousands=layout.thousands)
    return Display({"amount": style}).show(value * factor, "amount")


def _funds(form: GoalsForm) -> tuple[FundsPair, ...]:
    """The funds block's rows; without the project column, each row's year part only."""
    rows = _funds_pairs(form)
    if form.profile.goals.funds_project_column:
        return rows
    return tuple(replace(pair, project_label="", project_amount="") for pair in rows)


def _funds_pairs(form: GoalsForm) -> tuple[FundsPair, ...]:
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
    if form.profile.goals.funds_layout == "levels":
        levels = funds_by_level(form.spec)
        rows += [
            FundsPair(
                labels["project_fiscal"],
                money(project.get("fiscal")),
                labels["local"],
                money(levels.get("local")),
            ),
            FundsPair(
                labels["project_other"],
                money(project.get("other")),
                labels["upper"],
                money(levels.get("upper")),
            ),
        ]
        return tuple(rows)
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


def _ordered(form: GoalsForm, groups: tuple[GoalGroup, ...]) -> list[list[GoalGroup]]:
    """The 二级 groups by 一级 in print order: the layout's 一级 order first, then the rest as
    the spec has them; empty groups only where the layout prints empty rows."""
    by_level1: dict[str, list[GoalGroup]] = {}
    for group in groups:
        if group.items or form.profile.goals.empty_rows:
            by_level1.setdefault(group.level1, []).append(group)
    order = [name for name in form.profile.goals.level1_order if name in by_level1]
    order += [name for name in by_level1 if name not in order]
    return [by_level1[level1] for level1 in order]


def _lines(form: GoalsForm, groups: tuple[GoalGroup, ...]) -> tuple[GoalLine, ...]:
    texts = [key for key in form.profile.goals.indicator_columns if key not in DEFAULT_COLUMNS]
    lines: list[GoalLine] = []
    for level1_groups in _ordered(form, groups):
        level1_rows = sum(max(1, len(group.items)) for group in level1_groups)
        first_of_level1 = True
        for group in level1_groups:
            rows = [
                (item.name, item.target, tuple((k, _cell(form, item, k)) for k in texts), False)
                for item in group.items
            ] or [("", "", tuple((k, "") for k in texts), True)]
            for index, (name, target, extra, blank) in enumerate(rows):
                lines.append(
                    GoalLine(
                        group.level1,
                        level1_rows if first_of_level1 else 0,
                        group.level2,
                        len(rows) if index == 0 else 0,
                        name,
                        target,
                        extra,
                        blank,
                    )
                )
                first_of_level1 = False
    return tuple(lines)


def _cell(form: GoalsForm, item: GoalIndicator, key: str) -> str:
    """An extra column's cell: the indicator's text, or its 分值 as the unit wrote it."""
    if key != "weight":
        return item.text(key)
    if item.weight is None:
        return ""
    places = written_places_of(item.weight)
    return Display.of(form.profile, {"indicator_weight": places}).show(
        item.weight, "indicator_weight"
    )


def _columns(
    keys: tuple[str, ...], labels: dict[str, str], label_keys: dict[str, str]
) -> tuple[GoalColumn, ...]:
    """The columns ``keys`` with their labels (``label_keys`` names a column's label where
    it is not the column's own key) and widths (percent of the page)."""
    total = sum(_COLUMN_WEIGHTS[key] for key in keys)
    floor = min(_NARROWEST, Decimal(90) / len(keys))
    spare = Decimal(90) - floor * len(keys)
    return tuple(
        GoalColumn(
            key,
            labels[label_keys.get(key, key)],
            f"{(floor + spare * _COLUMN_WEIGHTS[key] / total).quantize(Decimal('0.01')):f}",
        )
        for key in keys
    )


_NARROWEST = Decimal(9)
"""Percent of the page a column keeps at least: a four-character heading (一级指标, 绩效标准)
on one line; the rest of the width is shared out by the columns' weights."""


_INDICATOR_LABELS = {"name": "level3", "unit": "unit_of_measure"}
"""Columns whose label has another key (``unit`` is 实施单位 among the labels)."""
_COST_LABELS = {"name": "cost_name", "amount": "cost_amount", "basis": "cost_basis"}


def _sections(rows: tuple[tuple[str, ...], ...]) -> tuple[GoalsSection, ...]:
    """The rows as tables: consecutive fields, funds, goals and review rows in one grid."""
    sections: list[GoalsSection] = []
    grid: list[tuple[str, ...]] = []
    for row in rows:
        if row[0] in GOALS_BLOCKS and row[0] not in ("funds", "goals", "review"):
            if grid:
                sections.append(GoalsSection("grid", tuple(grid)))
                grid = []
            sections.append(GoalsSection(row[0]))
        else:
            grid.append(row)
    if grid:
        sections.append(GoalsSection("grid", tuple(grid)))
    return tuple(sections)


def _cost_lines(form: GoalsForm) -> tuple[CostLine, ...]:
    costs, layout = form.spec.costs, form.profile.goals
    if costs is None:
        return ()

    def line(kind: str, item: CostItem) -> CostLine:
        return CostLine(kind, item.name, amount_text(item.amount, form), item.basis)

    lines: list[CostLine] = []
    for item in costs.items:
        if item.items:
            lines.append(line("group", item))
            lines.extend(line("sub", sub) for sub in item.items)
        else:
            lines.append(line("item", item))
    total = CostLine("total", layout.labels["cost_total"], amount_text(costs.total, form), "")
    return (total, *lines) if layout.cost_total == "top" else (*lines, total)


def _amounts(form: GoalsForm) -> tuple[tuple[str, str], ...]:
    """The amount fields the rows print, each as printed."""
    annual = dict(form.spec.annual)
    project = dict(form.spec.project_funds)
    zero = Decimal(0)
    values: dict[str, Decimal | None] = {
        "annual_total": annual_application(form.spec),
        "current_year": annual.get("current_year", zero),
        "carried_over": annual.get("carried_over", zero),
        "fiscal": annual.get("current_year", zero) + annual.get("carried_over", zero),
        "other": sum(
            (annual.get(k, zero) for k in ("other", "special_account", "unit_funds")), zero
        ),
        **{key: value for key, value in funds_by_level(form.spec).items()},
        "project_total": project.get("total"),
        "project_fiscal": project.get("fiscal"),
        "project_other": project.get("other"),
    }
    printed = [key for row in form.profile.goals.rows for key in row if key in AMOUNT_FIELDS]
    return tuple((key, amount_text(values.get(key), form)) for key in printed)


def _placed(text: str, form: GoalsForm) -> str:
    return text.replace("{year}", str(form.spec.year)).replace(
        "{unit}", form.profile.goals.amount_unit
    )


def present_goals(form: GoalsForm) -> GoalsPresentation:
    layout, spec = form.profile.goals, form.spec
    labels = {
        key: _placed(text, form) if key.startswith("cost_") else text
        for key, text in layout.labels.items()
    }
    title = layout.title.replace("{year}", str(spec.year))
    period = ""  # blank where the form has no such row, or neither date is written
    if layout.prints("period") and (spec.start_date.strip() or spec.end_date.strip()):
        period = layout.period_format.replace("{start}", spec.start_date).replace(
            "{end}", spec.end_date
        )
    return GoalsPresentation(
        labels=labels,
        title=title,
        form_name=layout.title.replace("{year}年度", "")
        .replace("{year}年", "")
        .replace("{year}", ""),
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
        indicators=_lines(form, spec.groups),
        amount_unit=layout.amount_unit,
        sections=_sections(layout.rows),
        funds_project_column=layout.funds_project_column,
        period=period,
        amounts=_amounts(form),
        goals_layout=layout.goals_layout,
        goals_parts=layout.goals_parts,
        indicator_columns=_columns(layout.indicator_columns, labels, _INDICATOR_LABELS),
        default_grid=layout.indicator_columns == DEFAULT_COLUMNS,
        period_indicators=(
            _lines(form, spec.period_groups) if layout.prints("period_indicators") else ()
        ),
        cost_columns=_columns(layout.cost_columns, labels, _COST_LABELS),
        costs=_cost_lines(form) if layout.prints("costs") else (),
        review=spec.review if layout.prints("review") else "",
        header_lines=tuple(_placed(line, form) for line in layout.header_lines),
        footer=tuple(_placed(line, form) for line in layout.footer),
        page_numbers=form.profile.layout.page_numbers,
        page_number_format=form.profile.layout.page_number_format,
    )


def _line_dict(line: GoalLine) -> dict[str, object]:
    data: dict[str, object] = {
        "level1": line.level1,
        "level2": line.level2,
        "name": line.name,
        "target": line.target,
    }
    data.update(line.texts)
    if line.blank:
        data["blank"] = True
    return data


def goals_to_dict(form: GoalsPresentation) -> dict[str, object]:
    """The 申报表 as data (``--form goals --format json``): what it prints, as printed. The
    parts only some layouts print (实施期 and amount rows, extra columns, the 实施期 indicators,
    the 成本构成, the review, header and footer lines) appear when the form prints them."""
    data: dict[str, object] = {
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
        "indicators": [_line_dict(line) for line in form.indicators],
    }
    printed = {key for section in form.sections for row in section.rows for key in row}
    printed |= {section.kind for section in form.sections}
    if "period" in printed:
        data["period"] = form.period
    if form.amounts:
        data["amounts"] = [
            {"key": key, "label": form.labels[key].replace("\n", ""), "amount": text}
            for key, text in form.amounts
        ]
    if "period_indicators" in printed:
        data["period_indicators"] = [_line_dict(line) for line in form.period_indicators]
    if "costs" in printed:
        data["costs"] = [
            {"kind": line.kind, "name": line.name, "amount": line.amount, "basis": line.basis}
            for line in form.costs
        ]
    if "review" in printed:
        data["review"] = form.review
    if form.header_lines:
        data["header_lines"] = list(form.header_lines)
    if form.footer:
        data["footer"] = list(form.footer)
    return data

"""The 自评表 as printed: every label, row, column and figure of one scored form, once.

HTML and PDF (through the template), JSON and the diff all read this model, so a figure is
formatted in one place and prints the same everywhere. Labels come from the profile's
``labels``; figures print at the precision rules below, never re-rounded.

- amounts: the profile's ``amount_places`` (more when the unit wrote more, e.g. ``89.974``);
- 执行率: the places of the profile's ``rate`` rounding; the budget-execution 分值/得分: those
  of ``funds_score``;
- indicator 分值/得分 and 总分: the places the unit wrote its indicator weights with, at most
  those of ``indicator_score`` and ``total`` (the seed prints ``10`` in one form and
  ``10.00`` in others); a figure that needs more (a weight of 12.5 under whole numbers)
  prints in full, never rounded;
- the sum of weights (总分's 分值): as a whole number where it is one.
"""

from __future__ import annotations

from dataclasses import dataclass

from selfeval_compiler.forms.figures import figure, written_places
from selfeval_compiler.model.profiles import Figure, Labels
from selfeval_compiler.rules.scoring import ScoredForm, ScoredFundRow

NOT_APPLICABLE = "-"
"""What a cell that has no figure in this row prints (分值 and 得分 of the sub-rows)."""


@dataclass(frozen=True)
class FundsLine:
    """One row of the funds table; ``weight`` and ``score`` only on the total row."""

    key: str
    label: str
    initial: str
    annual: str
    executed: str
    rate: str
    weight: str | None = None
    score: str | None = None


@dataclass(frozen=True)
class IndicatorLine:
    level1: str
    level1_span: int
    """Rows the 一级 cell spans; 0 where an earlier row's cell covers this one."""
    level2: str
    level2_span: int
    name: str
    target: str
    actual: str
    weight: str
    score: str
    deviation: str
    basis: str
    """How the score came about: met, ratio, at-most, zero-target, judged."""


@dataclass(frozen=True)
class SelfEvaluationForm:
    labels: Labels
    title: str
    year: int
    year_line: str
    project: str
    department: str
    unit: str
    profile: str
    amount_unit: str
    funds_label: str
    funds_total: FundsLine
    funds_rows: tuple[FundsLine, ...]
    funds_deviation: str | None
    funds_rowspan: int
    """Rows the 项目资金 cell spans: header, total, sub-rows and the deviation row if any."""
    goals_expected: str
    goals_actual: str
    indicators: tuple[IndicatorLine, ...]
    total_weight: str
    total: str
    grade: str
    grade_row: bool
    not_applicable: str = NOT_APPLICABLE


def flat(label: str) -> str:
    """A label on one line (metadata, titles, the diff): its hard line breaks dropped."""
    return label.replace("\n", "")


def _fill(label: str, name: str, value: str) -> str:
    """A label with its one placeholder filled; labels are data, never format strings."""
    return label.replace("{" + name + "}", value)


def _funds_line(row: ScoredFundRow, label: str, amount_places: int, rate_places: int) -> FundsLine:
    return FundsLine(
        key=row.key,
        label=label,
        initial=figure(row.initial, amount_places),
        annual=figure(row.annual, amount_places),
        executed=figure(row.executed, amount_places),
        rate=figure(row.rate, rate_places),
    )


def indicator_places(form: ScoredForm, figure_name: Figure = "indicator_score") -> int:
    """Decimals the indicator table prints with (see the module's rules)."""
    weights = [item.weight for item in form.spec.indicators]
    return written_places(weights, form.profile.rounding(figure_name)[1])


def _indicator_lines(form: ScoredForm, places: int) -> tuple[IndicatorLine, ...]:
    scores = iter(form.indicators)
    lines: list[IndicatorLine] = []
    for level in form.spec.levels:
        level_rows = len(level.indicators)
        for group_index, group in enumerate(level.groups):
            for item_index, item in enumerate(group.indicators):
                scored = next(scores)
                first_of_level = group_index == 0 and item_index == 0
                lines.append(
                    IndicatorLine(
                        level1=level.name,
                        level1_span=level_rows if first_of_level else 0,
                        level2=group.name,
                        level2_span=len(group.indicators) if item_index == 0 else 0,
                        name=item.name,
                        target=item.target,
                        actual=item.actual,
                        weight=figure(item.weight, places),
                        score=figure(scored.score, places),
                        deviation=item.deviation or "",
                        basis=scored.basis,
                    )
                )
    return tuple(lines)


def present(form: ScoredForm) -> SelfEvaluationForm:
    """Everything the 自评表 prints, computed once from the scored form."""
    spec, profile, funds = form.spec, form.profile, form.funds
    labels = profile.labels
    amount, rate = profile.amount_places, profile.rounding("rate")[1]
    funds_places = profile.rounding("funds_score")[1]
    places = indicator_places(form)
    total = _funds_line(funds.total, labels.funds_total, amount, rate)
    total = FundsLine(
        **{
            **vars(total),
            "weight": figure(funds.weight, funds_places),
            "score": figure(funds.score, funds_places),
        }
    )
    rows = tuple(_funds_line(row, getattr(labels, row.key), amount, rate) for row in funds.rows)
    return SelfEvaluationForm(
        labels=labels,
        title=labels.title,
        year=spec.year,
        year_line=_fill(labels.year_line, "year", str(spec.year)),
        project=spec.project,
        department=spec.department,
        unit=spec.unit,
        profile=profile.name,
        amount_unit=profile.amount_unit,
        funds_label=_fill(labels.funds, "unit", profile.amount_unit),
        funds_total=total,
        funds_rows=rows,
        funds_deviation=funds.deviation,
        funds_rowspan=2 + len(rows) + (1 if funds.deviation else 0),
        goals_expected=spec.goals.expected,
        goals_actual=spec.goals.actual,
        indicators=_indicator_lines(form, places),
        total_weight=figure(profile.total_weight, 0),
        total=figure(form.total, indicator_places(form, "total")),
        grade=form.grade,
        grade_row=profile.grade_row,
    )

"""Pure Decimal arithmetic: a spec and its profile → a scored form (RULES.md §3).

Every derived figure is rounded once, through :func:`rounding.round_figure`, from exact
inputs: 执行率 and the budget-execution score both come from the unrounded ratio.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

from selfeval_compiler.diagnostics import Diagnostic, Severity, make, phrase
from selfeval_compiler.model import measures, units
from selfeval_compiler.model.amounts import AMOUNT_COLUMNS, FUND_ROWS
from selfeval_compiler.model.measures import (
    GREATER,
    GREATER_EQUAL,
    LESS,
    LESS_EQUAL,
    NONE,
    Measure,
    Quantity,
    Text,
    Verdict,
)
from selfeval_compiler.model.profiles import Figure, Profile, scaled
from selfeval_compiler.model.spec import FundRow, Indicator, Spec
from selfeval_compiler.rules.rounding import round_figure

HUNDRED = Decimal(100)
ZERO = Decimal(0)

WAN_YUAN_SUSPECT = Decimal(100_000)
"""万元: a project budget of 10亿元 or more is rare; at that size the amounts were most likely
typed in 元 (a plausibility warning, SE405)."""


@dataclass(frozen=True)
class ScoredFundRow:
    key: str
    initial: Decimal
    annual: Decimal
    executed: Decimal
    rate: Decimal


@dataclass(frozen=True)
class ScoredFunds:
    weight: Decimal
    score: Decimal
    total: ScoredFundRow
    rows: tuple[ScoredFundRow, ...]
    deviation: str | None
    subtotals: tuple[ScoredFundRow, ...] = ()
    """Rows printed beside the parts but not added into 年度资金总额: ``fiscal`` (财政资金 =
    当年财政拨款 + 上年结转资金)."""


SUBTOTALS = {"fiscal": ("current_year", "carried_over")}
"""A subtotal row and the input rows it adds up."""


Basis = Literal["met", "ratio", "at-most", "zero-target", "judged"]
"""How a score came about."""


@dataclass(frozen=True)
class ScoredIndicator:
    indicator: Indicator
    score: Decimal
    basis: Basis


@dataclass(frozen=True)
class ScoredForm:
    spec: Spec
    profile: Profile
    funds: ScoredFunds
    indicators: tuple[ScoredIndicator, ...]
    total: Decimal
    grade: str


class _Rounder:
    """Rounds one kind of figure the way the profile says."""

    def __init__(self, profile: Profile, figure: Figure) -> None:
        self.mode, self.places = profile.rounding(figure)

    def __call__(self, value: Decimal) -> Decimal:
        return round_figure(value, self.mode, self.places)


def _ratio(executed: Decimal, annual: Decimal) -> Decimal:
    return executed / annual if annual > 0 else ZERO


def score_funds(spec: Spec, profile: Profile) -> tuple[ScoredFunds, list[Diagnostic]]:
    rate = _Rounder(profile, "rate")
    diagnostics: list[Diagnostic] = []
    rows: list[ScoredFundRow] = []
    for key in FUND_ROWS:
        row: FundRow = getattr(spec.funds, key)
        where = spec.locate(("funds", key, "executed"))
        if row.annual == 0 and row.executed > 0:
            diagnostics.append(
                make("SE402", where, row=phrase(f"funds.{key}"), executed=row.executed)
            )
        elif row.executed > row.annual:
            diagnostics.append(
                make(
                    "SE401",
                    where,
                    row=phrase(f"funds.{key}"),
                    executed=row.executed,
                    annual=row.annual,
                )
            )
        rows.append(
            ScoredFundRow(
                key,
                row.initial,
                row.annual,
                row.executed,
                rate(_ratio(row.executed, _basis(row, profile)) * HUNDRED),
            )
        )
    initial = sum((r.initial for r in rows), ZERO)
    annual = sum((r.annual for r in rows), ZERO)
    executed = sum((r.executed for r in rows), ZERO)
    ratio = _ratio(executed, initial if profile.execution_rate_basis == "initial" else annual)
    total = ScoredFundRow("total", initial, annual, executed, rate(ratio * HUNDRED))
    if profile.amount_unit == "万元" and annual >= WAN_YUAN_SUSPECT:
        diagnostics.append(
            make(
                "SE405",
                spec.locate(("funds", "current_year", "annual")),
                amount=annual,
                unit=profile.amount_unit,
                limit=WAN_YUAN_SUSPECT,
            )
        )
    weight = spec.funds.weight
    score = min(_Rounder(profile, "funds_score")(weight * min(ratio, Decimal(1))), weight)
    diagnostics += _check_printed_funds(spec, total, score)
    threshold = profile.deviation_execution_below
    if threshold is not None and total.rate < threshold and not spec.funds.deviation:
        diagnostics.append(
            make(
                "SE403", spec.locate(("funds",), on_key=True), rate=total.rate, threshold=threshold
            )
        )
    return ScoredFunds(
        spec.funds.weight,
        score,
        total,
        tuple(rows),
        spec.funds.deviation,
        _subtotals(rows, profile),
    ), diagnostics


def _subtotals(rows: list[ScoredFundRow], profile: Profile) -> tuple[ScoredFundRow, ...]:
    """Each subtotal row summed column by column from its parts, its 执行率 from the sums."""
    rate = _Rounder(profile, "rate")
    by_key = {row.key: row for row in rows}
    found = []
    for key, parts in SUBTOTALS.items():
        initial = sum((by_key[part].initial for part in parts), ZERO)
        annual = sum((by_key[part].annual for part in parts), ZERO)
        executed = sum((by_key[part].executed for part in parts), ZERO)
        basis = initial if profile.execution_rate_basis == "initial" else annual
        found.append(
            ScoredFundRow(key, initial, annual, executed, rate(_ratio(executed, basis) * HUNDRED))
        )
    return tuple(found)


def _basis(row: FundRow, profile: Profile) -> Decimal:
    """The denominator of 执行率: 全年预算数, or 年初预算数 where the profile says so."""
    return row.initial if profile.execution_rate_basis == "initial" else row.annual


def _check_printed_funds(spec: Spec, total: ScoredFundRow, score: Decimal) -> list[Diagnostic]:
    """The 年度资金总额 row as a published form printed it, against the derived one: amounts
    that are not the sum of the rows (SE404), a rate or score the rules do not give (SE407)."""
    derived = {
        "initial": total.initial,
        "annual": total.annual,
        "executed": total.executed,
        "rate": total.rate,
        "score": score,
    }
    found: list[Diagnostic] = []
    for column, printed in spec.funds.printed:
        if printed == derived[column]:
            continue
        where = spec.locate(("funds", "total", column))
        if column in AMOUNT_COLUMNS:
            code, label = "SE404", phrase(f"column.{column}")
            found.append(make(code, where, column=label, written=printed, derived=derived[column]))
        else:
            label = phrase(f"printed.{column}")
            found.append(
                make("SE407", where, figure=label, written=printed, derived=derived[column])
            )
    return found


def _band_limits(profile: Profile, kind: str, weight: Decimal) -> tuple[Decimal, Decimal]:
    band = profile.band(kind)
    return weight * band.low / HUNDRED, weight * band.high / HUNDRED


def _unmet_quantity_score(
    profile: Profile, comparator: str, target: Decimal, actual: Decimal, weight: Decimal
) -> tuple[Decimal, Basis]:
    """The score of a quantitative target that was missed (RULES.md §3)."""
    at_least = comparator in (GREATER_EQUAL, GREATER) or (comparator == NONE and target != 0)
    if comparator == measures.EQUAL and actual < target:
        at_least = True
    if at_least:
        if target <= 0:
            return ZERO, "ratio"
        return weight * max(actual, ZERO) / target, "ratio"
    if target == 0:
        return ZERO, "zero-target"  # zero_target_unmet: only "zero" is defined
    if profile.at_most_unmet == "target_over_actual":
        return weight * target / actual, "at-most"
    if profile.at_most_unmet == "linear_excess":
        return max(ZERO, weight * (1 - (actual - target) / target)), "at-most"
    return ZERO, "at-most"


@dataclass
class _Step:
    """One indicator on its way through classify → derive → check: what every step needs,
    and the findings so far."""

    spec: Spec | None
    """``None`` when only the figure is wanted (:func:`rules_score`): findings are dropped."""
    profile: Profile
    item: Indicator
    rounder: _Rounder
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(self, code: str, field_name: str, **args: Any) -> None:
        if self.spec is not None:
            where = self.spec.locate((*self.item.path, field_name))
            self.diagnostics.append(make(code, where, **args))


def classify(item: Indicator, profile: Profile) -> tuple[Quantity | None, Measure]:
    """What the target and the actual say: a quantity, a verdict or plain text. A text actual
    identical to its text target is a met verdict; a bare number target takes its comparison
    from the indicator's 指标性质 (nature) where one is given."""
    target = measures.parse_quantity(item.target)
    nature = dict(item.extra).get("nature")
    stated = measures.comparator_of(nature) if nature else None
    if target is not None and target.comparator == NONE and stated is not None:
        # A bare 年度指标值 takes its comparison from the 指标性质 column (≤ 5 means at most 5).
        target = Quantity(stated, target.value, target.unit)
    actual: Measure | None = measures.parse_verdict(
        item.actual, profile.verdicts_met, profile.verdicts_partial, profile.verdicts_unmet
    )
    if actual is None:
        actual = measures.parse_quantity(item.actual)
    if actual is None:
        actual = Text(item.actual)
    if isinstance(actual, Text) and measures.normalize(item.actual) == measures.normalize(
        item.target
    ):
        actual = Verdict("met")
    return target, actual


def _derive_verdict(step: _Step, verdict: Verdict) -> tuple[Decimal | None, Basis]:
    item, profile = step.item, step.profile
    if verdict.kind == "met":
        band = profile.band("met")
        share = band.default or band.high
        if share == HUNDRED:
            return item.weight, "met"  # exactly its weight, whatever the rounding
        return min(step.rounder(item.weight * share / HUNDRED), item.weight), "met"
    if item.score is None:
        step.report("SE304", "actual", reason=phrase("reason.judgement", actual=item.actual))
    elif 0 <= item.score <= item.weight:  # outside 0..weight is reported by _check_written
        low, high = _band_limits(profile, verdict.kind, item.weight)
        if not low <= item.score <= high:
            band = profile.band(verdict.kind)
            step.report(
                "SE302",
                "score",
                score=item.score,
                verdict=item.actual,
                low=step.rounder(low),
                high=step.rounder(high),
                weight=item.weight,
                low_percent=f"{band.low.normalize():f}",
                high_percent=f"{band.high.normalize():f}",
            )
    return None, "judged"


def _in_target_unit(step: _Step, target: Quantity, actual: Quantity) -> Decimal | None:
    """The actual in the target's unit (280元/㎡ against 元/平方米, 1.2万元 against 元), or
    ``None`` with SE306 when the two units measure different things (100个 against 100%).
    A bare fraction against a percentage (0.95 against ≥90%) is compared as written, with
    SE310 suggesting the percentage it most likely means."""
    if not (target.unit and actual.unit):
        if _looks_like_fraction(target, actual):
            percent = f"{(actual.value * HUNDRED).normalize():f}%"
            step.report("SE310", "actual", actual=step.item.actual.strip(), percent=percent)
        return actual.value
    factor = units.conversion(target.unit, actual.unit)
    if factor is None:
        step.report("SE306", "actual", target_unit=target.unit, actual_unit=actual.unit)
        return None
    return actual.value * factor


def _looks_like_fraction(target: Quantity, actual: Quantity) -> bool:
    """0.95 against ≥90% or 100%: a share written as a fraction, not as a percentage."""
    return (
        units.is_percent(target.unit)
        and not actual.unit
        and target.value > 1
        and 0 < actual.value <= 1
    )


def _derive_quantity(
    step: _Step, target: Quantity, actual: Quantity
) -> tuple[Decimal | None, Basis]:
    item, profile = step.item, step.profile
    converted = _in_target_unit(step, target, actual)
    if converted is None:
        return None, "judged"
    actual = Quantity(actual.comparator, converted, target.unit)
    missed = not measures.is_met(actual.value, target.comparator, target.value)
    if missed and (target.value < 0 or actual.value < 0):
        # The ratio rules assume quantities of zero or more (a ≤-5% target missed by 0 would
        # divide by zero, or give a negative score): the unit judges and writes the score.
        if item.score is None:
            step.report("SE304", "actual", reason=phrase("reason.negative"))
        return None, "judged"
    if missed:
        raw, basis = _unmet_quantity_score(
            profile, target.comparator, target.value, actual.value, item.weight
        )
        return step.rounder(min(raw, item.weight)), basis
    over = profile.deviation_over_target_percent
    if (
        over is not None
        and target.value > 0
        and not item.deviation
        and target.comparator not in (LESS, LESS_EQUAL)
        and actual.value * HUNDRED > target.value * over
    ):
        step.report("SE308", "actual", percent=over)
    return item.weight, "met"


def derive(step: _Step, target: Quantity | None, actual: Measure) -> tuple[Decimal | None, Basis]:
    """The score the rules give, where they give one, and how it came about."""
    item = step.item
    if isinstance(actual, Verdict):
        return _derive_verdict(step, actual)
    if isinstance(actual, Quantity) and target is not None:
        return _derive_quantity(step, target, actual)
    if target is not None:
        step.report("SE305", "actual", target=item.target, actual=item.actual)
        return None, "met"
    if item.score is None:
        reason = phrase("reason.text-differs", actual=item.actual, target=item.target)
        step.report("SE304", "actual", reason=reason)
    return None, "judged"


def rules_score(item: Indicator, profile: Profile) -> Decimal | None:
    """The score the rules give ``item`` by themselves, its written score ignored; ``None``
    where they leave it to judgement. (The importer keeps a printed 得分 only where this
    does not already give it.)"""
    step = _Step(None, profile, replace(item, score=None), _Rounder(profile, "indicator_score"))
    derived, _ = derive(step, *classify(item, profile))
    return derived


def _check_written(step: _Step, derived: Decimal | None) -> None:
    """A written score must lie in 0..weight and agree with a derivable one."""
    score, weight = step.item.score, step.item.weight
    if score is None:
        return
    if score > weight:
        step.report("SE301", "score", score=score, weight=weight)
    elif score < 0:
        step.report("SE309", "score", score=score)
    elif derived is not None and score != derived:
        step.report("SE303", "score", score=score, derived=derived)


def score_indicator(
    spec: Spec, profile: Profile, item: Indicator
) -> tuple[ScoredIndicator | None, list[Diagnostic]]:
    """classify → derive → check; ``None`` when an error leaves the score underivable."""
    step = _Step(spec, profile, item, _Rounder(profile, "indicator_score"))
    target, actual = classify(item, profile)
    derived, basis = derive(step, target, actual)
    _check_written(step, derived)
    final = derived if derived is not None else item.score
    if final is None or any(d.severity is Severity.ERROR for d in step.diagnostics):
        return None, step.diagnostics
    if final != item.weight:  # a full score stands exactly as weighed, never rounded
        final = min(step.rounder(final), item.weight)
    if profile.deviation_below_weight and final < item.weight and not item.deviation:
        step.diagnostics.append(
            make("SE307", spec.locate(item.path), score=final, weight=item.weight)
        )
    return ScoredIndicator(item, final, basis), step.diagnostics


def _check_printed_result(spec: Spec, total: Decimal, grade: str) -> list[Diagnostic]:
    """总分 and 评分等级 as a published form printed them, against the derived ones (SE407)."""
    found: list[Diagnostic] = []
    if spec.printed_total is not None and spec.printed_total != total:
        where = spec.locate(("total",))
        label = phrase("printed.total")
        found.append(make("SE407", where, figure=label, written=spec.printed_total, derived=total))
    if spec.printed_grade is not None and spec.printed_grade.strip() != grade:
        where = spec.locate(("grade",))
        label = phrase("printed.grade")
        found.append(make("SE407", where, figure=label, written=spec.printed_grade, derived=grade))
    return found


def score_form(spec: Spec, profile: Profile) -> tuple[ScoredForm | None, list[Diagnostic]]:
    """Derive every figure of the form; ``None`` when an error leaves one underivable."""
    funds, diagnostics = score_funds(spec, profile)
    scored: list[ScoredIndicator] = []
    complete = True
    for item in spec.indicators:
        result, problems = score_indicator(spec, profile, item)
        diagnostics.extend(problems)
        if result is None:
            complete = False
        else:
            scored.append(result)
    if not complete:
        return None, diagnostics
    indicator_sum = scaled(profile, sum((s.score for s in scored), ZERO))
    total = _Rounder(profile, "total")(funds.score + indicator_sum)
    grade = profile.grade_for(total)
    diagnostics += _check_printed_result(spec, total, grade)
    return ScoredForm(spec, profile, funds, tuple(scored), total, grade), diagnostics

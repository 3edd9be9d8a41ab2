"""The 部门整体支出绩效自评表 scored: the project rules applied to a department's figures.

Funds: each row's 执行率 = 全年执行数 ÷ 全年(调整)预算数 (÷ 年初预算数 where the profile's
``execution_rate_basis`` says), the 合计 the sum of 基本支出 and 项目支出, and 执行率得分 =
执行率 × 分值, capped at the 分值, each rounded once by the profile (重庆: 76% × 10 = 7.6).
A row whose amounts a published form lost may state its printed 执行率, which is then used,
with a warning (SE702).

Indicators: under ``indicator_score: rules`` each is scored by
:func:`~selfeval_compiler.rules.scoring.score_indicator`, as a project's, against its
调整指标值 where given, and 得分系数 = 得分 ÷ 权重; under ``coefficient``, 得分 = 得分系数 ×
权重. 自评总分 = 执行率得分 + Σ 指标得分. Every printed figure the spec copies from a published
form is checked against the derived one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from selfeval_compiler.diagnostics import Diagnostic, Severity, make, phrase
from selfeval_compiler.model.department import DepartmentRow, DepartmentSpec
from selfeval_compiler.model.profiles import Figure, Profile
from selfeval_compiler.model.spec import Indicator
from selfeval_compiler.rules.rounding import round_figure
from selfeval_compiler.rules.scoring import score_indicator
from selfeval_compiler.rules.structure import check_limits

HUNDRED = Decimal(100)
ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True)
class ScoredDepartmentRow:
    key: str
    initial: Decimal | None
    annual: Decimal | None
    executed: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class ScoredDepartmentFunds:
    weight: Decimal
    score: Decimal
    rows: tuple[ScoredDepartmentRow, ...]
    """基本支出 and 项目支出, when the spec splits the funds."""
    total: ScoredDepartmentRow


@dataclass(frozen=True)
class ScoredDepartmentIndicator:
    indicator: Indicator
    coefficient: Decimal
    """得分系数 in %."""
    score: Decimal


@dataclass(frozen=True)
class DepartmentForm:
    spec: DepartmentSpec
    profile: Profile
    funds: ScoredDepartmentFunds
    indicators: tuple[ScoredDepartmentIndicator, ...]
    total: Decimal


def _round(profile: Profile, figure: Figure, value: Decimal) -> Decimal:
    mode, places = profile.rounding(figure)
    return round_figure(value, mode, places)


def _ratio(row: DepartmentRow, profile: Profile) -> Decimal | None:
    """执行率 as a fraction from the amounts, ``None`` when they are not known."""
    basis = row.initial if profile.execution_rate_basis == "initial" else row.annual
    if basis is None or row.executed is None:
        return None
    return row.executed / basis if basis > 0 else ZERO


def _sum_row(rows: tuple[DepartmentRow, ...]) -> DepartmentRow:
    def total(values: list[Decimal | None]) -> Decimal | None:
        return None if any(v is None for v in values) else sum((v or ZERO for v in values), ZERO)

    return DepartmentRow(
        "total",
        total([r.initial for r in rows]),
        total([r.annual for r in rows]),
        total([r.executed for r in rows]),
    )


def _over_budget(spec: DepartmentSpec, profile: Profile, row: DepartmentRow) -> list[Diagnostic]:
    if row.annual is None or row.executed is None or row.executed <= row.annual:
        return []
    where = spec.locate(("funds", row.key, "executed"))
    label = profile.department.labels["sum" if row.key == "total" else row.key]
    return [make("SE703", where, row=label, executed=row.executed, annual=row.annual)]


def _printed_total_row(
    spec: DepartmentSpec, derived: DepartmentRow, rate: Decimal, score: Decimal
) -> list[Diagnostic]:
    """A 合计 row copied from a published form, against the sum of the rows (SE704)."""
    written = spec.funds.total
    if written is None:
        return []
    found: list[Diagnostic] = []
    pairs = [
        ("initial", written.initial, derived.initial, phrase("column.initial")),
        ("annual", written.annual, derived.annual, phrase("column.annual")),
        ("executed", written.executed, derived.executed, phrase("column.executed")),
        ("rate", written.printed_rate, rate, phrase("printed.rate")),
        ("score", written.printed_score, score, phrase("printed.score")),
    ]
    for column, printed, value, label in pairs:
        if printed is not None and value is not None and printed != value:
            where = spec.locate(("funds", "total", column))
            found.append(make("SE704", where, figure=label, written=printed, derived=value))
    return found


def score_department_funds(
    spec: DepartmentSpec, profile: Profile
) -> tuple[ScoredDepartmentFunds | None, list[Diagnostic]]:
    funds = spec.funds
    found: list[Diagnostic] = []
    rows: list[ScoredDepartmentRow] = []
    for row in funds.rows:
        found += _over_budget(spec, profile, row)
        row_rate = _round(profile, "rate", (_ratio(row, profile) or ZERO) * HUNDRED)
        rows.append(ScoredDepartmentRow(row.key, row.initial, row.annual, row.executed, row_rate))
    base = _sum_row(funds.rows) if funds.rows else funds.total
    if base is None:
        return None, [make("SE701", spec.locate(("funds",), on_key=True))]
    if not funds.rows:
        found += _over_budget(spec, profile, base)
    ratio = _ratio(base, profile)
    if ratio is None:
        written_rate = funds.total.printed_rate if funds.total is not None else None
        if written_rate is None:
            return None, [make("SE701", spec.locate(("funds",), on_key=True))]
        ratio = written_rate / HUNDRED
        found.append(make("SE702", spec.locate(("funds", "total", "rate")), rate=written_rate))
    rate = _round(profile, "rate", ratio * HUNDRED)
    score = min(_round(profile, "funds_score", funds.weight * min(ratio, ONE)), funds.weight)
    total = ScoredDepartmentRow("total", base.initial, base.annual, base.executed, rate)
    found += _printed_total_row(spec, base, rate, score)
    return ScoredDepartmentFunds(funds.weight, score, tuple(rows), total), found


def _blank(text: str) -> bool:
    return not text.strip()


def _cell_labels(profile: Profile) -> dict[str, str]:
    """The indicator cells as the form heads them, each on one line (for messages)."""
    return {key: "".join(text.split()) for key, text in profile.department.labels.items()}


def _coefficient(item: Indicator) -> Decimal | None:
    written = dict(item.extra).get("coefficient")
    return None if written is None else Decimal(written)


def _by_coefficient(
    spec: DepartmentSpec, profile: Profile, item: Indicator
) -> tuple[ScoredDepartmentIndicator | None, list[Diagnostic]]:
    """得分 = 得分系数 × 权重; a blank 指标值 or 完成值 prints blank (SE709)."""
    found: list[Diagnostic] = []
    labels = _cell_labels(profile)
    for key, label in (("target", labels["target"]), ("actual", labels["actual"])):
        if _blank(getattr(item, key)):
            found.append(make("SE709", spec.locate(item.path), cell=label, name=item.name))
    coefficient = _coefficient(item)
    if coefficient is None:
        found.append(make("SE705", spec.locate(item.path), name=item.name))
        return None, found
    score = _round(profile, "indicator_score", item.weight * coefficient / HUNDRED)
    score = item.weight if coefficient == HUNDRED else min(score, item.weight)
    if item.score is not None and item.score != score:
        where = spec.locate((*item.path, "score"))
        found.append(
            make(
                "SE706",
                where,
                score=item.score,
                derived=score,
                coefficient=coefficient,
                weight=item.weight,
            )
        )
    return ScoredDepartmentIndicator(item, coefficient, score), found


def _by_rules(
    spec: DepartmentSpec, profile: Profile, item: Indicator
) -> tuple[ScoredDepartmentIndicator | None, list[Diagnostic]]:
    """As a project indicator, against the 调整指标值 where one is given."""
    labels = _cell_labels(profile)
    adjusted = dict(item.extra).get("adjusted", "")
    target = adjusted if not _blank(adjusted) else item.target
    missing = [
        label
        for label, text in ((labels["target"], target), (labels["actual"], item.actual))
        if _blank(text)
    ]
    if missing:
        where = spec.locate(item.path)
        return None, [make("SE710", where, cell=label, name=item.name) for label in missing]
    scored, found = score_indicator(spec, profile, replace(item, target=target))
    # The department form has no 偏差原因 column: a score below the weight needs none (SE307).
    found = [d for d in found if d.code != "SE307"]
    if scored is None:
        return None, found
    share = scored.score / item.weight if item.weight > 0 else ONE
    coefficient = _round(profile, "rate", share * HUNDRED)
    written = _coefficient(item)
    if written is not None and written != coefficient:
        where = spec.locate((*item.path, "coefficient"))
        found.append(make("SE707", where, written=written, derived=coefficient, name=item.name))
    return ScoredDepartmentIndicator(item, coefficient, scored.score), found


def _weights(spec: DepartmentSpec, profile: Profile) -> list[Diagnostic]:
    """执行率权重 + Σ 指标权重 against the profile's total (SE708, a warning)."""
    weights = spec.funds.weight + sum((i.weight for i in spec.indicators), ZERO)
    if weights == profile.total_weight:
        return []
    where = spec.locate(("indicators",), on_key=True)
    return [make("SE708", where, weights=weights, total=profile.total_weight)]


def score_department(
    spec: DepartmentSpec, profile: Profile
) -> tuple[DepartmentForm | None, list[Diagnostic]]:
    """Every figure of the department form; ``None`` when an error leaves one underivable."""
    too_many = check_limits(spec)
    if too_many:
        return None, too_many
    funds, found = score_department_funds(spec, profile)
    found += _weights(spec, profile)
    rule = _by_coefficient if profile.department.indicator_score == "coefficient" else _by_rules
    scored: list[ScoredDepartmentIndicator] = []
    for item in spec.indicators:
        result, problems = rule(spec, profile, item)
        found += problems
        if result is not None:
            scored.append(result)
    if funds is None or len(scored) < len(spec.indicators):
        return None, sorted(found, key=lambda d: d.sort_key)
    total = _round(profile, "total", funds.score + sum((s.score for s in scored), ZERO))
    if spec.printed_total is not None and spec.printed_total != total:
        where = spec.locate(("total",))
        label = phrase("printed.self-score")
        found.append(make("SE704", where, figure=label, written=spec.printed_total, derived=total))
    found.sort(key=lambda d: d.sort_key)
    if any(d.severity is Severity.ERROR for d in found):
        return None, found
    return DepartmentForm(spec, profile, funds, tuple(scored), total), found

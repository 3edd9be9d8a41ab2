"""The 绩效目标申报表's checks: what a spring form can get wrong by itself.

Nothing is scored. The sums the form prints are checked, exactly in Decimal: 项目资金总额
against its parts (其中：财政资金 and 其他资金) where all are written (SE408); a 项目预算成本构成
group's 小计 and the table's 合计 as printed against their items (SE419, SE420); the year's
funds by level (本级 + 上级) against the year's application (SE421); and the 成本构成's 合计
against the budget it breaks down, the year's application or the project's 项目资金总额
(SE426, a warning). Every cell the form prints from the spec — only those the profile's
``goals_form.rows`` and columns put on the form — and that would print blank is a warning
naming the cell with the profile's own label (SE410–SE418, SE422–SE425): the form still
prints, but a clerk would hand in an incomplete 申报表.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from selfeval_compiler.diagnostics import Diagnostic, Location, make
from selfeval_compiler.model.goals import GOAL_TEXT_COLUMNS, GoalIndicator, GoalsSpec
from selfeval_compiler.model.profiles import GoalsLayout, Profile
from selfeval_compiler.sources.yaml_loader import JsonPath


@dataclass(frozen=True)
class GoalsForm:
    spec: GoalsSpec
    profile: Profile


@dataclass(frozen=True)
class _Blank:
    """A printed cell left blank: its code, the label naming it, the key that fills it."""

    code: str
    label: str
    """The key of the cell's label in the profile's ``goals_form.labels``."""
    path: JsonPath
    example: str
    key: str = ""
    """The key the clerk fills, when not the path written out (an indicator's ``target``)."""
    row: str = ""
    """Which indicator row the cell is on, when the form has many such cells."""


def _blank(text: str) -> bool:
    return not text.strip()


def _project_funds(layout: GoalsLayout, spec: GoalsSpec, unit: str) -> Iterator[_Blank]:
    given = dict(spec.project_funds)
    in_block = layout.prints("funds") and layout.funds_project_column
    for part, label, example in (
        ("total", "project_total", "100"),
        ("fiscal", "project_fiscal", "100"),
        ("other", "project_other", "0"),
    ):
        if part not in given and (in_block or layout.prints(label)):
            yield _Blank("SE414", label, ("project_funds", part), f"{example}（{unit}）")


def _header(layout: GoalsLayout, spec: GoalsSpec) -> Iterator[_Blank]:
    header = (
        ("SE410", "project_nature", spec.project_nature, "经常性项目"),
        ("SE411", "project_category", spec.project_category, "特定目标类"),
        ("SE412", "start_date", spec.start_date, f"{spec.year}-01-01"),
        ("SE413", "end_date", spec.end_date, f"{spec.year}-12-31"),
    )
    for code, key, value, example in header:
        shown = layout.prints(key) or (
            key in ("start_date", "end_date") and layout.prints("period")
        )
        if shown and _blank(value):
            yield _Blank(code, key, (key,), example)


def _goals(layout: GoalsLayout, spec: GoalsSpec) -> Iterator[_Blank]:
    if not layout.prints("goals"):
        return
    if "overall" in layout.goals_parts and _blank(spec.overall):
        yield _Blank("SE415", "overall", ("goals", "overall"), "1.……（整个项目周期的目标）")
    if "expected" in layout.goals_parts and _blank(spec.expected):
        yield _Blank("SE416", "expected", ("goals", "expected"), "1.……（本年度的目标）")


_EXAMPLES = {"standard": "计划标准", "nature": "≥", "unit": "%", "weight": "10"}
_LABELS = {"unit": "unit_of_measure"}
"""An indicator column whose label has another key (``unit`` is 实施单位 among the labels)."""


def _indicators(
    layout: GoalsLayout, items: tuple[GoalIndicator, ...], target: str
) -> Iterator[_Blank]:
    texts = [key for key in layout.indicator_columns if key in (*GOAL_TEXT_COLUMNS, "weight")]
    for item in items:
        row = f"{item.level1} / {item.level2}" + (
            f" / {item.name}" if not _blank(item.name) else ""
        )
        if _blank(item.name):
            yield _Blank("SE417", "level3", (*item.path, "name"), "完成率", "name", row)
        if _blank(item.target):
            yield _Blank("SE418", target, (*item.path, "target"), "≥90%", "target", row)
        for key in texts:
            if item.weight is None if key == "weight" else _blank(item.text(key)):
                path = (*item.path, key)
                label = _LABELS.get(key, key)
                yield _Blank("SE422", label, path, _EXAMPLES.get(key, "……"), key, row)


def _blanks(layout: GoalsLayout, spec: GoalsSpec, unit: str) -> Iterator[_Blank]:
    """The spec's blank cells that the profile's 申报表 prints, in its print order."""
    yield from _header(layout, spec)
    yield from _project_funds(layout, spec, unit)
    levels_shown = (layout.prints("funds") and layout.funds_layout == "levels") or any(
        layout.prints(key) for key in ("local", "upper")
    )
    if levels_shown and not spec.levels:
        yield _Blank("SE423", "upper", ("funds_levels",), f"{{upper: 0}}（{unit}）")
    yield from _goals(layout, spec)
    if layout.prints("indicators"):
        yield from _indicators(layout, spec.indicators, "target")
    if layout.prints("period_indicators"):
        if not spec.period_groups:
            example = "{产出指标: {数量指标: [{name: …, target: …}]}}"
            yield _Blank("SE424", "period_indicators", ("period_indicators",), example)
        yield from _indicators(layout, spec.period_indicators, "period_target")
    if layout.prints("costs") and spec.costs is None:
        example = f"{{items: [{{name: 人工费, amount: 10}}]}}（{unit}）"
        yield _Blank("SE425", "costs", ("costs",), example)


def _written(data: Any, path: JsonPath) -> bool:
    for part in path:
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_list or (isinstance(data, dict) and part in data)):
            return False
        data = data[part]
    return True


def _where(spec: GoalsSpec, path: JsonPath) -> Location:
    """A blank written value where it stands; an absent key at the nearest key written above
    it (``project_funds`` for a missing part), or 1:1 when nothing above it is written."""
    if _written(spec.document.data, path):
        return spec.locate(path)
    probe = path[:-1]
    while probe and not _written(spec.document.data, probe):
        probe = probe[:-1]
    if not probe:
        return Location(spec.file, 1, 1, tuple(path))
    return replace(spec.locate(probe, on_key=True), path=tuple(path))


def _cell_name(layout: GoalsLayout, blank: _Blank) -> str:
    """The cell as the clerk reads it on the form: its label on one line, without 其中：,
    and for an indicator's cell the row it is on."""
    name = "".join(layout.labels[blank.label].split()).removeprefix("其中：")
    return f"{name}（{blank.row}）" if blank.row else name


def blank_cells(form: GoalsForm) -> list[Diagnostic]:
    """A warning for each cell the 申报表 fills from the spec and would print blank."""
    layout, spec = form.profile.goals, form.spec
    return [
        make(
            blank.code,
            _where(spec, blank.path),
            cell=_cell_name(layout, blank),
            key=blank.key or ".".join(str(part) for part in blank.path),
            example=blank.example,
        )
        for blank in _blanks(layout, spec, form.profile.amount_unit)
    ]


def _project_sum(spec: GoalsSpec) -> Iterator[Diagnostic]:
    funds = dict(spec.project_funds)
    if not {"total", "fiscal", "other"} <= set(funds):
        return
    if funds["fiscal"] + funds["other"] != funds["total"]:
        yield make(
            "SE408",
            spec.locate(("project_funds", "total")),
            total=funds["total"],
            fiscal=funds["fiscal"],
            other=funds["other"],
        )


def _cost_sums(spec: GoalsSpec) -> Iterator[Diagnostic]:
    """A 小计 or 合计 written in the spec that is not the sum of its items (exact Decimal)."""
    if spec.costs is None:
        return
    for group in spec.costs.items:
        if group.items and group.stated is not None and group.stated != group.amount:
            yield make(
                "SE419",
                spec.locate((*group.path, "amount")),
                group=group.name,
                written=group.stated,
                derived=group.amount,
            )
    stated = spec.costs.stated_total
    if stated is not None and stated != spec.costs.total:
        yield make(
            "SE420", spec.locate(("costs", "total")), written=stated, derived=spec.costs.total
        )
        return
    budgets = [annual_application(spec), dict(spec.project_funds).get("total")]
    if spec.costs.total not in budgets:  # a breakdown of neither the year's nor the project's
        where = ("costs", "total") if stated is not None else ("costs",)
        yield make(
            "SE426",
            spec.locate(where, on_key=stated is None),
            total=spec.costs.total,
            annual=budgets[0],
        )


def annual_application(spec: GoalsSpec) -> Decimal:
    """年度资金申请总额: the funds rows' 年初预算数 added up."""
    return sum((amount for _, amount in spec.annual), Decimal(0))


def funds_by_level(spec: GoalsSpec) -> dict[str, Decimal]:
    """本级 and 上级 as printed: as written, the one not written being the year's application
    less the other; empty when neither is written."""
    given = dict(spec.levels)
    if not given:
        return {}
    total = annual_application(spec)
    local = given.get("local", total - given.get("upper", Decimal(0)))
    upper = given.get("upper", total - local)
    return {"local": local, "upper": upper}


def _levels_sum(spec: GoalsSpec) -> Iterator[Diagnostic]:
    given = dict(spec.levels)
    if not given:
        return
    total = annual_application(spec)
    levels = funds_by_level(spec)
    if levels["local"] + levels["upper"] != total or min(levels.values()) < 0:
        key = "upper" if "upper" in given else "local"
        yield make(
            "SE421",
            spec.locate(("funds_levels", key)),
            local=given.get("local", "—"),
            upper=given.get("upper", "—"),
            total=total,
        )


def check_goals(form: GoalsForm) -> list[Diagnostic]:
    """Everything the 申报表 of ``form`` can get wrong by itself, sorted by place."""
    found = blank_cells(form)
    found.extend(_project_sum(form.spec))
    found.extend(_cost_sums(form.spec))
    found.extend(_levels_sum(form.spec))
    return sorted(found, key=lambda d: d.sort_key)

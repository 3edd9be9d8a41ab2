"""The 绩效目标申报表 read from a spec: what the spring form states, nothing of the year's end.

The same spec serves both forms. The 申报表 takes the identity, 项目性质 / 项目类别 / the
planned dates, the project's multi-year funds (``project_funds``), each funds row's 年初预算数
as the year's application, 项目总体目标 and 年度总体目标 (``goals.overall`` and
``goals.expected``) and each indicator's 年度指标值 (``target``), with the texts some forms
print beside it (绩效标准, 指标内容, 评分细则, 备注). Only a 申报表 reads the rest: the
实施期 indicators (``period_indicators``), the year's funds by level (``funds_levels``: 本级 /
上级), the 项目预算成本构成 (``costs``) and the 财政部门审核意见 (``review``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from selfeval_compiler.diagnostics import Diagnostic, Location
from selfeval_compiler.model.amounts import FUND_ROWS
from selfeval_compiler.model.defaults import DefaultsFile
from selfeval_compiler.model.spec import identity
from selfeval_compiler.sources.yaml_loader import Document, JsonPath

GOAL_TEXT_COLUMNS = ("standard", "content", "scoring", "nature", "unit", "explanation", "remark")
"""An indicator's texts a 申报表 layout may print in columns of their own (绩效标准, 指标内容,
评分细则, 指标性质, 度量单位, 指标解释, 备注)."""


@dataclass(frozen=True)
class GoalIndicator:
    level1: str
    level2: str
    name: str
    target: str
    path: JsonPath
    texts: tuple[tuple[str, str], ...] = ()
    """The :data:`GOAL_TEXT_COLUMNS` written for it."""
    weight: Decimal | None = None
    """分值, where the spring form already sets it (an approval-time 审批表)."""

    def text(self, key: str) -> str:
        return dict(self.texts).get(key, "")


@dataclass(frozen=True)
class GoalGroup:
    """A 二级指标 with its 三级 rows; ``items`` is empty where the spec wrote ``[]``."""

    level1: str
    level2: str
    path: JsonPath
    items: tuple[GoalIndicator, ...]


@dataclass(frozen=True)
class CostItem:
    """A line of the 项目预算成本构成: one cost, or a group of costs with its 小计."""

    name: str
    stated: Decimal | None
    """The amount written: a cost's own, a group's 小计 as printed (checked), or None."""
    basis: str
    path: JsonPath
    items: tuple[CostItem, ...] = ()

    @property
    def amount(self) -> Decimal:
        """What the line amounts to: a group's is the sum of its items, exactly."""
        if not self.items:
            return self.stated if self.stated is not None else Decimal(0)
        return sum((item.amount for item in self.items), Decimal(0))


@dataclass(frozen=True)
class Costs:
    items: tuple[CostItem, ...]
    stated_total: Decimal | None
    """合计 as printed (checked against the items), or None."""

    @property
    def total(self) -> Decimal:
        return sum((item.amount for item in self.items), Decimal(0))


@dataclass(frozen=True)
class GoalsSpec:
    file: str
    year: int
    project: str
    department: str
    unit: str
    profile: str | None
    profile_base: Path | None
    profile_location: Location
    project_nature: str
    project_category: str
    start_date: str
    end_date: str
    project_funds: tuple[tuple[str, Decimal], ...]
    """项目资金总额 and its parts (total, fiscal, other), where given."""
    annual: tuple[tuple[str, Decimal], ...]
    """Each funds row's 年初预算数: the year's application, by row."""
    overall: str
    expected: str
    groups: tuple[GoalGroup, ...]
    """The year's indicators by 二级, as written."""
    period_groups: tuple[GoalGroup, ...]
    """The 实施期 indicators by 二级 (``period_indicators``), where written."""
    levels: tuple[tuple[str, Decimal], ...]
    """The year's funds by level as written: ``local`` (本级), ``upper`` (上级)."""
    costs: Costs | None
    review: str
    document: Document
    defaults_files: tuple[tuple[str, str], ...]

    @property
    def indicators(self) -> tuple[GoalIndicator, ...]:
        return tuple(item for group in self.groups for item in group.items)

    @property
    def period_indicators(self) -> tuple[GoalIndicator, ...]:
        return tuple(item for group in self.period_groups for item in group.items)

    def locate(self, path: JsonPath, on_key: bool = False) -> Location:
        return self.document.locate(path, on_key)


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def _groups(data: dict[str, Any], key: str) -> tuple[GoalGroup, ...]:
    return tuple(
        GoalGroup(
            level1,
            level2,
            (key, level1, level2),
            tuple(
                GoalIndicator(
                    level1,
                    level2,
                    item["name"],
                    str(item["target"]),
                    (key, level1, level2, index),
                    tuple((k, str(item[k])) for k in GOAL_TEXT_COLUMNS if k in item),
                    None if item.get("weight") is None else _decimal(item["weight"]),
                )
                for index, item in enumerate(items)
            ),
        )
        for level1, groups in data.get(key, {}).items()
        for level2, items in groups.items()
        if isinstance(items, list)  # a 二级 written 不适用 has no 三级
    )


def _cost(data: dict[str, Any], path: JsonPath) -> CostItem:
    stated = data.get("amount")
    return CostItem(
        name=data["name"],
        stated=None if stated is None else _decimal(stated),
        basis=data.get("basis", ""),
        path=path,
        items=tuple(
            _cost(item, (*path, "items", index)) for index, item in enumerate(data.get("items", ()))
        ),
    )


def _costs(data: dict[str, Any] | None) -> Costs | None:
    if data is None:
        return None
    total = data.get("total")
    return Costs(
        items=tuple(_cost(item, ("costs", "items", i)) for i, item in enumerate(data["items"])),
        stated_total=None if total is None else _decimal(total),
    )


def build_goals_spec(
    document: Document, source: Path, defaults: list[DefaultsFile]
) -> tuple[GoalsSpec | None, list[Diagnostic]]:
    """A :class:`GoalsSpec` from a document valid against the goals schema."""
    data: dict[str, Any] = document.data
    known, problems = identity(document, source, defaults)
    if known is None:
        return None, problems
    funds = data["funds"]
    spec = GoalsSpec(
        file=document.file,
        year=known.year,
        project=data["project"],
        department=known.department,
        unit=known.unit,
        profile=known.profile,
        profile_base=known.profile_base,
        profile_location=known.profile_location,
        project_nature=data.get("project_nature", ""),
        project_category=data.get("project_category", ""),
        start_date=data.get("start_date", ""),
        end_date=data.get("end_date", ""),
        project_funds=tuple(
            (key, _decimal(value)) for key, value in data.get("project_funds", {}).items()
        ),
        annual=tuple((row, _decimal(funds[row]["initial"])) for row in FUND_ROWS if row in funds),
        overall=data["goals"].get("overall", ""),
        expected=data["goals"]["expected"],
        groups=_groups(data, "indicators"),
        period_groups=_groups(data, "period_indicators"),
        levels=tuple((key, _decimal(value)) for key, value in data.get("funds_levels", {}).items()),
        costs=_costs(data.get("costs")),
        review=data.get("review", ""),
        document=document,
        defaults_files=known.defaults_files,
    )
    return spec, []

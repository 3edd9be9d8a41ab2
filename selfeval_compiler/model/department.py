"""The 部门整体支出绩效自评表 read from a department spec (``form: 部门整体``).

One spec per department and year: the department's identity (部门名称 in ``unit``, 主管部门,
财政处室, 联系人), its budget execution by 基本支出 / 项目支出 or as one 部门预算执行情况 row,
its goals (年初 and 全年(调整)) and its indicators, either a flat list (计量单位, 指标性质,
年初 / 调整指标值, 全年完成值, 得分系数, 权重, 得分, 是否核心指标) or the project forms'
一级 → 二级 → 三级 hierarchy. Indicators are :class:`~selfeval_compiler.model.spec.Indicator`
records, so the project scoring rules apply to them unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from selfeval_compiler.diagnostics import Diagnostic, Location, make
from selfeval_compiler.model.defaults import DefaultsFile, merge
from selfeval_compiler.model.spec import Indicator
from selfeval_compiler.sources.yaml_loader import Document, JsonPath

DEPARTMENT_ROWS = ("basic", "project")
"""基本支出 and 项目支出, in print order."""

REQUIRED = {"year": "年度", "unit": "部门（单位）名称"}
DEPARTMENT_COLUMNS = ("unit", "nature", "adjusted", "coefficient", "core")
"""Indicator cells only the department form has, kept in ``Indicator.extra`` as written."""


@dataclass(frozen=True)
class DepartmentRow:
    """One row of 部门预算执行情况: amounts where known, and the printed rate and score."""

    key: str
    """``basic``, ``project`` or ``total``."""
    initial: Decimal | None
    annual: Decimal | None
    executed: Decimal | None
    printed_rate: Decimal | None = None
    printed_score: Decimal | None = None


@dataclass(frozen=True)
class DepartmentFunds:
    weight: Decimal
    rows: tuple[DepartmentRow, ...]
    """基本支出 and 项目支出 where given, in that order."""
    total: DepartmentRow | None
    """The ``total`` row as written (the one row, or the printed 合计)."""


@dataclass(frozen=True)
class DepartmentGoals:
    initial: str
    adjusted: str
    actual: str


@dataclass(frozen=True)
class DepartmentSpec:
    file: str
    year: int
    unit: str
    department: str
    finance_office: str
    contact: str
    phone: str
    profile: str | None
    profile_base: Path | None
    profile_location: Location
    funds: DepartmentFunds
    goals: DepartmentGoals
    indicators: tuple[Indicator, ...]
    hierarchical: bool
    """Indicators written as 一级 → 二级 → 三级 (else a flat list, ``level1``/``level2`` empty)."""
    printed_total: Decimal | None
    document: Document
    defaults_files: tuple[tuple[str, str], ...]

    @property
    def project(self) -> str:
        """What stands in a project's place in listings, bundles, the diff and duplicate
        checks: the department's name and the form's kind."""
        return f"{self.unit}部门整体支出"

    def locate(self, path: JsonPath, on_key: bool = False) -> Location:
        return self.document.locate(path, on_key)


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _core(value: Any) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    return _text(value)


def _row(key: str, data: dict[str, Any]) -> DepartmentRow:
    return DepartmentRow(
        key,
        _decimal(data.get("initial")),
        _decimal(data.get("annual")),
        _decimal(data.get("executed")),
        _decimal(data.get("rate")),
        _decimal(data.get("score")),
    )


def _indicator(item: dict[str, Any], level1: str, level2: str, path: JsonPath) -> Indicator:
    extra = [
        (key, _core(item[key]) if key == "core" else _text(item[key]))
        for key in DEPARTMENT_COLUMNS
        if key in item
    ]
    return Indicator(
        level1=level1,
        level2=level2,
        name=item["name"],
        target=_text(item.get("target")),
        actual=_text(item.get("actual")),
        weight=Decimal(item["weight"]),
        score=_decimal(item.get("score")),
        deviation=item.get("deviation"),
        path=path,
        extra=tuple(extra),
    )


def _indicators(data: Any) -> tuple[Indicator, ...]:
    if isinstance(data, list):
        return tuple(
            _indicator(item, "", "", ("indicators", index)) for index, item in enumerate(data)
        )
    return tuple(
        _indicator(item, level1, level2, ("indicators", level1, level2, index))
        for level1, groups in data.items()
        for level2, items in groups.items()
        for index, item in enumerate(items)
    )


def build_department_spec(
    document: Document, source: Path, defaults: list[DefaultsFile]
) -> tuple[DepartmentSpec | None, list[Diagnostic]]:
    """A :class:`DepartmentSpec` from a document valid against the department schema; year,
    部门名称, 主管部门 and profile may come from ``_defaults.yaml`` as for project specs."""
    data: dict[str, Any] = document.data
    merged = merge(document, source, defaults)
    missing = [key for key in REQUIRED if key not in merged]
    if missing:
        where = Location(document.file, 1, 1)
        return None, [make("SE102", where, key=key, title=REQUIRED[key]) for key in missing]
    profile, profile_location, profile_base = merged.get(
        "profile", (None, Location(document.file, 1, 1), None)
    )
    funds = data["funds"]
    goals = data["goals"]
    spec = DepartmentSpec(
        file=document.file,
        year=int(merged["year"][0]),
        unit=merged["unit"][0],
        department=_text(merged.get("department", ("",))[0]),
        finance_office=data.get("finance_office", ""),
        contact=data.get("contact", ""),
        phone=_text(data.get("phone", "")),
        profile=profile,
        profile_base=profile_base,
        profile_location=profile_location,
        funds=DepartmentFunds(
            weight=Decimal(funds["weight"]),
            rows=tuple(_row(key, funds[key]) for key in DEPARTMENT_ROWS if key in funds),
            total=_row("total", funds["total"]) if "total" in funds else None,
        ),
        goals=DepartmentGoals(goals["initial"], goals.get("adjusted", ""), goals["actual"]),
        indicators=_indicators(data["indicators"]),
        hierarchical=isinstance(data["indicators"], dict),
        printed_total=_decimal(data.get("total")),
        document=document,
        defaults_files=tuple((str(d.path), d.document.digest) for d in defaults),
    )
    return spec, []

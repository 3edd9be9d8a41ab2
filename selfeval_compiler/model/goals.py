"""The 绩效目标申报表 read from a spec: what the spring form states, nothing of the year's end.

The same spec serves both forms. The 申报表 takes the identity, 项目性质 / 项目类别 / the
planned dates, the project's multi-year funds (``project_funds``), each funds row's 年初预算数
as the year's application, 项目总体目标 and 年度总体目标 (``goals.overall`` and
``goals.expected``) and each indicator's 年度指标值 (``target``).
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


@dataclass(frozen=True)
class GoalIndicator:
    level1: str
    level2: str
    name: str
    target: str
    path: JsonPath


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
    indicators: tuple[GoalIndicator, ...]
    document: Document
    defaults_files: tuple[tuple[str, str], ...]

    def locate(self, path: JsonPath, on_key: bool = False) -> Location:
        return self.document.locate(path, on_key)


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def build_goals_spec(
    document: Document, source: Path, defaults: list[DefaultsFile]
) -> tuple[GoalsSpec | None, list[Diagnostic]]:
    """A :class:`GoalsSpec` from a document valid against the goals schema."""
    data: dict[str, Any] = document.data
    known, problems = identity(document, source, defaults)
    if known is None:
        return None, problems
    funds = data["funds"]
    indicators = tuple(
        GoalIndicator(
            level1,
            level2,
            item["name"],
            str(item["target"]),
            ("indicators", level1, level2, index),
        )
        for level1, groups in data["indicators"].items()
        for level2, items in groups.items()
        if isinstance(items, list)  # a 二级 written 不适用 has no 三级
        for index, item in enumerate(items)
    )
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
        indicators=indicators,
        document=document,
        defaults_files=known.defaults_files,
    )
    return spec, []

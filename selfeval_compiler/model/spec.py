"""Frozen records for one spec, built from a schema-valid document and its defaults."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from selfeval_compiler.diagnostics import Diagnostic, Location, make
from selfeval_compiler.model.defaults import DefaultsFile, merge
from selfeval_compiler.sources.yaml_loader import Document, JsonPath

REQUIRED_AFTER_DEFAULTS = {"year": "年度", "department": "主管部门", "unit": "实施单位"}


@dataclass(frozen=True)
class FundRow:
    initial: Decimal
    annual: Decimal
    executed: Decimal
    reason: str = ""
    """原因 as the row prints it where the funds table has that column."""
    method: str = ""
    """得分计算方法 as the row prints it where the funds table has that column."""


ZERO_ROW = FundRow(Decimal(0), Decimal(0), Decimal(0))


@dataclass(frozen=True)
class Funds:
    weight: Decimal
    current_year: FundRow
    carried_over: FundRow
    other: FundRow
    special_account: FundRow
    unit_funds: FundRow
    deviation: str | None
    printed: tuple[tuple[str, Decimal], ...]
    """The 年度资金总额 row as a published form printed it (initial, annual, executed, rate,
    score, whichever were transcribed): checked against the derived row, never used."""
    reason: str = ""
    """原因 of the 年度资金总额 row (``funds.reason``)."""
    method: str = ""
    """得分计算方法 of the 年度资金总额 row (``funds.method``)."""


@dataclass(frozen=True)
class Goals:
    expected: str
    actual: str
    process: str = ""
    """实施内容及过程概述, printed where the layout lists it."""
    written: bool = True
    """False where the spec has no ``goals`` (a layout that prints none)."""


@dataclass(frozen=True)
class Indicator:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal | None
    deviation: str | None
    path: JsonPath
    extra: tuple[tuple[str, str], ...] = ()
    """Optional columns some layouts print: nature, unit, explanation, method, remark."""


@dataclass(frozen=True)
class Group:
    """A 二级指标 with its 三级 rows."""

    name: str
    path: JsonPath
    indicators: tuple[Indicator, ...]
    not_applicable: bool = False
    """Written ``不适用``: printed as the layout's not-applicable row, never scored."""


@dataclass(frozen=True)
class Level1:
    name: str
    path: JsonPath
    groups: tuple[Group, ...]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(item for group in self.groups for item in group.indicators)


@dataclass(frozen=True)
class Spec:
    file: str
    year: int
    project: str
    department: str
    unit: str
    profile: str | None
    profile_base: Path | None
    """The file ``profile`` is relative to: the spec or the defaults file that named it."""
    profile_location: Location
    funds: Funds
    goals: Goals
    levels: tuple[Level1, ...]
    printed_total: Decimal | None
    """总分 as a published form printed it, to be checked."""
    printed_grade: str | None
    """评分等级 as a published form printed it, to be checked."""
    document: Document
    defaults_files: tuple[tuple[str, str], ...]
    """Each ``_defaults.yaml`` applied, with the SHA-256 of the bytes read."""
    texts: tuple[tuple[str, str], ...] = ()
    """The free texts of ``filing`` and ``remarks``, keyed ``filing.unit``, ``remarks.problems``…"""
    choices: tuple[tuple[str, str], ...] = ()
    """``project_category`` and ``project_nature`` where written (ticked in a checkbox row)."""

    def text(self, key: str) -> str:
        return dict(self.texts).get(key, "")

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(item for level in self.levels for item in level.indicators)

    def locate(self, path: JsonPath, on_key: bool = False) -> Location:
        return self.document.locate(path, on_key)


EXTRA_COLUMNS = ("nature", "unit", "explanation", "method", "remark")
NOT_APPLICABLE_WORDS = ("不适用", "/")
"""What a 二级 may be written as instead of its list of 三级 (the schema's enum)."""
TEXT_GROUPS = ("filing", "remarks")
CHOICE_KEYS = ("project_category", "project_nature")


def _goals(data: dict[str, Any] | None) -> Goals:
    if data is None:
        return Goals("", "", "", written=False)
    return Goals(data["expected"], data["actual"], data.get("process", ""))


def _texts(data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (f"{group}.{key}", str(value))
        for group in TEXT_GROUPS
        for key, value in (data.get(group) or {}).items()
    )


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _row(data: dict[str, Any] | None) -> FundRow:
    if data is None:
        return ZERO_ROW
    return FundRow(
        _decimal(data["initial"]),
        _decimal(data["annual"]),
        _decimal(data["executed"]),
        str(data.get("reason", "")),
        str(data.get("method", "")),
    )


@dataclass(frozen=True)
class Identity:
    """What a spec and its ``_defaults.yaml`` files say together: year, department, unit,
    the profile and where it was named (both forms of a spec read it the same way)."""

    year: int
    department: str
    unit: str
    profile: str | None
    profile_base: Path | None
    profile_location: Location
    defaults_files: tuple[tuple[str, str], ...]


def identity(
    document: Document, source: Path, defaults: list[DefaultsFile]
) -> tuple[Identity | None, list[Diagnostic]]:
    """The spec's identity after its defaults, or SE102 for each key neither states."""
    merged = merge(document, source, defaults)
    missing = [key for key in REQUIRED_AFTER_DEFAULTS if key not in merged]
    if missing:
        where = Location(document.file, 1, 1)
        return None, [
            make("SE102", where, key=key, title=REQUIRED_AFTER_DEFAULTS[key]) for key in missing
        ]
    profile_value, profile_location, profile_base = merged.get(
        "profile", (None, Location(document.file, 1, 1), None)
    )
    return Identity(
        year=int(merged["year"][0]),
        department=merged["department"][0],
        unit=merged["unit"][0],
        profile=profile_value,
        profile_base=profile_base,
        profile_location=profile_location,
        defaults_files=tuple((str(d.path), d.document.digest) for d in defaults),
    ), []


def build_spec(
    document: Document, source: Path, defaults: list[DefaultsFile]
) -> tuple[Spec | None, list[Diagnostic]]:
    """A :class:`Spec` from a schema-valid document; ``defaults`` nearest folder first."""
    data: dict[str, Any] = document.data
    known, problems = identity(document, source, defaults)
    if known is None:
        return None, problems
    funds = data["funds"]
    levels = tuple(
        Level1(
            level1,
            ("indicators", level1),
            tuple(
                Group(
                    level2,
                    ("indicators", level1, level2),
                    ()
                    if items in NOT_APPLICABLE_WORDS
                    else tuple(
                        Indicator(
                            level1=level1,
                            level2=level2,
                            name=item["name"],
                            target=_text(item["target"]),
                            actual=_text(item["actual"]),
                            weight=_decimal(item["weight"]),
                            score=_decimal(item["score"]) if "score" in item else None,
                            deviation=item.get("deviation"),
                            path=("indicators", level1, level2, index),
                            extra=tuple(
                                (key, str(item[key])) for key in EXTRA_COLUMNS if key in item
                            ),
                        )
                        for index, item in enumerate(items)
                    ),
                    not_applicable=items in NOT_APPLICABLE_WORDS,
                )
                for level2, items in groups.items()
            ),
        )
        for level1, groups in data["indicators"].items()
    )
    spec = Spec(
        file=document.file,
        year=known.year,
        project=data["project"],
        department=known.department,
        unit=known.unit,
        profile=known.profile,
        profile_base=known.profile_base,
        profile_location=known.profile_location,
        funds=Funds(
            weight=_decimal(funds["weight"]),
            current_year=_row(funds["current_year"]),
            carried_over=_row(funds.get("carried_over")),
            other=_row(funds.get("other")),
            special_account=_row(funds.get("special_account")),
            unit_funds=_row(funds.get("unit_funds")),
            deviation=funds.get("deviation"),
            printed=tuple(
                (column, _decimal(value)) for column, value in funds.get("total", {}).items()
            ),
            reason=str(funds.get("reason", "")),
            method=str(funds.get("method", "")),
        ),
        goals=_goals(data.get("goals")),
        levels=levels,
        printed_total=_decimal(data["total"]) if "total" in data else None,
        printed_grade=data.get("grade"),
        document=document,
        defaults_files=known.defaults_files,
        texts=_texts(data),
        choices=tuple((key, str(data[key])) for key in CHOICE_KEYS if key in data),
    )
    return spec, []

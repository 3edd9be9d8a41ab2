"""Policy profiles: regional rules (rounding, weights, grades, labels) as data files.

A profile is a YAML file validated by ``schema/profile.schema.json``. Built-in ones live in
``profiles/`` at the top of the repository; a repository adds its own as ``*.profile.yaml``
and names it by a path relative to the spec (or defaults file) that uses it. ``extends``
merges a profile over another: settings groups (rounding, bands, labels…) key by key; the
free-form tables ``level1_weights`` and ``hierarchy``, and everything else, replaced whole.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from selfeval_compiler.diagnostics import (
    Diagnostic,
    DiagnosticError,
    Location,
    Phrase,
    listing,
    make,
    phrase,
)
from selfeval_compiler.sources import resources
from selfeval_compiler.sources.project import inside
from selfeval_compiler.sources.schema import validate
from selfeval_compiler.sources.yaml_loader import display_path, load_file

DEFAULT_PROFILE = "mof-2020"
PageNumbers = Literal["always", "never", "auto"]


Figure = Literal["rate", "funds_score", "indicator_score", "total"]
"""The derived figures a profile may round each its own way."""


@dataclass(frozen=True)
class Band:
    low: Decimal
    high: Decimal
    default: Decimal | None


@dataclass(frozen=True)
class Grade:
    label: str
    minimum: Decimal


@dataclass(frozen=True)
class Labels:
    """Every label the form prints, from the profile's ``labels`` (``\n`` is a line break).

    ``year_line`` holds ``{year}`` and ``funds`` holds ``{unit}``; a profile that states only
    some labels takes the rest from the default profile.
    """

    title: str
    year_line: str
    year: str
    project: str
    department: str
    unit: str
    profile: str
    funds: str
    initial: str
    annual: str
    executed: str
    funds_weight: str
    execution_rate: str
    score: str
    funds_total: str
    current_year: str
    carried_over: str
    other: str
    special_account: str
    unit_funds: str
    funds_deviation: str
    budget_execution: str
    goals: str
    expected: str
    actual: str
    level1: str
    level2: str
    level3: str
    target: str
    actual_value: str
    indicator_weight: str
    indicator_score: str
    deviation: str
    total: str
    grade: str
    level1_points: str
    continued: str
    nature: str
    unit_of_measure: str
    explanation: str
    method: str
    remark: str


@dataclass(frozen=True)
class Layout:
    """The form's shape (the profile's ``layout``); a profile that states part of it takes
    the rest from the default profile."""

    funds_columns: tuple[str, ...]
    funds_rows: tuple[str, ...]
    indicator_columns: tuple[str, ...]
    not_applicable: str
    blank_untouched_rows: bool
    level1_points: bool
    empty_rows: bool
    header_lines: tuple[str, ...]
    signature_row: tuple[str, ...]
    footnotes: tuple[str, ...]
    page_numbers: PageNumbers
    """Whether the pages are numbered: always, never, or when the form runs over a page."""
    page_number_format: str = "第 {page} 页 共 {pages} 页"
    """What each page's foot prints: ``{page}`` its number, ``{pages}`` the form's pages."""


@dataclass(frozen=True)
class GoalsLayout:
    """The 绩效目标申报表's shape and words (the profile's ``goals_form``); what a profile does
    not state comes from the default profile."""

    title: str
    year_line: str
    amount_unit: str
    amount_places: int
    thousands: bool
    funds_layout: str
    """``annual-split``: 当年财政拨款 / 上年结转资金 / 其他资金;
    ``fiscal-other``: 财政拨款 / 其他资金."""
    level1_order: tuple[str, ...]
    labels: dict[str, str]


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    amount_unit: str
    amount_places: int
    rounding_mode: str
    rounding_places: int
    rounding_figures: tuple[tuple[Figure, str, int], ...]
    """Each figure's own rounding (mode, places), defaulting to the two above."""
    execution_rate_basis: str
    """``annual``: 全年执行数 ÷ 全年预算数; ``initial``: ÷ 年初预算数."""
    indicator_scale: tuple[Decimal, Decimal] | None
    """(out_of, points): indicators scored out of ``out_of``, their sum scaled to ``points``."""
    total_weight: Decimal
    funds_weight: Decimal
    level1_weights: tuple[tuple[str, Decimal], ...]
    weight_mismatch_severity: str
    grade_row: bool
    grades: tuple[Grade, ...]
    bands: tuple[tuple[str, Band], ...]
    at_most_unmet: str
    zero_target_unmet: str
    deviation_below_weight: bool
    deviation_execution_below: Decimal | None
    deviation_over_target_percent: Decimal | None
    hierarchy: tuple[tuple[str, tuple[str, ...]], ...]
    verdicts_met: tuple[str, ...]
    verdicts_partial: tuple[str, ...]
    verdicts_unmet: tuple[str, ...]
    labels: Labels
    layout: Layout
    goals: GoalsLayout
    sources: tuple[tuple[str, str], ...]
    """The files this profile was read from, nearest first (for incremental builds)."""

    def rounding(self, figure: Figure) -> tuple[str, int]:
        """(mode, places) of ``figure``: rate, funds_score, indicator_score or total."""
        for name, mode, places in self.rounding_figures:
            if name == figure:
                return mode, places
        return self.rounding_mode, self.rounding_places

    def band(self, verdict: str) -> Band:
        return dict(self.bands)[verdict]

    def grade_for(self, total: Decimal) -> str:
        for grade in self.grades:
            if total >= grade.minimum:
                return grade.label
        return self.grades[-1].label


def builtin_names() -> list[str]:
    folder = resources.data_dir("profiles")
    return sorted(path.stem for path in folder.glob("*.yaml"))


def _nearest_builtin(reference: str) -> Phrase | str:
    """ "Did you mean" the built-in profile a misspelt name is closest to, if one is close."""
    close = difflib.get_close_matches(reference, builtin_names(), n=1, cutoff=0.6)
    return phrase("schema.did-you-mean", key=close[0]) if close else ""


REPLACED_TABLES = frozenset({"level1_weights", "hierarchy"})
"""Free-form tables a profile states whole; every other mapping merges key by key."""


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if key in REPLACED_TABLES:
            merged[key] = value
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def _resolve_path(reference: str, relative_to: Path | None) -> Path | None:
    if reference in builtin_names():
        return resources.data_dir("profiles") / f"{reference}.yaml"
    if reference.endswith((".yaml", ".yml")) and relative_to is not None:
        return (relative_to.parent / reference).resolve()
    return None


def _invalid(problem: Diagnostic) -> Diagnostic:
    """A problem of a profile file, reported as SE505 at its own place, in both languages."""
    return make("SE505", problem.location, detail=Phrase(problem.message_zh, problem.message_en))


def _read_chain(
    reference: str,
    relative_to: Path | None,
    where: Location,
    seen: tuple[str, ...],
    root: Path | None = None,
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    path = _resolve_path(reference, relative_to)
    builtin = path is not None and path.parent == resources.data_dir("profiles").resolve()
    if path is not None and not builtin and root is not None and not inside(path, root):
        # Not read at all, so nothing of a file outside the project can be echoed.
        raise DiagnosticError([make("SE016", where, path=reference, root=str(root))])
    if path is None or not path.is_file():
        raise DiagnosticError(
            [
                make(
                    "SE504",
                    where,
                    name=reference,
                    builtin=listing(builtin_names()),
                    hint=_nearest_builtin(reference),
                )
            ]
        )
    key = str(path)
    if key in seen:
        chain = " → ".join(Path(item).name for item in (*seen, key))
        raise DiagnosticError([make("SE506", where, chain=chain)])
    display = path.name if builtin else display_path(path)
    document, problems = load_file(path, display)
    if document is None:
        raise DiagnosticError([_invalid(p) for p in problems])
    problems = validate(document, "profile.schema.json")
    if problems:
        raise DiagnosticError([_invalid(p) for p in problems])
    data: dict[str, Any] = document.data
    sources = [(key, document.digest)]
    parent = data.get("extends")
    if parent is None:
        return data, sources
    base, base_sources = _read_chain(
        parent, path, document.locate(("extends",)), (*seen, key), root
    )
    return _merge(base, data), sources + base_sources


_REQUIRED = (
    "amount_unit",
    "amount_places",
    "rounding",
    "total_weight",
    "funds_weight",
    "level1_weights",
    "weight_mismatch_severity",
    "grade_row",
    "grades",
    "qualitative_bands",
    "at_most_unmet",
    "zero_target_unmet",
    "deviation_required",
    "hierarchy",
    "verdicts",
    "labels",
)


FIGURES: tuple[Figure, ...] = ("rate", "funds_score", "indicator_score", "total")


def _figures(rounding: dict[str, Any]) -> tuple[tuple[Figure, str, int], ...]:
    mode, places = rounding.get("mode", "half-up"), int(rounding.get("places", 2))
    own = rounding.get("figures", {})
    return tuple(
        (name, own.get(name, {}).get("mode", mode), int(own.get(name, {}).get("places", places)))
        for name in FIGURES
    )


def _scale(data: dict[str, Any] | None) -> tuple[Decimal, Decimal] | None:
    return None if data is None else (_decimal(data["out_of"]), _decimal(data["points"]))


def scaled(profile: Profile, indicator_sum: Decimal) -> Decimal:
    """The indicators' sum as it counts towards 总分 (scaled where the profile says so)."""
    if profile.indicator_scale is None:
        return indicator_sum
    out_of, points = profile.indicator_scale
    return indicator_sum * points / out_of


def _words(verdicts: dict[str, Any], extra: dict[str, Any], kind: str) -> tuple[str, ...]:
    """A verdict kind's words: the inherited list and the profile's additions."""
    return tuple(dict.fromkeys([*verdicts.get(kind, ()), *extra.get(kind, ())]))


def _hierarchy(
    base: dict[str, list[str]], extra: dict[str, list[str]]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """一级 → 二级 names: the stated table with the profile's additions appended."""
    merged = {level1: list(names) for level1, names in base.items()}
    for level1, names in extra.items():
        merged.setdefault(level1, [])
        merged[level1] += [name for name in names if name not in merged[level1]]
    return tuple((level1, tuple(names)) for level1, names in merged.items())


def _build(
    name: str, data: dict[str, Any], sources: list[tuple[str, str]], where: Location
) -> Profile:
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise DiagnosticError(
            [
                make(
                    "SE505",
                    where,
                    detail=phrase("profile.missing-keys", keys=listing(missing)),
                )
            ]
        )
    bands_data = data["qualitative_bands"]
    deviation = data["deviation_required"]
    labels = data["labels"]
    verdicts = data["verdicts"]
    extra = data.get("extra_verdicts", {})

    def optional(value: Any) -> Decimal | None:
        return None if value is None else _decimal(value)

    return Profile(
        name=str(data.get("name", name)),
        description=str(data.get("description", "")),
        amount_unit=data["amount_unit"],
        amount_places=int(data["amount_places"]),
        rounding_mode=data["rounding"].get("mode", "half-up"),
        rounding_places=int(data["rounding"].get("places", 2)),
        rounding_figures=_figures(data["rounding"]),
        execution_rate_basis=str(data.get("execution_rate_basis", "annual")),
        indicator_scale=_scale(data.get("indicator_scale")),
        total_weight=_decimal(data["total_weight"]),
        funds_weight=_decimal(data["funds_weight"]),
        level1_weights=tuple((k, _decimal(v)) for k, v in data["level1_weights"].items()),
        weight_mismatch_severity=data["weight_mismatch_severity"],
        grade_row=bool(data["grade_row"]),
        grades=tuple(
            sorted(
                (Grade(g["label"], _decimal(g["min"])) for g in data["grades"]),
                key=lambda g: g.minimum,
                reverse=True,
            )
        ),
        bands=tuple(
            (verdict, Band(_decimal(b["low"]), _decimal(b["high"]), optional(b.get("default"))))
            for verdict, b in bands_data.items()
        ),
        at_most_unmet=data["at_most_unmet"],
        zero_target_unmet=data["zero_target_unmet"],
        deviation_below_weight=bool(deviation.get("score_below_weight", True)),
        deviation_execution_below=optional(deviation.get("execution_rate_below")),
        deviation_over_target_percent=optional(deviation.get("actual_over_target_percent")),
        hierarchy=_hierarchy(data["hierarchy"], data.get("extra_hierarchy", {})),
        verdicts_met=_words(verdicts, extra, "met"),
        verdicts_partial=_words(verdicts, extra, "partial"),
        verdicts_unmet=_words(verdicts, extra, "unmet"),
        labels=Labels(**{**_default_section("labels"), **labels}),
        layout=_layout({**_default_section("layout"), **data.get("layout", {})}),
        goals=_goals_layout(data.get("goals_form", {})),
        sources=tuple(sources),
    )


@cache
def _default_section(name: str) -> dict[str, Any]:
    """A section (labels, layout) of the default profile: what a profile without ``extends``
    does not state."""
    data, _ = _read_chain(DEFAULT_PROFILE, None, Location("<profile>"), ())
    return dict(data[name])


def _goals_layout(data: dict[str, Any]) -> GoalsLayout:
    base = _default_section("goals_form")
    merged = {**base, **data}
    return GoalsLayout(
        title=str(merged["title"]),
        year_line=str(merged["year_line"]),
        amount_unit=str(merged["amount_unit"]),
        amount_places=int(merged["amount_places"]),
        thousands=bool(merged["thousands"]),
        funds_layout=str(merged["funds_layout"]),
        level1_order=tuple(merged["level1_order"]),
        labels={**base["labels"], **data.get("labels", {})},
    )


def page_numbers(value: object) -> PageNumbers:
    """The profile's ``page_numbers`` (``true``, ``false`` or ``auto``, schema-checked)."""
    if value == "auto":
        return "auto"
    return "always" if value is True else "never"


def _layout(data: dict[str, Any]) -> Layout:
    return Layout(
        funds_columns=tuple(data["funds_columns"]),
        funds_rows=tuple(data["funds_rows"]),
        indicator_columns=tuple(data["indicator_columns"]),
        not_applicable=str(data["not_applicable"]),
        blank_untouched_rows=bool(data["blank_untouched_rows"]),
        level1_points=bool(data["level1_points"]),
        empty_rows=bool(data["empty_rows"]),
        header_lines=tuple(data["header_lines"]),
        signature_row=tuple(data["signature_row"]),
        footnotes=tuple(data["footnotes"]),
        page_numbers=page_numbers(data["page_numbers"]),
        page_number_format=str(data["page_number_format"]),
    )


_ANCHORED = frozenset({"SE504", "SE506", "SE016"})
"""Problems of naming a profile: reported on the spec's ``profile:`` line."""


class ProfileCache:
    """Loads each profile once per build; profiles are shared by many specs."""

    def __init__(self) -> None:
        self._loaded: dict[tuple[str, str, str], Profile | list[Diagnostic]] = {}

    def get(
        self,
        reference: str | None,
        relative_to: Path | None,
        where: Location,
        root: Path | None = None,
    ) -> tuple[Profile | None, list[Diagnostic]]:
        """The profile ``reference`` names (relative to the file that named it), read only
        from inside ``root``."""
        reference = reference or DEFAULT_PROFILE
        base = (
            str(relative_to.parent) if relative_to and reference.endswith((".yaml", ".yml")) else ""
        )
        key = (reference, base, str(root))
        if key not in self._loaded:
            try:
                data, sources = _read_chain(reference, relative_to, where, (), root)
                self._loaded[key] = _build(reference, data, sources, where)
            except DiagnosticError as error:
                self._loaded[key] = error.diagnostics
        result = self._loaded[key]
        if isinstance(result, Profile):
            return result, []
        # Re-anchor "unknown profile" to this spec; file problems keep their own place.
        return None, [
            make(d.code, where, **d.args) if d.code in ("SE504", "SE506", "SE016") else d
            for d in result
        ]


def load_profile(reference: str | None = None, relative_to: Path | None = None) -> Profile:
    """Load one profile, raising :class:`DiagnosticError` when it cannot be used."""
    profile, problems = ProfileCache().get(reference, relative_to, Location("<profile>"))
    if profile is None:
        raise DiagnosticError(problems)
    return profile

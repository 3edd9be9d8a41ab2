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
from typing import Any, Literal, get_args

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
from selfeval_compiler.sources.yaml_loader import Document, JsonPath, display_path, load_file

DEFAULT_PROFILE = "mof-2020"
PageNumbers = Literal["always", "never", "auto"]


Figure = Literal["rate", "funds_score", "indicator_score", "total"]
"""The derived figures a profile may round each its own way."""

DisplayKind = Literal[
    "amount",
    "rate",
    "funds_weight",
    "funds_score",
    "indicator_weight",
    "indicator_score",
    "total",
    "total_weight",
]
"""The kinds of printed figure a profile's ``display`` styles each its own way."""
DISPLAY_KINDS: tuple[DisplayKind, ...] = (
    "amount",
    "rate",
    "funds_weight",
    "funds_score",
    "indicator_weight",
    "indicator_score",
    "total",
    "total_weight",
)
AS_WRITTEN = "as-written"
"""``places: as-written``: a figure prints with the places the unit wrote it (or its row's
weight) with, row by row."""


@dataclass(frozen=True)
class FigureStyle:
    """How one kind of figure prints (the profile's ``display.<kind>``); never its value."""

    places: int | Literal["as-written"] | None = None
    """Decimals to print (0-6); ``as-written``; ``None`` (not stated) for the form's own rule."""
    percent: bool = False
    """``%`` after the figure (``86%``)."""
    thousands: bool = False
    """Whole digits grouped by three with ``,`` (``215,457.60``)."""


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
    fiscal: str
    funds_reason: str
    funds_method: str
    funds_corner: str
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
    process: str
    indicator_heading: str


Block = Literal[
    "header",
    "basic",
    "funds",
    "goals",
    "indicators",
    "total",
    "grade",
    "trailer",
    "signatures",
    "footnotes",
]
"""The blocks of the 自评表, printed in the order the layout lists them."""
BLOCKS: tuple[Block, ...] = get_args(Block)
"""Every block, in the default order (the order :data:`Block` names them)."""

SPEC_TEXTS = (
    "filing.unit",
    "filing.date",
    "filing.person",
    "filing.phone",
    "filing.project_lead",
    "filing.finance_lead",
    "remarks.conclusion",
    "remarks.problems",
    "remarks.measures",
    "remarks.deviation_analysis",
    "remarks.review",
)
"""The spec's free texts a layout line or trailer row may print (``filing`` and ``remarks``)."""


@dataclass(frozen=True)
class Line:
    """A labelled line of the layout (a header line, a signature, a trailer row): its label
    and, where it prints one, the spec text it prints (one of :data:`SPEC_TEXTS`)."""

    label: str
    text: str | None = None


@dataclass(frozen=True)
class ChoiceRow:
    """A checkbox row (项目类别 ☑区直专项 □…): the spec key whose value is ticked."""

    label: str
    key: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class PlaceholderRows:
    """The template's rows kept under every 二级: numbered rows up to ``numbered`` (指标2:),
    then each of ``closing`` (……)."""

    numbered: int
    closing: tuple[str, ...]


FundsColumn = Literal[
    "initial", "annual", "executed", "weight", "rate", "score", "reason", "method"
]
FIGURE_COLUMNS: tuple[FundsColumn, ...] = (
    "initial",
    "annual",
    "executed",
    "weight",
    "rate",
    "score",
)
"""The funds table's figure columns; ``reason`` (原因) and ``method`` (得分计算方法) are text."""


@dataclass(frozen=True)
class FundsRowLayout:
    """How one row of the funds table prints (an entry of ``layout.funds_rows``, or
    ``layout.funds_total`` for the 年度资金总额 row)."""

    row: str
    blank: tuple[str, ...] = ()
    """Columns printed empty in this row."""
    not_applicable: tuple[str, ...] = ()
    """Columns printed with the layout's not-applicable glyph (``/``, ``-``) in this row."""
    zero: Literal["figures", "blank"] | None = None
    """A row whose amounts are all 0: its figures (``0.00``) or blank; ``None`` follows
    ``blank_untouched_rows``."""


@dataclass(frozen=True)
class Layout:
    """The form's shape (the profile's ``layout``); a profile that states part of it takes
    the rest from the default profile."""

    funds_columns: tuple[FundsColumn, ...]
    funds_rows: tuple[str, ...]
    """The sub-rows' keys in printed order."""
    funds_row_layouts: tuple[FundsRowLayout, ...]
    """The same rows with their blanks (an entry stated as a key alone has none)."""
    funds_total: FundsRowLayout
    funds_text_span: Literal["row", "block"]
    """``row``: each row its own 原因 / 得分计算方法 cell; ``block``: one cell per text column
    down the whole funds table, holding the 年度资金总额 row's text."""
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
    blocks: tuple[Block, ...] = BLOCKS
    numbering: str = ""
    """Printed before each 三级 name, ``{n}`` its number in its 二级 (指标{n}:)."""
    placeholder_rows: PlaceholderRows = PlaceholderRows(0, ())
    not_applicable_row: tuple[str, tuple[str, ...]] = ("/", ("target", "actual", "weight"))
    """What a 二级 written ``不适用`` prints, and in which columns."""
    met_values: str = "printed"
    """``printed``; ``blank-text``: a met indicator whose target is text prints its target and
    actual cells empty; ``blank``: every met indicator does."""
    indicator_heading: str = "none"
    """``none``, ``side`` (a column spanning the indicator block) or ``row`` (a row above it)."""
    goals_parts: tuple[str, ...] = ("expected", "actual")
    goals_layout: str = "columns"
    """``columns``: the parts side by side under their labels; ``rows``: a row each."""
    trailer_rows: tuple[Line, ...] = ()
    choice_rows: tuple[ChoiceRow, ...] = ()
    header_values: tuple[Line, ...] = ()
    """``header_lines`` with the spec text each prints, if any."""
    signature_values: tuple[Line, ...] = ()


GOALS_BLOCKS = ("funds", "goals", "indicators", "period_indicators", "costs", "review")
"""The 申报表's blocks a profile's ``goals_form.rows`` may list; every other entry is a field."""
GoalsArrangement = Literal["columns", "rows"]
"""The goals side by side under one label, or a row each (the 自评表's words for the same)."""


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
    ``fiscal-other``: 财政拨款 / 其他资金; ``levels``: 本级安排 / 上级补助."""
    funds_project_column: bool
    """The funds block prints 项目资金总额 and its parts beside the year's funds."""
    level1_order: tuple[str, ...]
    labels: dict[str, str]
    rows: tuple[tuple[str, ...], ...]
    """Top to bottom: each a block (``funds``, ``goals``, ``indicators``, ``period_indicators``,
    ``costs``, ``review``), one field, or two fields on one row."""
    goals_layout: GoalsArrangement
    goals_parts: tuple[str, ...]
    indicator_columns: tuple[str, ...]
    empty_rows: bool
    """A 二级 written as ``[]`` prints as an empty row (else it is left out)."""
    period_format: str
    cost_columns: tuple[str, ...]
    cost_total: Literal["top", "bottom"]
    header_lines: tuple[str, ...]
    footer: tuple[str, ...]

    def prints(self, entry: str) -> bool:
        """Whether the form prints ``entry`` (a block of :data:`GOALS_BLOCKS` or a field)."""
        return any(entry in row for row in self.rows)


@dataclass(frozen=True)
class DepartmentLayout:
    """The 部门整体支出绩效自评表's rules and words (the profile's ``department_form``); what a
    profile does not state comes from the default profile."""

    title: str
    indicator_score: str
    """``rules``: scored as project indicators; ``coefficient``: 得分 = 得分系数 × 权重."""
    total_at: str
    """``table``: a 自评总分 row after the indicators; ``header``: in the header."""
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
    display: tuple[tuple[DisplayKind, FigureStyle], ...]
    """How each kind of figure prints (the profile's ``display``); a kind not listed prints
    by the form's own rule."""
    sources: tuple[tuple[str, str], ...]
    """The files this profile was read from, nearest first (for incremental builds)."""
    department: DepartmentLayout

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
    problems = _funds_rows_problems(document)
    if problems:
        raise DiagnosticError(problems)
    data: dict[str, Any] = document.data
    sources = [(key, document.digest)]
    parent = data.get("extends")
    if parent is None:
        return data, sources
    base, base_sources = _read_chain(
        parent, path, document.locate(("extends",)), (*seen, key), root
    )
    return _merge(base, data), sources + base_sources


def _funds_rows_problems(document: Document) -> list[Diagnostic]:
    """A schema-valid file's ``layout.funds_rows`` and ``layout.funds_total``: a row listed
    twice (SE311), a column both blank and not applicable in one row (SE312)."""
    layout = document.data.get("layout", {})
    found: list[Diagnostic] = []
    seen: set[str] = set()
    entries: list[tuple[JsonPath, FundsRowLayout]] = [
        (("layout", "funds_rows", index), _funds_row(entry))
        for index, entry in enumerate(layout.get("funds_rows", ()))
    ]
    if "funds_total" in layout:
        entries.append((("layout", "funds_total"), _funds_row(layout["funds_total"])))
    for path, row in entries:
        if row.row in seen:
            found.append(make("SE311", document.locate(path), row=row.row))
        seen.add(row.row)
        for column in row.blank:
            if column in row.not_applicable:
                where = document.locate((*path, "not_applicable"))
                found.append(make("SE312", where, row=row.row, column=column))
    return found


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
        display=_display({**_default_section("display"), **data.get("display", {})}),
        sources=tuple(sources),
        department=_department_layout(data.get("department_form", {})),
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
        funds_project_column=bool(merged["funds_project_column"]),
        level1_order=tuple(merged["level1_order"]),
        labels={**base["labels"], **data.get("labels", {})},
        rows=tuple(
            (entry,) if isinstance(entry, str) else tuple(entry) for entry in merged["rows"]
        ),
        goals_layout="rows" if merged["goals_layout"] == "rows" else "columns",
        goals_parts=tuple(merged["goals_parts"]),
        indicator_columns=tuple(merged["indicator_columns"]),
        empty_rows=bool(merged["empty_rows"]),
        period_format=str(merged["period_format"]),
        cost_columns=tuple(merged["cost_columns"]),
        cost_total="top" if merged["cost_total"] == "top" else "bottom",
        header_lines=tuple(merged["header_lines"]),
        footer=tuple(merged["footer"]),
    )


def _department_layout(data: dict[str, Any]) -> DepartmentLayout:
    base = _default_section("department_form")
    merged = {**base, **data}
    return DepartmentLayout(
        title=str(merged["title"]),
        indicator_score=str(merged["indicator_score"]),
        total_at=str(merged["total_at"]),
        labels={**base["labels"], **data.get("labels", {})},
    )


def _line(item: str | dict[str, Any]) -> Line:
    if isinstance(item, str):
        return Line(item)
    return Line(str(item["label"]), item.get("text"))


def _places(value: Any) -> int | Literal["as-written"] | None:
    """A style's ``places``: absent, ``as-written``, or a whole number (``2.0`` is 2)."""
    if value is None or value == AS_WRITTEN:
        return value  # type: ignore[no-any-return]
    return int(value)


def _display(data: dict[str, Any]) -> tuple[tuple[DisplayKind, FigureStyle], ...]:
    """The stated styles, kind by kind in the fixed order of :data:`DISPLAY_KINDS`."""
    return tuple(
        (
            kind,
            FigureStyle(
                places=_places(data[kind].get("places")),
                percent=bool(data[kind].get("percent", False)),
                thousands=bool(data[kind].get("thousands", False)),
            ),
        )
        for kind in DISPLAY_KINDS
        if kind in data
    )


def _funds_row(entry: str | dict[str, Any]) -> FundsRowLayout:
    """A ``funds_rows`` entry: a row key, or a mapping with the row's blanks."""
    if isinstance(entry, str):
        return FundsRowLayout(entry)
    return FundsRowLayout(
        row=str(entry.get("row", "total")),
        blank=tuple(entry.get("blank", ())),
        not_applicable=tuple(entry.get("not_applicable", ())),
        zero=entry.get("zero"),
    )


def page_numbers(value: object) -> PageNumbers:
    """The profile's ``page_numbers`` (``true``, ``false`` or ``auto``, schema-checked)."""
    if value == "auto":
        return "auto"
    return "always" if value is True else "never"


def _layout(data: dict[str, Any]) -> Layout:
    header = tuple(_line(item) for item in data["header_lines"])
    signatures = tuple(_line(item) for item in data["signature_row"])
    placeholders = data["placeholder_rows"]
    not_applicable_row = data["not_applicable_row"]
    return Layout(
        funds_columns=tuple(data["funds_columns"]),
        funds_rows=tuple(_funds_row(entry).row for entry in data["funds_rows"]),
        funds_row_layouts=tuple(_funds_row(entry) for entry in data["funds_rows"]),
        funds_total=_funds_row({**data["funds_total"], "row": "total"}),
        funds_text_span=data["funds_text_span"],
        indicator_columns=tuple(data["indicator_columns"]),
        not_applicable=str(data["not_applicable"]),
        blank_untouched_rows=bool(data["blank_untouched_rows"]),
        level1_points=bool(data["level1_points"]),
        empty_rows=bool(data["empty_rows"]),
        header_lines=tuple(line.label for line in header),
        signature_row=tuple(line.label for line in signatures),
        footnotes=tuple(data["footnotes"]),
        page_numbers=page_numbers(data["page_numbers"]),
        page_number_format=str(data["page_number_format"]),
        blocks=tuple(data["blocks"]),
        numbering=str(data["numbering"]),
        placeholder_rows=PlaceholderRows(
            int(placeholders.get("numbered", 0)), tuple(placeholders.get("closing", ()))
        ),
        not_applicable_row=(
            str(not_applicable_row.get("text", "/")),
            tuple(not_applicable_row.get("columns", ("target", "actual", "weight"))),
        ),
        met_values=str(data["met_values"]),
        indicator_heading=str(data["indicator_heading"]),
        goals_parts=tuple(data["goals_parts"]),
        goals_layout=str(data["goals_layout"]),
        trailer_rows=tuple(_line(item) for item in data["trailer_rows"]),
        choice_rows=tuple(
            ChoiceRow(str(row["label"]), str(row["key"]), tuple(row["options"]))
            for row in data["choice_rows"]
        ),
        header_values=header,
        signature_values=signatures,
    )


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

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

import itertools
from dataclasses import dataclass, replace
from decimal import Decimal

from selfeval_compiler.forms.figures import figure, written_places
from selfeval_compiler.model.profiles import Figure, Labels, PageNumbers, Profile
from selfeval_compiler.rules.scoring import ScoredForm, ScoredFundRow

ZERO = Decimal(0)
NOT_APPLICABLE = "-"
"""What a cell that has no figure in this row prints (分值 and 得分 of the sub-rows)."""


@dataclass(frozen=True)
class FundsLine:
    """One row of the funds table; ``weight`` and ``score`` only on the total row. ``cells``
    is the row as printed, in the layout's columns."""

    key: str
    label: str
    initial: str
    annual: str
    executed: str
    rate: str
    weight: str | None = None
    score: str | None = None
    cells: tuple[Cell, ...] = ()


@dataclass(frozen=True)
class Cell:
    """One printed cell: its text, its kind (``num`` or ``dash``) and the grid columns it spans."""

    text: str
    kind: str
    span: int = 1


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    span: int


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
    blank: bool = False
    """A template row printed empty (a 二级 with no 三级): not an indicator."""
    nature: str = ""
    unit: str = ""
    explanation: str = ""
    method: str = ""
    remark: str = ""


@dataclass(frozen=True)
class SelfEvaluationForm:
    labels: Labels
    title: str
    form_name: str
    """The title without the year, for metadata (``2023年度`` + form_name)."""
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
    funds_columns: tuple[Column, ...] = ()
    indicator_columns: tuple[Column, ...] = ()
    """The indicator table's columns in order; ``span`` holds each one's width in percent."""
    default_indicator_grid: bool = True
    """The MoF eight columns: the shared grid of ``colgroup.html.j2`` is used."""
    total_cells: tuple[Cell, ...] = ()
    """The 总分 row after its label: the weights' sum, the total, blanks."""
    total_label_span: int = 5
    header_lines: tuple[str, ...] = ()
    signature_row: tuple[str, ...] = ()
    footnotes: tuple[str, ...] = ()
    page_numbers: PageNumbers = "never"
    """``auto`` until the PDF is laid out: then ``always`` when the form runs over a page."""
    page_number_format: str = "第 {page} 页 共 {pages} 页"
    not_applicable: str = NOT_APPLICABLE


def flat(label: str) -> str:
    """A label on one line (metadata, titles, the diff): its hard line breaks dropped."""
    return label.replace("\n", "")


def title_without_year(title: str) -> str:
    """The form's name without a year placed in it, for metadata that adds the year itself."""
    return flat(title.replace("{year}年度", "").replace("{year}", ""))


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


FUNDS_SLOTS = ("initial", "annual", "executed", "weight", "rate", "score")
"""The six figure columns of the funds table's grid, in printed order."""
_NUMBER_COLUMNS = {"initial", "annual", "executed", "rate"}


def funds_columns(profile: Profile) -> tuple[Column, ...]:
    """The layout's funds columns, each spanning its own grid slot and the hidden slots after
    it (hidden slots before the first shown column go to that column)."""
    shown = [key for key in FUNDS_SLOTS if key in profile.layout.funds_columns]
    labels = profile.labels
    spans = dict.fromkeys(shown, 1)
    owner: str | None = None
    for key in FUNDS_SLOTS:
        if key in spans:
            owner = key
        else:
            spans[owner or shown[0]] += 1
    label_of = {
        "initial": labels.initial,
        "annual": labels.annual,
        "executed": labels.executed,
        "weight": labels.funds_weight,
        "rate": labels.execution_rate,
        "score": labels.score,
    }
    return tuple(Column(key, label_of[key], spans[key]) for key in shown)


def _cells(line: FundsLine, columns: tuple[Column, ...], glyph: str, blank: bool) -> FundsLine:
    cells = []
    for column in columns:
        value = getattr(line, column.key)
        if value is None:
            cells.append(Cell(glyph, "dash", column.span))
        else:
            shown = "" if blank and column.key in _NUMBER_COLUMNS else value
            cells.append(Cell(shown, "num", column.span))
    return replace(line, cells=tuple(cells))


DEFAULT_INDICATOR_COLUMNS = (
    "level1",
    "level2",
    "name",
    "target",
    "actual",
    "weight",
    "score",
    "deviation",
)
_WIDTHS = {
    "level1": 9, "level2": 12, "name": 18, "nature": 7, "target": 12, "unit": 7,
    "actual": 12, "weight": 8, "score": 8, "method": 14, "explanation": 14,
    "deviation": 21, "remark": 10,
}  # fmt: skip
_CLASSES = {
    "level1": "level", "level2": "level", "name": "text", "nature": "measure",
    "target": "measure", "unit": "measure", "actual": "measure", "weight": "num",
    "score": "num", "method": "text", "explanation": "text", "deviation": "text",
    "remark": "text",
}  # fmt: skip


def indicator_columns(profile: Profile) -> tuple[Column, ...]:
    """The layout's indicator columns with their labels and widths (percent, summing to 100)."""
    labels = profile.labels
    label_of = {
        "level1": labels.level1,
        "level2": labels.level2,
        "name": labels.level3,
        "nature": labels.nature,
        "target": labels.target,
        "unit": labels.unit_of_measure,
        "actual": labels.actual_value,
        "weight": labels.indicator_weight,
        "score": labels.indicator_score,
        "method": labels.method,
        "explanation": labels.explanation,
        "deviation": labels.deviation,
        "remark": labels.remark,
    }
    keys = profile.layout.indicator_columns
    whole = sum(_WIDTHS[key] for key in keys)
    return tuple(Column(key, label_of[key], round(_WIDTHS[key] * 100 / whole)) for key in keys)


def cell_class(key: str) -> str:
    return _CLASSES[key]


def _total_cells(
    columns: tuple[Column, ...], total_weight: str, total: str
) -> tuple[int, tuple[Cell, ...]]:
    """The 总分 row: its label over the columns before 分值, then the figures, then blanks."""
    keys = [column.key for column in columns]
    start = keys.index("weight")
    cells: list[Cell] = []
    for key in keys[start:]:
        if key == "weight":
            cells.append(Cell(total_weight, "num"))
        elif key == "score":
            cells.append(Cell(total, "num"))
        elif cells and cells[-1].kind == "blank":
            cells[-1] = Cell("", "blank", cells[-1].span + 1)
        else:
            cells.append(Cell("", "blank"))
    return start, tuple(cells)


def _regroup(
    lines: tuple[IndicatorLine, ...], starts: set[int], level: str, label: str
) -> list[tuple[str, int]]:
    """(name, span) per row for one level's merged cells, each cell also split where a page
    starts inside it; the part on the new page is named as continued."""
    cells: list[tuple[str, int]] = [("", 0)] * len(lines)
    index = 0
    while index < len(lines):
        name, span = getattr(lines[index], level), getattr(lines[index], f"{level}_span")
        end = index + max(span, 1)
        cuts = [index, *sorted(k for k in starts if index < k < end), end]
        for part, (first, stop) in enumerate(itertools.pairwise(cuts)):
            shown = name if part == 0 else _fill(label, "name", name)
            cells[first] = (shown, stop - first)
        index = end
    return cells


def continued(form: SelfEvaluationForm, starts: set[int]) -> SelfEvaluationForm:
    """The form with its merged 一级/二级 cells split where a page starts inside them, the
    part on the new page named as continued (产出指标（续）): a printed page never shows a
    row without its 一级 and 二级. ``starts`` are indicator rows that begin a page."""
    lines = form.indicators
    label = form.labels.continued
    level1 = _regroup(lines, starts, "level1", label)
    level2 = _regroup(lines, starts, "level2", label)
    new = tuple(
        replace(
            line,
            level1=level1[i][0] or line.level1,
            level1_span=level1[i][1],
            level2=level2[i][0] or line.level2,
            level2_span=level2[i][1],
        )
        for i, line in enumerate(lines)
    )
    return replace(form, indicators=new)


def _untouched(row: ScoredFundRow) -> bool:
    return row.initial == row.annual == row.executed == 0


def _level1_label(form: ScoredForm, name: str, points: Decimal) -> str:
    """产出指标, or 产出指标(50分) where the layout prints a 一级's points (its weights summed)."""
    if not form.profile.layout.level1_points:
        return name
    label = form.profile.labels.level1_points
    return _fill(_fill(label, "name", name), "points", figure(points, 0))


def indicator_places(form: ScoredForm, figure_name: Figure = "indicator_score") -> int:
    """Decimals the indicator table prints with (see the module's rules)."""
    weights = [item.weight for item in form.spec.indicators]
    return written_places(weights, form.profile.rounding(figure_name)[1])


def _indicator_lines(form: ScoredForm, places: int) -> tuple[IndicatorLine, ...]:
    scores = iter(form.indicators)
    lines: list[IndicatorLine] = []
    for level in form.spec.levels:
        level_rows = sum(max(1, len(group.indicators)) for group in level.groups)
        level1 = _level1_label(form, level.name, sum((i.weight for i in level.indicators), ZERO))
        for group_index, group in enumerate(level.groups):
            if not group.indicators:  # kept from the template: one empty row
                lines.append(
                    IndicatorLine(
                        level1=level1,
                        level1_span=level_rows if group_index == 0 else 0,
                        level2=group.name,
                        level2_span=1,
                        name="",
                        target="",
                        actual="",
                        weight="",
                        score="",
                        deviation="",
                        basis="judged",
                        blank=True,
                    )
                )
                continue
            for item_index, item in enumerate(group.indicators):
                scored = next(scores)
                extra = dict(item.extra)
                first_of_level = group_index == 0 and item_index == 0
                lines.append(
                    IndicatorLine(
                        level1=level1,
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
                        nature=extra.get("nature", ""),
                        unit=extra.get("unit", ""),
                        explanation=extra.get("explanation", ""),
                        method=extra.get("method", ""),
                        remark=extra.get("remark", ""),
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
    layout = profile.layout
    columns = funds_columns(profile)
    table = indicator_columns(profile)
    total_weight = figure(profile.total_weight, 0)
    total_figure = figure(form.total, indicator_places(form, "total"))
    label_span, total_cells = _total_cells(table, total_weight, total_figure)
    glyph = layout.not_applicable
    total = _cells(total, columns, glyph, blank=False)
    by_key = {row.key: row for row in funds.rows}
    rows = tuple(
        _cells(
            _funds_line(by_key[key], getattr(labels, key), amount, rate),
            columns,
            glyph,
            blank=layout.blank_untouched_rows and _untouched(by_key[key]),
        )
        for key in layout.funds_rows  # in the layout's order
    )
    return SelfEvaluationForm(
        labels=labels,
        title=_fill(labels.title, "year", str(spec.year)),
        form_name=title_without_year(labels.title),
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
        total_weight=total_weight,
        total=total_figure,
        grade=form.grade,
        grade_row=profile.grade_row,
        funds_columns=columns,
        indicator_columns=table,
        default_indicator_grid=layout.indicator_columns == DEFAULT_INDICATOR_COLUMNS,
        total_cells=total_cells,
        total_label_span=label_span,
        header_lines=layout.header_lines,
        signature_row=layout.signature_row,
        footnotes=layout.footnotes,
        page_numbers=layout.page_numbers,
        page_number_format=layout.page_number_format,
        not_applicable=glyph,
    )

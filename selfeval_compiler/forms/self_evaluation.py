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

These are the form's own rules; a profile's ``display`` (:mod:`forms.display`) states places
(a number or ``as-written``, row by row), ``%`` and thousands separators per figure kind over
them, never changing a value.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal

from selfeval_compiler.forms.display import Display
from selfeval_compiler.forms.figures import figure, written_places
from selfeval_compiler.forms.form_parts import (
    ChoiceLine,
    GoalsPart,
    Section,
    TextRow,
    choice_lines,
    goals_parts,
    sections,
    text_rows,
)
from selfeval_compiler.model.measures import parse_quantity
from selfeval_compiler.model.profiles import (
    FIGURE_COLUMNS,
    Block,
    Figure,
    FundsColumn,
    FundsRowLayout,
    Labels,
    Layout,
    PageNumbers,
    Profile,
    scaled,
)
from selfeval_compiler.model.spec import Group, Indicator
from selfeval_compiler.rules.scoring import ScoredForm, ScoredFundRow, ScoredIndicator

LineKind = Literal["indicator", "empty", "placeholder", "not-applicable"]
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
    reason: str = ""
    """原因, from the spec (printed where the layout has that column)."""
    method: str = ""
    """得分计算方法, from the spec (printed where the layout has that column)."""
    cells: tuple[Cell, ...] = ()


@dataclass(frozen=True)
class Cell:
    """One printed cell: its text, its kind (``num``, ``text`` or ``dash``; ``covered`` where a
    cell of an earlier row spans this one), the grid columns it spans and the rows."""

    text: str
    kind: str
    span: int = 1
    rows: int = 1


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
    """A template row printed empty (a 二级 with no 三级, a placeholder ``指标2:`` / ``……``,
    a not-applicable row): not an indicator."""
    nature: str = ""
    unit: str = ""
    explanation: str = ""
    method: str = ""
    remark: str = ""
    kind: LineKind = "indicator"
    number: str = ""
    """The layout's numbering printed before the name (``指标1:``)."""
    printed: tuple[tuple[str, str], ...] = ()
    """Cells the layout prints otherwise than the figures above (a met row's target and
    actual left empty, a not-applicable row's ``/``), by column."""

    def cell(self, key: str) -> str:
        """The text the column ``key`` prints in this row."""
        for column, text in self.printed:
            if column == key:
                return text
        if key == "name":
            return self.number + self.name
        return str(getattr(self, key))


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
    funds_corner: str = ""
    """The header cell above the funds rows' labels (年度预算数(万元)); empty on the MoF form."""
    funds_grid: tuple[int, ...] = ()
    """The funds table's column widths in percent where it has a grid of its own; empty on
    the MoF grid."""
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
    sections: tuple[Section, ...] = ()
    """The blocks that print, in the layout's order (``layout.blocks``)."""
    goals_parts: tuple[GoalsPart, ...] = ()
    goals_layout: str = "columns"
    indicator_heading: str = "none"
    """Where the indicator block's heading prints: none, side or row."""
    indicator_heading_label: str = ""
    trailer: tuple[TextRow, ...] = ()
    """Rows after the indicator table (评价结论 …), each with the spec's text."""
    trailer_label_span: int = 2
    grade_label_span: int = 1
    header_rows: tuple[TextRow, ...] = ()
    """``header_lines`` with the spec's values."""
    signature_rows: tuple[TextRow, ...] = ()
    choices: tuple[ChoiceLine, ...] = ()
    """Checkbox rows of the basic-information block (项目类别 ☑…)."""
    grid_columns: int = 8
    """Columns of the indicator grid, a side heading included."""
    side_breaks: tuple[int, ...] = ()
    """Indicator rows where a page starts inside the side heading: it is continued there."""


def flat(label: str) -> str:
    """A label on one line (metadata, titles, the diff): its hard line breaks dropped."""
    return label.replace("\n", "")


def title_without_year(title: str) -> str:
    """The form's name without a year placed in it, for metadata that adds the year itself."""
    return flat(title.replace("{year}年度", "").replace("{year}", ""))


def _fill(label: str, name: str, value: str) -> str:
    """A label with its one placeholder filled; labels are data, never format strings."""
    return label.replace("{" + name + "}", value)


def _funds_line(row: ScoredFundRow, label: str, display: Display) -> FundsLine:
    return FundsLine(
        key=row.key,
        label=label,
        initial=display.show(row.initial, "amount"),
        annual=display.show(row.annual, "amount"),
        executed=display.show(row.executed, "amount"),
        rate=display.show(row.rate, "rate"),
    )


FUNDS_SLOTS: tuple[FundsColumn, ...] = FIGURE_COLUMNS
"""The six figure columns of the MoF funds grid, in printed order."""
_NUMBER_COLUMNS = {"initial", "annual", "executed", "rate"}
_TEXT_COLUMNS = {"reason", "method"}
_FUNDS_WIDTHS = {
    "initial": 11, "annual": 11, "executed": 11, "weight": 6, "rate": 9, "score": 7,
    "reason": 22, "method": 16,
}  # fmt: skip
"""Relative widths of the funds columns where the MoF grid is not used."""
_SIDE_WIDTHS = (9, 13)
"""The side label and row label columns (percent), as in the MoF grid."""


def default_funds_grid(profile: Profile) -> bool:
    """Whether the funds columns fit the MoF grid: figure columns only, in its order."""
    columns = profile.layout.funds_columns
    return all(key in FUNDS_SLOTS for key in columns) and list(columns) == [
        key for key in FUNDS_SLOTS if key in columns
    ]


def funds_columns(profile: Profile) -> tuple[Column, ...]:
    """The layout's funds columns in the profile's order.

    On the MoF grid each column spans its own grid slot and the hidden slots after it
    (hidden slots before the first shown column go to that column); otherwise each spans one
    column of a grid of its own (:func:`funds_grid`)."""
    labels = profile.labels
    label_of = {
        "initial": labels.initial,
        "annual": labels.annual,
        "executed": labels.executed,
        "weight": labels.funds_weight,
        "rate": labels.execution_rate,
        "score": labels.score,
        "reason": labels.funds_reason,
        "method": labels.funds_method,
    }
    shown = list(profile.layout.funds_columns)
    if not default_funds_grid(profile):
        return tuple(Column(key, label_of[key], 1) for key in shown)
    spans = dict.fromkeys(shown, 1)
    owner: FundsColumn | None = None
    for key in FUNDS_SLOTS:
        if key in spans:
            owner = key
        else:
            spans[owner or shown[0]] += 1
    return tuple(Column(key, label_of[key], spans[key]) for key in shown)


def funds_grid(profile: Profile) -> tuple[int, ...]:
    """The funds table's column widths in percent (side label, row label, then each column)
    where it has a grid of its own; empty on the MoF grid (``f1``…``f8`` in form.css)."""
    if default_funds_grid(profile):
        return ()
    keys = profile.layout.funds_columns
    room = 100 - sum(_SIDE_WIDTHS)
    whole = sum(_FUNDS_WIDTHS[key] for key in keys)
    widths = [_FUNDS_WIDTHS[key] * room // whole for key in keys]
    widths[-1] += room - sum(widths)
    return (*_SIDE_WIDTHS, *widths)


def _cells(
    line: FundsLine, columns: tuple[Column, ...], glyph: str, how: FundsRowLayout, blank: bool
) -> FundsLine:
    """The row as printed: ``how`` names columns left blank or marked not applicable; a
    figure the row does not have (a sub-row's 分值) prints ``glyph``; ``blank`` leaves the
    amounts and 执行率 of an untouched row empty."""
    cells = []
    for column in columns:
        value = getattr(line, column.key)
        kind = "text" if column.key in _TEXT_COLUMNS else "num"
        if column.key in how.blank:
            cells.append(Cell("", kind, column.span))
        elif column.key in how.not_applicable or value is None:
            cells.append(Cell(glyph, "dash", column.span))
        else:
            shown = "" if blank and column.key in _NUMBER_COLUMNS else value
            cells.append(Cell(shown, kind, column.span))
    return replace(line, cells=tuple(cells))


def form_display(form: ScoredForm) -> Display:
    """The display of the form's figures: the profile's styles over the form's own rule
    (amounts at ``amount_places``, 执行率 at the rate's places, 分值/得分 of the funds at the
    funds score's, indicator figures and 总分 at the places the weights were written with,
    the weights' sum as a whole number where it is one)."""
    profile = form.profile
    funds_places = profile.rounding("funds_score")[1]
    places = indicator_places(form)
    return Display.of(
        profile,
        places={
            "amount": profile.amount_places,
            "rate": profile.rounding("rate")[1],
            "funds_weight": funds_places,
            "funds_score": funds_places,
            "indicator_weight": places,
            "indicator_score": places,
            "total": indicator_places(form, "total"),
            "total_weight": 0,
        },
    )


def _funds_label(form: ScoredForm, label: str) -> str:
    """The funds block's side label: ``{unit}`` the amount unit, ``{points}`` its 分值 as a
    whole number where it is one (预算执行情况(10分); 12.5 stays 12.5)."""
    points = figure(form.funds.weight, 0)
    return _fill(_fill(label, "unit", form.profile.amount_unit), "points", points)


def _zero_blank(how: FundsRowLayout, row: ScoredFundRow, layout: Layout) -> bool:
    """Whether an untouched row (all amounts 0) prints its figures blank."""
    if not _untouched(row):
        return False
    return layout.blank_untouched_rows if how.zero is None else how.zero == "blank"


def _funds_block(form: ScoredForm) -> tuple[FundsLine, tuple[FundsLine, ...]]:
    """The funds table's total row and sub-rows, as printed."""
    profile, funds, spec_funds = form.profile, form.funds, form.spec.funds
    labels, layout = profile.labels, profile.layout
    display = form_display(form)
    columns = funds_columns(profile)
    glyph = layout.not_applicable
    total = replace(
        _funds_line(funds.total, labels.funds_total, display),
        weight=display.show(funds.weight, "funds_weight", written=spec_funds.weight),
        score=display.show(funds.score, "funds_score", written=spec_funds.weight),
        reason=spec_funds.reason,
        method=spec_funds.method,
    )
    total = _cells(total, columns, glyph, layout.funds_total, blank=False)
    by_key = {row.key: row for row in (*funds.rows, *funds.subtotals)}
    rows = []
    for how in layout.funds_row_layouts:  # in the layout's order
        row = by_key[how.row]
        written = getattr(spec_funds, how.row, None)
        line = replace(
            _funds_line(row, getattr(labels, how.row), display),
            reason=written.reason if written is not None else "",
            method=written.method if written is not None else "",
        )
        rows.append(_cells(line, columns, glyph, how, _zero_blank(how, row, layout)))
    if layout.funds_text_span == "block":
        return _text_blocks(total, tuple(rows))
    return total, tuple(rows)


def _text_blocks(
    total: FundsLine, rows: tuple[FundsLine, ...]
) -> tuple[FundsLine, tuple[FundsLine, ...]]:
    """Each text column as one cell down the whole table (``funds_text_span: block``): the
    total row's text spans the sub-rows, whose own cells are covered."""
    merged = tuple(
        replace(cell, rows=1 + len(rows)) if cell.kind == "text" else cell for cell in total.cells
    )
    covered = tuple(
        replace(
            row,
            cells=tuple(
                Cell("", "covered", cell.span) if cell.kind == "text" else cell
                for cell in row.cells
            ),
        )
        for row in rows
    )
    return replace(total, cells=merged), covered


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
    room = 100 - (SIDE_WIDTH if profile.layout.indicator_heading == "side" else 0)
    widths = shares([_WIDTHS[key] for key in keys], room)
    return tuple(Column(key, label_of[key], width) for key, width in zip(keys, widths, strict=True))


SIDE_WIDTH = 9
"""Percent of the page the indicator block's side label takes (the goals label's column)."""


def shares(weights: list[int], whole: int) -> list[int]:
    """Whole percents in proportion to ``weights`` that sum to exactly ``whole`` (largest
    remainders): a table whose columns sum to more than its width prints wider."""
    total = sum(weights)
    exact = [Decimal(weight * whole) / total for weight in weights]
    result = [int(value) for value in exact]
    order = sorted(range(len(exact)), key=lambda i: (result[i] - exact[i], i))
    for index in order[: whole - sum(result)]:
        result[index] += 1
    return result


def cell_class(key: str) -> str:
    return _CLASSES[key]


def _total_cells(
    columns: tuple[Column, ...], total_weight: str, total: str
) -> tuple[int, tuple[Cell, ...]]:
    """The 总分 row: its label over the columns before 分值 (before 得分 in a table of
    scores only), then the figures, then blanks."""
    keys = [column.key for column in columns]
    start = keys.index("weight") if "weight" in keys else keys.index("score")
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
    side_breaks = tuple(sorted(k for k in starts if 0 < k < len(lines)))
    return replace(form, indicators=new, side_breaks=side_breaks)


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


def _template_line(level1: str, level2: str, kind: LineKind, name: str = "") -> IndicatorLine:
    """A row the template prints with no indicator in it."""
    return IndicatorLine(
        level1=level1,
        level1_span=0,
        level2=level2,
        level2_span=0,
        name=name,
        target="",
        actual="",
        weight="",
        score="",
        deviation="",
        basis="judged",
        blank=True,
        kind=kind,
    )


def _met_cells(form: ScoredForm, item: Indicator, basis: str) -> tuple[tuple[str, str], ...]:
    """A met row's target and actual left empty where the layout says so (``met_values``)."""
    rule = form.profile.layout.met_values
    if basis != "met" or rule == "printed":
        return ()
    if rule == "blank-text" and parse_quantity(item.target) is not None:
        return ()
    return (("target", ""), ("actual", ""))


def _group_lines(
    form: ScoredForm,
    level1: str,
    group: Group,
    scores: Iterator[ScoredIndicator],
    display: Display,
) -> list[IndicatorLine]:
    """One 二级's rows: its indicators (or its not-applicable row, or the template's empty
    row), then the template's placeholder rows."""
    layout = form.profile.layout
    numbering = layout.numbering

    def number(n: int) -> str:
        return _fill(numbering, "n", str(n)) if numbering else ""

    lines: list[IndicatorLine] = []
    for item in group.indicators:
        scored = next(scores)
        extra = dict(item.extra)
        lines.append(
            IndicatorLine(
                level1=level1,
                level1_span=0,
                level2=group.name,
                level2_span=0,
                name=item.name,
                target=item.target,
                actual=item.actual,
                weight=display.show(item.weight, "indicator_weight", item.weight),
                score=display.show(scored.score, "indicator_score", item.weight),
                deviation=item.deviation or "",
                basis=scored.basis,
                nature=extra.get("nature", ""),
                unit=extra.get("unit", ""),
                explanation=extra.get("explanation", ""),
                method=extra.get("method", ""),
                remark=extra.get("remark", ""),
                number=number(len(lines) + 1),
                printed=_met_cells(form, item, scored.basis),
            )
        )
    if group.not_applicable:
        glyph, columns = layout.not_applicable_row
        line = _template_line(level1, group.name, "not-applicable", number(1))
        lines.append(replace(line, printed=tuple((key, glyph) for key in columns)))
    placeholders = layout.placeholder_rows
    for n in range(len(lines) + 1, placeholders.numbered + 1):
        lines.append(_template_line(level1, group.name, "placeholder", number(n)))
    for text in placeholders.closing:
        lines.append(_template_line(level1, group.name, "placeholder", text))
    if not lines:  # kept from the template: one empty row
        lines.append(_template_line(level1, group.name, "empty"))
    return [replace(line, level2_span=len(lines) if i == 0 else 0) for i, line in enumerate(lines)]


def _indicator_lines(form: ScoredForm, display: Display) -> tuple[IndicatorLine, ...]:
    scores = iter(form.indicators)
    lines: list[IndicatorLine] = []
    for level in form.spec.levels:
        level1 = _level1_label(form, level.name, sum((i.weight for i in level.indicators), ZERO))
        rows = [
            line
            for group in level.groups
            for line in _group_lines(form, level1, group, scores, display)
        ]
        lines += [
            replace(line, level1_span=len(rows) if i == 0 else 0) for i, line in enumerate(rows)
        ]
    return tuple(lines)


def _printed_blocks(form: ScoredForm) -> frozenset[Block]:
    """The blocks with something to print under this profile."""
    layout = form.profile.layout
    empty = {
        "header": not layout.header_lines,
        "grade": not form.profile.grade_row,
        "trailer": not layout.trailer_rows,
        "signatures": not layout.signature_row,
        "footnotes": not layout.footnotes,
    }
    return frozenset(block for block in layout.blocks if not empty.get(block, False))


def _heading_label(form: ScoredForm) -> str:
    """The indicator block's heading, its ``{points}`` the indicators' points as they count
    towards 总分 (scaled where the profile scales them)."""
    points = scaled(form.profile, sum((item.weight for item in form.spec.indicators), ZERO))
    return _fill(form.profile.labels.indicator_heading, "points", figure(points, 0))


def _layout_parts(form: ScoredForm, columns: int) -> dict[str, Any]:
    """The presentation fields of the blocks around the tables (form_parts)."""
    spec, layout, labels = form.spec, form.profile.layout, form.profile.labels
    side = 1 if layout.indicator_heading == "side" else 0
    return {
        "sections": sections(layout.blocks, _printed_blocks(form)),
        "goals_parts": goals_parts(layout, labels, spec.goals),
        "goals_layout": layout.goals_layout,
        "indicator_heading": layout.indicator_heading,
        "indicator_heading_label": _heading_label(form),
        "trailer": text_rows(layout.trailer_rows, spec),
        "trailer_label_span": 2 + side,
        "grade_label_span": 1 + side,
        "header_rows": text_rows(layout.header_values, spec),
        "signature_rows": text_rows(layout.signature_values, spec),
        "choices": choice_lines(layout, spec),
        "grid_columns": columns + side,
    }


def side_spans(form: SelfEvaluationForm) -> dict[int, tuple[str, int]]:
    """Where the side heading's cells start, by indicator row, with the label and the rows
    each spans: one cell, or one more after each page break, named as continued."""
    if form.indicator_heading != "side":
        return {}
    cuts = [0, *form.side_breaks, len(form.indicators)]
    label = form.indicator_heading_label
    cells: dict[int, tuple[str, int]] = {}
    for part, (first, stop) in enumerate(itertools.pairwise(cuts)):
        shown = label if part == 0 else _fill(form.labels.continued, "name", label)
        cells[first] = (shown, stop - first)
    return cells


def present(form: ScoredForm) -> SelfEvaluationForm:
    """Everything the 自评表 prints, computed once from the scored form."""
    spec, profile, funds = form.spec, form.profile, form.funds
    labels = profile.labels
    total, rows = _funds_block(form)
    layout = profile.layout
    columns = funds_columns(profile)
    table = indicator_columns(profile)
    display = form_display(form)
    total_weight = display.show(profile.total_weight, "total_weight")
    total_figure = display.show(form.total, "total")
    label_span, total_cells = _total_cells(table, total_weight, total_figure)
    side = layout.indicator_heading == "side"
    glyph = layout.not_applicable
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
        funds_label=_funds_label(form, labels.funds),
        funds_corner=_fill(labels.funds_corner, "unit", profile.amount_unit),
        funds_grid=funds_grid(profile),
        funds_total=total,
        funds_rows=rows,
        funds_deviation=funds.deviation,
        funds_rowspan=2 + len(rows) + (1 if funds.deviation else 0),
        goals_expected=spec.goals.expected,
        goals_actual=spec.goals.actual,
        indicators=_indicator_lines(form, display),
        total_weight=total_weight,
        total=total_figure,
        grade=form.grade,
        grade_row=profile.grade_row,
        funds_columns=columns,
        indicator_columns=table,
        default_indicator_grid=layout.indicator_columns == DEFAULT_INDICATOR_COLUMNS and not side,
        total_cells=total_cells,
        total_label_span=label_span + (1 if side else 0),
        header_lines=layout.header_lines,
        signature_row=layout.signature_row,
        footnotes=layout.footnotes,
        page_numbers=layout.page_numbers,
        page_number_format=layout.page_number_format,
        not_applicable=glyph,
        **_layout_parts(form, len(table)),
    )

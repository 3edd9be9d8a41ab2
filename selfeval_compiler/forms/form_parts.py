"""The 自评表's blocks around its tables, as the profile's layout places them.

What order the blocks print in (``layout.blocks``), the goals block in its parts, the rows
after the indicator table (评价结论, 存在问题 …), the header and signature lines with the
spec's values, and the checkbox rows (项目类别 ☑…). Every text arrives ready to print; the
template only places it.
"""

from __future__ import annotations

from dataclasses import dataclass

from selfeval_compiler.model.profiles import Block, Labels, Layout, Line
from selfeval_compiler.model.spec import Goals, Spec

GRID_BLOCKS = frozenset({"indicators", "total", "grade", "trailer"})
"""Blocks printed as rows of the indicator table's grid: neighbours share one table."""
TICKED = "☑"
UNTICKED = "□"
GOALS_TEXT_COLUMNS = 7
"""Grid columns beside the goals block's side label."""


@dataclass(frozen=True)
class Section:
    """A block or, for the indicator grid, a run of neighbouring blocks in one table."""

    kind: str
    """A block name, or ``grid`` for a run of :data:`GRID_BLOCKS`."""
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class GoalsPart:
    key: str
    label: str
    text: str
    span: int
    """Grid columns the part spans (side-by-side layout)."""


@dataclass(frozen=True)
class TextRow:
    """A labelled line or row and the text it prints (empty where the spec has none)."""

    label: str
    text: str


@dataclass(frozen=True)
class ChoiceLine:
    """A checkbox row: its label and its options, each with its box (☑ or □)."""

    label: str
    options: tuple[tuple[str, str], ...]


def sections(blocks: tuple[Block, ...], printed: frozenset[Block]) -> tuple[Section, ...]:
    """The blocks that print, in the layout's order, neighbouring grid blocks grouped. The
    indicators always open their table: a page's first indicator row is then found by its
    place in the table's body (``outputs.pdf.indicator_page_starts``)."""
    result: list[Section] = []
    for block in blocks:
        if block not in printed:
            continue
        opens = block == "indicators"
        if block in GRID_BLOCKS and not opens and result and result[-1].kind == "grid":
            result[-1] = Section("grid", (*result[-1].blocks, block))
        elif block in GRID_BLOCKS:
            result.append(Section("grid", (block,)))
        else:
            result.append(Section(block))
    return tuple(result)


def _spans(count: int, width: int) -> list[int]:
    """``width`` columns shared by ``count`` parts, the wider ones last (3 + 4 for two)."""
    base, extra = divmod(width, count)
    return [base + (1 if index >= count - extra else 0) for index in range(count)]


def goals_parts(layout: Layout, labels: Labels, goals: Goals) -> tuple[GoalsPart, ...]:
    """The goals block's parts in the layout's order, with their labels and texts."""
    keys = layout.goals_parts
    spans = _spans(len(keys), GOALS_TEXT_COLUMNS)
    return tuple(
        GoalsPart(key, getattr(labels, key), getattr(goals, key), span)
        for key, span in zip(keys, spans, strict=True)
    )


def text_rows(lines: tuple[Line, ...], spec: Spec) -> tuple[TextRow, ...]:
    """Labelled lines with the spec's text each names (empty where it names none)."""
    return tuple(TextRow(line.label, spec.text(line.text) if line.text else "") for line in lines)


def choice_lines(layout: Layout, spec: Spec) -> tuple[ChoiceLine, ...]:
    """Each checkbox row with the spec's value ticked (none ticked where the spec has none)."""
    chosen = dict(spec.choices)
    return tuple(
        ChoiceLine(
            row.label,
            tuple(
                (TICKED if chosen.get(row.key) == option else UNTICKED, option)
                for option in row.options
            ),
        )
        for row in layout.choice_rows
    )

"""A grid to the forms it holds, found by their labels, never by fixed cells.

Each block is found by its label (项目名称, 项目资金, 年度总体目标, 一级指标, 总分, 评分等级) and
each value by the header it stands under, so a form shifted by a title row, an extra column
or a repeated header on its second page reads the same. The words are the usual ones of the
MoF template and the regional forms (importers/vocabulary.py), plus the profile's own labels.

What the form printed is kept as printed: the 年度资金总额 row, 总分 and 评分等级 become the
spec's printed-figure fields, and each indicator's 得分 is kept where the rules would not
give it by themselves, so ``selfeval check`` shows where the published arithmetic differs.
Whatever cannot be read becomes a :class:`~selfeval_compiler.importers.records.Note` (a
comment in the spec and a line in the report), never a guess. The modules: vocabulary (the
words), records (what is read), rows (the row reader) and blocks/ (one parser per block).
"""

from __future__ import annotations

from selfeval_compiler.importers.blocks.filing import read_filing
from selfeval_compiler.importers.blocks.funds import read_funds
from selfeval_compiler.importers.blocks.goals import read_goals
from selfeval_compiler.importers.blocks.identity import read_identity, read_year
from selfeval_compiler.importers.blocks.indicators import check_printed_weights, read_indicators
from selfeval_compiler.importers.grid import Grid
from selfeval_compiler.importers.records import ImportedForm
from selfeval_compiler.importers.rows import RowReader
from selfeval_compiler.importers.vocabulary import YEAR, Vocabulary, matches


def read_form(
    grid: Grid,
    start: int,
    end: int,
    words: Vocabulary,
    title_lines: list[str],
    after_lines: list[str] | None = None,
) -> ImportedForm:
    """The form in rows ``start``..``end`` of ``grid``."""
    after_lines = after_lines or []
    reader = RowReader(grid, start, end, words)
    read_year(reader, title_lines)
    read_identity(reader, title_lines)
    read_funds(reader, title_lines)
    read_goals(reader)
    read_indicators(reader)
    read_filing(reader, title_lines, after_lines)
    check_printed_weights(reader.form)
    return reader.form


def form_starts(grid: Grid) -> list[int]:
    """The first row of each form in a grid: each 项目名称 label, moved up to the title
    rows printed just above it."""
    starts: list[int] = []
    previous_end = 0
    for row, cells in grid.rows():
        if any(matches(cell.label, r"项目名称([:：].*)?") for cell in cells):
            start = row
            for above in range(row - 1, previous_end - 1, -1):
                texts = [c.label for c in grid.anchored(above)]
                if not any(texts) or any(
                    "自评表" in t or YEAR.search(t) or "单位" in t or "附件" in t for t in texts
                ):
                    start = above
                else:
                    break
            while start < row and not any(c.label for c in grid.covering_row(start)):
                start += 1  # blank rows between forms belong to neither
            starts.append(start)
            previous_end = row + 1
    return starts


def read_forms(grid: Grid, words: Vocabulary) -> list[ImportedForm]:
    """Every form in one grid, top to bottom."""
    starts = form_starts(grid)
    if not starts:
        return []
    ends = [*starts[1:], grid.height]
    # The lines above the table name every form's year; those below it are the last form's.
    forms = [
        read_form(
            grid,
            start,
            end,
            words,
            grid.title_lines,
            grid.after_lines if number == len(starts) - 1 else [],
        )
        for number, (start, end) in enumerate(zip(starts, ends, strict=True))
    ]
    # A 项目名称 column over a list of projects (a 清单 or 汇总表 sheet) is not a form.
    return [form for form in forms if form.funds or form.indicators]

"""The 年度总体目标 block: 预期目标, 实际完成情况 and (where printed) 实施内容及过程概述,
each the text under its header when the parts stand side by side, or right of it when each
part is a row (the Sichuan 项目基本情况); one cell right of the label is taken as 预期目标."""

from __future__ import annotations

from selfeval_compiler.importers.grid import Cell
from selfeval_compiler.importers.records import TITLES
from selfeval_compiler.importers.rows import RowReader
from selfeval_compiler.importers.vocabulary import GOALS_LABEL, Vocabulary


def read_goals(reader: RowReader) -> None:
    form = reader.form
    label = reader.find(GOALS_LABEL)
    if label is None:
        form.note(None, "没有找到年度总体目标", "no 年度总体目标 found", "goals")
        return
    headers: dict[str, Cell] = {}
    for row in range(label.row, label.last_row + 1):
        for cell in reader.grid.anchored(row):
            kind = Vocabulary.kind(cell.label, reader.words.goals_parts)
            if cell is not label and kind and kind not in headers:
                headers[kind] = cell
    if not headers:
        value = reader.right_of(label)
        form.expected = value.block if value else ""
        form.note(label, "年度总体目标只有一栏，已作为预期目标", "one goals cell", "goals")
        return
    # Parts side by side print their texts under them; a part a row prints its text right.
    side_by_side = len({header.row for header in headers.values()}) < len(headers)
    for key in ("expected", "actual", "process"):
        header = headers.get(key)
        if header is None:
            if key != "process":
                form.note(None, f"{TITLES[key]}为空", f"{key} is empty", "goals")
            continue
        text = _part_text(reader, header, side_by_side)
        setattr(form, key, _unquote(text))
        if not text:
            form.note(header, f"{TITLES[key]}为空", f"{key} is empty", "goals")


def _part_text(reader: RowReader, header: Cell, side_by_side: bool) -> str:
    right = reader.right_of(header)
    below = reader.under(header, header.last_row + 1)
    beside = (
        right is not None
        and bool(right.text.strip())
        and Vocabulary.kind(right.label, reader.words.goals_parts) is None
    )
    cell = right if beside and not side_by_side else below
    return cell.block if cell else ""


def _unquote(text: str) -> str:
    """Excel copy-paste leaves a multi-line text wrapped in one pair of straight quotes."""
    if len(text) > 1 and text.startswith('"') and text.endswith('"'):
        return text[1:-1].strip()
    return text

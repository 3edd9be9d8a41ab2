"""The 年度总体目标 block: 预期目标 and 实际完成情况, each the text under its header (or
one cell right of the label, taken as 预期目标)."""

from __future__ import annotations

from selfeval_compiler.importers.records import TITLES
from selfeval_compiler.importers.rows import RowReader
from selfeval_compiler.importers.vocabulary import matches


def read_goals(reader: RowReader) -> None:
    form = reader.form
    label = reader.find(r"(年度)?(总体)?(绩效)?目标(完成情况)?|年度总体目标")
    if label is None:
        form.note(None, "没有找到年度总体目标", "no 年度总体目标 found", "goals")
        return
    expected = actual = None
    for row in range(label.row, label.last_row + 1):
        for cell in reader.grid.anchored(row):
            if cell is label:
                continue
            if matches(cell.label, r"预期目标|年初(设定)?目标|年度目标"):
                expected = cell
            elif matches(cell.label, r"实际完成(情况|值)?|(全年)?实际完成情况|完成情况"):
                actual = cell
    if expected is None and actual is None:
        value = reader.right_of(label)
        form.expected = value.block if value else ""
        form.note(label, "年度总体目标只有一栏，已作为预期目标", "one goals cell", "goals")
        return
    for key, header in (("expected", expected), ("actual", actual)):
        text = ""
        if header is not None:
            below = reader.under(header, header.last_row + 1)
            text = below.block if below else ""
        setattr(form, key, _unquote(text))
        if not text:
            form.note(header, f"{TITLES[key]}为空", f"{key} is empty", "goals")


def _unquote(text: str) -> str:
    """Excel copy-paste leaves a multi-line text wrapped in one pair of straight quotes."""
    if len(text) > 1 and text.startswith('"') and text.endswith('"'):
        return text[1:-1].strip()
    return text

"""The 绩效指标 table: its header row (found again on every page), one
:class:`ImportedIndicator` per row under it, the 总分 and 评分等级 rows, and the printed
weights' sum checked against the rows."""

from __future__ import annotations

import re
from decimal import Decimal

from selfeval_compiler.importers.grid import Cell, not_applicable, number_text
from selfeval_compiler.importers.records import ZERO, ImportedForm, ImportedIndicator
from selfeval_compiler.importers.rows import RowReader, text_at
from selfeval_compiler.importers.vocabulary import (
    CONTINUED,
    GRADE,
    INDICATOR_COLUMNS,
    NAME_PREFIX,
    PLACEHOLDER,
    POINTS,
    TOTAL,
    Vocabulary,
    matches,
)
from selfeval_compiler.model.spec import EXTRA_COLUMNS

_CELL_TITLES = {"target": "年度指标值", "actual": "实际完成值"}


def _is_header(columns: dict[str, Cell]) -> bool:
    return "level1" in columns and ("name" in columns or "level2" in columns)


def read_indicators(reader: RowReader) -> None:
    form = reader.form
    columns: dict[str, Cell] = {}
    level1 = level2 = ""
    ended = False  # past the 总分 row or a trailer row: no indicator follows
    for row, cells in reader.rows:
        found = reader.kinds(row, reader.words.indicator_columns)
        if _is_header(found):
            columns = found
            continue
        if not columns or all(not cell.label for cell in cells):
            continue  # before the table, or a blank row (a rule, a spacer)
        labels = [c.label for c in cells]
        if any(matches(label, GRADE) for label in labels):
            grade_cell = next(c for c in cells if matches(c.label, GRADE))
            value = reader.right_of(grade_cell)
            form.grade = value.text.strip() if value and value.text.strip() else None
            if not any(matches(label, TOTAL) for label in labels):
                continue
        first = next((cell for cell in cells if cell.label), None)
        if first is not None and matches(first.label, TOTAL):
            _total_row(reader, row, columns)
            ended = True
            continue
        if first is not None and _trailer_row(reader, first):
            ended = True
            continue
        if ended:
            continue  # a signature line, a footnote
        item = _indicator_row(reader, row, columns, level1, level2)
        if item is not None:
            level1, level2 = item.level1, item.level2
            if item.name or not any(i.level2 == item.level2 for i in form.indicators):
                form.indicators.append(item)
    if not columns:
        form.note(
            None, "没有找到绩效指标表（一级指标、二级指标…）", "no indicator table", "indicators"
        )


def _trailer_row(reader: RowReader, label: Cell) -> bool:
    """A row after the table (评价结论, 存在问题 …): its text kept under its ``remarks`` key."""
    key = Vocabulary.kind(label.label, reader.words.trailer)
    if key is None:
        return False
    value = reader.right_of(label)
    text = value.block.strip() if value else ""
    if text and key not in reader.form.remarks:
        reader.form.remarks[key] = text
    return True


def check_printed_weights(form: ImportedForm) -> None:
    """The 分值 the 总分 row prints, against the weights written above it (the indicators' and
    the budget execution's): a form whose own sum is off says so in a note (the spec has no
    field for it; check then reports the weights themselves)."""
    if form.total_weight is None:
        return
    indicators = sum((i.weight for i in form.indicators if i.weight is not None), ZERO)
    funds = next((a.values["weight"] for a in form.funds.values() if "weight" in a.values), ZERO)
    if form.total_weight != indicators + funds:
        form.note(
            None,
            f"总分一行印的分值 {form.total_weight} 与各项分值之和 {indicators + funds} 不符",
            f"the 总分 row prints weights of {form.total_weight}, the rows sum to"
            f" {indicators + funds}",
            "indicators",
        )


def _total_row(reader: RowReader, row: int, columns: dict[str, Cell]) -> None:
    form = reader.form
    for key in ("weight", "score"):
        header = columns.get(key)
        cell = reader.under(header, row) if header else None
        parsed = number_text(cell.text) if cell else None
        if parsed is not None:
            if key == "weight":
                form.total_weight = parsed[0]
            else:
                form.total = parsed[0]
    if form.total is None:
        numbers = [number_text(c.text) for c in reader.grid.anchored(row) if c.text]
        values = [n[0] for n in numbers if n is not None]
        if values:
            form.total = values[-1]


def _level_label(text: str) -> str:
    text = CONTINUED.sub("", re.sub(r"\s+", "", text))
    return POINTS.sub("", text)


def _indicator_row(
    reader: RowReader, row: int, columns: dict[str, Cell], level1: str, level2: str
) -> ImportedIndicator | None:
    form = reader.form
    texts = {key: text_at(reader, row, columns.get(key)) for key in INDICATOR_COLUMNS}
    texts["level1"] = _level_label(text_at(reader, row, columns.get("level1"), True)) or level1
    texts["level2"] = _level_label(text_at(reader, row, columns.get("level2"), True)) or level2
    name_cell = reader.under(columns["name"], row) if "name" in columns else None
    name = texts["name"]
    rest = [texts[k] for k in ("target", "actual", "weight", "score", "deviation")]
    if not name or PLACEHOLDER.match(name):
        if any(text and not not_applicable(text) for text in rest):
            form.note(
                name_cell, "一行指标没有三级指标名称，未导入", "a row without a name", "indicators"
            )
            return None
        # An empty template row: kept as an empty 二级 group, printed where the layout does.
        return ImportedIndicator(
            texts["level1"], texts["level2"], "", "", "", None, None, "", {}, row + 1
        )
    prefix = NAME_PREFIX.match(name)
    if prefix:
        form.note(
            name_cell,
            f"三级指标名称前的“{prefix.group(0)}”是模板序号，已去掉",
            f"template number '{prefix.group(0)}' removed from the name",
            "indicators",
        )
        name = name[prefix.end() :]
    numbers: dict[str, Decimal | None] = {}
    for key in ("weight", "score"):
        text = texts[key]
        parsed = number_text(text) if text and not not_applicable(text) else None
        if text and not not_applicable(text) and parsed is None:
            form.note(
                name_cell, f"{name}：{key}“{text[:30]}”不是数字", f"{name}: bad {key}", "indicators"
            )
        numbers[key] = parsed[0] if parsed else None
    if numbers["weight"] is None:
        form.note(name_cell, f"{name}：没有读到分值", f"{name}: no weight", "indicators")
    blank = [key for key in ("target", "actual") if not texts[key]]
    if blank:  # a layout that prints met rows empty: the values are not on the form
        titles = "和".join(_CELL_TITLES[key] for key in blank)
        form.note(
            name_cell,
            f"{name}：表上{titles}为空，请照原始材料补上",
            f"{name}: {' and '.join(blank)} printed empty; fill in from the source",
            "indicators",
        )
    extra = {
        key: texts[key] for key in EXTRA_COLUMNS if texts[key] and not not_applicable(texts[key])
    }
    deviation = texts["deviation"] if not not_applicable(texts["deviation"]) else ""
    return ImportedIndicator(
        level1=texts["level1"],
        level2=texts["level2"],
        name=name,
        target=texts["target"],
        actual=texts["actual"],
        weight=numbers["weight"],
        score=numbers["score"],
        deviation=deviation,
        extra=extra,
        row=row + 1,
    )

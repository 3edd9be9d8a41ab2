"""The 项目资金 block: its amount unit, its header row (年初预算数 / 全年预算数 / …) and one
:class:`Amounts` per funds row, each value under its header; a bare 执行率 resolved as a
fraction or a percentage."""

from __future__ import annotations

import re
from decimal import Decimal

from selfeval_compiler.importers.grid import Cell, not_applicable, number_text, squeeze
from selfeval_compiler.importers.records import HUNDRED, ZERO, Amounts, ImportedForm
from selfeval_compiler.importers.rows import RowReader
from selfeval_compiler.importers.vocabulary import Vocabulary
from selfeval_compiler.model.amounts import AMOUNT_COLUMNS


def _unit_of(text: str) -> str | None:
    if "万元" in text:
        return "万元"
    if re.search(r"[（(:：]元[）)]?|单位[:：]?元", text):
        return "元"
    return None


def read_funds(reader: RowReader, title_lines: list[str]) -> None:
    form = reader.form
    label = reader.find(r"(项目)?资金(情况)?(\(.*\))?|项目资金.*|预算执行(情况)?(\(.*\))?")
    if label is None:
        form.note(None, "没有找到项目资金表", "no funds table found", "funds")
        return
    form.amount_unit = _unit_of(label.label) or _unit_above(reader, title_lines)
    found = _funds_header(reader, label)
    if found is None:
        form.note(
            label, "项目资金表没有表头（年初预算数、全年预算数…）", "no funds header", "funds"
        )
        return
    header_row, headers = found
    last = max(label.last_row, header_row + 1)
    for row in range(header_row + 1, min(last + 6, reader.end)):
        kinds = (
            Vocabulary.kind(c.label, reader.words.fund_rows) for c in reader.grid.anchored(row)
        )
        kind = next((k for k in kinds if k), None)
        if kind is None and row > last:
            break
        if kind is not None and kind not in form.funds:
            form.funds[kind] = _fund_row(reader, row, headers)
    _resolve_rates(form)
    _total_only(form)


def _total_only(form: ImportedForm) -> None:
    """A layout that prints one funds row (年度财政资金总额) states the money there: it is
    the spec's one row, and only its rate and score stay as printed figures to check."""
    total = form.funds.get("total")
    if total is None or len(form.funds) > 1:
        return
    amounts = {k: v for k, v in total.values.items() if k in AMOUNT_COLUMNS}
    form.funds["current_year"] = Amounts(amounts)
    total.values = {k: v for k, v in total.values.items() if k not in amounts}


def _unit_above(reader: RowReader, title_lines: list[str]) -> str | None:
    """金额单位：万元 printed above the table."""
    for text in [*title_lines, *(c.text for _, cells in reader.rows[:4] for c in cells)]:
        match = re.search(r"(金额)?单位[:：]\s*(万元|元)", squeeze(text))
        if match:
            return match.group(2)
    return None


def _funds_header(reader: RowReader, label: Cell) -> tuple[int, dict[str, Cell]] | None:
    """The row of 年初预算数 / 全年预算数 / … : the label's own row or the next."""
    for row in range(label.row, min(label.row + 2, reader.end)):
        found = reader.kinds(row, reader.words.fund_columns, skip=label)
        if len(found) >= 3:
            return row, found
    return None


def _fund_row(reader: RowReader, row: int, headers: dict[str, Cell]) -> Amounts:
    amounts = Amounts(unread={column for column in AMOUNT_COLUMNS if column not in headers})
    for column, header in headers.items():
        cell = reader.under(header, row)
        if cell is None:
            continue
        if column == "reason":
            if cell.text and not not_applicable(cell.text):
                reader.form.funds_reason = cell.text
            continue
        if column.endswith("_text"):
            if cell.row == row and cell.text and not not_applicable(cell.text):
                amounts.texts[column.removesuffix("_text")] = cell.text
            continue
        value = _amount(reader.form, cell, column)
        if value is None:
            amounts.unread.add(column)
        else:
            amounts.values[column] = value
            if column == "rate":
                amounts.bare_rate = _bare_rate(cell, header, value)
    return amounts


def _bare_rate(cell: Cell, header: Cell, value: Decimal) -> bool:
    return "%" not in cell.text and "%" not in header.label and value <= Decimal("1.5")


def _amount(form: ImportedForm, cell: Cell, column: str) -> Decimal | None:
    if not_applicable(cell.text):
        return ZERO if column in AMOUNT_COLUMNS else None
    if column in AMOUNT_COLUMNS and cell.value is not None:
        return _tidy(cell.value, cell.text)
    parsed = number_text(cell.text)
    if parsed is None:
        form.note(
            cell, f"“{cell.text[:40]}”不是数字", f"'{cell.text[:40]}' is not a number", "funds"
        )
        return None
    return parsed[0]


def _tidy(value: Decimal, shown: str) -> Decimal:
    """A stored amount to at most six decimal places (a double's tail dropped), with at
    least the places its display format shows (14 shown as 14.00 stays 14.00)."""
    if value.adjusted() > 15:
        return value  # beyond any budget: written as stored, for check to bound (SE012)
    rounded = value.quantize(Decimal("0.000001")).normalize()
    places = len(shown.split(".", 1)[1].rstrip("%")) if "." in shown else 0
    exponent = int(rounded.as_tuple().exponent)
    if exponent > -places:
        return rounded.quantize(Decimal(1).scaleb(-places))
    return rounded


def _resolve_rates(form: ImportedForm) -> None:
    """A bare 执行率 of 1.5 or less under a header without (%) is either a fraction or a tiny
    percentage: the one nearer to 执行数 ÷ 预算数 wins."""
    for amounts in form.funds.values():
        bare = amounts.values.get("rate")
        if bare is None or not amounts.bare_rate:
            continue
        annual = amounts.values.get("annual") or ZERO
        executed = amounts.values.get("executed") or ZERO
        ratio = executed / annual * HUNDRED if annual else ZERO
        as_fraction = bare * HUNDRED
        amounts.values["rate"] = (
            as_fraction if abs(as_fraction - ratio) < abs(bare - ratio) else bare
        ).normalize()

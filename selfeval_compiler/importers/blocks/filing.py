"""The header and signature lines: 填报单位, 填报日期, 填表人, 联系电话 above the table and
项目负责人, 财务负责人 below it, each a label with its value in the next cell or after a colon
(in a cell, or in a line printed above or below the table); kept under ``filing``."""

from __future__ import annotations

from selfeval_compiler.importers.grid import not_applicable
from selfeval_compiler.importers.rows import RowReader, inline_value, value_after
from selfeval_compiler.importers.vocabulary import FILING_WORDS


def read_filing(reader: RowReader, title_lines: list[str], after_lines: list[str]) -> None:
    for key, pattern in FILING_WORDS:
        cell, text = value_after(reader, pattern)
        if cell is None:
            lines = (inline_value(line, pattern) for line in [*title_lines, *after_lines])
            text = next((value for value in lines if value), "")
        if text and not not_applicable(text) and not _seal_only(text):
            reader.form.filing[key] = text


def _seal_only(text: str) -> bool:
    """``（盖章）`` where the unit stamps: a blank to fill, not a value."""
    return text.strip("()（） ") in ("盖章", "公章", "签章", "签字")

"""The form's identity: its year (from the title or the rows above 项目名称) and the
项目名称 / 主管部门 / 实施单位 values, with any code printed before a name."""

from __future__ import annotations

from selfeval_compiler.importers.grid import squeeze
from selfeval_compiler.importers.records import TITLES
from selfeval_compiler.importers.rows import RowReader, inline_value, strip_code, value_after
from selfeval_compiler.importers.vocabulary import IDENTITY_WORDS, YEAR, YEAR_LOOSE


def read_identity(reader: RowReader, title_lines: list[str]) -> None:
    """项目名称, 主管部门 and 实施单位: a label's cell and the value right of it, or a line of
    ``label：value`` pairs in a cell or printed above the table."""
    form = reader.form
    for key, pattern in IDENTITY_WORDS:
        cell, text = value_after(reader, pattern)
        if cell is None:
            text = next((v for v in (inline_value(line, pattern) for line in title_lines) if v), "")
        name, code = strip_code(text)
        if not name:
            form.note(cell, f"没有读到{TITLES[key]}", f"no {key} found", key)
        if code:
            form.codes[key] = code
        setattr(form, key, name)


def read_year(reader: RowReader, title_lines: list[str]) -> None:
    texts = [*title_lines]
    for _, cells in reader.rows:
        if any(cell.label.startswith("项目名称") for cell in cells):
            break
        texts += [cell.text for cell in cells]
    for pattern in (YEAR, YEAR_LOOSE):
        for text in texts:
            match = pattern.search(squeeze(text))
            if match:
                reader.form.year = int(match.group(1))
                return
    reader.form.note(None, "表上没有印年度，请补上 year", "no year printed; add year", "year")

"""The funds table's text cells (原因, 得分计算方法) against the columns the profile prints.

A reason or method written in the spec but without its column in ``layout.funds_columns``
(SE313), or on a sub-row the table does not print or where the column is one cell down the
table (SE314), would silently not print; the clerk is told so the text is not lost unnoticed.
"""

from __future__ import annotations

from collections.abc import Iterator

from selfeval_compiler.diagnostics import Diagnostic, make, phrase
from selfeval_compiler.model.amounts import FUND_ROWS
from selfeval_compiler.model.profiles import Profile
from selfeval_compiler.model.spec import Spec
from selfeval_compiler.sources.yaml_loader import JsonPath

TEXT_COLUMNS = ("reason", "method")


def _written(spec: Spec) -> Iterator[tuple[str, str, JsonPath]]:
    """(row, column, path) of every funds text the spec writes, the total row's first."""
    for column in TEXT_COLUMNS:
        if getattr(spec.funds, column):
            yield "total", column, ("funds", column)
    for row in FUND_ROWS:
        for column in TEXT_COLUMNS:
            if getattr(getattr(spec.funds, row), column):
                yield row, column, ("funds", row, column)


def check_funds_texts(spec: Spec, profile: Profile) -> list[Diagnostic]:
    """SE313 for each funds text whose column the profile's funds table does not print;
    SE314 for a sub-row's text where the column is one cell holding the total row's, or
    whose row the table does not print."""
    printed = set(profile.layout.funds_columns)
    rows = set(profile.layout.funds_rows)
    block = profile.layout.funds_text_span == "block"
    found = []
    for row, column, path in _written(spec):
        label = phrase(f"column.{column}")
        if column not in printed:
            found.append(make("SE313", spec.locate(path), column=label))
            continue
        why = (
            phrase("funds-text.block")
            if block and row != "total"
            else phrase("funds-text.no-row")
            if row not in rows and row != "total"
            else None
        )
        if why is not None:
            found.append(
                make("SE314", spec.locate(path), row=phrase(f"funds.{row}"), column=label, why=why)
            )
    return found

"""The funds table's text cells (原因, 得分计算方法) against the columns the profile prints.

A reason or method written in the spec but without its column in ``layout.funds_columns``
would silently not print; the clerk is told (SE313) so the text is not lost unnoticed.
"""

from __future__ import annotations

from collections.abc import Iterator

from selfeval_compiler.diagnostics import Diagnostic, make, phrase
from selfeval_compiler.model.amounts import FUND_ROWS
from selfeval_compiler.model.profiles import Profile
from selfeval_compiler.model.spec import Spec
from selfeval_compiler.sources.yaml_loader import JsonPath

TEXT_COLUMNS = ("reason", "method")


def _written(spec: Spec) -> Iterator[tuple[str, JsonPath]]:
    """(column, path) of every funds text the spec writes, the total row's first."""
    for column in TEXT_COLUMNS:
        if getattr(spec.funds, column):
            yield column, ("funds", column)
    for row in FUND_ROWS:
        for column in TEXT_COLUMNS:
            if getattr(getattr(spec.funds, row), column):
                yield column, ("funds", row, column)


def check_funds_texts(spec: Spec, profile: Profile) -> list[Diagnostic]:
    """SE313 for each funds text whose column the profile's funds table does not print."""
    printed = set(profile.layout.funds_columns)
    return [
        make("SE313", spec.locate(path), column=phrase(f"column.{column}"))
        for column, path in _written(spec)
        if column not in printed
    ]

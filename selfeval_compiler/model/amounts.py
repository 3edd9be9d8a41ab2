"""Amounts as a form prints them: a quoted ``"215,457.60"`` is 215457.60.

Published forms and Excel print amounts with thousands separators, and clerks copy them.
YAML would split a bare ``1,234.50`` in a flow mapping (SE017 says so); a quoted one is text,
which this step reads as the number it shows before the schema sees it. Only funds amounts
are read this way, and only in the grouped form (1,234 or 1,234.5), never other text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from selfeval_compiler.sources.yaml_loader import MAX_DECIMAL_PLACES, MAX_WHOLE_DIGITS, Document

FUND_ROWS = ("current_year", "carried_over", "other", "special_account", "unit_funds")
"""The funds table's sub-rows, in printed order (their labels are the profile's)."""
AMOUNT_COLUMNS = ("initial", "annual", "executed")
_FACTORS = {("元", "万元"): Decimal("0.0001"), ("万元", "元"): Decimal(10000)}


AMOUNT_UNITS = ("万元", "元")
"""The units an amount can be converted between exactly (a summary converts only these)."""


def convertible(source: str, target: str) -> bool:
    """Whether an amount in ``source`` can be stated exactly in ``target``."""
    return source == target or (source, target) in _FACTORS


def unit_factor(source: str, target: str) -> Decimal:
    """What an amount in ``source`` (元 or 万元) is multiplied by to be in ``target``: exact."""
    return _FACTORS.get((source, target), Decimal(1))


_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _grouped(text: str) -> Decimal | None:
    if not _GROUPED.fullmatch(text.strip()):
        return None
    value = Decimal(text.strip().replace(",", ""))
    exponent = int(value.as_tuple().exponent)
    if value.adjusted() >= MAX_WHOLE_DIGITS or exponent < -MAX_DECIMAL_PLACES:
        return None  # left as text: the schema reports it
    return value


def read_written_amounts(document: Document) -> None:
    """Replace quoted grouped amounts in ``funds`` by their numbers, in place."""
    data: Any = document.data
    funds = data.get("funds") if isinstance(data, dict) else None
    if not isinstance(funds, dict):
        return
    for row_name in (*FUND_ROWS, "total"):
        row = funds.get(row_name)
        if not isinstance(row, dict):
            continue
        for column in AMOUNT_COLUMNS:
            value = row.get(column)
            if isinstance(value, str):
                number = _grouped(value)
                if number is not None:
                    row[column] = number

"""Scored form → JSON: every derived figure as a decimal string, as the form prints it."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from selfeval_compiler import __version__
from selfeval_compiler.rules.rounding import plain
from selfeval_compiler.rules.scoring import ScoredForm, ScoredFundRow


def _row(row: ScoredFundRow, amount_places: int, places: int) -> dict[str, str]:
    return {
        "label": row.label,
        "initial": plain(row.initial, amount_places),
        "annual": plain(row.annual, amount_places),
        "executed": plain(row.executed, amount_places),
        "execution_rate": plain(row.rate, places),
    }


def form_to_data(form: ScoredForm) -> dict[str, Any]:
    profile = form.profile
    places = profile.rounding_places
    amount_places = profile.amount_places
    spec = form.spec

    def figure(value: Decimal) -> str:
        return plain(value, places)

    return {
        "selfeval": __version__,
        "year": spec.year,
        "project": spec.project,
        "department": spec.department,
        "unit": spec.unit,
        "profile": profile.name,
        "amount_unit": profile.amount_unit,
        "funds": {
            "weight": figure(form.funds.weight),
            "score": figure(form.funds.score),
            "total": _row(form.funds.total, amount_places, places),
            "rows": {row.key: _row(row, amount_places, places) for row in form.funds.rows},
        },
        "indicators": [
            {
                "level1": item.indicator.level1,
                "level2": item.indicator.level2,
                "name": item.indicator.name,
                "target": item.indicator.target,
                "actual": item.indicator.actual,
                "weight": figure(item.indicator.weight),
                "score": figure(item.score),
                "basis": item.basis,
                "deviation": item.indicator.deviation,
            }
            for item in form.indicators
        ],
        "total_weight": figure(profile.total_weight),
        "total": figure(form.total),
        "grade": form.grade,
    }


def form_to_json(form: ScoredForm) -> str:
    return json.dumps(form_to_data(form), ensure_ascii=False, indent=2) + "\n"

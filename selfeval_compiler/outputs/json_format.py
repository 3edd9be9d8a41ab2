"""The presentation model → JSON: every figure as the text the form prints, nothing re-formatted."""

from __future__ import annotations

import json
from typing import Any

from selfeval_compiler import __version__
from selfeval_compiler.forms.self_evaluation import Column, FundsLine, SelfEvaluationForm, flat


def _row(row: FundsLine) -> dict[str, str]:
    return {
        "label": flat(row.label),
        "initial": row.initial,
        "annual": row.annual,
        "executed": row.executed,
        "execution_rate": row.rate,
    }


def _printed(row: FundsLine, columns: tuple[Column, ...]) -> dict[str, str]:
    """Each column's cell of a funds row as the table prints it, in the layout's order: a
    figure, a blank, the not-applicable glyph, a 原因 or 得分计算方法 text."""
    return {column.key: cell.text for column, cell in zip(columns, row.cells, strict=True)}


def form_to_data(form: SelfEvaluationForm) -> dict[str, Any]:
    total = form.funds_total
    return {
        "selfeval": __version__,
        "year": form.year,
        "project": form.project,
        "department": form.department,
        "unit": form.unit,
        "profile": form.profile,
        "amount_unit": form.amount_unit,
        "funds": {
            "weight": total.weight,
            "score": total.score,
            "label": flat(form.funds_label),
            "columns": [
                {"key": column.key, "label": flat(column.label)} for column in form.funds_columns
            ],
            "total": _row(total),
            "rows": {row.key: _row(row) for row in form.funds_rows},
            "printed": {
                row.key: _printed(row, form.funds_columns) for row in (total, *form.funds_rows)
            },
        },
        "indicators": [
            {
                "level1": line.level1,
                "level2": line.level2,
                "name": line.name,
                "target": line.target,
                "actual": line.actual,
                "weight": line.weight,
                "score": line.score,
                "basis": line.basis,
                "deviation": line.deviation or None,
            }
            for line in form.indicators
            if not line.blank
        ],
        "total_weight": form.total_weight,
        "total": form.total,
        "grade": form.grade,
    }


def form_to_json(form: SelfEvaluationForm) -> str:
    return json.dumps(form_to_data(form), ensure_ascii=False, indent=2) + "\n"

"""The presentation model → JSON: every figure as the text the form prints, nothing re-formatted."""

from __future__ import annotations

import json
from typing import Any

from selfeval_compiler import __version__
from selfeval_compiler.forms.self_evaluation import (
    Column,
    FundsLine,
    IndicatorLine,
    SelfEvaluationForm,
    flat,
)

EXTRA_COLUMNS = ("nature", "unit", "explanation", "method", "remark")
"""Indicator columns some layouts print; each is in the JSON where the form prints it."""


def _row(row: FundsLine) -> dict[str, str]:
    return {
        "label": flat(row.label),
        "initial": row.initial,
        "annual": row.annual,
        "executed": row.executed,
        "execution_rate": row.rate,
    }


def _indicator(line: IndicatorLine, extra: tuple[str, ...]) -> dict[str, Any]:
    """One indicator: its values (a met row's target and actual too, where the layout prints
    those cells empty) and every extra column the form prints."""
    data: dict[str, Any] = {
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
    if line.number:
        data["number"] = line.number
    for key in extra:
        data[key] = getattr(line, key)
    return data


def _layout_parts(form: SelfEvaluationForm) -> dict[str, Any]:
    """What the blocks around the tables print, where the layout prints them."""
    data: dict[str, Any] = {}
    printed = {block for section in form.sections for block in (section.kind, *section.blocks)}
    if "header" in printed and any(row.text for row in form.header_rows):
        data["header"] = {flat(row.label): row.text for row in form.header_rows}
    if form.choices and "basic" in printed:
        data["choices"] = {
            flat(choice.label): [option for box, option in choice.options if box == "☑"]
            for choice in form.choices
        }
    if "goals" in printed:
        data["goals"] = {part.key: part.text for part in form.goals_parts}
    if "trailer" in printed:
        data["trailer"] = {flat(row.label): row.text for row in form.trailer}
    if "signatures" in printed and any(row.text for row in form.signature_rows):
        data["signatures"] = {flat(row.label): row.text for row in form.signature_rows}
    return data


def _printed(row: FundsLine, columns: tuple[Column, ...]) -> dict[str, str]:
    """Each column's cell of a funds row as the table prints it, in the layout's order: a
    figure, a blank, the not-applicable glyph, a 原因 or 得分计算方法 text."""
    return {column.key: cell.text for column, cell in zip(columns, row.cells, strict=True)}


def form_to_data(form: SelfEvaluationForm) -> dict[str, Any]:
    total = form.funds_total
    extra = tuple(key for key in EXTRA_COLUMNS if key in {c.key for c in form.indicator_columns})
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
        "indicators": [_indicator(line, extra) for line in form.indicators if not line.blank],
        "total_weight": form.total_weight,
        "total": form.total,
        "grade": form.grade,
        **_layout_parts(form),
    }


def form_to_json(form: SelfEvaluationForm) -> str:
    return json.dumps(form_to_data(form), ensure_ascii=False, indent=2) + "\n"

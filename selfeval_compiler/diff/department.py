"""The printed facts of a 部门整体支出绩效自评表, for the diff: every cell the form prints,
labelled with the profile's own words (``指标得分(分)·预算完成率 2 → 1.5``)."""

from __future__ import annotations

from collections.abc import Iterator

from selfeval_compiler.forms.department import DepartmentPresentation
from selfeval_compiler.forms.self_evaluation import flat

DepartmentFact = tuple[str, str, str, bool]
"""key, label, value, derived: a :class:`~selfeval_compiler.diff.compare.Fact`'s fields."""

_FUNDS = (
    ("initial", False),
    ("annual", False),
    ("executed", False),
    ("rate", True),
    ("weight", False),
    ("score", True),
)
_INDICATOR = (
    ("measure_unit", "unit", False),
    ("nature", "nature", False),
    ("target", "target", False),
    ("adjusted", "adjusted", False),
    ("actual", "actual", False),
    ("coefficient", "coefficient", True),
    ("indicator_weight", "weight", False),
    ("indicator_score", "score", True),
    ("core", "core", False),
)


def department_facts(form: DepartmentPresentation) -> Iterator[DepartmentFact]:
    """Identity, funds rows, goals, each indicator's cells, and 自评总分 (key ``total``)."""
    labels = {key: flat(text) for key, text in form.labels.items()}
    yield ("form", "表", flat(form.title), False)
    yield ("year", "年度", str(form.year), False)
    for key in ("unit", "department", "finance_office", "contact", "phone"):
        yield (key, labels[key], getattr(form, key), False)
    for row in form.funds:
        for column, derived in _FUNDS:
            label = f"{row.label}·{labels[column]}"
            yield (f"funds.{row.label}.{column}", label, getattr(row, column), derived)
    for key in ("goals_initial", "goals_adjusted", "goals_actual"):
        yield (key, labels[key], getattr(form, key), False)
    for line in form.indicators:
        where = "·".join(part for part in (line.level1, line.level2, line.name) if part)
        for label_key, field_name, derived in _INDICATOR:
            value = getattr(line, field_name)
            key = f"indicator.{where}.{field_name}"
            yield (key, f"{where}·{labels[label_key]}", value, derived)
    yield ("total", labels["total"], form.total, True)

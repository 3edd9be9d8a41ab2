"""``diff`` compares everything a form prints: each field of the presentation models
(:func:`present`, :func:`present_goals`) changed in turn must show as a change, and a
project renamed, a unit or department changed, a long text changed after its first forty
characters, is never "unchanged"."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from helpers import BASE, write
from test_diff import edit

from selfeval_compiler import api
from selfeval_compiler.diff.compare import Fact, goals_printed_facts, printed_facts
from selfeval_compiler.forms.goals import GoalsPresentation, present_goals
from selfeval_compiler.forms.self_evaluation import SelfEvaluationForm, present
from selfeval_compiler.rules.goals import GoalsForm
from selfeval_compiler.rules.scoring import ScoredForm

DERIVED = {
    # Fields made of other printed fields (or not printed): changing one alone cannot happen.
    "SelfEvaluationForm.form_name": "the title without its year (metadata)",
    "SelfEvaluationForm.year_line": "the year line's label and the year",
    "SelfEvaluationForm.funds_label": "the funds label and the amount unit",
    "SelfEvaluationForm.funds_rowspan": "the number of funds rows",
    "SelfEvaluationForm.funds_corner": "the corner label and the amount unit",
    "SelfEvaluationForm.funds_grid": "the funds columns' widths, from the columns",
    "SelfEvaluationForm.total_label_span": "the indicator columns",
    "SelfEvaluationForm.total_cells": "the weights' sum and the total",
    "SelfEvaluationForm.default_indicator_grid": "the indicator columns",
    "FundsLine.key": "the row's name in the layout: it prints its label",
    "FundsLine.label": "the row's label in labels",
    "FundsLine.cells": "the row's figures, the glyph, and whether it prints blank",
    "Column.label": "the column's label in labels",
    "Column.span": "its width, from the columns",
    "SelfEvaluationForm.trailer_label_span": "the indicator heading's place",
    "SelfEvaluationForm.grade_label_span": "the indicator heading's place",
    "SelfEvaluationForm.grid_columns": "the indicator columns and the heading's place",
    "SelfEvaluationForm.goals_expected": "printed as a goals part (goals_parts)",
    "SelfEvaluationForm.goals_actual": "printed as a goals part (goals_parts)",
    "GoalsPart.span": "its width, from the number of parts",
    "GoalsPart.label": "the part's label in labels",
    "IndicatorLine.level1_span": "the rows of the 一级",
    "IndicatorLine.level2_span": "the rows of the 二级",
    "IndicatorLine.basis": "how the score came about: not printed, the score is",
    "IndicatorLine.blank": "a template row: printed as its 二级 with empty cells",
    "GoalsPresentation.form_name": "the title without its year (metadata)",
    "GoalsPresentation.funds_label": "the funds label and the amount unit",
    "GoalLine.level1_span": "the rows of the 一级",
    "GoalLine.level2_span": "the rows of the 二级",
}


LINES = ("header_lines", "signature_row", "footnotes")
"""Tuples of printed lines: a line added is a change too."""


def _leaf(value: Any) -> Iterator[Any]:
    if isinstance(value, bool):
        yield not value
    elif isinstance(value, int):
        yield value + 1
    elif isinstance(value, str):
        yield value + "改"
    # None: nothing printed (a sub-row's 分值 prints the glyph of the layout)


def _mutations(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """(where, the value with one printed leaf changed) for every leaf under ``value``."""
    if is_dataclass(value) and not isinstance(value, type):
        for item in fields(value):
            if f"{type(value).__name__}.{item.name}" in DERIVED:
                continue
            for where, new in _mutations(getattr(value, item.name), f"{path}.{item.name}"):
                yield where, replace(value, **{item.name: new})
    elif isinstance(value, tuple):
        for index, member in enumerate(value):
            for where, new in _mutations(member, f"{path}[{index}]"):
                yield where, (*value[:index], new, *value[index + 1 :])
        if path.rsplit(".", 1)[-1] in LINES:
            yield f"{path}[+]", (*value, "新增一行")
    elif isinstance(value, dict):
        for key, member in value.items():
            for where, new in _mutations(member, f"{path}[{key}]"):
                yield where, {**value, key: new}
    else:
        yield from ((path, new) for new in _leaf(value))


def _values(found: Iterator[Fact]) -> dict[str, str]:
    return {fact.key: fact.value for fact in found}


def _scored(tmp_path: Path, profile: str | None) -> ScoredForm:
    data = copy.deepcopy(BASE)
    if profile is not None:
        for path in (REPO / "examples" / "profiles").glob("*.profile.yaml"):
            shutil.copy(path, tmp_path)  # one may extend another
        data["profile"] = f"{profile}.profile.yaml"
    (tmp_path / ".git").mkdir(exist_ok=True)
    compiled = api.check([write(tmp_path, data)]).compiled[0]
    assert isinstance(compiled.printed, ScoredForm), compiled.diagnostics
    return compiled.printed


@pytest.mark.parametrize("profile", [None, "sichuan", "hubei-district", "shanghai-district"])
def test_every_printed_field_of_a_self_evaluation_is_compared(
    tmp_path: Path, profile: str | None
) -> None:
    form = present(_scored(tmp_path, profile))
    before = _values(printed_facts(form))
    checked = 0
    for where, changed in _mutations(form, "form"):
        assert isinstance(changed, SelfEvaluationForm)
        assert _values(printed_facts(changed)) != before, f"{where} changed, diff is silent"
        checked += 1
    assert checked > 100


def test_every_printed_field_of_a_goals_form_is_compared() -> None:
    example = REPO / "examples" / "goals" / "chaiwei-2026.yaml"
    compiled = api.check([example], form="goals").compiled[0]
    assert isinstance(compiled.printed, GoalsForm), compiled.diagnostics
    form = present_goals(compiled.printed)
    before = _values(goals_printed_facts(form))
    checked = 0
    for where, changed in _mutations(form, "goals"):
        assert isinstance(changed, GoalsPresentation)
        assert _values(goals_printed_facts(changed)) != before, f"{where} changed, diff is silent"
        checked += 1
    assert checked > 30


FIRST = "specs/unit/01-jiguan-fuwufei.yaml"


@pytest.mark.parametrize(
    ("old", "new", "label"),
    [
        ("project: 机关服务费", "project: 机关后勤服务费", "项目名称"),
        ("赋予驻外办的工作职责", "赋予驻外办的全部工作职责", "实际完成情况"),
    ],
    ids=["project-renamed", "long-text-after-forty-characters"],
)
def test_a_renamed_project_or_a_late_edit_in_a_long_text_is_a_change(
    repo: Path, old: str, new: str, label: str
) -> None:
    edit(repo / FIRST, old, new)
    report = api.diff(cwd=repo)
    (project,) = [p for p in report.projects if p.status != "unchanged"]
    assert project.status == "changed"
    labels = [change.label for change in project.changes]
    assert any(label in shown for shown in labels), labels
    (change,) = [c for c in project.changes if label in c.label]
    assert change.old != change.new  # the report shows where they differ


def test_a_unit_or_department_changed_in_the_defaults_is_a_change(repo: Path) -> None:
    defaults = repo / "specs/unit/_defaults.yaml"
    for name in ("上海市人民政府驻新疆办事处", "上海市人民政府合作交流办公室"):
        edit(defaults, f"{name} ", f"{name}（新） ")
    report = api.diff(cwd=repo)
    assert report.count("unchanged") == 0
    for project in report.projects:
        labels = {change.label for change in project.changes}
        assert {"实施单位", "主管部门"} <= labels, labels

"""A form that runs onto a second page (#11): the merged 一级 and 二级 cells continue there
with their names (产出指标（续）), and the header row repeats."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from helpers import BASE, compile_one

from selfeval_compiler.diagnostics import Location
from selfeval_compiler.forms.self_evaluation import continued, present
from selfeval_compiler.outputs.render import render_form
from selfeval_compiler.rules.scoring import ScoredForm


def _long(tmp_path: Path) -> ScoredForm:
    data = copy.deepcopy(BASE)
    data["indicators"]["产出指标"]["数量指标"] = [
        {"name": f"第{i}项工作量", "target": "≥1(次)", "actual": "2(次)", "weight": 1}
        for i in range(1, 31)
    ]
    data["indicators"]["产出指标"]["质量指标"][0]["weight"] = 20
    compiled = compile_one(tmp_path, data)
    assert compiled.form is not None, compiled.diagnostics
    return compiled.form


def test_continued_splits_merged_cells_where_a_page_starts(tmp_path: Path) -> None:
    form = present(_long(tmp_path))
    split = continued(form, {22})
    spans = [(line.level1_span, line.level2_span) for line in split.indicators]
    assert spans[0] == (22, 22)
    assert spans[22] == (9, 8)  # the rest of 产出 (8 数量 + 1 质量) and of 数量
    assert split.indicators[22].level1 == "产出指标（续）"
    assert split.indicators[22].level2 == "数量指标（续）"
    assert sum(line.level1_span for line in split.indicators) == len(split.indicators)
    assert sum(line.level2_span for line in split.indicators) == len(split.indicators)
    assert continued(form, set()) == form


@pytest.mark.slow
def test_a_two_page_form_names_its_continued_cells(tmp_path: Path) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    rendered = render_form(_long(tmp_path), ["pdf"], created=None, where=Location("a.yaml"))
    assert rendered.ok, rendered.diagnostics
    ((_, data),) = rendered.outputs
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) == 2
    second = re.sub(r"\s+", "", reader.pages[1].extract_text())
    assert "产出指标（续）" in second
    assert "数量指标（续）" in second
    assert "一级指标" in second  # the header row repeats
    first = re.sub(r"\s+", "", reader.pages[0].extract_text())
    assert "（续）" not in first

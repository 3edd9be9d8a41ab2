"""A property of the xlsx round trip: any spec that builds, exported and imported again,
builds to the same figures (run in-process, without the reading sandbox, for speed)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from helpers import to_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval_compiler.forms.self_evaluation import present
from selfeval_compiler.importers.recognise import read_forms
from selfeval_compiler.importers.spec_text import spec_text
from selfeval_compiler.importers.vocabulary import Vocabulary
from selfeval_compiler.importers.workbook import read_xlsx
from selfeval_compiler.model.profiles import load_profile
from selfeval_compiler.outputs.json_format import form_to_json
from selfeval_compiler.outputs.xlsx_format import form_to_xlsx
from selfeval_compiler.rules.compiler import compile_batch
from selfeval_compiler.sources.discovery import SpecFile

amounts = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False)
names = (
    st.text(
        alphabet=st.sampled_from("项目培训人次合格率满意度设备采购维护资金甲乙丙ABC 12-（）%"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
targets = st.one_of(
    st.sampled_from(["≥90%", "100%", "=100(%)", "≤5天", "0次", "合理", "≥20人次", "达成"]),
    names,
)
actuals = st.one_of(
    st.sampled_from(["达成指标", "95%", "100.00(%)", "3天", "25人次"]),
    st.sampled_from(["部分达成年度指标并具有一定效果"]),
)


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    annual = draw(amounts)
    executed = draw(st.decimals(min_value=0, max_value=annual, places=2, allow_nan=False))
    weights = draw(st.lists(st.integers(1, 30), min_size=2, max_size=6))
    weights[-1] += max(0, 90 - sum(weights))
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for index, weight in enumerate(weights):
        level1 = ["产出指标", "效益指标", "满意度指标"][index % 3]
        level2 = {"产出指标": "数量指标", "效益指标": "社会效益指标"}.get(
            level1, "服务对象满意度指标"
        )
        actual = draw(actuals)
        item: dict[str, Any] = {
            "name": f"{draw(names)}{index}",
            "target": draw(targets),
            "actual": actual,
            "weight": weight,
        }
        if actual.startswith("部分"):
            item["score"] = Decimal(weight) * Decimal("0.7")
            item["deviation"] = "进度滞后"
        groups.setdefault(level1, {}).setdefault(level2, []).append(item)
    return {
        "year": 2023,
        "project": draw(names),
        "department": "某局",
        "unit": draw(names),
        "funds": {
            "weight": 10,
            "current_year": {"initial": annual, "annual": annual, "executed": executed},
        },
        "goals": {"expected": draw(names), "actual": draw(names)},
        "indicators": groups,
    }


def _figures(path: Path) -> dict[str, Any] | None:
    (compiled,) = compile_batch([SpecFile(path, path.name, PurePosixPath(path.name), path.parent)])
    if compiled.form is None:
        return None
    data = json.loads(form_to_json(present(compiled.form)))
    return {key: data[key] for key in ("funds", "indicators", "total", "grade", "project")}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=specs())
def test_xlsx_round_trip_keeps_every_figure(data: dict[str, Any], tmp_path: Path) -> None:
    original = tmp_path / "original.yaml"
    original.write_text(to_yaml(data), "utf-8")
    before = _figures(original)
    if before is None:
        return  # a generated spec with errors has no workbook to round-trip
    (compiled,) = compile_batch([SpecFile(original, "o", PurePosixPath("o"), tmp_path)])
    assert compiled.form is not None
    workbook = tmp_path / "form.xlsx"
    workbook.write_bytes(form_to_xlsx(present(compiled.form), None))
    grids, uncached = read_xlsx(workbook)
    assert not uncached
    (form,) = [f for grid in grids for f in read_forms(grid, Vocabulary())]
    profile = load_profile()
    imported = tmp_path / "imported.yaml"
    imported.write_text(spec_text(form, profile, None, "", "test"), "utf-8")
    assert _figures(imported) == before

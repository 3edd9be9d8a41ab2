"""Hierarchy and weight rules (RULES.md §2, §4)."""

from __future__ import annotations

import copy
from pathlib import Path

from helpers import BASE, D, codes, compile_one, spec


def indicators(**levels: object) -> dict[str, object]:
    return spec(indicators=levels)


def item(name: str, weight: int) -> dict[str, object]:
    return {"name": name, "target": "达成", "actual": "达成", "weight": weight}


def test_level2_under_the_wrong_level1(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["indicators"]["效益指标"]["数量指标"] = data["indicators"]["产出指标"].pop("数量指标")
    compiled = compile_one(tmp_path, data)
    assert sorted(codes(compiled)) == ["SE202", "SE502", "SE502"]  # 产出 20 / 效益 60: warnings
    diagnostic = next(d for d in compiled.diagnostics if d.code == "SE202")
    assert "应在：产出指标" in diagnostic.message_zh
    text = (tmp_path / "form.yaml").read_text("utf-8").splitlines()
    assert text[diagnostic.location.line - 1].strip().startswith("数量指标:")


def test_unknown_level1(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["indicators"]["影响指标"] = data["indicators"].pop("满意度指标")
    assert codes(compile_one(tmp_path, data)) == ["SE201"]


def test_level2_names_with_or_without_the_suffix(tmp_path: Path) -> None:
    data = indicators(
        产出指标={"数量": [item("a", 30)], "质量指标": [item("b", 20)]},
        效益指标={"社会效益": [item("c", 30)]},
        满意度指标={"服务对象满意度": [item("d", 10)]},
    )
    compiled = compile_one(tmp_path, data)
    assert compiled.diagnostics == []


def test_cost_as_its_own_level1_is_accepted(tmp_path: Path) -> None:
    data = indicators(
        产出指标={"数量指标": [item("a", 40)]},
        成本指标={"经济成本指标": [item("b", 10)]},
        效益指标={"社会效益指标": [item("c", 30)]},
        满意度指标={"服务对象满意度指标": [item("d", 10)]},
    )
    compiled = compile_one(tmp_path, data)
    assert [d.code for d in compiled.diagnostics] == ["SE502"]  # 产出 40 of 50: a warning
    assert compiled.form is not None
    assert compiled.form.total == D("99.50")


def test_duplicate_level3_names(tmp_path: Path) -> None:
    data = indicators(
        产出指标={"数量指标": [item("培训人次", 25), item("培训人次", 25)]},
        效益指标={"社会效益指标": [item("c", 30)]},
        满意度指标={"服务对象满意度指标": [item("d", 10)]},
    )
    assert codes(compile_one(tmp_path, data)) == ["SE203"]


def test_weights_must_total_100(tmp_path: Path) -> None:
    # A Sichuan form: 70/20/10 + 10 = 110 while 总分 still said 100.
    data = indicators(
        产出指标={"数量指标": [item("a", 70)]},
        效益指标={"社会效益指标": [item("c", 20)]},
        满意度指标={"服务对象满意度指标": [item("d", 10)]},
    )
    compiled = compile_one(tmp_path, data)
    assert sorted(codes(compiled)) == ["SE501", "SE502", "SE502"]
    total = next(d for d in compiled.diagnostics if d.code == "SE501")
    assert "110" in total.message_zh


def test_level1_weight_severity_comes_from_the_profile(tmp_path: Path) -> None:
    data = indicators(
        产出指标={"数量指标": [item("a", 60)]},
        效益指标={"社会效益指标": [item("c", 20)]},
        满意度指标={"服务对象满意度指标": [item("d", 10)]},
    )
    warned = compile_one(tmp_path, data)
    assert {d.severity.value for d in warned.diagnostics} == {"warning"}
    data["profile"] = "custom.profile.yaml"
    strict = compile_one(tmp_path, data, "extends: mof-2020\nweight_mismatch_severity: error\n")
    assert {d.severity.value for d in strict.diagnostics} == {"error"}


def test_funds_weight_differs_from_profile(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["weight"] = 20
    data["indicators"]["产出指标"]["数量指标"][0]["weight"] = 20
    assert sorted(codes(compile_one(tmp_path, data))) == ["SE502", "SE503"]

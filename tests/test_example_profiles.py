"""The regional profiles under examples/profiles load, and change what they say they change."""

from __future__ import annotations

import copy
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO
from helpers import BASE, D, codes, write

from selfeval_compiler import api
from selfeval_compiler.model.profiles import load_profile
from selfeval_compiler.rules.compiler import CompiledSpec

EXAMPLES = sorted((REPO / "examples" / "profiles").glob("*.profile.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_profile_loads(path: Path) -> None:
    profile = load_profile(path.name, path)
    assert profile.name == path.name.removesuffix(".profile.yaml")


def compile_with(tmp_path: Path, profile: str, data: dict[str, object]) -> CompiledSpec:
    shutil.copy(REPO / "examples" / "profiles" / f"{profile}.profile.yaml", tmp_path)
    (tmp_path / ".git").mkdir(exist_ok=True)
    data = dict(data, profile=f"{profile}.profile.yaml")
    return api.check([write(tmp_path, data)]).compiled[0]


def test_hubei_budget_execution_worth_20_and_bands_80_50(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["weight"] = 20
    data["indicators"]["产出指标"]["数量指标"][0].update(
        weight=20, actual="未达成年度指标且效果较差", score=10, deviation="未完成"
    )
    compiled = compile_with(tmp_path, "hubei", data)
    assert codes(compiled) == [], compiled.diagnostics
    assert compiled.form is not None
    assert compiled.form.funds.score == D("19.00")  # 20 × 95 %
    data["indicators"]["产出指标"]["数量指标"][0]["score"] = 11  # above the 50 % band
    assert codes(compile_with(tmp_path, "hubei", data)) == ["SE302"]


def test_shanghai_district_rounds_half_up_in_yuan(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["current_year"] = {
        "initial": D("250000"),
        "annual": D("250000"),
        "executed": D("215457.6"),
    }
    compiled = compile_with(tmp_path, "shanghai-district", data)
    assert compiled.form is not None
    assert compiled.form.funds.score == D("8.62")
    assert compiled.form.profile.amount_unit == "元"
    assert not compiled.form.profile.grade_row


def test_vendor_grades_and_linear_excess(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["indicators"]["产出指标"]["数量指标"][0].update(
        target="≤5次", actual="8次", deviation="超出"
    )
    compiled = compile_with(tmp_path, "vendor-80-70-60", data)
    assert compiled.form is not None
    assert compiled.form.indicators[0].score == D("12.00")  # 30 × (1 − 3/5)
    assert compiled.form.total == D("81.50")
    assert compiled.form.grade == "优"  # 优 from 80 in this system; 良 under mof-2020


def test_sichuan_and_guangxi_deviation_rules(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["current_year"]["executed"] = Decimal("85.00")
    assert codes(compile_with(tmp_path, "sichuan", data)) == ["SE403"]
    data = copy.deepcopy(BASE)
    data["indicators"]["产出指标"]["数量指标"][0]["actual"] = "27(次)"  # 135 % of ≥20
    assert codes(compile_with(tmp_path, "guangxi", data)) == ["SE308"]

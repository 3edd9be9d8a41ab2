"""Building small specs for tests: Python data → YAML text → a compiled spec."""

from __future__ import annotations

import copy
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from selfeval_compiler import api
from selfeval_compiler.rules.compiler import CompiledSpec


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # selfeval refuses anchors; write shared values out in full


_Dumper.add_representer(
    Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value))
)


def D(text: str) -> Decimal:
    return Decimal(text)


BASE: dict[str, Any] = {
    "year": 2023,
    "project": "测试项目",
    "department": "某某主管部门",
    "unit": "某某实施单位",
    "funds": {
        "weight": 10,
        "current_year": {"initial": D("100.00"), "annual": D("100.00"), "executed": D("95.00")},
        "carried_over": {"initial": 0, "annual": 0, "executed": 0},
        "other": {"initial": 0, "annual": 0, "executed": 0},
    },
    "goals": {"expected": "完成年度任务。", "actual": "完成了年度任务。"},
    "indicators": {
        "产出指标": {
            "数量指标": [
                {"name": "培训人次", "target": "≥20(次)", "actual": "25(次)", "weight": 30}
            ],
            "质量指标": [{"name": "合格率", "target": "100%", "actual": "达成指标", "weight": 20}],
        },
        "效益指标": {
            "社会效益指标": [
                {"name": "社会影响", "target": "明显", "actual": "明显", "weight": 30}
            ],
        },
        "满意度指标": {
            "服务对象满意度指标": [
                {"name": "服务对象满意度", "target": "≥90%", "actual": "95%", "weight": 10}
            ],
        },
    },
}


def spec(**changes: Any) -> dict[str, Any]:
    """A deep copy of BASE with top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def first_indicator(**fields: Any) -> dict[str, Any]:
    """BASE with its first indicator (产出/数量, weight 30) changed."""
    data = copy.deepcopy(BASE)
    data["indicators"]["产出指标"]["数量指标"][0].update(fields)
    return data


def to_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def write(folder: Path, data: dict[str, Any] | str, name: str = "form.yaml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else to_yaml(data), encoding="utf-8")
    return path


def compile_one(
    folder: Path,
    data: dict[str, Any] | str,
    profile: str | None = None,
) -> CompiledSpec:
    """Write ``data`` (and a ``custom.profile.yaml`` when given) and compile it."""
    if profile is not None:
        (folder / "custom.profile.yaml").write_text(profile, encoding="utf-8")
    path = write(folder, data)
    report = api.check([path])
    assert len(report.compiled) == 1
    return report.compiled[0]


def codes(compiled: CompiledSpec) -> list[str]:
    return [d.code for d in compiled.diagnostics]


def git(repo: Path, *args: str, stdin: str | bytes | None = None) -> str:
    """Run git in ``repo`` as a test author would (a fixed identity), returning its output."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        ["git", "-c", "user.email=ci@example.invalid", "-c", "user.name=CI", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        input=data,
    ).stdout.decode()

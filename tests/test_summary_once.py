"""A summary counts each form once however its folders are named, and never adds amounts
in one unit into another's: 元 is converted exactly into 万元, a unit it cannot convert
exactly is left out and reported (SE607, exit 1)."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SEED_FOLDER, run_cli

from selfeval_compiler import api


@pytest.fixture(scope="module")
def seed_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed forms built as JSON into ``build/unit``."""
    root = tmp_path_factory.mktemp("once")
    shutil.copytree(SEED_FOLDER, root / "specs" / "unit")
    assert api.build([root / "specs"], root / "build", formats=["json"]).errors == 0
    assert len(list((root / "build" / "unit").glob("*.json"))) == 5
    return root / "build"


def _summary(builds: list[Path], output: Path) -> tuple[api.SummaryReport, dict[str, object]]:
    report = api.summary(builds, output, formats=["json"])
    data: dict[str, object] = json.loads((output / "summary.json").read_text("utf-8"))
    return report, data


@pytest.mark.parametrize(
    "named",
    [
        ["build", "build"],
        ["build", "build/unit", "build"],
        ["build/unit", "build"],
        ["link", "build"],
        ["build", "link/unit"],
    ],
    ids=["twice", "nested", "inner-first", "symlink-to-folder", "symlink-inside"],
)
def test_each_form_is_counted_once_however_its_folders_are_named(
    seed_json: Path, tmp_path: Path, named: list[str]
) -> None:
    root = seed_json.parent
    link = root / "link"
    if not link.is_symlink():
        link.symlink_to(seed_json, target_is_directory=True)
    _, alone = _summary([seed_json], tmp_path / "alone")
    report, data = _summary([root / name for name in named], tmp_path / "named")
    assert report.projects == 5
    assert report.diagnostics == []
    assert data == alone


def _copy_in(seed_json: Path, folder: Path, unit: str, factor: Decimal) -> None:
    """The seed's JSON as another build would have written it in ``unit``."""
    for path in sorted((seed_json / "unit").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        data["amount_unit"] = unit
        total = data["funds"]["total"]
        for key in ("annual", "executed"):
            total[key] = str(Decimal(total[key]) * factor)
        data["project"] += "（另一单位）"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / path.name).write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def test_yuan_is_converted_exactly_never_added_into_wanyuan(
    seed_json: Path, tmp_path: Path
) -> None:
    _copy_in(seed_json, tmp_path / "yuan", "元", Decimal(10000))
    _, alone = _summary([seed_json], tmp_path / "alone")
    report, data = _summary([seed_json, tmp_path / "yuan"], tmp_path / "both")
    assert report.diagnostics == []
    assert report.projects == 10
    factor = {"万元": Decimal(1), "元": Decimal(10000)}[str(data["amount_unit"])]
    single, double = alone["total"], data["total"]
    assert isinstance(single, dict)
    assert isinstance(double, dict)
    for key in ("annual", "executed"):  # 334.28 万元 twice, exactly, in the unit it names
        assert Decimal(double[key]) == 2 * Decimal(single[key]) * factor


def test_a_unit_that_cannot_be_converted_is_left_out_and_reported(
    seed_json: Path, tmp_path: Path
) -> None:
    _copy_in(seed_json, tmp_path / "thousand", "千元", Decimal(10))
    _, alone = _summary([seed_json], tmp_path / "alone")
    report, data = _summary([seed_json, tmp_path / "thousand"], tmp_path / "both")
    assert [d.code for d in report.diagnostics] == ["SE607"] * 5
    assert data["total"] == alone["total"]  # nothing added as if it were 万元
    done = run_cli(
        "summary", str(seed_json), str(tmp_path / "thousand"), "-o", str(tmp_path / "cli")
    )
    assert done.returncode == 1
    assert "千元" in done.stdout + done.stderr
    english = run_cli(
        "summary",
        str(seed_json),
        str(tmp_path / "thousand"),
        "-o",
        str(tmp_path / "cli-en"),
        "--lang",
        "en",
    )
    assert "cannot be converted exactly" in english.stdout + english.stderr

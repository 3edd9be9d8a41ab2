"""``rollover`` of several folders into one never lets one spec overwrite another in the same
run, with or without ``--force`` (SE608 on the second, the first stays), and refuses a target
inside the folder it reads (a usage error)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SEED_FOLDER, run_cli

from selfeval_compiler import api

SPEC = "01-jiguan-fuwufei.yaml"


def _two_units(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    first = tmp_path / "specs" / "2023" / "a"
    second = tmp_path / "specs" / "2023" / "b"
    shutil.copytree(SEED_FOLDER, first)
    shutil.copytree(SEED_FOLDER, second)
    spec = second / SPEC
    spec.write_text(spec.read_text("utf-8").replace("project: 机关服务费", "project: 乙单位"))
    return first, second


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_two_sources_never_write_the_same_file(tmp_path: Path, force: bool) -> None:
    first, second = _two_units(tmp_path)
    target = tmp_path / "next"
    report = api.rollover([first, second], 2024, target, force=force)
    codes = [d.code for d in report.diagnostics]
    assert codes.count("SE608") == 6  # five specs and the _defaults.yaml of b
    assert set(codes) == {"SE608"}
    assert all(d.location.file.startswith(str(second)) for d in report.diagnostics)
    rolled = (target / SPEC).read_text("utf-8")
    assert "project: 机关服务费" in rolled  # the first stays
    assert len(report.written) == len(set(report.written)) == 6


def test_a_folder_and_one_inside_it(tmp_path: Path) -> None:
    first, _ = _two_units(tmp_path)
    sub = first / "sub"
    sub.mkdir()
    shutil.copy(first / SPEC, sub / SPEC)
    spec = sub / SPEC
    spec.write_text(spec.read_text("utf-8").replace("project: 机关服务费", "project: 下属单位"))
    target = tmp_path / "next"
    report = api.rollover([sub, first], 2024, target, force=True)
    assert [d.code for d in report.diagnostics] == ["SE608"]
    assert "project: 下属单位" in (target / SPEC).read_text("utf-8")  # the first named stays
    assert not (target / "sub").exists()  # sub's spec is written once, from the first named
    outer = api.rollover([first, sub], 2024, tmp_path / "again")
    assert outer.diagnostics == []  # the same file reached twice is written once


def test_a_target_inside_the_source_is_a_usage_error(tmp_path: Path) -> None:
    first, _ = _two_units(tmp_path)
    source = first.parent
    with pytest.raises(api.UsageError, match="inside"):
        api.rollover([source], 2024, source / "next")
    assert not (source / "next").exists()
    done = run_cli(
        "rollover", "specs/2023", "--year", "2024", "-o", "specs/2023/next", cwd=tmp_path
    )
    assert done.returncode == 2
    assert "specs/2024" in done.stdout + done.stderr
    english = run_cli(
        "rollover",
        "specs/2023",
        "--year",
        "2024",
        "-o",
        "specs/2023/next",
        "--lang",
        "en",
        cwd=tmp_path,
    )
    assert "inside this year's spec folder" in english.stdout + english.stderr

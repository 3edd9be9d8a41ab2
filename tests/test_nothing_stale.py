"""Nothing stale in the output folder (issue #18): every file there describes the current
specs — formats not asked for this time, bundles, ``summary.*``, outputs at an old
``spec_root``, forms finished before Ctrl-C, and the folders of empty shards."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO, SEED_FOLDER, run_cli

from selfeval_compiler import api
from selfeval_compiler.building.lock import Locked, output_lock
from selfeval_compiler.building.record import MANIFEST_NAME, Manifest

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_specs import generate

FIRST = "01-jiguan-fuwufei"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bureau repository (``selfeval.toml``) with the seed folder, worked in."""
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    shutil.copytree(SEED_FOLDER, tmp_path / "specs" / "unit")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _edit_first(root: Path, spec_dir: str = "specs") -> None:
    spec = root / spec_dir / "unit" / f"{FIRST}.yaml"
    text = spec.read_text("utf-8")
    assert "executed: 12.51}" in text
    spec.write_text(text.replace("executed: 12.51}", "executed: 13.00}"), "utf-8")


def _cells(path: Path) -> list[object]:
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]


def test_a_plain_build_keeps_the_workbooks_and_the_summary_current(project: Path) -> None:
    out = project / "out"
    first = api.build([project / "specs"], out, formats=["html", "json", "xlsx"], summary=True)
    assert first.errors == 0
    assert sorted(p.name for p in first.summarised) == [
        "summary.html",
        "summary.json",
        "summary.xlsx",
    ]
    assert Manifest.load(out).summary == ["summary.html", "summary.json", "summary.xlsx"]
    assert 12.51 in _cells(out / "unit" / f"{FIRST}.xlsx")
    _edit_first(project)
    plain = api.build([project / "specs"], out, formats=["html", "json"])  # no xlsx asked
    assert (plain.built, plain.skipped) == (1, 4)
    form_cells = _cells(out / "unit" / f"{FIRST}.xlsx")
    assert 13 in form_cells
    assert 12.51 not in form_cells
    assert 99.28 in form_cells
    assert 98.93 not in form_cells
    folder_cells = _cells(out / "unit" / "_combined.xlsx")
    assert 13 in folder_cells
    assert 12.51 not in folder_cells
    projects = json.loads((out / "summary.json").read_text("utf-8"))["projects"]
    assert (projects[0]["executed"], projects[0]["total"]) == ("13.00", "99.28")
    assert sorted(p.name for p in plain.summarised) == [
        "summary.html",
        "summary.json",
        "summary.xlsx",
    ]
    again = api.build([project / "specs"], out, formats=["html", "json"])
    assert (again.built, again.summarised) == (0, [])


def test_a_format_whose_files_were_deleted_is_no_longer_kept(project: Path) -> None:
    out = project / "out"
    api.build([project / "specs"], out, formats=["json", "xlsx"])
    for workbook in out.rglob("*.xlsx"):
        workbook.unlink()
    report = api.build([project / "specs"], out, formats=["json"])
    assert report.errors == 0
    assert not list(out.rglob("*.xlsx"))
    assert all(o.endswith(".json") for r in Manifest.load(out).specs.values() for o in r.outputs)


def test_a_failing_form_loses_its_outputs_in_every_format(project: Path) -> None:
    out = project / "out"
    api.build([project / "specs"], out, formats=["json", "xlsx"])
    spec = project / "specs" / "unit" / f"{FIRST}.yaml"
    spec.write_text(spec.read_text("utf-8").replace("executed: 12.51}", "executed: x}"), "utf-8")
    report = api.build([project / "specs"], out, formats=["json"])
    assert report.errors > 0
    assert not list(out.rglob(f"{FIRST}.*"))
    assert not (out / "unit" / "_combined.xlsx").exists()


def test_a_new_spec_root_leaves_nothing_at_the_old_paths(project: Path) -> None:
    shutil.move(project / "specs", project / "forms")
    out = project / "out"
    before = api.build([project / "forms"], out, formats=["json", "xlsx"])
    assert before.errors == 0
    assert (out / "forms" / "unit" / f"{FIRST}.json").is_file()
    assert (out / "forms" / "unit" / "_combined.xlsx").is_file()
    (project / "selfeval.toml").write_text('spec_root = "forms"\n', "utf-8")
    after = api.build([project / "forms"], out, formats=["json", "xlsx"])
    assert (after.built, after.skipped) == (5, 0)
    assert (out / "unit" / f"{FIRST}.json").is_file()
    assert (out / "unit" / "_combined.xlsx").is_file()
    assert [p for p in (out / "forms").rglob("*") if p.is_file()] == []
    record = Manifest.load(out)
    assert all(o.startswith("unit/") for r in record.specs.values() for o in r.outputs)
    assert sorted(record.bundles) == ["unit/_combined.xlsx"]


def test_build_summary_is_written_holding_the_lock(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = project / "out"
    original = api._write_summary
    held: list[bool] = []

    def checked(folders: list[Path], output: Path, wanted: list[str]) -> api.SummaryReport:
        try:
            with output_lock(output, 0):
                held.append(False)
        except Locked:
            held.append(True)
        return original(folders, output, wanted)

    monkeypatch.setattr(api, "_write_summary", checked)
    report = api.build([project / "specs"], out, formats=["json"], summary=True)
    assert held == [True]
    assert [p.name for p in report.summarised] == ["summary.json"]


def test_ctrl_c_keeps_the_forms_that_finished(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    generate(tmp_path / "specs", 200)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "selfeval_compiler", "build", "specs", "-o", "out"]
    command += ["--format", "html", "--format", "json", "-q", "-j", "2"]
    env = {**os.environ, "PYTHONPATH": str(REPO), "SELFEVAL_LANG": "zh"}
    build = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(list(out.rglob("*.json"))) < 30 and build.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    finished = {p.relative_to(out).as_posix() for p in out.rglob("*.json")}
    sent = time.monotonic()
    build.send_signal(signal.SIGINT)
    _, stderr = build.communicate(timeout=30)
    seconds = time.monotonic() - sent
    assert build.returncode == 130, stderr
    assert seconds < 2, seconds
    assert not list(out.rglob("*.part"))
    record = Manifest.load(out)
    recorded = {o for r in record.specs.values() for o in r.outputs}
    assert finished <= recorded
    assert 30 <= len(record.specs) < 200
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert written - {MANIFEST_NAME} == recorded  # every form written whole is recorded
    again = api.build([tmp_path / "specs"], out, formats=["html", "json"], jobs=2)
    assert (again.skipped, again.built) == (len(record.specs), 200 - len(record.specs))


def test_empty_shards_are_build_folders_and_summarise_as_one_build(project: Path) -> None:
    from selfeval_compiler.building.plan import shard
    from selfeval_compiler.sources.discovery import discover

    assert run_cli("build", "specs", "-o", "all", "--format", "json", "-q", cwd=project)
    spec_files, _ = discover([project / "specs"])
    empty = next(k for k in range(1, 9) if not shard(spec_files, k, 8))  # 5 forms, 8 parts
    for k in range(1, 9):
        done = run_cli(
            "build",
            "specs",
            "-o",
            f"part{k}",
            "--format",
            "json",
            "--shard",
            f"{k}/8",
            "-q",
            cwd=project,
        )
        assert done.returncode == 0, done.stderr
        assert (project / f"part{k}" / MANIFEST_NAME).is_file()
    assert Manifest.load(project / f"part{empty}") == Manifest()
    alone = run_cli("summary", f"part{empty}", "-o", "s2", "--format", "json", cwd=project)
    assert alone.returncode == 0, alone.stderr
    parts = [f"part{k}" for k in range(1, 9)]
    assert run_cli("summary", *parts, "-o", "s4", "--format", "json", cwd=project).returncode == 0
    assert run_cli("summary", "all", "-o", "s1", "--format", "json", cwd=project).returncode == 0
    assert (project / "s4" / "summary.json").read_bytes() == (
        project / "s1" / "summary.json"
    ).read_bytes()
    again = run_cli(
        "build",
        "specs",
        "-o",
        f"part{empty}",
        "--format",
        "json",
        "--shard",
        f"{empty}/8",
        cwd=project,
    )
    assert again.returncode == 0
    merged = run_cli("merge", *parts, "-o", "merged", cwd=project)
    assert merged.returncode == 0, merged.stderr
    for made in (project / "all").rglob("*.json"):
        assert (project / "merged" / made.relative_to(project / "all")).read_bytes() == (
            made.read_bytes()
        )

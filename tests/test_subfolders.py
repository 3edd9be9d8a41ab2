"""Every command run from a folder inside the project behaves as at its root (issue #18 A):
defaults (the spec root, ``build/``) are the project's, as git and pre-commit resolve theirs;
paths named are relative to the working folder; no message suggests what it just refused."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from bureau import EDITED, UNIT, bureau, edit
from conftest import REPO, run_cli

from selfeval_compiler import api


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return bureau(tmp_path / "bureau")


def _findings(output: str, cwd: Path) -> set[tuple[str, Path, int, int]]:
    """(code, file, line, column) of a JSON report, files resolved from where it ran."""
    found = set()
    for item in json.loads(output):
        file = (cwd / item["file"]).resolve()
        found.add((item["code"], file, item["line"], item["column"]))
    return found


def test_check_from_a_subfolder_finds_what_it_finds_at_the_root(root: Path) -> None:
    edit(root / EDITED, "executed: 13.33}", "executed: 九}")
    at_root = run_cli("check", "--format", "json", cwd=root)
    below = run_cli("check", "--format", "json", cwd=root / UNIT)
    assert at_root.returncode == below.returncode == 1, below.stderr
    found = _findings(at_root.stdout, root)
    assert found
    assert found == _findings(below.stdout, root / UNIT)
    # the error is the edited spec's; next spring's specs only warn of cells still to fill
    errors = {file for code, file, _, _ in found if not code.startswith("SE41")}
    assert errors == {(root / EDITED).resolve()}


def test_build_and_summary_from_a_subfolder_use_the_project_build_folder(root: Path) -> None:
    first = run_cli("build", "--format", "html", "--format", "json", "-q", cwd=root)
    assert first.returncode == 0, first.stderr
    assert (root / "build" / UNIT.removeprefix("specs/") / "01-jiguan-fuwufei.html").is_file()
    again = run_cli("build", "--format", "html", "--format", "json", "-q", cwd=root / UNIT)
    assert again.returncode == 0, again.stderr
    assert "生成 0 份，已是最新 10 份" in again.stdout  # the same folder, the same build record
    summary = run_cli("summary", "--format", "html", "--format", "json", cwd=root / UNIT)
    assert summary.returncode == 0, summary.stderr
    assert "汇总了 5 个项目的自评表、5 个项目的申报表（分两张表）" in summary.stdout
    assert (root / "build" / "summary.json").is_file()
    assert not [p for p in (root / "specs").rglob("*") if p.name in ("build", "summary.json")]


def test_build_dot_inside_the_spec_root_mirrors_it_into_the_project_build(root: Path) -> None:
    result = run_cli("build", ".", "--format", "html", "-q", cwd=root / "specs")
    assert result.returncode == 0, result.stderr
    assert (root / "build" / UNIT.removeprefix("specs/") / "01-jiguan-fuwufei.html").is_file()
    assert not (root / "specs" / "build").exists()


def test_goals_build_from_a_subfolder_writes_build_goals(root: Path) -> None:
    result = run_cli("build", "--form", "goals", "--format", "html", "-q", cwd=root / UNIT)
    assert result.returncode == 0, result.stderr
    assert list((root / "build" / "goals").rglob("*.html"))
    assert not (root / UNIT / "build").exists()


def test_diff_from_a_subfolder_compares_the_project_specs(root: Path) -> None:
    edit(root / EDITED, "executed: 13.33}", "executed: 20.00}")
    at_root = run_cli("diff", cwd=root)
    below = run_cli("diff", cwd=root / UNIT)
    assert below.returncode == at_root.returncode == 0, below.stderr
    assert below.stdout == at_root.stdout
    assert "修改 1 个，未变 9 个" in below.stdout  # this year's forms and next spring's


def test_diff_that_compared_nothing_says_so(root: Path) -> None:
    (root / "docs").mkdir()
    result = run_cli("diff", "HEAD", "docs", cwd=root)
    assert result.returncode == 2
    assert "修改 0 个" not in result.stdout + result.stderr
    assert "没有可比较的表单" in result.stderr
    english = run_cli("diff", "HEAD", "docs", "--lang", "en", cwd=root)
    assert "nothing to compare" in english.stderr


def test_spec_paths_default_to_the_spec_root_from_any_folder(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(root / UNIT)
    (default,) = api.spec_paths([])
    assert default.resolve() == (root / "specs").resolve()
    assert api.spec_paths([Path(".")]) == [Path(".")]  # named paths: as typed
    assert api.default_output().resolve() == (root / "build").resolve()
    assert api.default_output("goals").resolve() == (root / "build" / "goals").resolve()


def test_serve_from_a_subfolder_shows_every_form_of_the_project(root: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "selfeval_compiler", "serve", "--port", "0"],
        cwd=root / UNIT,
        env={**os.environ, "SELFEVAL_LANG": "en", "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Preview: http://127.0.0.1:"), line
        with urllib.request.urlopen(line.split()[1], timeout=60) as response:
            page = response.read().decode()
        for name in ("01-jiguan-fuwufei", "05-hezuo-jiaoliu-yewufei"):
            assert name in page
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)


def _suggested_output(stderr: str) -> str:
    assert "-o " in stderr, stderr
    return stderr.rsplit("-o ", 1)[1].strip()


def test_overlap_suggests_an_output_folder_that_is_accepted(root: Path) -> None:
    refused = run_cli("build", ".", "--format", "html", "-q", cwd=root)
    assert refused.returncode == 2
    assert "重叠" in refused.stderr
    suggestion = _suggested_output(refused.stderr)
    assert suggestion != "build/"
    taken = run_cli("build", "specs", "-o", suggestion, "--format", "html", "-q", cwd=root)
    assert "重叠" not in taken.stderr
    again = run_cli("build", ".", "-o", suggestion, "--format", "html", "-q", cwd=root)
    assert "重叠" not in again.stderr  # mkdocs.yml is no spec: exit 1, but not refused


def test_rollover_onto_itself_suggests_a_folder_that_is_accepted(root: Path) -> None:
    refused = run_cli("rollover", UNIT, "--year", "2024", "-o", UNIT, cwd=root)
    assert refused.returncode == 2
    suggestion = _suggested_output(refused.stderr)
    assert "build" not in suggestion
    taken = run_cli("rollover", UNIT, "--year", "2024", "-o", suggestion, cwd=root)
    assert taken.returncode == 0, taken.stderr
    assert (root / suggestion / "01-jiguan-fuwufei.yaml").is_file()
    advised = "selfeval check " + taken.stdout.split("selfeval check ", 1)[1].split(" 按")[0]
    check = run_cli(*advised.split()[1:], cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "检查了 5 个文件" in check.stdout


def test_a_project_without_its_spec_folder_says_where_it_looked(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "docs").mkdir()
    result = run_cli("check", cwd=tmp_path / "docs")
    assert result.returncode == 2
    assert "没有表单目录" in result.stderr
    assert str(tmp_path) in result.stderr

"""The pre-commit hook run as pre-commit runs it, on a bureau's repository (issue #18 B).

pre-commit is not run itself (``pre-commit run`` builds the hook's environment from the
network); it is simulated step by step: the staged files, filtered by the hook's ``files``
and ``exclude`` patterns with ``re.search``, are passed to its ``entry`` (the ``selfeval``
console script), run from the repository's root.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bureau import EDITED, PASSED_ON, SELFEVAL, SPRING, UNIT, bureau, commit, edit, selfeval
from conftest import REPO, run_cli
from helpers import git

from selfeval_compiler import api

HOOK = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))[0]


@dataclass
class HookRun:
    passed_files: list[str]
    """What pre-commit passed to the entry; empty: it skipped the hook."""
    returncode: int
    output: str


def run_hook(root: Path) -> HookRun:
    """What ``pre-commit run`` does for the selfeval-check hook on the staged files."""
    staged = git(root, "diff", "--cached", "--name-only", "--diff-filter=ACMRTUXB", "-z")
    files = re.compile(HOOK.get("files", ""))
    exclude = re.compile(HOOK.get("exclude", "^$"))
    names = [
        name
        for name in staged.split("\0")
        if name and files.search(name) and not exclude.search(name) and (root / name).is_file()
    ]
    if not names:  # pre-commit: "(no files to check)Skipped"
        return HookRun([], 0, "")
    command, *options = shlex.split(HOOK["entry"])
    assert command == "selfeval"
    done = subprocess.run(
        [str(SELFEVAL), *options, *names],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"PATH": "/usr/bin:/bin", "SELFEVAL_LANG": "zh", "HOME": str(root), **PASSED_ON},
    )
    return HookRun(names, done.returncode, done.stdout + done.stderr)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return bureau(tmp_path / "bureau")


def _stage(root: Path, *names: str) -> None:
    git(root, "add", *names)


def test_a_commit_of_ci_files_only_passes(root: Path) -> None:
    for name in (".github/workflows/selfeval.yml", ".gitlab-ci.yml", "mkdocs.yml"):
        with (root / name).open("a", encoding="utf-8") as file:
            file.write("# changed\n")
    (root / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    (root / "config").mkdir()
    (root / "config" / "app.yaml").write_text("port: 80\n", encoding="utf-8")
    _stage(root, ".")
    run = run_hook(root)
    assert run.passed_files == ["config/app.yaml"]  # a YAML file the patterns cannot rule out
    assert run.returncode == 0, run.output
    assert run.output == ""  # nothing to check: the hook passes quietly


def test_the_command_skips_what_is_no_spec(root: Path) -> None:
    names = [".github/workflows/selfeval.yml", ".gitlab-ci.yml", "mkdocs.yml", "gone.yaml"]
    done = subprocess.run(
        [str(SELFEVAL), "check", "--strict", "--hook", *names],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_a_broken_spec_fails_the_commit_with_its_code(root: Path) -> None:
    edit(root / EDITED, "executed: 13.33}", "executed: 13.33, executed: 1}")
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    _stage(root, ".")
    run = run_hook(root)
    assert run.passed_files == [EDITED]
    assert run.returncode == 1
    assert f"{EDITED}:" in run.output
    assert "error SE004" in run.output  # the key given twice


def test_a_clean_spec_passes(root: Path) -> None:
    edit(root / EDITED, "executed: 13.33}", "executed: 13.34}")
    _stage(root, ".")
    run = run_hook(root)
    assert run.passed_files == [EDITED]
    assert run.returncode == 0, run.output
    assert "检查了 1 个文件" in run.output


def test_next_years_rollover_commits_and_a_spring_slip_is_caught(root: Path) -> None:
    """The year as a bureau lives it: the rollover's specs are committed through the hook
    (its warnings shown, not blocking); a slip in a spring spec blocks the commit."""
    rolled = selfeval(root, "rollover", SPRING, "--year", "2025", "-o", "specs/2025")
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    _stage(root, ".")
    run = run_hook(root)
    assert len(run.passed_files) == 6  # five specs and their _defaults.yaml
    assert run.returncode == 0, run.output
    assert HOOK.get("verbose") is True  # pre-commit shows the output of a passing hook
    assert "warning SE410" in run.output  # 项目性质 still blank: said, not blocking
    assert "0 个错误" in run.output
    commit(root, "Next year's specs")
    spring = root / "specs/2025/01-jiguan-fuwufei.yaml"
    edit(spring, "target: 100%", "target: ")
    _stage(root, ".")
    run = run_hook(root)
    assert run.passed_files == ["specs/2025/01-jiguan-fuwufei.yaml"]
    assert run.returncode == 1, run.output
    assert "error SE1" in run.output  # checked as a 申报表: the target is required


def test_a_broken_defaults_file_fails_the_commit(root: Path) -> None:
    defaults = root / UNIT / "_defaults.yaml"
    defaults.write_text(defaults.read_text("utf-8") + "colour: blue\n", encoding="utf-8")
    _stage(root, ".")
    run = run_hook(root)
    assert run.passed_files == [f"{UNIT}/_defaults.yaml"]
    assert run.returncode == 1, run.output
    assert f"{UNIT}/_defaults.yaml:" in run.output
    assert "检查了 5 个文件" in run.output  # the specs it applies to


def test_defaults_above_the_spec_root_stand_for_every_spec(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(root)
    (root / "_defaults.yaml").write_text("year: 2023\n", encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "_defaults.yaml").write_text("year: 2023\n", encoding="utf-8")
    report = api.check(
        [Path("_defaults.yaml"), Path("docs/_defaults.yaml"), Path(f"{UNIT}/_defaults.yaml")],
        only_specs=True,
    )
    assert len(report.compiled) == 10  # this year's and next spring's
    assert api.check([Path("docs/_defaults.yaml")], only_specs=True).compiled == []


def test_hook_mode_is_documented_in_both_languages() -> None:
    english = run_cli("check", "--help", "--lang", "en").stdout
    assert "--hook" in english
    assert "pre-commit hook mode" in english
    assert "pre-commit 钩子模式" in run_cli("check", "--help", "--lang", "zh").stdout

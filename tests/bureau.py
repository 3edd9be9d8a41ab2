"""A finance bureau's repository, as the README tells one to set it up: the example specs,
the pre-commit configuration, the CI templates and a docs site, with git history.

:func:`bureau` makes one for the whole year: this year's 自评表 and next spring's 申报表 side
by side, as ``selfeval rollover`` leaves them. The layout::

    specs/shanghai-xinjiang-office/   the repository's example specs (with _defaults.yaml)
    specs/2024/                       the same rolled over to 2024 (stage: 申报)
    .pre-commit-config.yaml           the selfeval-check hook
    .github/workflows/selfeval.yml    examples/ci/github-actions.yml
    .gitlab-ci.yml                    examples/ci/gitlab-ci.yml
    mkdocs.yml                        a docs site (a YAML file that is no spec)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SPECS
from helpers import git

UNIT = "specs/shanghai-xinjiang-office"
EDITED = f"{UNIT}/03-hezuo-jiaoliu-zhuanxiang.yaml"
SPRING = "specs/2024"
"""Next spring's 申报表 (``rollover`` of ``UNIT``), beside this year's 自评表."""
BASE_BRANCH = "main"
FEATURE_BRANCH = "update-funds"

PRE_COMMIT_CONFIG = """\
repos:
  - repo: https://example.invalid/selfeval
    rev: v1.0.0
    hooks:
      - id: selfeval-check
"""
MKDOCS = "site_name: 绩效自评表\nnav:\n  - index.md\n"

SELFEVAL = Path(sys.executable).parent / "selfeval"
"""The console script of the test environment, as ``pip install selfeval`` puts on PATH."""
PASSED_ON = {name: os.environ[name] for name in ("PYTHONPATH",) if name in os.environ}
"""What a test passes on to commands run in a bare environment (which selfeval to import)."""


def selfeval(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """The ``selfeval`` console script run in ``root`` as a clerk runs it (a bare PATH)."""
    return subprocess.run(
        [str(SELFEVAL), *arguments],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(root), **PASSED_ON},
    )


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


def bureau(root: Path) -> Path:
    """A bureau repository at ``root`` on branch ``main``, one commit: the example specs and
    the files every bureau repository also holds."""
    shutil.copytree(SPECS, root / "specs")
    (root / ".pre-commit-config.yaml").write_text(PRE_COMMIT_CONFIG, encoding="utf-8")
    workflows = root / ".github" / "workflows"
    workflows.mkdir(parents=True)
    shutil.copy(REPO / "examples/ci/github-actions.yml", workflows / "selfeval.yml")
    shutil.copy(REPO / "examples/ci/gitlab-ci.yml", root / ".gitlab-ci.yml")
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    git(root, "init", "-q", "-b", BASE_BRANCH)
    rolled = selfeval(root, "rollover", UNIT, "--year", "2024", "-o", SPRING)
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    commit(root, "Forms of the office, and next spring's")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def with_history(root: Path) -> Path:
    """A bureau repository as CI sees a merge request: ``origin`` (a bare clone) holds
    ``main``; the checked-out branch adds a commit that edits one spec's executed amount."""
    bureau(root)
    origin = root.parent / f"{root.name}-origin.git"
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(root), str(origin)], check=True, capture_output=True
    )
    git(root, "remote", "add", "origin", str(origin))
    git(root, "fetch", "-q", "origin")
    git(root, "checkout", "-q", "-b", FEATURE_BRANCH)
    edit(root / EDITED, "executed: 13.33}", "executed: 20.00}")
    commit(root, "Executed amount of 合作交流专项")
    return root

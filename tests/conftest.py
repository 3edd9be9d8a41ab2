from __future__ import annotations

import difflib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from wheels import Release

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
"""The tests' own project (``selfeval.toml``, ``specs/``): the seed forms the tests read. The
repository's ``specs/`` is the example a bureau replaces with its own forms, which no test
reads."""
SPECS = FIXTURES / "specs"
SEED_FOLDER = SPECS / "shanghai-xinjiang-office"
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/NAME; --update-golden rewrites it."""

    def compare(name: str, actual: str) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8")
        if expected != actual:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(True), actual.splitlines(True), f"golden/{name}", "actual"
                )
            )
            pytest.fail(f"{name} differs from its golden file (pytest --update-golden):\n{diff}")

    return compare


def run_cli(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m selfeval_compiler`` as a user would, in a separate process, by default
    in the tests' own project (:data:`FIXTURES`)."""
    full_env = {**os.environ, "SELFEVAL_LANG": "zh", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "selfeval_compiler", *args],
        cwd=cwd or FIXTURES,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example specs built once, all formats, through the CLI."""
    output = tmp_path_factory.mktemp("seed-build")
    result = run_cli("build", "specs/", "-o", str(output), "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    return output


SLOW_MODULES = frozenset(
    {
        "test_cli.py",
        "test_cli_options.py",
        "test_diff.py",
        "test_faults.py",
        "test_fuzz.py",
        "test_hostile.py",
        "test_ci_shards.py",
        "test_goals_form.py",
        "test_import.py",
        "test_rollover.py",
        "test_summary.py",
        "test_import_hostile.py",
        "test_preview.py",
        "test_preview_browser.py",
        "test_incremental.py",
        "test_nothing_stale.py",
        "test_packaging.py",
        "test_pdf.py",
        "test_workflow.py",
        "test_subfolders.py",
        "test_hook.py",
        "test_ci_templates.py",
        "test_init.py",
    }
)
"""Modules whose tests start processes, lay out PDFs or install: ``make quick`` skips them."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        uses_build = "seed_build" in getattr(item, "fixturenames", ())
        if item.path.name in SLOW_MODULES or uses_build:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the seed's forms under ``specs/unit``, one commit."""
    import shutil

    from helpers import git

    root = tmp_path / "repo"
    shutil.copytree(SEED_FOLDER, root / "specs" / "unit")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "seed forms")
    return root


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Release:
    """selfeval's wheel, sdist and a folder of wheels with every dependency (see
    :mod:`wheels`), built once for all of the session's workers."""
    from wheels import release as built

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if worker_id != "master" else base
    return built(shared / "selfeval-release")

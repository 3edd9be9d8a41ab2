"""A non-editable ``pip install .`` finds the schema, templates and profiles."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SPECS


def test_non_editable_install_builds_the_seed_specs(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", "build", ".git", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis"
        ),
    )
    target = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr
    installed = target / "selfeval_compiler"
    assert (installed / "schema" / "selfeval.schema.json").is_file()
    assert (installed / "templates" / "form.html.j2").is_file()
    assert (installed / "profiles" / "shanghai-municipal.yaml").is_file()

    work = tmp_path / "elsewhere"
    shutil.copytree(SPECS, work / "specs")
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import selfeval_compiler, sys; print(selfeval_compiler.__file__);"
            "from selfeval_compiler.cli import main; sys.argv=['selfeval','build','specs',"
            "'-o','out','--format','html','--format','json','-q']; main()",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(str(installed))
    assert (work / "out" / "shanghai-xinjiang-office" / "01-jiguan-fuwufei.html").is_file()

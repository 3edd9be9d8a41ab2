"""The release a bureau installs (issue #22): a wheel and an sdist carrying everything
selfeval reads at run time, installed from a folder of wheels with no index into a clean
venv, which then builds a repository holding nothing but ``specs/``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, SPECS
from wheels import Release, offline_install

from selfeval_compiler import __version__

DATA = {
    # package folder in the wheel: (folder in the checkout, the patterns package-data names)
    "schema": ("schema", ("*.json",)),
    "templates": ("templates", ("*.j2", "*.css", "*.js")),
    "profiles": ("profiles", ("*.yaml",)),
    "ci": ("examples/ci", ("*.yml",)),
    "diagnostics": ("selfeval_compiler/diagnostics", ("*.yaml",)),
}


def _data_files() -> list[str]:
    """Every data file selfeval reads at run time, as it lies in the wheel."""
    found = []
    for package, (folder, patterns) in DATA.items():
        for pattern in patterns:
            found += [
                f"selfeval_compiler/{package}/{path.name}" for path in (REPO / folder).glob(pattern)
            ]
    assert len(found) > 20
    return sorted(found)


def test_one_version_pinned_by_bureaus() -> None:
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", __version__)
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert pyproject["project"]["dynamic"] == ["version"]  # read from the package, nowhere else
    assert pyproject["project"]["license"] == "MIT"
    assert pyproject["project"]["license-files"] == ["LICENSE"]
    license_text = (REPO / "LICENSE").read_text("utf-8")
    assert license_text.startswith("MIT License\n")
    for template in (REPO / "examples" / "ci").glob("*.yml"):  # the released package, pinned
        assert f"selfeval=={__version__}" in template.read_text("utf-8"), template.name


def test_the_wheel_and_the_sdist_carry_everything(release: Release) -> None:
    with zipfile.ZipFile(release.wheel) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(f"selfeval-{__version__}.dist-info/METADATA").decode()
        entry_points = wheel.read(f"selfeval-{__version__}.dist-info/entry_points.txt").decode()
    missing = [name for name in _data_files() if name not in names]
    assert not missing
    modules = sorted(
        p.relative_to(REPO).as_posix() for p in (REPO / "selfeval_compiler").rglob("*.py")
    )
    assert not [name for name in modules if name not in names]
    assert f"selfeval-{__version__}.dist-info/licenses/LICENSE" in names
    assert f"Version: {__version__}\n" in metadata
    assert "License-Expression: MIT\n" in metadata
    assert "selfeval = selfeval_compiler.cli:main" in entry_points
    assert not [name for name in names if name.startswith(("specs/", "tests/"))]

    with tarfile.open(release.sdist) as sdist:
        inside = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for needed in ("LICENSE", "README.md", "pyproject.toml", "schema/selfeval.schema.json"):
        assert needed in inside
    assert "examples/ci/gitlab-ci.yml" in inside
    assert "selfeval_compiler/diagnostics/catalogue.yaml" in inside


def _clean(bin_folder: Path, root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """The installed console script, with nothing of this checkout in reach."""
    return subprocess.run(
        [str(bin_folder / "selfeval"), *arguments],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={"PATH": f"{bin_folder}:/usr/bin:/bin", "HOME": str(root), "SELFEVAL_LANG": "zh"},
    )


def _has_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(listed.stdout.strip())


def test_an_offline_install_builds_a_repository_holding_only_specs(
    release: Release, tmp_path: Path
) -> None:
    """pip install --no-index --find-links wheels/ selfeval, as the README's intranet section
    says, into a new venv; then the forms of a repository that holds only ``specs/``."""
    bin_folder = offline_install(release, tmp_path / "venv")
    bureau = tmp_path / "bureau"
    shutil.copytree(SPECS, bureau / "specs")
    version = _clean(bin_folder, bureau, "--version")
    assert version.stdout == f"selfeval {__version__}\n"
    where = subprocess.run(
        [
            str(bin_folder / "python"),
            "-c",
            "import selfeval_compiler; print(selfeval_compiler.__file__)",
        ],
        cwd=bureau,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(tmp_path / "venv"))  # not this checkout

    formats = ["html", "json", "xlsx", *(["pdf"] if _has_cjk_font() else [])]
    arguments = [f"--format={name}" for name in formats]
    built = _clean(bin_folder, bureau, "build", "specs", "-o", "out", "-q", *arguments)
    assert built.returncode == 0, built.stdout + built.stderr
    folder = bureau / "out" / "shanghai-xinjiang-office"
    for spec in SPECS.glob("*/[!_]*.yaml"):
        for name in formats:
            assert (folder / f"{spec.stem}.{name}").is_file(), (spec.stem, name)
    assert f'"selfeval": "{__version__}"' in (folder / "01-jiguan-fuwufei.json").read_text("utf-8")

    # init from the installed package: its CI template and example come from the wheel
    own = tmp_path / "own"
    made = _clean(bin_folder, tmp_path, "init", str(own), "--ci", "gitlab")
    assert made.returncode == 0, made.stdout + made.stderr
    template = (REPO / "examples" / "ci" / "gitlab-ci.yml").read_bytes()
    assert (own / ".gitlab-ci.yml").read_bytes() == template
    (own / ".git").mkdir()
    checked = _clean(bin_folder, own, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("name", ["SPECS", "SEED_FOLDER"])
def test_the_tests_read_their_own_fixtures(name: str) -> None:
    """A bureau that forks this repository replaces specs/ with its own forms; the tests read
    tests/fixtures/, so make test stays green."""
    import conftest

    path: Path = getattr(conftest, name)
    assert path.is_relative_to(REPO / "tests" / "fixtures")
    assert (conftest.FIXTURES / "selfeval.toml").is_file()


def test_no_test_reads_the_repository_specs() -> None:
    """No test module joins the repository's root with ``specs``."""
    offenders = [
        module.name
        for module in sorted((REPO / "tests").glob("*.py"))
        if module.name != "test_packaging.py"
        and re.search(r"""REPO\s*/\s*["']specs""", module.read_text("utf-8"))
    ]
    assert not offenders


def test_replacing_specs_keeps_the_seed_tests_green(tmp_path: Path) -> None:
    """The tests copied beside a specs/ holding one other form run green."""
    tree = tmp_path / "fork"
    shutil.copytree(REPO / "tests", tree / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tree)
    (tree / "specs" / "bureau").mkdir(parents=True)
    (tree / "specs" / "bureau" / "a.yaml").write_text("project: [broken\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "tests/test_seed_figures.py",
            "tests/test_rendering.py",
            "tests/test_cli.py::test_check_clean_specs_exits_0",
            "tests/test_cli.py::test_check_defaults_to_specs_folder",
        ],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " passed" in done.stdout

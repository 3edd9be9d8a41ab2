"""selfeval as a bureau gets it: a wheel and an sdist built from this checkout, and a folder of
wheels (selfeval's and every dependency's) that installs with no index, as on an intranet.

:func:`release` builds them once per test session (once for all xdist workers: the first
builds, under a lock, the others reuse it). The dependencies are fetched from the package
index with ``pip download``, as the README tells an IT person to carry them; when the index
cannot be reached the tests fail with a message saying so, never skip.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO

from selfeval_compiler import __version__

IGNORED = shutil.ignore_patterns(
    ".venv",
    "build",
    "dist",
    ".git",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".mypy_cache",
    ".ruff_cache",
)


@dataclass(frozen=True)
class Release:
    wheel: Path
    sdist: Path
    wheelhouse: Path
    """The wheel and every dependency's wheel: ``pip install --no-index --find-links``."""

    def requirement(self) -> str:
        return f"selfeval=={__version__}"


def _run(command: list[str], cwd: Path | None = None, timeout: int = 900) -> str:
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _build(root: Path) -> Release:
    source = root / "source"
    shutil.copytree(REPO, source, ignore=IGNORED)
    dist = root / "dist"
    # The sdist first, then the wheel built from the sdist: a file the sdist forgot is missing
    # from the wheel too. No isolation: the test environment has setuptools and build.
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(source)])
    (wheel,) = dist.glob(f"selfeval-{__version__}-py3-none-any.whl")
    (sdist,) = dist.glob(f"selfeval-{__version__}.tar.gz")
    wheelhouse = root / "wheelhouse"
    try:
        # What the README tells an IT person to run on a machine with internet access.
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--only-binary=:all:",
                "--dest",
                str(wheelhouse),
                str(wheel),
            ]
        )
    except RuntimeError as error:
        raise RuntimeError(
            "could not download selfeval's dependencies from the package index (pip download);"
            " the offline install and the CI templates are tested with them, so this test"
            f" needs the index:\n{error}"
        ) from None
    shutil.copy(wheel, wheelhouse)
    return Release(wheel, sdist, wheelhouse)


def release(base: Path) -> Release:
    """The release in ``base`` (shared by the session's workers), built if not yet there."""
    base.mkdir(parents=True, exist_ok=True)
    with (base / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = base / "release" / "done"
        if not done.is_file():
            shutil.rmtree(base / "release", ignore_errors=True)
            built = _build(base / "release")
            done.write_text("\n".join(map(str, (built.wheel, built.sdist, built.wheelhouse))))
        wheel, sdist, wheelhouse = done.read_text().splitlines()
        return Release(Path(wheel), Path(sdist), Path(wheelhouse))


def empty_venv(folder: Path) -> Path:
    """A new virtual environment with pip and nothing else; returns its ``bin`` folder."""
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    return folder / "bin"


def offline_install(release: Release, folder: Path) -> Path:
    """selfeval installed from the wheel folder alone (``--no-index``) into a new venv, as on
    a network with no internet; returns its ``bin`` folder."""
    bin_folder = empty_venv(folder)
    _run(
        [
            str(bin_folder / "pip"),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-index",
            "--find-links",
            str(release.wheelhouse),
            release.requirement(),
        ]
    )
    return bin_folder

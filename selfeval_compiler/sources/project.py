"""The project around the specs: its root, and the spec root that output paths mirror.

The root is the nearest folder, from the working folder up, holding ``selfeval.toml``, a
``pyproject.toml`` with a ``[tool.selfeval]`` table, or ``.git``. The spec root is
``specs/`` below it unless the configuration says otherwise::

    # selfeval.toml                      # or pyproject.toml
    spec_root = "forms"                  # [tool.selfeval]
                                         # spec_root = "forms"

A spec's outputs mirror its path below its spec root, whatever path was named on the command
line (``build specs/`` and ``build specs/2024/a.yaml`` write the same ``build/2024/a.pdf``).
A spec outside the configured spec root is placed below the nearest folder above it named
``specs``, else the nearest project root above it, else the folder named on the command line.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

CONFIG_FILE = "selfeval.toml"
DEFAULT_SPEC_ROOT = "specs"
MAX_CONFIG_BYTES = 64 * 1024


class ConfigProblem(Exception):
    """The project's configuration cannot be used (a usage error, exit 2)."""


@dataclass(frozen=True)
class Project:
    root: Path
    spec_root: Path
    config: Path | None
    """The file the spec root came from, when one set it."""


def absolute(path: Path) -> Path:
    """``path`` made absolute and normalised, without following symlinks."""
    return Path(os.path.normpath(path.absolute()))


def shown(path: Path) -> Path:
    """``path`` as the working folder would name it (``specs``, or ``../../specs`` from
    ``specs/unit/``), so that findings and messages can be opened from where one stands."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive (Windows): only the absolute path names it
        return path


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigProblem(f"{path}: larger than {MAX_CONFIG_BYTES // 1024} KiB")
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigProblem(f"{path}: {error}") from None


def _settings(folder: Path) -> tuple[dict[str, Any], Path] | None:
    config = folder / CONFIG_FILE
    if config.is_file():
        data = _read_toml(config)
        table = data.get("selfeval", data)
        return (table if isinstance(table, dict) else {}), config
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        tool = _read_toml(pyproject).get("tool", {})
        if isinstance(tool, dict) and isinstance(tool.get("selfeval"), dict):
            return tool["selfeval"], pyproject
    return None


def _spec_root(root: Path, settings: dict[str, Any], config: Path) -> Path:
    value = settings.get("spec_root", DEFAULT_SPEC_ROOT)
    relative = PurePosixPath(value) if isinstance(value, str) else None
    if (
        relative is None
        or not value.strip()
        or relative.is_absolute()
        or ".." in relative.parts
        or "\\" in value
    ):
        raise ConfigProblem(
            f'{config}: spec_root must be a folder inside the project, such as "specs"'
        )
    return root.joinpath(*relative.parts)


def find_project(start: Path | None = None) -> Project:
    """The project the working folder (or ``start``) belongs to."""
    here = absolute(start or Path.cwd())
    for folder in (here, *here.parents):
        found = _settings(folder)
        if found is not None:
            settings, config = found
            return Project(folder, _spec_root(folder, settings, config), config)
        if (folder / ".git").exists():
            return Project(folder, folder / DEFAULT_SPEC_ROOT, None)
    return Project(here, here / DEFAULT_SPEC_ROOT, None)


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, every symlink followed, lies inside ``root``."""
    try:
        return real_path(path).is_relative_to(_real_root(root, os.getcwd()))
    except (OSError, RuntimeError):  # a symlink loop
        return False


@lru_cache(maxsize=64)
def _real_root(root: Path, cwd: str) -> Path:
    """A boundary (a repository or spec root), resolved once per command (``cwd``: a
    relative ``root`` means another folder once the working folder changed): every spec of
    a run is bounded by one of a few."""
    return root.resolve()


@lru_cache(maxsize=4096)
def real_folder(folder: Path) -> Path:
    """``folder`` with every symlink followed, resolved once per command (:func:`forget_real`
    empties the cache): the specs of one folder share it."""
    return folder.resolve()


def real_path(path: Path) -> Path:
    """``path.resolve()``, from its folder's cached real path unless ``path`` itself is a
    symlink (one ``lstat`` instead of one per folder above it); remembered for the command."""
    return _real_path(path, "" if path.is_absolute() else os.getcwd())


@lru_cache(maxsize=1 << 17)
def _real_path(path: Path, cwd: str) -> Path:
    if path.is_symlink() or path.name in ("", ".", ".."):
        return path.resolve()
    return real_folder(path.absolute().parent) / path.name


def forget_real() -> None:
    """Empty the caches of real paths: a new command sees symlinks as they are now."""
    _real_path.cache_clear()
    real_folder.cache_clear()
    _real_root.cache_clear()
    _marks_root.cache_clear()


def boundary_for(path: Path, project: Project, given: Path) -> Path:
    """The folder nothing read for this spec may lie outside of: its repository (or
    configured project) root, else its spec root."""
    for folder in absolute(path).parents:
        if _is_project_root(folder):
            return folder
    return spec_root_for(path, project, given)


def _is_project_root(folder: Path) -> bool:
    return _marks_root(folder)


@lru_cache(maxsize=1024)
def _marks_root(folder: Path) -> bool:
    """Whether ``folder`` holds ``.git`` or ``selfeval.toml``; asked once per folder per
    command (:func:`forget_real` empties it), not once per spec below it."""
    return any((folder / name).exists() for name in (".git", CONFIG_FILE))


def spec_root_for(path: Path, project: Project, given: Path) -> Path:
    """The folder ``path``'s outputs are placed below (see the module's rules)."""
    spec = absolute(path)
    if spec.is_relative_to(project.spec_root):
        return project.spec_root
    for folder in spec.parents:
        if folder.name == DEFAULT_SPEC_ROOT:
            return folder
    for folder in spec.parents:
        if _is_project_root(folder):
            return folder
    named = absolute(given)
    return named if given.is_dir() else named.parent

"""Which files are specs, found in file-name order.

A spec is a ``*.yaml``/``*.yml`` file whose name does not start with ``_`` or ``.`` and does
not end in ``.profile.yaml``. ``_defaults.yaml`` in a spec's folder or any parent up to the
repository root supplies year, department, unit and profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from selfeval_compiler.diagnostics import Diagnostic, Location, make, phrase
from selfeval_compiler.sources.project import (
    Project,
    absolute,
    boundary_for,
    find_project,
    forget_real,
    real_path,
    shown,
    spec_root_for,
)

PROFILE_SUFFIX = ".profile.yaml"
SPEC_SUFFIXES = (".yaml", ".yml")
DEFAULTS_NAME = "_defaults.yaml"


@dataclass(frozen=True)
class SpecFile:
    path: Path
    display: str
    """The path as the user sees it: the argument they gave, joined with the rest."""
    relative: PurePosixPath
    """Its path below its spec root: the outputs mirror it, whatever path was named."""
    root: Path | None = None
    """Nothing read for this spec (the spec, defaults, profiles) may lie outside this folder,
    symlinks followed; ``None`` sets no bound (a spec made by hand, not discovered)."""


def is_spec_name(name: str) -> bool:
    return (
        name.endswith(SPEC_SUFFIXES)
        and not name.startswith(("_", "."))
        and not name.endswith(PROFILE_SUFFIX)
    )


MAX_FOLDER_DEPTH = 32
"""Folders below a named folder that are searched; deeper ones are reported (SE009)."""


def _walk(folder: Path, problems: list[Diagnostic], depth: int = 0) -> list[Path]:
    """Spec files below ``folder`` in file-name order; symlinked folders are not followed."""
    found: list[Path] = []
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as error:
        detail = error.strerror or str(error)
        problems.append(make("SE008", Location(str(folder)), detail=detail))
        return found
    for entry in entries:
        if entry.name.startswith((".", "_")) and entry.is_dir():
            continue
        if entry.is_dir() and not entry.is_symlink():
            if depth >= MAX_FOLDER_DEPTH:
                too_deep = phrase("limit.folders", limit=MAX_FOLDER_DEPTH)
                problems.append(make("SE009", Location(str(entry)), detail=too_deep))
                continue
            found.extend(_walk(entry, problems, depth + 1))
        elif entry.is_file() and is_spec_name(entry.name):
            found.append(entry)
    return found


def discover(
    paths: list[Path], project: Project | None = None
) -> tuple[list[SpecFile], list[Diagnostic]]:
    """Spec files under ``paths`` in file-name order, each listed once; each knows its path
    below its spec root (:mod:`selfeval_compiler.sources.project`)."""
    project = project or find_project()
    forget_real()
    specs: list[SpecFile] = []
    problems: list[Diagnostic] = []
    seen: set[Path] = set()
    # A spec's roots depend only on its folder (and the path named): asked once per folder.
    roots: dict[tuple[Path, Path], tuple[Path, Path]] = {}
    for given in paths:
        if given.is_dir():
            files = _walk(given, problems)
            if not files:
                problems.append(make("SE010", Location(str(given)), path=str(given)))
            pairs = [(f, f.relative_to(given).as_posix()) for f in files]
        elif given.is_file():
            pairs = [(given, given.name)]
        else:
            problems.append(make("SE008", Location(str(given)), detail=phrase("path.missing")))
            continue
        for path, relative in pairs:
            resolved = real_path(path)
            if resolved in seen:
                continue
            seen.add(resolved)
            display = str(given / relative) if given.is_dir() else str(given)
            folder = (path.parent, given)
            if folder not in roots:
                roots[folder] = (
                    spec_root_for(path, project, given),
                    boundary_for(path, project, given),
                )
            root, boundary = roots[folder]
            below = PurePosixPath(absolute(path).relative_to(root).as_posix())
            specs.append(SpecFile(path, display, below, boundary))
    return specs, problems


def specs_among(paths: list[Path], project: Project) -> list[Path]:
    """What a pre-commit hook's files stand for: of the paths named (every staged file the
    hook's patterns let through), the specs and folders below the project's spec root; a
    ``_defaults.yaml`` stands for the folder whose specs it applies to (the whole spec root
    when it lies above it). Anything else — CI files, ``mkdocs.yml``, profiles, a spec
    outside the spec root, a path that no longer exists — is left out, not reported."""
    spec_root = absolute(project.spec_root)
    kept: list[Path] = []
    for given in paths:
        where = absolute(given)
        if given.name == DEFAULTS_NAME and where.is_file():
            if where.parent.is_relative_to(spec_root):
                kept.append(given.parent)
            elif spec_root.is_relative_to(where.parent) and spec_root.is_dir():
                kept.append(shown(spec_root))
        elif where.is_relative_to(spec_root) and (
            where.is_dir() or (where.is_file() and is_spec_name(given.name))
        ):
            kept.append(given)
    return kept

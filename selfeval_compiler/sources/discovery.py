"""Which files are specs, where their outputs go, and which defaults files apply to them.

A spec is a ``*.yaml``/``*.yml`` file whose name does not start with ``_`` or ``.`` and does
not end in ``.profile.yaml``. ``_defaults.yaml`` in a spec's folder or any parent up to the
repository root supplies year, department, unit and profile.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from selfeval_compiler.diagnostics import Diagnostic, Location, make, phrase

DEFAULTS_NAME = "_defaults.yaml"
PROFILE_SUFFIX = ".profile.yaml"
SPEC_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class SpecFile:
    path: Path
    display: str
    """The path as the user sees it: the argument they gave, joined with the rest."""
    relative: PurePosixPath
    """Where its outputs go under the output folder, without the suffix."""


def is_spec_name(name: str) -> bool:
    return (
        name.endswith(SPEC_SUFFIXES)
        and not name.startswith(("_", "."))
        and not name.endswith(PROFILE_SUFFIX)
    )


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith((".", "_")) and entry.is_dir():
            continue
        if entry.is_dir() and not entry.is_symlink():
            found.extend(_walk(entry))
        elif entry.is_file() and is_spec_name(entry.name):
            found.append(entry)
    return found


def discover(paths: list[Path]) -> tuple[list[SpecFile], list[Diagnostic]]:
    """Spec files under ``paths`` in file-name order, each listed once."""
    specs: list[SpecFile] = []
    problems: list[Diagnostic] = []
    seen: set[Path] = set()
    for given in paths:
        if given.is_dir():
            files = _walk(given)
            if not files:
                problems.append(make("SE010", Location(str(given)), path=str(given)))
            pairs = [(f, PurePosixPath(f.relative_to(given).as_posix())) for f in files]
        elif given.is_file():
            pairs = [(given, PurePosixPath(given.name))]
        else:
            problems.append(make("SE008", Location(str(given)), detail=phrase("path.missing")))
            continue
        for path, relative in pairs:
            resolved = path.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            display = str(given / relative) if given.is_dir() else str(given)
            specs.append(SpecFile(path, display, safe_relative(relative.with_suffix(""))))
    return specs, problems


_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"\\|?*]')
MAX_NAME_BYTES = 150


def safe_name(name: str) -> str:
    """A file name every system accepts: no control or reserved characters, no reserved
    Windows device name, no trailing dot or space, at most 150 bytes. A name that had to be
    changed gets a short hash of the original, so two different names never collide."""
    clean = _UNSAFE.sub("_", name).rstrip(". ") or "_"
    if clean in (".", ".."):
        clean = "_"
    if _WINDOWS_RESERVED.match(clean):
        clean = "_" + clean
    if len(clean.encode("utf-8")) > MAX_NAME_BYTES:
        clean = clean.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", "ignore")
    if clean != name:
        digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
        clean = f"{clean}-{digest}"
    return clean


def safe_relative(relative: PurePosixPath) -> PurePosixPath:
    """Output location for a spec: the same tree, every part made :func:`safe_name`."""
    return PurePosixPath(*(safe_name(part) for part in relative.parts))


def defaults_chain(spec_path: Path) -> list[Path]:
    """``_defaults.yaml`` files that apply to a spec, nearest folder first.

    The search stops at the repository root (a folder holding ``.git``), so defaults from
    outside the repository never leak in.
    """
    return list(_defaults_for_folder(spec_path.resolve().parent))


@lru_cache(maxsize=4096)
def _defaults_for_folder(folder: Path) -> tuple[Path, ...]:
    """Cached per folder: a thousand specs in one folder share one search."""
    candidate = folder / DEFAULTS_NAME
    here = (candidate,) if candidate.is_file() else ()
    if (folder / ".git").exists() or folder.parent == folder:
        return here
    return here + _defaults_for_folder(folder.parent)

"""The two sides of a diff: a git revision or the working tree, compiled in full."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path, PurePosixPath

from selfeval_compiler.diagnostics import Diagnostic, Location, make, phrase
from selfeval_compiler.diff.compare import Version
from selfeval_compiler.rules.compiler import CompiledSpec, compile_batch
from selfeval_compiler.sources import git as gitsource
from selfeval_compiler.sources import yaml_loader
from selfeval_compiler.sources.discovery import discover
from selfeval_compiler.sources.project import inside

WORKING_TREE = "工作区"


def _relabel(diagnostic: Diagnostic, top: Path, shown_as: str) -> Diagnostic:
    """Name files as ``REV:path`` (git's notation), or repository-relative for the work tree."""
    relative = _relative(Path(diagnostic.location.file), top)
    if relative is None:
        return diagnostic
    return replace(diagnostic, location=replace(diagnostic.location, file=shown_as + str(relative)))


def _relative(path: Path, top: Path) -> PurePosixPath | None:
    """``path`` below ``top`` as written, symlinks not followed (a link leading out is the
    loader's SE016, not a crash here); ``None`` if it lies elsewhere."""
    try:
        return PurePosixPath(Path(os.path.abspath(path)).relative_to(top).as_posix())
    except ValueError:
        return None


def _content(path: Path, top: Path) -> bytes | None:
    """The bytes a rename is recognised by: only a regular file inside ``top`` within the
    loader's size limit (never a link leading out, never a 1.5 GB file read into memory)."""
    try:
        if not inside(path, top) or not path.is_file():
            return None
        if path.stat().st_size > yaml_loader.MAX_FILE_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def _collect(label: str, top: Path, wanted: list[PurePosixPath], shown_as: str) -> Version:
    existing = [top.joinpath(*w.parts) for w in wanted if top.joinpath(*w.parts).exists()]
    spec_files, problems = discover(existing) if existing else ([], [])
    specs: dict[PurePosixPath, CompiledSpec] = {}
    contents: dict[PurePosixPath, bytes] = {}
    for compiled in compile_batch(spec_files):
        relative = _relative(compiled.spec_file.path, top)
        if relative is None:
            continue
        compiled.diagnostics = [_relabel(d, top, shown_as) for d in compiled.diagnostics]
        specs[relative] = compiled
        content = _content(compiled.spec_file.path, top)
        if content is not None:
            contents[relative] = content
    kept = [_relabel(d, top, shown_as) for d in problems if d.code != "SE010"]
    return Version(label, specs, contents, kept)


def from_revision(root: Path, revision: str, wanted: list[PurePosixPath]) -> Version:
    """A revision's specs, exported to a temporary folder: no checkout, no index change."""
    with tempfile.TemporaryDirectory(prefix="selfeval-diff-") as folder:
        top = Path(folder).resolve()
        _, refused = gitsource.export_yaml(root, revision, top)
        version = _collect(gitsource.describe(root, revision), top, wanted, f"{revision}:")
        version.problems += [
            make(
                "SE015",
                Location(f"{revision}:{entry.path}"),
                path=entry.path,
                detail=phrase(
                    f"git.{entry.reason}",
                    limit=gitsource.max_blob_bytes() // 1024,
                    path_limit=gitsource.MAX_PATH_BYTES,
                ),
            )
            for entry in refused
        ]
        return version


def from_working_tree(root: Path, wanted: list[PurePosixPath]) -> Version:
    return _collect(WORKING_TREE, root.resolve(), wanted, "")

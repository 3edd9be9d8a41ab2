"""The two sides of a diff: a git revision or the working tree, compiled in full."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path, PurePosixPath

from selfeval_compiler.diagnostics import Diagnostic, Location, make, phrase
from selfeval_compiler.diff.compare import Version
from selfeval_compiler.rules.compiler import CompiledSpec, compile_batch
from selfeval_compiler.sources import git as gitsource
from selfeval_compiler.sources.discovery import discover

WORKING_TREE = "工作区"


def _relabel(diagnostic: Diagnostic, top: Path, shown_as: str) -> Diagnostic:
    """Name files as ``REV:path`` (git's notation), or repository-relative for the work tree."""
    file = Path(diagnostic.location.file)
    absolute = file if file.is_absolute() else Path.cwd() / file
    try:
        relative = absolute.resolve().relative_to(top).as_posix()
    except ValueError:
        return diagnostic
    return replace(diagnostic, location=replace(diagnostic.location, file=shown_as + relative))


def _collect(label: str, top: Path, wanted: list[PurePosixPath], shown_as: str) -> Version:
    existing = [top.joinpath(*w.parts) for w in wanted if top.joinpath(*w.parts).exists()]
    spec_files, problems = discover(existing) if existing else ([], [])
    specs: dict[PurePosixPath, CompiledSpec] = {}
    contents: dict[PurePosixPath, bytes] = {}
    for compiled in compile_batch(spec_files):
        relative = PurePosixPath(compiled.spec_file.path.resolve().relative_to(top).as_posix())
        compiled.diagnostics = [_relabel(d, top, shown_as) for d in compiled.diagnostics]
        specs[relative] = compiled
        contents[relative] = compiled.spec_file.path.read_bytes()
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
                detail=phrase(f"git.{entry.reason}"),
            )
            for entry in refused
        ]
        return version


def from_working_tree(root: Path, wanted: list[PurePosixPath]) -> Version:
    return _collect(WORKING_TREE, root.resolve(), wanted, "")

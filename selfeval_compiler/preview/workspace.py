"""What the preview shows, kept in memory: every spec compiled, its HTML rendered on demand
by the same function ``build`` uses, and a version number that moves on every change.

Nothing is written anywhere: not into the repository, not into a build folder. Forms are
known by an id made from their path (a hash), never by a path a request could name.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from selfeval_compiler.building.dates import creation_dates
from selfeval_compiler.diagnostics import Diagnostic, Location, Severity, internal
from selfeval_compiler.outputs.render import render_form
from selfeval_compiler.rules.compiler import CompiledSpec, Compiler
from selfeval_compiler.sources.discovery import SpecFile, discover
from selfeval_compiler.sources.project import find_project


def form_id(spec_file: SpecFile) -> str:
    return hashlib.sha256(str(spec_file.path).encode("utf-8", "surrogateescape")).hexdigest()[:16]


@dataclass
class Entry:
    id: str
    spec_file: SpecFile
    compiled: CompiledSpec
    html: bytes | None = None
    version: int = 0
    created: str | None = None
    """The creation date build would print (SOURCE_DATE_EPOCH or the last commit)."""

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.compiled.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.compiled.diagnostics)


@dataclass
class Workspace:
    paths: list[Path]
    entries: dict[str, Entry] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    version: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)
    _sources: set[Path] = field(default_factory=set)

    def load(self) -> None:
        """Discover and compile everything (at start, and when a shared file changed)."""
        compiler = Compiler()
        spec_files, problems = discover(self.paths, find_project())
        dates = creation_dates([spec_file.path for spec_file in spec_files])
        entries: dict[str, Entry] = {}
        sources: set[Path] = set()
        for spec_file in spec_files:
            compiled = compiler.compile(spec_file)
            entry = Entry(form_id(spec_file), spec_file, compiled)
            entry.created = dates.get(spec_file.path)
            entries[entry.id] = entry
            sources |= _inputs(compiled)
        with self.changed:
            self.entries, self.problems, self._sources = entries, problems, sources
            self.version += 1
            for entry in entries.values():
                entry.version = self.version
            self.changed.notify_all()

    def update(self, changed: set[Path]) -> None:
        """Recompile what a set of saved files affects: a spec alone, or everything when a
        ``_defaults.yaml``, a profile or the set of specs changed."""
        specs = {entry.spec_file.path.resolve(): entry for entry in self.entries.values()}
        resolved = {path.resolve() for path in changed}
        if any(path not in specs for path in resolved):
            self.load()  # a new or deleted spec, a defaults file, a profile
            return
        compiler = Compiler()
        with self.changed:
            self.version += 1
            for path in resolved:
                entry = specs[path]
                entry.compiled = compiler.compile(entry.spec_file)
                entry.html = None
                entry.version = self.version
            self.changed.notify_all()

    def watched(self) -> set[Path]:
        """Folders whose files matter: the paths given and every profile's folder."""
        folders = {p.resolve() if p.is_dir() else p.resolve().parent for p in self.paths}
        return folders | {source.parent for source in self._sources}

    def html(self, entry: Entry) -> bytes | None:
        """The form's HTML exactly as ``build`` writes it; ``None`` when it has errors."""
        if entry.html is None and entry.compiled.form is not None and not entry.errors:
            where = Location(entry.spec_file.display, 1, 1)
            try:
                rendered = render_form(
                    entry.compiled.form, ["html"], created=entry.created, where=where
                )
            except Exception as error:  # a template problem: shown, never a crash
                entry.compiled.diagnostics.append(internal(where, error))
                return None
            entry.html = rendered.outputs[0][1] if rendered.ok else None
        return entry.html


def _inputs(compiled: CompiledSpec) -> set[Path]:
    if compiled.form is None:
        return set()
    return {Path(path).resolve() for path, _ in compiled.form.profile.sources}

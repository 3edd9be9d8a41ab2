"""What the preview shows, kept in memory: every spec checked by :func:`api.check` (so the
preview reports what ``check`` reports, the findings across specs included), its HTML
rendered on demand by the same function ``build`` uses, and a version number that moves on
every change.

Nothing is written anywhere: not into the repository, not into a build folder. Forms are
known by an id made from their path (a hash), never by a path a request could name.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from selfeval_compiler import api
from selfeval_compiler.building.dates import creation_dates
from selfeval_compiler.diagnostics import Diagnostic, Location, Severity, internal
from selfeval_compiler.outputs.render import render_printed
from selfeval_compiler.rules.compiler import CompiledSpec
from selfeval_compiler.sources.discovery import SpecFile


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
    across: list[Diagnostic] = field(default_factory=list)
    """Findings about this spec among the others (SE018: the same project twice)."""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted(self.compiled.diagnostics + self.across, key=lambda d: d.sort_key)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)


@dataclass
class Workspace:
    paths: list[Path]
    entries: dict[str, Entry] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    version: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)
    _sources: set[Path] = field(default_factory=set)
    _report: api.Report | None = None

    def load(self) -> None:
        """Check everything (at start, and when a shared file or the set of specs changed).
        Raises :class:`api.UsageError` as ``check`` does (a path that does not exist)."""
        self._show(api.check(self.paths, keep_forms=True), fresh=True)

    def update(self, changed: set[Path]) -> None:
        """Check again what a set of saved files affects: those specs (and the findings
        across specs), or everything when a ``_defaults.yaml``, a profile or the set of specs
        changed."""
        known = {entry.spec_file.path.resolve() for entry in self.entries.values()}
        saved = {path.resolve() for path in changed}
        if not saved <= known or self._report is None:
            self.load()  # a new or deleted spec, a defaults file, a profile
            return
        self._show(api.recheck(self._report, saved), fresh=False, saved=saved)

    def _show(
        self, report: api.Report, *, fresh: bool, saved: AbstractSet[Path] = frozenset()
    ) -> None:
        by_file: dict[str, list[Diagnostic]] = {}
        shared: list[Diagnostic] = []
        files = {c.spec_file.display for c in report.compiled}
        for problem in report.problems:
            (
                by_file.setdefault(problem.location.file, [])
                if problem.location.file in files
                else shared
            ).append(problem)
        dates = creation_dates([c.spec_file.path for c in report.compiled]) if fresh else {}
        with self.changed:
            self.version += 1
            old = self.entries
            entries: dict[str, Entry] = {}
            for compiled in report.compiled:
                key = form_id(compiled.spec_file)
                entry = old.get(key) if not fresh else None
                if entry is None:
                    entry = Entry(key, compiled.spec_file, compiled, version=self.version)
                    entry.created = dates.get(compiled.spec_file.path)
                elif compiled.spec_file.path.resolve() in saved:
                    entry.compiled, entry.html, entry.version = compiled, None, self.version
                entry.across = by_file.get(compiled.spec_file.display, [])
                entries[key] = entry
            self.entries, self.problems, self._report = entries, shared, report
            self._sources = set().union(*(_inputs(c) for c in report.compiled))
            self.changed.notify_all()

    def watched(self) -> set[Path]:
        """Folders whose files matter: the paths given and every profile's folder."""
        folders = {p.resolve() if p.is_dir() else p.resolve().parent for p in self.paths}
        return folders | {source.parent for source in self._sources}

    def html(self, entry: Entry) -> bytes | None:
        """The form's HTML exactly as ``build`` writes it (the form its stage names);
        ``None`` when it has errors."""
        printed = entry.compiled.printed
        if entry.html is None and printed is not None and not entry.errors:
            where = Location(entry.spec_file.display, 1, 1)
            try:
                rendered = render_printed(printed, ["html"], created=entry.created, where=where)
            except Exception as error:  # a template problem: shown, never a crash
                entry.compiled.diagnostics.append(internal(where, error))
                return None
            entry.html = rendered.outputs[0][1] if rendered.ok else None
        return entry.html


def _inputs(compiled: CompiledSpec) -> set[Path]:
    printed = compiled.printed
    if printed is None:
        return set()
    return {Path(path).resolve() for path, _ in printed.profile.sources}

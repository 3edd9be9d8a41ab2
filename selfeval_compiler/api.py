"""The library's face: every verb the command line and the preview offer, each a list of
stages in order. Nothing here prints or exits; callers get a report and decide.

check:    discover → compile (load → validate → model → derive), each spec as the form its
          stage names, in workers past 64 specs → findings across specs (SE014, SE018).
recheck:  a check's report with the specs just saved compiled again (the preview).
build:    discover → plan (skip what is up to date; keep every format the folder holds) →
          in workers: compile → render → write → bundle each folder → record what was built
          → prune → summary (when asked or already there), all holding the folder's lock.
diff:     export a revision from git → compile both versions → compare.
summary:  collect the build folders' JSON → the 汇总表 → write.
new:      a spec skeleton (authoring).
rollover: next year's specs at the 申报 stage (authoring).
import:   published forms → grids (in a capped child) → recognised forms → specs.

Paths named are relative to the working folder; none named (an empty list, ``output=None``)
means the project's: its spec root and ``build/`` at its root (:func:`spec_paths`,
:func:`default_output`), found from the working folder up, so every command run in
``specs/unit/`` does what it does at the root.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

from selfeval_compiler.building.lock import Locked, output_lock
from selfeval_compiler.building.record import Manifest
from selfeval_compiler.diagnostics import (
    Diagnostic,
    Kind,
    Location,
    Phrase,
    Severity,
    listing,
    lookup,
    make,
    phrase,
)
from selfeval_compiler.outputs import formats as render
from selfeval_compiler.outputs import limits
from selfeval_compiler.outputs.layout import collisions, form_stem
from selfeval_compiler.rules.compiler import DEPARTMENT, CompiledSpec, compile_batch
from selfeval_compiler.rules.compiler import FORMS as FORMS
from selfeval_compiler.rules.plausibility import duplicate_projects
from selfeval_compiler.sources.discovery import SpecFile, discover, specs_among
from selfeval_compiler.sources.project import ConfigProblem, Project, find_project, shown

if TYPE_CHECKING:
    from selfeval_compiler.building.plan import Plan
    from selfeval_compiler.building.workers import TaskResult
    from selfeval_compiler.diff.compare import DiffReport
    from selfeval_compiler.importers.run import ImportedFile

FORMATS = tuple(render.FORMATS)
NEW_FORMS = (*FORMS, DEPARTMENT)
"""What ``new`` writes a skeleton of: a project spec at either stage, or a department spec."""
DEFAULT_SUMMARY_FORMATS = ("html", "pdf", "json")
"""What ``summary`` writes unless told (xlsx on request)."""
DEFAULT_FORMATS = tuple(name for name, fmt in render.FORMATS.items() if fmt.default)
DUPLICATE_PROJECT = "SE018"
PARALLEL_MINIMUM = 64
"""Below this many specs, a second process costs more than it saves in ``check``."""


class _HasDiagnostics(Protocol):
    @property
    def diagnostics(self) -> list[Diagnostic]: ...


class Findings:
    """Counts over a report's ``diagnostics`` (a field or a property: every report a
    command returns has them)."""

    @property
    def errors(self: _HasDiagnostics) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self: _HasDiagnostics) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def environment_failed(self: _HasDiagnostics) -> bool:
        """A finding about the machine or selfeval itself (a write that failed, no font, an
        internal error), not about the specs: every command exits 2 for it."""
        return any(lookup(d.code).kind is not Kind.SPEC for d in self.diagnostics)


class Reported(Protocol):
    """What every command's report offers the CLI: its findings and their counts."""

    @property
    def diagnostics(self) -> list[Diagnostic]: ...

    @property
    def errors(self) -> int: ...

    @property
    def warnings(self) -> int: ...

    @property
    def environment_failed(self) -> bool: ...


class Progress(Protocol):
    """Told how many forms there are, then of each as it is done."""

    def start(self, total: int) -> None: ...

    def advance(self, what: str, status: str) -> None:
        """``status``: "ok", "failed" or "skipped" (up to date)."""


class UsageError(Exception):
    """The call itself is wrong (bad output folder, unknown format, no repository): exit 2.

    ``message`` holds the text in both languages; the CLI prints the one chosen."""

    def __init__(self, message: Phrase) -> None:
        super().__init__(message.en)
        self.message = message


def _project(start: Path | None = None) -> Project:
    try:
        return find_project(start)
    except ConfigProblem as problem:
        raise UsageError(phrase("usage.config", detail=str(problem))) from None


def _require(paths: list[Path]) -> None:
    for given in paths:
        if not given.exists():
            raise UsageError(phrase("usage.missing-path", path=str(given)))


def spec_paths(paths: Iterable[Path] = ()) -> list[Path]:
    """The paths a command reads: those named, relative to the working folder as typed;
    none named means the project's spec root, found from the working folder up as git
    finds its repository, so a command run in ``specs/unit/`` reads what it reads at the
    root. Raises :class:`UsageError` for a path that does not exist."""
    given = list(paths)
    if not given:
        project = _project()
        if not project.spec_root.is_dir():
            raise UsageError(
                phrase(
                    "usage.no-spec-root",
                    path=str(shown(project.spec_root)),
                    root=str(project.root),
                )
            )
        given = [shown(project.spec_root)]
    _require(given)
    return given


def default_output(form: str | None = None) -> Path:
    """The project's build folder: ``build/`` at the project root (``build/goals`` for the
    goals form, so the two forms of a spec never share a folder), from any working folder."""
    folder = _project().root / "build"
    return shown(folder / "goals" if form == "goals" else folder)


def _discover(paths: list[Path]) -> tuple[list[SpecFile], list[Diagnostic], list[SpecFile]]:
    """discover, after refusing paths that do not exist (a usage error, not a spec's), and
    with specs that would write the same outputs reported (SE014) and left out (the third
    list)."""
    _require(paths)
    spec_files, problems = discover(paths, _project())
    clashing: set[Path] = set()
    for group in collisions((s, s.relative) for s in spec_files):
        for spec_file in group:
            others = [o for o in group if o is not spec_file]
            clashing.add(spec_file.path)
            problems.append(
                make(
                    "SE014",
                    Location(spec_file.display, 1, 1),
                    other=listing(o.display for o in others),
                    output=form_stem(spec_file.relative).as_posix(),
                )
            )
    kept = [s for s in spec_files if s.path not in clashing]
    return kept, problems, [s for s in spec_files if s.path in clashing]


@dataclass
class Report(Findings):
    compiled: list[CompiledSpec] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    """Findings that belong to no single spec: missing paths, fonts, writing."""
    built: int = 0
    skipped: int = 0
    removed: list[Path] = field(default_factory=list)
    output: Path | None = None
    """The folder ``build`` wrote into (the project's build folder unless one was named)."""
    summarised: list[Path] = field(default_factory=list)
    """The ``summary.*`` files the build wrote."""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every finding once (a broken ``_defaults.yaml`` is a finding of each spec it
        applies to, but is reported once), sorted by file and line."""
        found = list(self.problems)
        for compiled in self.compiled:
            found.extend(compiled.diagnostics)
        unique = {(d.code, d.location, d.message_zh): d for d in found}
        return sorted(unique.values(), key=lambda d: d.sort_key)


def default_jobs() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _form_name(form: str | None) -> str | None:
    """``None`` (each spec as its stage says) or one of :data:`FORMS`."""
    if form is not None and form not in FORMS:
        raise UsageError(phrase("usage.unknown-form", name=form, allowed=listing(FORMS)))
    return form


def check(
    paths: Iterable[Path] = (),
    *,
    jobs: int = 1,
    keep_forms: bool = True,
    form: str | None = None,
    only_specs: bool = False,
) -> Report:
    """Load, validate and derive every spec under ``paths`` (none: the project's spec
    root, see :func:`spec_paths`); render nothing. Each spec is checked as the form its
    stage names (a spring spec as the 绩效目标申报表, an autumn one as the 自评表) unless
    ``form`` names one for all.

    ``only_specs`` is the pre-commit hook's mode: of the files named, only specs below the
    project's spec root are checked, a ``_defaults.yaml`` stands for the specs it applies
    to, and anything else (CI files, profiles, deleted files) is left out; with nothing
    left, the report is empty (see :func:`~selfeval_compiler.sources.discovery.specs_among`).

    With ``jobs`` > 1, at least :data:`PARALLEL_MINIMUM` specs and ``keep_forms`` off, specs
    are compiled in worker processes and only the findings come back (moving the forms back
    would cost more than the checking saves).
    """
    _check_settings()
    form = _form_name(form)
    jobs = _capped(jobs)
    if only_specs:
        named = specs_among(list(paths), _project())
        if not named:
            return Report()
    else:
        named = spec_paths(paths)
    spec_files, problems, _ = _discover(named)
    if jobs <= 1 or keep_forms or len(spec_files) < PARALLEL_MINIMUM:
        compiled = compile_batch(spec_files, keep_forms, form)
    else:
        from selfeval_compiler.building.workers import compile_in_workers

        compiled = compile_in_workers(spec_files, jobs, form)
    problems += duplicate_projects([(c.spec_file, c.project) for c in compiled if c.project])
    return Report(compiled, problems)


def recheck(report: Report, changed: Iterable[Path], *, form: str | None = None) -> Report:
    """``report`` (from :func:`check` with ``keep_forms``) after the specs at ``changed`` were
    saved: those compiled again, the findings across specs (SE018) made anew, the rest kept.
    A new or deleted spec changes the set of specs: call :func:`check` again for that."""
    saved = {path.resolve() for path in changed}
    compiled = [
        compile_batch([c.spec_file], True, form)[0] if c.spec_file.path.resolve() in saved else c
        for c in report.compiled
    ]
    problems = [d for d in report.problems if d.code != DUPLICATE_PROJECT]
    problems += duplicate_projects([(c.spec_file, c.project) for c in compiled if c.project])
    return Report(compiled, problems)


def _overlapping(paths: list[Path], output: Path) -> Path | None:
    """The first path whose folder is, holds, or lies inside ``output``."""
    target = output.resolve()
    for given in paths:
        folder = given.resolve() if given.is_dir() else given.resolve().parent
        if folder.is_relative_to(target) or target.is_relative_to(folder):
            return given
    return None


def _guard_output(paths: list[Path], output: Path, form: str | None) -> None:
    """Refuse an output folder that is, holds, or lies inside a spec folder: a build never
    writes, moves or deletes anything among the specs. The message names an output folder
    that would be accepted: the project's build folder, else one beside the project."""
    given = _overlapping(paths, output)
    if given is None:
        return
    root = _project().root
    beside = root.parent / f"{root.name}-build"
    candidates = [default_output(form), shown(beside / "goals" if form == "goals" else beside)]
    free = next((c for c in candidates if _overlapping(paths, c) is None), candidates[-1])
    raise UsageError(
        phrase("usage.overlap", output=str(output), given=str(given), suggestion=str(free))
    )


def build(
    paths: Iterable[Path] = (),
    output: Path | None = None,
    *,
    formats: Iterable[str] = DEFAULT_FORMATS,
    progress: Progress | None = None,
    jobs: int = 1,
    force: bool = False,
    form: str | None = None,
    shard: tuple[int, int] | None = None,
    summary: bool = False,
) -> Report:
    """Write HTML, PDF and JSON for every spec without errors, and a PDF bundle per folder.
    Each spec is printed as the form its stage names unless ``form`` names one for all.

    ``paths`` defaults to the project's spec root (:func:`spec_paths`), ``output`` to its
    build folder (:func:`default_output`); the report names the folder written.

    Every file in the output folder describes the current specs. Outputs that are up to date
    are skipped (``force`` rebuilds everything). A form that changed is written in the
    formats asked for and in every other format its output folder already holds (an
    ``.xlsx`` from an earlier ``--format xlsx``), so nothing old is left beside it; delete a
    format's files to stop keeping it. Outputs of specs that were deleted, and outputs at
    paths no spec maps to any more (``spec_root`` changed), are removed.

    ``summary`` writes ``summary.*`` of the output folder (in the formats asked for) and
    records them; a later build that changes a form rewrites them. A shard (``K/N``) always
    leaves a build folder with its record, even when it has no form to build. On Ctrl-C the
    forms that finished are recorded (the next build redoes only the rest), bundles and the
    summary that they made out of date are removed, and ``KeyboardInterrupt`` propagates.
    """

    paths = list(paths)
    wanted = frozenset(formats)
    unknown = wanted - set(FORMATS)
    if unknown or not wanted:
        name = ", ".join(sorted(unknown)) or "—"
        raise UsageError(phrase("usage.unknown-format", name=name, allowed=listing(FORMATS)))
    form = _form_name(form)
    if shard is not None and not 1 <= shard[0] <= shard[1] <= 1000:
        raise UsageError(phrase("usage.shard", given=f"{shard[0]}/{shard[1]}"))
    if form == "goals" and wanted - set(render.GOALS_FORMATS):
        name = ", ".join(sorted(wanted - set(render.GOALS_FORMATS)))
        allowed = listing(render.GOALS_FORMATS)
        raise UsageError(phrase("usage.unknown-format", name=name, allowed=allowed))
    paths = spec_paths(paths)
    output = default_output(form) if output is None else output
    _check_settings()
    _guard_output(paths, output, form)
    try:
        with output_lock(output, limits.setting("SELFEVAL_LOCK_SECONDS")):
            report = _build_locked(
                paths,
                output,
                wanted,
                progress,
                _capped(jobs),
                force=force,
                form=form,
                shard=shard,
                summary=summary,
            )
    except Locked:
        raise UsageError(phrase("usage.locked", output=str(output))) from None
    report.output = output
    return report


def _capped(jobs: int) -> int:
    """Worker processes: at least one, at most two per core (more only costs memory)."""
    return max(1, min(jobs, 2 * default_jobs()))


def _check_settings() -> None:
    try:
        limits.check_settings()
    except limits.BadSetting as bad:
        raise UsageError(
            phrase("usage.environment", name=bad.name, value=bad.value, expected=bad.expected)
        ) from None


def _build_locked(
    paths: list[Path],
    output: Path,
    wanted: frozenset[str],
    progress: Progress | None,
    jobs: int,
    *,
    force: bool,
    form: str | None = None,
    shard: tuple[int, int] | None = None,
    summary: bool = False,
) -> Report:
    """The stages of :func:`build`, holding the output folder's lock."""
    from selfeval_compiler.building import plan as incremental
    from selfeval_compiler.building.dates import creation_dates
    from selfeval_compiler.building.workers import run_tasks

    spec_files, problems, clashing = _discover(paths)
    report = Report(problems=problems)
    incremental.remove_partials(output)
    manifest = Manifest.load(output)  # also with force: what the folder holds must be known
    clashing_keys = [incremental.record_key(output, s.path) for s in clashing]
    report.removed = incremental.forget(manifest, output, clashing_keys)
    dates = creation_dates([s.path for s in spec_files])
    every_spec = spec_files  # prune must not take another shard's forms for deleted ones
    if shard is not None:
        spec_files = incremental.shard(spec_files, *shard)
    allowed = render.GOALS_FORMATS if form == "goals" else FORMATS
    plan = incremental.plan(spec_files, output, wanted, dates, manifest, force, jobs, form, allowed)
    summary_formats = _summary_formats(manifest, output, wanted if summary else frozenset())
    needed = plan.every_format | (summary_formats if plan.tasks or summary else frozenset())
    if not _ready_to_write(report, needed, output, bool(spec_files)):
        return report
    if progress:
        progress.start(len(spec_files))
    _skip_current(report, manifest, output, plan.current, progress)
    results: list[TaskResult] = []
    try:
        run_tasks(plan.tasks, jobs, lambda result: _finished(results, result, progress))
    except KeyboardInterrupt:
        _keep_finished(manifest, output, plan, dates, results, form)
        raise
    order = {s.path: index for index, s in enumerate(spec_files)}
    results.sort(key=lambda r: [order.get(e.spec_file.path, -1) for e in r.entries])
    for task_result in results:
        report.problems.extend(task_result.problems)
        for entry in task_result.entries:
            report.compiled.append(CompiledSpec(entry.spec_file, None, entry.diagnostics))
            report.built += bool(entry.written)
    projects = [(e.spec_file, (e.year, e.unit, e.project)) for r in results for e in r.entries]
    for spec_file in plan.current:
        record = manifest.specs[incremental.record_key(output, spec_file.path)]
        projects.append((spec_file, (record.year, record.unit, record.project)))
    report.problems += duplicate_projects([(s, key) for s, key in projects if key[2]])
    report.removed += incremental.record_results(manifest, output, plan, dates, results, form)
    failed = {e.spec_file.path for r in results for e in r.entries if not e.ok}
    if shard is None:
        # Imported only when a bundle is made: a no-op rebuild needs no presentation model.
        from selfeval_compiler.building.bundles import assemble_bundle

        for folder, members in plan.bundles.items():
            report.problems += assemble_bundle(
                manifest, output, folder, members, failed, dates, plan.formats[folder]
            )
    else:  # a folder's forms are spread over the shards: `selfeval merge` makes its bundles
        for relative in sorted(manifest.bundles):
            del manifest.bundles[relative]
            report.removed += incremental.remove_output(output, relative)
    report.removed += incremental.prune(manifest, output, paths, every_spec)
    changed = bool(plan.tasks or report.removed)
    summarised = _summarise(report, manifest, output, summary_formats, changed)
    _save(report, manifest, output, changed or bool(plan.bundles) or summarised, shard is not None)
    if shard is not None:
        _stamp(report, output, shard, every_spec, dates, wanted, form)
    return report


def _stamp(
    report: Report,
    output: Path,
    shard: tuple[int, int],
    every_spec: list[SpecFile],
    dates: dict[Path, str],
    wanted: frozenset[str],
    form: str | None,
) -> None:
    """The shard's stamp, for ``selfeval merge``: which build it is a part of."""
    from selfeval_compiler.building import plan as incremental
    from selfeval_compiler.building.merge import STAMP_NAME, make_stamp
    from selfeval_compiler.building.record import settings_key
    from selfeval_compiler.outputs.writing import write_output

    if not output.is_dir():
        return
    folders = {
        folder.as_posix(): [
            (incremental.record_key(output, s.path), s.path, dates.get(s.path)) for s in members
        ]
        for folder, members in incremental.folder_members(every_spec).items()
    }
    build = settings_key(wanted, None, form)
    stamp = make_stamp(shard[0], shard[1], build, wanted, folders)
    problem = write_output(output / STAMP_NAME, stamp.dumps(), within=output)
    if problem is not None:
        report.problems.append(problem)


def merge(shards: Iterable[Path], output: Path) -> MergeReport:
    """Gather the shards of one build (``build --shard K/N`` for every K) into ``output``:
    every form's files, then each folder's bundles (``_combined.pdf`` from the forms' PDFs,
    ``_combined.xlsx`` from the sheet records the shards kept) and the summary when the
    shards recorded one — no form rendered again, the same bytes as a one-machine build.
    Shards of different builds, a form in two shards, a missing shard or a file not taken
    (a symlink, a path out of the shard, a huge file) stop it before anything is written."""
    from selfeval_compiler.building import merge as merging
    from selfeval_compiler.outputs.writing import folder_unwritable

    folders = list(shards)
    if not folders:
        raise UsageError(phrase("usage.merge-nothing"))
    _require(folders)
    _output_folder(output)
    given = _overlapping(folders, output)
    if given is not None:
        suggestion = str(output.parent / f"{output.name}-merged")
        raise UsageError(
            phrase("usage.overlap", output=str(output), given=str(given), suggestion=suggestion)
        )
    report = MergeReport()
    try:
        gathered = merging.gather(folders, output)
    except merging.Refused as refused:
        report.diagnostics.append(refused.diagnostic)
        return report
    unwritable = folder_unwritable(output)
    if unwritable is not None:
        report.diagnostics.append(unwritable)
        return report
    report.diagnostics += merging.write_forms(gathered, output)
    report.diagnostics += merging.make_bundles(gathered, output)
    if gathered.summary:
        wanted = [name.removeprefix("summary.") for name in gathered.summary]
        written = _write_summary([output], output, [n for n in FORMATS if n in wanted])
        report.diagnostics += written.diagnostics
        gathered.manifest.summary = sorted(path.name for path in written.written)
    problem = merging.save(gathered, output)
    if problem is not None:
        report.diagnostics.append(problem)
    report.written = [output / taken.relative for taken in gathered.files]
    report.forms = len(gathered.manifest.specs)
    return report


def _skip_current(
    report: Report,
    manifest: Manifest,
    output: Path,
    current: list[SpecFile],
    progress: Progress | None,
) -> None:
    """Forms up to date: their recorded warnings, reported again; not even parsed."""
    from selfeval_compiler.building.plan import record_key

    for spec_file in current:
        record = manifest.specs[record_key(output, spec_file.path)]
        warnings = [Diagnostic.from_record(r) for r in record.warnings]
        report.compiled.append(CompiledSpec(spec_file, None, warnings))
        if progress:
            progress.advance(spec_file.display, "skipped")
    report.skipped = len(current)


def _finished(results: list[TaskResult], result: TaskResult, progress: Progress | None) -> None:
    """A form written (or failed), told as soon as it is: kept, and shown."""
    results.append(result)
    if progress is None:
        return
    for entry in result.entries:
        progress.advance(entry.spec_file.display, "ok" if entry.ok else "failed")


def _summary_formats(manifest: Manifest, output: Path, asked: frozenset[str]) -> frozenset[str]:
    """The summary formats to keep current: those asked for and those the record lists and
    the folder still holds (a summary file deleted by hand is not brought back)."""
    held = {n for n in manifest.summary if (output / n).is_file()}
    return asked | {name.removeprefix("summary.") for name in held}


def _summarise(
    report: Report, manifest: Manifest, output: Path, formats: frozenset[str], stale: bool
) -> bool:
    """Write (and record) the summary files in ``formats`` when forms changed (``stale``) or
    one of them is not there yet; remove recorded ones that could not be written. Return
    whether the record changed."""
    from selfeval_compiler.building.plan import remove_output

    names = sorted(f"summary.{name}" for name in formats)
    before = list(manifest.summary)
    missing = any(name not in manifest.summary or not (output / name).is_file() for name in names)
    if names and (stale or missing):
        written = _write_summary([output], output, [n for n in FORMATS if n in formats])
        report.problems += written.diagnostics
        report.summarised = written.written
        names = sorted(path.name for path in written.written)
    for name in sorted(set(manifest.summary) - set(names)):
        report.removed += remove_output(output, name)
    manifest.summary = names
    return bool(report.summarised) or manifest.summary != before


def _keep_finished(
    manifest: Manifest,
    output: Path,
    plan: Plan,
    dates: dict[Path, str],
    results: list[TaskResult],
    form: str | None,
) -> None:
    """After Ctrl-C: record the forms that finished, so the next build redoes only the rest,
    and remove what they made out of date (their folders' bundles, the summary; the next
    build makes the bundles again)."""
    from selfeval_compiler.building import plan as incremental
    from selfeval_compiler.outputs.formats import bundled_suffixes
    from selfeval_compiler.outputs.layout import bundle_relative, form_folder

    if not results:
        return
    incremental.record_results(manifest, output, plan, dates, results, form)
    for folder in sorted({form_folder(e.spec_file.relative) for r in results for e in r.entries}):
        for suffix in bundled_suffixes(plan.formats.get(folder, ())):
            relative = bundle_relative(folder, suffix).as_posix()
            manifest.bundles.pop(relative, None)
            incremental.remove_output(output, relative)
    for name in manifest.summary:
        incremental.remove_output(output, name)
    manifest.summary = []
    _save(Report(), manifest, output, True, False)
    incremental.remove_partials(output)


def _save(report: Report, manifest: Manifest, output: Path, changed: bool, shard: bool) -> None:
    """Write the build record when the build changed something the record remembers; a
    shard always leaves one (an empty shard's folder is a build folder too)."""
    from selfeval_compiler.building.record import MANIFEST_NAME
    from selfeval_compiler.outputs.writing import write_output

    path = output / MANIFEST_NAME
    remembers = manifest.specs or manifest.bundles or manifest.summary or path.exists()
    if output.is_dir() and ((changed and remembers) or (shard and not path.exists())):
        problem = write_output(path, manifest.dumps(), within=output)
        if problem is not None:
            report.problems.append(problem)


def _ready_to_write(report: Report, wanted: Iterable[str], output: Path, any_specs: bool) -> bool:
    """Fonts for a PDF (SE901) and an output folder that takes files (one SE904 for the
    folder rather than one per file), before anything is compiled or written."""
    from selfeval_compiler.outputs.writing import folder_unwritable

    if render.any_format(wanted, "needs_fonts") and not _fonts_ready(report):
        return False
    unwritable = folder_unwritable(output) if any_specs else None
    if unwritable is not None:
        report.problems.append(unwritable)
        return False
    return True


def _fonts_ready(report: Report) -> bool:
    from selfeval_compiler.outputs.pdf import FontProblem, check_fonts

    try:
        check_fonts()
    except FontProblem as problem:
        report.problems.append(make(problem.code, Location("<fonts>"), **problem.args_for_message))
        return False
    return True


def diff(
    paths: Iterable[Path] = (),
    old_revision: str = "HEAD",
    new_revision: str | None = None,
    *,
    cwd: Path | None = None,
) -> DiffReport:
    """Compare the forms of two versions: a revision against the working tree (or another
    revision). Both are read straight from git; the working tree is not touched. ``paths``
    are relative to ``cwd``; none named means the project's spec root. Raises
    :class:`UsageError` outside a repository, for an unknown revision, or when neither
    version holds a spec under the paths (a diff that compared nothing says so)."""
    from selfeval_compiler.diff import versions
    from selfeval_compiler.diff.compare import diff_versions
    from selfeval_compiler.sources import git as gitsource

    here = (cwd or Path.cwd()).resolve()
    try:
        root = gitsource.repository_root(here)
        for revision in (old_revision, new_revision):
            if revision is not None and not gitsource.is_revision(root, revision):
                raise UsageError(phrase("usage.not-revision", revision=revision))
        named = list(paths) or [_project(here).spec_root]
        wanted = [_repository_relative(root, here, p) for p in named]
        old = versions.from_revision(root, old_revision, wanted)
        new = (
            versions.from_revision(root, new_revision, wanted)
            if new_revision
            else versions.from_working_tree(root, wanted)
        )
    except gitsource.GitProblem as problem:
        raise UsageError(phrase("usage.git", detail=str(problem))) from problem
    if not old.specs and not new.specs:  # never "0 changed" for a diff that compared nothing
        named_specs = listing(f"{w}/" if not w.suffix else str(w) for w in wanted)
        raise UsageError(
            phrase("usage.nothing-compared", paths=named_specs, old=old.label, new=new.label)
        )
    return diff_versions(old, new)


def _repository_relative(root: Path, here: Path, path: Path) -> PurePosixPath:
    absolute = path.resolve() if path.is_absolute() else (here / path).resolve()
    try:
        return PurePosixPath(absolute.relative_to(root).as_posix())
    except ValueError:
        raise UsageError(
            phrase("usage.outside-repository", path=str(path), root=str(root))
        ) from None


@dataclass
class ImportReport(Findings):
    """What ``import_forms`` read from each file and wrote."""

    files: list[ImportedFile] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    """Findings about no one file (an output folder that takes no files)."""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.problems + [d for result in self.files for d in result.diagnostics]

    @property
    def written(self) -> list[Path]:
        return [path for result in self.files for path in result.written]


@dataclass
class Written(Findings):
    """The files a command wrote, and what it found on the way (``rollover``, ``summary``)."""

    written: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class SummaryReport(Written):
    projects: int = 0
    """Projects summarised: 自评表 and 申报表 together."""
    goals: int = 0
    """Of those, the 申报表 (in their own table)."""
    departments: int = 0
    """部门整体支出绩效自评表, apart from the projects (in a table of their own)."""


@dataclass
class MergeReport(Written):
    forms: int = 0
    """Forms gathered from the shards."""


def _output_folder(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise UsageError(phrase("usage.output-not-folder", path=str(output)))


def summary(
    builds: Iterable[Path] = (),
    output: Path | None = None,
    *,
    formats: Iterable[str] = DEFAULT_SUMMARY_FORMATS,
) -> SummaryReport:
    """The 项目支出绩效自评结果汇总表 of one or more builds' JSON outputs, written to
    ``output/summary.{html,pdf,xlsx,json}``; of builds of 申报表, the 绩效目标申报汇总表
    (amounts and goals, no scores); of builds holding both, both tables, never mixed.
    ``builds`` and ``output`` default to the project's build folder (:func:`default_output`),
    from any working folder."""
    from selfeval_compiler.summary.render import SUMMARY_FORMATS

    folders = list(builds) or [default_output()]
    output = default_output() if output is None else output
    wanted = list(dict.fromkeys(formats))
    unknown = [name for name in wanted if name not in SUMMARY_FORMATS]
    if unknown or not wanted:
        name = ", ".join(unknown) or "—"
        raise UsageError(
            phrase("usage.unknown-format", name=name, allowed=listing(SUMMARY_FORMATS))
        )
    _require(folders)
    _output_folder(output)
    return _write_summary(folders, output, wanted)


def _write_summary(folders: list[Path], output: Path, wanted: list[str]) -> SummaryReport:
    """The summary of ``folders`` written to ``output/summary.*`` in ``wanted``."""
    from selfeval_compiler.outputs.writing import folder_unwritable, write_output
    from selfeval_compiler.summary.collect import collect
    from selfeval_compiler.summary.render import render_summary
    from selfeval_compiler.summary.table import summarise, summarise_goals

    found = collect(folders)
    report = SummaryReport(
        diagnostics=found.problems,
        projects=len(found.forms) + len(found.goals),
        goals=len(found.goals),
        departments=len(found.departments),
    )
    if "pdf" in wanted:
        fonts = Report()
        if not _fonts_ready(fonts):
            report.diagnostics += fonts.problems
            return report
    unwritable = folder_unwritable(output)
    if unwritable is not None:
        report.diagnostics.append(unwritable)
        return report
    others = found.goals or found.departments
    autumn = summarise(found.forms) if found.forms or not others else None
    spring = summarise_goals(found.goals) if found.goals else None
    where = Location(str(shown(output / "summary.pdf")))
    made, problems = render_summary(
        autumn, wanted, spring, where=where, departments=found.departments
    )
    report.diagnostics += problems
    for suffix, data in made.items():
        target = output / f"summary{suffix}"
        problem = write_output(target, data, within=output)
        if problem is None:
            report.written.append(target)
        else:
            report.diagnostics.append(problem)
    return report


def rollover(paths: Iterable[Path], year: int, output: Path, *, force: bool = False) -> Written:
    """Next year's specs (and ``_defaults.yaml``) from this year's, into ``output``: the
    year's-end facts removed, comments and key order kept (see
    :mod:`selfeval_compiler.authoring.rollover`)."""
    from selfeval_compiler.authoring.rollover import rollover as roll

    sources = list(paths)
    _require(sources)
    _output_folder(output)
    for given in sources:
        folder = given.resolve() if given.is_dir() else given.resolve().parent
        target = output.resolve()
        if target == folder or target.is_relative_to(folder):
            # --force would overwrite this year's specs; inside, the next run reads them
            named = folder.name
            beside = str(year) if named.isdigit() else f"{named}-{year}"
            raise UsageError(
                phrase(
                    "usage.rollover-same" if target == folder else "usage.rollover-inside",
                    output=str(output),
                    given=str(given),
                    suggestion=str(shown(folder.parent / beside)),
                )
            )
    unwritable = _unwritable(output)
    if unwritable is not None:
        return Written(diagnostics=[unwritable])
    return Written(*roll(sources, year, output, force))


def _unwritable(output: Path) -> Diagnostic | None:
    """One SE904 for an output folder nothing can be written into, before anything is read
    or written (rather than one for every file)."""
    from selfeval_compiler.outputs.writing import folder_unwritable

    return folder_unwritable(output)


def new(path: Path, *, year: int | None = None, form: str | None = None) -> Written:
    """A spec skeleton of ``form`` (the 自评表's, the 申报表's for "goals", the
    部门整体支出绩效自评表's for "department") at ``path``
    (see :mod:`selfeval_compiler.authoring.skeleton`); never over an existing file."""
    from selfeval_compiler.authoring import skeleton

    if form is not None and form not in NEW_FORMS:
        raise UsageError(phrase("usage.unknown-form", name=form, allowed=listing(NEW_FORMS)))
    chosen = form or "self-evaluation"
    if not path.name.endswith((".yaml", ".yml")):
        raise UsageError(phrase("usage.spec-suffix", path=str(path)))
    try:
        skeleton.create(path, year, chosen)
    except FileExistsError:
        raise UsageError(phrase("usage.exists", path=str(path))) from None
    except OSError as error:
        detail = str(error.strerror or error)
        raise UsageError(phrase("usage.cannot-write", path=str(path), detail=detail)) from None
    return Written([path])


@dataclass
class InitReport(Written):
    kept: list[Path] = field(default_factory=list)
    """Files already there (``--force``), left as they were."""


def init(target: Path, *, ci: str = "github", force: bool = False) -> InitReport:
    """A bureau's own repository for its forms at ``target`` (see
    :mod:`selfeval_compiler.authoring.scaffold`): refuses a folder holding anything unless
    ``force``, and never overwrites a file."""
    from selfeval_compiler import __version__
    from selfeval_compiler.authoring import scaffold

    if ci not in scaffold.CI_CHOICES:
        raise UsageError(phrase("usage.init-ci", name=ci, allowed=listing(scaffold.CI_CHOICES)))
    if os.path.lexists(target) and not target.is_dir():
        raise UsageError(phrase("usage.output-not-folder", path=str(target)))
    try:
        done = scaffold.create(target, ci, __version__, force=force)
    except scaffold.NotEmpty:
        raise UsageError(phrase("usage.init-not-empty", path=str(target))) from None
    except scaffold.InTheWay as error:
        raise UsageError(phrase("usage.init-in-the-way", path=str(error))) from None
    except OSError as error:
        detail = str(error.strerror or error)
        raise UsageError(phrase("usage.cannot-write", path=str(target), detail=detail)) from None
    return InitReport(written=done.written, kept=done.kept)


def import_forms(
    paths: Iterable[Path], output: Path, *, profile: str | None = None, force: bool = False
) -> ImportReport:
    """Read published forms (xlsx, xls, text PDF, htm) and write one spec per form into
    ``output``. Raises :class:`UsageError` for a missing file, an output that is not a
    folder, or a profile that cannot be used; an output nothing can be written into (SE904)
    or a profile file the specs could not name from there (SE507) is the report's one
    problem, before anything is read."""
    from selfeval_compiler.diagnostics import DiagnosticError
    from selfeval_compiler.importers.run import Importer, profile_outside
    from selfeval_compiler.model.profiles import load_profile

    files = list(paths)
    _require(files)
    _output_folder(output)
    try:
        chosen = load_profile(profile, Path.cwd() / "_" if profile else None)
    except DiagnosticError as error:
        detail = "; ".join(d.message_en for d in error.diagnostics)
        raise UsageError(phrase("usage.bad-profile", profile=str(profile), detail=detail)) from None
    unwritable = _unwritable(output) or profile_outside(profile, output)
    if unwritable is not None:
        return ImportReport(problems=[unwritable])
    importer = Importer(output, chosen, profile, force)
    return ImportReport(importer.run(files))

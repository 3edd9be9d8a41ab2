"""The library's face: ``check`` and ``build``, each a list of stages in order.

check: discover → compile (load → validate → model → derive).
build: check → render HTML → lay out PDF → write outputs → combine each folder's PDFs.
Nothing here prints or exits; callers get a :class:`Report` and decide.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from .compiler import CompiledSpec, compile_batch
from .diagnostics import Diagnostic, Location, Severity, make
from .discovery import SpecFile, discover

if TYPE_CHECKING:
    from .diffing import DiffReport, Version

FORMATS = ("html", "pdf", "json")
COMBINED_NAME = "_combined.pdf"
ENVIRONMENT_CODES = frozenset({"SE901", "SE903", "SE904"})

Progress = Callable[[str, str], None]
"""Called with (what, status) as each form is done: status is "ok", "failed" or "skipped"."""


class UsageError(Exception):
    """The call itself is wrong (bad output folder, unknown format): exit code 2."""


@dataclass
class Report:
    compiled: list[CompiledSpec] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    """Findings that belong to no single spec: missing paths, fonts, writing."""
    written: list[Path] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        found = list(self.problems)
        for compiled in self.compiled:
            found.extend(compiled.diagnostics)
        return sorted(found, key=lambda d: d.sort_key)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def environment_failed(self) -> bool:
        return any(d.code in ENVIRONMENT_CODES for d in self.diagnostics)


def check(paths: Iterable[Path], jobs: int = 1, keep_forms: bool = True) -> Report:
    """Load, validate and derive every spec under ``paths``; render nothing.

    With ``jobs`` > 1 and enough specs, specs are compiled in worker processes; the forms
    then stay in the workers unless ``keep_forms`` (moving them back costs more than the
    checking saves), and only the findings come back.
    """
    spec_files, problems = discover(list(paths))
    return Report(_compile_all(spec_files, jobs, keep_forms), problems)


PARALLEL_MINIMUM = 64
"""Below this many specs a second process costs more than it saves."""


def default_jobs() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


def _compile_all(spec_files: list[SpecFile], jobs: int, keep_forms: bool) -> list[CompiledSpec]:
    if jobs <= 1 or keep_forms or len(spec_files) < PARALLEL_MINIMUM:
        return compile_batch(spec_files, keep_forms)
    size = -(-len(spec_files) // (jobs * 4))
    chunks = [spec_files[start : start + size] for start in range(0, len(spec_files), size)]
    with ProcessPoolExecutor(jobs, mp_context=_process_context()) as pool:
        batches = pool.map(compile_batch, chunks, [False] * len(chunks))
        return [compiled for batch in batches for compiled in batch]


def _process_context() -> multiprocessing.context.BaseContext:
    """fork where the platform has it: workers start at once, with everything imported."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _guard_output(paths: list[Path], output: Path) -> None:
    """Refuse an output folder that is, or contains, a spec folder: a build never touches specs."""
    target = output.resolve()
    for given in paths:
        folder = given.resolve() if given.is_dir() else given.resolve().parent
        if folder.is_relative_to(target):
            raise UsageError(
                f"输出目录 {output} 包含表单目录 {given}，请改用单独的输出目录（如 build/）"
                f" / the output folder {output} is or contains the spec folder {given}"
            )


def _output_path(output: Path, relative: PurePosixPath, suffix: str) -> Path:
    return output.joinpath(*relative.parts).with_suffix(suffix)


def _write(report: Report, path: Path, data: bytes) -> bool:
    from .writing import write_atomic

    try:
        write_atomic(path, data)
    except OSError as error:
        report.problems.append(
            make("SE904", Location(str(path)), path=str(path), detail=error.strerror or str(error))
        )
        return False
    report.written.append(path)
    return True


def build(
    paths: Iterable[Path],
    output: Path,
    formats: Iterable[str] = FORMATS,
    progress: Progress | None = None,
) -> Report:
    """Check every spec, then write HTML, PDF and JSON for each one that has no errors."""
    paths = list(paths)
    wanted = set(formats)
    unknown = wanted - set(FORMATS)
    if unknown:
        raise UsageError(f"unknown format {', '.join(sorted(unknown))}; use html, pdf or json")
    _guard_output(paths, output)
    report = check(paths)
    pdf_ready = "pdf" in wanted and _fonts_ready(report)
    dates = creation_dates([c.spec_file.path for c in report.compiled if not c.has_errors])
    laid_out: dict[PurePosixPath, list[tuple[SpecFile, Any]]] = {}
    for compiled in report.compiled:
        created = dates.get(compiled.spec_file.path)
        status = _build_one(report, compiled, output, wanted, pdf_ready, laid_out, created)
        if progress is not None:
            progress(compiled.spec_file.display, status)
    if pdf_ready:
        _combine_folders(report, output, laid_out, dates)
    return report


def creation_dates(spec_paths: list[Path]) -> dict[Path, str]:
    """Each spec's creation date for its outputs: ``SOURCE_DATE_EPOCH`` when set (the
    reproducible-builds convention), else the date of the last commit that touched the spec,
    else none. Never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        from datetime import UTC, datetime

        stamp = datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        return dict.fromkeys(spec_paths, stamp)
    if not spec_paths:
        return {}
    from . import gitsource

    try:
        root = gitsource.repository_root(spec_paths[0].resolve().parent)
    except gitsource.GitProblem:
        return {}
    inside = [p for p in spec_paths if p.resolve().is_relative_to(root.resolve())]
    return gitsource.last_commit_dates(root, inside)


def _fonts_ready(report: Report) -> bool:
    from .pdf import FontProblem, check_fonts

    try:
        check_fonts()
    except FontProblem as problem:
        report.problems.append(make(problem.code, Location("<fonts>"), **problem.args_for_message))
        return False
    return True


def _build_one(
    report: Report,
    compiled: CompiledSpec,
    output: Path,
    wanted: set[str],
    pdf_ready: bool,
    laid_out: dict[PurePosixPath, list[tuple[SpecFile, Any]]],
    created: str | None,
) -> str:
    from .exporting import form_to_json
    from .rendering import TemplateProblem, render_html

    spec_file, form = compiled.spec_file, compiled.form
    folder = spec_file.relative.parent
    laid_out.setdefault(folder, [])
    if compiled.has_errors or form is None:
        laid_out[folder].append((spec_file, None))
        return "failed"
    try:
        html = render_html(form, created)
    except TemplateProblem as problem:
        report.problems.append(
            make("SE903", Location(problem.template, problem.line), detail=str(problem))
        )
        laid_out[folder].append((spec_file, None))
        return "failed"
    outputs: list[tuple[str, bytes]] = []
    if "pdf" in wanted:
        document, pdf_bytes = _lay_out(compiled, html) if pdf_ready else (None, b"")
        laid_out[folder].append((spec_file, document))
        if document is None:
            return "failed"
        outputs.append((".pdf", pdf_bytes))
    if "html" in wanted:
        outputs.append((".html", html.encode("utf-8")))
    if "json" in wanted:
        outputs.append((".json", form_to_json(form).encode("utf-8")))
    ok = all(
        [
            _write(report, _output_path(output, spec_file.relative, suffix), data)
            for suffix, data in outputs
        ]
    )
    return "ok" if ok else "failed"


def _lay_out(compiled: CompiledSpec, html: str) -> tuple[Any, bytes]:
    """Lay out and draw one form: (document, PDF bytes), or (None, b"") with a diagnostic."""
    from .pdf import FontProblem, RenderProblem, render_document, write_pdf

    where = Location(compiled.spec_file.display, 1, 1)
    try:
        document = render_document(html)
        return document, write_pdf(document)
    except FontProblem as problem:
        compiled.diagnostics.append(make(problem.code, where, **problem.args_for_message))
    except RenderProblem as problem:
        compiled.diagnostics.append(make("SE905", where, detail=str(problem)))
    return None, b""


def _combine_folders(
    report: Report,
    output: Path,
    laid_out: dict[PurePosixPath, list[tuple[SpecFile, Any]]],
    dates: dict[Path, str],
) -> None:
    """One PDF per folder holding its forms in file-name order, only when all of them built.

    A bundle missing a form would look complete to whoever receives it, so a folder with a
    failed form gets no combined PDF.
    """
    from .pdf import combine

    for folder, entries in laid_out.items():
        documents = [document for _, document in entries]
        if not documents or any(document is None for document in documents):
            continue
        first = next(c.form for c in report.compiled if c.spec_file is entries[0][0])
        unit = first.spec.unit if first else ""
        year = first.spec.year if first else ""
        title = f"{unit} {year}年度项目支出绩效自评表（{len(documents)}个项目）"
        stamps = [dates[spec_file.path] for spec_file, _ in entries if spec_file.path in dates]
        data = combine(documents, title=title, author=unit, created=max(stamps, default=None))
        _write(report, output.joinpath(*folder.parts) / COMBINED_NAME, data)


WORKING_TREE = "工作区"


def diff(
    paths: Iterable[Path] = (),
    old_revision: str = "HEAD",
    new_revision: str | None = None,
    cwd: Path | None = None,
) -> DiffReport:
    """Compare the forms of two versions: a revision against the working tree (or another
    revision). Both versions are read straight from git; the working tree is not touched.
    Raises :class:`UsageError` outside a repository or for an unknown revision."""
    from . import gitsource
    from .diffing import diff_versions

    here = (cwd or Path.cwd()).resolve()
    try:
        root = gitsource.repository_root(here)
        for revision in (old_revision, new_revision):
            if revision is not None and not gitsource.is_revision(root, revision):
                raise UsageError(f"不是有效的 git 版本 / not a git revision: {revision}")
        wanted = [
            _repository_relative(root, here, path) for path in (list(paths) or [Path("specs")])
        ]
        old = _revision_version(root, old_revision, wanted)
        new = (
            _revision_version(root, new_revision, wanted)
            if new_revision
            else _working_tree_version(root, wanted)
        )
    except gitsource.GitProblem as problem:
        raise UsageError(f"git: {problem}") from problem
    return diff_versions(old, new)


def _repository_relative(root: Path, here: Path, path: Path) -> PurePosixPath:
    absolute = (here / path).resolve() if not path.is_absolute() else path.resolve()
    try:
        return PurePosixPath(absolute.relative_to(root).as_posix())
    except ValueError:
        raise UsageError(f"{path} 不在仓库 {root} 中 / is outside the repository") from None


def _collect(label: str, top: Path, wanted: list[PurePosixPath], shown_as: str) -> Version:
    from .diffing import Version

    existing = [top.joinpath(*w.parts) for w in wanted if top.joinpath(*w.parts).exists()]
    report = check(existing) if existing else Report()
    specs: dict[PurePosixPath, CompiledSpec] = {}
    contents: dict[PurePosixPath, bytes] = {}
    for compiled in report.compiled:
        relative = PurePosixPath(compiled.spec_file.path.resolve().relative_to(top).as_posix())
        compiled.diagnostics = [_relabel(d, top, shown_as) for d in compiled.diagnostics]
        specs[relative] = compiled
        contents[relative] = compiled.spec_file.path.read_bytes()
    problems = [_relabel(d, top, shown_as) for d in report.problems if d.code != "SE010"]
    return Version(label, specs, contents, problems)


def _relabel(diagnostic: Diagnostic, top: Path, shown_as: str) -> Diagnostic:
    """Name files as ``REV:path`` (git's notation) or repository-relative for the work tree."""
    from dataclasses import replace

    file = Path(diagnostic.location.file)
    absolute = file if file.is_absolute() else Path.cwd() / file
    try:
        relative = absolute.resolve().relative_to(top).as_posix()
    except ValueError:
        return diagnostic
    return replace(diagnostic, location=replace(diagnostic.location, file=shown_as + relative))


def _revision_version(root: Path, revision: str, wanted: list[PurePosixPath]) -> Version:
    import tempfile

    from . import gitsource

    with tempfile.TemporaryDirectory(prefix="selfeval-diff-") as folder:
        top = Path(folder).resolve()
        gitsource.export_yaml(root, revision, top)
        return _collect(gitsource.describe(root, revision), top, wanted, f"{revision}:")


def _working_tree_version(root: Path, wanted: list[PurePosixPath]) -> Version:
    return _collect(WORKING_TREE, root.resolve(), wanted, "")

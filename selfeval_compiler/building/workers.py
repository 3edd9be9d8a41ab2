"""Worker processes for ``check`` and ``build``: one pool, one way to cut the work in pieces.

What a build worker does with one task of forms is :func:`run_task`.

Each worker keeps its templates, its WeasyPrint font configuration and its loaded profiles
for every task it runs. Workers write their outputs themselves (atomically) and send back only
findings and file lists; folder bundles are assembled afterwards from the written PDFs
(:mod:`bundling`).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.queues
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from selfeval_compiler.diagnostics import Diagnostic, Location, internal, make, phrase
from selfeval_compiler.forms.self_evaluation import title_without_year
from selfeval_compiler.outputs import limits
from selfeval_compiler.outputs.html import TemplateProblem
from selfeval_compiler.outputs.layout import output_path
from selfeval_compiler.outputs.render import any_format, render_printed
from selfeval_compiler.rules.compiler import CompiledSpec, Compiler, compile_batch
from selfeval_compiler.rules.goals import GoalsForm
from selfeval_compiler.sources.discovery import SpecFile

T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    spec_file: SpecFile
    created: str | None


@dataclass(frozen=True)
class Task:
    entries: tuple[Entry, ...]
    formats: frozenset[str]
    output: Path
    form: str | None = None


@dataclass
class EntryResult:
    spec_file: SpecFile
    diagnostics: list[Diagnostic]
    ok: bool
    written: list[str] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)
    """Absolute paths of the files the spec was compiled from."""
    unit: str = ""
    year: int = 0
    form_title: str = ""
    project: str = ""


@dataclass
class TaskResult:
    entries: list[EntryResult]
    problems: list[Diagnostic] = field(default_factory=list)


def _write(result: TaskResult, path: Path, data: bytes, within: Path) -> bool:
    from selfeval_compiler.outputs.writing import write_output

    problem = write_output(path, data, within=within)
    if problem is not None:
        result.problems.append(problem)
    return problem is None


def _inputs(compiled: CompiledSpec) -> dict[str, str]:
    """Every file the form was compiled from, with the SHA-256 of the bytes that were read:
    a file edited while the build runs is then rebuilt next time."""
    printed = compiled.printed
    if printed is None:
        return {}
    spec = printed.spec
    files = {str(compiled.spec_file.path.resolve()): spec.document.digest}
    files.update((str(Path(p).resolve()), digest) for p, digest in spec.defaults_files)
    files.update(printed.profile.sources)
    return files


_progress_queue: multiprocessing.queues.SimpleQueue[tuple[str, str]] | None = None


def _report(what: str, status: str) -> None:
    if _progress_queue is not None:
        _progress_queue.put((what, status))


def run_task(task: Task) -> TaskResult:
    """Compile, render and write one task's forms; a failing form never stops the others."""

    result = TaskResult([])
    compiler = Compiler(task.form)
    for entry in task.entries:
        compiled = compiler.compile(entry.spec_file)
        outcome = EntryResult(
            entry.spec_file, compiled.diagnostics, not compiled.has_errors, inputs=_inputs(compiled)
        )
        result.entries.append(outcome)
        try:
            _render_and_write(task, entry, compiled, outcome, result)
        except Exception as error:  # a bug shown with this form; the others go on
            outcome.diagnostics.append(internal(Location(entry.spec_file.display), error))
            outcome.ok = False
        _report(entry.spec_file.display, "ok" if outcome.ok else "failed")
    return result


def _render_and_write(
    task: Task, entry: Entry, compiled: CompiledSpec, outcome: EntryResult, result: TaskResult
) -> None:
    printed = compiled.printed
    if printed is None:
        return
    outcome.unit, outcome.year = printed.spec.unit, printed.spec.year
    outcome.project = printed.spec.project
    if isinstance(printed, GoalsForm):
        outcome.form_title = title_without_year(printed.profile.goals.title)
    else:
        outcome.form_title = title_without_year(printed.profile.labels.title)
    if not outcome.ok:
        return
    where = Location(entry.spec_file.display, 1, 1)
    try:
        rendered = render_printed(printed, task.formats, created=entry.created, where=where)
    except TemplateProblem as problem:
        result.problems.append(
            make("SE903", Location(problem.template, problem.line), detail=str(problem))
        )
        outcome.ok = False
        return
    outcome.diagnostics.extend(rendered.diagnostics)
    outcome.ok = rendered.ok
    for output_format, data in rendered.outputs:
        target = output_path(task.output, entry.spec_file.relative, output_format.suffix)
        if _write(result, target, data, task.output):
            outcome.written.append(target.relative_to(task.output).as_posix())
        else:
            outcome.ok = False


def render_pdf(entry: Entry) -> bytes | None:
    """One form's PDF (the form its stage names), compiled afresh from its spec (the live
    preview's download); ``None``
    when the spec has errors or the PDF cannot be made. Run it in a worker started with
    :func:`pdf_worker_setup`, under the render caps."""
    compiled = Compiler().compile(entry.spec_file)
    if compiled.printed is None or compiled.has_errors:
        return None
    where = Location(entry.spec_file.display, 1, 1)
    rendered = render_printed(compiled.printed, ["pdf"], created=entry.created, where=where)
    return rendered.outputs[0][1] if rendered.ok else None


def pdf_worker_setup() -> None:
    _init_worker(None)


def _ignore_interrupts() -> None:
    """Ctrl-C is the main process's to handle: a worker finishes its form (outputs are
    written whole) and prints no traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _init_worker(queue: multiprocessing.queues.SimpleQueue[tuple[str, str]] | None) -> None:
    global _progress_queue
    _ignore_interrupts()
    _progress_queue = queue
    limits.cap_memory(limits.RENDER_MEMORY_MB)


def run_tasks(
    tasks: list[Task], jobs: int, progress: Callable[[str, str], None] | None
) -> Iterator[TaskResult]:
    """Run tasks: in this process for HTML/JSON work that fits one task, otherwise in worker
    processes. PDFs are always laid out in workers, under the memory cap; a worker that dies
    takes no other form down with it (see :func:`_in_workers`)."""
    ordered = sorted(tasks, key=lambda t: len(t.entries), reverse=True)  # longest first
    needs_isolation = any(any_format(task.formats, "isolated") for task in ordered)
    if not needs_isolation and (jobs <= 1 or len(ordered) <= 1):
        for task in ordered:
            task_result = run_task(task)
            if progress:
                for entry in task_result.entries:
                    progress(entry.spec_file.display, "ok" if entry.ok else "failed")
            yield task_result
        return
    if ordered:
        yield from _in_workers(ordered, max(1, min(jobs, len(ordered))), progress)


def _in_workers(
    tasks: list[Task], jobs: int, progress: Callable[[str, str], None] | None
) -> Iterator[TaskResult]:
    """Run tasks in a pool. When a worker dies (a crash in a C library, the memory cap), every
    task it shared the pool with fails too; those are run again one form at a time, each
    alone, so that only the form that really kills its worker is reported (SE907)."""
    context = process_context()
    queue: multiprocessing.queues.SimpleQueue[tuple[str, str]] = context.SimpleQueue()

    def drain() -> None:
        while not queue.empty():
            what, status = queue.get()
            if progress:
                progress(what, status)

    unfinished: list[Task] = []
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(queue,)
    ) as pool:
        futures = {pool.submit(run_task, task): task for task in tasks}
        pending = set(futures)
        try:
            while pending:
                _, pending = wait(pending, timeout=0.05, return_when=FIRST_COMPLETED)
                drain()
        except KeyboardInterrupt:
            pool.shutdown(wait=True, cancel_futures=True)  # running forms finish whole
            raise
        drain()
        for future, task in futures.items():
            try:
                yield future.result()
            except BrokenProcessPool:
                unfinished.append(task)
    for task in unfinished:
        for entry in task.entries:
            alone = Task((entry,), task.formats, task.output, task.form)
            yield _alone(alone, context, queue, drain)


def _alone(
    task: Task,
    context: multiprocessing.context.BaseContext,
    queue: multiprocessing.queues.SimpleQueue[tuple[str, str]],
    drain: Callable[[], None],
) -> TaskResult:
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=_init_worker, initargs=(queue,)
    ) as pool:
        try:
            result = pool.submit(run_task, task).result()
        except BrokenProcessPool:
            (entry,) = task.entries
            where = Location(entry.spec_file.display, 1, 1)
            crash = make("SE907", where, detail=phrase("render.worker-died"))
            result = TaskResult([EntryResult(entry.spec_file, [crash], False)])
            if queue is not None:
                queue.put((entry.spec_file.display, "failed"))
    drain()
    return result


def chunks(items: Sequence[T], jobs: int, most: int) -> list[list[T]]:
    """``items`` in pieces for ``jobs`` workers: about four pieces a worker, so that the
    workers finish together, and at most ``most`` items a piece."""
    size = max(1, min(most, -(-len(items) // (jobs * 4))))
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def compile_in_workers(
    spec_files: list[SpecFile], jobs: int, form: str | None = None
) -> list[CompiledSpec]:
    """``check`` across worker processes: only the findings come back, not the forms."""
    pieces = chunks(spec_files, jobs, len(spec_files))
    with ProcessPoolExecutor(
        jobs, mp_context=process_context(), initializer=_ignore_interrupts
    ) as pool:
        try:
            batches = pool.map(compile_batch, pieces, [False] * len(pieces), [form] * len(pieces))
            return [item for batch in batches for item in batch]
        except KeyboardInterrupt:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def process_context() -> multiprocessing.context.BaseContext:
    """fork where the platform has it: workers start at once, with everything imported."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")

"""Worker processes for ``check`` and ``build``: one pool, one way to cut the work in pieces.

What a build worker does with one task of forms is :func:`run_task`.

Each worker keeps its templates, its WeasyPrint font configuration and its loaded profiles
for every task it runs. Workers write their outputs themselves (atomically) and send back,
form by form as each is written, only findings and file lists; folder bundles are assembled
afterwards from the written PDFs (:mod:`bundling`).

Ctrl-C keeps what finished: writing a form's files and reporting them is one step that
neither Ctrl-C nor a stopped worker cuts in two, so every form reported was written whole
and every form written whole is reported. On Ctrl-C the workers are stopped at once (a PDF
half laid out is abandoned) and ``KeyboardInterrupt`` is raised once the forms that
finished have been passed on (:func:`run_tasks`).
"""

from __future__ import annotations

import contextlib
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
from selfeval_compiler.outputs import limits
from selfeval_compiler.outputs.formats import OutputFormat, any_format
from selfeval_compiler.outputs.isolated import process_context
from selfeval_compiler.outputs.layout import form_sheet_path, output_path
from selfeval_compiler.rules.compiler import CompiledSpec, Compiler, compile_batch
from selfeval_compiler.rules.department import DepartmentForm
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


Sink = Callable[[TaskResult], None]
"""Told of each form as soon as it is written (or failed): one entry per result."""

_results_queue: multiprocessing.queues.SimpleQueue[TaskResult] | None = None


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """Hold back Ctrl-C (SIGINT) and a stop from the main process (SIGTERM) for the block —
    writing one form's files and reporting them — and act on them as soon as it ends, as
    they would have acted before."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread can take signals over
        return
    caught: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.signal(number, lambda n, _: caught.append(n)) for number in held}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        for caught_number in dict.fromkeys(caught):
            signal.raise_signal(caught_number)


def _to_queue(result: TaskResult) -> None:
    if _results_queue is not None:
        _results_queue.put(result)


def run_task(task: Task, sink: Sink | None = None) -> TaskResult:
    """Compile, render and write one task's forms; a failing form never stops the others.
    Each form's result goes to ``sink`` (the main process, from a worker) as it is written."""

    result = TaskResult([])
    compiler = Compiler(task.form)
    for entry in task.entries:
        compiled = compiler.compile(entry.spec_file)
        outcome = EntryResult(
            entry.spec_file, compiled.diagnostics, not compiled.has_errors, inputs=_inputs(compiled)
        )
        mine = TaskResult([outcome])
        try:
            _render_and_write(task, entry, compiled, outcome, mine, sink or _to_queue)
        except Exception as error:  # a bug shown with this form; the others go on
            outcome.diagnostics.append(internal(Location(entry.spec_file.display), error))
            outcome.ok = False
            (sink or _to_queue)(mine)
        result.entries.append(outcome)
        result.problems += mine.problems
    return result


def _render_and_write(
    task: Task,
    entry: Entry,
    compiled: CompiledSpec,
    outcome: EntryResult,
    result: TaskResult,
    sink: Sink,
) -> None:
    """Render, then write and report in one step that Ctrl-C does not cut."""
    rendered, sheet = _render(task, entry, compiled, outcome, result)
    with _uninterrupted():
        for output_format, data in rendered:
            target = output_path(task.output, entry.spec_file.relative, output_format.suffix)
            if _write(result, target, data, task.output):
                outcome.written.append(target.relative_to(task.output).as_posix())
            else:
                outcome.ok = False
        if sheet is not None and outcome.ok:  # the form's sheet of its folder workbook
            target = form_sheet_path(task.output, entry.spec_file.relative)
            outcome.ok = _write(result, target, sheet, task.output)
        sink(result)


def _render(
    task: Task, entry: Entry, compiled: CompiledSpec, outcome: EntryResult, result: TaskResult
) -> tuple[list[tuple[OutputFormat, bytes]], bytes | None]:
    """The form's files and, with xlsx, its sheet record; none when it has errors or cannot
    be rendered."""
    from selfeval_compiler.forms.self_evaluation import title_without_year
    from selfeval_compiler.outputs.html import TemplateProblem
    from selfeval_compiler.outputs.render import render_printed

    printed = compiled.printed
    if printed is None:
        return [], None
    outcome.unit, outcome.year = printed.spec.unit, printed.spec.year
    outcome.project = printed.spec.project
    if isinstance(printed, GoalsForm):
        outcome.form_title = title_without_year(printed.profile.goals.title)
    elif isinstance(printed, DepartmentForm):
        outcome.form_title = title_without_year(printed.profile.department.title)
    else:
        outcome.form_title = title_without_year(printed.profile.labels.title)
    if not outcome.ok:
        return [], None
    where = Location(entry.spec_file.display, 1, 1)
    try:
        rendered = render_printed(printed, task.formats, created=entry.created, where=where)
    except TemplateProblem as problem:
        result.problems.append(
            make("SE903", Location(problem.template, problem.line), detail=str(problem))
        )
        outcome.ok = False
        return [], None
    outcome.diagnostics.extend(rendered.diagnostics)
    outcome.ok = rendered.ok
    return rendered.outputs, rendered.sheet


def render_pdf(entry: Entry) -> bytes | list[Diagnostic]:
    """One form's PDF (the form its stage names), compiled afresh from its spec (the live
    preview's download), or the findings that say why there is none: the spec's errors, or
    SE906 / SE907 when it ran past the render caps. Run it in a worker started with
    :func:`pdf_worker_setup`."""
    from selfeval_compiler.outputs.render import render_printed

    compiled = Compiler().compile(entry.spec_file)
    if compiled.printed is None or compiled.has_errors:
        return compiled.diagnostics
    where = Location(entry.spec_file.display, 1, 1)
    rendered = render_printed(compiled.printed, ["pdf"], created=entry.created, where=where)
    return rendered.outputs[0][1] if rendered.ok else rendered.diagnostics


def pdf_worker_setup() -> None:
    _init_worker(None)


def _ignore_interrupts() -> None:
    """Ctrl-C is the main process's to handle: a worker finishes its form (outputs are
    written whole) and prints no traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _init_worker(queue: multiprocessing.queues.SimpleQueue[TaskResult] | None) -> None:
    global _results_queue
    _ignore_interrupts()
    _results_queue = queue
    limits.cap_memory(limits.RENDER_MEMORY_MB)


def _work(task: Task) -> None:
    """A task in a worker: each form's result goes back through the queue as it is written."""
    run_task(task)


def run_tasks(tasks: list[Task], jobs: int, sink: Sink) -> None:
    """Run tasks: in this process for HTML/JSON work that fits one task, otherwise in worker
    processes. PDFs are always laid out in workers, under the memory cap; a worker that dies
    takes no other form down with it (see :func:`_in_workers`). Each form's result goes to
    ``sink``, in this process, as soon as the form is written; on Ctrl-C the workers are
    stopped and ``KeyboardInterrupt`` raised, ``sink`` having had every form that finished."""
    ordered = sorted(tasks, key=lambda t: len(t.entries), reverse=True)  # longest first
    needs_isolation = any(any_format(task.formats, "isolated") for task in ordered)
    if not needs_isolation and (jobs <= 1 or len(ordered) <= 1):
        for task in ordered:
            run_task(task, sink)
        return
    if ordered:
        _in_workers(ordered, max(1, min(jobs, len(ordered))), sink)


class _Pool:
    """A pool's queue of results, passed on to ``sink`` and remembered by spec."""

    def __init__(self, context: multiprocessing.context.BaseContext, sink: Sink) -> None:
        self.context = context
        self.queue: multiprocessing.queues.SimpleQueue[TaskResult] = context.SimpleQueue()
        self.sink = sink
        self.reported: set[Path] = set()

    def executor(self, jobs: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            jobs, mp_context=self.context, initializer=_init_worker, initargs=(self.queue,)
        )

    def drain(self) -> None:
        while not self.queue.empty():
            with _uninterrupted():  # a result taken from the queue is never dropped
                result = self.queue.get()
                self.reported.update(entry.spec_file.path for entry in result.entries)
                self.sink(result)

    def run(self, pool: ProcessPoolExecutor, tasks: list[Task]) -> list[Task]:
        """Run ``tasks`` in ``pool``; return those a dying worker took down."""
        futures = {pool.submit(_work, task): task for task in tasks}
        pending = set(futures)
        try:
            while pending:
                _, pending = wait(pending, timeout=0.05, return_when=FIRST_COMPLETED)
                self.drain()
        except KeyboardInterrupt:
            self.stop(pool)
            raise
        self.drain()
        broken: list[Task] = []
        for future, task in futures.items():
            try:
                future.result()
            except BrokenProcessPool:
                broken.append(task)
        return broken

    def stop(self, pool: ProcessPoolExecutor) -> None:
        """Stop the workers now: each ends at once, or right after the form it is writing
        (:func:`_uninterrupted`); the results they sent are passed on."""
        import time

        processes = list(pool._processes.values())  # no public way before Python 3.14
        for process in processes:
            process.terminate()
        deadline = time.monotonic() + 1.0
        while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
            self.drain()  # a worker may wait for room in the queue to report its last form
            time.sleep(0.01)
        killed = [p for p in processes if p.is_alive()]
        for process in killed:
            process.kill()
        if not killed:  # a killed worker may have left half a message in the queue
            self.drain()
        pool.shutdown(wait=True, cancel_futures=True)


def _in_workers(tasks: list[Task], jobs: int, sink: Sink) -> None:
    """Run tasks in a pool. When a worker dies (a crash in a C library, the memory cap), every
    task it shared the pool with fails too; their forms not yet reported are run again one at
    a time, each alone, so that only the form that really kills its worker is reported
    (SE907)."""
    pool = _Pool(process_context(), sink)
    with pool.executor(jobs) as executor:
        broken = pool.run(executor, tasks)
    for task in broken:
        for entry in task.entries:
            if entry.spec_file.path in pool.reported:
                continue
            with pool.executor(1) as executor:
                if pool.run(executor, [Task((entry,), task.formats, task.output, task.form)]):
                    where = Location(entry.spec_file.display, 1, 1)
                    crash = make("SE907", where, detail=phrase("render.worker-died"))
                    if entry.spec_file.path not in pool.reported:
                        sink(TaskResult([EntryResult(entry.spec_file, [crash], False)]))


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

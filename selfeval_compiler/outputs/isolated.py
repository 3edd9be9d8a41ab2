"""Laying out a document in a worker process under the render caps (SECURITY.md).

A form's PDF is laid out in a build worker (``building.workers``); a document made outside a
build — the 汇总表 — comes here: one fresh worker process whose address space is capped at
``RENDER_MEMORY_MB``, under the ``RENDER_SECONDS`` alarm, so that a table of thousands of rows
can neither hang the command nor take the machine. A worker that outlives the alarm (stuck
where a signal cannot reach it) is killed a little later; one that dies is SE907.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from selfeval_compiler.diagnostics import Diagnostic, Location, make, phrase
from selfeval_compiler.outputs import limits

GRACE_SECONDS = 10.0
"""How long past the alarm a worker may take before it is killed."""


def process_context() -> multiprocessing.context.BaseContext:
    """fork where the platform has it: workers start at once, with everything imported."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def worker_setup() -> None:
    """A rendering worker: Ctrl-C is the main process's to handle; memory is capped."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limits.cap_memory(limits.RENDER_MEMORY_MB)


def _lay_out(html: str, where: Location) -> bytes | list[Diagnostic]:
    """In the worker: the PDF, or the findings that say why there is none (a raised
    :class:`RenderFailed` would lose its findings on the way back)."""
    from selfeval_compiler.outputs.render import RenderFailed, pdf_of

    try:
        return pdf_of(html, where)
    except RenderFailed as failure:
        return failure.diagnostics


def pdf_in_worker(html: str, where: Location) -> tuple[bytes | None, list[Diagnostic]]:
    """``html`` laid out and drawn as a PDF in a capped worker: the PDF, or ``None`` and the
    findings on ``where`` (SE906 over the time limit, SE907 when the worker dies or runs out
    of memory, SE905 when WeasyPrint fails)."""
    seconds = f"{limits.RENDER_SECONDS:g}"
    pool = ProcessPoolExecutor(1, mp_context=process_context(), initializer=worker_setup)
    try:
        future = pool.submit(_lay_out, html, where)
        result = future.result(timeout=limits.RENDER_SECONDS + GRACE_SECONDS)
    except FutureTimeout:
        stop_workers(pool)
        return None, [make("SE906", where, seconds=seconds)]
    except BrokenProcessPool:
        return None, [make("SE907", where, detail=phrase("render.worker-died"))]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    if isinstance(result, bytes):
        return result, []
    return None, result


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill a pool's workers now (one stuck past its alarm ignores everything gentler)."""
    processes = list((pool._processes or {}).values())  # no public way before Python 3.14
    for process in processes:
        process.kill()
    for process in processes:
        process.join(5)

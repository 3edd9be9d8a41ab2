"""The preview's PDFs: laid out on demand in one worker process, under the build's memory
and time caps, so that a form that cannot be laid out never takes the server down.

A worker that dies (killed, a crash in a C library, the memory cap) or outlives its time
limit is replaced, so the next download works; the answer says which of the three went
wrong: the form's errors, the time limit, or the worker.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Literal

from selfeval_compiler.diagnostics import Diagnostic, Phrase, phrase
from selfeval_compiler.outputs import limits
from selfeval_compiler.outputs.isolated import GRACE_SECONDS, stop_workers
from selfeval_compiler.preview.workspace import Entry

Outcome = Literal["ok", "errors", "timeout", "crash"]


@dataclass(frozen=True)
class Made:
    """What a download got: the PDF, or why there is none."""

    outcome: Outcome
    data: bytes = b""
    detail: str = ""
    """The worker's failure (crash), in Chinese."""

    def why(self) -> Phrase:
        if self.outcome == "timeout":
            return phrase("preview.pdf-timeout", seconds=f"{limits.RENDER_SECONDS:g}")
        if self.outcome == "crash":
            detail = self.detail or phrase("render.worker-died").zh
            return phrase("preview.pdf-crash", detail=detail)
        return phrase("preview.pdf-errors")


def _made(result: bytes | list[Diagnostic]) -> Made:
    if isinstance(result, bytes):
        return Made("ok", result)
    codes = {d.code: d for d in result}
    if "SE906" in codes:
        return Made("timeout")
    if "SE907" in codes:
        detail = codes["SE907"].args.get("detail", "")
        return Made("crash", detail=detail.zh if isinstance(detail, Phrase) else str(detail))
    return Made("errors")


class PdfMaker:
    """One worker process, started on the first download and shared by every request."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _submit(self, entry: Entry) -> tuple[ProcessPoolExecutor, Future[bytes | list[Diagnostic]]]:
        from selfeval_compiler.building.workers import Entry as TaskEntry
        from selfeval_compiler.building.workers import pdf_worker_setup, render_pdf
        from selfeval_compiler.outputs.isolated import process_context

        task = TaskEntry(entry.spec_file, None)
        with self._lock:
            if self._pool is not None:
                try:
                    return self._pool, self._pool.submit(render_pdf, task)
                except BrokenProcessPool:  # its worker died between two downloads
                    self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = ProcessPoolExecutor(
                1, mp_context=process_context(), initializer=pdf_worker_setup
            )
            return self._pool, self._pool.submit(render_pdf, task)

    def make(self, entry: Entry) -> Made:
        """The form's PDF, or why it cannot be made."""
        pool, future = self._submit(entry)
        try:
            # the worker's own alarm ends a slow layout; this catches one a signal cannot
            # reach (the wait includes the requests queued before this one)
            result = future.result(timeout=limits.RENDER_SECONDS * 2 + GRACE_SECONDS)
        except FutureTimeout:
            self._replace(pool, kill=True)
            return Made("timeout")
        except BrokenProcessPool:
            self._replace(pool, kill=False)
            return Made("crash")
        return _made(result)

    def _replace(self, pool: ProcessPoolExecutor, *, kill: bool) -> None:
        """Drop ``pool`` (the next download starts a new worker), unless another request
        has already replaced it."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        if kill:
            stop_workers(pool)
        pool.shutdown(wait=False, cancel_futures=True)

    def worker_pids(self) -> list[int]:
        """The worker's process id, when one is running (for tests and diagnostics)."""
        pool = self._pool
        return list((pool._processes or {}).keys()) if pool is not None else []

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            stop_workers(pool)
            pool.shutdown(wait=False, cancel_futures=True)

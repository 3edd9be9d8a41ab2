"""The preview's PDFs: laid out on demand in one worker process, under the build's memory
and time caps, so that a form that cannot be laid out never takes the server down."""

from __future__ import annotations

import threading
from typing import Any

from selfeval_compiler.preview.workspace import Entry

PDF_SECONDS = 300


class PdfMaker:
    """One worker process, started on the first download and shared by every request."""

    def __init__(self) -> None:
        self._pool: Any = None
        self._lock = threading.Lock()

    def make(self, entry: Entry) -> bytes | None:
        """The form's PDF, or ``None`` when it cannot be made."""
        from concurrent.futures import ProcessPoolExecutor

        from selfeval_compiler.building.workers import Entry as TaskEntry
        from selfeval_compiler.building.workers import (
            pdf_worker_setup,
            process_context,
            render_pdf,
        )

        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    1, mp_context=process_context(), initializer=pdf_worker_setup
                )
            future = self._pool.submit(render_pdf, TaskEntry(entry.spec_file, None))
        try:
            result: bytes | None = future.result(timeout=PDF_SECONDS)
        except Exception:
            return None
        return result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

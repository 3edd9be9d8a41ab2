"""Progress of a build as a person sees it: a bar on a terminal, sparse plain lines elsewhere.

Part of the command-line layer: the library only calls ``start`` and ``advance``.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from selfeval_compiler.diagnostics.formats import one_line


class ProgressDisplay:
    def __init__(self, stream: TextIO = sys.stderr, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet
        self.interactive = stream.isatty() and not os.environ.get("CI")
        self.total = 0
        self.done = 0
        self.started = time.monotonic()
        self.next_mark = 0.1

    def start(self, total: int) -> None:
        self.total, self.done, self.started = total, 0, time.monotonic()

    def advance(self, what: str, status: str) -> None:
        what = one_line(what)
        self.done += 1
        if status == "failed":
            self._clear()
            self.stream.write(f"✗ {what}\n")
        elif not self.quiet and not self.interactive and self.total <= 20:
            mark = "✓" if status == "ok" else "="
            self.stream.write(f"{mark} {what}\n")
        if self.quiet:
            return
        if self.interactive:
            self._bar()
        elif self.total > 20 and self.done >= self.next_mark * self.total:
            self.stream.write(f"selfeval: {self.done}/{self.total} ({self.rate():.1f}/s)\n")
            self.next_mark += 0.1
        self.stream.flush()

    def rate(self) -> float:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return self.done / elapsed

    def _bar(self) -> None:
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        rate = self.rate()
        remaining = (self.total - self.done) / rate if rate > 0 else 0
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
            f"  {rate:.1f} 份/秒  剩余 {remaining:.0f} 秒 "
        )
        if self.done >= self.total:
            self.stream.write("\n")

    def _clear(self) -> None:
        if self.interactive:
            self.stream.write("\r\033[K")

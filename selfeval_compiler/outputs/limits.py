"""Limits that keep one hostile or runaway form from taking the machine (SECURITY.md).

Input limits live where input is read (loading: file size, line length, nesting, nodes;
structure: indicators). Rendering limits live here: each PDF is laid out in a worker process
whose address space is capped, under a wall-clock alarm. Both can be lowered or raised with
environment variables for unusual machines.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

RENDER_SECONDS = float(os.environ.get("SELFEVAL_RENDER_SECONDS", "120"))
"""Wall-clock seconds one form's PDF may take to lay out and draw."""
RENDER_MEMORY_MB = int(os.environ.get("SELFEVAL_RENDER_MEMORY_MB", "2048"))
"""Address space of a rendering worker, in MiB (about six times what a normal form needs)."""


class RenderTimeout(BaseException):
    """Raised inside WeasyPrint by the alarm. A BaseException, so that no ``except
    Exception`` on the way swallows it."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise RenderTimeout


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds``; a no-op outside the main thread."""
    try:
        previous = signal.signal(signal.SIGALRM, _alarm)
    except ValueError:  # not the main thread: signals cannot be used
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def cap_memory(megabytes: int) -> None:
    """Cap this process's address space (a worker's, never the main process's)."""
    try:
        import resource
    except ImportError:  # not on this platform
        return
    limit = megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))

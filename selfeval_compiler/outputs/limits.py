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

SETTINGS: dict[str, tuple[float, float, float]] = {
    # name: (default, smallest, largest)
    "SELFEVAL_RENDER_SECONDS": (120, 1, 3600),
    "SELFEVAL_RENDER_MEMORY_MB": (2048, 256, 65536),
    "SELFEVAL_LOCK_SECONDS": (120, 0, 86400),
}
"""Limits a machine may change through the environment, with the range each must lie in."""


class BadSetting(Exception):
    """An environment setting is not a number in its range (a usage error, exit 2)."""

    def __init__(self, name: str, value: str) -> None:
        super().__init__(f"{name}={value}")
        self.name, self.value = name, value
        low, high = SETTINGS[name][1:]
        self.expected = f"{low:g}–{high:g}"


def setting(name: str) -> float:
    """The value of setting ``name``; raises :class:`BadSetting` when it is not usable."""
    default, low, high = SETTINGS[name]
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise BadSetting(name, text[:40]) from None
    if not low <= value <= high:  # NaN fails this too
        raise BadSetting(name, text[:40])
    return value


def check_settings() -> None:
    """Validate every setting up front, before any work starts."""
    for name in SETTINGS:
        setting(name)


def _setting_or_default(name: str) -> float:
    try:
        return setting(name)
    except BadSetting:
        return SETTINGS[name][0]  # reported by check_settings before any build starts


RENDER_SECONDS = _setting_or_default("SELFEVAL_RENDER_SECONDS")
"""Wall-clock seconds one form's PDF may take to lay out and draw."""
RENDER_MEMORY_MB = int(_setting_or_default("SELFEVAL_RENDER_MEMORY_MB"))
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

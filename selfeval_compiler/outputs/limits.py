"""Limits that keep one hostile or runaway form from taking the machine (SECURITY.md).

Input limits live where input is read (loading: file size, line length, nesting, nodes;
structure: indicators). Rendering limits live here: each PDF is laid out in a worker process
whose address space is capped, under a wall-clock alarm. Both can be lowered or raised with
environment variables for unusual machines.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from selfeval_compiler.diagnostics import Phrase, phrase

SETTINGS: dict[str, tuple[float, float, float]] = {
    # name: (default, smallest, largest)
    "SELFEVAL_RENDER_SECONDS": (120, 1, 3600),
    "SELFEVAL_RENDER_MEMORY_MB": (2048, 256, 65536),
    "SELFEVAL_LOCK_SECONDS": (120, 0, 86400),
}
"""Limits a machine may change through the environment, with the range each must lie in."""


_PLAIN_NUMBER = re.compile(r"[0-9]{1,12}(\.[0-9]{1,6})?")
"""ASCII digits only: ``int()`` and ``float()`` also take ``１２０`` and ``١٢٠``, which a
setting shown back to the user must not silently mean."""

EPOCH = "SOURCE_DATE_EPOCH"
LAST_EPOCH = 253_402_300_799
"""9999-12-31T23:59:59Z: the last second a date can print with a four-digit year."""


class BadSetting(Exception):
    """An environment setting is not a number in its range (a usage error, exit 2)."""

    def __init__(self, name: str, value: str) -> None:
        super().__init__(f"{name}={value}")
        self.name, self.value = name, value
        self.expected: str | Phrase
        if name in SETTINGS:
            low, high = SETTINGS[name][1:]
            self.expected = f"{low:g}–{high:g}"
        else:
            self.expected = phrase("usage.epoch-range", last=LAST_EPOCH)


def setting(name: str) -> float:
    """The value of setting ``name``; raises :class:`BadSetting` when it is not usable."""
    default, low, high = SETTINGS[name]
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not _PLAIN_NUMBER.fullmatch(text):
        raise BadSetting(name, text[:40])
    value = float(text)
    if not low <= value <= high:
        raise BadSetting(name, text[:40])
    return value


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) when set: whole seconds
    from 0 to the end of year 9999, ASCII digits; set but otherwise (empty too) it raises
    :class:`BadSetting`, as the convention asks of a malformed value."""
    given = os.environ.get(EPOCH)
    if given is None:
        return None
    text = given.strip()
    if not re.fullmatch(r"[0-9]{1,12}", text) or int(text) > LAST_EPOCH:
        raise BadSetting(EPOCH, text[:40])
    return int(text)


def check_settings() -> None:
    """Validate every setting up front, before any work starts."""
    for name in SETTINGS:
        setting(name)
    source_date_epoch()


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

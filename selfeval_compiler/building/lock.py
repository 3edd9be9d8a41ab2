"""One build at a time per output folder: a lock on the folder itself, waited for, then
refused clearly.

Two builds writing one folder would each save a build record missing the other's forms; the
second waits up to ``SELFEVAL_LOCK_SECONDS`` (default 120) for the first, then stops. The lock
is taken on the folder's own descriptor, so no lock file is left among the outputs; a folder
made only for the lock is removed again when the build wrote nothing into it.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path


class Locked(Exception):
    """Another build holds the output folder."""


def _wait(handle: int, seconds: float) -> None:
    import fcntl

    deadline = time.monotonic() + seconds
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise Locked from None
            time.sleep(0.2)


@contextlib.contextmanager
def output_lock(output: Path, seconds: float) -> Iterator[None]:
    """Hold the output folder's lock for the block."""
    created = not output.exists()
    try:
        output.mkdir(parents=True, exist_ok=True)
        handle = os.open(output, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        # Where no folder can be made nothing can be written: each write reports it (SE904).
        yield
        return
    try:
        with contextlib.suppress(ImportError):  # no fcntl on this platform: no lock
            _wait(handle, seconds)
        yield
    finally:
        os.close(handle)
        if created:
            with contextlib.suppress(OSError):
                output.rmdir()  # only succeeds while it is still empty

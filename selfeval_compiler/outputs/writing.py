"""Writing outputs: each file appears whole or not at all.

Data goes to a temporary file in the destination folder, is flushed to disk, then renamed
over the destination, so an interrupted build leaves the old file or the new one, never half.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from selfeval_compiler.diagnostics import Diagnostic, Location, make


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_output(path: Path, data: bytes) -> Diagnostic | None:
    """:func:`write_atomic`, with a failure (full disk, read-only folder…) as SE904."""
    try:
        write_atomic(path, data)
    except OSError as error:
        return make(
            "SE904", Location(str(path)), path=str(path), detail=error.strerror or str(error)
        )
    return None

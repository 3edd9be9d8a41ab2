"""Writing outputs: each file appears whole or not at all, and only inside the output folder.

Data goes to a temporary file in the destination folder, is flushed to disk, then renamed
over the destination, so an interrupted build leaves the old file or the new one, never half.
No folder on the way from the output folder to the file may be a symlink: a link planted in
the output folder cannot send a write elsewhere (the rename replaces a link at the file's own
name rather than following it).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from selfeval_compiler.diagnostics import Diagnostic, Location, make, phrase


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


class UnsafePath(OSError):
    """A folder between the output folder and the file is a symlink or not a folder."""


def _check_folders(within: Path, path: Path) -> None:
    root = within.resolve()
    folder = Path(os.path.normpath(path.parent.absolute()))
    relative = folder.relative_to(Path(os.path.normpath(within.absolute())))
    current = root
    for part in relative.parts:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            raise UnsafePath(f"{current} is a symlink or not a folder")


def write_output(path: Path, data: bytes, *, within: Path) -> Diagnostic | None:
    """:func:`write_atomic` below the output folder ``within``, with a failure (full disk,
    read-only folder, a symlinked folder on the way…) as SE904."""
    try:
        _check_folders(within, path)
        write_atomic(path, data)
    except (OSError, ValueError) as error:
        detail = getattr(error, "strerror", None) or str(error)
        return make("SE904", Location(str(path)), path=str(path), detail=detail)
    return None


def folder_unwritable(output: Path) -> Diagnostic | None:
    """One SE904 for an output folder nothing can be written into (read-only, full, or a
    file in its place), found before any output is made, instead of one for every file."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".selfeval-", suffix=".part", dir=output)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        reason = error.strerror or str(error)
        detail = phrase("write.folder", reason=reason)
        return make("SE904", Location(str(output)), path=str(output), detail=detail)
    return None

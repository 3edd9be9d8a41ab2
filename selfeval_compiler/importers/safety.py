"""Limits on files from people we do not know, checked before a parser reads them.

:func:`check_file` runs in the parent before a file is handed to the reading child (a
regular file, not empty, not too large); :func:`check_zip` runs in that child
(:mod:`selfeval_compiler.importers.sandbox`, capped in memory and CPU) before openpyxl
inflates anything, so a zip bomb is refused by its directory. Both raise :class:`Refused`.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

MAX_FILE_BYTES = 50 * 1024 * 1024
"""A bundle of a department's forms is a few MB; 50 MB is far past any real form file."""
MAX_ZIP_MEMBERS = 2000
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
"""All members of an xlsx together, once inflated."""
MAX_MEMBER_BYTES = 16 * 1024 * 1024
"""One member (a sheet's XML) once inflated: a 25-form sheet is about 100 KB."""
MAX_RATIO = 200
"""Inflated / compressed size of one member past 1 MB: XML compresses ten to thirty times;
a zip bomb thousands of times."""


class Refused(Exception):
    """The file is not read at all; ``reason`` says why (a phrase name and its arguments)."""

    def __init__(self, reason: str, **args: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.args_ = args


def check_file(path: Path) -> int:
    """The size of a regular file we may open; refuses links to elsewhere, devices, FIFOs
    (which would block) and files past :data:`MAX_FILE_BYTES`."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise Refused("refused.unopenable", detail=error.strerror or str(error)) from None
    if not stat.S_ISREG(info.st_mode):
        raise Refused("refused.not-regular")
    if info.st_size > MAX_FILE_BYTES:
        raise Refused("refused.too-large", size=info.st_size, limit=MAX_FILE_BYTES)
    if info.st_size == 0:
        raise Refused("refused.empty")
    return info.st_size


def check_zip(path: Path) -> None:
    """An xlsx is a zip: refuse a bomb by its directory, before anything is inflated
    (``zipfile`` then stops each member at its declared size)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Refused("refused.bad-zip", detail=str(error)[:200]) from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise Refused("refused.zip-members", count=len(members), limit=MAX_ZIP_MEMBERS)
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise Refused("refused.encrypted")
        total += member.file_size
        big = member.file_size > 1024 * 1024
        if member.file_size > MAX_MEMBER_BYTES or (
            big and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            raise Refused("refused.zip-bomb", member=member.filename[:100], size=member.file_size)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise Refused("refused.zip-bomb", member="*", size=total)

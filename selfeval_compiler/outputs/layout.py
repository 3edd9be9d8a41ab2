"""Where every output goes: the one module that knows output paths.

A spec's outputs mirror its place below the folder it was found in, each part of the path
made safe for every file system; a folder's forms are bundled in ``_combined.pdf`` beside them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TypeVar

T = TypeVar("T")

BUNDLE_NAME = "_combined.pdf"
SHEETS_FOLDER = ".selfeval-sheets"
"""Below the output folder: each form's sheet of its folder workbook, as data
(:mod:`~selfeval_compiler.outputs.sheet_record`), kept beside every form ``.xlsx``."""
MAX_NAME_BYTES = 150

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"\\|?*\ud800-\udfff]')


def safe_name(name: str) -> str:
    """A file name every system accepts: no control or reserved characters, no reserved
    Windows device name, no trailing dot or space, at most 150 bytes. A name that had to be
    changed gets a short hash of the original, so two different names never collide."""
    clean = _UNSAFE.sub("_", name).rstrip(". ") or "_"
    if clean in (".", ".."):
        clean = "_"
    if _WINDOWS_RESERVED.match(clean):
        clean = "_" + clean
    if len(clean.encode("utf-8")) > MAX_NAME_BYTES:
        clean = clean.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", "ignore")
    if clean != name:
        digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
        clean = f"{clean}-{digest}"
    return clean


@lru_cache(maxsize=1 << 16)
def form_stem(spec_relative: PurePosixPath) -> PurePosixPath:
    """Outputs of the spec at ``spec_relative`` (below its spec root), without a suffix:
    only the spec's own ``.yaml``/``.yml`` is dropped, so ``p.2023.yaml`` → ``p.2023``.
    Remembered: a build asks it several times for each spec."""
    name = spec_relative.name
    for suffix in (".yaml", ".yml"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    parts = (*spec_relative.parent.parts, name)
    return PurePosixPath(*(safe_name(part) for part in parts if part not in ("", ".")))


def form_folder(spec_relative: PurePosixPath) -> PurePosixPath:
    """The output folder a spec's outputs and its bundle share."""
    return form_stem(spec_relative).parent


def output_path(output: Path, spec_relative: PurePosixPath, suffix: str) -> Path:
    stem = form_stem(spec_relative)
    return output.joinpath(*stem.parent.parts, stem.name + suffix)


def sheet_path(output: Path, workbook_relative: PurePosixPath) -> Path:
    """Where the sheet record of the form workbook at ``workbook_relative`` (``a/01.xlsx``,
    relative to ``output``) is kept: ``.selfeval-sheets/a/01.json``."""
    return output.joinpath(SHEETS_FOLDER, *workbook_relative.with_suffix(".json").parts)


def form_sheet_path(output: Path, spec_relative: PurePosixPath) -> Path:
    """The sheet record of the spec at ``spec_relative``."""
    stem = form_stem(spec_relative)
    return output.joinpath(SHEETS_FOLDER, *stem.parent.parts, stem.name + ".json")


def output_key(spec_relative: PurePosixPath) -> str:
    """What two specs must not share: their output stem, compared as a case-insensitive file
    system (Windows, macOS) would."""
    return form_stem(spec_relative).as_posix().casefold()


def collisions(relatives: Iterable[tuple[T, PurePosixPath]]) -> list[list[T]]:
    """Groups of items whose specs would write the same outputs, in the order given."""
    groups: dict[str, list[T]] = {}
    for item, relative in relatives:
        groups.setdefault(output_key(relative), []).append(item)
    return [group for group in groups.values() if len(group) > 1]


def bundle_relative(folder: PurePosixPath, suffix: str = ".pdf") -> PurePosixPath:
    """A folder's bundle in one format: ``_combined.pdf``, ``_combined.xlsx``."""
    return folder / (BUNDLE_NAME.removesuffix(".pdf") + suffix)

"""Where every output goes: the one module that knows output paths.

A spec's outputs mirror its place below the folder it was found in, each part of the path
made safe for every file system; a folder's forms are bundled in ``_combined.pdf`` beside them.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

BUNDLE_NAME = "_combined.pdf"
MAX_NAME_BYTES = 150

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"\\|?*]')


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


def form_stem(spec_relative: PurePosixPath) -> PurePosixPath:
    """Outputs of the spec at ``spec_relative`` (below its folder), without their suffix."""
    stem = spec_relative.with_suffix("")
    return PurePosixPath(*(safe_name(part) for part in stem.parts))


def form_folder(spec_relative: PurePosixPath) -> PurePosixPath:
    """The output folder a spec's outputs and its bundle share."""
    return form_stem(spec_relative).parent


def output_path(output: Path, spec_relative: PurePosixPath, suffix: str) -> Path:
    return output.joinpath(*form_stem(spec_relative).parts).with_suffix(suffix)


def bundle_relative(folder: PurePosixPath) -> PurePosixPath:
    return folder / BUNDLE_NAME

"""What the last build made from what: the record that makes builds incremental.

``<output>/.selfeval-build.json`` lists, for each spec built, the files it was compiled from
(the spec, its ``_defaults.yaml`` files, its profile files) with their SHA-256, the build's
settings (selfeval version, templates, formats, creation date), the outputs written and the
warnings found; for each folder bundle the forms it holds; and the summary files
(``summary.*``) ``build --summary`` wrote, so that a later build that changes a form rewrites
them. A spec whose recorded inputs and settings are unchanged, and whose outputs are exactly
the ones it maps to now and all present, is skipped without even being parsed.
"""

from __future__ import annotations

import hashlib
import json
import stat
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from selfeval_compiler import __version__
from selfeval_compiler.sources import resources

MANIFEST_NAME = ".selfeval-build.json"
FORMAT_VERSION = 5


MAX_RECORD_BYTES = 256 * 1024 * 1024
MAX_INPUT_BYTES = 16 * 1024 * 1024
"""An input larger than any spec, defaults or profile may be is never read to be hashed."""


def file_digest(path: Path) -> str | None:
    """SHA-256 of a regular file of bounded size; ``None`` for anything else (a FIFO or a
    device named by a forged record is never opened)."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_INPUT_BYTES:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _is_relative_output(text: object) -> bool:
    if not isinstance(text, str) or not text or "\0" in text or "\\" in text:
        return False
    parts = PurePosixPath(text).parts
    return not PurePosixPath(text).is_absolute() and ".." not in parts


def _is_digest(text: object) -> bool:
    return isinstance(text, str) and len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def _valid_spec(record: object) -> bool:
    """The shape :class:`SpecRecord` needs; output paths relative and inside the folder."""
    if not isinstance(record, dict) or set(record) != _SPEC_FIELDS:
        return False
    inputs, outputs = record["inputs"], record["outputs"]
    return (
        isinstance(inputs, dict)
        and all(isinstance(k, str) and _is_digest(v) for k, v in inputs.items())
        and isinstance(outputs, list)
        and all(_is_relative_output(item) for item in outputs)
        and isinstance(record["settings"], str)
        and isinstance(record["warnings"], list)
        and all(isinstance(w, dict) for w in record["warnings"])
        and isinstance(record["unit"], str)
        and isinstance(record["year"], int)
        and isinstance(record["form_title"], str)
        and isinstance(record["project"], str)
    )


SUMMARY_NAMES = frozenset(f"summary.{name}" for name in ("html", "pdf", "xlsx", "json"))
"""What ``build --summary`` writes at the top of the output folder."""


def _valid_summary(record: object) -> bool:
    return isinstance(record, list) and all(item in SUMMARY_NAMES for item in record)


def _valid_bundle(key: object, record: object) -> bool:
    return (
        _is_relative_output(key)
        and isinstance(record, dict)
        and set(record) == {"digest", "specs"}
        and isinstance(record["digest"], str)
        and isinstance(record["specs"], list)
        and all(isinstance(item, str) for item in record["specs"])
    )


@cache
def toolchain_digest() -> str:
    """selfeval's version and its templates: a change to either rebuilds everything."""
    digest = hashlib.sha256(__version__.encode())
    for folder in ("templates", "profiles"):
        for path in sorted(resources.data_dir(folder).iterdir()):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def is_builtin(path: Path) -> bool:
    """Built-in profiles are covered by :func:`toolchain_digest`, not listed as inputs."""
    return path.resolve().parent == resources.data_dir("profiles").resolve()


def settings_key(formats: frozenset[str], created: str | None, form: str | None = None) -> str:
    """What outputs depend on besides the inputs. The form is named only when the build was
    told one other than the 自评表: a build by each spec's stage (``None``) prints an autumn
    spec exactly as a 自评表 build does, and records written before stages existed stay
    current (a spec's stage is among its inputs, so changing it rebuilds the form)."""
    extra = [] if form in (None, "self-evaluation") else [form]
    return json.dumps([toolchain_digest(), sorted(formats), created, *extra])


@dataclass
class SpecRecord:
    inputs: dict[str, str]
    """Path relative to the output folder → SHA-256 of every file the spec was compiled
    from (no absolute path is written, so the record travels with the output folder)."""
    settings: str
    outputs: list[str]
    """Output paths relative to the output folder."""
    warnings: list[dict[str, Any]] = field(default_factory=list)
    unit: str = ""
    year: int = 0
    form_title: str = ""
    project: str = ""
    """实施单位, 年度 and the profile's form title: the folder bundle's metadata, without
    compiling the spec again."""

    def is_current(self, settings: str, output: Path, digests: dict[str, str | None]) -> bool:
        """``digests``: each input's digest by its path relative to ``output`` (shared by
        the specs of one plan, which all name the same ``output``)."""
        if self.settings != settings:
            return False
        for relative, digest in self.inputs.items():
            if relative not in digests:
                digests[relative] = file_digest(output / relative)
            if digests[relative] != digest:
                return False
        return all((output / relative).is_file() for relative in self.outputs)


_SPEC_FIELDS = frozenset(SpecRecord.__dataclass_fields__)


@dataclass
class BundleRecord:
    digest: str
    specs: list[str]
    """The forms it holds: keys of :attr:`Manifest.specs`."""


@dataclass
class Manifest:
    specs: dict[str, SpecRecord] = field(default_factory=dict)
    """Keyed by the spec's path relative to the output folder."""
    bundles: dict[str, BundleRecord] = field(default_factory=dict)
    """Bundle path (relative to the output folder) → what it was made from."""
    summary: list[str] = field(default_factory=list)
    """The summary files ``build --summary`` wrote (``summary.json`` …), relative to the
    output folder."""

    @classmethod
    def load(cls, output: Path) -> Manifest:
        """The last build's record, or an empty one (build everything) when it is missing,
        a symlink, huge, or not exactly the shape this version writes: it is build state
        anybody could have edited, never trusted for paths."""
        path = output / MANIFEST_NAME
        try:
            if path.is_symlink() or path.stat().st_size > MAX_RECORD_BYTES:
                return cls()
            data = json.loads(path.read_bytes().decode("utf-8", "surrogateescape"))
        except (OSError, ValueError, RecursionError):
            return cls()
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            return cls()
        specs, bundles = data.get("specs"), data.get("bundles")
        summary = data.get("summary", [])  # absent from records written before it existed
        if not isinstance(specs, dict) or not isinstance(bundles, dict):
            return cls()
        if not _valid_summary(summary):
            return cls()
        if not all(_valid_spec(value) for value in specs.values()):
            return cls()
        if not all(_valid_bundle(key, value) for key, value in bundles.items()):
            return cls()
        return cls(
            {key: SpecRecord(**value) for key, value in specs.items()},
            {key: BundleRecord(**value) for key, value in bundles.items()},
            sorted(set(summary)),
        )

    def dumps(self) -> bytes:
        data = {
            "format": FORMAT_VERSION,
            "specs": {key: vars(record) for key, record in sorted(self.specs.items())},
            "bundles": {key: vars(record) for key, record in sorted(self.bundles.items())},
        }
        if self.summary:  # records without one stay byte for byte what they were
            data["summary"] = sorted(self.summary)
        # A file name that is not UTF-8 is kept byte for byte (surrogateescape both ways).
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode(
            "utf-8", "surrogateescape"
        )

"""What the last build made from what: the record that makes builds incremental.

``<output>/.selfeval-build.json`` lists, for each spec built, the files it was compiled from
(the spec, its ``_defaults.yaml`` files, its profile files) with their SHA-256, the build's
settings (selfeval version, templates, formats, creation date), the outputs written and the
warnings found; and for each folder bundle the forms it holds. A spec whose recorded inputs
and settings are unchanged, and whose outputs are all present, is skipped without even being
parsed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from selfeval_compiler import __version__
from selfeval_compiler.sources import resources

MANIFEST_NAME = ".selfeval-build.json"
FORMAT_VERSION = 4


def file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


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


def settings_key(formats: frozenset[str], created: str | None) -> str:
    return json.dumps([toolchain_digest(), sorted(formats), created])


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
    """实施单位, 年度 and the profile's form title: the folder bundle's metadata, without
    compiling the spec again."""

    def is_current(self, settings: str, output: Path, digests: dict[str, str | None]) -> bool:
        if self.settings != settings:
            return False
        for relative, digest in self.inputs.items():
            path = str((output / relative).resolve())
            if path not in digests:
                digests[path] = file_digest(Path(path))
            if digests[path] != digest:
                return False
        return all((output / relative).is_file() for relative in self.outputs)


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

    @classmethod
    def load(cls, output: Path) -> Manifest:
        try:
            data = json.loads((output / MANIFEST_NAME).read_text("utf-8"))
            if data.get("format") != FORMAT_VERSION:
                return cls()
            specs = {key: SpecRecord(**value) for key, value in data["specs"].items()}
            bundles = {key: BundleRecord(**value) for key, value in data["bundles"].items()}
            return cls(specs, bundles)
        except (OSError, ValueError, KeyError, TypeError):
            return cls()  # no usable record: build everything

    def dumps(self) -> bytes:
        data = {
            "format": FORMAT_VERSION,
            "specs": {key: vars(record) for key, record in sorted(self.specs.items())},
            "bundles": {key: vars(record) for key, record in sorted(self.bundles.items())},
        }
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

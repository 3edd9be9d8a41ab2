"""``_defaults.yaml``: found, loaded once, and merged under a spec's own keys — all here.

A ``_defaults.yaml`` in a spec's folder or any parent, up to the repository root (a folder
holding ``.git``), may hold ``year``, ``stage``, ``department``, ``unit`` and ``profile`` for
every spec below it. The nearest folder wins; a spec's own keys win over all.

The stage says which form a spec is at: ``申报`` (spring: the 绩效目标申报表) or ``自评``
(year's end: the 自评表, also when no file names a stage). :func:`form_of` turns it into the
form every command prints unless told otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from selfeval_compiler.diagnostics import Diagnostic, Location, make
from selfeval_compiler.sources.discovery import DEFAULTS_NAME
from selfeval_compiler.sources.project import absolute, inside
from selfeval_compiler.sources.schema import validate
from selfeval_compiler.sources.yaml_loader import Document, display_path, load_file

FORM_KEY = "form"
DEPARTMENT_FORM = "部门整体"
"""A spec's top-level ``form: 部门整体`` makes it a department spec (its own schema)."""

DEFAULTABLE = ("year", "stage", "department", "unit", "profile")
STAGE_FORMS = {
    "申报": "goals",
    "goals": "goals",
    "自评": "self-evaluation",
    "self-evaluation": "self-evaluation",
}
"""Each word a ``stage`` may be written with → the form printed at that stage."""


@dataclass(frozen=True)
class DefaultsFile:
    path: Path
    document: Document


def defaults_chain(spec_path: Path, root: Path | None = None) -> list[Path]:
    """``_defaults.yaml`` files that apply to a spec, nearest folder first.

    The search stops at ``root`` (the spec's boundary), else at the repository root (a folder
    holding ``.git``), so defaults from outside the project never leak in.
    """
    return list(_defaults_for_folder(absolute(spec_path).parent, root and absolute(root)))


@lru_cache(maxsize=4096)
def _defaults_for_folder(folder: Path, root: Path | None) -> tuple[Path, ...]:
    """Cached per folder: a thousand specs in one folder share one search."""
    candidate = folder / DEFAULTS_NAME
    here = (candidate,) if candidate.is_file() else ()
    at_top = folder == root if root is not None else (folder / ".git").exists()
    if at_top or folder.parent == folder:
        return here
    return here + _defaults_for_folder(folder.parent, root)


class DefaultsCache:
    """Loads and validates each ``_defaults.yaml`` once, however many specs it applies to."""

    def __init__(self) -> None:
        self._loaded: dict[Path, tuple[DefaultsFile | None, list[Diagnostic]]] = {}

    def load(
        self, path: Path, root: Path | None = None
    ) -> tuple[DefaultsFile | None, list[Diagnostic]]:
        if root is not None and not inside(path, root):
            where = Location(display_path(path), 1, 1)
            return None, [make("SE016", where, path=display_path(path), root=str(root))]
        if path not in self._loaded:
            document, problems = load_file(path, display_path(path))
            if document is not None:
                problems = validate(document, "defaults.schema.json")
            usable = DefaultsFile(path, document) if document is not None and not problems else None
            self._loaded[path] = (usable, problems)
        return self._loaded[path]

    def for_spec(
        self, spec_path: Path, root: Path | None = None
    ) -> tuple[list[DefaultsFile], list[Diagnostic]]:
        """The defaults files that apply to a spec, nearest first, and their problems."""
        files: list[DefaultsFile] = []
        problems: list[Diagnostic] = []
        for path in defaults_chain(spec_path, root):
            loaded, found = self.load(path, root)
            problems.extend(found)
            if loaded is not None:
                files.append(loaded)
        return files, problems


def merge(
    document: Document, source: Path, defaults: list[DefaultsFile]
) -> dict[str, tuple[Any, Location, Path]]:
    """Each defaultable key's value, where it was written, and the file it came from."""
    merged: dict[str, tuple[Any, Location, Path]] = {}
    for defaults_file in reversed(defaults):
        for key, value in defaults_file.document.data.items():
            merged[key] = (value, defaults_file.document.locate((key,)), defaults_file.path)
    for key in DEFAULTABLE:
        if key in document.data:
            merged[key] = (document.data[key], document.locate((key,)), source)
    return merged


def form_of(document: Document, defaults: list[DefaultsFile]) -> str:
    """The form a spec is at: ``department`` for a spec that says ``form: 部门整体`` (the
    部门整体支出绩效自评表, whatever its folder's stage; a near miss such as ``form: 部门``
    too, so that the department schema tells the clerk the word it takes); else its own
    ``stage``, else the nearest ``_defaults.yaml``'s, else the 自评表. A value the schema
    refuses counts as absent here (the schema reports it)."""
    data = document.data if isinstance(document.data, dict) else {}
    written = data.get(FORM_KEY)
    if isinstance(written, str) and "部门" in written:
        return "department"  # 部门整体 itself, or a near miss its schema names (SE104)
    chain = [data, *(d.document.data for d in defaults if isinstance(d.document.data, dict))]
    for values in chain:
        stage = values.get("stage")
        if isinstance(stage, str) and stage in STAGE_FORMS:
            return STAGE_FORMS[stage]
    return "self-evaluation"

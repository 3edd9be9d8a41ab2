"""Where the package's data folders are, installed or in a source checkout.

``schema/`` and ``templates/`` sit at the top of the repository; ``pip install .`` installs
them as ``selfeval_compiler.schema`` and ``selfeval_compiler.templates``, and the CI
templates of ``examples/ci/`` as ``selfeval_compiler.ci``.
"""

from __future__ import annotations

import importlib.util
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_IN_CHECKOUT = {"ci": "examples/ci"}
"""Data folders that sit elsewhere than ``<name>/`` in a source checkout."""


def data_dir(name: str) -> Path:
    """The folder of package data ``name`` ("schema", "templates", "profiles", "ci")."""
    spec = importlib.util.find_spec(f"selfeval_compiler.{name}")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if Path(location).is_dir():
                return Path(location)
    candidate = _PACKAGE_DIR / name
    if candidate.is_dir():
        return candidate
    return _PACKAGE_DIR.parent / _IN_CHECKOUT.get(name, name)


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((data_dir("schema") / name).read_text("utf-8"))
    return loaded


def repository_schema(path: Path, name: str = "selfeval.schema.json") -> str | None:
    """The schema for a file at ``path`` as a path relative to it, when a folder above it
    holds ``schema/<name>`` (the selfeval repository, a bureau's repository that carries
    it); ``None`` otherwise."""
    folder = path.resolve().parent
    for candidate in (folder, *folder.parents):
        found = candidate / "schema" / name
        if found.is_file():
            return os.path.relpath(found, folder).replace(os.sep, "/")
    return None


def schema_reference(path: Path, name: str = "selfeval.schema.json") -> str:
    """The schema as the editor should find it: relative when the repository has it."""
    found = repository_schema(path, name)
    return found if found is not None else (data_dir("schema") / name).resolve().as_uri()

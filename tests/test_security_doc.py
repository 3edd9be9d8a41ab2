"""Every test SECURITY.md names for a guarantee exists (the document cannot drift)."""

from __future__ import annotations

import importlib
import re

from conftest import REPO

_REFERENCE = re.compile(r"`(?:(test_\w+)\.py)?::?(test_\w+)`|`(test_\w+)\.py` \(all\)")


def test_every_named_test_exists() -> None:
    text = (REPO / "SECURITY.md").read_text("utf-8")
    module = None
    checked = 0
    for line in text.splitlines():
        if not line.startswith("| ") or "test_" not in line:
            continue
        for match in _REFERENCE.finditer(line):
            file, function, whole = match.groups()
            if whole:
                assert importlib.import_module(whole), whole
                checked += 1
                continue
            module = importlib.import_module(file) if file else module
            assert module is not None, line
            assert callable(getattr(module, function, None)), f"{module.__name__}::{function}"
            checked += 1
    assert checked >= 20

"""The quick schema check (sources/schema_check.py) gives jsonschema's answer: on every spec
the repository holds and on many broken variants of them, for each schema a spec is checked
against. If the quick check ever said "valid" where jsonschema finds an error, ``check``
would miss that error; if it said "invalid" too often, ``check`` would only be slower."""

from __future__ import annotations

import copy
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SPECS

from selfeval_compiler.sources import resources, schema
from selfeval_compiler.sources.schema_check import compile_check
from selfeval_compiler.sources.yaml_loader import load_file

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_specs import generate

SCHEMAS = ["selfeval.schema.json", "goals.schema.json", "department.schema.json"]


def _corpus(tmp: Path) -> list[Any]:
    paths = [
        *sorted((REPO / "tests" / "cases").rglob("*.yaml")),
        *sorted((REPO / "examples").rglob("*.yaml")),
        *sorted(SPECS.rglob("*.yaml")),
        *generate(tmp / "generated", 8),
    ]
    found = []
    for path in paths:
        document, _ = load_file(path)
        if document is not None:
            found.append(document.data)
    return found


def _variants(data: Any) -> Iterator[Any]:
    """``data`` with one value at a time replaced by something of another type, blank,
    huge or negative, and with a key removed or added."""
    replacements: list[Any] = [
        None, True, 0, -1, Decimal("-0.5"), Decimal("1e9"), 1.5, "", "　", "\u200b",
        "x" * 3000, [], {}, ["a"], {"z": 1},
    ]  # fmt: skip

    def places(node: Any, path: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        yield path
        if isinstance(node, dict):
            for key, value in node.items():
                yield from places(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from places(value, (*path, index))

    for number, path in enumerate(places(data, ())):
        if not path:
            continue
        parent = copy.deepcopy(data)
        holder = parent
        for part in path[:-1]:
            holder = holder[part]
        replacement = replacements[number % len(replacements)]
        holder[path[-1]] = replacement
        yield parent
        if isinstance(holder, dict):
            removed = copy.deepcopy(parent)
            target = removed
            for part in path[:-1]:
                target = target[part]
            del target[path[-1]]
            yield removed
            target["unknown_key"] = "x"
            yield removed


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    return _corpus(tmp_path_factory.mktemp("corpus"))


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_schema_compiles_to_a_quick_check(name: str) -> None:
    assert schema._quick_check(name) is not None


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_quick_check_answers_as_jsonschema_does(name: str, corpus: list[Any]) -> None:
    quick = schema._quick_check(name)
    assert quick is not None
    full = schema._validator(name)
    compared = valid = 0
    for data in corpus:
        for candidate in [data, *_variants(data)]:
            expected = not any(full.iter_errors(candidate))
            assert quick(candidate) is expected, (name, candidate)
            compared += 1
            valid += expected
    assert compared > 5000
    assert valid > 50  # both answers were compared, not only "invalid"


def test_a_keyword_it_does_not_decide_leaves_the_answer_to_jsonschema() -> None:
    assert compile_check({"type": "object", "anyOf": [{"required": ["a"]}]}) is None
    assert compile_check({"enum": [1, 2]}) is None  # jsonschema's equality of numbers
    assert compile_check(resources.schema("profile.schema.json")) is None

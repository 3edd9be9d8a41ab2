"""JSON Schema errors → diagnostics, every one of them in one pass."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from selfeval_compiler.diagnostics import Diagnostic, Listing, Phrase, listing, make, phrase
from selfeval_compiler.diagnostics.formats import INVISIBLE
from selfeval_compiler.sources import resources
from selfeval_compiler.sources.schema_check import Check, compile_check
from selfeval_compiler.sources.yaml_loader import Document

if TYPE_CHECKING:
    # jsonschema is imported only when a spec fails the quick check (:mod:`.schema_check`):
    # a command that validates nothing, or only valid specs, starts without it.
    from jsonschema.exceptions import ValidationError


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _names(types: str | list[str]) -> Listing:
    listed = [types] if isinstance(types, str) else list(types)
    return listing((phrase(f"type.{name}") for name in listed), either=True)


_FILLERS = frozenset("\u115f\u1160\u180e\u2800\u3164\uffa0")
"""Characters that print as nothing although Unicode does not call them spaces: the Hangul
fillers, the Mongolian vowel separator and the blank braille pattern."""


def blank(text: str) -> bool:
    """Whether ``text`` prints as nothing: empty, or only spaces of any kind (``" "``, the
    full-width U+3000, U+00A0, U+2000–U+200A, …), invisible characters and fillers."""
    first = text.lstrip()[:1]
    if first and first not in _FILLERS and not INVISIBLE.match(first):
        return False  # a character that prints (the common case, decided by one)
    return all(char.isspace() or char in _FILLERS or INVISIBLE.match(char) for char in text)


def _min_length(
    validator: Any, limit: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """``minLength`` as a clerk reads it: a text of only spaces is as empty as ``""`` (a
    full-width space typed into a cell would otherwise count as a value, and a target of
    " " as met)."""
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "string"):
        return
    if len(instance) < limit or (limit >= 1 and blank(instance)):
        yield ValidationError(f"{instance!r} should be non-empty")


_BLANK_IS_EMPTY = frozenset({"selfeval.schema.json"})
"""Schemas whose texts count blank as empty. The 申报表 (goals.schema.json) prints a blank
cell and warns of it where it stands (SE410–SE418, :mod:`selfeval_compiler.rules.goals`),
whether the key is left out or holds only spaces; nothing there is scored."""


@cache
def _validator(schema_name: str) -> Any:
    from jsonschema import Draft202012Validator, validators

    kind = Draft202012Validator
    if schema_name in _BLANK_IS_EMPTY:
        kind = validators.extend(Draft202012Validator, {"minLength": _min_length})
    return kind(resources.schema(schema_name))


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    if error.context:
        for child in error.context:
            yield from _leaves(child)
    else:
        yield error


def _key_of(path: tuple[str | int, ...]) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "$"


_PHRASED = frozenset(
    {
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
        "enum",
        "pattern",
        "propertyNames",
    }
)
"""Schema keywords with a message of their own in the catalogue's phrases."""


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_WITH_UNIT = re.compile(r"\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?:万元|元|万|分|%|％)\s*")


_YEAR = re.compile(r"(\d{4})\s*年度?")
_NOT_AMOUNTS = frozenset({"weight", "rate", "score"})
"""Numbers under ``funds`` and ``project_funds`` that are not amounts of money."""


def _quoted_hint(path: tuple[str | int, ...], number: str) -> Phrase:
    """A number written as text (``"12.51"``): only quotes can make it so."""
    key = _key_of(path)
    if path[:1] in (("funds",), ("project_funds",)) and key not in _NOT_AMOUNTS:
        return phrase("hint.quoted-amount", value=number)
    return phrase("hint.quoted", value=number)


def _number_hint(value: object, expected: object, path: tuple[str | int, ...]) -> Phrase | str:
    """What a clerk most likely meant by text where a number belongs, as a hint."""
    if isinstance(expected, str):
        wanted = {expected}
    else:
        wanted = {str(item) for item in expected} if isinstance(expected, list) else set()
    if not isinstance(value, str) or not {"number", "integer"} & wanted:
        return ""
    folded = unicodedata.normalize("NFKC", value).strip()
    year = _YEAR.fullmatch(folded)
    if _key_of(path) == "year" and year:
        return phrase("hint.year", value=year.group(1))
    if folded != value.strip() and _NUMBER.fullmatch(folded):
        return phrase("hint.fullwidth", value=folded)
    if _NUMBER.fullmatch(folded):
        return _quoted_hint(path, folded)
    if _GROUPED.fullmatch(folded):
        return phrase("hint.thousands", value=folded.replace(",", ""))
    unit = _WITH_UNIT.fullmatch(folded)
    if unit:
        return phrase("hint.unit", value=unit.group(1))
    return ""


def _suggestions(error: ValidationError) -> dict[str, str | None]:
    """Each unknown key of an ``additionalProperties`` error, and the known key it most
    likely misspells (``projet`` → ``project``), if any."""
    known = list(error.schema.get("properties", {}))
    return {
        key: next(iter(difflib.get_close_matches(key, known, n=1, cutoff=0.5)), None)
        for key in error.instance
        if key not in known
    }


def _misspelt(leaves: list[ValidationError]) -> set[tuple[tuple[str | int, ...], str]]:
    """(object path, key) of every required key that an unknown key misspells: its SE101
    says "did you mean", so no SE102 repeats the same slip as missing."""
    found = set()
    for leaf in leaves:
        if leaf.validator == "additionalProperties" and isinstance(leaf.instance, dict):
            path = tuple(leaf.absolute_path)
            found |= {(path, close) for close in _suggestions(leaf).values() if close}
    return found


SPRING = "申报"
"""The ``stage`` a spring form is marked with, as SE021 names it."""
_SPRING_SCHEMA = {"selfeval.schema.json": "goals.schema.json"}
"""A year-end form's schema → the spring form's for the same spec (stage: 申报)."""


def _branches(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A schema and the subschemas it may apply (``then``, ``allOf``): where an array form
    of a value is described behind an ``if``."""
    yield node
    for key in ("then", "else"):
        if isinstance(node.get(key), dict):
            yield from _branches(node[key])
    for part in node.get("allOf", []):
        yield from _branches(part)


def _node(schema: dict[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
    """The schema of the value at ``path`` (an object's own key, or its any-key schema)."""
    node = schema
    for part in path:
        found: dict[str, Any] = {}
        for branch in _branches(node):
            if isinstance(part, int) and isinstance(branch.get("items"), dict):
                found = branch["items"]
            elif isinstance(part, str) and part in branch.get("properties", {}):
                found = branch["properties"][part]
            elif isinstance(part, str) and isinstance(branch.get("additionalProperties"), dict):
                found = branch["additionalProperties"]
            if found:
                break
        node = found
    return node


def _year_end(schema_name: str, parent: tuple[str | int, ...], key: str) -> bool:
    """Whether ``key`` of the object at ``parent`` is a value only the year's end can tell
    (a 实际完成值, 全年执行数, 分值 …): required in the self-evaluation, not in the spring
    form of the same spec."""
    spring = _SPRING_SCHEMA.get(schema_name)
    if spring is None:
        return False
    required = _node(resources.schema(schema_name), parent).get("required", [])
    return key in required and key not in _node(resources.schema(spring), parent).get(
        "required", []
    )


def _cell_of(document: Document, parent: tuple[str | int, ...], key: str) -> str:
    """The key's path as a clerk finds it in the spec, with the indicator's name where it
    has one: ``培训人次：indicators.产出指标.数量指标[0].actual``."""
    text = ""
    for part in (*parent, key):
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    value: Any = document.data
    for part in parent:  # the path of a validation error exists in the document
        value = value[part]
    name = value.get("name") if isinstance(value, dict) else None
    return f"{name.strip()}：{text}" if isinstance(name, str) and name.strip() else text


def _not_written(error: ValidationError, document: Document, schema_name: str) -> Diagnostic | None:
    """SE021 for a year-end value written as ``~`` (one left out is found with the other
    required keys): it names both fixes, write it or mark the form as the spring one."""
    path = tuple(error.absolute_path)
    if (
        error.validator != "type"
        or error.instance is not None
        or not path
        or not isinstance(path[-1], str)
        or not _year_end(schema_name, path[:-1], path[-1])
    ):
        return None
    title = error.schema.get("title", path[-1])
    cell = _cell_of(document, path[:-1], path[-1])
    return make("SE021", document.locate(path), cell=cell, title=title, spring=SPRING)


def _missing(error: ValidationError, document: Document, schema_name: str, key: str) -> Diagnostic:
    """A required key left out: SE021 for a year-end value (both fixes named), else SE102."""
    path = tuple(error.absolute_path)
    title = error.schema.get("properties", {}).get(key, {}).get("title", key)
    where = document.locate(path, on_key=True)
    if _year_end(schema_name, path, key):
        cell = _cell_of(document, path, key)
        return make("SE021", where, cell=cell, title=title, spring=SPRING)
    return make("SE102", where, key=key, title=title)


def _diagnostics_for(
    error: ValidationError,
    document: Document,
    misspelt: set[tuple[tuple[str | int, ...], str]],
    schema_name: str,
) -> list[Diagnostic]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    not_written = _not_written(error, document, schema_name)
    if not_written is not None:
        return [not_written]
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        known = list(error.schema.get("properties", {}))
        return [
            make(
                "SE101",
                document.locate((*path, key), on_key=True),
                key=key,
                hint=phrase("schema.did-you-mean", key=close)
                if close
                else phrase("schema.allowed", keys=listing(known)),
            )
            for key, close in _suggestions(error).items()
        ]
    if keyword == "required" and isinstance(error.instance, dict):
        return [
            _missing(error, document, schema_name, key)
            for key in error.validator_value
            if key not in error.instance and (path, key) not in misspelt
        ]
    if keyword == "type":
        found_type = _type_of(error.instance)
        return [
            make(
                "SE103",
                document.locate(path),
                key=_key_of(path),
                expected=_names(error.validator_value),
                found=_names(found_type),
                hint=_number_hint(error.instance, error.validator_value, path),
            )
        ]
    if keyword in ("minItems", "minProperties") and path[:1] == ("indicators",) and len(path) > 1:
        return [make("SE204", document.locate(path, on_key=True), name=_key_of(path))]
    value = error.validator_value
    limit = listing(value) if isinstance(value, list) else value
    detail = (
        phrase(f"schema.{keyword}", limit=limit)
        if keyword in _PHRASED
        else phrase("schema.other", detail=error.message)
    )
    title = error.schema.get("title") if isinstance(error.schema, dict) else None
    key = _key_of(path)
    return [
        make(
            "SE104",
            document.locate(path, on_key=keyword == "propertyNames"),
            key=f"{key}（{title}）" if title and title != key else key,
            detail=detail,
        )
    ]


def wrong_type(document: Document, path: tuple[str | int, ...], expected: str) -> Diagnostic:
    """SE103 for the value at ``path``, as ``check`` words it: it should be ``expected``
    (a JSON-schema type name: object, array, …)."""
    value: Any = document.data
    for part in path:
        value = value[part]
    return make(
        "SE103",
        document.locate(path),
        key=_key_of(path),
        expected=_names(expected),
        found=_names(_type_of(value)),
        hint="",
    )


@cache
def _quick_check(schema_name: str) -> Check | None:
    """Whether a document passes, answered fast (:mod:`.schema_check`); ``None``: ask
    ``jsonschema``."""
    return compile_check(
        resources.schema(schema_name), blank if schema_name in _BLANK_IS_EMPTY else None
    )


def validate(document: Document, schema_name: str) -> list[Diagnostic]:
    """Every schema violation of ``document`` as a diagnostic, sorted by position."""
    quick = _quick_check(schema_name)
    if quick is not None and quick(document.data):
        return []  # valid: jsonschema would find nothing either
    leaves = [
        leaf
        for error in _validator(schema_name).iter_errors(document.data)
        for leaf in _leaves(error)
    ]
    misspelt = _misspelt(leaves)
    diagnostics: list[Diagnostic] = []
    for leaf in leaves:
        diagnostics.extend(_diagnostics_for(leaf, document, misspelt, schema_name))
    unique = {(d.code, d.location, d.message_zh): d for d in diagnostics}
    return sorted(unique.values(), key=lambda d: d.sort_key)

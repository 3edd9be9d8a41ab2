"""A quick yes/no answer to "does this document pass its JSON Schema?", for the common case.

``jsonschema`` walks a spec in ≈ 1.5 ms, most of it bookkeeping for the errors it could
report (a validator object made for every value). Nearly every spec a bureau checks is valid,
so :func:`compile_check` turns a schema once into plain Python closures that only say whether
the document passes; :func:`selfeval_compiler.sources.schema.validate` asks ``jsonschema``
for the errors only when the answer is no. The answer is the one ``jsonschema``'s Draft
2020-12 validator gives, keyword for keyword, for the keywords listed in ``_KEYWORDS``; a
schema with any other keyword compiles to ``None`` (always ask ``jsonschema``).
tests/test_schema_check.py holds the two to the same answer on every spec the tests have.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "examples", "default"})
_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "additionalProperties",
        "required",
        "minimum",
        "maximum",
        "enum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
        "propertyNames",
        "items",
        "pattern",
        "if",
        "then",
        "else",
    }
)


class _Unsupported(Exception):
    """A keyword or value this module does not decide: ``jsonschema`` answers instead."""


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "null": lambda value: value is None,
    "boolean": lambda value: isinstance(value, bool),
    "integer": _is_integer,
    "number": _is_number,
    "string": lambda value: isinstance(value, str),
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
}
"""As ``jsonschema``'s Draft 2020-12 type checker decides them (a Decimal is a number)."""


def compile_check(schema: Any, blank: Callable[[str], bool] | None = None) -> Check | None:
    """``schema`` as a function answering whether a document passes it, or ``None`` when it
    uses a keyword this module does not decide. ``blank``: with ``minLength`` ≥ 1, a text
    for which it is true counts as empty (the project's own ``minLength``)."""
    try:
        return _compile(schema, blank)
    except _Unsupported:
        return None


def _compile(schema: Any, blank: Callable[[str], bool] | None) -> Check:
    if schema is True:
        return lambda value: True
    if schema is False:
        return lambda value: False
    if not isinstance(schema, dict):
        raise _Unsupported
    unknown = set(schema) - _KEYWORDS - _ANNOTATIONS
    if unknown:
        raise _Unsupported
    checks: list[Check] = []
    if "type" in schema:
        checks.append(_type(schema["type"]))
    if "enum" in schema:
        checks.append(_enum(schema["enum"]))
    checks += _object_checks(schema, blank)
    checks += _number_checks(schema)
    checks += _text_checks(schema, blank)
    checks += _container_checks(schema, blank)
    if "if" in schema:
        checks.append(_conditional(schema, blank))
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]
    return lambda value: all(check(value) for check in checks)


def _container_checks(schema: dict[str, Any], blank: Callable[[str], bool] | None) -> list[Check]:
    checks: list[Check] = []
    if "items" in schema:
        item = _compile(schema["items"], blank)
        checks.append(lambda value: not isinstance(value, list) or all(map(item, value)))
    for keyword, (kind, size) in {
        "minItems": ("array", 1),
        "maxItems": ("array", -1),
        "minProperties": ("object", 1),
        "maxProperties": ("object", -1),
    }.items():
        if keyword in schema:
            checks.append(_size(kind, schema[keyword], size))
    return checks


def _type(types: Any) -> Check:
    names = [types] if isinstance(types, str) else types
    if not isinstance(names, list) or not all(name in _TYPES for name in names):
        raise _Unsupported
    tests = [_TYPES[name] for name in names]
    if len(tests) == 1:
        return tests[0]
    return lambda value: any(test(value) for test in tests)


def _enum(values: Any) -> Check:
    """Texts and booleans only, compared as jsonschema does (``True`` is not ``1``, nor a
    text ``"1"`` the number); other values (numbers, containers): ask jsonschema."""
    if not isinstance(values, list) or not all(isinstance(v, str | bool) for v in values):
        raise _Unsupported
    texts = frozenset(v for v in values if isinstance(v, str))
    flags = frozenset(v for v in values if isinstance(v, bool))
    return lambda value: (
        (isinstance(value, str) and value in texts) or (isinstance(value, bool) and value in flags)
    )


def _object_checks(schema: dict[str, Any], blank: Callable[[str], bool] | None) -> list[Check]:
    checks: list[Check] = []
    properties = schema.get("properties", {})
    if not isinstance(properties, dict):
        raise _Unsupported
    known = {key: _compile(value, blank) for key, value in properties.items()}
    extra: Check | None = None
    if "additionalProperties" in schema:
        extra = _compile(schema["additionalProperties"], blank)
    if known or extra is not None:
        checks.append(_members(known, extra))
    if "required" in schema:
        required = schema["required"]
        if not isinstance(required, list):
            raise _Unsupported
        checks.append(
            lambda value: not isinstance(value, dict) or all(map(value.__contains__, required))
        )
    if "propertyNames" in schema:
        name = _compile(schema["propertyNames"], blank)
        checks.append(lambda value: not isinstance(value, dict) or all(map(name, value)))
    return checks


def _members(known: dict[str, Check], extra: Check | None) -> Check:
    """``properties`` with ``additionalProperties``: each member by its own schema, or by
    the schema for the others."""

    def members(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for key, item in value.items():
            check = known.get(key, extra)
            if check is not None and not check(item):
                return False
        return True

    return members


def _number_checks(schema: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []
    if "minimum" in schema:
        low = schema["minimum"]
        checks.append(lambda value: not _is_number(value) or not value < low)
    if "maximum" in schema:
        high = schema["maximum"]
        checks.append(lambda value: not _is_number(value) or not value > high)
    return checks


def _text_checks(schema: dict[str, Any], blank: Callable[[str], bool] | None) -> list[Check]:
    checks: list[Check] = []
    if "minLength" in schema:
        shortest = schema["minLength"]
        if blank is not None and shortest >= 1:
            checks.append(
                lambda value: (
                    not isinstance(value, str) or (len(value) >= shortest and not blank(value))
                )
            )
        else:
            checks.append(lambda value: not isinstance(value, str) or len(value) >= shortest)
    if "maxLength" in schema:
        longest = schema["maxLength"]
        checks.append(lambda value: not isinstance(value, str) or len(value) <= longest)
    if "pattern" in schema:
        pattern = re.compile(schema["pattern"])
        checks.append(lambda value: not isinstance(value, str) or bool(pattern.search(value)))
    return checks


def _size(kind: str, limit: int, direction: int) -> Check:
    """``min/maxItems``, ``min/maxProperties``: the length of an array or object."""
    is_kind = _TYPES[kind]
    if direction > 0:
        return lambda value: not is_kind(value) or len(value) >= limit
    return lambda value: not is_kind(value) or len(value) <= limit


def _conditional(schema: dict[str, Any], blank: Callable[[str], bool] | None) -> Check:
    condition = _compile(schema["if"], blank)
    then = _compile(schema.get("then", True), blank)
    otherwise = _compile(schema.get("else", True), blank)
    return lambda value: then(value) if condition(value) else otherwise(value)

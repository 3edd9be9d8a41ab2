"""JSON Schema errors → diagnostics, every one of them in one pass."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from selfeval_compiler.diagnostics import Diagnostic, make
from selfeval_compiler.sources import resources
from selfeval_compiler.sources.yaml_loader import Document

_TYPE_NAMES = {
    "string": ("文字", "text"),
    "number": ("数值", "a number"),
    "integer": ("整数", "a whole number"),
    "object": ("键值表", "a mapping"),
    "array": ("列表", "a list"),
    "boolean": ("是/否", "true/false"),
    "null": ("空值", "empty"),
}


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


def _names(types: str | list[str], lang: int) -> str:
    listed = [types] if isinstance(types, str) else list(types)
    return ("或" if lang == 0 else " or ").join(_TYPE_NAMES.get(t, (t, t))[lang] for t in listed)


@cache
def _validator(schema_name: str) -> Draft202012Validator:
    return Draft202012Validator(resources.schema(schema_name))


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


_DETAIL = {
    "minimum": "不能小于 {v}",
    "maximum": "不能大于 {v}",
    "exclusiveMinimum": "必须大于 {v}",
    "minLength": "不能为空，请填写",
    "maxLength": "长度不能超过 {v} 个字符",
    "minItems": "至少要有 {v} 项",
    "maxItems": "最多 {v} 项",
    "minProperties": "至少要有 {v} 项",
    "maxProperties": "最多 {v} 项",
    "enum": "只能是 {v} 之一",
}


def _diagnostics_for(error: ValidationError, document: Document) -> list[Diagnostic]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        known = list(error.schema.get("properties", {}))
        found = []
        for key in error.instance:
            if key in known:
                continue
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
            found.append(
                make(
                    "SE101",
                    document.locate((*path, key), on_key=True),
                    key=key,
                    hint=f"，是否应为“{close[0]}”？" if close else f"（可用：{'、'.join(known)}）",
                    hint_en=f"; did you mean '{close[0]}'?"
                    if close
                    else f" (allowed: {', '.join(known)})",
                )
            )
        return found
    if keyword == "required" and isinstance(error.instance, dict):
        properties = error.schema.get("properties", {})
        return [
            make(
                "SE102",
                document.locate(path, on_key=True),
                key=key,
                title=properties.get(key, {}).get("title", key),
            )
            for key in error.validator_value
            if key not in error.instance
        ]
    if keyword == "type":
        found_type = _type_of(error.instance)
        return [
            make(
                "SE103",
                document.locate(path),
                key=_key_of(path),
                expected=_names(error.validator_value, 0),
                expected_en=_names(error.validator_value, 1),
                found=_names(found_type, 0),
                found_en=_names(found_type, 1),
            )
        ]
    if keyword in ("minItems", "minProperties") and path[:1] == ("indicators",) and len(path) > 1:
        return [make("SE204", document.locate(path, on_key=True), name=_key_of(path))]
    template = _DETAIL.get(str(keyword))
    value = error.validator_value
    if isinstance(value, list):
        value = "、".join(str(item) for item in value)
    detail = template.format(v=value) if template else error.message
    if keyword == "propertyNames":
        detail = "名称不能为空或过长"
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


def validate(document: Document, schema_name: str) -> list[Diagnostic]:
    """Every schema violation of ``document`` as a diagnostic, sorted by position."""
    diagnostics: list[Diagnostic] = []
    for error in _validator(schema_name).iter_errors(document.data):
        for leaf in _leaves(error):
            diagnostics.extend(_diagnostics_for(leaf, document))
    unique = {(d.code, d.location, d.message_zh): d for d in diagnostics}
    return sorted(unique.values(), key=lambda d: d.sort_key)

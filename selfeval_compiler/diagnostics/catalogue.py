"""The catalogue of stable codes, read from ``catalogue.yaml`` beside this module.

Messages are templates in Chinese and English with ``{placeholders}``. The arguments are
language-neutral: a plain value (a number, the user's own text, a form label), a
:class:`Phrase` (a piece of message text in both languages, from the catalogue's ``phrases``)
or a :class:`Listing` (items joined with the language's separator). A template that names an
argument the caller did not give is a programming error, raised at once, never a blank.
"""

from __future__ import annotations

import os
import string
import sys
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from selfeval_compiler.diagnostics.record import Diagnostic, Language, Location, Severity

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")


class Kind(StrEnum):
    """What a finding is about, which decides the exit code."""

    SPEC = "spec"
    ENVIRONMENT = "environment"
    INTERNAL = "internal"

    @property
    def exit_code(self) -> int:
        return 1 if self is Kind.SPEC else 2


@dataclass(frozen=True)
class CodeInfo:
    code: str
    name: str
    kind: Kind
    severity: Severity
    zh: str
    en: str
    fix_zh: str
    fix_en: str
    example: str
    retired: bool
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Phrase:
    """A piece of message text in both languages, used as an argument of a message."""

    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.en if lang == Language.EN else self.zh


@dataclass(frozen=True)
class Listing:
    """Items printed as a list: 甲、乙 / "a, b", or as alternatives: 甲或乙 / "a or b"."""

    items: tuple[Any, ...]
    either: bool = False

    def text(self, lang: str) -> str:
        if self.either:
            separator = " or " if lang == Language.EN else "或"
        else:
            separator = ", " if lang == Language.EN else "、"
        return separator.join(_render(item, lang) for item in self.items)


def listing(items: Iterable[Any], *, either: bool = False) -> Listing:
    return Listing(tuple(items), either)


class MessageError(Exception):
    """A message template names an argument that was not given (a bug in selfeval)."""


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _render(value: Any, lang: str) -> str:
    if isinstance(value, Phrase | Listing):
        return value.text(lang)
    return str(value)


def _fill(template: str, args: Mapping[str, Any], lang: str, what: str) -> str:
    missing = _placeholders(template) - set(args)
    if missing:
        raise MessageError(f"{what} needs {', '.join(sorted(missing))}")
    return template.format_map({key: _render(value, lang) for key, value in args.items()})


def _pair(data: Mapping[str, Any], what: str) -> tuple[str, str]:
    zh, en = str(data["zh"]), str(data["en"])
    if _placeholders(zh) != _placeholders(en):
        raise MessageError(f"{what}: the zh and en texts use different placeholders")
    return zh, en


_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader where PyYAML has it (≈ 10× faster at every start); both build the same
values (neither checks for repeated keys: the catalogue's test does)."""


@cache
def _data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load(CATALOGUE_FILE.read_text("utf-8"), Loader=_LOADER)
    return loaded


def _load_codes() -> dict[str, CodeInfo]:
    codes: dict[str, CodeInfo] = {}
    for code, entry in _data()["codes"].items():
        zh, en = _pair(entry["message"], code)
        fix_zh, fix_en = _pair(entry["fix"], f"{code} fix")
        codes[code] = CodeInfo(
            code=code,
            name=entry["name"],
            kind=Kind(entry["kind"]),
            severity=Severity(entry["severity"]),
            zh=zh,
            en=en,
            fix_zh=fix_zh,
            fix_en=fix_en,
            example=str(entry.get("example", "")),
            retired=bool(entry.get("retired", False)),
            aliases=tuple(entry.get("aliases", ())),
        )
    return codes


CATALOGUE: dict[str, CodeInfo] = _load_codes()
"""Every code, in catalogue order (by family, then number)."""

_ALIASES = {alias: info.code for info in CATALOGUE.values() for alias in info.aliases}


def lookup(code: str) -> CodeInfo:
    """The entry for ``code``, or for the code an old alias now stands for."""
    return CATALOGUE[_ALIASES.get(code, code)]


def phrase(name: str, /, **args: Any) -> Phrase:
    """The catalogue's phrase ``name`` in both languages, its placeholders filled."""
    what = f"phrase {name}"
    zh, en = _pair(_data()["phrases"][name], what)
    return Phrase(_fill(zh, args, Language.ZH, what), _fill(en, args, Language.EN, what))


def internal(where: Location, error: BaseException) -> Diagnostic:
    """An internal error (a bug in selfeval) as SE999 on the spec it happened with, so the
    other specs go on; ``SELFEVAL_DEBUG=1`` also prints its traceback."""
    if os.environ.get("SELFEVAL_DEBUG") == "1":
        traceback.print_exception(error, file=sys.stderr)
    return make("SE999", where, detail=f"{type(error).__name__}: {error}"[:500])


def make(
    code: str, location: Location, /, *, severity: Severity | None = None, **args: Any
) -> Diagnostic:
    """Build a diagnostic from the catalogue; ``severity`` overrides the default."""
    info = lookup(code)
    return Diagnostic(
        code=info.code,
        severity=severity or info.severity,
        location=location,
        message_zh=_fill(info.zh, args, Language.ZH, info.code),
        message_en=_fill(info.en, args, Language.EN, info.code),
        args=dict(args),
    )

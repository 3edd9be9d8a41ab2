"""Full-width “：” and “，” typed where YAML needs ``:`` and ``,``: the usual input-method slip.

A clerk typing with a Chinese input method writes ``project：机关服务费`` or
``{name: 合格率， target: 100%}``. YAML reads neither mark as punctuation, so PyYAML
complains about something else, often on the next line (SE001). This module finds the slip
at its own character (SE019, SE020) — but only where the full-width mark is the cause:

- after a parse error, a candidate on the failing line, the line before or the line the
  failing construct started on counts only if typing ``:`` or ``,`` in its place lets the
  file parse (or moves the error further down). ``expected: 目标：完成`` is left alone.
- a file can also parse with the slip in it: ``goals:`` holding the single line
  ``expected：完成年度任务。`` is read as text, not as a mapping. A plain text that begins
  with one of the form's own key names and a full-width colon is reported too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from selfeval_compiler.sources import resources

COLON, COMMA = "：", "，"
REPLACEMENT = {COLON: ":", COMMA: ","}
CODE = {COLON: "SE019", COMMA: "SE020"}
MAX_ROUNDS = 10
"""Slips fixed one error at a time: a file with more is reported in part, then in full once
the first ones are corrected."""

_KEY_AFTER_COMMA = re.compile(r"\s*[^\s:：,，{}\[\]\"']+\s*[:：](?:\s|$)")
_ASCII_COLON = re.compile(r":(?:\s|$)")


@dataclass(frozen=True)
class Slip:
    """A full-width mark that should be ASCII: 1-based line and column, the mark, and the
    key or entry it follows (for the message)."""

    line: int
    column: int
    char: str
    key: str

    @property
    def code(self) -> str:
        return CODE[self.char]


def _head(line: str, index: int) -> tuple[str, int] | None:
    """The text of the entry that ends at ``index`` and the flow depth there, or ``None``
    when ``index`` lies in a comment or quoted text."""
    depth, start, quote = 0, 0, ""
    for position, char in enumerate(line[:index]):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'" and (position == 0 or line[position - 1] in " \t{[,:"):
            quote = char
        elif char == "#" and (position == 0 or line[position - 1] in " \t"):
            return None
        elif char in "{[":
            depth, start = depth + 1, position + 1
        elif char in "}]":
            depth = max(0, depth - 1)
        elif char == "," and depth > 0:
            start = position + 1
    if quote:
        return None
    head = line[start:index].strip()
    while head.startswith("- ") or head == "-":
        head = head[1:].strip()
    return head, depth


def line_candidates(line: str) -> list[tuple[int, str]]:
    """Full-width marks on ``line`` standing where YAML punctuation would: a colon that
    ends a key (no ``:`` before it in its entry), a comma between two entries of a flow."""
    found: list[tuple[int, str]] = []
    for index, char in enumerate(line):
        if char not in REPLACEMENT:
            continue
        reading = _head(line, index)
        if reading is None:
            continue
        head, depth = reading
        if char == COLON:
            plausible = head and not _ASCII_COLON.search(head) and COLON not in head
        else:
            plausible = depth > 0 and bool(_KEY_AFTER_COMMA.match(line, index + 1))
        if plausible:
            found.append((index, char))
    return found


def _replace(line: str, marks: list[tuple[int, str]]) -> str:
    """``line`` with each mark typed as YAML's own, followed by a space where none is."""
    for index, char in sorted(marks, reverse=True):
        after = line[index + 1 : index + 2]
        typed = REPLACEMENT[char] + ("" if after in ("", " ", "\n") else " ")
        line = line[:index] + typed + line[index + 1 :]
    return line


ErrorLines = tuple[int, int | None]
"""A parse error's 1-based line and the line its construct started on, if another."""


def find_slips(
    text: str, error: ErrorLines, parse: Callable[[str], ErrorLines | None]
) -> tuple[list[Slip], str]:
    """The slips that cause the parse ``error`` of ``text``, and the text with them typed
    right (to find what error remains). ``parse`` returns a text's parse error, or ``None``."""
    lines = text.splitlines(keepends=True)
    slips: list[Slip] = []
    current: ErrorLines | None = error
    for _ in range(MAX_ROUNDS):
        if current is None:
            break
        failing, started = current
        numbers = sorted({n for n in (failing, failing - 1, started) if n and 0 < n <= len(lines)})
        marks = {number: line_candidates(lines[number - 1]) for number in numbers}
        marks = {number: found for number, found in marks.items() if found}
        if not marks:
            break
        trial = list(lines)
        for number, found in marks.items():
            trial[number - 1] = _replace(lines[number - 1], found)
        after = parse("".join(trial))
        if after is not None and after[0] <= failing:
            break  # not the cause: the error stays where it was
        slips += [
            Slip(number, index + 1, char, _key(lines[number - 1], index))
            for number, found in marks.items()
            for index, char in found
        ]
        lines, current = trial, after
    return slips, "".join(lines)


def _key(line: str, index: int) -> str:
    """The key (before a colon) or value (before a comma) a mark follows, for the message."""
    reading = _head(line, index)
    head = reading[0] if reading else ""
    if line[index] == COMMA:
        head = head.rpartition(":")[2].strip()
    return head[-30:] or line[:index].strip()[-30:]


@cache
def form_keys() -> frozenset[str]:
    """Every key name the schemas know (project, expected, initial…): a text starting with
    one of them and a full-width colon is a key that lost its colon."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                names.update(properties)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(resources.data_dir("schema").glob("*.schema.json")):
        walk(resources.schema(path.name))
    return frozenset(names)


_KEY_IN_TEXT = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*：")


def key_in_text(value: str) -> tuple[int, str] | None:
    """Where a plain text that begins with ``key：`` has its full-width colon, and the key;
    ``None`` for any other text (目标：完成 is text)."""
    match = _KEY_IN_TEXT.match(value)
    if match is None or match.group(1) not in form_keys():
        return None
    return match.end() - 1, match.group(1)

"""YAML → plain data with source positions.

Numbers with a fraction become ``Decimal`` straight from their source text (``10.00`` keeps
its two places), whole numbers become ``int``. Anchors, aliases and duplicate keys are
refused; timestamps stay text. Every value's and key's position is recorded by JSON path.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

import yaml
import yaml.reader

from selfeval_compiler.diagnostics import Diagnostic, Location, make, phrase
from selfeval_compiler.diagnostics.formats import INVISIBLE
from selfeval_compiler.sources import slips

MAX_FILE_BYTES = 1024 * 1024
MAX_LINE_CHARS = 20_000
MAX_DEPTH = 32
MAX_NODES = 20_000
MAX_WHOLE_DIGITS = 15
"""Numbers are below 10^15: a province's budget in 元 has 13 digits."""
MAX_DECIMAL_PLACES = 6

JsonPath = tuple[str | int, ...]


class Position(NamedTuple):
    line: int
    column: int


@dataclass
class Document:
    """One loaded YAML file: its data and where each value and key stands."""

    file: str
    data: Any
    value_positions: dict[JsonPath, Position] = field(default_factory=dict)
    key_positions: dict[JsonPath, Position] = field(default_factory=dict)
    digest: str = ""
    """SHA-256 of the bytes parsed (by :func:`load_file`): what a build record must name,
    not what the file holds later."""
    source: str = ""
    """The text parsed: where a character stands, for findings about single characters."""

    def locate(self, path: JsonPath, on_key: bool = False) -> Location:
        """The position of ``path``, or of its nearest recorded ancestor."""
        probe = tuple(path)
        while True:
            table = self.key_positions if on_key and probe in self.key_positions else None
            position = (table or self.value_positions).get(probe)
            if position is not None:
                return Location(self.file, position.line, position.column, tuple(path))
            if not probe:
                return Location(self.file, 1, 1, tuple(path))
            probe = probe[:-1]
            on_key = False


class _LoadProblem(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message_en)
        self.diagnostic = diagnostic


class _StrictComposer(yaml.SafeLoader):
    """Refuses anchors and aliases while composing, so nothing can expand."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _alias_error(self.name, event, f"*{event.anchor}")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _alias_error(self.name, event, f"&{anchor}")
        return super().compose_node(parent, index)


def _alias_error(file: str, event: Any, what: str) -> _LoadProblem:
    mark = event.start_mark
    return _LoadProblem(make("SE005", Location(file, mark.line + 1, mark.column + 1), what=what))


_SHORT = 64
"""Scalars up to this many characters have their tag remembered (keys, numbers, short texts)."""


def _remembering(loader: Any) -> Any:
    """``loader`` whose tag resolution (a Python call from libyaml for every scalar, which
    tries the implicit resolvers' patterns in turn) is remembered for short scalars: a spec's
    keys and figures repeat across specs, and the answer depends only on the scalar."""
    if loader is None:
        return None
    tags: dict[tuple[str, tuple[bool, bool]], str] = {}

    class Remembering(loader):  # type: ignore[misc]
        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is not yaml.ScalarNode or len(value) > _SHORT:
                return super().resolve(kind, value, implicit)
            key = (value, tuple(implicit))
            tag = tags.get(key)
            if tag is None:
                if len(tags) > 100_000:  # a long-running preview: stay small
                    tags.clear()
                tag = tags[key] = super().resolve(kind, value, implicit)
            return tag

    return Remembering


_FAST_LOADER: Any = _remembering(getattr(yaml, "CSafeLoader", None))


def _loader_for(text: str) -> Any:
    """libyaml when the text cannot hold an anchor or alias (no & or *), else the strict
    composer. libyaml composes ten times faster, with the same positions, but cannot be
    told to refuse aliases, which it would silently expand."""
    if _FAST_LOADER is not None and "&" not in text and "*" not in text:
        return _FAST_LOADER(text)
    return _StrictComposer(text)


_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
"""The only tags a mapping or list may carry (the ones YAML gives untagged ones)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters other than tab and line feed."""


class _Builder:
    def __init__(self, file: str, loader: yaml.SafeLoader, lines: list[str]) -> None:
        self.file = file
        self.loader = loader
        self.lines = lines
        self.slips: list[Diagnostic] = []
        """Keys that lost their colon to a full-width one (``expected：…`` read as text)."""
        self.nodes = 0
        self.value_positions: dict[JsonPath, Position] = {}
        self.key_positions: dict[JsonPath, Position] = {}

    def location(self, node: yaml.Node, path: JsonPath) -> Location:
        return Location(self.file, node.start_mark.line + 1, node.start_mark.column + 1, path)

    def build(self, node: yaml.Node, path: JsonPath) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or len(path) > MAX_DEPTH:
            detail = (
                phrase("limit.nodes", limit=MAX_NODES)
                if self.nodes > MAX_NODES
                else phrase("limit.depth", limit=MAX_DEPTH)
            )
            raise _LoadProblem(make("SE009", self.location(node, path), detail=detail))
        mark = node.start_mark
        self.value_positions[path] = Position(mark.line + 1, mark.column + 1)
        if type(node) is yaml.ScalarNode:
            return self.build_scalar(node, path)
        if node.tag not in _COLLECTION_TAGS:  # !custom, !!set, !!omap, !!python/… on a collection
            detail = phrase("yaml.tag", tag=node.tag)
            raise _LoadProblem(make("SE001", self.location(node, path), detail=detail))
        if type(node) is yaml.MappingNode:
            return self.build_mapping(node, path)
        return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]

    def build_mapping(self, node: yaml.MappingNode, path: JsonPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _LoadProblem(make("SE005", self.location(key_node, path), what="<<"))
            if type(key_node) is not yaml.ScalarNode:
                raise _LoadProblem(
                    make("SE006", self.location(key_node, path), kind=phrase("type.collection"))
                )
            key = self.build_scalar(key_node, path)
            if type(key) is not str and node.flow_style and not key_node.style:
                # {initial: 1,234.50}: the comma split the number; "234.50" became a key.
                raise _LoadProblem(
                    make("SE017", self.location(key_node, path), text=key_node.value)
                )
            if type(key) is not str:
                raise _LoadProblem(
                    make("SE006", self.location(key_node, path), kind=type(key).__name__)
                )
            if key in result:
                raise _LoadProblem(
                    make(
                        "SE004",
                        self.location(key_node, (*path, key)),
                        key=key,
                        first_line=self.key_positions[(*path, key)].line,
                    )
                )
            mark = key_node.start_mark
            child = (*path, key)
            self.key_positions[child] = Position(mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, child)
        return result

    def build_scalar(self, node: yaml.ScalarNode, path: JsonPath) -> Any:
        tag = node.tag
        if tag == "tag:yaml.org,2002:str":
            return self.text(node, path)
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return self.loader.construct_yaml_bool(node)
        if tag == "tag:yaml.org,2002:int":
            return self.integer(node, path)
        if tag == "tag:yaml.org,2002:float":
            return self.decimal(node, path)
        if tag == "tag:yaml.org,2002:timestamp":
            return str(node.value)
        raise _LoadProblem(
            make("SE001", self.location(node, path), detail=phrase("yaml.tag", tag=tag))
        )

    def text(self, node: yaml.ScalarNode, path: JsonPath) -> str:
        """Text as written; a control character (from a ``\\0`` or ``\\r`` escape) is refused,
        since it would print raw or not at all."""
        value = str(node.value)
        bad = _CONTROL.search(value)
        if bad is not None:
            codepoint = f"{ord(bad.group()):04X}"
            raise _LoadProblem(make("SE013", self.location(node, path), codepoint=codepoint))
        hidden = INVISIBLE.search(value)  # written as an escape, "\u202e"
        if hidden is not None:
            raise _LoadProblem(_invisible(hidden.group(), self.location(node, path)))
        if not node.style:
            self.find_slips(node, path)
        return value

    def find_slips(self, node: yaml.ScalarNode, path: JsonPath) -> None:
        """Lines of a plain text that begin ``key：`` (a key that lost its colon): the text
        of ``goals:`` when its entries were typed ``expected：…`` and ``actual：…``."""
        start, end = node.start_mark, node.end_mark
        for number in range(start.line, min(end.line, len(self.lines) - 1) + 1):
            offset = start.column if number == start.line else 0
            stop = end.column if number == end.line else None
            slip = slips.key_in_text(self.lines[number][offset:stop])
            if slip is not None:
                where = Location(self.file, number + 1, offset + slip[0] + 1, path)
                self.slips.append(make(slips.CODE[slips.COLON], where, key=slip[1]))

    def _ambiguous(
        self, node: yaml.ScalarNode, path: JsonPath, *, whole: bool
    ) -> _LoadProblem | None:
        """A number YAML 1.1 reads otherwise than a clerk means: 010, 1:35, 0x1F, 1_000."""
        text = node.value.lstrip("+-")
        if ":" in text:
            reason = "number.sexagesimal"
        elif text[:2].lower() in ("0b", "0o", "0x"):
            reason = "number.base"
        elif "_" in text:
            reason = "number.separator"
        elif whole and len(text) > 1 and text[0] == "0" and text[1].isdigit():
            reason = "number.octal"
        else:
            return None
        return _LoadProblem(
            make("SE011", self.location(node, path), text=node.value, detail=phrase(reason))
        )

    def _out_of_range(self, node: yaml.ScalarNode, path: JsonPath) -> _LoadProblem:
        return _LoadProblem(
            make(
                "SE012",
                self.location(node, path),
                text=node.value[:40],
                digits=MAX_WHOLE_DIGITS,
                places=MAX_DECIMAL_PLACES,
            )
        )

    def integer(self, node: yaml.ScalarNode, path: JsonPath) -> int:
        problem = self._ambiguous(node, path, whole=True)
        if problem is not None:
            raise problem
        if len(node.value.lstrip("+-")) > MAX_WHOLE_DIGITS:
            raise self._out_of_range(node, path)
        try:
            return int(node.value)
        except ValueError:
            raise _LoadProblem(make("SE007", self.location(node, path), text=node.value)) from None

    def decimal(self, node: yaml.ScalarNode, path: JsonPath) -> Decimal:
        problem = self._ambiguous(node, path, whole=False)
        if problem is not None:
            raise problem
        try:
            value = Decimal(node.value)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            raise _LoadProblem(make("SE007", self.location(node, path), text=node.value))
        # Bounded before anything computes with it: 1.0e-99999999 would print 100 million
        # zeros, 1.0e+30 is no amount any form holds.
        exponent = int(value.as_tuple().exponent)
        if value.adjusted() >= MAX_WHOLE_DIGITS or exponent < -MAX_DECIMAL_PLACES:
            raise self._out_of_range(node, path)
        return value


def decode(raw: bytes, file: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes → text: a UTF-8 BOM is dropped, anything else not UTF-8 is refused."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            make(
                "SE009",
                Location(file, 1, 1),
                detail=phrase("limit.file-size", limit=MAX_FILE_BYTES // 1024),
            )
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [make("SE003", Location(file, line, column), byte=error.start)]
    return text, []


def load_text(text: str, file: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse YAML text into a :class:`Document`; problems come back as diagnostics."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return None, [make("SE002", Location(file, 1, 1))]
    refused = _line_problems(text, file)
    if refused:
        return None, refused
    try:
        loader = _loader_for(text)  # the pure-Python reader checks characters right here
    except yaml.reader.ReaderError as error:
        return None, [_reader_problem(text, file, error)]
    loader.name = file
    try:
        root = loader.get_single_node()
        if root is None:
            return None, [make("SE002", Location(file, 1, 1))]
        builder = _Builder(file, loader, text.splitlines())
        data = builder.build(root, ())
    except _LoadProblem as problem:
        return None, [problem.diagnostic]
    except yaml.reader.ReaderError as error:
        return None, [_reader_problem(text, file, error)]
    except yaml.MarkedYAMLError as error:
        return None, _syntax_problems(error, text, file)
    except yaml.YAMLError as error:
        return None, [make("SE001", Location(file, 1, 1), detail=str(error))]
    except RecursionError:
        return None, [
            make("SE009", Location(file, 1, 1), detail=phrase("limit.depth", limit=MAX_DEPTH))
        ]
    finally:
        loader.dispose()
    if builder.slips:
        return None, builder.slips
    return Document(file, data, builder.value_positions, builder.key_positions, source=text), []


def _line_problems(text: str, file: str) -> list[Diagnostic]:
    """What is wrong with the text before YAML reads it: a line too long, or else every
    invisible character."""
    for number, source_line in enumerate(text.splitlines(), 1):
        if len(source_line) > MAX_LINE_CHARS:
            return [
                make(
                    "SE009",
                    Location(file, number, MAX_LINE_CHARS + 1),
                    detail=phrase("limit.line-length", limit=MAX_LINE_CHARS),
                )
            ]
    return _invisible_characters(text, file)


def _invisible_characters(text: str, file: str) -> list[Diagnostic]:
    """Every bidi control or zero-width character typed in the file, comments included, at
    its line and column (SE025): they reorder how a line prints, or hide a difference (a
    leading byte-order mark is no part of the text)."""
    found = []
    text = text.removeprefix("\ufeff")
    for number, source_line in enumerate(text.split("\n"), 1):
        for match in INVISIBLE.finditer(source_line):
            found.append(_invisible(match.group(), Location(file, number, match.start() + 1)))
    return found


def _invisible(character: str, where: Location) -> Diagnostic:
    name = unicodedata.name(character, "").lower()
    return make("SE025", where, codepoint=f"{ord(character):04X}", name=name)


def _error_lines(error: yaml.MarkedYAMLError) -> slips.ErrorLines:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    started = error.context_mark.line + 1 if error.context_mark else None
    return line, started


def _parse_error(text: str) -> slips.ErrorLines | None:
    """Where ``text`` fails to parse as YAML, or ``None`` when it parses."""
    try:
        loader = _loader_for(text)
    except yaml.reader.ReaderError:
        return 1, None
    try:
        loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        return _error_lines(error)
    except (yaml.YAMLError, _LoadProblem):
        return None  # not a parse error: anchors and the like are reported on the real text
    finally:
        loader.dispose()
    return None


def _syntax_problems(error: yaml.MarkedYAMLError, text: str, file: str) -> list[Diagnostic]:
    """A parse error as full-width slips at their characters (SE019, SE020) where they
    cause it, plus whatever error remains once they are typed right; else as SE001."""
    found, fixed = slips.find_slips(text, _error_lines(error), _parse_error)
    if not found:
        return [_syntax_problem(error, text, file)]
    problems = [
        make(slip.code, Location(file, slip.line, slip.column), key=slip.key) for slip in found
    ]
    try:
        _StrictComposer(fixed).get_single_node()
    except yaml.MarkedYAMLError as remaining:
        problem = _syntax_problem(remaining, fixed, file)
        if problem.location.line not in {slip.line for slip in found}:
            problems.append(problem)
    except (yaml.YAMLError, _LoadProblem):
        pass  # not a parse error; it is reported once the slips are corrected
    return problems


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, file: str) -> Diagnostic:
    """PyYAML's complaint at its line and column; a tab in the indentation is named as such."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    detail: Any = " ".join(part for part in (error.context, error.problem) if part)
    if error.context_mark and mark and error.context_mark.line != mark.line:
        detail += f" (started on line {error.context_mark.line + 1})"
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in source[: len(source) - len(source.lstrip())]:
        detail = phrase("yaml.tab")
    return make("SE001", Location(file, line, column), detail=detail)


def _reader_problem(text: str, file: str, error: yaml.reader.ReaderError) -> Diagnostic:
    """A character YAML does not allow (control characters, U+FFFE…), at its line and column."""
    before = text[: error.position]
    line = before.count("\n") + 1
    column = error.position - (before.rfind("\n") + 1) + 1
    detail = phrase("yaml.character", codepoint=f"{error.character:04X}")
    return make("SE001", Location(file, line, column), detail=detail)


def display_path(path: Path) -> str:
    """A path as the user would write it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_source(path: Path, file: str) -> tuple[str | None, bytes, list[Diagnostic]]:
    """A spec file's text, within the size limit and decoded as UTF-8, and its bytes."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = phrase("limit.file-size", limit=MAX_FILE_BYTES // 1024)
            return None, b"", [make("SE009", Location(file, 1, 1), detail=limit)]
        raw = path.read_bytes()
    except OSError as error:
        return None, b"", [make("SE008", Location(file), detail=error.strerror or str(error))]
    text, problems = decode(raw, file)
    return text, raw, problems


def load_file(path: Path, display: str | None = None) -> tuple[Document | None, list[Diagnostic]]:
    file = display or str(path)
    text, raw, problems = read_source(path, file)
    if text is None:
        return None, problems
    document, problems = load_text(text, file)
    if document is not None:
        document.digest = hashlib.sha256(raw).hexdigest()
    return document, problems

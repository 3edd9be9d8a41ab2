from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from selfeval_compiler.importers.grid import clean_text
from selfeval_compiler.sources.yaml_loader import decode, load_file, load_text


def codes(text: str) -> list[tuple[str, int, int]]:
    _document, problems = load_text(text, "x.yaml")
    return [(d.code, d.location.line, d.location.column) for d in problems]


def test_numbers_become_decimal_from_their_source_text() -> None:
    document, problems = load_text("a: 10.00\nb: 12.51\nc: 10\nd: '3'\n", "x.yaml")
    assert problems == []
    assert document is not None
    assert document.data == {"a": Decimal("10.00"), "b": Decimal("12.51"), "c": 10, "d": "3"}
    assert str(document.data["a"]) == "10.00"  # the scale written is kept
    assert not any(isinstance(v, float) for v in document.data.values())


def test_positions_of_values_and_keys() -> None:
    document, _ = load_text("top:\n  inner:\n    - {name: x, weight: 5}\n", "x.yaml")
    assert document is not None
    where = document.locate(("top", "inner", 0, "weight"))
    assert (where.line, where.column) == (3, 25)
    key = document.locate(("top", "inner"), on_key=True)
    assert (key.line, key.column) == (2, 3)
    # An absent path falls back to its nearest ancestor.
    assert document.locate(("top", "inner", 0, "score")).line == 3


def test_timestamps_stay_text() -> None:
    document, _ = load_text("when: 2023-12-31\n", "x.yaml")
    assert document is not None
    assert document.data == {"when": "2023-12-31"}


def test_duplicate_keys_are_refused_with_both_lines() -> None:
    document, problems = load_text("a: 1\nb: 2\na: 3\n", "x.yaml")
    assert document is None
    assert [(d.code, d.location.line) for d in problems] == [("SE004", 3)]
    assert "第 1 行" in problems[0].message_zh


def test_anchors_and_aliases_are_refused() -> None:
    assert codes("a: &x 1\nb: *x\n") == [("SE005", 1, 4)]
    assert codes("base: {k: 1}\nother:\n  <<: {k: 2}\n")[0][0] == "SE005"


def test_syntax_error_carries_the_parsers_line_and_column() -> None:
    assert codes("a: [1, 2\nb: 3\n")[0][0] == "SE001"
    found = codes("a:\n\tb: 1\n")
    assert found[0][0] == "SE001"
    assert found[0][1] == 2


def test_empty_and_comment_only_files() -> None:
    assert codes("") == [("SE002", 1, 1)]
    assert codes("# nothing\n\n") == [("SE002", 1, 1)]


def test_non_text_keys_and_bad_numbers() -> None:
    assert codes("1: a\n")[0][0] == "SE006"
    assert codes("a: .inf\n") == [("SE007", 1, 4)]
    assert codes("a: .nan\n") == [("SE007", 1, 4)]


def test_bom_is_dropped_and_non_utf8_is_refused(tmp_path: Path) -> None:
    text, problems = decode("\ufeffa: 1\n".encode(), "x.yaml")
    assert problems == []
    assert text == "a: 1\n"
    _, problems = decode("a: 1\nb: 中\n".encode("gb18030"), "x.yaml")
    assert [(d.code, d.location.line) for d in problems] == [("SE003", 2)]
    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes(b"a: 1\r\nb: 2.50\r\n")
    document, problems = load_file(crlf)
    assert problems == []
    assert document is not None
    assert document.data == {"a": 1, "b": Decimal("2.50")}


def test_deep_nesting_and_huge_files_are_refused(tmp_path: Path) -> None:
    assert codes("a: " + "[" * 100 + "]" * 100 + "\n")[0][0] == "SE009"
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (2 * 1024 * 1024) + b"\n")
    _, problems = load_file(big)
    assert [d.code for d in problems] == ["SE009"]


def test_unreadable_file() -> None:
    _, problems = load_file(Path("/nonexistent/spec.yaml"))
    assert [d.code for d in problems] == ["SE008"]


INVISIBLE_CHARACTERS = (
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
    "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
)


def test_bidi_and_zero_width_characters_are_refused_where_they_stand() -> None:
    """A right-to-left override reorders a printed project name; a zero-width character hides
    a difference. Each one typed anywhere (text, key, comment) is SE025 at its line and column,
    naming the character; written as an escape, at its value (#19)."""
    for character in INVISIBLE_CHARACTERS:
        assert codes(f"a: 1\nproject: 测试{character}项目\n") == [("SE025", 2, 12)], repr(character)
    assert codes("# 注\u200b释\nx\u2066: 1\n") == [("SE025", 1, 4), ("SE025", 2, 2)]
    assert codes('a: "x\\u202ey"\n') == [("SE025", 1, 4)]
    assert codes("\ufeffa: 1\n") == []  # a byte-order mark ahead of the text is no character
    _document, (problem,) = load_text("a: \u202e\n", "x.yaml")
    assert "U+202E (right-to-left override)" in problem.message("en")


def test_imported_text_loses_invisible_characters() -> None:
    assert clean_text(f"测{INVISIBLE_CHARACTERS}试") == "测试"

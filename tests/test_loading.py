from __future__ import annotations

from decimal import Decimal
from pathlib import Path

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

"""docs/diagnostics.md is generated from the catalogue (``make docs``); it must not go stale."""

from __future__ import annotations

import difflib
import string
from pathlib import Path
from typing import Any

import pytest

from selfeval_compiler.diagnostics import CATALOGUE, Diagnostic, Location, make, phrase
from selfeval_compiler.diagnostics.catalogue import MessageError, _data
from selfeval_compiler.diagnostics.docs import generate

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "diagnostics.md"


def test_diagnostics_doc_is_current() -> None:
    text = generate(REPO / "tests" / "cases")
    current = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    if current != text:
        diff = "".join(
            difflib.unified_diff(
                current.splitlines(True), text.splitlines(True), "docs/diagnostics.md", "generated"
            )
        )
        pytest.fail(f"docs/diagnostics.md is stale; run make docs\n{diff}")


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_use_the_same_placeholders() -> None:
    for info in CATALOGUE.values():
        assert _names(info.zh) == _names(info.en), info.code
    for name, texts in _data()["phrases"].items():
        assert _names(texts["zh"]) == _names(texts["en"]), name


def test_a_missing_placeholder_is_an_error_not_a_blank() -> None:
    with pytest.raises(MessageError, match="SE301 needs weight"):
        make("SE301", Location("a.yaml"), score=1)
    with pytest.raises(MessageError, match="limit"):
        phrase("limit.nodes")


def _english_has_no_chinese_of_ours(diagnostic: Diagnostic) -> bool:
    """Outside parentheses (where form labels stand), no CJK character is left in English."""
    text = diagnostic.message_en
    depth, outside = 0, []
    for char in text:
        depth += char in "(（"
        if depth == 0:
            outside.append(char)
        depth -= char in ")）" and depth > 0
    return not any("\u4e00" <= c <= "\u9fff" for c in outside)


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_english_messages_are_english(code: str) -> None:
    info = CATALOGUE[code]
    args: dict[str, Any] = dict.fromkeys(_names(info.en), "x")
    assert _english_has_no_chinese_of_ours(make(code, Location("a.yaml"), **args))


def test_the_catalogue_repeats_no_key() -> None:
    """The catalogue is read with libyaml at every start, which (like PyYAML's own loader)
    keeps the last of two equal keys; so a code or phrase written twice is caught here."""
    import yaml

    from selfeval_compiler.diagnostics.catalogue import CATALOGUE_FILE

    repeated: list[str] = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            keys = [key.value for key, _ in node.value]
            repeated.extend(
                f"{k} (line {node.start_mark.line + 1})" for k in keys if keys.count(k) > 1
            )
            for _, value in node.value:
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    root = yaml.compose(CATALOGUE_FILE.read_text("utf-8"), Loader=yaml.SafeLoader)
    assert root is not None
    walk(root)
    assert not repeated

"""Text for CI is safe (#10): spec content never becomes a runner command, Markdown is inert,
SARIF URIs are relative and percent-encoded."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from helpers import first_indicator, spec, write

from selfeval_compiler import api
from selfeval_compiler.cli.progress import ProgressDisplay
from selfeval_compiler.diagnostics import Location, make
from selfeval_compiler.diagnostics.formats import as_sarif, render
from selfeval_compiler.diff.compare import Change, DiffReport, ProjectDiff, Version
from selfeval_compiler.diff.formats import as_markdown, as_text

HOSTILE = "::error file=x::pwned"


def _no_command_lines(text: str) -> None:
    for line in text.splitlines():
        assert not line.lstrip().startswith("::"), line


def test_a_file_named_like_a_command_prints_safely(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, first_indicator(actual="15(次)"), f"{HOSTILE}.yaml")
    monkeypatch.chdir(tmp_path)
    report = api.check([Path(".")])
    assert report.diagnostics
    _no_command_lines(render(report.diagnostics, "text", "zh"))


def test_values_with_line_breaks_stay_on_their_line() -> None:
    diagnostic = make(
        "SE305", Location("a.yaml", 3, 4), target=f"≥1\n{HOSTILE}", actual=f"x\r\n{HOSTILE}"
    )
    text = render([diagnostic], "text", "en")
    assert len(text.splitlines()) == 1
    _no_command_lines(text)


def test_progress_lines_are_safe() -> None:
    stream = io.StringIO()
    display = ProgressDisplay(stream=stream)
    display.start(1)
    display.advance(f"{HOSTILE}\n{HOSTILE}", "failed")
    _no_command_lines(stream.getvalue())


def _report(project: str, path: str, value: str) -> DiffReport:
    change = Change(f"{project}·得分", "1", value, True)
    diff = ProjectDiff("changed", project, path, path, (change,), "90", "95", "优", "优")
    return DiffReport(Version("old", {}, {}), Version("new", {}, {}), [diff])


def test_markdown_diff_is_inert() -> None:
    hostile = (
        "<img src=x onerror=alert(1)> ![i](http://e.invalid/i.png)"
        " [l](http://e.invalid) @boss\r`code`|"
    )
    markdown = as_markdown(_report(hostile, f"specs/{hostile}.yaml", hostile), "en")
    assert "<img" not in markdown
    assert "![i](" not in markdown
    assert "[l](" not in markdown
    assert "@boss" not in markdown
    assert "\r" not in markdown
    assert "`code`" not in markdown


def test_text_diff_is_safe() -> None:
    text = as_text(_report(f"x\n{HOSTILE}", f"a\n{HOSTILE}.yaml", f"1\n{HOSTILE}"), "en")
    _no_command_lines(text)


def test_sarif_uris_are_relative_and_encoded(tmp_path: Path) -> None:
    diagnostic = make("SE002", Location(str(tmp_path / "空 白#?.yaml"), 1, 1))
    uri = as_sarif([diagnostic], "en")["runs"][0]["results"][0]["locations"][0]  # type: ignore[index]
    text = json.dumps(uri)
    value = uri["physicalLocation"]["artifactLocation"]["uri"]
    assert not value.startswith("/")
    for character in " #?":
        assert character not in value
    assert "%E7%A9%BA%20" in text


def test_the_base_spec_is_fine(tmp_path: Path) -> None:
    write(tmp_path, spec(), "a.yaml")
    assert api.check([tmp_path]).diagnostics == []

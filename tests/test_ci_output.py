"""Text for CI is safe (#10): spec content never becomes a runner command, Markdown is inert,
SARIF URIs are relative and percent-encoded."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import first_indicator, git, spec, write
from test_import_hostile import _form_workbook

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
    assert "\r" not in markdown
    cell = (
        "`` <img src=x onerror=alert(1)> ![i](http://e.invalid/i.png) [l](http://e.invalid)"
        " @boss `code`\\| ``"
    )
    assert f"| {cell} | changed |" in markdown  # a code span: literal on GitHub and GitLab
    outside_spans = re.sub(r"``.*?``", "", markdown)
    for risky in ("<img", "![", "](", "@boss", "`code`"):
        assert risky not in outside_spans


AUTOLINKED = "见 https://evil.example/x @admin a@b.cn www.x.cn ftp://f.cn #12 !3 :smile:"


def test_markdown_diff_links_and_pings_nobody() -> None:
    """Bare URLs, ``www.``, e-mail addresses, @mentions, #/! references and :emoji: in
    project names, labels and values stay text on GitHub and GitLab (#19): the whole of such
    text is one code span; plain words and figures stay plain."""
    markdown = as_markdown(_report(AUTOLINKED, "specs/a.yaml", f"1 {AUTOLINKED}"), "en")
    span = f"` {AUTOLINKED} `"
    assert markdown.splitlines()[6] == f"| {span} | changed | 90 → 95 | 优 | specs/a.yaml |"
    assert f"#### {span}" in markdown
    assert f"| ` {AUTOLINKED}·得分 ` | 1 | ` 1 {AUTOLINKED} ` | derived |" in markdown
    outside_spans = re.sub(r"`[^`]*`", "", markdown)
    for risky in ("://", "@", "www.", "#1", "!3", ":smile:"):
        assert risky not in outside_spans


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


BREAKS = ("\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
"""Every character some reader takes as the end of a line (``str.splitlines``)."""
OWN_ANNOTATION = re.compile(r"::(error|warning) file=[^:]*,(line=\d+,col=\d+,)?title=SE\d{3}::")
"""selfeval's own GitHub annotation: its properties hold no raw ``:``."""


def _run(cwd: Path, *arguments: str) -> str:
    """Everything a command prints, split by no reader yet (CR kept)."""
    result = subprocess.run(
        [sys.executable, "-m", "selfeval_compiler", *arguments],
        cwd=cwd,
        capture_output=True,
        timeout=300,
        check=False,
        env={**os.environ, "SELFEVAL_LANG": "en", "CI": "1"},
    )
    return (result.stdout + b"\n" + result.stderr).decode("utf-8")


def _no_injected_lines(output: str, github: bool = False) -> None:
    """No line, however a reader splits them, starts with ``::`` — except, in ``--format
    github``, selfeval's own annotations, which carry the hostile text escaped."""
    for line in output.splitlines():
        if github and OWN_ANNOTATION.match(line):
            continue
        assert not line.lstrip().startswith("::"), (line, output)


def _hostile(stem: str, suffix: str) -> list[str]:
    return [f"{stem}{i}{brk}{HOSTILE}{suffix}" for i, brk in enumerate(BREAKS)]


def test_no_command_prints_a_line_that_starts_a_runner_command(tmp_path: Path) -> None:
    """File names, folders, project names and options with any line break never start a line
    with ``::`` in any command's output, in any format (#19)."""
    specs = tmp_path / "specs"
    for name in _hostile("x", ".yaml"):
        write(specs, first_indicator(actual="15(次)"), name)
    write(specs, spec(project=f"p\n{HOSTILE}\u2028{HOSTILE}"), "named.yaml")
    for report_format in ("text", "github", "json", "sarif"):
        output = _run(tmp_path, "check", "specs", "--format", report_format)
        _no_injected_lines(output, github=report_format == "github")
        if report_format == "github":
            assert "%0A%3A%3Aerror file=x%3A%3Apwned" in output  # the file property
            assert "x1%0D::error" in output  # in a message, by GitHub's rules
            assert "\\u2028::error" in output  # beyond them, visibly
    built = f"out{BREAKS[0]}{HOSTILE}"
    _no_injected_lines(_run(tmp_path, "build", "specs", "-o", built, "--format", "json"))
    _no_injected_lines(_run(tmp_path, "summary", built, "-o", f"sum\u2028{HOSTILE}"))
    _no_injected_lines(_run(tmp_path, "rollover", "specs", "--year", "2024", "-o", f"n\r{HOSTILE}"))
    _no_injected_lines(_run(tmp_path, "new", f"new\x85{HOSTILE}.yaml"))
    _no_injected_lines(_run(tmp_path, "serve", "--host", f"h\n{HOSTILE}", "--port", "1"))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "specs/named.yaml")
    git(tmp_path, "commit", "-qm", "one spec")
    write(specs, spec(project=f"q\r{HOSTILE}"), "named.yaml")
    for diff_format in ("text", "markdown", "json"):
        _no_injected_lines(_run(tmp_path, "diff", "--format", diff_format))


def test_import_prints_hostile_file_names_on_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    files = [
        _form_workbook(folder / name, f"项目{brk}{HOSTILE}")
        for name, brk in zip(_hostile("y", ".xlsx"), BREAKS, strict=True)
        if brk not in "\x0b\x0c\x1c\x1d\x1e"  # characters a worksheet cannot hold
    ]
    for report_format in ("text", "github"):
        output = _run(tmp_path, "import", *map(str, files), "-o", f"o{report_format}\n{HOSTILE}")
        _no_injected_lines(output, github=report_format == "github")
        assert "form(s)" in output

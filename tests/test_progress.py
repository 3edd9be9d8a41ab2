from __future__ import annotations

import io

import pytest

from selfeval_compiler.cli.progress import ProgressDisplay


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_gets_a_bar_with_count_rate_and_eta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    screen = Terminal()
    display = ProgressDisplay(screen)
    display.start(4)
    for index in range(4):
        display.advance(f"specs/{index}.yaml", "ok")
    text = screen.getvalue()
    assert "\r[" in text
    assert "4/4" in text
    assert "份/秒" in text
    assert "剩余" in text
    assert text.endswith("\n")


def test_ci_gets_sparse_plain_lines_and_every_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    log = Terminal()
    display = ProgressDisplay(log)
    display.start(100)
    for index in range(100):
        display.advance(f"specs/{index}.yaml", "failed" if index == 42 else "ok")
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue()
    assert "✗ specs/42.yaml" in lines
    assert len(lines) <= 12
    assert lines[-1].startswith("selfeval: 100/100")


def test_quiet_shows_failures_only() -> None:
    log = io.StringIO()
    display = ProgressDisplay(log, quiet=True)
    display.start(3)
    display.advance("a.yaml", "ok")
    display.advance("b.yaml", "failed")
    assert log.getvalue() == "✗ b.yaml\n"

"""``check`` finds a character no installed font can print, at its line and column (SE902),
from fontconfig's coverage, without the PDF renderer (issue 18)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from helpers import BASE, spec, write

from selfeval_compiler import api
from selfeval_compiler.sources.glyphs import installed_coverage, parse_charsets, unprintable
from selfeval_compiler.sources.yaml_loader import load_text

RARE = "\U0002a6a5"  # 𪚥, in no font Debian's fonts-noto-cjk installs


def test_charsets_are_merged_into_one_coverage() -> None:
    coverage = parse_charsets("20-7e 4e00-4e10\n4e11-4e20 2a6a0\n20-7e 4e00-4e10\n")
    assert coverage.starts == (0x20, 0x4E00, 0x2A6A0)
    assert all(coverage.covers(char) for char in "A\u4e15\u4e20")
    assert not any(coverage.covers(char) for char in ("\u4e21", RARE))


def test_each_place_of_an_unprintable_character_is_named() -> None:
    coverage = parse_charsets("20-7e 4e00-9fff ff1a")
    text = f"project: 测试{RARE}项目\ngoals: {{expected: 完成：{RARE}}}\n# {RARE} in a comment\n"
    document, _ = load_text(text, "x.yaml")
    assert document is not None
    found = unprintable(document, coverage)
    assert [(d.code, d.location.line, d.location.column) for d in found] == [
        ("SE902", 1, 12),
        ("SE902", 2, 22),
    ]
    assert "U+2A6A5" in found[0].message_zh


def test_comments_alone_are_not_printed() -> None:
    coverage = parse_charsets("20-7e 4e00-9fff")
    document, _ = load_text(f"# {RARE}\nproject: 项目\n", "x.yaml")
    assert document is not None
    assert unprintable(document, coverage) == []


@pytest.mark.skipif(installed_coverage() is None, reason="no CJK font installed")
def test_check_reports_the_character_where_build_would_print_a_box(tmp_path: Path) -> None:
    path = write(tmp_path, spec(project=f"测试{RARE}项目"))
    report = api.check([path])
    (problem,) = report.diagnostics
    line = path.read_text(encoding="utf-8").splitlines().index(f"project: 测试{RARE}项目") + 1
    assert (problem.code, problem.location.line, problem.location.column) == ("SE902", line, 12)
    assert report.errors == 1


def test_check_without_any_cjk_font_does_not_fail_for_that(tmp_path: Path) -> None:
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><dir>{empty}</dir>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    path = write(tmp_path, spec(project=f"测试{RARE}项目"))
    result = run_cli("check", str(path), env={"FONTCONFIG_FILE": str(conf)})
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_does_not_import_the_pdf_renderer(tmp_path: Path) -> None:
    path = write(tmp_path, dict(BASE))
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from selfeval_compiler import api
        report = api.check([Path({str(path)!r})])
        print(report.errors, "weasyprint" in sys.modules)
        """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.split() == ["0", "False"]

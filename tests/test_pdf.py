"""PDF output: reproducible, fetches nothing, and never prints Chinese as empty boxes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, REPO, SPECS, run_cli

from selfeval_compiler.building.record import MANIFEST_NAME


def _fontconfig_without_cjk(tmp_path: Path, font_dir: Path) -> dict[str, str]:
    conf = tmp_path / "fonts.conf"
    cache = tmp_path / "fc-cache"
    conf.write_text(
        textwrap.dedent(f"""\
        <?xml version="1.0"?>
        <!DOCTYPE fontconfig SYSTEM "fonts.dtd">
        <fontconfig>
          <dir>{font_dir}</dir>
          <cachedir>{cache}</cachedir>
        </fontconfig>
        """),
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(conf)}


def test_two_builds_are_byte_identical(seed_build: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    result = run_cli("build", "specs/", "-o", str(again), "-q")
    assert result.returncode == 0, result.stderr
    # The build record lists inputs relative to its own folder, so it alone differs.
    first = sorted(
        p.relative_to(seed_build)
        for p in seed_build.rglob("*")
        if p.is_file() and p.name != MANIFEST_NAME
    )
    second = sorted(
        p.relative_to(again) for p in again.rglob("*") if p.is_file() and p.name != MANIFEST_NAME
    )
    assert first == second
    assert first
    for relative in first:
        assert (seed_build / relative).read_bytes() == (again / relative).read_bytes(), relative


def test_pdf_metadata_names_project_and_unit(seed_build: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(seed_build / "shanghai-xinjiang-office" / "01-jiguan-fuwufei.pdf")
    assert reader.metadata is not None
    assert reader.metadata.title == "机关服务费"
    assert reader.metadata.author == "上海市人民政府驻新疆办事处"
    # The creation date is the spec's last commit, never the clock.
    committed = subprocess.run(
        [
            "git",
            "log",
            "-1",
            "--format=%cI",
            "--",
            "specs/shanghai-xinjiang-office/01-jiguan-fuwufei.yaml",
        ],
        cwd=FIXTURES,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert committed, "the example spec is committed, so it has a last commit date"
    assert reader.metadata.creation_date is not None
    assert reader.metadata.creation_date.strftime("%Y-%m-%dT%H:%M:%S") == committed[:19]


def test_source_date_epoch_sets_the_dates(tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "out"
    result = run_cli(
        "build",
        "specs/",
        "-o",
        str(out),
        "-q",
        "--format",
        "pdf",
        env={"SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert result.returncode == 0, result.stderr
    for pdf in out.rglob("*.pdf"):
        metadata = PdfReader(pdf).metadata
        assert metadata is not None
        assert metadata.creation_date is not None
        assert metadata.creation_date.strftime("%Y-%m-%d %H:%M:%S") == "2023-11-14 22:13:20"


def test_outputs_hold_no_absolute_paths(seed_build: Path) -> None:
    # The build record (.selfeval-build.json) must point at the inputs it was made from, so it
    # is build state, not a deliverable; every form output is checked.
    for output in seed_build.rglob("*"):
        if output.is_file() and output.name != MANIFEST_NAME:
            data = output.read_bytes()
            for path in (str(REPO), str(seed_build), "/tmp/", "/root", "file:"):
                assert path.encode() not in data, (output.name, path)


def test_pdf_embeds_the_named_cjk_faces(seed_build: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(seed_build / "shanghai-xinjiang-office" / "01-jiguan-fuwufei.pdf")
    fonts = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Noto-Serif-CJK-SC" in name for name in fonts), fonts
    assert any("Noto-Sans-CJK-SC-Bold" in name for name in fonts), fonts


def test_missing_cjk_font_refuses_with_a_clear_message(tmp_path: Path) -> None:
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    out = tmp_path / "out"
    result = run_cli(
        "build", "specs/", "-o", str(out), "-q", env=_fontconfig_without_cjk(tmp_path, empty)
    )
    assert result.returncode == 2
    assert "SE901" in result.stdout
    assert "fonts-noto-cjk" in result.stdout or "空框" in result.stdout
    assert not list(out.rglob("*.pdf")) if out.exists() else True


def test_glyph_check_catches_boxes_even_when_fontconfig_check_passes(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        from pathlib import Path
        import selfeval_compiler.outputs.pdf as pdf
        from selfeval_compiler import api
        pdf.check_fonts = lambda: None  # pretend fontconfig said yes
        report = api.build([Path({str(SPECS)!r})], Path({str(tmp_path / "out")!r}),
                           formats=["pdf"])
        print(sorted({{d.code for d in report.diagnostics}}))
        print(len(list(Path({str(tmp_path / "out")!r}).rglob("*.pdf"))))
        """)
    # One Latin-only font: with no font at all Pango crashes, which is why the fontconfig
    # check runs first; here it is bypassed to prove the glyph check on its own.
    latin = subprocess.run(
        ["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True, check=True
    ).stdout
    assert "DejaVu" in latin, "fonts-dejavu-core is installed by make test"
    latin_dir = tmp_path / "latin-only"
    latin_dir.mkdir()
    shutil.copy(latin, latin_dir)
    env = _fontconfig_without_cjk(tmp_path, latin_dir)
    import os

    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    codes_line, count_line = result.stdout.strip().splitlines()[-2:]
    assert "SE902" in codes_line
    assert count_line == "0"


def test_fetcher_refuses_files_and_urls_outside_the_package(tmp_path: Path) -> None:
    from selfeval_compiler.outputs.pdf import _fetcher
    from selfeval_compiler.sources.resources import data_dir

    fetcher = _fetcher()
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    for url in (
        secret.as_uri(),
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.invalid/a.png",
        "ftp://127.0.0.1/x",
    ):
        with pytest.raises(ValueError, match="does not fetch"):
            fetcher.fetch(url)
    css = (data_dir("templates") / "form.css").resolve().as_uri()
    assert b"@page" in fetcher.fetch(css).read()
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"


def test_markup_in_a_spec_prints_as_text_and_fetches_nothing(tmp_path: Path) -> None:
    from helpers import first_indicator, write
    from pypdf import PdfReader

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    hostile = f'<img src="{secret.as_uri()}"><link rel=attachment href="{secret.as_uri()}"></td>'
    data = first_indicator(name="<b>加粗</b></td>")
    data["goals"]["expected"] = hostile + " url(" + secret.as_uri() + ")"
    data["project"] = "<script>alert(1)</script>"
    specs = tmp_path / "specs"
    write(specs, data, "x.yaml")
    result = run_cli("build", str(specs), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "out" / "x.html").read_text("utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html
    pdf = (tmp_path / "out" / "x.pdf").read_bytes()
    assert b"TOPSECRET" not in pdf
    text = "".join(PdfReader(tmp_path / "out" / "x.pdf").pages[0].extract_text().split())
    assert "<script>alert(1)</script>" in text

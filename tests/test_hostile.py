"""Hostile specs and faults: nothing leaks, nothing is lost, nothing crashes (issue 6)."""

from __future__ import annotations

import copy
import http.server
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO, SEED_FOLDER, run_cli
from helpers import BASE, first_indicator, to_yaml, write

from selfeval_compiler import api
from selfeval_compiler.building.record import MANIFEST_NAME

RUNAWAY = 30
"""Seconds past which refusing a hostile file counts as running away (a bomb expanded, a
quadratic walk). A guard, not a speed goal: those live in benchmarks/, and a loaded machine
must not fail it; refusals take well under a second on an idle one."""


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request it gets (it must get none)."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


def test_renderer_fetches_nothing_even_from_raw_html(
    listener: tuple[str, list[str]], tmp_path: Path
) -> None:
    """Below the escaping: HTML that names resources gets none of them into the PDF."""
    from selfeval_compiler.outputs.pdf import render_document, write_pdf

    url, requests = listener
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-CONTENT", encoding="utf-8")
    html = f"""<html><head>
      <link rel="stylesheet" href="{url}/style.css">
      <link rel="attachment" href="{secret.as_uri()}">
      <style>@import url("{url}/import.css"); body {{ background: url({url}/bg.png); }}</style>
      </head><body><p>中文</p><img src="{url}/img.png"><img src="{secret.as_uri()}">
      <object data="{url}/object.svg"></object><embed src="{url}/embed.svg">
      </body></html>"""
    pdf = write_pdf(render_document(html))
    time.sleep(0.2)
    assert requests == []
    assert b"TOPSECRET" not in pdf


def test_spec_texts_print_literally_and_fetch_nothing(
    listener: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, requests = listener
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-CONTENT", encoding="utf-8")
    hostile = [
        "<script>alert(1)</script>",
        f'<img src="{url}/a.png">',
        f"<link rel=attachment href={secret.as_uri()}>",
        f"background: url({url}/b.png)",
        "</td></tr></table><h1>伪造</h1>",
    ]
    data = copy.deepcopy(BASE)
    data["project"] = hostile[0]
    data["goals"]["expected"] = " ".join(hostile)
    data["goals"]["actual"] = hostile[3]
    data["indicators"]["效益指标"]["社会效益指标"][0]["name"] = hostile[4]
    specs = tmp_path / "specs"
    write(specs, data, "x.yaml")
    out = tmp_path / "out"
    result = run_cli("build", str(specs), "-o", str(out), "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (out / "x.html").read_text("utf-8")
    for text in hostile:
        if "<" in text:
            assert text not in html  # markup is escaped
    assert f'<td colspan="4" class="text long">{hostile[3]}</td>' in html  # plain text, no style
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;h1&gt;伪造" in html
    from pypdf import PdfReader

    pdf_text = "".join(PdfReader(out / "x.pdf").pages[0].extract_text().split())
    assert "<script>alert(1)</script>" in pdf_text
    assert b"TOPSECRET" not in (out / "x.pdf").read_bytes()
    assert requests == []


def _heavy_spec() -> str:
    """A form inside every input limit (under 1 MiB, 250 indicators) that takes long to lay
    out: each indicator carries a long deviation text in the narrow last column."""
    data = copy.deepcopy(BASE)
    long_text = ("由于客观原因，部分工作未能按期完成，下一年度将加强计划管理。" * 40)[:1200]
    groups = ("数量指标", "质量指标", "时效指标", "成本指标")
    data["indicators"]["产出指标"] = {
        group: [
            {
                "name": f"指标{number}-{index}",
                "target": "达成",
                "actual": "达成",
                "weight": Decimal("0.25"),
                "deviation": long_text,
            }
            for index in range(50)
        ]
        for number, group in enumerate(groups)
    }
    text = to_yaml(data)
    assert len(text.encode()) < 1024 * 1024
    return text


def test_a_form_over_the_time_limit_fails_alone(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    write(specs, _heavy_spec(), "heavy.yaml")
    write(specs, BASE, "normal.yaml")
    out = tmp_path / "out"
    started = time.monotonic()
    result = run_cli(
        "build",
        str(specs),
        "-o",
        str(out),
        "--format",
        "pdf",
        "-q",
        env={"SELFEVAL_RENDER_SECONDS": "8"},
    )
    assert time.monotonic() - started < 60
    assert result.returncode == 1
    assert "heavy.yaml:1:1: error SE906" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert (out / "normal.pdf").is_file()
    assert not (out / "heavy.pdf").exists()
    assert not (out / "_combined.pdf").exists()


def _driver(tmp_path: Path, patch: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a process where ``patch`` replaced part of the renderer first."""
    specs = tmp_path / "specs"
    shutil.copytree(SEED_FOLDER, specs / "unit")
    script = textwrap.dedent(f"""
        import os, sys
        import selfeval_compiler.outputs.pdf as pdf
        real = pdf.render_document
        {textwrap.indent(textwrap.dedent(patch), "        ").strip()}
        pdf.render_document = patched
        from selfeval_compiler.cli.app import main
        sys.argv = ["selfeval", "build", {str(specs)!r}, "-o", {str(tmp_path / "out")!r},
                    "--format", "pdf", "-q", "-j", "2"]
        main()
        """)
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO,
    )


def test_a_form_over_the_memory_cap_fails_alone(tmp_path: Path) -> None:
    result = _driver(
        tmp_path,
        """
        def patched(html):
            if "开办经费" in html:
                hog = bytearray(8 * 1024 ** 3)  # past the 2 GiB cap
            return real(html)
        """,
    )
    assert result.returncode == 1, result.stderr
    assert "02-kaiban-jingfei.yaml:1:1: error SE907" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    built = sorted(p.name for p in (tmp_path / "out" / "unit").glob("*.pdf"))
    assert len(built) == 4
    assert "02-kaiban-jingfei.pdf" not in built


def test_a_worker_that_dies_takes_only_its_form_down(tmp_path: Path) -> None:
    result = _driver(
        tmp_path,
        """
        def patched(html):
            if "开办经费" in html:
                os._exit(9)  # a crash inside a C library looks like this
            return real(html)
        """,
    )
    assert result.returncode == 1, result.stderr
    assert "02-kaiban-jingfei.yaml:1:1: error SE907" in result.stdout
    assert result.stdout.count("error") == 1
    built = sorted(p.name for p in (tmp_path / "out" / "unit").glob("*.pdf"))
    assert len(built) == 4


def test_a_full_disk_is_a_diagnostic(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    write(specs, BASE, "x.yaml")
    script = textwrap.dedent(f"""
        import errno, os, sys
        import selfeval_compiler.outputs.writing as writing
        class Full:
            def __init__(self, fd, mode): os.close(fd)
            def __enter__(self): return self
            def __exit__(self, *a): return False
            def write(self, data): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        writing.os.fdopen = Full
        from selfeval_compiler.cli.app import main
        sys.argv = ["selfeval", "build", {str(specs)!r}, "-o", {str(tmp_path / "out")!r}, "-q"]
        main()
        """)
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 2
    assert "SE904" in result.stdout
    assert "No space left on device" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    leftovers = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert leftovers == []  # no partial file, no record of outputs that were never written


def test_an_unwritable_output_folder_is_a_diagnostic(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    write(specs, BASE, "x.yaml")
    result = run_cli(
        "build", str(specs), "-o", "/proc/selfeval-cannot-write-here", "--format", "html", "-q"
    )
    assert result.returncode == 2
    assert "SE904" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        (
            "bomb.yaml",
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
            "SE005",
        ),
        ("deep.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n", "SE001"),
        (
            "deep-block.yaml",
            "".join(" " * i + f"k{i}:\n" for i in range(60)) + " " * 60 + "v\n",
            "SE009",
        ),
        ("long-line.yaml", "project: " + "长" * 30_000 + "\n", "SE009"),
        ("nul.yaml", "project: a\x00b\n", "SE001"),
        ("tabs.yaml", "funds:\n\tweight: 10\n", "SE001"),
        ("noncharacter.yaml", "project: \ufffe\n", "SE001"),
        ("control.yaml", "project: a\x1bb\n", "SE001"),
    ],
)
def test_hostile_yaml_is_refused_quickly(
    tmp_path: Path, name: str, content: str, code: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="")
    started = time.monotonic()
    report = api.check([path])
    assert time.monotonic() - started < RUNAWAY
    assert code in [d.code for d in report.diagnostics], report.diagnostics


def test_a_50_megabyte_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    started = time.monotonic()
    result = run_cli("check", str(path))
    assert time.monotonic() - started < RUNAWAY
    assert result.returncode == 1
    assert "SE009" in result.stdout


def test_ten_thousand_indicators_are_refused(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["indicators"]["产出指标"] = {
        "数量指标": [
            {"name": f"n{i}", "target": "a", "actual": "a", "weight": 0} for i in range(10_000)
        ]
    }
    path = write(tmp_path, data)
    started = time.monotonic()
    report = api.check([path])
    assert time.monotonic() - started < RUNAWAY
    assert [d.code for d in report.diagnostics] == ["SE009"]
    data["indicators"]["产出指标"] = {
        group: [
            {"name": f"{group}{i}", "target": "a", "actual": "a", "weight": 0} for i in range(76)
        ]
        for group in ("数量指标", "质量指标", "时效指标", "成本指标")
    }
    assert [d.code for d in api.check([write(tmp_path, data)]).diagnostics] == ["SE009"]


def test_encodings_and_line_ends_through_the_cli(tmp_path: Path) -> None:
    good = to_yaml(BASE)
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + good.encode())
    other = to_yaml(dict(BASE, project="另一个项目"))
    (tmp_path / "crlf.yaml").write_bytes(other.replace("\n", "\r\n").encode())
    (tmp_path / "gbk.yaml").write_bytes(good.encode("gb18030"))
    (tmp_path / "utf16.yaml").write_bytes(good.encode("utf-16"))
    result = run_cli("check", str(tmp_path), "--format", "json")
    assert "Traceback" not in result.stderr
    import json

    codes = {Path(r["file"]).name: r["code"] for r in json.loads(result.stdout)}
    assert codes == {"gbk.yaml": "SE003", "utf16.yaml": "SE003"}


def test_unsafe_file_and_folder_names_give_safe_outputs_inside_the_output(
    tmp_path: Path,
) -> None:
    specs = tmp_path / "specs"
    names = [
        "CON.yaml",
        "a:b?.yaml",
        "x" * 200 + ".yaml",
        "中" * 80 + ".yaml",
        "ends with dot..yaml",
    ]
    for name in names:
        write(specs / "LPT1", BASE, name)
    data = dict(BASE, project="../../../etc/passwd/..")
    write(specs / "LPT1", data, "traversal.yaml")
    out = tmp_path / "out"
    result = run_cli("build", str(specs), "-o", str(out), "--format", "html", "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    produced = [p for p in out.rglob("*.html")]
    assert len(produced) == len(names) + 1
    for path in produced:
        assert path.resolve().is_relative_to(out.resolve())
        relative = path.relative_to(out)
        assert relative.parts[0] != "LPT1"
        for part in relative.parts:
            assert len(part.encode()) <= 200
            assert not any(ch in part for ch in '<>:"\\|?*')
            assert part.split(".")[0].upper() not in ("CON", "LPT1")
    assert not (tmp_path / "etc").exists()


def test_build_with_networking_disabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network use: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    specs = tmp_path / "specs"
    shutil.copytree(SEED_FOLDER, specs / "unit")
    report = api.build([specs], tmp_path / "out", formats=["html", "pdf", "json"], jobs=2)
    assert report.errors == 0, report.diagnostics
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == 6


def test_sigkill_at_any_moment_leaves_old_or_new_outputs_never_half(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SEED_FOLDER, specs / "unit")
    old_out, new_out, out = tmp_path / "old", tmp_path / "new", tmp_path / "out"
    assert run_cli("build", str(specs), "-o", str(old_out), "-q").returncode == 0
    for spec in (specs / "unit").glob("0*.yaml"):
        text = spec.read_text("utf-8")
        spec.write_text(
            text.replace(
                "carried_over: {initial: 0, annual: 0, executed: 0}",
                "carried_over: {initial: 1, annual: 1, executed: 1}",
            ),
            encoding="utf-8",
        )
    assert run_cli("build", str(specs), "-o", str(new_out), "-q").returncode == 0

    def contents(folder: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(folder)): p.read_bytes()
            for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".")
        }

    old, new = contents(old_out), contents(new_out)
    assert old.keys() == new.keys()
    assert all(old[k] != new[k] for k in old)
    rng = random.Random(6)
    for _ in range(6):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(old_out, out)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "selfeval_compiler",
                "build",
                str(specs),
                "-o",
                str(out),
                "-q",
                "-j",
                "2",
            ],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.2, 3.0))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        for relative, data in contents(out).items():
            assert data in (old[relative], new[relative]), relative
    # and a build after the kill finishes the job and cleans up
    assert run_cli("build", str(specs), "-o", str(out), "-q").returncode == 0
    assert contents(out) == new
    assert not list(out.rglob("*.part"))
    assert (out / MANIFEST_NAME).is_file()


def test_build_never_touches_the_spec_folder(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SEED_FOLDER, specs / "unit")
    write(specs / "unit", first_indicator(actual="15(次)"), "bad.yaml")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in specs.rglob("*") if p.is_file()}
    run_cli("build", str(specs), "-o", str(tmp_path / "out"), "-q")
    run_cli("build", str(specs), "-o", str(tmp_path / "out"), "-q", "--force")
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in specs.rglob("*") if p.is_file()}
    assert after == before
    assert run_cli("build", str(specs), "-o", str(specs / "unit")).returncode == 2

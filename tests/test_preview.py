"""``selfeval serve`` without a browser: the command line, pushed events, the PDF download,
and that nothing is written to the repository."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, SEED_FOLDER

from selfeval_compiler.preview.serve import start


def _project(tmp_path: Path) -> Path:
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    shutil.copytree(SEED_FOLDER.parent, tmp_path / "specs")
    return tmp_path / "specs"


def _get(url: str) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return int(response.status), response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return int(error.code), error.read(), dict(error.headers)


def test_events_json_and_pdf_follow_the_files(tmp_path: Path) -> None:
    specs = _project(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    server, stop = start([specs], "127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        workspace = server.workspace
        entry = next(
            e for e in workspace.entries.values() if e.spec_file.path.name.startswith("01")
        )
        status, body, _ = _get(f"{base}/api/form/{entry.id}.json")
        assert json.loads(body)["total"] == "98.93"
        version = workspace.version
        seen: list[int] = []

        def listen() -> None:
            with urllib.request.urlopen(base + "/events", timeout=10) as stream:
                for raw in stream:
                    if raw.startswith(b"data:"):
                        seen.append(json.loads(raw[5:])["version"])
                        if len(seen) == 2:
                            return

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        time.sleep(0.3)
        spec = entry.spec_file.path
        spec.write_text(
            spec.read_text("utf-8").replace("executed: 12.51", "executed: 7.00"), "utf-8"
        )
        listener.join(5)
        assert seen[0] == version
        assert seen[1] > version
        data = json.loads(_get(f"{base}/api/form/{entry.id}.json")[1])
        assert data["total"] == "95.00"  # 7 / 14 = 50 %: 5 of 10 execution points
        status, pdf, headers = _get(f"{base}/pdf/{entry.id}.pdf")
        assert status == 200
        assert pdf.startswith(b"%PDF-")
        assert headers["Content-Disposition"].startswith("attachment;")
        spec.write_text("project: [\n", "utf-8")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            data = json.loads(_get(f"{base}/api/form/{entry.id}.json")[1])
            if data["errors"]:
                break
            time.sleep(0.05)
        assert data["errors"] == 1
        assert data["total"] == ""
        assert _get(f"{base}/pdf/{entry.id}.pdf")[0] == 409
        status, page, _ = _get(f"{base}/form/{entry.id}")
        assert status == 200
        assert b"SE001" in page
        status, _changes, _ = _get(f"{base}/changes")
        assert status == 200  # not a repository: the page says so instead of failing
    finally:
        stop()
    spec.write_text((SEED_FOLDER / spec.name).read_text("utf-8"), "utf-8")
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert after == before  # nothing written into the repository or a build folder


def _interruptible() -> None:
    """Ctrl-C as a terminal delivers it: a test runner's worker may ignore SIGINT, and a
    child inherits that, so the child gets the default disposition back."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_cli_binds_locally_prints_the_url_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    _project(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "selfeval_compiler", "serve", "specs", "--port", "0"],
        cwd=tmp_path,
        env={**os.environ, "SELFEVAL_LANG": "en", "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Preview: http://127.0.0.1:"), line
        url = line.split()[1]
        assert _get(url)[0] == 200
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(20)
    assert code == 130
    exposed = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "selfeval_compiler",
            "serve",
            "specs",
            "--port",
            "0",
            "--host",
            "0.0.0.0",
        ],
        cwd=tmp_path,
        env={**os.environ, "SELFEVAL_LANG": "en", "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    )
    try:
        assert exposed.stderr is not None
        assert "other machines on the network can see these forms" in exposed.stderr.readline()
    finally:
        exposed.send_signal(signal.SIGINT)
        exposed.wait(20)


def test_the_page_shows_exactly_the_html_build_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Byte for byte, creation date included (here from SOURCE_DATE_EPOCH)."""
    from selfeval_compiler import api

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    specs = _project(tmp_path)
    api.build([specs], tmp_path / "out", formats=["html"])
    server, stop = start([specs], "127.0.0.1", 0)
    try:
        for entry in server.workspace.entries.values():
            status, body, _ = _get(
                f"http://127.0.0.1:{server.server_address[1]}/render/{entry.id}.html"
            )
            built = tmp_path / "out" / entry.spec_file.relative.with_suffix(".html")
            assert status == 200
            assert body == built.read_bytes(), entry.spec_file.display
            assert b"2023-11-14T22:13:20" in body
    finally:
        stop()


def test_preview_reports_what_check_reports_and_each_spec_at_its_stage(tmp_path: Path) -> None:
    """The preview is ``api.check``: findings across specs (SE018, SE014) are shown, and a
    spring spec is a 申报表, not a broken 自评表."""
    from selfeval_compiler import api
    from selfeval_compiler.preview.pages import summary_of
    from selfeval_compiler.preview.workspace import Workspace

    specs = _project(tmp_path)
    folder = specs / SEED_FOLDER.name
    shutil.copy(folder / "01-jiguan-fuwufei.yaml", folder / "01-again.yaml")
    shutil.copy(folder / "02-kaiban-jingfei.yaml", folder / "02-kaiban-jingfei.yml")
    api.rollover([folder], 2024, specs / "2024")
    workspace = Workspace([specs])
    workspace.load()
    checked = api.check([specs])
    shown = sorted(
        (d.code, d.location.file) for e in workspace.entries.values() for d in e.diagnostics
    ) + sorted((d.code, d.location.file) for d in workspace.problems)
    assert sorted(shown) == sorted((d.code, d.location.file) for d in checked.diagnostics)
    assert {"SE014", "SE018"} <= {code for code, _ in shown}
    rows = [summary_of(e) for e in workspace.entries.values()]
    spring = [r for r in rows if "/2024/" in r["file"]]
    assert len(spring) == 5  # seven rolled over; the .yaml/.yml pair is SE014 there too
    assert {(r["form"], r["errors"], r["total"]) for r in spring} == {("申报表", 0, "")}
    entry = next(e for e in workspace.entries.values() if "/2024/" in e.spec_file.display)
    html = workspace.html(entry)
    assert html is not None
    assert "绩效目标申报表" in html.decode("utf-8")
    # saving one spec rechecks it and keeps the findings across specs
    again = folder / "01-again.yaml"
    again.write_text(again.read_text("utf-8").replace("机关服务费", "机关服务费（二）"), "utf-8")
    workspace.update({again})
    autumn = [e for e in workspace.entries.values() if "/2024/" not in e.spec_file.display]
    assert "SE018" not in {d.code for e in autumn for d in e.diagnostics}
    assert "SE018" in {d.code for e in workspace.entries.values() for d in e.diagnostics}

"""A run that survives (#10): one spec's trouble stays that spec's; Ctrl-C stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from helpers import spec, write

from selfeval_compiler import api
from selfeval_compiler.building.record import MANIFEST_NAME
from selfeval_compiler.rules import scoring


def test_an_internal_error_in_one_spec_fails_that_spec_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "specs", spec(project="坏"), "a.yaml")
    write(tmp_path / "specs", spec(project="好"), "b.yaml")
    real = scoring.score_form

    def trap(spec_: Any, profile: Any) -> Any:
        if spec_.project == "坏":
            raise ZeroDivisionError("a trap")
        return real(spec_, profile)

    monkeypatch.setattr("selfeval_compiler.rules.compiler.score_form", trap)
    report = api.build([tmp_path / "specs"], tmp_path / "out", formats=["html"], jobs=1)
    assert [(d.code, Path(d.location.file).name) for d in report.diagnostics] == [
        ("SE999", "a.yaml")
    ]
    assert (tmp_path / "out" / "b.html").is_file()
    assert not (tmp_path / "out" / "a.html").exists()
    assert (tmp_path / "out" / MANIFEST_NAME).is_file()


def test_an_undecodable_file_name_is_reported_not_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    name = os.fsdecode(b"\xff\xfe-form.yaml")
    write(folder, spec(), name)
    write(folder, spec(project="乙"), "b.yaml")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "selfeval_compiler",
            "build",
            str(folder),
            "-o",
            str(tmp_path / "out"),
            "--format",
            "html",
            "-q",
        ],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stderr
    assert len(list((tmp_path / "out").glob("*.html"))) == 2


@pytest.mark.slow
def test_ctrl_c_stops_with_one_line_and_no_partial_file(tmp_path: Path) -> None:
    for index in range(12):
        write(tmp_path / "specs", spec(project=f"项目{index}"), f"{index:02}.yaml")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "selfeval_compiler",
            "build",
            str(tmp_path / "specs"),
            "-o",
            str(tmp_path / "out"),
            "--format",
            "pdf",
            "-j",
            "2",
            "-q",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not list((tmp_path / "out").rglob("*.pdf")) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    text = stderr.decode("utf-8", "replace")
    assert process.returncode == 130, text
    assert "Traceback" not in text
    assert text.count("interrupted") + text.count("已中断") == 1, text
    assert not list((tmp_path / "out").rglob("*.part"))


def test_a_very_deep_folder_is_reported_and_the_rest_builds(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "specs", spec(), "top.yaml")
    deep = tmp_path / "specs"
    for _ in range(40):
        deep = deep / "d"
    write(deep, spec(project="深"), "deep.yaml")
    report = api.build([tmp_path / "specs"], tmp_path / "out", formats=["json"])
    assert [d.code for d in report.diagnostics] == ["SE009"]
    assert (tmp_path / "out" / "top.json").is_file()

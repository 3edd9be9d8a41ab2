"""Faults outside the specs: each is a diagnostic naming the cause, never a traceback."""

from __future__ import annotations

import errno
import shutil
import tempfile
from pathlib import Path

import jinja2
import pytest
from conftest import SEED_FOLDER

from selfeval_compiler import api
from selfeval_compiler.outputs import html as rendering
from selfeval_compiler.outputs import pdf


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    folder = tmp_path / "specs"
    shutil.copytree(SEED_FOLDER, folder / "unit")
    return folder


def test_template_error_is_a_diagnostic(
    specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = jinja2.Environment(
        loader=jinja2.DictLoader({"form.html.j2": "{{ form.nothing_here }}", "form.css": ""}),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
    )
    monkeypatch.setattr(rendering, "environment", lambda: broken)
    report = api.build([specs], tmp_path / "out", formats=["html"])
    assert {d.code for d in report.diagnostics} == {"SE903"}
    assert report.environment_failed
    assert not (tmp_path / "out").exists()


def test_unwritable_output_is_a_diagnostic(specs: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be", encoding="utf-8")
    report = api.build([specs], blocker, formats=["json"])
    (problem,) = report.diagnostics  # one for the folder, not one for each file
    assert problem.code == "SE904"
    assert problem.location.file == str(blocker)
    assert report.environment_failed
    assert blocker.read_text(encoding="utf-8").startswith("a file")


def test_a_read_only_output_folder_is_one_error_naming_it(
    specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "out"
    report = api.build([specs], out, formats=["html", "json"])
    (problem,) = report.diagnostics
    assert problem.code == "SE904"
    assert str(out) in problem.message_zh
    assert "Read-only file system" in problem.message_zh
    assert "换一个可写的输出目录（-o）" in problem.message_zh
    assert "choose a writable output folder (-o)" in problem.message_en
    assert report.environment_failed
    assert report.built == 0


def test_renderer_failure_fails_one_form_only(
    specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pdf.render_document

    def flaky(html: str) -> object:
        if "开办经费" in html:
            raise pdf.RenderProblem("layout exploded")
        return real(html)

    monkeypatch.setattr(pdf, "render_document", flaky)
    out = tmp_path / "out"
    report = api.build([specs], out, formats=["pdf"])
    assert [d.code for d in report.diagnostics] == ["SE905"]
    assert report.diagnostics[0].location.file.endswith("02-kaiban-jingfei.yaml")
    built = sorted(p.name for p in (out / "unit").iterdir())
    assert "02-kaiban-jingfei.pdf" not in built
    assert len(built) == 4
    assert "_combined.pdf" not in built  # a bundle missing a form is not written

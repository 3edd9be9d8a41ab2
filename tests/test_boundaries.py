"""Reads stay inside the project (#10): symlinks and profile paths that lead out are refused
without reading, so nothing of an outside file is echoed."""

from __future__ import annotations

from pathlib import Path

from helpers import spec, to_yaml, write

from selfeval_compiler import api

SECRET = "top-secret: 口令 hunter2\n"


def _project(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    return root, outside


def _messages(report: api.Report) -> str:
    return "\n".join(d.message_zh + d.message_en for d in report.diagnostics)


def test_a_spec_symlink_leading_out_is_refused_unread(tmp_path: Path) -> None:
    root, outside = _project(tmp_path)
    (outside / "secret.yaml").write_text(SECRET, encoding="utf-8")
    (root / "specs").mkdir()
    (root / "specs" / "a.yaml").symlink_to(outside / "secret.yaml")
    report = api.check([root / "specs"])
    assert [d.code for d in report.diagnostics] == ["SE016"]
    assert "hunter2" not in _messages(report)


def test_a_defaults_symlink_leading_out_is_refused_unread(tmp_path: Path) -> None:
    root, outside = _project(tmp_path)
    (outside / "_defaults.yaml").write_text(SECRET, encoding="utf-8")
    write(root / "specs", spec(), "a.yaml")
    (root / "specs" / "_defaults.yaml").symlink_to(outside / "_defaults.yaml")
    report = api.check([root / "specs"])
    assert [d.code for d in report.diagnostics] == ["SE016"]
    assert "hunter2" not in _messages(report)


def test_the_defaults_search_stops_at_the_project_root(tmp_path: Path) -> None:
    root, _ = _project(tmp_path)
    (tmp_path / "_defaults.yaml").write_text("year: 1999\nbogus: 1\n", encoding="utf-8")
    write(root / "specs", spec(), "a.yaml")
    report = api.check([root / "specs"])
    assert report.diagnostics == []
    assert report.compiled[0].form is not None
    assert report.compiled[0].form.spec.year == 2023


def test_a_profile_outside_the_project_is_refused_unread(tmp_path: Path) -> None:
    root, outside = _project(tmp_path)
    (outside / "x.profile.yaml").write_text(SECRET, encoding="utf-8")
    for reference in ("../../outside/x.profile.yaml", str(outside / "x.profile.yaml")):
        path = write(root / "specs", dict(spec(), profile=reference), "a.yaml")
        lines = path.read_text("utf-8").splitlines()
        profile_line = next(i for i, line in enumerate(lines, 1) if line.startswith("profile:"))
        report = api.check([root / "specs"])
        assert [(d.code, d.location.line) for d in report.diagnostics] == [("SE016", profile_line)]
        assert "hunter2" not in _messages(report)


def test_a_profile_symlink_inside_the_project_leading_out_is_refused(tmp_path: Path) -> None:
    root, outside = _project(tmp_path)
    (outside / "x.profile.yaml").write_text(SECRET, encoding="utf-8")
    (root / "specs").mkdir()
    (root / "specs" / "x.profile.yaml").symlink_to(outside / "x.profile.yaml")
    write(root / "specs", dict(spec(), profile="x.profile.yaml"), "a.yaml")
    report = api.check([root / "specs"])
    assert [d.code for d in report.diagnostics] == ["SE016"]
    assert "hunter2" not in _messages(report)


def test_profiles_and_defaults_inside_still_work(tmp_path: Path) -> None:
    root, _ = _project(tmp_path)
    (root / "shared.profile.yaml").write_text("extends: shanghai-municipal\n", encoding="utf-8")
    (root / "specs").mkdir()
    (root / "specs" / "_defaults.yaml").write_text(
        "profile: ../shared.profile.yaml\n", encoding="utf-8"
    )
    write(root / "specs", to_yaml(spec()), "a.yaml")
    report = api.check([root / "specs"])
    assert report.diagnostics == []

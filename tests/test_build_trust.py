"""Outputs you can trust (#10): stale outputs go, bundles hold their whole folder, the build
record names what was read, housekeeping touches only what it wrote."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import first_indicator, spec, write

from selfeval_compiler import api
from selfeval_compiler.building.record import FORMAT_VERSION, MANIFEST_NAME
from selfeval_compiler.sources import yaml_loader


def _repository(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_a_spec_that_starts_failing_loses_its_old_outputs(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    path = write(root / "specs", spec(), "a.yaml")
    write(root / "specs", spec(project="乙"), "b.yaml")
    out = root / "out"
    assert api.build([root / "specs"], out, formats=["html", "json"]).errors == 0
    assert (out / "a.html").is_file()
    write(root / "specs", first_indicator(actual="15(次)"), "a.yaml")  # SE307: no deviation
    report = api.build([root / "specs"], out, formats=["html", "json"])
    assert report.errors == 1
    assert not (out / "a.html").exists()
    assert not (out / "a.json").exists()
    assert (out / "b.html").is_file()
    assert path.is_file()


@pytest.mark.slow
def test_building_one_spec_bundles_its_whole_folder_and_spares_others(tmp_path: Path) -> None:
    from pypdf import PdfReader

    root = _repository(tmp_path)
    for name in ("b.yaml", "a.yaml", "c.yaml"):
        write(root / "specs" / "unit", spec(project=name), name)
    write(root / "specs" / "other", spec(project="其他"), "x.yaml")
    out = root / "out"
    assert api.build([root / "specs"], out, formats=["pdf"]).errors == 0
    write(
        root / "specs" / "unit",
        spec(project="a.yaml", goals={"expected": "新", "actual": "新"}),
        "a.yaml",
    )
    report = api.build([root / "specs" / "unit" / "a.yaml"], out, formats=["pdf"])
    assert report.errors == 0
    assert report.built == 1
    reader = PdfReader(out / "unit" / "_combined.pdf")
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) == 3
    assert [next(n for n in ("a.yaml", "b.yaml", "c.yaml") if n in p) for p in pages] == [
        "a.yaml",
        "b.yaml",
        "c.yaml",
    ]
    assert (out / "other" / "_combined.pdf").is_file()


def test_a_spec_edited_while_it_builds_is_rebuilt_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repository(tmp_path)
    path = write(root / "specs", spec(), "a.yaml")
    real = yaml_loader.load_text
    edits: list[int] = []

    def edit_after_reading(text: str, file: str) -> Any:
        result = real(text, file)
        if not edits:
            edits.append(1)
            write(root / "specs", spec(project="改过的"), "a.yaml")
        return result

    monkeypatch.setattr(yaml_loader, "load_text", edit_after_reading)
    out = root / "out"
    assert api.build([root / "specs"], out, formats=["json"], jobs=1).built == 1
    monkeypatch.setattr(yaml_loader, "load_text", real)
    again = api.build([root / "specs"], out, formats=["json"], jobs=1)
    assert again.built == 1
    assert json.loads((out / "a.json").read_text("utf-8"))["project"] == "改过的"
    assert path.is_file()


def test_housekeeping_never_follows_or_deletes_a_symlink(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    write(root / "specs", spec(), "a.yaml")
    out = root / "out"
    assert api.build([root / "specs"], out, formats=["html"]).errors == 0
    (out / "notes").mkdir()
    precious = out / "notes" / "precious.html"  # the user's own file, beside the outputs
    precious.write_text("keep", encoding="utf-8")
    (out / "a.html").unlink()
    (out / "a.html").symlink_to(precious)
    (root / "specs" / "a.yaml").unlink()
    write(root / "specs", spec(project="乙"), "b.yaml")
    api.build([root / "specs"], out, formats=["html"])
    assert precious.read_text("utf-8") == "keep"
    assert (out / "a.html").is_symlink()


def test_a_record_listing_outside_paths_is_ignored_and_deletes_nothing(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    write(root / "specs", spec(), "a.yaml")
    out = root / "out"
    assert api.build([root / "specs"], out, formats=["html"]).errors == 0
    victim = tmp_path / "victim.html"
    victim.write_text("keep", encoding="utf-8")
    record = json.loads((out / MANIFEST_NAME).read_text("utf-8"))
    key = next(iter(record["specs"]))
    record["specs"][key]["outputs"] = ["../victim.html", str(victim), "a.html"]
    (out / MANIFEST_NAME).write_text(json.dumps(record), encoding="utf-8")
    (root / "specs" / "a.yaml").unlink()
    write(root / "specs", spec(project="乙"), "b.yaml")
    api.build([root / "specs"], out, formats=["html"])
    assert victim.read_text("utf-8") == "keep"
    # The forged record was not trusted at all: a.html, which only it listed, is left alone.
    assert (out / "a.html").exists()
    assert "../victim.html" not in (out / MANIFEST_NAME).read_text("utf-8")


def test_a_symlinked_folder_in_the_output_is_never_written_through(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    write(root / "specs" / "unit", spec(), "a.yaml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = root / "out"
    out.mkdir()
    (out / "unit").symlink_to(elsewhere, target_is_directory=True)
    report = api.build([root / "specs"], out, formats=["html"])
    assert "SE904" in {d.code for d in report.diagnostics}
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize(
    "record",
    [
        "[]",
        '{"format": FORMAT, "specs": [], "bundles": {}}',
        '{"format": FORMAT, "specs": {"x": {"inputs": 1}}, "bundles": {}}',
        '{"format": FORMAT, "specs": {}, "bundles": {"/etc/passwd": {"digest": "", "specs": []}}}',
        "[" * 100_000,
    ],
)
def test_a_broken_record_is_ignored_and_everything_rebuilt(tmp_path: Path, record: str) -> None:
    root = _repository(tmp_path)
    write(root / "specs", spec(), "a.yaml")
    out = root / "out"
    out.mkdir()
    text = record.replace("FORMAT", str(FORMAT_VERSION))
    (out / MANIFEST_NAME).write_text(text, encoding="utf-8")
    report = api.build([root / "specs"], out, formats=["json"])
    assert report.built == 1
    assert json.loads((out / MANIFEST_NAME).read_text("utf-8"))["format"] == FORMAT_VERSION


def test_a_record_naming_a_fifo_as_input_never_opens_it(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    write(root / "specs", spec(), "a.yaml")
    out = root / "out"
    assert api.build([root / "specs"], out, formats=["json"]).built == 1
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    record = json.loads((out / MANIFEST_NAME).read_text("utf-8"))
    entry = next(iter(record["specs"].values()))
    entry["inputs"]["../pipe"] = "0" * 64
    (out / MANIFEST_NAME).write_text(json.dumps(record), encoding="utf-8")
    assert api.build([root / "specs"], out, formats=["json"]).built == 1  # not current: rebuilt


def test_only_our_own_partial_files_are_cleaned_up(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    write(root / "specs", spec(), "a.yaml")
    out = root / "out"
    out.mkdir()
    ours = out / ".a.html.k3j2x.part"
    theirs = out / ".notes.txt.k3j2x.part"
    ours.write_text("half", encoding="utf-8")
    theirs.write_text("mine", encoding="utf-8")
    api.build([root / "specs"], out, formats=["html"])
    assert not ours.exists()
    assert theirs.read_text("utf-8") == "mine"


def test_a_second_build_on_a_locked_folder_is_refused_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    root = _repository(tmp_path)
    write(root / "specs", spec(), "a.yaml")
    out = root / "out"
    out.mkdir()
    handle = os.open(out, os.O_RDONLY)
    fcntl.flock(handle, fcntl.LOCK_EX)
    monkeypatch.setenv("SELFEVAL_LOCK_SECONDS", "0")
    try:
        with pytest.raises(api.UsageError) as raised:
            api.build([root / "specs"], out, formats=["json"])
        assert "another selfeval build" in raised.value.message.en
    finally:
        os.close(handle)
    assert api.build([root / "specs"], out, formats=["json"]).built == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SELFEVAL_RENDER_SECONDS", "abc"),
        ("SELFEVAL_RENDER_SECONDS", "nan"),
        ("SELFEVAL_RENDER_MEMORY_MB", "-5"),
        ("SELFEVAL_LOCK_SECONDS", "1e99"),
    ],
)
def test_bad_environment_settings_are_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    write(tmp_path / "specs", spec(), "a.yaml")
    monkeypatch.setenv(name, value)
    with pytest.raises(api.UsageError) as raised:
        api.build([tmp_path / "specs"], tmp_path / "out", formats=["json"])
    assert name in raised.value.message.en
    with pytest.raises(api.UsageError):
        api.check([tmp_path / "specs"])


def test_jobs_are_capped() -> None:
    from selfeval_compiler.api import _capped, default_jobs

    assert _capped(10_000) == 2 * default_jobs()
    assert _capped(0) == 1

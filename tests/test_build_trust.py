"""Outputs you can trust (#10): stale outputs go, bundles hold their whole folder, the build
record names what was read, housekeeping touches only what it wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import first_indicator, spec, write

from selfeval_compiler import api
from selfeval_compiler.building.record import MANIFEST_NAME
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


def test_a_record_listing_outside_paths_deletes_nothing_there(tmp_path: Path) -> None:
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
    assert not (out / "a.html").exists()

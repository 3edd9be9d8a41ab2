"""Shards split a build form by form, and ``selfeval merge`` gathers them into the build one
machine would have made: the same bytes file by file (HTML, JSON, xlsx, PDF and the folder
bundles, made from the forms' files and sheet records, no form rendered again). Shards of
another build, a form given twice, a missing shard and hostile shard folders are refused
before anything is written."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path, PurePosixPath

import pytest
from conftest import REPO, run_cli

from selfeval_compiler import api
from selfeval_compiler.building import merge as merging
from selfeval_compiler.building.plan import assign, shard
from selfeval_compiler.building.record import MANIFEST_NAME
from selfeval_compiler.sources.discovery import SpecFile

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_specs import generate

SHARDS = 4


def _spec_files(names: list[str]) -> list[SpecFile]:
    root = Path("/nowhere/specs")
    return [
        SpecFile(root / "局" / name, f"specs/局/{name}", PurePosixPath("局") / name, root)
        for name in names
    ]


def test_one_folder_of_400_is_shared_out_and_one_more_spec_moves_no_other() -> None:
    names = [f"{index:04d}-项目.yaml" for index in range(400)]
    spec_files = _spec_files(names)
    parts = [shard(spec_files, k, SHARDS) for k in range(1, SHARDS + 1)]
    assert sum(len(p) for p in parts) == 400
    assert max(len(p) for p in parts) <= 0.30 * 400, [len(p) for p in parts]
    assert {s.relative for p in parts for s in p} == {s.relative for s in spec_files}
    before = assign(spec_files, SHARDS)
    after = assign(_spec_files([*names, "0400-新项目.yaml"]), SHARDS)
    moved = [name for name, part in before.items() if after[name] != part]
    assert len(moved) <= 4, moved  # only a few at a full part's edge
    fewer = assign(spec_files[1:], SHARDS)
    assert len([name for name, part in fewer.items() if before[name] != part]) <= 4


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != merging.STAMP_NAME
    }


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    generate(tmp_path / "specs", 12)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return tmp_path


def _shards(project: Path, formats: list[str], prefix: str = "part") -> list[Path]:
    folders = []
    for k in range(1, SHARDS + 1):
        folder = project / f"{prefix}{k}"
        report = api.build([project / "specs"], folder, formats=formats, shard=(k, SHARDS))
        assert report.errors == 0
        folders.append(folder)
    return folders


def test_four_shards_merged_are_the_one_machine_build_byte_for_byte(project: Path) -> None:
    formats = ["html", "json", "xlsx", "pdf"]
    one = api.build([project / "specs"], project / "one", formats=formats, jobs=2)
    assert one.errors == 0
    folders = _shards(project, formats)
    assert all(not list(f.rglob("_combined.*")) for f in folders)  # no shard makes a bundle
    merged = api.merge(folders, project / "merged")
    assert merged.diagnostics == []
    assert merged.forms == 12
    expected, written = _files(project / "one"), _files(project / "merged")
    assert sorted(written) == sorted(expected)
    bundles = [name for name in expected if "_combined" in name]
    assert len([b for b in bundles if b.endswith(".pdf")]) == 8  # eight folders
    assert len([b for b in bundles if b.endswith(".xlsx")]) == 8
    for name, data in expected.items():
        assert written[name] == data, name


def test_a_rebuild_keeps_the_folder_workbook_and_its_sheet_records(project: Path) -> None:
    out = project / "one"
    api.build([project / "specs"], out, formats=["json", "xlsx"])
    bundle = next(out.rglob("_combined.xlsx"))
    before = bundle.read_bytes()
    sheet = next((out / ".selfeval-sheets").rglob("*.json"))
    sheet.unlink()  # a lost sheet record: its form is built again, and the workbook
    again = api.build([project / "specs"], out, formats=["json", "xlsx"])
    assert again.built == 1
    assert sheet.is_file()
    assert bundle.read_bytes() == before


def _refused(shards: list[Path], out: Path) -> str:
    report = api.merge(shards, out)
    assert len(report.diagnostics) == 1, report.diagnostics
    assert not out.exists()  # nothing written
    return report.diagnostics[0].code


def test_shards_of_another_build_or_missing_or_twice_are_refused(project: Path) -> None:
    folders = _shards(project, ["json"])
    assert _refused(folders[:3], project / "m1") == "SE611"
    assert _refused([*folders, folders[0]], project / "m2") == "SE610"
    spec = next((project / "specs").rglob("*.yaml"))
    spec.write_text(spec.read_text("utf-8") + "\n# 改过\n", "utf-8")  # after shard 1 built
    api.build([project / "specs"], folders[1], formats=["json"], shard=(2, SHARDS))
    assert _refused(folders, project / "m3") == "SE609"
    other = _shards(project, ["json", "html"], "other")
    assert _refused([*other[:2], *folders[2:]], project / "m4") == "SE609"
    assert _refused([project / "specs"], project / "m5") == "SE611"  # not a shard


def test_hostile_shard_folders_are_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folders = _shards(project, ["json"])
    victim = next(f for f in folders if list(f.rglob("*.json")))
    target = next(p for p in victim.rglob("*.json") if not p.name.startswith("."))
    outside = project / "secret.json"
    outside.write_text("{}", "utf-8")
    saved = target.read_bytes()
    target.unlink()
    target.symlink_to(outside)  # a symlink out of the shard
    assert _refused(folders, project / "m1") == "SE612"
    target.unlink()
    target.write_bytes(saved)
    monkeypatch.setattr(merging, "MAX_FORM_FILE_BYTES", 10)  # a huge file
    assert _refused(folders, project / "m2") == "SE612"
    monkeypatch.undo()
    record = victim / MANIFEST_NAME  # a record naming a path out of the shard
    data = json.loads(record.read_text("utf-8"))
    first = next(iter(data["specs"].values()))
    first["outputs"] = ["../../secret.json"]
    record.write_text(json.dumps(data), "utf-8")
    assert _refused(folders, project / "m3") == "SE612"


def test_merge_on_the_command_line(project: Path) -> None:
    folders = _shards(project, ["json"])
    done = run_cli("merge", *map(str, folders[:2]), "-o", "m", cwd=project)
    assert done.returncode == 2
    assert "SE611" in done.stdout + done.stderr
    assert not (project / "m").exists()
    done = run_cli("merge", *map(str, folders), "-o", "m", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "合并了 12 份表单" in done.stdout + done.stderr


def test_the_shard_index_of_a_kubernetes_indexed_job(project: Path) -> None:
    env = {"JOB_COMPLETION_INDEX": "2", "SOURCE_DATE_EPOCH": "1700000000"}
    done = run_cli(
        "build", "specs", "-o", "k", "--format", "json", "--shard", "index/4", cwd=project, env=env
    )
    assert done.returncode == 0, done.stderr
    stamp = merging.ShardStamp.load(project / "k")
    assert stamp is not None
    assert (stamp.index, stamp.count) == (3, 4)
    bad = run_cli(
        "build",
        "specs",
        "-o",
        "k",
        "--shard",
        "index/4",
        cwd=project,
        env={**env, "JOB_COMPLETION_INDEX": ""},
    )
    assert bad.returncode == 2
    assert "JOB_COMPLETION_INDEX" in bad.stderr
    assert os.environ.get("JOB_COMPLETION_INDEX") is None


def test_a_stamp_naming_a_folder_out_of_the_merge_is_refused(project: Path) -> None:
    folders = _shards(project, ["json"])
    for folder in folders:  # forged alike in every shard, so they still agree
        stamp = folder / merging.STAMP_NAME
        data = json.loads(stamp.read_text("utf-8"))
        data["folders"] = {f"../../{k}": v for k, v in data["folders"].items()}
        stamp.write_text(json.dumps(data), "utf-8")
    assert _refused(folders, project / "m") == "SE611"

"""Shards building into one shared folder never forget each other's forms: ``--force`` on one
shard keeps the others' record entries and outputs, while a deleted spec's outputs are still
removed by whichever shard builds next."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import REPO

from selfeval_compiler import api
from selfeval_compiler.building.plan import record_key, shard
from selfeval_compiler.building.record import Manifest
from selfeval_compiler.sources.discovery import discover

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_specs import generate

FORMATS = ["json", "xlsx"]


def _held(out: Path) -> tuple[set[str], set[str]]:
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    return set(Manifest.load(out).specs), files


@pytest.mark.parametrize("count", [2, 3])
def test_a_forced_shard_keeps_the_others_and_a_deleted_spec_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    monkeypatch.chdir(tmp_path)
    specs, out = tmp_path / "specs", tmp_path / "out"
    generate(specs, 12)
    for k in range(1, count + 1):
        assert api.build([specs], out, formats=FORMATS, shard=(k, count)).errors == 0
    records, files = _held(out)
    assert len(records) == 12
    for k in range(1, count + 1):
        forced = api.build([specs], out, formats=["json"], shard=(k, count), force=True)
        assert forced.errors == 0
        assert forced.removed == []
        assert _held(out) == (records, files)
    spec_files, _ = discover([specs])
    last = shard(spec_files, count, count)
    victim = last[0]
    victim.path.unlink()
    stem = victim.relative.with_suffix("").as_posix()
    after = api.build([specs], out, formats=["json"], shard=(1, count))
    assert after.errors == 0
    left_records, left_files = _held(out)
    assert len(left_records) == 11
    gone = {f"{stem}.json", f"{stem}.xlsx", f".selfeval-sheets/{stem}.json"}
    assert gone <= files
    assert files - left_files >= gone
    bundle = f"{victim.relative.parent.as_posix()}/_combined.xlsx"
    assert not (out / bundle).exists()  # shards make no bundle: selfeval merge does
    assert Manifest.load(out).bundles == {}
    assert record_key(out, victim.path) not in Manifest.load(out).specs
    rebuilt = api.build([specs], out, formats=["json"], shard=(count, count))
    assert rebuilt.errors == 0
    assert _held(out)[1] == files - gone

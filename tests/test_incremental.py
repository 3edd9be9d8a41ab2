"""Incremental and parallel builds: skip what is current, redo what changed, remove the dead."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SEED_FOLDER

from selfeval_compiler import api
from selfeval_compiler.building.record import MANIFEST_NAME


class Recorder:
    def __init__(self) -> None:
        self.total = 0
        self.events: list[tuple[str, str]] = []

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, what: str, status: str) -> None:
        self.events.append((Path(what).name, status))

    def statuses(self) -> dict[str, str]:
        return dict(self.events)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)  # a repository root for the defaults search
    shutil.copytree(SEED_FOLDER, root / "specs" / "unit")
    return root


def build(
    root: Path, formats: tuple[str, ...] = ("html", "json"), jobs: int = 1, force: bool = False
) -> tuple[api.Report, Recorder]:
    recorder = Recorder()
    report = api.build(
        [root / "specs"], root / "out", formats=formats, progress=recorder, jobs=jobs, force=force
    )
    assert report.errors == 0, report.diagnostics
    return report, recorder


def outputs(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root / "out")): p.read_bytes()
        for p in sorted((root / "out").rglob("*"))
        if p.is_file() and p.name != MANIFEST_NAME
    }


def test_a_second_build_skips_everything(tree: Path) -> None:
    first, _ = build(tree)
    assert (first.built, first.skipped) == (5, 0)
    before = {p: p.stat().st_mtime_ns for p in (tree / "out").rglob("*.html")}
    second, recorder = build(tree)
    assert (second.built, second.skipped) == (0, 5)
    assert set(recorder.statuses().values()) == {"skipped"}
    assert {p: p.stat().st_mtime_ns for p in (tree / "out").rglob("*.html")} == before


def test_an_edit_rebuilds_that_form_only(tree: Path) -> None:
    build(tree)
    spec = tree / "specs/unit/03-hezuo-jiaoliu-zhuanxiang.yaml"
    spec.write_text(
        spec.read_text("utf-8").replace("executed: 13.33}", "executed: 20.00}"), encoding="utf-8"
    )
    report, recorder = build(tree)
    assert (report.built, report.skipped) == (1, 4)
    assert recorder.statuses()["03-hezuo-jiaoliu-zhuanxiang.yaml"] == "ok"
    assert '"total": "96.66"' in (tree / "out/unit/03-hezuo-jiaoliu-zhuanxiang.json").read_text(
        "utf-8"
    )


def test_a_defaults_change_rebuilds_every_form_it_applies_to(tree: Path) -> None:
    build(tree)
    defaults = tree / "specs/unit/_defaults.yaml"
    defaults.write_text(
        defaults.read_text("utf-8").replace("year: 2023", "year: 2024"), encoding="utf-8"
    )
    report, _ = build(tree)
    assert (report.built, report.skipped) == (5, 0)
    assert "（2024年度）" in (tree / "out/unit/01-jiguan-fuwufei.html").read_text("utf-8")


def test_a_profile_file_change_rebuilds_its_forms(tree: Path) -> None:
    profile = tree / "specs" / "district.profile.yaml"
    profile.write_text("extends: shanghai-municipal\n", encoding="utf-8")
    defaults = tree / "specs/unit/_defaults.yaml"
    defaults.write_text(
        defaults.read_text("utf-8").replace(
            "profile: shanghai-municipal", "profile: ../district.profile.yaml"
        ),
        encoding="utf-8",
    )
    build(tree)
    assert build(tree)[0].built == 0
    profile.write_text("extends: shanghai-municipal\nrounding: {mode: half-up}\n", encoding="utf-8")
    report, _ = build(tree)
    assert report.built == 5
    assert '"score": "8.94"' in (tree / "out/unit/01-jiguan-fuwufei.json").read_text("utf-8")


def test_missing_output_or_new_format_is_rebuilt(tree: Path) -> None:
    build(tree)
    (tree / "out/unit/02-kaiban-jingfei.html").unlink()
    assert build(tree)[0].built == 1
    report, _ = build(tree, ("html", "json", "pdf"))
    assert report.built == 5
    assert (tree / "out/unit/_combined.pdf").is_file()


def test_force_rebuilds_all(tree: Path) -> None:
    build(tree)
    assert build(tree, force=True)[0].built == 5


def test_deleted_spec_outputs_are_removed_and_nothing_else(tree: Path) -> None:
    build(tree)
    keep = tree / "out" / "notes.txt"
    keep.write_text("mine", encoding="utf-8")
    (tree / "specs/unit/05-hezuo-jiaoliu-yewufei.yaml").unlink()
    report, _ = build(tree)
    assert sorted(p.name for p in report.removed) == [
        "05-hezuo-jiaoliu-yewufei.html",
        "05-hezuo-jiaoliu-yewufei.json",
    ]
    assert not list((tree / "out").rglob("05-*"))
    assert keep.read_text("utf-8") == "mine"
    assert len(list((tree / "out" / "unit").glob("*.html"))) == 4


def test_building_one_file_never_removes_its_siblings_outputs(tree: Path) -> None:
    build(tree)
    one = tree / "specs/unit/01-jiguan-fuwufei.yaml"
    report = api.build([one], tree / "out" / "unit", formats=["html"], jobs=1)
    assert report.removed == []
    assert len(list((tree / "out" / "unit").glob("*.html"))) == 5


def test_bundle_redone_incrementally_equals_a_fresh_one(tree: Path) -> None:
    build(tree, ("pdf",))
    spec = tree / "specs/unit/03-hezuo-jiaoliu-zhuanxiang.yaml"
    spec.write_text(
        spec.read_text("utf-8").replace("executed: 13.33}", "executed: 20.00}"), encoding="utf-8"
    )
    report, _ = build(tree, ("pdf",))
    assert report.built == 1
    incremental = (tree / "out/unit/_combined.pdf").read_bytes()
    build(tree, ("pdf",), force=True)
    assert (tree / "out/unit/_combined.pdf").read_bytes() == incremental


def test_parallel_build_writes_the_same_bytes(tree: Path, tmp_path: Path) -> None:
    second = tmp_path / "second"
    shutil.copytree(tree, second)
    for index in range(6):  # a second folder, so there is work for two workers
        shutil.copytree(tree / "specs" / "unit", second / "specs" / f"unit{index}")
        shutil.copytree(tree / "specs" / "unit", tree / "specs" / f"unit{index}")
    build(tree, ("html", "json", "pdf"), jobs=1)
    report, recorder = build(second, ("html", "json", "pdf"), jobs=2)
    assert report.built == 35
    assert recorder.total == 35
    assert len(recorder.events) == 35
    assert outputs(tree) == outputs(second)


def test_html_only_build_never_imports_weasyprint(tree: Path) -> None:
    code = (
        "import sys\nfrom pathlib import Path\nfrom selfeval_compiler import api\n"
        f"api.build([Path({str(tree / 'specs')!r})], Path({str(tree / 'out')!r}),"
        " formats=['html', 'json'], jobs=2)\n"
        "print('weasyprint' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "False"

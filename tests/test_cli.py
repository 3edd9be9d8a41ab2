"""The command line end to end, as a user runs it, in separate processes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURES, REPO, SEED_FOLDER, SPECS, run_cli
from helpers import first_indicator, spec, write

from selfeval_compiler.building.record import MANIFEST_NAME


def test_check_clean_specs_exits_0() -> None:
    result = run_cli("check", "specs/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "检查了 5 个文件：0 个错误，0 个警告" in result.stdout


def test_check_defaults_to_specs_folder() -> None:
    assert run_cli("check").returncode == 0


def test_check_reports_every_problem_with_file_line_and_column(tmp_path: Path) -> None:
    data = first_indicator(score=40, actual="部分达成")
    data["funds"]["weight"] = 20
    data["bogus"] = 1
    write(tmp_path, data, "bad.yaml")
    write(tmp_path, spec(), "good.yaml")
    result = run_cli("check", str(tmp_path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{tmp_path}/bad.yaml:")
    assert " error SE101 未知的键“bogus”" in lines[0]
    assert "检查了 2 个文件：1 个错误，0 个警告" in result.stdout


def test_check_finds_score_problems_in_one_run(tmp_path: Path) -> None:
    data = first_indicator(score=40, actual="部分达成")
    data["funds"]["weight"] = 20
    write(tmp_path, data, "bad.yaml")
    result = run_cli("check", str(tmp_path / "bad.yaml"), "--format", "json")
    assert result.returncode == 1
    records = json.loads(result.stdout)
    found = {(r["code"], r["line"]) for r in records}
    text = (tmp_path / "bad.yaml").read_text("utf-8").splitlines()
    score_line = next(i for i, line in enumerate(text, 1) if "score: 40" in line)
    assert ("SE301", score_line) in found
    assert any(code == "SE501" for code, _ in found)
    assert all(r["file"].endswith("bad.yaml") and r["path"].startswith("$") for r in records)


def test_english_messages_and_github_annotations(tmp_path: Path) -> None:
    write(tmp_path, first_indicator(actual="15(次)"), "a.yaml")
    result = run_cli("check", str(tmp_path), "--lang", "en", "--format", "github")
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=")
    assert "title=SE307::score 22.50 is below the weight 30" in result.stdout


def test_strict_turns_warnings_into_failures(tmp_path: Path) -> None:
    # A fraction against a percentage target is a warning (SE310).
    data = first_indicator(target="≥90%", actual="0.95", deviation="按小数统计。")
    write(tmp_path, data, "a.yaml")
    assert run_cli("check", str(tmp_path)).returncode == 0
    assert run_cli("check", str(tmp_path), "--strict").returncode == 1


def test_usage_errors_exit_2() -> None:
    assert run_cli("check", "--format", "xml").returncode == 2
    assert run_cli("frobnicate").returncode == 2
    missing = run_cli("check", "no/such/folder")
    assert missing.returncode == 2
    assert "selfeval: 没有这个文件或目录：no/such/folder" in missing.stderr


def test_build_writes_nothing_for_a_spec_with_errors(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    write(specs, spec(), "good.yaml")
    write(specs, first_indicator(actual="15(次)"), "bad.yaml")
    before = {p: p.read_bytes() for p in specs.iterdir()}
    out = tmp_path / "out"
    result = run_cli("build", str(specs), "-o", str(out), "--format", "html", "--format", "json")
    assert result.returncode == 1
    assert "SE307" in result.stdout
    assert sorted(p.name for p in out.iterdir() if p.name != MANIFEST_NAME) == [
        "good.html",
        "good.json",
    ]
    assert {p: p.read_bytes() for p in specs.iterdir()} == before  # specs untouched


def test_build_refuses_output_folder_holding_specs(tmp_path: Path) -> None:
    shutil.copytree(SPECS, tmp_path / "specs")
    result = run_cli("build", "specs", "-o", ".", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert "输出目录" in result.stderr
    assert not (tmp_path / "shanghai-xinjiang-office").exists()


def test_build_output_mirrors_the_spec_tree(seed_build: Path) -> None:
    folder = seed_build / "shanghai-xinjiang-office"
    names = sorted(p.name for p in folder.iterdir())
    assert (seed_build / MANIFEST_NAME).is_file()
    assert "_combined.pdf" in names
    for stem in [p.stem for p in SEED_FOLDER.glob("[!_]*.yaml")]:
        for suffix in (".html", ".pdf", ".json"):
            assert f"{stem}{suffix}" in names
    assert not [n for n in names if n.endswith(".part")]


def test_check_does_not_import_weasyprint() -> None:
    code = (
        "import sys\n"
        "from selfeval_compiler.cli import app\n"
        "try:\n    app(['check', 'specs/'])\nexcept SystemExit as e:\n    code = e.code\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n"
        "print('clean', code)\n"
    )
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=FIXTURES, capture_output=True, text=True, check=False
    )
    assert "clean 0" in result.stdout, result.stdout + result.stderr


def test_sarif_report(tmp_path: Path) -> None:
    write(tmp_path, first_indicator(actual="15(次)"), "a.yaml")
    result = run_cli("check", str(tmp_path), "--format", "sarif")
    assert result.returncode == 1
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} >= {"SE301", "SE307"}
    (finding,) = run["results"]
    assert finding["ruleId"] == "SE307"
    assert finding["level"] == "error"
    region = finding["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] > 1
    assert region["startColumn"] >= 1


def test_every_problem_of_several_files_sorted_by_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, dict(first_indicator(actual="15(次)"), project="乙项目"), "b.yaml")
    bad = first_indicator(target="≥20(次)", actual="25(人)")
    bad["funds"]["current_year"]["executed"] = bad["funds"]["current_year"]["annual"] * 2
    write(tmp_path, bad, "a.yaml")
    result = run_cli("check", str(tmp_path), "--format", "json")
    records = json.loads(result.stdout)
    keys = [(r["file"], r["line"], r["column"]) for r in records]
    assert keys == sorted(keys)
    assert [r["code"] for r in records] == ["SE401", "SE306", "SE307"]


def test_parallel_check_reports_exactly_what_a_serial_check_does(tmp_path: Path) -> None:
    from selfeval_compiler import api

    cases = sorted((REPO / "tests" / "cases").glob("SE[1-5]*.yaml"))
    for index in range(api.PARALLEL_MINIMUM + 6):
        source = cases[index % len(cases)]
        shutil.copy(source, tmp_path / f"{index:03d}-{source.name}")
    serial = api.check([tmp_path], jobs=1, keep_forms=False)
    parallel = api.check([tmp_path], jobs=2, keep_forms=False)
    assert [d.message_zh for d in parallel.diagnostics] == [
        d.message_zh for d in serial.diagnostics
    ]
    assert parallel.diagnostics == serial.diagnostics
    assert len(parallel.compiled) == api.PARALLEL_MINIMUM + 6

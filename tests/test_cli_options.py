"""The command line's own behaviour: version, help language, uniform usage errors, debug."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, SPECS, run_cli

from selfeval_compiler import __version__


def test_version_option_and_command() -> None:
    for arguments in (["--version"], ["version"]):
        result = run_cli(*arguments)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"selfeval {__version__}"


@pytest.mark.parametrize(
    ("arguments", "env"),
    [
        (["--lang", "en", "--help"], {}),
        (["check", "--help", "--lang", "en"], {}),
        (["build", "--help"], {"SELFEVAL_LANG": "", "LANG": "en_US.UTF-8", "LC_ALL": ""}),
    ],
)
def test_help_speaks_english_when_asked(arguments: list[str], env: dict[str, str]) -> None:
    result = run_cli(*arguments, env=env)
    assert result.returncode == 0, result.stderr
    assert not any(
        "\u4e00" <= c <= "\u9fff"
        for c in result.stdout.replace("财政项目支出绩效自评表", "").replace(
            "执行率, 得分, 总分, 评分等级", ""
        )
    ), result.stdout


def test_help_is_chinese_by_default() -> None:
    result = run_cli("build", "--help", env={"SELFEVAL_LANG": "", "LANG": "", "LC_ALL": ""})
    assert "输出目录" in result.stdout


def test_boolean_flags_are_shown_as_flags() -> None:
    result = run_cli("build", "--help", "--lang", "en")
    assert "--strict  " in result.stdout
    assert "<bool>" not in result.stdout
    assert "--force  " in result.stdout


@pytest.mark.parametrize(
    ("arguments", "zh", "en"),
    [
        (["check", "--format", "xml"], "--format 只能是", "--format must be one of"),
        (["build", "--format", "xml"], "--format 只能是", "--format must be one of"),
        (["diff", "--format", "xml"], "--format 只能是", "--format must be one of"),
        (["check", "--lang", "fr"], "--lang 只能是", "--lang must be one of"),
    ],
)
def test_bad_option_values_are_reported_alike(arguments: list[str], zh: str, en: str) -> None:
    chinese = run_cli(*arguments)
    assert chinese.returncode == 2
    assert chinese.stderr.startswith("selfeval: ")
    assert zh in chinese.stderr
    if "--lang" not in arguments:
        english = run_cli(*arguments, "--lang", "en")
        assert english.returncode == 2
        assert english.stderr.startswith("selfeval: ")
        assert en in english.stderr


_CRASH = (
    "import sys\n"
    "from selfeval_compiler import api\n"
    "from selfeval_compiler.cli import main\n"
    "def broken(*a, **k):\n    raise RuntimeError('boom')\n"
    "api.check = broken\n"
    "sys.argv = ['selfeval', 'check', 'specs/']\n"
    "main()\n"
)


@pytest.mark.parametrize("debug", [False, True])
def test_internal_error_has_its_code_and_traceback_on_request(debug: bool) -> None:
    env = {"SELFEVAL_DEBUG": "1" if debug else "0", "SELFEVAL_LANG": "en"}
    result = subprocess.run(
        [sys.executable, "-c", _CRASH],
        cwd=FIXTURES,
        capture_output=True,
        text=True,
        check=False,
        env={**__import__("os").environ, **env},
    )
    assert result.returncode == 2
    assert "error SE999 internal error in selfeval: RuntimeError: boom" in result.stderr
    assert ("Traceback (most recent call last)" in result.stderr) is debug


def test_a_bad_environment_setting_is_a_usage_error() -> None:
    result = run_cli("check", env={"SELFEVAL_RENDER_SECONDS": "abc"})
    assert result.returncode == 2
    assert "SELFEVAL_RENDER_SECONDS=abc" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_path_is_a_usage_error_in_every_command(tmp_path: Path) -> None:
    for command in ("check", "build"):
        result = run_cli(command, cwd=tmp_path)
        assert result.returncode == 2, command
        assert result.stderr.startswith("selfeval: 没有表单目录 specs"), result.stderr
        assert "重叠" not in result.stderr


@pytest.mark.slow
def test_a_failed_write_is_one_finding_and_exit_2_in_every_command(tmp_path: Path) -> None:
    """One exit rule: an output folder that takes no file is one SE904 naming it, exit 2,
    whichever command writes there (before, import and rollover said 1, one per file)."""
    nowhere = "/proc/selfeval-cannot-write-here"
    specs = str(SPECS)
    runs = {
        "build": run_cli("build", specs, "-o", nowhere, "--format", "html", "-q", cwd=tmp_path),
        "rollover": run_cli("rollover", specs, "--year", "2024", "-o", nowhere, cwd=tmp_path),
        "import": run_cli(
            "import", str(REPO / "examples/goals/chaiwei-2026.yaml"), "-o", nowhere, cwd=tmp_path
        ),
    }
    run_cli("build", specs, "-o", str(tmp_path / "out"), "--format", "json", "-q", cwd=tmp_path)
    runs["summary"] = run_cli("summary", str(tmp_path / "out"), "-o", nowhere, cwd=tmp_path)
    for command, run in runs.items():
        assert run.returncode == 2, (command, run.stdout, run.stderr)
        assert (run.stdout + run.stderr).count("SE904") == 1, (command, run.stdout)
        assert "Traceback" not in run.stderr
    made = run_cli("new", f"{nowhere}/a.yaml", cwd=tmp_path)
    assert made.returncode == 2
    assert made.stderr.startswith("selfeval: ")


def _main(monkeypatch: pytest.MonkeyPatch, *arguments: str) -> object:
    """Run the entry point in this process: its exit code (stderr is left to capsys)."""
    from selfeval_compiler.cli.app import main

    monkeypatch.setattr(sys, "argv", ["selfeval", *arguments])
    with pytest.raises(SystemExit) as stopped:
        main()
    return stopped.value.code


ODD_SHARDS = ["²/4", "١/٣", "１/２", "9" * 5000 + "/2", "1/" + "9" * 5000, "0/0", "-1/2", " 1/2"]


@pytest.mark.parametrize("given", [*ODD_SHARDS, "1 / 2", "3/2", "1/1001", "½", "1/2/3"])
def test_odd_shards_are_usage_errors_that_state_the_range(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, given: str
) -> None:
    out = str(tmp_path / "out")
    code = _main(monkeypatch, "build", str(SPECS), "--shard", given, "-o", out)
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("selfeval: --shard "), err
    assert "1 ≤ K ≤ N ≤ 1000" in err
    assert "SE999" not in err
    assert "Traceback" not in err
    assert len(err) < 200  # a 5,000-digit number is not echoed in full
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SOURCE_DATE_EPOCH", "-1", "253402300799"),
        ("SOURCE_DATE_EPOCH", "1" + "0" * 20, "253402300799"),
        ("SOURCE_DATE_EPOCH", "253402300800", "253402300799"),  # 10000-01-01
        ("SOURCE_DATE_EPOCH", "١٧٠٠٠٠٠٠٠٠", "253402300799"),
        ("SOURCE_DATE_EPOCH", "１７００００００００", "253402300799"),
        ("SOURCE_DATE_EPOCH", "", "253402300799"),
        ("SOURCE_DATE_EPOCH", "1e9", "253402300799"),
        ("SELFEVAL_RENDER_SECONDS", "１２０", "1–3600"),
        ("SELFEVAL_RENDER_MEMORY_MB", "١٠٢٤", "256–65536"),
        ("SELFEVAL_LOCK_SECONDS", "²", "0–86400"),
        ("SELFEVAL_LOCK_SECONDS", "9" * 5000, "0–86400"),
    ],
)
def test_settings_out_of_range_or_in_other_digits_are_usage_errors(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    expected: str,
) -> None:
    monkeypatch.setenv(name, value)
    code = _main(monkeypatch, "check", str(SPECS), "--lang", "en")
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"selfeval: the environment variable {name}="), err
    assert expected in err
    assert "SE999" not in err
    assert "Traceback" not in err


def test_the_last_epoch_prints_the_last_second_of_year_9999(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from selfeval_compiler.building.dates import creation_dates

    spec = tmp_path / "a.yaml"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    assert creation_dates([spec]) == {spec: "9999-12-31T23:59:59+00:00"}

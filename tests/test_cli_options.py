"""The command line's own behaviour: version, help language, uniform usage errors, debug."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_cli

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
        cwd=REPO,
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
    specs = str(REPO / "specs")
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

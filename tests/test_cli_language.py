"""Each language switch: the global ``--lang``, ``LANGUAGE`` and the locale, ``serve --lang``,
``diff``'s header, Click's own usage errors; and ``-h``, the formats in ``--help``, completion."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, SEED_FOLDER, run_cli

from selfeval_compiler import api
from selfeval_compiler.cli import click_texts
from selfeval_compiler.diagnostics.formats import default_language
from selfeval_compiler.diff import formats as diff_formats
from selfeval_compiler.preview.serve import start

UNSET = {"SELFEVAL_LANG": "", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _closing_line(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "arguments",
    [
        ["--lang", "en", "check", "specs/"],
        ["--lang=en", "check", "specs/"],
        ["check", "specs/", "--lang", "en"],
        ["--lang", "zh", "check", "specs/", "--lang", "en"],  # the subcommand's own wins
    ],
)
def test_lang_before_or_after_the_subcommand_speaks_english(arguments: list[str]) -> None:
    result = run_cli(*arguments)
    assert result.returncode == 0, result.stderr
    assert _closing_line(result) == "5 file(s) checked: 0 error(s), 0 warning(s)"


def test_global_lang_zh_under_an_english_environment() -> None:
    result = run_cli("--lang", "zh", "check", "specs/", env={**UNSET, "LANGUAGE": "en"})
    assert _closing_line(result) == "检查了 5 个文件：0 个错误，0 个警告"


def test_a_bad_global_lang_is_a_usage_error() -> None:
    result = run_cli("--lang", "fr", "check", "specs/")
    assert result.returncode == 2
    assert "--lang 只能是" in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANGUAGE": "en"}, "en"),
        ({"LANGUAGE": "en_US:en"}, "en"),
        ({"LANGUAGE": "fr:en"}, "en"),  # the first entry naming a language selfeval speaks
        ({"LANGUAGE": "zh_CN"}, "zh"),
        ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LANGUAGE": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LANG": "C.UTF-8"}, "zh"),
        ({"LANG": "english"}, "zh"),  # not a locale name that says English
        ({"SELFEVAL_LANG": "zh", "LANGUAGE": "en"}, "zh"),
        ({}, "zh"),
    ],
)
def test_the_environment_chooses_the_language(
    env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {**UNSET, **env}.items():
        monkeypatch.setenv(name, value)
    assert default_language() == expected


def test_language_env_reaches_the_command_line() -> None:
    english = run_cli("check", "specs/", env={**UNSET, "LANGUAGE": "en_US:en"})
    assert _closing_line(english) == "5 file(s) checked: 0 error(s), 0 warning(s)"
    chinese = run_cli("check", "specs/", env={**UNSET, "LANGUAGE": "zh_CN"})
    assert _closing_line(chinese) == "检查了 5 个文件：0 个错误，0 个警告"


USAGE_ERRORS = [
    (["check", "--nope"], "错误：没有选项 --nope", "Error: No such option: --nope"),
    (["import"], "错误：缺少参数 'FILE…'", "Error: Missing argument 'FILE…'."),
    (
        ["rollover", "specs/", "-o", "x"],
        "错误：缺少选项 '--year'",
        "Error: Missing option '--year'.",
    ),
    (["new", "a.yaml", "b.yaml"], "错误：多余的参数：b.yaml", "Got unexpected extra argument"),
    (
        ["build", "--jobs", "x"],
        "错误：'-j' / '--jobs' 的值无效：应为整数",
        "Error: Invalid value for '-j' / '--jobs':",
    ),
    (
        ["build", "--jobs", "0"],
        "错误：'-j' / '--jobs' 的值无效：不能小于 1",
        "Error: Invalid value for '-j' / '--jobs':",
    ),
    (["build", "-o"], "错误：选项 '-o' 后面要给一个值", "Error: Option '-o' requires an argument."),
    (["bogus"], "错误：没有命令 'bogus'", "Error: No such command 'bogus'."),
]


@pytest.mark.parametrize(("arguments", "zh", "en"), USAGE_ERRORS)
def test_clicks_usage_errors_in_both_languages(arguments: list[str], zh: str, en: str) -> None:
    chinese = run_cli(*arguments)
    assert chinese.returncode == 2, chinese.stderr
    assert zh in chinese.stderr
    assert not re.search(r"\b(Usage|Error|Try)\b", chinese.stderr), chinese.stderr
    english = run_cli("--lang", "en", *arguments)
    assert english.returncode == 2, english.stderr
    assert en in english.stderr
    assert not CJK.search(english.stderr), english.stderr


def test_a_usage_error_with_its_usage_line_and_hint() -> None:
    chinese = run_cli("check", "--nope")
    assert chinese.stderr.splitlines()[:2] == [
        "用法：selfeval check [OPTIONS] [PATHS…]...",
        "运行 'selfeval check --help' 查看帮助。",
    ]
    english = run_cli("check", "--nope", "--lang", "en")
    assert english.stderr.splitlines()[:2] == [
        "Usage: selfeval check [OPTIONS] [PATHS…]...",
        "Try 'selfeval check --help' for help.",
    ]


def test_every_translated_sentence_is_still_one_typer_writes() -> None:
    """A rule that matches nothing Typer prints any more is dead; each rule's sentence is
    produced by the real parser in the test above or here."""
    produced = [
        "No such option: --x (Possible options: --xy)",
        "Missing command.",
        "Option '--a' does not take a value.",
        "Value 'q' is not a valid int.",
    ]
    for sentence in produced:
        assert click_texts.message_in(sentence, "zh") != sentence
        assert click_texts.message_in(sentence, "en") == sentence
    assert click_texts.message_in("Something new.", "zh") == "Something new."


@pytest.mark.parametrize(
    ("arguments", "heading"),
    [
        (["-h"], "用法：selfeval [OPTIONS] COMMAND [ARGS]..."),
        (["check", "-h"], "用法：selfeval check [OPTIONS] [PATHS…]..."),
        (["--lang", "en", "build", "-h"], "Usage: selfeval build [OPTIONS] [PATHS…]..."),
    ],
)
def test_h_is_help(arguments: list[str], heading: str) -> None:
    result = run_cli(*arguments)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == heading
    assert "-h, --help" in result.stdout


def test_chinese_help_has_no_english_headings() -> None:
    result = run_cli("build", "--help")
    assert "选项：" in result.stdout or "选项:" in result.stdout
    assert "显示本帮助并退出。" in result.stdout
    assert not re.search(r"^(Usage|Options|Arguments):", result.stdout, re.MULTILINE)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_lists_every_format(lang: str) -> None:
    result = run_cli("build", "--help", "--lang", lang)
    flat = " ".join(result.stdout.split())
    for name in api.FORMATS:
        assert name in flat.split("--format FORMAT", 1)[1].split("--strict", 1)[0], name
    assert "xlsx" in run_cli("--help", "--lang", lang).stdout


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_script(shell: str) -> None:
    result = run_cli("completion", shell)
    assert result.returncode == 0, result.stderr
    assert "_SELFEVAL_COMPLETE=complete_" + shell in result.stdout
    assert ("compdef" in result.stdout) == (shell == "zsh")
    assert ("complete -o default" in result.stdout) == (shell == "bash")
    refused = run_cli("completion", "fish")
    assert refused.returncode == 2
    assert "bash、zsh" in refused.stderr


def _complete(env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "selfeval_compiler"],
        cwd=REPO,
        env={**os.environ, "SELFEVAL_LANG": "en", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.stdout


def test_bash_completes_a_subcommand_by_the_environment_protocol() -> None:
    found = _complete(
        {
            "_SELFEVAL_COMPLETE": "complete_bash",
            "COMP_WORDS": "selfeval ch",
            "COMP_CWORD": "1",
        }
    )
    assert found.split() == ["check"]


def test_zsh_completes_an_option_by_the_environment_protocol() -> None:
    found = _complete(
        {"_SELFEVAL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "selfeval build --fo"}
    )
    assert '"--format"' in found
    assert '"--force"' in found


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return str(response.read().decode("utf-8"))


def test_serve_lang_en_serves_english_pages(tmp_path: Path) -> None:
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    shutil.copytree(SEED_FOLDER.parent, tmp_path / "specs")
    bad = tmp_path / "specs" / SEED_FOLDER.name / "01-jiguan-fuwufei.yaml"
    spec_text = bad.read_text("utf-8").replace(
        "project: 机关服务费\n", "project: 机关服务费\nyear: 2023年\n"
    )
    bad.write_text(spec_text, "utf-8")
    server, stop = start([tmp_path / "specs"], "127.0.0.1", 0, lang="en")
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        index = _get(base + "/")
        assert '<html lang="en">' in index
        assert "<th>project</th>" in index
        assert "全部表单" not in index
        entry = next(
            e for e in server.workspace.entries.values() if e.spec_file.path.name.startswith("01")
        )
        form = _get(f"{base}/form/{entry.id}")
        assert "download PDF" in form
        assert "problems (" in form
        problems = form.split('<aside id="diagnostics">', 1)[1]
        assert "line " in problems
        assert not CJK.search(problems.replace("2023年", "")), problems
        changes = _get(base + "/changes")
        assert "<strong>changes since HEAD</strong>" in changes
        assert not CJK.search(changes), changes  # no git here: the refusal, in English
    finally:
        stop()


def test_serve_is_chinese_by_default(tmp_path: Path) -> None:
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    shutil.copytree(SEED_FOLDER.parent, tmp_path / "specs")
    server, stop = start([tmp_path / "specs"], "127.0.0.1", 0)
    try:
        index = _get(f"http://127.0.0.1:{server.server_address[1]}/")
        assert '<html lang="zh-CN">' in index
        assert "<th>项目名称</th>" in index
    finally:
        stop()


def test_diff_header_names_the_working_tree_in_the_language(repo: Path) -> None:
    report = api.diff([], "HEAD", None, cwd=repo)
    english = diff_formats.render(report, "text", "en").splitlines()[0]
    assert re.fullmatch(r"selfeval diff HEAD \([0-9a-f]+\) → working tree", english), english
    chinese = diff_formats.render(report, "text", "zh").splitlines()[0]
    assert chinese.endswith("→ 工作区"), chinese
    markdown = diff_formats.render(report, "markdown", "en").splitlines()[0]
    assert markdown.endswith("→ working tree"), markdown

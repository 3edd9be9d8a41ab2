"""selfeval new, the pre-commit hook and the CI examples: valid, and calling real commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from conftest import REPO, run_cli

from selfeval_compiler import api


def test_new_scaffolds_a_spec_that_check_walks_through(tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "selfeval.schema.json").write_text("{}", encoding="utf-8")
    target = tmp_path / "specs" / "unit" / "form.yaml"
    result = run_cli("new", str(target), "--year", "2024")
    assert result.returncode == 0, result.stderr
    text = target.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/selfeval.schema.json\n")
    assert "year: 2024" in text
    assert "# 项目名称" in text
    report = api.check([target])
    codes = {d.code for d in report.diagnostics}
    assert codes == {"SE104"}  # only the blanks to fill: structure, keys and weights are right
    filled = re.sub(r'""', "已填写", text.replace('actual: ""', "actual: 达成指标"))
    target.write_text(filled, encoding="utf-8")
    names = iter(range(100))
    target.write_text(
        re.sub(r"name: 已填写", lambda _: f"name: 指标{next(names)}", filled), encoding="utf-8"
    )
    assert api.check([target]).diagnostics == []


def test_new_goals_scaffolds_a_spring_spec_that_check_walks_through(tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "goals.schema.json").write_text("{}", encoding="utf-8")
    target = tmp_path / "specs" / "form.yaml"
    result = run_cli("new", "--form", "goals", str(target), "--year", "2026")
    assert result.returncode == 0, result.stderr
    text = target.read_text("utf-8")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schema/goals.schema.json"
    assert lines[1].startswith("stage: 申报 ")
    data = yaml.safe_load(text)
    for key in ("project_nature", "project_category", "start_date", "end_date"):
        assert data[key] == ""
    assert set(data["project_funds"]) == {"total", "fiscal", "other"}
    assert {key: set(row) for key, row in data["funds"].items()} == {
        "current_year": {"initial"},
        "carried_over": {"initial"},
        "other": {"initial"},
    }
    assert set(data["goals"]) == {"overall", "expected"}
    items = [i for groups in data["indicators"].values() for g in groups.values() for i in g]
    assert all(set(item) == {"name", "target"} for item in items)
    assert "# 项目性质" in text
    report = api.check([target], form="goals")
    blanks = [(n, t.count('""')) for n, t in enumerate(lines, 1) if '""' in t]
    found = [d.location.line for d in report.diagnostics]
    assert sorted(found) == [n for n, count in blanks for _ in range(count)]  # every blank
    filled = text.replace('""', "已填写")
    names = iter(range(100))
    target.write_text(
        re.sub(r"name: 已填写", lambda _: f"name: 指标{next(names)}", filled), "utf-8"
    )
    assert api.check([target], form="goals").diagnostics == []


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "form.yaml"
    target.write_text("mine\n", encoding="utf-8")
    result = run_cli("new", str(target))
    assert result.returncode == 2
    assert target.read_text("utf-8") == "mine\n"


def test_new_leaves_identity_to_the_defaults_file(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "_defaults.yaml").write_text("year: 2023\ndepartment: 局\nunit: 处\n", "utf-8")
    target = tmp_path / "unit" / "form.yaml"
    assert run_cli("new", str(target)).returncode == 0
    text = target.read_text("utf-8")
    assert "department:" not in text
    assert "../_defaults.yaml" in text


def _selfeval_commands(text: str) -> list[list[str]]:
    commands = []
    for line in text.splitlines():
        for match in re.finditer(r"(?:^|[\s;|&(])(selfeval\s[^|>;&\n]*)", line):
            commands.append(shlex.split(match.group(1).replace("$", "X"), posix=True))
    return commands


def _assert_commands_exist(commands: list[list[str]]) -> None:
    assert commands
    for words in commands:
        subcommand = words[1]
        help_text = run_cli(subcommand, "--help", env={"SELFEVAL_LANG": "en"}).stdout
        assert "Usage" in help_text, words
        for word in words[2:]:
            if word.startswith("--"):
                assert word.split("=")[0] in help_text, (words, word)


def test_ci_examples_are_valid_yaml_calling_real_commands() -> None:
    github = yaml.safe_load((REPO / "examples/ci/github-actions.yml").read_text("utf-8"))
    steps = github["jobs"]["forms"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    _assert_commands_exist(_selfeval_commands(runs))
    gitlab = yaml.safe_load((REPO / "examples/ci/gitlab-ci.yml").read_text("utf-8"))
    _assert_commands_exist(_selfeval_commands("\n".join(gitlab["selfeval"]["script"])))
    assert {"check", "build", "diff"} <= {words[1] for words in _selfeval_commands(runs)}


def test_pre_commit_hook_definition() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "selfeval-check"
    assert hook["language"] == "python"
    entry = hook["entry"].split()
    assert "--hook" in entry
    _assert_commands_exist([entry])
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for name, is_spec in [
        ("specs/a/01.yaml", True),
        ("specs/a/_defaults.yaml", True),  # --hook checks the specs it applies to
        ("specs/a/_notes.yaml", False),
        ("profiles/hubei.profile.yaml", False),
        ("README.md", False),
        (".pre-commit-config.yaml", False),
        (".github/workflows/selfeval.yml", False),
        (".gitlab-ci.yml", False),
        ("mkdocs.yml", False),
    ]:
        assert (bool(files.search(name)) and not exclude.search(name)) is is_spec, name

"""``selfeval init``: a bureau's own repository for its forms (issue #22)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_cli

from selfeval_compiler import __version__

CI = REPO / "examples" / "ci"
COMMON = [
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    "specs/示例单位/_defaults.yaml",
    "specs/示例单位/示例项目.yaml",
]


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("ci", "placed", "template"),
    [
        ("github", ".github/workflows/selfeval.yml", "github-actions.yml"),
        ("gitlab", ".gitlab-ci.yml", "gitlab-ci.yml"),
        ("none", None, None),
    ],
)
def test_init_lays_out_a_repository_that_checks_and_builds(
    tmp_path: Path, ci: str, placed: str | None, template: str | None
) -> None:
    target = tmp_path / "bureau"
    done = run_cli("init", str(target), "--ci", ci)
    assert done.returncode == 0, done.stdout + done.stderr
    expected = sorted([*COMMON, *([placed] if placed else [])])
    assert _files(target) == expected
    assert f"写出 {len(expected)} 个文件" in done.stdout
    if placed and template:
        assert (target / placed).read_bytes() == (CI / template).read_bytes()
    assert "build/" in (target / ".gitignore").read_text("utf-8").splitlines()
    readme = (target / "README.md").read_text("utf-8")
    assert f"selfeval=={__version__}" in readme
    assert "检查全部表单" in readme
    # The example checks clean and builds, from the repository's root, as its README says.
    (target / ".git").mkdir()  # the project root, as git init would mark it
    checked = run_cli("check", cwd=target)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run_cli("build", "--format", "html", "--format", "json", "-q", cwd=target)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (target / "build" / "示例单位" / "示例项目.json").is_file()


def test_the_hook_is_the_one_selfeval_offers(tmp_path: Path) -> None:
    """The local hook runs the installed (pinned) selfeval with the offered hook's settings."""
    assert run_cli("init", str(tmp_path / "b"), "--ci", "none").returncode == 0
    config = yaml.safe_load((tmp_path / "b" / ".pre-commit-config.yaml").read_text("utf-8"))
    (repository,) = config["repos"]
    assert repository["repo"] == "local"
    (hook,) = repository["hooks"]
    (offered,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    for key in ("id", "entry", "files", "exclude", "require_serial", "verbose"):
        assert hook[key] == offered[key], key
    assert hook["language"] == "system"


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep", encoding="utf-8")
    refused = run_cli("init", str(tmp_path), "--lang", "en")
    assert refused.returncode == 2
    assert "not empty" in refused.stderr
    assert "--force" in refused.stderr
    assert _files(tmp_path) == ["notes.txt"]


def test_force_writes_only_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("our own readme\n", encoding="utf-8")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    workflow = tmp_path / ".github" / "workflows" / "selfeval.yml"
    workflow.write_text("name: ours\n", encoding="utf-8")
    done = run_cli("init", str(tmp_path), "--force")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "README.md").read_text("utf-8") == "our own readme\n"
    assert workflow.read_text("utf-8") == "name: ours\n"
    assert "保留（已存在）" in done.stdout
    assert "保留已有的 2 个" in done.stdout
    assert (tmp_path / "specs" / "示例单位" / "示例项目.yaml").is_file()
    again = run_cli("init", str(tmp_path), "--force")  # nothing missing: nothing written
    assert again.returncode == 0
    assert "写出 0 个文件" in again.stdout


def test_force_never_writes_through_a_symlink(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = tmp_path / "bureau"
    target.mkdir()
    (target / "specs").symlink_to(elsewhere)
    refused = run_cli("init", str(target), "--force", "--lang", "en")
    assert refused.returncode == 2
    assert "symlink" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not any(elsewhere.iterdir())


def test_a_symlinked_file_is_kept_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    target = tmp_path / "bureau"
    target.mkdir()
    (target / "README.md").symlink_to(victim)  # dangling: opening it would create the victim
    assert run_cli("init", str(target), "--force").returncode == 0
    assert not victim.exists()
    assert (target / "README.md").is_symlink()


@pytest.mark.parametrize(
    "name", ["-dash", "with space", "新 仓库", "line\nbreak", "tab\there", "$(touch x)", "..."]
)
def test_hostile_folder_names(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    done = run_cli("init", "--ci", "gitlab", "--", str(target))
    assert done.returncode == 0, done.stdout + done.stderr
    assert (target / ".gitlab-ci.yml").is_file()
    assert not (tmp_path / "x").exists()
    assert "\t" not in done.stdout.replace("\n", "")
    last = done.stdout.strip().splitlines()[-1]
    assert "写出 6 个文件" in last  # one line, the name quoted for a shell


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--ci", "jenkins"], "--ci must be one of"),
        (["--ci", ""], "--ci must be one of"),
    ],
)
def test_bad_ci_is_a_usage_error(tmp_path: Path, arguments: list[str], expected: str) -> None:
    refused = run_cli("init", str(tmp_path / "b"), *arguments, "--lang", "en")
    assert refused.returncode == 2
    assert expected in refused.stderr
    assert not (tmp_path / "b").exists()


def test_a_file_or_a_path_through_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    for target in (blocker, blocker / "sub"):
        refused = run_cli("init", str(target), "--lang", "en")
        assert refused.returncode == 2, refused.stdout
        assert refused.stderr.startswith("selfeval: ")
        assert "Traceback" not in refused.stderr
    assert blocker.read_text("utf-8") == "x"


def test_init_in_the_current_folder(tmp_path: Path) -> None:
    done = run_cli("init", "--ci", "none", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _files(tmp_path) == COMMON
    assert os.path.isfile(tmp_path / "specs" / "示例单位" / "_defaults.yaml")

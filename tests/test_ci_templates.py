"""Every line of every CI template (examples/ci/*.yml) run on a bureau's repository with
history (issue #18 B).

Each job's shell lines run in bash as the runner would run them (GitHub: one shell per
``run:`` step, ``bash -e``; GitLab: ``before_script`` and ``script`` in one shell, ``set -eo
pipefail``), with the CI variables set for every shard. Only commands that need the world
outside the machine are replaced, by shell functions that record their call instead:
:data:`OUTSIDE` (``apt-get``, ``pip``, ``gh``, ``curl``); each test asserts exactly which
calls were replaced. ``git fetch`` runs for real, against the repository's own ``origin``, and
so does ``pip install "$SELFEVAL_PACKAGE"``: into a new venv, from the wheel this checkout
builds and a folder of its dependencies' wheels (as from a bureau's intranet mirror: ``pip``
is given no index, only that folder), so each job's ``selfeval`` is the released package.
The ``uses:`` steps and the runners' artifact and cache handling are done by the test, as
their documentation describes them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from bureau import BASE_BRANCH, PASSED_ON, with_history
from conftest import REPO
from wheels import Release, empty_venv

from selfeval_compiler import __version__

CI = REPO / "examples" / "ci"
OUTSIDE = ("apt-get", "gh", "curl")
"""Commands that reach the network: recorded, not run."""
SHARDS = 4

PRELUDE = (
    """
replaced() { printf '%s\\n' "$*" >> "$CI_TEST_REPLACED"; }
sudo() { "$@"; }
"""
    + "".join(f'{name}() {{ replaced {name} "$@"; }}\n' for name in OUTSIDE)
    + """
pip() {
  printf 'pip %s\n' "$*" >> "$CI_TEST_INSTALLED"
  command pip "$@"
}
selfeval() {
  local rc=0
  command selfeval "$@" || rc=$?
  printf '%s selfeval %s\\n' "$rc" "$*" >> "$CI_TEST_RAN"
  return $rc
}
"""
)


@dataclass
class Runner:
    """Runs a job's shell lines in a workspace and keeps what they did."""

    logs: Path
    release: Release
    bin_folder: Path
    """The job's Python (``setup-python``, ``image: python``): a venv with pip alone."""
    replaced: list[str] = field(default_factory=list)
    installed: list[str] = field(default_factory=list)
    ran: list[tuple[int, str]] = field(default_factory=list)

    def run(self, workspace: Path, script: str, variables: Mapping[str, str], shell: str) -> None:
        replaced, ran = self.logs / "replaced", self.logs / "ran"
        installed = self.logs / "installed"
        for log in (replaced, ran, installed):
            log.write_text("", encoding="utf-8")
        env = {
            "PATH": f"{self.bin_folder}:/usr/bin:/bin",
            "HOME": str(self.logs),
            "SELFEVAL_LANG": "zh",
            "PIP_NO_INDEX": "1",
            "PIP_FIND_LINKS": str(self.release.wheelhouse),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "CI_TEST_REPLACED": str(replaced),
            "CI_TEST_RAN": str(ran),
            "CI_TEST_INSTALLED": str(installed),
            **PASSED_ON,
            **variables,
        }
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-c", f"{shell}\n{PRELUDE}\n{script}"],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        self.replaced += replaced.read_text("utf-8").splitlines()
        self.installed += installed.read_text("utf-8").splitlines()
        for line in ran.read_text("utf-8").splitlines():
            code, command = line.split(" ", 1)
            self.ran.append((int(code), command))
        assert done.returncode == 0, (script, done.stdout, done.stderr)


def _count_selfeval_lines(scripts: list[str]) -> int:
    return sum(
        len(re.findall(r"(?:^|[\s;&|(])selfeval\s", line))
        for script in scripts
        for line in script.splitlines()
        if not line.lstrip().startswith("#")
    )


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    return with_history(tmp_path / "bureau")


@pytest.fixture
def runner(tmp_path: Path, release: Release) -> Runner:
    """A runner whose Python has nothing installed yet: the template's lines install it."""
    return Runner(tmp_path, release, empty_venv(tmp_path / "python"))


def _installed_selfeval(runner: Runner) -> None:
    """The template's pip line put the released selfeval in the job's Python."""
    done = subprocess.run(
        [str(runner.bin_folder / "selfeval"), "--version"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.stdout == f"selfeval {__version__}\n"


def _checkout(repository: Path, workspace: Path) -> Path:
    """actions/checkout with fetch-depth 0, or GitLab's clone with GIT_DEPTH 0."""
    subprocess.run(
        ["git", "clone", "-q", str(repository), str(workspace)], check=True, capture_output=True
    )
    return workspace


def _load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((CI / name).read_text("utf-8"))
    assert isinstance(data, dict)
    return data


# --- GitHub Actions ---------------------------------------------------------------------

GITHUB_KNOWN_ACTIONS = {
    "actions/checkout@v4",
    "actions/setup-python@v5",
    "actions/cache@v4",
    "actions/upload-artifact@v4",
    "actions/download-artifact@v4",
}


def _github_expressions(text: str, values: Mapping[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        assert name in values, f"a template uses ${{{{ {name} }}}}, which the test does not set"
        return values[name]

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def _github_condition(condition: str | None, event: str) -> bool:
    if condition is None:
        return True
    assert condition == "github.event_name == 'pull_request'", condition
    return event == "pull_request"


def _github_job(
    job: dict[str, Any],
    workspace: Path,
    runner: Runner,
    values: Mapping[str, str],
    artifacts: Path,
    event: str,
    workflow_env: Mapping[str, str],
) -> list[str]:
    """The steps of one job; returns the shell scripts it ran."""
    scripts = []
    for step in job["steps"]:
        if not _github_condition(step.get("if"), event):
            continue
        uses = step.get("uses")
        if uses is not None:
            assert uses in GITHUB_KNOWN_ACTIONS, uses
            if uses == "actions/upload-artifact@v4":
                source = workspace / _github_expressions(step["with"]["path"], values)
                name = _github_expressions(step["with"]["name"], values)
                # if-no-files-found defaults to "warn": no files, no artifact; hidden files
                # (.selfeval-*) are left out unless include-hidden-files is true (v4.4 on)
                hidden = step["with"].get("include-hidden-files", False) is True
                ignore = None if hidden else shutil.ignore_patterns(".*")
                if source.is_dir() and any(p.is_file() for p in source.rglob("*")):
                    shutil.copytree(source, artifacts / name, ignore=ignore)
            elif uses == "actions/download-artifact@v4":
                pattern = re.compile(step["with"]["pattern"].replace("*", ".*") + "$")
                target = workspace / step["with"]["path"]
                for artifact in sorted(artifacts.iterdir()):
                    if pattern.match(artifact.name):  # several artifacts: a folder each
                        shutil.copytree(artifact, target / artifact.name)
            continue  # checkout was done by the caller; setup-python and cache change nothing
        script = _github_expressions(step["run"], values)
        environment = {**workflow_env}
        environment.update(
            {k: _github_expressions(v, values) for k, v in step.get("env", {}).items()}
        )
        runner.run(workspace, script, environment, "set -e")
        scripts.append(script)
    return scripts


GITHUB_VALUES = {
    "github.base_ref": BASE_BRANCH,
    "github.event.pull_request.number": "7",
    "github.token": "token",
    "github.sha": "0" * 40,
}
INSTALL = ["apt-get update", "apt-get install -y fonts-noto-cjk libharfbuzz-subset0"]
PINNED = f"selfeval=={__version__}"
"""What every template installs unless the bureau names something else."""


def _pip_cached(job: dict[str, Any]) -> bool:
    """The job keeps pip's downloads (``~/.cache/pip``) in a cache keyed by what it installs,
    restored before the install step."""
    steps = job["steps"]
    install = next(i for i, s in enumerate(steps) if "SELFEVAL_PACKAGE" in s.get("run", ""))
    return any(
        step.get("uses") == "actions/cache@v4"
        and step["with"]["path"] == "~/.cache/pip"
        and "env.SELFEVAL_PACKAGE" in step["with"]["key"]
        for step in steps[:install]
    )


def test_github_actions_template(repository: Path, tmp_path: Path, runner: Runner) -> None:
    workflow = _load("github-actions.yml")
    triggers = next(v for k, v in workflow.items() if k in ("on", True))  # YAML 1.1: on → true
    assert "pull_request" in triggers
    assert workflow["env"]["SELFEVAL_PACKAGE"] == PINNED
    assert _pip_cached(workflow["jobs"]["forms"])
    workspace = _checkout(repository, tmp_path / "workspace")
    (tmp_path / "artifacts").mkdir()
    scripts = _github_job(
        workflow["jobs"]["forms"],
        workspace,
        runner,
        GITHUB_VALUES,
        tmp_path / "artifacts",
        "pull_request",
        workflow["env"],  # the pinned release, found in the mirror (the wheel folder)
    )
    assert runner.replaced == [*INSTALL, "gh pr comment 7 --body-file diff.md"]
    assert runner.installed == [f"pip install {PINNED}"]
    _installed_selfeval(runner)
    assert len(runner.ran) == _count_selfeval_lines(scripts) == 3
    assert all(code == 0 for code, _ in runner.ran), runner.ran
    # 5 and a bundle, this year's 自评表 and next spring's 申报表
    assert len(list((tmp_path / "artifacts" / "forms").rglob("*.pdf"))) == 2 * 6
    comment = (workspace / "diff.md").read_text("utf-8")
    assert "合作交流专项工作经费" in comment
    assert "| 13.33 | 20.00 |" in comment


def test_github_actions_shards_template(
    repository: Path, tmp_path: Path, runner: Runner, release: Release
) -> None:
    workflow = _load("github-actions-shards.yml")
    shards = workflow["jobs"]["build"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, SHARDS + 1))
    assert workflow["env"]["SELFEVAL_PACKAGE"] == PINNED
    assert _pip_cached(workflow["jobs"]["build"])
    assert _pip_cached(workflow["jobs"]["merge"])
    wheel = {"SELFEVAL_PACKAGE": str(release.wheel)}  # the bureau names a wheel file instead
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    scripts: list[str] = []
    for shard in shards:
        workspace = _checkout(repository, tmp_path / f"runner-{shard}")
        values = {**GITHUB_VALUES, "matrix.shard": str(shard)}
        job = workflow["jobs"]["build"]
        scripts += _github_job(job, workspace, runner, values, artifacts, "push", wheel)
    gather = tmp_path / "merge-runner"  # no checkout: the artifacts only
    gather.mkdir()
    scripts += _github_job(
        workflow["jobs"]["merge"], gather, runner, GITHUB_VALUES, artifacts, "push", wheel
    )
    assert runner.replaced == INSTALL * (SHARDS + 1)
    assert runner.installed == [f"pip install {release.wheel}"] * (SHARDS + 1)
    _installed_selfeval(runner)
    assert len(runner.ran) == _count_selfeval_lines(scripts) == SHARDS + 2
    assert all(code == 0 for code, _ in runner.ran), runner.ran
    assert any(command.startswith("selfeval merge") for _, command in runner.ran)
    forms = artifacts / "forms"  # the merged build: 5 forms and their bundles, twice
    assert len(list(forms.rglob("*.pdf"))) == 2 * 6
    assert len(list(forms.rglob("_combined.pdf"))) == len(list(forms.rglob("_combined.xlsx"))) == 2
    for suffix in (".html", ".pdf", ".xlsx", ".json"):
        assert (artifacts / "summary" / f"summary{suffix}").is_file()
    assert '"合作交流专项工作经费"' in (artifacts / "summary" / "summary.json").read_text("utf-8")


# --- GitLab CI --------------------------------------------------------------------------

GITLAB_VARIABLES = {
    "CI_MERGE_REQUEST_IID": "7",
    "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": BASE_BRANCH,
    "CI_API_V4_URL": "https://gitlab.example.invalid/api/v4",
    "CI_PROJECT_ID": "1",
    "SELFEVAL_NOTE_TOKEN": "token",
}


def _gitlab_job(
    pipeline: dict[str, Any],
    job: dict[str, Any],
    workspace: Path,
    runner: Runner,
    variables: Mapping[str, str],
) -> str:
    """One job's lines, with the pipeline's variables, then the job's, then the project's
    (``variables``, set in the project's settings, win), ``$CI_PROJECT_DIR`` expanded as
    GitLab expands it."""
    script = "\n".join([*job.get("before_script", []), *job["script"]])
    given = {**pipeline.get("variables", {}), **job.get("variables", {}), **variables}
    given = {k: v.replace("$CI_PROJECT_DIR", str(workspace)) for k, v in given.items()}
    runner.run(workspace, script, {**given, "CI_PROJECT_DIR": str(workspace)}, "set -eo pipefail")
    return script


def _gitlab_pip_cached(pipeline: dict[str, Any], job: dict[str, Any]) -> bool:
    """pip's downloads go below the project (GitLab caches nothing outside it) and the job
    caches that folder."""
    folder = pipeline["variables"]["PIP_CACHE_DIR"]
    caches = job["cache"] if isinstance(job["cache"], list) else [job["cache"]]
    return folder == "$CI_PROJECT_DIR/.cache/pip" and any(
        ".cache/pip/" in cache["paths"] for cache in caches
    )


def test_gitlab_ci_template(
    repository: Path, tmp_path: Path, runner: Runner, release: Release
) -> None:
    pipeline = _load("gitlab-ci.yml")
    assert pipeline["variables"]["SELFEVAL_PACKAGE"] == PINNED
    assert _gitlab_pip_cached(pipeline, pipeline["selfeval"])
    workspace = _checkout(repository, tmp_path / "workspace")
    variables = {**GITLAB_VARIABLES, "SELFEVAL_PACKAGE": str(release.wheel)}
    script = _gitlab_job(pipeline, pipeline["selfeval"], workspace, runner, variables)
    install = [
        "apt-get update",
        "apt-get install -y --no-install-recommends fonts-noto-cjk libharfbuzz-subset0",
    ]
    note = (
        "curl --fail --request POST --header PRIVATE-TOKEN: token --data-urlencode body@diff.md"
        " https://gitlab.example.invalid/api/v4/projects/1/merge_requests/7/notes"
    )
    assert runner.replaced == [*install, note]
    assert runner.installed == [f"pip install {release.wheel}"]
    _installed_selfeval(runner)
    assert len(runner.ran) == _count_selfeval_lines([script]) == 3
    assert all(code == 0 for code, _ in runner.ran), runner.ran
    for artifact in pipeline["selfeval"]["artifacts"]["paths"]:
        assert len(list((workspace / artifact).rglob("*.pdf"))) == 2 * 6
    assert "| 13.33 | 20.00 |" in (workspace / "diff.md").read_text("utf-8")


def test_gitlab_ci_shards_template(repository: Path, tmp_path: Path, runner: Runner) -> None:
    pipeline = _load("gitlab-ci-shards.yml")
    build = pipeline["build-forms"]
    assert build["parallel"] == SHARDS
    assert pipeline["variables"]["SELFEVAL_PACKAGE"] == PINNED
    assert _gitlab_pip_cached(pipeline, build)
    assert _gitlab_pip_cached(pipeline, pipeline["merge"])
    scripts = []
    gather = _checkout(repository, tmp_path / "merge-runner")
    for index in range(1, SHARDS + 1):
        workspace = _checkout(repository, tmp_path / f"runner-{index}")
        variables = {"CI_NODE_INDEX": str(index), "CI_NODE_TOTAL": str(SHARDS)}
        scripts.append(_gitlab_job(pipeline, build, workspace, runner, variables))
        for artifact in build["artifacts"]["paths"]:  # every job's artifacts, extracted
            shutil.copytree(workspace / artifact, gather / artifact, dirs_exist_ok=True)
    scripts.append(_gitlab_job(pipeline, pipeline["merge"], gather, runner, {}))
    assert len(runner.replaced) == 2 * (SHARDS + 1)
    assert {line.split()[0] for line in runner.replaced} == {"apt-get"}
    assert runner.installed == [f"pip install {PINNED}"] * (SHARDS + 1)  # from the mirror
    _installed_selfeval(runner)
    assert len(runner.ran) == _count_selfeval_lines(scripts) == SHARDS + 2
    assert all(code == 0 for code, _ in runner.ran), runner.ran
    out, summary = (gather / path for path in pipeline["merge"]["artifacts"]["paths"])
    assert len(list(out.rglob("_combined.pdf"))) == len(list(out.rglob("_combined.xlsx"))) == 2
    assert len(list(out.rglob("*.pdf"))) == 2 * 6
    for suffix in (".html", ".pdf", ".xlsx", ".json"):
        assert (summary / f"summary{suffix}").is_file()


def test_every_template_is_run_by_a_test() -> None:
    tested = {
        "github-actions.yml",
        "github-actions-shards.yml",
        "gitlab-ci.yml",
        "gitlab-ci-shards.yml",
    }
    assert {path.name for path in CI.glob("*.yml")} == tested

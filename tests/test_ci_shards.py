"""The sharded CI examples run as their runners would: every shell line they give, with the
matrix and parallel variables set, the artifact hand-off done by copying; the summary they
end with equals the summary of one build of everything."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_specs import generate

SHARDS = 4


def _shell(script: str, cwd: Path, env: dict[str, str]) -> None:
    """Run a CI script line with ``selfeval`` on the PATH as this checkout's."""
    bin_dir = cwd / ".bin"
    bin_dir.mkdir(exist_ok=True)
    wrapper = bin_dir / "selfeval"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m selfeval_compiler "$@"\n')
    wrapper.chmod(0o755)
    environment = {**os.environ, **env, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    environment["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (script, done.stdout, done.stderr)


def _checkout(tmp_path: Path, name: str) -> Path:
    """A runner's fresh checkout of the same repository: the same generated specs."""
    where = tmp_path / name
    (where / ".git").mkdir(parents=True)
    generate(where / "specs", 40)
    return where


def _reference(tmp_path: Path) -> bytes:
    where = _checkout(tmp_path, "reference")
    _shell("selfeval build specs/ -o all/ --format json -q", where, {})
    _shell("selfeval summary all/ -o summary/ --format json", where, {})
    return (where / "summary" / "summary.json").read_bytes()


def _is_setup(line: str) -> bool:
    return line.startswith(("sudo ", "apt-get", "pip "))


def test_github_actions_matrix_and_summary_job(tmp_path: Path) -> None:
    workflow = yaml.safe_load((REPO / "examples/ci/github-actions-shards.yml").read_text("utf-8"))
    build, summary = workflow["jobs"]["build"], workflow["jobs"]["merge"]
    assert build["strategy"]["matrix"]["shard"] == list(range(1, SHARDS + 1))
    runner_root = _checkout(tmp_path, "summary-runner")
    for shard in build["strategy"]["matrix"]["shard"]:
        runner = _checkout(tmp_path, f"runner-{shard}")
        for step in build["steps"]:
            for line in step.get("run", "").splitlines():
                if line and not _is_setup(line):
                    _shell(line.replace("${{ matrix.shard }}", str(shard)), runner, {})
            if step.get("uses", "").startswith("actions/upload-artifact"):
                name = step["with"]["name"].replace("${{ matrix.shard }}", str(shard))
                hidden = step["with"].get("include-hidden-files") is True
                ignore = None if hidden else shutil.ignore_patterns(".*")
                target = runner_root / "shards" / name
                shutil.copytree(runner / step["with"]["path"], target, ignore=ignore)
    ran = []
    for step in summary["steps"]:
        for line in step.get("run", "").splitlines():
            if line and not _is_setup(line):
                _shell(line, runner_root, {})
                ran.append(line)
    assert any(line.startswith("selfeval merge") for line in ran)
    assert any(line.startswith("selfeval summary") for line in ran)
    written = (runner_root / "summary" / "summary.json").read_bytes()
    assert written == _reference(tmp_path)
    assert (runner_root / "summary" / "summary.pdf").is_file()


def test_gitlab_parallel_jobs_and_summary_job(tmp_path: Path) -> None:
    pipeline = yaml.safe_load((REPO / "examples/ci/gitlab-ci-shards.yml").read_text("utf-8"))
    build, summary = pipeline["build-forms"], pipeline["merge"]
    runner_root = _checkout(tmp_path, "summary-runner")
    for index in range(1, build["parallel"] + 1):
        runner = _checkout(tmp_path, f"runner-{index}")
        env = {"CI_NODE_INDEX": str(index), "CI_NODE_TOTAL": str(build["parallel"])}
        for line in build["script"]:
            _shell(line, runner, env)
        for path in build["artifacts"]["paths"]:
            shutil.copytree(runner / path, runner_root / path, dirs_exist_ok=True)
        # Run again on the cached folder: the incremental record makes it a no-op.
        # the shard's own cache (the other keeps pip's downloads)
        (shard_cache,) = [c for c in build["cache"] if c["key"].startswith("selfeval-shard-")]
        cached = runner / shard_cache["paths"][0]
        record = (cached / ".selfeval-build.json").read_bytes()
        _shell(build["script"][0], runner, env)
        assert (cached / ".selfeval-build.json").read_bytes() == record
    for line in summary["script"]:
        _shell(line, runner_root, {})
    written = (runner_root / "summary" / "summary.json").read_bytes()
    assert written == _reference(tmp_path)

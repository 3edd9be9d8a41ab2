"""The Kubernetes example (examples/k8s/selfeval-job.yaml) run as its pods would run: the
Indexed Job's container command once for every completion index with JOB_COMPLETION_INDEX
set, into one shared folder, then the merge Job's command; the merged build equals one build
of everything, file by file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_specs import generate

MANIFEST = REPO / "examples" / "k8s" / "selfeval-job.yaml"


def _container(job: dict[str, Any]) -> dict[str, Any]:
    containers = job["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    container: dict[str, Any] = containers[0]
    return container


def _run(container: dict[str, Any], work: Path, shards: Path, extra: dict[str, str]) -> None:
    """The container's command in ``work`` (its workingDir), the shared volume at ``shards``."""
    bin_dir = work / ".bin"
    bin_dir.mkdir(exist_ok=True)
    wrapper = bin_dir / "selfeval"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m selfeval_compiler "$@"\n')
    wrapper.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PYTHONPATH": str(REPO)}
    env.update({item["name"]: item["value"] for item in container.get("env", [])})
    assert env["SHARDS_DIR"] == container["volumeMounts"][0]["mountPath"]
    env.update({"SHARDS_DIR": str(shards), "SOURCE_DATE_EPOCH": "1700000000", **extra})
    done = subprocess.run(
        [*container["command"], *container["args"]],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (container["args"], done.stdout, done.stderr)


def test_the_indexed_job_and_the_merge_job_make_the_one_machine_build(tmp_path: Path) -> None:
    documents = [d for d in yaml.safe_load_all(MANIFEST.read_text("utf-8")) if d]
    jobs = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Job"}
    shards_job, merge_job = jobs["selfeval-shards"], jobs["selfeval-merge"]
    spec = shards_job["spec"]
    assert spec["completionMode"] == "Indexed"
    count = spec["completions"]
    build = _container(shards_job)
    assert f"--shard index/{count}" in " ".join(build["args"])
    work = tmp_path / "work"  # the image's checkout
    (work / ".git").mkdir(parents=True)
    generate(work / "specs", 12)
    shards = tmp_path / "volume"
    shards.mkdir()
    for index in range(count):  # the pods, one after another
        _run(build, work, shards, {"JOB_COMPLETION_INDEX": str(index)})
    assert len(list(shards.glob("shard-*"))) == count
    _run(_container(merge_job), work, shards, {})
    merged = shards / "build"
    assert (
        len(list(merged.rglob("_combined.pdf"))) == len(list(merged.rglob("_combined.xlsx"))) == 8
    )
    assert (shards / "summary" / "summary.pdf").is_file()
    one = tmp_path / "one"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "selfeval_compiler",
            "build",
            "specs",
            "-o",
            str(one),
            "-q",
            "--format",
            "html",
            "--format",
            "json",
            "--format",
            "xlsx",
        ],
        cwd=work,
        env={**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    compared = 0
    for made in one.rglob("*"):
        if made.is_file() and made.name != ".selfeval-build.json":  # PDFs too in the merge
            assert (merged / made.relative_to(one)).read_bytes() == made.read_bytes(), made
            compared += 1
    assert compared == 12 * 3 + 8 + 12  # forms, folder workbooks, sheet records

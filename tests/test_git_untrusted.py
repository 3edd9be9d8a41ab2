"""The repository is untrusted (#10): hostile trees and configurations in selfeval diff."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import git, spec, to_yaml

from selfeval_compiler import api

pytestmark = pytest.mark.slow


def _repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "specs").mkdir(parents=True)
    (root / "specs" / "a.yaml").write_text(to_yaml(spec()), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "one form")
    return root


def _commit_tree(root: Path, entries: list[str]) -> str:
    """A commit whose tree is specs/ (with the given extra entries) and the given top entries."""
    tree = git(root, "mktree", stdin="".join(f"{e}\n" for e in entries)).strip()
    return git(root, "commit-tree", tree, "-p", "HEAD", "-m", "hostile").strip()


def test_tree_entries_that_could_escape_are_refused(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    blob = git(root, "hash-object", "-w", "--stdin", stdin=to_yaml(spec())).strip()
    big = git(root, "hash-object", "-w", "--stdin", stdin="# " + "x" * (1100 * 1024)).strip()
    inner = git(root, "mktree", stdin=f"100644 blob {blob}\tevil.yaml\n").strip()
    specs = git(root, "ls-tree", "HEAD", "specs").split()[2]
    entries = [
        f"040000 tree {specs}\tspecs",
        f"040000 tree {inner}\t..",
        f"120000 blob {blob}\tlink.yaml",
        f"100644 blob {big}\thuge.yaml",
        f"100644 blob {blob}\tbell\x07.yaml",
    ]
    commit = _commit_tree(root, entries)
    outside = tmp_path / "evil.yaml"
    report = api.diff([Path("specs")], "HEAD", commit, cwd=root)
    refused = sorted((d.location.file.split(":", 1)[1], d.code) for d in report.new.diagnostics)
    assert refused == [
        ("../evil.yaml", "SE015"),
        ("bell\\x07.yaml", "SE015"),
        ("huge.yaml", "SE015"),
        ("link.yaml", "SE015"),
    ]
    assert not outside.exists()
    assert not (root.parent / "evil.yaml").exists()


def _sign_head(root: Path) -> None:
    """Replace HEAD by the same commit carrying a (fake) PGP signature header."""
    tree = git(root, "rev-parse", "HEAD^{tree}").strip()
    parent = git(root, "rev-parse", "HEAD~1").strip()
    who = "CI <ci@example.invalid> 1700000000 +0000"
    body = (
        f"tree {tree}\nparent {parent}\nauthor {who}\ncommitter {who}\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n"
        " -----END PGP SIGNATURE-----\n\nsigned\n"
    )
    commit = git(root, "hash-object", "-t", "commit", "-w", "--stdin", stdin=body).strip()
    git(root, "update-ref", "HEAD", commit)


@pytest.mark.parametrize(
    "setting",
    [
        "core.fsmonitor",
        "core.pager",
        "diff.external",
        "gpg.program",
        "core.hooksPath",
    ],
)
def test_repository_configuration_runs_no_program(tmp_path: Path, setting: str) -> None:
    root = _repository(tmp_path)
    marker = tmp_path / "ran"
    script = tmp_path / "program.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    git(root, "config", setting, str(script if setting != "core.hooksPath" else tmp_path))
    git(root, "config", "log.showSignature", "true")
    (tmp_path / "post-checkout").write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    (root / "specs" / "a.yaml").write_text(to_yaml(spec(unit="另一个实施单位")), encoding="utf-8")
    git(
        root,
        "-c",
        "core.fsmonitor=false",
        "-c",
        "core.hooksPath=/dev/null",
        "commit",
        "-qam",
        "two",
    )
    _sign_head(root)  # a signature git would check with gpg.program under log.showSignature
    report = api.diff([Path("specs")], "HEAD~1", "HEAD", cwd=root)
    assert [p.status for p in report.projects] == ["changed"]
    api.build([root / "specs"], tmp_path / "out", formats=["json"])  # reads commit dates
    assert not marker.exists()

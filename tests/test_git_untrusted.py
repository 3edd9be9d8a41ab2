"""The repository is untrusted (#10): hostile trees and configurations in selfeval diff."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from helpers import git, spec, to_yaml

from selfeval_compiler import api
from selfeval_compiler.diagnostics import phrase

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


# --- trees git can store and no checkout can (#19) -------------------------------------------


def _two_specs(tmp_path: Path) -> Path:
    root = _repository(tmp_path)
    (root / "specs" / "b.yaml").write_text(to_yaml(spec(project="乙")), encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "two forms")
    return root


def _with_specs(root: Path, extra: bytes) -> str:
    """A commit on HEAD whose specs/ holds a.yaml and b.yaml as they are, plus ``extra``
    tree lines (bytes: names need not be UTF-8)."""
    listing = git(root, "ls-tree", "HEAD:specs").encode()
    inner = git(root, "mktree", stdin=listing + extra).strip()
    top = git(root, "mktree", stdin=f"040000 tree {inner}\tspecs\n").strip()
    return git(root, "commit-tree", top, "-p", "HEAD", "-m", "hostile").strip()


def _hostile_entry(root: Path, case: str) -> tuple[bytes, str, str]:
    """Tree lines for ``case``, the path the finding names, and the phrase it gives."""
    blob = git(root, "hash-object", "-w", "--stdin", stdin=to_yaml(spec(project="丙"))).strip()
    one = git(root, "mktree", stdin=f"100644 blob {blob}\tc.yaml\n").strip()
    if case == "300-byte name":
        name = "名" * 98 + ".yaml"  # 299 bytes
        return f"100644 blob {blob}\t{name}\n".encode(), f"specs/{name}", "long"
    if case == "5000-byte path":
        deep = one
        for _ in range(40):
            deep = git(root, "mktree", stdin=f"040000 tree {deep}\t{'d' * 124}\n").strip()
        shown = "specs/deep/" + "/".join(["d" * 124] * 40) + "/c.yaml"
        return f"040000 tree {deep}\tdeep\n".encode(), shown[:299] + "…", "long"
    if case == "not UTF-8":
        return (
            b"100644 blob " + blob.encode() + b"\t\xff\xfe.yaml\n",
            "specs/\\xff\\xfe.yaml",
            "encoding",
        )
    if case == "file and folder":  # git mktree keeps both entries; no checkout can
        lines = f"100644 blob {blob}\tc.yaml\n040000 tree {one}\tc.yaml\n"
        return lines.encode(), "specs/c.yaml/c.yaml", "collision"
    link = git(root, "hash-object", "-w", "--stdin", stdin="../../../etc/passwd").strip()
    return f"120000 blob {link}\tc.yaml\n".encode(), "specs/c.yaml", "kind"


@pytest.mark.parametrize(
    "case", ["300-byte name", "5000-byte path", "not UTF-8", "file and folder", "symlink out"]
)
@pytest.mark.parametrize("side", ["old", "new"])
def test_entries_no_checkout_can_hold_are_refused_and_the_rest_compared(
    tmp_path: Path, case: str, side: str
) -> None:
    root = _two_specs(tmp_path)
    lines, shown, reason = _hostile_entry(root, case)
    hostile = _with_specs(root, lines)
    old, new = ("HEAD", hostile) if side == "new" else (hostile, "HEAD")
    report = api.diff([Path("specs")], old, new, cwd=root)
    version = report.new if side == "new" else report.old
    found = [(d.code, d.location.file.split(":", 1)[1]) for d in version.diagnostics]
    codes = {d.code for d in report.old.diagnostics + report.new.diagnostics}
    assert "SE999" not in codes
    assert ("SE015", shown) in found, found
    detail = next(d for d in version.diagnostics if d.code == "SE015").message_en
    assert phrase(f"git.{reason}", limit=1024, path_limit=1024).en in detail
    compared = {p.new_path or p.old_path: p.status for p in report.projects}
    assert compared["specs/a.yaml"] == compared["specs/b.yaml"] == "unchanged"
    assert not (tmp_path / "etc").exists()


def test_a_path_that_is_a_file_in_one_revision_and_a_folder_in_the_other(tmp_path: Path) -> None:
    root = _two_specs(tmp_path)
    blob = git(root, "hash-object", "-w", "--stdin", stdin=to_yaml(spec(project="丙"))).strip()
    folder = git(root, "mktree", stdin=f"100644 blob {blob}\tx.yaml\n").strip()
    as_file = _with_specs(root, f"100644 blob {blob}\tu.yaml\n100644 blob {blob}\tu\n".encode())
    as_folder = _with_specs(
        root, f"040000 tree {folder}\tu.yaml\n040000 tree {folder}\tu\n".encode()
    )
    for old, new in ((as_file, as_folder), (as_folder, as_file)):
        report = api.diff([Path("specs")], old, new, cwd=root)
        assert report.old.diagnostics == report.new.diagnostics == []
        paths = {(p.old_path, p.new_path) for p in report.projects}
        assert ("specs/a.yaml", "specs/a.yaml") in paths
    git(root, "reset", "-q", "--hard", as_folder)
    (root / "specs" / "u.yaml" / "x.yaml").unlink()
    (root / "specs" / "u.yaml").rmdir()
    (root / "specs" / "u.yaml").write_text(to_yaml(spec(project="丙")), encoding="utf-8")
    report = api.diff([Path("specs")], "HEAD", cwd=root)  # and against the working tree
    assert "SE999" not in {d.code for d in report.new.diagnostics}


def test_a_blob_over_the_loaders_cap_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap is the loader's own (check's SE009), read before any byte of the blob; a
    1.5 GB blob is stored by git cheaply but is refused by its size from ``ls-tree -l``."""
    from selfeval_compiler.sources import yaml_loader

    root = _two_specs(tmp_path)
    big = to_yaml(spec(project="丙")) + "# " + "x" * 4096 + "\n"
    blob = git(root, "hash-object", "-w", "--stdin", stdin=big).strip()
    hostile = _with_specs(root, f"100644 blob {blob}\tbig.yaml\n".encode())
    monkeypatch.setattr(yaml_loader, "MAX_FILE_BYTES", 4096)
    report = api.diff([Path("specs")], "HEAD", hostile, cwd=root)
    refused = [d for d in report.new.diagnostics if d.code == "SE015"]
    assert [d.location.file.split(":", 1)[1] for d in refused] == ["specs/big.yaml"]
    assert "4 KiB" in refused[0].message_en


def test_a_working_tree_symlink_leading_out_is_se016_and_the_rest_compared(
    tmp_path: Path,
) -> None:
    root = _two_specs(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text(to_yaml(spec(project="机密")), encoding="utf-8")
    (root / "specs" / "b.yaml").unlink()
    (root / "specs" / "b.yaml").symlink_to(secret)
    report = api.diff([Path("specs")], "HEAD", cwd=root)
    found = [(d.code, d.location.file) for d in report.new.diagnostics]
    assert found == [("SE016", "specs/b.yaml")]
    assert report.new.contents.keys() == {PurePosixPath("specs/a.yaml")}
    assert {p.new_path: p.status for p in report.projects} == {
        "specs/a.yaml": "unchanged",
        "specs/b.yaml": "failed",
    }


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_the_preview_changes_page_answers_with_the_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import urllib.request

    from selfeval_compiler.preview.serve import start

    root = _two_specs(tmp_path)
    (root / "selfeval.toml").write_text("", encoding="utf-8")
    secret = tmp_path / "secret.yaml"
    secret.write_text(to_yaml(spec(project="机密")), encoding="utf-8")
    (root / "specs" / "b.yaml").unlink()
    (root / "specs" / "b.yaml").symlink_to(secret)
    odd = os.fsencode(root / "specs") + b"/\xff.yaml"
    with open(odd, "w", encoding="utf-8") as file:
        file.write(to_yaml(spec(project="丁")))
    monkeypatch.chdir(root)  # serve runs in the repository; its diff reads from there
    server, stop = start([root / "specs"], "127.0.0.1", 0)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/changes"
        with urllib.request.urlopen(url, timeout=60) as response:
            status, body = response.status, response.read()
    finally:
        stop()
    assert status == 200
    assert b"SE016" in body
    assert b"SE999" not in body

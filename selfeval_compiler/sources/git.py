"""Reading specs from git without touching the working tree.

A revision's YAML files (specs, ``_defaults.yaml``, profiles) are exported into a temporary
folder with ``git cat-file --batch``: no checkout, no stash, no index change.
"""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

YAML_SUFFIXES = (".yaml", ".yml")


class GitProblem(Exception):
    """git is missing, the folder is no repository, or a revision does not exist."""


def _git(root: Path, *args: str, input_bytes: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args],
            input=input_bytes,
            capture_output=True,
            check=False,
            timeout=300,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise GitProblem(f"git failed: {error}") from error
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitProblem(message[-1] if message else f"git {args[0]} failed")
    return result.stdout


def repository_root(start: Path) -> Path:
    text = _git(start, "rev-parse", "--show-toplevel").decode("utf-8").strip()
    return Path(text)


def is_revision(root: Path, name: str) -> bool:
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")
    except GitProblem:
        return False
    return True


def describe(root: Path, revision: str) -> str:
    """A short label for a revision: ``HEAD (1a2b3c4)``."""
    commit = _git(root, "rev-parse", "--short", f"{revision}^{{commit}}").decode().strip()
    return f"{revision} ({commit})" if commit != revision else commit


def export_yaml(root: Path, revision: str, destination: Path) -> list[PurePosixPath]:
    """Write every YAML file of ``revision`` under ``destination``; return their paths."""
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", revision)
    entries: list[tuple[str, PurePosixPath]] = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        path = PurePosixPath(name.decode("utf-8", "surrogateescape"))
        if kind == "blob" and mode != "120000" and path.name.endswith(YAML_SUFFIXES):
            entries.append((sha, path))
    if entries:
        batch = _git(
            root,
            "cat-file",
            "--batch",
            input_bytes="".join(f"{sha}\n" for sha, _ in entries).encode(),
        )
        cursor = 0
        for _, path in entries:
            header_end = batch.index(b"\n", cursor)
            size = int(batch[cursor:header_end].split()[2])
            body = batch[header_end + 1 : header_end + 1 + size]
            cursor = header_end + 1 + size + 1
            target = destination.joinpath(*path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
    (destination / ".git").mkdir(exist_ok=True)  # defaults stop at this root, as in the repo
    return [path for _, path in entries]


def last_commit_dates(root: Path, paths: list[Path]) -> dict[Path, str]:
    """The committer date (ISO 8601) of the last commit touching each path, in one git call."""
    if not paths:
        return {}
    relative = [str(path.resolve().relative_to(root.resolve())) for path in paths]
    try:
        log = _git(
            root, "log", "--format=%x00%cI", "--name-only", "--no-renames", "--", *relative
        ).decode("utf-8", "surrogateescape")
    except GitProblem:
        return {}
    wanted = set(relative)
    dates: dict[Path, str] = {}
    current = ""
    for line in log.splitlines():
        if line.startswith("\0"):
            current = line[1:]
        elif line in wanted and root / line not in dates:
            dates[(root / line)] = current
    return {
        path: dates[root / rel]
        for path, rel in zip(paths, relative, strict=True)
        if root / rel in dates
    }

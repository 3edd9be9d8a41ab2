"""Reading specs from git without touching the working tree, and without trusting it.

A revision's YAML files (specs, ``_defaults.yaml``, profiles) are exported into a temporary
folder with ``git cat-file --batch``: no checkout, no stash, no index change.

The repository may come from anybody (a pull request), so git runs with a sanitised
configuration: no system or global configuration, and every setting through which a
repository's own ``.git/config`` could make git run a program (signature checking, gpg and
ssh programs, pager, textconv, external diff, fsmonitor, hooks) overridden on the command
line, which wins over the repository's file. Tree entries that could escape the temporary
folder or are not plain files are refused, not written; so are entries no file system can
hold as they stand (names that are not UTF-8 or too long, a path that is both a file and a
folder) and blobs over the loader's size limit, which are never read.
"""

from __future__ import annotations

import errno
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from selfeval_compiler.sources import yaml_loader


class GitProblem(Exception):
    """git is missing, the folder is no repository, or a revision does not exist."""


MAX_NAME_BYTES = 255
"""The longest file name common file systems hold (ext4, APFS, NTFS in UTF-16 units)."""
MAX_PATH_BYTES = 1024
"""The longest repository-relative path exported: well inside Linux's 4,096 and macOS's
1,024, counted with the temporary folder's own path."""

_SAFE_SETTINGS = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=false",
    "core.askPass=",
    "core.editor=false",
    "diff.external=",
    "log.showSignature=false",
    "gpg.program=false",
    "gpg.ssh.program=false",
    "gpg.x509.program=false",
    "credential.helper=",
    "protocol.allow=never",
)
_UNSAFE_ENVIRONMENT = (
    "GIT_EXTERNAL_DIFF",
    "GIT_PAGER",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
    "GIT_EDITOR",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
)


def git_environment() -> dict[str, str]:
    """The environment git runs in: no system or global configuration, no prompts."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in _UNSAFE_ENVIRONMENT and not key.startswith("GIT_CONFIG_")
    }
    environment.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_PAGER="cat",
        PAGER="cat",
    )
    return environment


def git_command(root: Path, *args: str) -> list[str]:
    settings = [part for setting in _SAFE_SETTINGS for part in ("-c", setting)]
    return ["git", "--no-pager", *settings, "-C", str(root), *args]


def _git(root: Path, *args: str, input_bytes: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(
            git_command(root, *args),
            input=input_bytes,
            capture_output=True,
            check=False,
            timeout=300,
            env=git_environment(),
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


@dataclass(frozen=True)
class Refused:
    """A tree entry that was not exported, and why (``name``, ``kind`` or ``size``)."""

    path: str
    reason: str


_REGULAR_MODES = frozenset({"100644", "100755"})


def max_blob_bytes() -> int:
    """As large as a spec may be: the loader's limit, read when asked (tests lower it)."""
    return yaml_loader.MAX_FILE_BYTES


def _entry_problem(name: bytes, mode: str, size: str) -> str | None:
    parts = name.split(b"/")
    if any(
        part in (b"", b".", b"..") or b"\\" in part or any(c < 0x20 or c == 0x7F for c in part)
        for part in parts
    ):
        return "name"
    try:
        name.decode("utf-8")
    except UnicodeDecodeError:
        return "encoding"
    if len(name) > MAX_PATH_BYTES or any(len(part) > MAX_NAME_BYTES for part in parts):
        return "long"
    if mode not in _REGULAR_MODES:
        return "kind"
    if not size.isdigit() or len(size) > 20 or int(size) > max_blob_bytes():
        return "size"
    return None


def shown_name(name: bytes) -> str:
    """A tree entry's name as text a terminal and a web page can show: escapes for control
    characters and bytes that are not UTF-8, at most 300 characters."""
    text = name.decode("utf-8", "backslashreplace")
    text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
    return text if len(text) <= 300 else text[:299] + "…"


def _place(destination: Path, path: PurePosixPath, body: bytes) -> str | None:
    """Write ``body`` at ``path`` under ``destination``: ``None``, or why it could not be."""
    target = destination.joinpath(*path.parts)
    if not Path(os.path.normpath(target)).is_relative_to(destination.resolve()):
        return "name"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as file:  # never over a file or through a link
            file.write(body)
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            return "long"
        if error.errno in (errno.ENOTDIR, errno.EISDIR, errno.EEXIST):
            return "collision"
        raise
    return None


def export_yaml(
    root: Path, revision: str, destination: Path
) -> tuple[list[PurePosixPath], list[Refused]]:
    """Write every YAML file of ``revision`` under ``destination``; return their paths and
    the entries refused (names that could leave the folder or hold control characters,
    names not UTF-8 or too long for a file system, symlinks and other non-files, blobs over
    the size limit, a path that is both a file and a folder)."""
    listing = _git(root, "ls-tree", "-r", "-z", "-l", "--full-tree", revision)
    entries: list[tuple[str, PurePosixPath]] = []
    refused: list[Refused] = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        fields = meta.decode("ascii", "replace").split()
        if len(fields) != 4 or fields[1] != "blob":
            continue  # submodules (commits) and anything unexpected are not ours
        mode, _, sha, size = fields
        if not name.endswith((b".yaml", b".yml")):
            continue
        problem = _entry_problem(name, mode, size)
        if problem is not None:
            refused.append(Refused(shown_name(name), problem))
            continue
        entries.append((sha, PurePosixPath(name.decode("utf-8"))))
    exported: list[PurePosixPath] = []
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
            length = int(batch[cursor:header_end].split()[2])
            body = batch[header_end + 1 : header_end + 1 + length]
            cursor = header_end + 1 + length + 1
            problem = _place(destination, path, body)
            if problem is not None:
                refused.append(Refused(shown_name(str(path).encode()), problem))
            else:
                exported.append(path)
    (destination / ".git").mkdir(exist_ok=True)  # defaults stop at this root, as in the repo
    return exported, refused


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

"""The creation date an output carries: reproducible, never the clock."""

from __future__ import annotations

import os
from pathlib import Path


def creation_dates(spec_paths: list[Path]) -> dict[Path, str]:
    """Each spec's creation date for its outputs: ``SOURCE_DATE_EPOCH`` when set (the
    reproducible-builds convention), else the date of the last commit that touched the spec,
    else none. Never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        from datetime import UTC, datetime

        stamp = datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        return dict.fromkeys(spec_paths, stamp)
    if not spec_paths:
        return {}
    from selfeval_compiler.sources import git as gitsource

    try:
        root = gitsource.repository_root(spec_paths[0].resolve().parent)
    except gitsource.GitProblem:
        return {}
    inside = [p for p in spec_paths if p.resolve().is_relative_to(root.resolve())]
    return gitsource.last_commit_dates(root, inside)

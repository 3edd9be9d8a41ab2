"""The creation date an output carries: reproducible, never the clock."""

from __future__ import annotations

from pathlib import Path

from selfeval_compiler.outputs import limits


def creation_dates(spec_paths: list[Path]) -> dict[Path, str]:
    """Each spec's creation date for its outputs: ``SOURCE_DATE_EPOCH`` when set (the
    reproducible-builds convention), else the date of the last commit that touched the spec,
    else none. Never the clock."""
    try:
        epoch = limits.source_date_epoch()
    except limits.BadSetting:
        epoch = None  # a usage error where settings are checked; the preview uses git's dates
    if epoch is not None:
        from datetime import UTC, datetime

        stamp = datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
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

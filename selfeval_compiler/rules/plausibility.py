"""Checks across specs: what is allowed but most likely a mistake."""

from __future__ import annotations

from selfeval_compiler.diagnostics import Diagnostic, Location, listing, make
from selfeval_compiler.sources.discovery import SpecFile

ProjectKey = tuple[int, str, str]
"""年度, 实施单位, 项目名称: what makes two specs the same project."""


def duplicate_projects(projects: list[tuple[SpecFile, ProjectKey]]) -> list[Diagnostic]:
    """SE018 on each spec that states the same project as another (a plausibility check)."""
    by_key: dict[ProjectKey, list[SpecFile]] = {}
    for spec_file, key in projects:
        by_key.setdefault(key, []).append(spec_file)
    found: list[Diagnostic] = []
    for (year, unit, project), group in by_key.items():
        for spec_file in group if len(group) > 1 else ():
            others = listing(o.display for o in group if o is not spec_file)
            where = Location(spec_file.display, 1, 1)
            found.append(make("SE018", where, other=others, year=year, unit=unit, project=project))
    return found

"""The 绩效目标申报表's checks: what a spring form can get wrong by itself.

Nothing is scored. The one sum the form prints is checked: 项目资金总额 against its parts
(其中：财政资金 and 其他资金) where both are written (SE408). Every cell the form fills from the
spec and would print blank is a warning naming the cell with the profile's own label
(SE410–SE418): the form still prints, but a clerk would hand in an incomplete 申报表.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from selfeval_compiler.diagnostics import Diagnostic, Location, make
from selfeval_compiler.model.goals import GoalsSpec
from selfeval_compiler.model.profiles import GoalsLayout, Profile
from selfeval_compiler.sources.yaml_loader import JsonPath


@dataclass(frozen=True)
class GoalsForm:
    spec: GoalsSpec
    profile: Profile


@dataclass(frozen=True)
class _Blank:
    """A printed cell left blank: its code, the label naming it, the key that fills it."""

    code: str
    label: str
    """The key of the cell's label in the profile's ``goals_form.labels``."""
    path: JsonPath
    example: str
    key: str = ""
    """The key the clerk fills, when not the path written out (an indicator's ``target``)."""
    row: str = ""
    """Which indicator row the cell is on, when the form has many such cells."""


def _blank(text: str) -> bool:
    return not text.strip()


def _project_funds(spec: GoalsSpec, unit: str) -> Iterator[_Blank]:
    given = dict(spec.project_funds)
    for part, label, example in (
        ("total", "project_total", "100"),
        ("fiscal", "project_fiscal", "100"),
        ("other", "project_other", "0"),
    ):
        if part not in given:
            yield _Blank("SE414", label, ("project_funds", part), f"{example}（{unit}）")


def _blanks(spec: GoalsSpec, unit: str) -> Iterator[_Blank]:
    """The spec's blank cells in the 申报表's print order (header, funds, goals, indicators)."""
    header = (
        ("SE410", "project_nature", spec.project_nature, "经常性项目"),
        ("SE411", "project_category", spec.project_category, "特定目标类"),
        ("SE412", "start_date", spec.start_date, f"{spec.year}-01-01"),
        ("SE413", "end_date", spec.end_date, f"{spec.year}-12-31"),
    )
    for code, key, value, example in header:
        if _blank(value):
            yield _Blank(code, key, (key,), example)
    yield from _project_funds(spec, unit)
    if _blank(spec.overall):
        yield _Blank("SE415", "overall", ("goals", "overall"), "1.……（整个项目周期的目标）")
    if _blank(spec.expected):
        yield _Blank("SE416", "expected", ("goals", "expected"), "1.……（本年度的目标）")
    for item in spec.indicators:
        row = f"{item.level1} / {item.level2}" + (
            f" / {item.name}" if not _blank(item.name) else ""
        )
        if _blank(item.name):
            yield _Blank("SE417", "level3", (*item.path, "name"), "完成率", "name", row)
        if _blank(item.target):
            yield _Blank("SE418", "target", (*item.path, "target"), "≥90%", "target", row)


def _written(data: Any, path: JsonPath) -> bool:
    for part in path:
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_list or (isinstance(data, dict) and part in data)):
            return False
        data = data[part]
    return True


def _where(spec: GoalsSpec, path: JsonPath) -> Location:
    """A blank written value where it stands; an absent key at the nearest key written above
    it (``project_funds`` for a missing part), or 1:1 when nothing above it is written."""
    if _written(spec.document.data, path):
        return spec.locate(path)
    probe = path[:-1]
    while probe and not _written(spec.document.data, probe):
        probe = probe[:-1]
    if not probe:
        return Location(spec.file, 1, 1, tuple(path))
    return replace(spec.locate(probe, on_key=True), path=tuple(path))


def _cell_name(layout: GoalsLayout, blank: _Blank) -> str:
    """The cell as the clerk reads it on the form: its label on one line, without 其中：,
    and for an indicator's cell the row it is on."""
    name = "".join(layout.labels[blank.label].split()).removeprefix("其中：")
    return f"{name}（{blank.row}）" if blank.row else name


def blank_cells(form: GoalsForm) -> list[Diagnostic]:
    """A warning for each cell the 申报表 fills from the spec and would print blank."""
    layout, spec = form.profile.goals, form.spec
    return [
        make(
            blank.code,
            _where(spec, blank.path),
            cell=_cell_name(layout, blank),
            key=blank.key or ".".join(str(part) for part in blank.path),
            example=blank.example,
        )
        for blank in _blanks(spec, form.profile.amount_unit)
    ]


def check_goals(form: GoalsForm) -> list[Diagnostic]:
    """Everything the 申报表 of ``form`` can get wrong by itself, sorted by place."""
    found = blank_cells(form)
    funds = dict(form.spec.project_funds)
    if "total" in funds and "fiscal" in funds and "other" in funds:
        parts = funds["fiscal"] + funds["other"]
        if parts != funds["total"]:
            where = form.spec.locate(("project_funds", "total"))
            found.append(
                make(
                    "SE408",
                    where,
                    total=funds["total"],
                    fiscal=funds["fiscal"],
                    other=funds["other"],
                )
            )
    return sorted(found, key=lambda d: d.sort_key)

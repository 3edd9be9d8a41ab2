"""Reading builds' JSON outputs: the one input of a summary, and from anyone's folder.

Only regular files named ``*.json`` are read, at most :data:`MAX_JSON_BYTES` each, walking
real folders (a symlink is never followed); each must be a form selfeval wrote: a
self-evaluation (a ``selfeval`` key, the fields below, figures as bounded decimal texts) or a
绩效目标申报表 (``"form": "goals"``, its amounts as printed, ``10,308,000.00``). A JSON with
neither marker is another tool's and is passed over; one that claims to be a form and is not
is reported and skipped, never trusted. A JSON without ``form`` is a self-evaluation, as
every self-evaluation JSON has always been written.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from selfeval_compiler.diagnostics import Diagnostic, Location, make
from selfeval_compiler.model.amounts import AMOUNT_UNITS, convertible
from selfeval_compiler.summary.departments import (
    DepartmentRow,
    NotADepartmentForm,
    department_row_of,
    is_department,
)

MAX_JSON_BYTES = 4 * 1024 * 1024
MAX_FILES = 200_000
MAX_DEPTH = 32
_FIGURE = re.compile(r"-?\d{1,15}(\.\d{1,6})?")
_GROUPED = re.compile(r"-?\d{1,3}(,\d{3}){1,4}(\.\d{1,6})?")
MANIFEST = ".selfeval-build.json"


@dataclass(frozen=True)
class ProjectRow:
    folder: str
    """The form's folder below its build folder (``unit-03``), "" at the top."""
    file: str
    year: int
    project: str
    department: str
    unit: str
    amount_unit: str
    annual: Decimal
    executed: Decimal
    rate: Decimal
    total: Decimal
    grade: str
    not_met: tuple[str, ...]
    """三级指标 scored below their weight."""

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.folder, self.file)


@dataclass(frozen=True)
class GoalsRow:
    """One 绩效目标申报表 as the spring summary lists it: amounts and goals, no scores."""

    folder: str
    file: str
    year: int
    project: str
    department: str
    unit: str
    amount_unit: str
    annual: Decimal
    """年度资金申请总额 (the funds block's first row, right)."""
    project_total: Decimal | None
    """项目资金总额 (the funds block's first row, left); ``None`` when the form leaves it blank."""
    overall: str
    expected: str
    indicators: int

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.folder, self.file)


@dataclass
class Collected:
    """What the build folders hold: self-evaluations and 申报表, never mixed, and what could
    not be read."""

    forms: list[ProjectRow]
    goals: list[GoalsRow]
    problems: list[Diagnostic]
    departments: list[DepartmentRow] = field(default_factory=list)
    """部门整体支出绩效自评表, listed in a table of their own."""


class NotAForm(Exception):
    pass


def _figure(value: Any) -> Decimal:
    """A figure as a form prints it: ``86``, ``100.00%`` or ``215,457.60`` (a profile's
    ``display`` adds the ``%`` and the separators; the value is the same)."""
    if type(value) is str and _FIGURE.fullmatch(value):
        return Decimal(value)  # a plain figure (most of them): no % or separators to drop
    text = value.removesuffix("%") if isinstance(value, str) else value
    if isinstance(text, str) and _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if not isinstance(text, str) or not _FIGURE.fullmatch(text):
        raise NotAForm(f"not a figure: {str(value)[:40]!r}")
    return Decimal(text)


def _text(value: Any, limit: int = 500) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise NotAForm("not a text")
    return value


def _amount(value: Any) -> Decimal | None:
    """A printed amount (``10,308,000.00`` or ``1030.80``); ``None`` for a blank cell."""
    if value == "":
        return None
    if isinstance(value, str) and _GROUPED.fullmatch(value):
        value = value.replace(",", "")
    return _figure(value)


def _year(data: dict[str, Any]) -> int:
    year = data["year"]
    if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2200:
        raise NotAForm("year")
    return year


def goals_row_of(data: dict[str, Any], folder: str, file: str) -> GoalsRow:
    """A spring summary row from one 申报表's JSON (``"form": "goals"``); :class:`NotAForm`
    when it is not one."""
    try:
        funds, indicators = data["funds"], data["indicators"]
        if not isinstance(funds, list) or not funds or not isinstance(funds[0], dict):
            raise NotAForm("funds")
        if not isinstance(indicators, list) or len(indicators) > 1000:
            raise NotAForm("indicators")
        annual = _amount(funds[0]["annual_amount"])
        return GoalsRow(
            folder=folder,
            file=file,
            year=_year(data),
            project=_text(data["project"], 200),
            department=_text(data["department"], 200),
            unit=_text(data["unit"], 200),
            amount_unit=_text(data["amount_unit"], 10),
            annual=annual if annual is not None else Decimal(0),
            project_total=_amount(funds[0]["project_amount"]),
            overall=_text(data["overall"], 5000),
            expected=_text(data["expected"], 5000),
            indicators=sum(not (isinstance(i, dict) and i.get("blank")) for i in indicators),
        )
    except (KeyError, TypeError) as error:
        raise NotAForm(f"missing {error}") from None


def read_form(data: Any, folder: str, file: str) -> ProjectRow | GoalsRow | DepartmentRow | None:
    """The summary row of one JSON output: a 申报表's, a department form's, a
    self-evaluation's, or ``None`` for a JSON that is none of them (a summary, another tool's
    file)."""
    if is_department(data):
        try:
            return department_row_of(data, folder, file)
        except NotADepartmentForm as error:
            raise NotAForm(str(error)) from None
    if isinstance(data, dict) and data.get("form") == "goals" and "summary" not in data:
        return goals_row_of(data, folder, file)
    return row_of(data, folder, file)


def row_of(data: Any, folder: str, file: str) -> ProjectRow | None:
    """A summary row from one form's JSON; ``None`` for a JSON that is not a self-evaluation
    (a 申报表, another tool's file); :class:`NotAForm` for one that claims to be and is not."""
    if not isinstance(data, dict) or "selfeval" not in data:
        return None
    if data.get("form") == "goals" or "summary" in data:  # a 申报表, a summary
        return None
    try:
        funds = data["funds"]["total"]
        indicators = data["indicators"]
        if not isinstance(indicators, list) or len(indicators) > 1000:
            raise NotAForm("indicators")
        not_met = tuple(
            _text(item["name"], 200)
            for item in indicators
            if isinstance(item, dict)
            and item.get("score") is not None
            and _figure(item["score"]) < _figure(item["weight"])
        )
        return ProjectRow(
            folder=folder,
            file=file,
            year=_year(data),
            project=_text(data["project"], 200),
            department=_text(data["department"], 200),
            unit=_text(data["unit"], 200),
            amount_unit=_text(data["amount_unit"], 10),
            annual=_figure(funds["annual"]),
            executed=_figure(funds["executed"]),
            rate=_figure(funds["execution_rate"]),
            total=_figure(data["total"]),
            grade=_text(data["grade"], 20),
            not_met=not_met,
        )
    except (KeyError, TypeError) as error:
        raise NotAForm(f"missing {error}") from None


def _json_files(build: Path) -> list[tuple[Path, PurePosixPath]]:
    found: list[tuple[Path, PurePosixPath]] = []
    root_depth = len(build.parts)
    for folder, folders, files in os.walk(build, followlinks=False):
        here = Path(folder)
        if len(here.parts) - root_depth >= MAX_DEPTH:
            folders[:] = []
        folders[:] = sorted(f for f in folders if not (here / f).is_symlink())
        for name in sorted(files):
            if name.endswith(".json") and name != MANIFEST:
                path = here / name
                found.append((path, PurePosixPath(path.relative_to(build).as_posix())))
                if len(found) > MAX_FILES:
                    return found
    return found


def _builds(builds: list[Path]) -> list[Path]:
    """The build folders, each once, an enclosing folder before those inside it (so a form
    is named from the widest folder given, whatever the order on the command line)."""
    unique: dict[Path, Path] = {}
    for build in builds:
        unique.setdefault(build.resolve(), build)
    return [unique[key] for key in sorted(unique, key=lambda p: p.parts)]


Row = TypeVar("Row", ProjectRow, GoalsRow)


def _same_unit(rows: list[Row], paths: dict[int, Path], problems: list[Diagnostic]) -> list[Row]:
    """The rows whose amounts can be stated exactly in the summary's unit (the first form's,
    元 or 万元, or the first form's when none is in either); each other one is left out with
    SE607, never added as if it were."""
    known = [row.amount_unit for row in rows if row.amount_unit in AMOUNT_UNITS]
    unit = known[0] if known else rows[0].amount_unit if rows else AMOUNT_UNITS[0]
    kept = []
    for row in rows:
        if convertible(row.amount_unit, unit):
            kept.append(row)
        else:
            where = Location(str(paths[id(row)]))
            problems.append(make("SE607", where, unit=row.amount_unit, summary_unit=unit))
    return kept


def collect(builds: list[Path]) -> Collected:
    """Every form of the builds, self-evaluations and 申报表 apart, each sorted by folder and
    file name (so shards' folders give the rows of one build), and what could not be read.

    A form is counted once however the folders are named: the same folder twice, a folder
    and one inside it, a symlink to a folder (a file is known by its device and inode). A
    form whose amount unit cannot be converted exactly into the others' is left out and
    reported (SE607)."""
    rows: list[ProjectRow] = []
    goals: list[GoalsRow] = []
    departments: list[DepartmentRow] = []
    problems: list[Diagnostic] = []
    seen: set[tuple[int, int]] = set()
    paths: dict[int, Path] = {}
    for build in _builds(builds):
        for path, relative in _json_files(build):
            try:
                info = os.lstat(path)
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_JSON_BYTES:
                    raise NotAForm("not a regular file of bounded size")
                if (info.st_dev, info.st_ino) in seen:
                    continue  # already read through another folder given
                seen.add((info.st_dev, info.st_ino))
                data = json.loads(path.read_bytes(), parse_float=Decimal)
                row = read_form(data, relative.parent.as_posix().strip("."), relative.name)
            except (OSError, ValueError, RecursionError, NotAForm) as error:
                problems.append(make("SE606", Location(str(path)), detail=str(error)[:200]))
                continue
            if isinstance(row, GoalsRow):
                goals.append(row)
            elif isinstance(row, DepartmentRow):
                departments.append(row)
            elif row is not None:
                rows.append(row)
            if row is not None:
                paths[id(row)] = path
    rows.sort(key=lambda r: r.sort_key)
    goals.sort(key=lambda r: r.sort_key)
    rows = _same_unit(rows, paths, problems)
    goals = _same_unit(goals, paths, problems)
    departments.sort(key=lambda r: r.sort_key)
    return Collected(rows, goals, problems, departments)

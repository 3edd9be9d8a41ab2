"""``selfeval rollover``: next year's specs from this year's, edited as YAML, not as text.

Kept: identity, goals (预期目标, 项目总体目标), indicators with their targets and weights,
the funds rows' 年初预算数, comments and key order. Removed: what only this year's end could
tell — 全年预算数 and 全年执行数, the printed figures (funds.total, total, grade), 实际完成情况,
each indicator's actual, score and deviation, the funds deviation, the year's 实施内容及过程概述
(``goals.process``), the rows after the table (``remarks``) and the 填报日期. ``year`` is set
wherever a file states it (a spec or a ``_defaults.yaml``). Each spec is put at the 申报 stage (a
``stage: 申报`` key, first, with a comment saying how to move it to 自评 at the year's end)
and its editor modeline names the 申报表's schema: plain ``selfeval check`` and ``build``
then treat it as next spring's 绩效目标申报表, beside this year's 自评表. It checks without
errors; the 申报表's own cells the autumn spec never had (项目性质, 项目类别, the planned
dates, 项目资金总额, 项目总体目标) are listed as warnings, still to fill.

Every file is first read by selfeval's own loader, with all its limits (size, aliases,
numbers, control characters); only a file it accepts is edited, with ruamel.yaml's round-trip
mode so that comments, key order and number spelling (``14.00``) survive.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from selfeval_compiler.diagnostics import Diagnostic, Location, make
from selfeval_compiler.model.amounts import FUND_ROWS
from selfeval_compiler.model.spec import NOT_APPLICABLE_WORDS
from selfeval_compiler.outputs.writing import write_output
from selfeval_compiler.sources.discovery import discover
from selfeval_compiler.sources.project import inside
from selfeval_compiler.sources.resources import schema_reference
from selfeval_compiler.sources.schema import wrong_type
from selfeval_compiler.sources.yaml_loader import Document, load_text, read_source

DEFAULTS_NAME = "_defaults.yaml"
YEAR_END_FUNDS = ("annual", "executed", "reason")
"""A row's year-end facts: its 原因 explains this year's execution (得分计算方法 stays)."""
YEAR_END_INDICATOR = ("actual", "score", "deviation")


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line the author wrote on one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


SPRING = "申报"
STAGE_NOTE = "申报：明年春季的绩效目标申报表。年终改为 自评，再补上实际数"
_MODELINE = "# yaml-language-server: $schema="


def _to_spring(data: Any) -> None:
    if "stage" in data:
        data["stage"] = SPRING
    else:
        data.insert(0, "stage", SPRING, comment=STAGE_NOTE)


def roll_spec(data: Any, year: int) -> None:
    """Put a spec at next spring's 申报 stage and remove the year's-end facts from its
    round-trip data, in place. The shapes were checked (:func:`shape_problems`); anything
    else is left as it stands."""
    _to_spring(data)
    if "year" in data:
        data["year"] = year
    for key in ("total", "grade"):
        data.pop(key, None)
    funds = data.get("funds")
    if isinstance(funds, dict):
        funds.pop("total", None)
        funds.pop("deviation", None)
        funds.pop("reason", None)
        for row in FUND_ROWS:
            if isinstance(funds.get(row), dict):
                for key in YEAR_END_FUNDS:
                    funds[row].pop(key, None)
    goals = data.get("goals")
    if isinstance(goals, dict):
        goals.pop("actual", None)
        goals.pop("process", None)
    data.pop("remarks", None)  # 评价结论, 存在问题 …: this year's evaluation
    filing = data.get("filing")
    if isinstance(filing, dict):
        filing.pop("date", None)
    for item in _indicator_items(data.get("indicators")):
        for key in YEAR_END_INDICATOR:
            item.pop(key, None)


def _indicator_items(indicators: Any) -> list[Any]:
    """Every indicator mapping under 一级 → 二级 → list, whatever else stands there."""
    groups = indicators.values() if isinstance(indicators, dict) else ()
    lists = [part for group in groups if isinstance(group, dict) for part in group.values()]
    return [
        item for part in lists if isinstance(part, list) for item in part if isinstance(item, dict)
    ]


_SHAPES: tuple[tuple[str, str], ...] = (
    ("funds", "object"),
    ("goals", "object"),
    ("filing", "object"),
)


def shape_problems(document: Document, *, spec: bool) -> list[Diagnostic]:
    """What rollover edits must have the shape ``check`` asks for (SE103, as ``check`` words
    it): the file a mapping; for a spec also ``funds`` and ``goals`` mappings, ``indicators``
    a mapping of mappings of lists of mappings (an empty value is left to ``check``). A
    file of another shape is not rolled over."""
    data = document.data
    if not isinstance(data, dict):
        return [wrong_type(document, (), "object")]
    if not spec:
        return []
    found = [
        wrong_type(document, (key,), expected)
        for key, expected in _SHAPES
        if data.get(key) is not None and not isinstance(data[key], dict)
    ]
    indicators = data.get("indicators") or {}  # an empty key: nothing to edit, check says so
    if not isinstance(indicators, dict):
        return [*found, wrong_type(document, ("indicators",), "object")]
    for level1, groups in indicators.items():
        if groups is None:
            continue
        if not isinstance(groups, dict):
            found.append(wrong_type(document, ("indicators", level1), "object"))
            continue
        for level2, items in groups.items():
            if items is None or items in NOT_APPLICABLE_WORDS:  # 不适用: nothing to roll over
                continue
            if not isinstance(items, list):
                found.append(wrong_type(document, ("indicators", level1, level2), "array"))
                continue
            found += [
                wrong_type(document, ("indicators", level1, level2, index), "object")
                for index, item in enumerate(items)
                if not isinstance(item, dict)
            ]
    return found


def _modeline(text: str, target: Path, schema: str) -> str:
    """An editor modeline names ``schema`` as seen from the file's new place (a spring
    spec's is the 申报表's, which asks for no actuals)."""
    first, newline, rest = text.partition("\n")
    if first.startswith(_MODELINE):
        first = _MODELINE + schema_reference(target, schema)
    return first + newline + rest


def roll_defaults(data: Any, year: int) -> None:
    if "year" in data:
        data["year"] = year


def _move_profile(data: Any, source: Path, target: Path) -> None:
    """A profile named by a relative path still names the same file from the new place."""
    value = data.get("profile") if hasattr(data, "get") else None
    if not isinstance(value, str) or not value.endswith((".yaml", ".yml")):
        return
    if Path(value).is_absolute():
        return
    named = (source.parent / value).resolve()
    moved = os.path.relpath(named, target.parent.resolve()).replace(os.sep, "/")
    if moved != value:
        data["profile"] = moved


def _round_trip(yaml: Any, text: str, display: str) -> Any:
    """ruamel.yaml's round-trip data of a text selfeval's loader accepted; should its
    reading differ (it reads YAML 1.2), a syntax finding, never a traceback."""
    from ruamel.yaml.error import YAMLError

    try:
        data = yaml.load(text)
    except YAMLError as error:
        return make("SE001", Location(display, 1, 1), detail=str(error)[:300])
    if not isinstance(data, dict):
        return make("SE001", Location(display, 1, 1), detail=type(data).__name__)
    return data


@dataclass(frozen=True)
class _Target:
    source: Path
    display: str
    boundary: Path
    """What the source may not lead outside of (the spec root), also through a symlink."""
    target: Path


def _targets(sources: list[Path], destination: Path) -> tuple[list[_Target], list[Diagnostic]]:
    """Every spec under ``sources`` (as discovery finds them) and each ``_defaults.yaml`` in
    a folder between a spec and the folder named, each with its place in ``destination``;
    and SE608 for each file whose place an earlier one already takes in this run (two
    folders given with a file of the same name, or one inside the other): the first stays."""
    found: dict[Path, _Target] = {}
    claimed: dict[Path, _Target] = {}
    problems: list[Diagnostic] = []
    for source in sources:
        spec_files, _ = discover([source])
        base = source if source.is_dir() else source.parent
        for spec_file in spec_files:
            boundary = spec_file.root or base.resolve()
            files = [(spec_file.path, spec_file.display)]
            folder = spec_file.path.parent
            while source.is_dir() and (folder == base or base in folder.parents):
                files.append((folder / DEFAULTS_NAME, str(folder / DEFAULTS_NAME)))
                folder = folder.parent
            for path, display in files:
                if path in found or (path.name == DEFAULTS_NAME and not path.is_file()):
                    continue
                relative = PurePosixPath(path.relative_to(base).as_posix())
                target = destination.joinpath(*relative.parts)
                item = _Target(path, display, boundary, target)
                found[path] = item
                first = claimed.get(target)
                if first is not None and first.source.resolve() != path.resolve():
                    where = Location(display, 1, 1)
                    problems.append(
                        make("SE608", where, path=str(target), first=first.display, source=display)
                    )
                    continue
                claimed.setdefault(target, item)
    return sorted(claimed.values(), key=lambda t: t.target), problems


def rollover(
    sources: list[Path], year: int, destination: Path, force: bool = False
) -> tuple[list[Path], list[Diagnostic]]:
    """Write next year's files into ``destination``: what was written, and what was not."""
    written: list[Path] = []
    yaml = _yaml()
    targets, problems = _targets(sources, destination)
    for item in targets:
        source, display, target = item.source, item.display, item.target
        if not inside(source, item.boundary):
            where = Location(display, 1, 1)
            problems.append(make("SE016", where, path=display, root=str(item.boundary)))
            continue
        text, _, found = read_source(source, display)  # read once: what is checked is edited
        document, loaded = load_text(text, display) if text is not None else (None, [])
        if document is None or text is None or found or loaded:
            problems += found + loaded
            continue
        shapes = shape_problems(document, spec=source.name != DEFAULTS_NAME)
        if shapes:
            problems += shapes
            continue
        if (target.exists() or target.is_symlink()) and not force:
            problems.append(make("SE605", Location(str(target)), path=str(target)))
            continue
        data = _round_trip(yaml, text, display)
        if isinstance(data, Diagnostic):
            problems.append(data)
            continue
        _move_profile(data, source, target)
        if source.name == DEFAULTS_NAME:
            roll_defaults(data, year)
        else:
            roll_spec(data, year)
        stream = io.StringIO()
        yaml.dump(data, stream)
        schema = "defaults" if source.name == DEFAULTS_NAME else "goals"
        rolled = _modeline(stream.getvalue(), target, f"{schema}.schema.json")
        problem = write_output(target, rolled.encode("utf-8"), within=destination)
        if problem is not None:
            problems.append(problem)
        else:
            written.append(target)
    return written, problems

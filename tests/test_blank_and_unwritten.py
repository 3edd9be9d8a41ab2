"""Cells that print as nothing, and year-end cells not yet written.

A target, actual or name of only spaces (any kind of space, or characters that print as
nothing) is the same error as an empty one, at its own line and column, in the
self-evaluation; the 申报表 warns of it as of its other blank cells. A self-evaluation
whose year-end values (实际完成值, 全年执行数, 实际完成情况 …) are left out or written as
``~`` gets one SE021 per cell, naming the cell and both fixes; never a traceback, never a silent 0.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from helpers import BASE, first_indicator, to_yaml, write

from selfeval_compiler import api
from selfeval_compiler.diagnostics import Diagnostic
from selfeval_compiler.sources.schema import blank

SPACES = {
    "ascii space": " ",
    "several spaces": "   ",
    "full-width space": "\u3000",
    "two full-width spaces": "\u3000\u3000",
    "no-break space": "\u00a0",
    "en quad": "\u2000",
    "em space": "\u2003",
    "thin space": "\u2009",
    "narrow no-break space": "\u202f",
    "medium mathematical space": "\u205f",
    "ogham space mark": "\u1680",
    "ideographic and ascii mixed": " \u3000 ",
    "hangul filler": "\u3164",
    "braille blank": "\u2800",
    "tab and newline": "\t\n",
}


def _check(tmp_path: Path, data: dict[str, Any] | str, form: str | None = None) -> list[Diagnostic]:
    path = write(tmp_path, data)
    report = api.check([path], form=form)
    return report.diagnostics


def _indicator_line(text: str, key: str) -> int:
    """The line of the first indicator's ``key`` (the 产出/数量 indicator BASE lists first)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "数量指标:" in line)
    return next(i for i, line in enumerate(lines[start:], start + 1) if f" {key}:" in line)


@pytest.mark.parametrize("space", SPACES.values(), ids=SPACES.keys())
@pytest.mark.parametrize("field", ["target", "actual", "name"])
def test_a_blank_cell_is_the_empty_error_at_its_place(
    tmp_path: Path, field: str, space: str
) -> None:
    text = to_yaml(first_indicator(**{field: space}))
    (finding,) = _check(tmp_path, text)
    assert finding.code == "SE104"
    assert "不能为空" in finding.message_zh
    assert field in finding.message_zh
    assert finding.location.line == _indicator_line(text, field)


@pytest.mark.parametrize("space", [" ", "\u3000", "\u00a0"])
def test_a_blank_target_in_the_goals_form_is_its_blank_cell_warning(
    tmp_path: Path, space: str
) -> None:
    """The 申报表 prints a blank cell and warns of it at the value (SE418), as it does for a
    target left out; only the self-evaluation scores a target."""
    data = first_indicator(target=space)
    data["stage"] = "申报"
    text = to_yaml(data)
    findings = [d for d in _check(tmp_path, text) if d.code == "SE418"]
    assert [d.location.line for d in findings] == [_indicator_line(text, "target")]


def test_a_blank_second_level_name_is_an_error(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["indicators"]["产出指标"]["\u3000"] = data["indicators"]["产出指标"].pop("质量指标")
    codes = [d.code for d in _check(tmp_path, data)]
    assert "SE104" in codes


def test_both_cells_blank_are_never_met(tmp_path: Path) -> None:
    """Before, a target and an actual both of one space compared equal: met, full score."""
    findings = _check(tmp_path, first_indicator(target=" ", actual=" "))
    assert [d.code for d in findings] == ["SE104", "SE104"]


@pytest.mark.parametrize("value", ["0", " 0 ", "\u3000合格\u3000", "—", "a\u200b"], ids=repr)
def test_text_with_something_printable_is_not_blank(value: str) -> None:
    assert not blank(value)


def test_blank_space_runs_longer_than_the_limit_still_say_empty(tmp_path: Path) -> None:
    findings = _check(tmp_path, first_indicator(actual="\u3000" * 600))
    assert {d.code for d in findings} == {"SE104"}
    assert any("不能为空" in d.message_zh for d in findings)


# --- year-end cells not yet written -------------------------------------------------------


def _without(path: tuple[str | int, ...], key: str, *, null: bool = False) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["stage"] = "自评"
    holder: Any = data
    for part in path:
        holder = holder[part]
    if null:
        holder[key] = None
    else:
        del holder[key]
    return data


UNWRITTEN = {
    "actual key missing": (("indicators", "产出指标", "数量指标", 0), "actual", False),
    "actual: ~": (("indicators", "产出指标", "数量指标", 0), "actual", True),
    "executed missing": (("funds", "current_year"), "executed", False),
    "executed: ~": (("funds", "current_year"), "executed", True),
    "annual missing": (("funds", "current_year"), "annual", False),
    "goals actual missing": (("goals",), "actual", False),
    "goals actual: ~": (("goals",), "actual", True),
}


@pytest.mark.parametrize(("path", "key", "null"), UNWRITTEN.values(), ids=UNWRITTEN.keys())
def test_each_unwritten_cell_is_one_message_naming_it_and_the_fix(
    tmp_path: Path, path: tuple[str | int, ...], key: str, null: bool
) -> None:
    (finding,) = _check(tmp_path, _without(path, key, null=null))
    assert finding.code == "SE021"
    assert key in finding.message_zh
    assert "stage: 申报" in finding.message_zh
    assert finding.location.line > 0
    assert finding.location.column > 0
    assert "stage: 申报" in finding.message_en


def test_the_unwritten_indicator_is_named(tmp_path: Path) -> None:
    (finding,) = _check(tmp_path, _without(("indicators", "产出指标", "数量指标", 0), "actual"))
    assert "培训人次" in finding.message_zh
    assert "实际完成值" in finding.message_zh


def test_every_unwritten_actual_is_its_own_message(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    for groups in data["indicators"].values():
        for items in groups.values():
            for item in items:
                del item["actual"]
    del data["funds"]["current_year"]["executed"]
    findings = _check(tmp_path, data)
    assert [d.code for d in findings] == ["SE021"] * 5
    assert len({d.location.line for d in findings}) == 5


def test_a_whole_funds_row_missing_is_one_message(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    del data["funds"]["current_year"]
    (finding,) = _check(tmp_path, data)
    assert finding.code == "SE102"
    assert "current_year" in finding.message_zh
    assert "当年财政拨款" in finding.message_zh


def test_a_spring_spec_needs_none_of_them(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["stage"] = "申报"
    del data["funds"]["current_year"]["executed"]
    del data["goals"]["actual"]
    del data["indicators"]["产出指标"]["数量指标"][0]["actual"]
    errors = [d for d in _check(tmp_path, data) if d.severity == "error"]
    assert errors == []  # (the 申报表 warns of its own blank cells: 项目性质 …)


def test_a_misspelt_actual_is_the_misspelling_only(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    item = data["indicators"]["产出指标"]["数量指标"][0]
    item["actaul"] = item.pop("actual")
    assert [d.code for d in _check(tmp_path, data)] == ["SE101"]


def test_unwritten_cells_build_nothing_and_exit_one(tmp_path: Path) -> None:
    path = write(tmp_path / "specs", _without(("funds", "current_year"), "executed", null=True))
    report = api.build([path], tmp_path / "out", formats=["json"])
    assert [d.code for d in report.diagnostics] == ["SE021"]
    assert not list((tmp_path / "out").rglob("*.json"))

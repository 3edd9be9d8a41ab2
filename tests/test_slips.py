"""Full-width “：” and “，” typed for YAML's own marks: found at the character, and only where
they are the cause (issue 18)."""

from __future__ import annotations

import pytest

from selfeval_compiler.sources.slips import line_candidates
from selfeval_compiler.sources.yaml_loader import load_text


def found(text: str) -> list[tuple[str, int, int]]:
    _document, problems = load_text(text, "x.yaml")
    return [(d.code, d.location.line, d.location.column) for d in problems]


def test_a_fullwidth_colon_after_a_key_is_named_at_its_character() -> None:
    text = "year: 2023\nproject：机关服务费\ndepartment: 某部门\n"
    (problem,) = load_text(text, "x.yaml")[1]
    assert (problem.code, problem.location.line, problem.location.column) == ("SE019", 2, 8)
    assert "把全角冒号“：”改成半角冒号“:”，冒号后加一个空格" in problem.message_zh
    assert "“project”" in problem.message_zh
    assert "full-width colon" in problem.message_en


def test_the_slip_on_the_first_line_is_not_blamed_on_the_second() -> None:
    assert found("year：2023\nproject: 机关服务费\n") == [("SE019", 1, 5)]


def test_a_fullwidth_comma_between_entries_of_a_flow() -> None:
    text = "items:\n  - {name: a， target: b}\n"
    (problem,) = load_text(text, "x.yaml")[1]
    assert (problem.code, problem.location.line, problem.location.column) == ("SE020", 2, 13)
    assert "半角逗号“,”" in problem.message_zh


@pytest.mark.parametrize(
    "text",
    [
        "goals: {expected: 目标：完成, actual: 完成，良好}\n",
        "goals:\n  expected: 目标：完成\n  actual: 数量：3，质量：良好\n",
        "goals:\n  expected: |\n    目标：完成\n    说明：无\n",
        "items:\n  - {name: 社会影响，群众认可, target: 明显}\n",
    ],
)
def test_fullwidth_marks_inside_text_load_as_written(text: str) -> None:
    document, problems = load_text(text, "x.yaml")
    assert problems == []
    assert document is not None
    assert "：" in str(document.data) or "，" in str(document.data)


def test_a_real_syntax_error_near_a_text_colon_stays_a_syntax_error() -> None:
    text = "goals:\n  expected: |\n    目标：完成\ndepartment 某部门\nunit: x\n"
    assert [code for code, *_ in found(text)] == ["SE001"]


def test_a_key_read_as_text_without_a_parse_error_is_caught() -> None:
    # goals: holds one plain text "expected：… actual：…" to PyYAML: no syntax error at all.
    text = "goals:\n  expected：完成年度任务。\n  actual：完成了年度任务。\nyear: 2023\n"
    assert found(text) == [("SE019", 2, 11), ("SE019", 3, 9)]


def test_a_flow_key_with_a_fullwidth_colon() -> None:
    assert found("items:\n  - {name：培训人次, weight: 30}\n") == [("SE019", 2, 10)]


def test_every_slip_and_a_remaining_error_are_reported_together() -> None:
    text = "project：甲\nitems:\n  - {name: a， target: b}\nx: [\n"
    codes = [code for code, *_ in found(text)]
    assert codes[:2] == ["SE019", "SE020"]
    assert codes[2:] == ["SE001"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("project：机关服务费", [7]),
        ("  - name：a", [8]),
        ("  expected: 目标：完成", []),
        ("# 注释：说明", []),
        ("  a: '引号：内'", []),
        ("  - {name: a， target: b}", [12]),
        ("  - {name: 甲，乙, target: b}", []),
    ],
)
def test_candidates_stand_where_yaml_punctuation_would(line: str, expected: list[int]) -> None:
    assert [index for index, _ in line_candidates(line)] == expected

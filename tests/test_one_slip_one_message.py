"""One slip, one message, with the fix in the clerk's words (issue 18)."""

from __future__ import annotations

import copy
from pathlib import Path

from helpers import BASE, codes, compile_one, first_indicator, spec


def test_a_misspelt_key_is_one_did_you_mean_not_also_missing(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["projet"] = data.pop("project")
    compiled = compile_one(tmp_path, data)
    assert codes(compiled) == ["SE101"]
    assert "是否应为“project”" in compiled.diagnostics[0].message_zh


def test_a_misspelt_indicator_field_is_one_message(tmp_path: Path) -> None:
    data = first_indicator()
    item = data["indicators"]["产出指标"]["数量指标"][0]
    item["nmae"] = item.pop("name")
    compiled = compile_one(tmp_path, data)
    assert codes(compiled) == ["SE101"]


def test_an_unknown_key_that_resembles_nothing_still_leaves_the_missing_one(
    tmp_path: Path,
) -> None:
    data = copy.deepcopy(BASE)
    del data["project"]
    data["xyz"] = "甲"
    assert sorted(codes(compile_one(tmp_path, data))) == ["SE101", "SE102"]


def test_an_unknown_profile_name_suggests_the_nearest_built_in(tmp_path: Path) -> None:
    compiled = compile_one(tmp_path, spec(profile="shanghai-municpal"))
    (problem,) = compiled.diagnostics
    assert problem.code == "SE504"
    assert "是否应为“shanghai-municipal”" in problem.message_zh
    assert "did you mean 'shanghai-municipal'" in problem.message_en


def test_an_unknown_profile_unlike_any_suggests_none(tmp_path: Path) -> None:
    (problem,) = compile_one(tmp_path, spec(profile="beijing-2031")).diagnostics
    assert "是否应为" not in problem.message_zh


def test_a_score_outside_its_band_names_the_band(tmp_path: Path) -> None:
    data = first_indicator(actual="部分达成年度指标并具有一定效果", score=25, deviation="延期")
    (problem,) = compile_one(tmp_path, data).diagnostics
    assert problem.code == "SE302"
    assert "应在 18.00 到 24.00 之间（分值 30 的 60%–80%）" in problem.message_zh
    assert "from 18.00 to 24.00 (60%–80% of the weight 30)" in problem.message_en


def test_a_year_with_its_character_says_write_the_number(tmp_path: Path) -> None:
    (problem,) = compile_one(tmp_path, spec(year="2023年")).diagnostics
    assert problem.code == "SE103"
    assert "年度只写数字，如 2023" in problem.message_zh


def test_a_quoted_amount_says_leave_the_quotes_off(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["funds"]["current_year"]["executed"] = "12.51"
    (problem,) = compile_one(tmp_path, data).diagnostics
    assert problem.code == "SE103"
    assert "金额不要加引号，写成 12.51" in problem.message_zh
    assert "leave the quotes off an amount: write 12.51" in problem.message_en


def test_a_quoted_weight_is_a_number_not_an_amount(tmp_path: Path) -> None:
    (problem,) = compile_one(tmp_path, first_indicator(weight="30")).diagnostics
    assert "数字不要加引号，写成 30" in problem.message_zh

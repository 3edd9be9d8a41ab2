"""One presentation of every figure: HTML and JSON state each figure identically."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SEED_FOLDER
from helpers import D, compile_one, first_indicator

from selfeval_compiler import api
from selfeval_compiler.forms.self_evaluation import present
from selfeval_compiler.outputs.html import render_html
from selfeval_compiler.outputs.json_format import form_to_data
from selfeval_compiler.rules.scoring import ScoredForm


def _cells(html: str) -> list[str]:
    return re.findall(r'<td class="num">([^<]*)</td>', html)


def _json_figures(data: dict[str, object]) -> list[str]:
    funds = data["funds"]
    assert isinstance(funds, dict)
    total = funds["total"]
    figures = [total["initial"], total["annual"], total["executed"]]
    figures += [funds["weight"], total["execution_rate"], funds["score"]]
    for row in funds["rows"].values():
        figures += [row["initial"], row["annual"], row["executed"], row["execution_rate"]]
    indicators = data["indicators"]
    assert isinstance(indicators, list)
    for item in indicators:
        figures += [item["weight"], item["score"]]
    return [*figures, data["total_weight"], data["total"]]


def _assert_same_figures(form: ScoredForm) -> None:
    shown = present(form)
    assert _cells(render_html(shown)) == _json_figures(form_to_data(shown))


@pytest.mark.parametrize("spec_file", sorted(SEED_FOLDER.glob("[!_]*.yaml")), ids=lambda p: p.stem)
def test_seed_forms_print_the_same_figures_in_html_and_json(spec_file: Path) -> None:
    compiled = api.check([spec_file]).compiled[0]
    assert compiled.form is not None
    _assert_same_figures(compiled.form)


def test_whole_number_weights_print_as_written_everywhere(tmp_path: Path) -> None:
    form = compile_one(tmp_path, first_indicator()).form
    assert form is not None
    data = form_to_data(present(form))
    assert [item["weight"] for item in data["indicators"]] == ["30", "20", "30", "10"]
    assert data["total_weight"] == "100"
    _assert_same_figures(form)


def test_three_decimal_amounts_print_as_written_everywhere(tmp_path: Path) -> None:
    data = first_indicator()
    data["funds"]["current_year"] = {
        "initial": D("89.974"),
        "annual": D("89.974"),
        "executed": D("80.5"),
    }
    form = compile_one(tmp_path, data).form
    assert form is not None
    shown = form_to_data(present(form))
    assert shown["funds"]["rows"]["current_year"]["annual"] == "89.974"
    assert shown["funds"]["rows"]["current_year"]["executed"] == "80.50"
    assert "89.974" in render_html(present(form))
    _assert_same_figures(form)


def test_json_output_file_reads_the_presentation(seed_build: Path) -> None:
    data = json.loads(
        (seed_build / "shanghai-xinjiang-office" / "02-kaiban-jingfei.json").read_text("utf-8")
    )
    html = (seed_build / "shanghai-xinjiang-office" / "02-kaiban-jingfei.html").read_text("utf-8")
    assert _cells(html) == _json_figures(data)

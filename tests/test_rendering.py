"""HTML rendering: golden files for the seed forms, layout structure, escaping."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SEED_FOLDER
from helpers import compile_one, first_indicator

from selfeval_compiler import api
from selfeval_compiler.forms.figures import figure
from selfeval_compiler.forms.self_evaluation import present
from selfeval_compiler.outputs.html import render_html

SPEC_FILES = sorted(SEED_FOLDER.glob("[!_]*.yaml"))


@pytest.mark.parametrize("spec_file", SPEC_FILES, ids=[p.stem for p in SPEC_FILES])
def test_seed_html_matches_golden(spec_file: Path, golden: Callable[[str, str], None]) -> None:
    compiled = api.check([spec_file]).compiled[0]
    assert compiled.form is not None
    html = render_html(present(compiled.form))
    # The stylesheet is inlined from templates/form.css; the golden keeps the form itself.
    golden(
        f"{spec_file.stem}.html",
        re.sub(
            r"<style>.*?</style>", "<style>/* templates/form.css */</style>", html, flags=re.DOTALL
        ),
    )


def test_rendering_is_deterministic() -> None:
    compiled = api.check([SPEC_FILES[0]]).compiled[0]
    assert compiled.form is not None
    assert render_html(present(compiled.form)) == render_html(present(compiled.form))


def test_level_cells_span_their_rows() -> None:
    compiled = api.check([SPEC_FILES[0]]).compiled[0]
    assert compiled.form is not None
    rows = present(compiled.form).indicators
    spans = [(r.level1_span, r.level2_span) for r in rows]
    # 产出: 数量, 质量, 时效, 成本×2 | 效益: 经济, 社会, 可持续×2 | 满意度: 1
    assert spans == [(5, 1), (0, 1), (0, 1), (0, 2), (0, 0), (4, 1), (0, 1), (0, 2), (0, 0), (1, 1)]
    assert sum(r.level1_span for r in rows) == len(rows)
    assert sum(r.level2_span for r in rows) == len(rows)


@pytest.mark.parametrize(
    ("value", "places", "printed"),
    [
        (Decimal("10.00"), 2, "10.00"),
        (Decimal("10.00"), 0, "10"),
        (Decimal("9.44"), 0, "9.44"),
        (Decimal("100.00"), 0, "100"),
        (Decimal("0"), 2, "0.00"),
        (Decimal("8.93"), 2, "8.93"),
    ],
)
def test_figure_filter(value: Decimal, places: int, printed: str) -> None:
    assert figure(value, places) == printed


def test_grade_row_follows_the_profile(tmp_path: Path) -> None:
    mof = compile_one(tmp_path, first_indicator())
    assert mof.form is not None
    html = render_html(present(mof.form))
    assert "评分等级" not in html
    assert "<h1>项目支出绩效自评表</h1>" in html
    assert "<th>分值</th>" in html
    assert "<th>分数</th>" not in html
    seed = api.check([SPEC_FILES[0]]).compiled[0]
    assert seed.form is not None
    seed_html = render_html(present(seed.form))
    assert "评分等级" in seed_html
    assert "<th>分数</th>" in seed_html


def test_spec_text_is_escaped(tmp_path: Path) -> None:
    compiled = compile_one(tmp_path, first_indicator(name='<img src="x">&"'))
    assert compiled.form is not None
    html = render_html(present(compiled.form))
    assert '<img src="x">' not in html
    assert "&lt;img src=&#34;x&#34;&gt;&amp;&#34;" in html


def test_funds_deviation_gets_its_own_row_inside_the_funds_block(tmp_path: Path) -> None:
    data = first_indicator()
    data["funds"]["deviation"] = "采购合同延至次年支付。"
    compiled = compile_one(tmp_path, data)
    assert compiled.form is not None
    html = render_html(present(compiled.form))
    assert '<th rowspan="6">项目资金' in html
    assert "采购合同延至次年支付。" in html
    plain_form = compile_one(tmp_path, first_indicator()).form
    assert plain_form is not None
    assert '<th rowspan="5">项目资金' in render_html(present(plain_form))

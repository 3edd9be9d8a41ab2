"""Every figure of the seed document comes out of selfeval, as printed (RULES.md §3)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SEED_FOLDER
from seed import SeedForm, seed_forms

from selfeval_compiler import api
from selfeval_compiler.forms.figures import figure, plain
from selfeval_compiler.forms.self_evaluation import indicator_places
from selfeval_compiler.rules.compiler import CompiledSpec

SEED = seed_forms()
SPEC_FILES = sorted(SEED_FOLDER.glob("[!_]*.yaml"))


def test_one_spec_per_seed_form_in_seed_order() -> None:
    report = api.check([SEED_FOLDER])
    assert [c.form.spec.project for c in report.compiled if c.form] == [f.project for f in SEED]


@pytest.fixture(scope="module")
def compiled() -> dict[str, CompiledSpec]:
    report = api.check([SEED_FOLDER])
    assert report.diagnostics == []
    return {c.form.spec.project: c for c in report.compiled if c.form}


@pytest.mark.parametrize("seed", SEED, ids=[f.project for f in SEED])
def test_funds_table(seed: SeedForm, compiled: dict[str, CompiledSpec]) -> None:
    form = compiled[seed.project].form
    assert form is not None
    funds = form.funds
    places = form.profile.rounding_places
    printed = (
        plain(funds.total.initial, 2),
        plain(funds.total.annual, 2),
        plain(funds.total.executed, 2),
        plain(funds.weight, places),
        plain(funds.total.rate, places),
        plain(funds.score, places),
    )
    assert printed == seed.total_row
    assert (
        tuple(
            (plain(r.initial, 2), plain(r.annual, 2), plain(r.executed, 2), plain(r.rate, places))
            for r in funds.rows
            if r.key in form.profile.layout.funds_rows
        )
        == seed.sub_rows
    )


@pytest.mark.parametrize("seed", SEED, ids=[f.project for f in SEED])
def test_indicator_scores_total_and_grade(
    seed: SeedForm, compiled: dict[str, CompiledSpec]
) -> None:
    form = compiled[seed.project].form
    assert form is not None
    places = indicator_places(form)
    assert (
        tuple(
            (figure(s.indicator.weight, places), figure(s.score, places)) for s in form.indicators
        )
        == seed.indicator_figures
    )
    assert figure(form.profile.total_weight, 0) == seed.total_weight
    assert figure(form.total, places) == seed.total
    assert form.grade == seed.grade


def test_json_output_holds_every_derived_figure(seed_build: Path) -> None:
    for seed, spec_file in zip(SEED, SPEC_FILES, strict=True):
        data = json.loads(
            (
                seed_build / "shanghai-xinjiang-office" / spec_file.with_suffix(".json").name
            ).read_text("utf-8")
        )
        assert data["project"] == seed.project
        assert data["funds"]["total"]["execution_rate"] == seed.total_row[4]
        assert data["funds"]["score"] == seed.total_row[5]
        assert [Decimal(i["score"]) for i in data["indicators"]] == [
            Decimal(score) for _, score in seed.indicator_figures
        ]
        assert Decimal(data["total"]) == Decimal(seed.total)
        assert data["grade"] == seed.grade
        assert all(isinstance(v, str) for v in data["funds"]["total"].values())


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


LABELS = (
    "财政项目支出绩效自评表",
    "（2023年度）",
    "项目名称",
    "主管部门",
    "实施单位",
    "项目资金",
    "（万元）",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "分数",
    "执行率(%)",
    "得分",
    "年度资金总额",
    "其中：当年财政拨款",
    "上年结转资金",
    "其他资金",
    "年度总体目标",
    "预期目标",
    "实际完成情况",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "偏差原因分析及改进措施",
    "产出指标",
    "效益指标",
    "满意度指标",
    "总分",
    "评分等级",
)


@pytest.mark.parametrize("index", range(len(SEED)), ids=[f.project for f in SEED])
def test_pdf_text_carries_every_seed_label_and_figure(seed_build: Path, index: int) -> None:
    from pypdf import PdfReader

    seed = SEED[index]
    pdf = seed_build / "shanghai-xinjiang-office" / SPEC_FILES[index].with_suffix(".pdf").name
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    text = _squeeze(reader.pages[0].extract_text())
    for label in LABELS:
        assert _squeeze(label) in text, label
    assert seed.project in text
    assert "年度资金总额" + "".join(seed.total_row) in text
    for row in seed.sub_rows:
        assert "".join(row[:3]) + "-" + row[3] + "-" in text
    table = text[text.index("偏差原因分析及改进措施") : text.index("评分等级")]
    for weight, score in seed.indicator_figures:
        assert weight + score in table
    assert "总分" + seed.total_weight + seed.total in text
    assert "评分等级" + seed.grade in text


def test_combined_pdf_holds_the_five_forms_in_order(seed_build: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(seed_build / "shanghai-xinjiang-office" / "_combined.pdf")
    assert len(reader.pages) == len(SEED)
    for page, seed in zip(reader.pages, SEED, strict=True):
        assert "项目名称" + seed.project in _squeeze(page.extract_text())
    assert reader.metadata is not None
    assert "上海市人民政府驻新疆办事处" in (reader.metadata.title or "")
    # A bookmark per form, titled with its project, at the form's first page.
    outline = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in outline] == [seed.project for seed in SEED]
    assert [reader.get_destination_page_number(item) for item in outline] == list(range(len(SEED)))
    assert reader.page_mode == "/UseOutlines"

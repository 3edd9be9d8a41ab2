"""Print quality on every form (#20 item 10): labels and short cells break between words,
stacked tables meet in one rule, a form running over a page is numbered, and a folder's
bundle has a bookmark per form. Measured on the PDFs themselves: the rules' strokes read back
with pdfplumber and their thickness in pixels of a page drawn at printer resolution."""

from __future__ import annotations

import copy
import io
import itertools
import re
import shutil
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from conftest import REPO, SEED_FOLDER
from helpers import BASE, compile_one
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from selfeval_compiler import api
from selfeval_compiler.diagnostics import Location
from selfeval_compiler.forms.wrapping import balanced, layout, pieces, room
from selfeval_compiler.outputs.html import balanced_breaks, page_number_content
from selfeval_compiler.outputs.render import render_printed
from selfeval_compiler.rules.goals import GoalsForm
from selfeval_compiler.rules.scoring import ScoredForm

GOALS_EXAMPLE = REPO / "examples" / "goals" / "chaiwei-2026.yaml"


# --- where a label or a short cell breaks -------------------------------------------------


def test_a_number_keeps_its_sign_and_unit() -> None:
    found = [p.text for p in pieces("≥1000平方米，2(次)与20万元以上 100%达到预算计划（地区）")]
    assert found[0] == "≥1000平方米，"  # the unit ends the phrase; the comma rides along
    assert "2(次)" in found  # a bracketed unit
    assert "20" in found
    assert "万" in found
    assert "100%" in found
    assert "达" in found
    assert found[-1] == "（地区）"  # a short bracketed note stays whole


@pytest.mark.parametrize(
    ("text", "width", "label", "lines"),
    [
        # The funds sub-row label of every seed form (#20: 其中：当年财 / 政拨款).
        ("其中：当年财政拨款", 13, True, ["其中：", "当年财政拨款"]),
        ("其中：本年财政拨款", 13, True, ["其中：", "本年财政拨款"]),
        # A number and its unit stay together where the column holds them (#20: ≥1000平方 / 米).
        ("场地面积≥1000平方米", 15, False, ["场地面积", "≥1000平方米"]),
        # Where it cannot, the number and the whole unit part, never 平方 / 米.
        ("≥1000平方米", 12, False, ["≥1000", "平方米"]),
        # Indicator levels: the head word whole (经济效益 / 指标, not 经济效 / 益指标).
        ("经济效益指标", 12, True, ["经济效益", "指标"]),
        ("可持续影响指标", 12, True, ["可持续影响", "指标"]),
        ("满意度指标", 9, True, ["满意度", "指标"]),
        ("满意度指标(10分)", 9, True, ["满意度", "指标", "(10分)"]),
        ("产出指标(70分)", 9, True, ["产出指标", "(70分)"]),
        # Written cells: two-character words from the start.
        ("成本控制在预算内", 12, False, ["成本控制", "在预算内"]),
        ("长效机制健全", 12, False, ["长效机制", "健全"]),
        ("项目验收合格率", 12, False, ["项目验收", "合格率"]),
        ("管理人员落实，人员配置合理", 12, False, ["管理人员", "落实，人员", "配置合理"]),
        ("支持服务贸易、服务外包企业数量", 18, False, ["支持服务贸易、", "服务外包企业数量"]),
        ("服务外包在岸(万美元)", 18, False, ["服务外包在岸", "(万美元)"]),
        # The profile's own breaks are kept; each of its lines laid out on its own.
        ("偏差原因分析\n及改进措施", 21, True, ["偏差原因分析", "及改进措施"]),
        ("满意度指标\n(10分)", 9, True, ["满意度", "指标", "(10分)"]),
    ],
)
def test_lines_break_between_words(text: str, width: float, label: bool, lines: list[str]) -> None:
    assert balanced(text, width, label).split("\n") == lines


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("年度资金总额", 13),  # fits: left alone
        ("", 12),
        ("项目支出绩效目标完成情况良好" * 5, 12),  # a paragraph: the renderer wraps it
        ("Annual budget execution rate", 12),  # Latin words: the renderer knows them
    ],
)
def test_texts_left_to_the_renderer(text: str, width: float) -> None:
    assert layout(text, width) is None
    assert balanced(text, width) == text


def test_html_marks_its_own_breaks_and_keeps_numbers_whole() -> None:
    shown = balanced_breaks("其中：当年财政拨款", 13, label=True)
    assert shown == Markup('其中：<br class="wrap">当年财政拨款')
    assert balanced_breaks("年度资金总额", 13) == "年度资金总额"
    # In a paragraph the renderer wraps, a number and its unit are one unbreakable span.
    long = "完成办公场所改造，" * 6 + "改造面积≥1000平方米"
    shown = balanced_breaks(long, 18)
    assert '<span class="nb">≥1000平方米</span>' in shown
    assert '<br class="wrap">' not in shown
    # Hostile text is escaped inside and outside the spans.
    shown = balanced_breaks("＜1000平方米&<i>" + "达到" * 30, 18)
    assert "<i>" not in shown
    assert "&lt;i&gt;" in shown
    assert "&amp;" in shown


def test_the_author_s_breaks_stay_hard_and_the_layout_s_soft() -> None:
    shown = balanced_breaks("满意度指标\n(10分)", 9, label=True)
    assert shown == Markup('满意度<br class="wrap">指标<br><span class="nb">(10分)</span>')


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(
            [
                *"产出指标效益满意度经济社会服务对象，。、：；（）()%≥≤0123456789.万元平方米 \n",
                *("\u3000", "\u200b", "\x00", "😀", "a"),
            ]
        ),
        max_size=120,
    ),
    width=st.sampled_from([1, 6, 8, 9, 12, 13, 18, 21, 40, 100]),
    label=st.booleans(),
)
def test_any_text_keeps_every_character_and_fits(text: str, width: float, label: bool) -> None:
    found = layout(text, width, label)
    if found is None:
        assert balanced(text, width, label) == text
        return
    author_lines = text.split("\n")
    assert len(found) == len(author_lines)
    for lines, written in zip(found, author_lines, strict=True):
        assert "".join(piece.text for line in lines for piece in line) == written
        for line in lines:
            assert sum(piece.width for piece in line) <= room(width) + 1e-9


def test_a_huge_cell_is_laid_out_quickly() -> None:
    text = "完成" * 50_000
    assert layout(text, 12) is None  # a paragraph, and no quadratic work on it
    assert balanced_breaks(text, 12) == text


# --- page numbers -----------------------------------------------------------------------------


def test_page_number_format_becomes_counters_and_escaped_words() -> None:
    assert page_number_content("第 {page} 页 共 {pages} 页") == Markup(
        '"第 " counter(page) " 页 共 " counter(pages) " 页"'
    )
    assert page_number_content("-{page}-") == Markup('"-" counter(page) "-"')
    hostile = page_number_content('"}</style><script>x\\{page}')
    assert "</style>" not in hostile
    assert "<script>" not in hostile
    assert hostile.startswith('"\\22 }\\3c /style\\3e \\3c script\\3e x\\5c " counter(page)')
    assert page_number_content("{page}") == Markup("counter(page)")


def _long_spec(rows: int) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["indicators"]["产出指标"]["数量指标"] = [
        {"name": f"第{i}项工作量", "target": "≥1(次)", "actual": "2(次)", "weight": 1}
        for i in range(1, rows + 1)
    ]
    data["indicators"]["产出指标"]["质量指标"][0]["weight"] = 50 - rows
    return data


def _pdf_pages(tmp_path: Path, data: dict[str, Any], layout_: str = "") -> list[str]:
    if layout_:
        data = {**data, "profile": "custom.profile.yaml"}
    profile = f"extends: mof-2020\nlayout: {{{layout_}}}\n" if layout_ else None
    compiled = compile_one(tmp_path, data, profile)
    assert isinstance(compiled.printed, ScoredForm), compiled.diagnostics
    rendered = render_printed(compiled.printed, ["pdf"], created=None, where=Location("a"))
    assert rendered.ok, rendered.diagnostics
    with pdfplumber.open(io.BytesIO(rendered.outputs[0][1])) as pdf:
        return [re.sub(r"\s+", "", page.extract_text() or "") for page in pdf.pages]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("rows", "layout_", "feet"),
    [
        (30, "", ["第1页共2页", "第2页共2页"]),  # auto, the default: runs over, numbered
        (2, "", [None]),  # auto: one page, no number
        (30, "page_numbers: false", [None, None]),
        (2, "page_numbers: true", ["第1页共1页"]),
        (30, "page_numbers: auto, page_number_format: '-{page}-'", ["-1-", "-2-"]),
    ],
)
def test_a_form_running_over_a_page_is_numbered(
    tmp_path: Path, rows: int, layout_: str, feet: list[str | None]
) -> None:
    pages = _pdf_pages(tmp_path, _long_spec(rows), layout_)
    assert len(pages) == len(feet)
    for text, foot in zip(pages, feet, strict=True):
        if foot is None:
            assert not re.search(r"第\d+页共\d+页$|-\d+-$", text), text[-20:]
        else:
            assert text.endswith(foot), text[-20:]


@pytest.mark.slow
def test_a_goals_form_running_over_a_page_is_numbered(tmp_path: Path) -> None:
    text = GOALS_EXAMPLE.read_text("utf-8")
    long = text.replace("  expected: |-\n", "  expected: |-\n" + "    新增违建及时处置。\n" * 60)
    for name, source, longer in (("one", text, False), ("long", long, True)):
        path = tmp_path / name / "a.yaml"
        path.parent.mkdir()
        (tmp_path / name / "selfeval.toml").write_text("", "utf-8")
        path.write_text(source, "utf-8")
        compiled = api.check([path], form="goals").compiled[0]
        assert isinstance(compiled.printed, GoalsForm), compiled.diagnostics
        rendered = render_printed(compiled.printed, ["pdf"], created=None, where=Location("a"))
        with pdfplumber.open(io.BytesIO(rendered.outputs[0][1])) as pdf:
            shown = [re.sub(r"\s+", "", p.extract_text() or "") for p in pdf.pages]
        assert (len(shown) > 1) == longer
        numbered = [re.search(r"第(\d+)页共(\d+)页$", page) for page in shown]
        if longer:
            assert [m.groups() if m else None for m in numbered] == [
                (str(n), str(len(shown))) for n in range(1, len(shown) + 1)
            ]
        else:
            assert numbered == [None]


@pytest.mark.parametrize(
    "value",
    [
        "page_numbers: maybe",
        "page_numbers: 1",
        "page_number_format: ''",
        "page_number_format: [a]",
        f"page_number_format: '{'页' * 61}'",
    ],
)
def test_bad_page_number_settings_are_refused(tmp_path: Path, value: str) -> None:
    data = {**copy.deepcopy(BASE), "profile": "custom.profile.yaml"}
    compiled = compile_one(tmp_path, data, f"extends: mof-2020\nlayout: {{{value}}}\n")
    assert compiled.printed is None
    assert [d.code for d in compiled.diagnostics] == ["SE505"]
    assert "page_number" in compiled.diagnostics[0].message_en


# --- one rule where tables meet ---------------------------------------------------------------


def _seed_and_goals_pdfs(tmp_path: Path) -> list[bytes]:
    specs = tmp_path / "specs"
    shutil.copytree(SEED_FOLDER, specs / "unit")
    shutil.copy(GOALS_EXAMPLE, specs / "goals.yaml")
    made = []
    for path, form in (
        (specs / "unit" / "01-jiguan-fuwufei.yaml", None),
        (specs / "goals.yaml", "goals"),
    ):
        compiled = api.check([path], form=form).compiled[0]
        assert compiled.printed is not None, compiled.diagnostics
        rendered = render_printed(compiled.printed, ["pdf"], created=None, where=Location("a"))
        made.append(rendered.outputs[0][1])
    return made


def _rule_runs(data: bytes, dpi: int) -> list[int]:
    """Thickness in pixels of each horizontal rule crossing a column near the right edge of
    page 1 (inside the last column, where no text is), drawn without anti-aliasing as a
    printer would."""
    import pypdfium2

    page = pypdfium2.PdfDocument(data)[0]
    width, _ = page.get_size()
    x = width * 0.93
    bitmap = page.render(scale=dpi / 72, crop=(x, 0, width - x - 1, 0), no_smoothpath=True)
    image = bitmap.to_pil().convert("L")
    column = [image.getpixel((0, y)) for y in range(image.size[1])]
    runs, y = [], 0
    while y < len(column):
        if column[y] < 128:
            start = y
            while y < len(column) and column[y] < 128:
                y += 1
            runs.append(y - start)
        y += 1
    return runs


@pytest.mark.slow
def test_stacked_tables_meet_in_one_rule(tmp_path: Path) -> None:
    for data in _seed_and_goals_pdfs(tmp_path):
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page = pdf.pages[0]
            strokes = [
                line for line in page.lines if line["width"] > line["height"] and line["x1"] > 500
            ]
        # Every full-width rule is one stroke of the grid's width: two strokes a hair apart
        # (a table's bottom and the next one's top) print as one thick line.
        assert {round(line["linewidth"], 2) for line in strokes} == {0.6}
        tops = sorted({round(line["top"], 2) for line in strokes})
        assert len(tops) > 10
        gaps = [after - before for before, after in itertools.pairwise(tops)]
        assert min(gaps) > 5, tops
        # And on paper: at 1200 dpi every rule is as thick as every other (0.6pt = 10px);
        # at 300 dpi none is thicker than one rule drawn alone.
        runs = _rule_runs(data, 1200)
        assert len(runs) == len(tops)
        assert max(runs) - min(runs) <= 1, runs
        assert max(_rule_runs(data, 300)) <= 3


# --- a bookmark per form ----------------------------------------------------------------------


@pytest.mark.slow
def test_a_goals_bundle_has_a_bookmark_per_form(tmp_path: Path) -> None:
    from pypdf import PdfReader

    specs = tmp_path / "specs"
    specs.mkdir()
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    text = GOALS_EXAMPLE.read_text("utf-8")
    (specs / "a.yaml").write_text(text, "utf-8")
    (specs / "b.yaml").write_text(text.replace("拆违经费", "违建巡查"), "utf-8")
    assert api.build([specs], tmp_path / "out", formats=["pdf"], form="goals").errors == 0
    reader = PdfReader(next((tmp_path / "out").rglob("_combined.pdf")))
    assert [item.title for item in reader.outline] == ["拆违经费", "违建巡查"]  # type: ignore[union-attr]
    assert [reader.get_destination_page_number(item) for item in reader.outline] == [0, 1]  # type: ignore[arg-type]

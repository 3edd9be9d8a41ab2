"""The 绩效目标申报表 from the same spec (``--form goals``): the Shanghai 2026 form by
default, the MoF central template as a second profile; no actuals needed, none printed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import REPO, SEED_FOLDER, run_cli

from selfeval_compiler import api
from selfeval_compiler.forms.goals import present_goals
from selfeval_compiler.outputs.html import GOALS_TEMPLATE, render_html
from selfeval_compiler.sources.goals_schema import derive

EXAMPLE = REPO / "examples" / "goals" / "chaiwei-2026.yaml"


def _project(tmp_path: Path, text: str | None = None) -> Path:
    specs = tmp_path / "specs"
    specs.mkdir(parents=True)
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    (specs / "chaiwei.yaml").write_text(text or EXAMPLE.read_text("utf-8"), "utf-8")
    return specs


def test_the_shanghai_2026_form_prints_as_published(tmp_path: Path) -> None:
    specs = _project(tmp_path)
    report = api.build([specs], tmp_path / "out", formats=["json", "html"], form="goals")
    assert report.errors == 0, [d.message_en for d in report.diagnostics]
    data = json.loads((tmp_path / "out" / "chaiwei.json").read_text("utf-8"))
    assert data["title"] == "财政项目支出绩效目标申报表"
    assert data["amount_unit"] == "元"
    assert [(f["project_label"], f["project_amount"]) for f in data["funds"]] == [
        ("项目资金总额", "10,308,000.00"),
        ("其中：财政资金", "10,308,000.00"),
        ("", ""),
        ("其他资金", "0.00"),
    ]
    assert [(f["annual_label"], f["annual_amount"]) for f in data["funds"]] == [
        ("年度资金申请总额", "3,498,000.00"),
        ("其中：当年财政拨款", "3,498,000.00"),
        ("上年结转资金", "0.00"),
        ("其他资金", "0.00"),
    ]
    levels = [i["level1"] for i in data["indicators"]]
    assert levels[0] == "成本指标"  # 财预〔2021〕101号: 成本指标 first, as the 2026 form prints it
    assert data["indicators"][0]["target"] == "合理"
    html = (tmp_path / "out" / "chaiwei.html").read_text("utf-8")
    for absent in ("实际完成值", "分值", "得分", "总分"):
        assert absent not in html
    assert "计划开始日期" in html
    assert "2024-01-01" in html


def test_a_spring_spec_checks_clean_as_goals_and_not_as_self_evaluation(tmp_path: Path) -> None:
    specs = _project(tmp_path)
    assert api.check([specs], form="goals").diagnostics == []
    found = api.check([specs]).diagnostics
    missing = {str(d.args["cell"]).rsplit(".", 1)[-1] for d in found if d.code == "SE021"}
    assert {"actual", "weight", "annual", "executed"} <= missing  # each year-end cell: SE021


def test_the_central_template_is_a_second_profile(tmp_path: Path) -> None:
    text = EXAMPLE.read_text("utf-8").replace(
        "project_nature:", "profile: mof-central\nproject_nature:"
    )
    specs = _project(tmp_path, text)
    api.build([specs], tmp_path / "out", formats=["json"], form="goals")
    data = json.loads((tmp_path / "out" / "chaiwei.json").read_text("utf-8"))
    assert data["title"] == "项目支出绩效目标申报表"
    assert data["amount_unit"] == "万元"
    assert [f["annual_label"] for f in data["funds"]] == [
        "年度资金总额",
        "其中：财政拨款",
        "其他资金",
    ]
    assert data["funds"][0]["project_amount"] == "1030.80"
    assert data["indicators"][0]["level1"] == "产出指标"


def test_project_funds_that_do_not_add_up_are_reported(tmp_path: Path) -> None:
    text = EXAMPLE.read_text("utf-8").replace("fiscal: 1030.8, other: 0", "fiscal: 1000, other: 0")
    specs = _project(tmp_path, text)
    (finding,) = api.check([specs], form="goals").diagnostics
    assert finding.code == "SE408"
    line = text.split("\n").index(
        next(t for t in text.split("\n") if t.startswith("project_funds"))
    )
    assert finding.location.line == line + 1


def test_goals_html_matches_golden(tmp_path: Path, golden: object) -> None:
    specs = _project(tmp_path)
    compiled = api.check([specs], form="goals").compiled[0]
    assert compiled.goals is not None
    html = render_html(present_goals(compiled.goals), None, GOALS_TEMPLATE)
    body = html[html.index("<body>") :]
    golden("goals-chaiwei-2026.html", body)  # type: ignore[operator]


def test_goals_schema_is_current() -> None:
    base = json.loads((REPO / "schema/selfeval.schema.json").read_text("utf-8"))
    written = json.loads((REPO / "schema/goals.schema.json").read_text("utf-8"))
    assert written == derive(base), "run make docs"


def test_cli_builds_goals_into_their_own_folder(tmp_path: Path) -> None:
    specs = _project(tmp_path)
    shutil.copy(EXAMPLE, specs / "chaiwei.yaml")
    done = run_cli("build", "--form", "goals", "specs", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "build" / "goals" / "chaiwei.pdf").is_file()
    assert not (tmp_path / "build" / "chaiwei.pdf").exists()
    workbook = run_cli("build", "--form", "goals", "--format", "xlsx", "specs", "-q", cwd=tmp_path)
    assert workbook.returncode == 0, workbook.stdout + workbook.stderr
    assert (tmp_path / "build" / "goals" / "chaiwei.xlsx").is_file()
    refused = run_cli("build", "--form", "goals", "--format", "docx", "specs", cwd=tmp_path)
    assert refused.returncode == 2
    unknown = run_cli("check", "--form", "budget", "specs", cwd=tmp_path)
    assert unknown.returncode == 2


def _blank_cells(specs: Path) -> list[tuple[str, int, str]]:
    return [
        (d.code, d.location.line, d.message_zh)
        for d in api.check([specs], form="goals").diagnostics
        if d.code.startswith("SE41")
    ]


def test_every_cell_the_goals_form_would_print_blank_is_a_warning(tmp_path: Path) -> None:
    text = """\
year: 2026
project: 拆违经费
department: 执法大队
unit: 执法大队
project_category: 特定目标类
end_date: 2026-12-31
funds:
  current_year: {initial: 349.8}
goals:
  expected: 完成年度拆违计划任务。
indicators:
  成本指标:
    经济成本指标:
      - {name: 成本控制合理性, target: " "}
  产出指标:
    数量指标:
      - {name: 完成年度拆违计划, target: =100.00(%)}
"""
    specs = _project(tmp_path, text)
    report = api.check([specs], form="goals")
    assert report.errors == 0
    found = _blank_cells(specs)
    lines = text.split("\n")
    goals_line = lines.index("goals:") + 1
    target_line = next(n for n, t in enumerate(lines, 1) if 'target: " "' in t)
    assert [(code, line) for code, line, _ in found] == [
        ("SE410", 1),
        ("SE412", 1),
        ("SE414", 1),
        ("SE414", 1),
        ("SE414", 1),
        ("SE415", goals_line),
        ("SE418", target_line),
    ]
    messages = [message for _, _, message in found]
    assert messages[0] == "申报表的“项目性质”一栏将是空白：填写 project_nature，如 经常性项目"
    assert "“项目资金总额”" in messages[2]
    assert "project_funds.total" in messages[2]
    assert "成本指标 / 经济成本指标 / 成本控制合理性" in messages[-1]
    english = [d.message_en for d in report.diagnostics if d.code == "SE410"]
    assert english == [
        "the goals form's (申报表) “项目性质” cell will print blank: "
        "fill in project_nature, e.g. 经常性项目"
    ]


def test_blank_cells_are_named_in_the_chosen_profiles_words(tmp_path: Path) -> None:
    text = EXAMPLE.read_text("utf-8").replace(
        "project_nature: 阶段性项目\n", "profile: mof-central\n"
    )
    specs = _project(tmp_path, text)
    ((code, line, message),) = _blank_cells(specs)
    assert (code, line) == ("SE410", 1)
    assert "“项目属性”" in message  # the central template's label, not 项目性质


def test_an_autumn_spec_printed_as_goals_reports_its_blank_cells(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SEED_FOLDER, specs)
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    (spec,) = [
        c for c in api.check([specs], form="goals").compiled if c.spec_file.path.name[:2] == "01"
    ]
    codes = sorted(d.code for d in spec.diagnostics)
    assert codes == ["SE410", "SE411", "SE412", "SE413", "SE414", "SE414", "SE414", "SE415"]

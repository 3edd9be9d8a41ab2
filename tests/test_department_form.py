"""The 部门整体支出绩效自评表 (a spec with ``form: 部门整体``): its figures derived as a project's
(执行率 × 分值, the project indicator rules or 得分系数 × 权重 where the profile says), every
printed figure a spec copies checked, and the form through check, build, diff, xlsx and new."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import to_yaml, write
from openpyxl import load_workbook

from selfeval_compiler import api
from selfeval_compiler.diagnostics import lookup
from selfeval_compiler.diff.compare import facts
from selfeval_compiler.forms.department import present_department
from selfeval_compiler.rules.compiler import CompiledSpec
from selfeval_compiler.rules.department import DepartmentForm


def department(**changes: Any) -> dict[str, Any]:
    """A department spec under the default profile: 基本支出 and 项目支出, three indicators
    in the 一级 / 二级 hierarchy."""
    data: dict[str, Any] = {
        "form": "部门整体",
        "year": 2023,
        "unit": "某区教育局",
        "department": "某区人民政府",
        "funds": {
            "weight": 10,
            "basic": {"initial": 100, "annual": 100, "executed": 95},
            "project": {"initial": 50, "annual": 60, "executed": 45},
        },
        "goals": {"initial": "保障运转", "adjusted": "保障运转，完成培训", "actual": "已完成"},
        "indicators": {
            "产出指标": {
                "数量指标": [
                    {"name": "培训次数", "unit": "次", "target": "≥12次", "actual": "12次",
                     "weight": 30, "core": True},
                ],
                "质量指标": [
                    {"name": "合格率", "unit": "%", "target": "100%", "actual": "90%",
                     "weight": 30, "deviation": "部分学员补考"},
                ],
            },
            "效益指标": {
                "社会效益指标": [
                    {"name": "覆盖率", "target": "≥90%", "adjusted": "≥80%", "actual": "85%",
                     "weight": 30, "core": "否"},
                ],
            },
        },
    }  # fmt: skip
    data.update(changes)
    return data


def _compile(
    tmp_path: Path, data: dict[str, Any] | str, profile: str | None = None
) -> CompiledSpec:
    if profile is not None:
        (tmp_path / "custom.profile.yaml").write_text(profile, encoding="utf-8")
    report = api.check([write(tmp_path, data)])
    (compiled,) = report.compiled
    return compiled


def _codes(compiled: CompiledSpec) -> list[str]:
    return sorted(d.code for d in compiled.diagnostics)


def _form(compiled: CompiledSpec) -> DepartmentForm:
    assert compiled.department is not None, [d.message_en for d in compiled.diagnostics]
    return compiled.department


def test_funds_and_indicators_are_scored_as_for_projects(tmp_path: Path) -> None:
    compiled = _compile(tmp_path, department())
    assert compiled.diagnostics == []
    form = _form(compiled)
    # 合计 = 基本支出 + 项目支出; 执行率 = 140 ÷ 160; 执行率得分 = 87.5% × 10.
    assert (form.funds.total.annual, form.funds.total.executed) == (Decimal(160), Decimal(140))
    assert form.funds.total.rate == Decimal("87.50")
    assert [row.rate for row in form.funds.rows] == [Decimal("95.00"), Decimal("75.00")]
    assert form.funds.score == Decimal("8.75")
    # met; 90% of a 100% target; met against the 调整指标值 (≥80%), not the 年初 one (≥90%)
    assert [s.score for s in form.indicators] == [30, 27, 30]
    assert [s.coefficient for s in form.indicators] == [100, 90, 100]
    assert form.total == Decimal("95.75")
    shown = present_department(form)
    assert [line.label for line in shown.funds] == ["合计", "基本支出", "项目支出"]
    assert (shown.funds[0].weight, shown.funds[1].weight) == ("10", "")
    assert [line.core for line in shown.indicators] == ["是", "", "否"]
    assert [line.level1_span for line in shown.indicators] == [2, 0, 1]
    assert shown.total == "95.75"
    assert shown.total_at == "table"


def test_the_coefficient_rule_scores_coefficient_times_weight(tmp_path: Path) -> None:
    profile = "extends: mof-2020\ndepartment_form: {indicator_score: coefficient}\n"
    data = department(profile="custom.profile.yaml")
    items = data["indicators"]["产出指标"]
    items["数量指标"][0]["coefficient"] = 100
    items["质量指标"][0]["coefficient"] = 50  # the unit's own judgement, not the ratio 90%
    data["indicators"]["效益指标"]["社会效益指标"][0]["coefficient"] = 80
    form = _form(_compile(tmp_path, data, profile))
    assert [s.score for s in form.indicators] == [30, 15, 24]
    assert form.total == Decimal("77.75")


def test_a_missing_coefficient_under_the_coefficient_rule_is_an_error(tmp_path: Path) -> None:
    profile = "extends: mof-2020\ndepartment_form: {indicator_score: coefficient}\n"
    compiled = _compile(tmp_path, department(profile="custom.profile.yaml"), profile)
    assert _codes(compiled) == ["SE705", "SE705", "SE705"]
    assert compiled.department is None
    assert "coefficient" in lookup("SE705").fix_zh


def test_a_written_score_against_the_coefficient_is_reported_at_its_line(tmp_path: Path) -> None:
    profile = "extends: mof-2020\ndepartment_form: {indicator_score: coefficient}\n"
    text = to_yaml(department(profile="custom.profile.yaml", indicators=[
        {"name": "预算执行率", "target": "≥90%", "actual": "95%", "coefficient": 100,
         "weight": 90, "score": 80},
    ]))  # fmt: skip
    compiled = _compile(tmp_path, text, profile)
    (found,) = compiled.diagnostics
    assert found.code == "SE706"
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "score: 80" in t)
    assert found.location.line == line


def test_printed_figures_are_checked(tmp_path: Path) -> None:
    data = department(total=99)
    data["funds"]["total"] = {"annual": 150, "rate": 87.5, "score": 9}
    compiled = _compile(tmp_path, data)
    found = {(d.code, d.args.get("written"), d.args.get("derived")) for d in compiled.diagnostics}
    assert found == {
        ("SE704", Decimal(150), Decimal(160)),
        ("SE704", Decimal(9), Decimal("8.75")),
        ("SE704", Decimal(99), Decimal("95.75")),
    }


def test_a_written_coefficient_the_rules_do_not_give_is_a_warning(tmp_path: Path) -> None:
    data = department()
    data["indicators"]["产出指标"]["质量指标"][0]["coefficient"] = 100
    compiled = _compile(tmp_path, data)
    assert _codes(compiled) == ["SE707"]
    assert _form(compiled).indicators[1].score == 27


def test_one_row_without_amounts_uses_its_printed_rate(tmp_path: Path) -> None:
    data = department(funds={"weight": 10, "total": {"rate": 76, "score": 7.6}})
    compiled = _compile(tmp_path, data)
    assert _codes(compiled) == ["SE702"]
    form = _form(compiled)
    assert form.funds.score == Decimal("7.6")
    assert present_department(form).funds[0].initial == ""


def test_funds_with_nothing_to_score_are_an_error(tmp_path: Path) -> None:
    compiled = _compile(tmp_path, department(funds={"weight": 10}))
    assert _codes(compiled) == ["SE701"]
    compiled = _compile(tmp_path, department(funds={"weight": 10, "total": {"score": 7}}))
    assert _codes(compiled) == ["SE701"]


def test_execution_over_budget_is_a_warning_and_the_score_is_capped(tmp_path: Path) -> None:
    data = department(funds={"weight": 10, "total": {"initial": 1, "annual": 1, "executed": 2}})
    compiled = _compile(tmp_path, data)
    assert "SE703" in _codes(compiled)
    assert _form(compiled).funds.score == 10


@pytest.mark.parametrize("blank", ["", " ", "\u3000"])
def test_a_blank_actual_cannot_be_scored_by_the_rules(tmp_path: Path, blank: str) -> None:
    data = department(
        indicators=[{"name": "到位率", "target": "100%", "actual": blank, "weight": 90}]
    )
    compiled = _compile(tmp_path, data)
    assert _codes(compiled) == ["SE710"]
    assert compiled.department is None


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"form": "部门整体表"}, "SE104"),  # a near miss: the schema names the word it takes
        ({"form": "项目"}, "SE101"),  # not a department spec: its keys are not a project's
        ({"indicators": []}, "SE104"),
        ({"indicators": "很多"}, "SE103"),
        ({"funds": {"weight": 10, "basic": {"initial": 1}}}, "SE102"),
        ({"funds": {"weight": 10**30}}, "SE012"),
        ({"funds": {"weight": 101}}, "SE104"),
        ({"goals": {"initial": ["a"], "actual": "b"}}, "SE103"),
        ({"unit": ""}, "SE104"),
        ({"unit": " "}, "SE104"),
        ({"indicators": [{"name": "x", "weight": 1, "core": "也许"}]}, "SE104"),
        ({"indicators": [{"name": "x", "weight": "十"}]}, "SE103"),
        ({"indicators": [{"name": "x\u202e", "weight": 1}]}, "SE025"),
        ({"funds": {"weight": 10, "total": {"rate": -1}}}, "SE104"),
    ],
)
def test_hostile_department_specs_are_diagnosed(
    tmp_path: Path, change: dict[str, Any], code: str
) -> None:
    compiled = _compile(tmp_path, department(**change))
    assert code in _codes(compiled), [(d.code, d.message_en) for d in compiled.diagnostics]
    assert compiled.department is None


def test_huge_amounts_stay_exact(tmp_path: Path) -> None:
    huge = Decimal("123456789012345.67")
    data = department(
        funds={"weight": 10, "total": {"initial": huge, "annual": huge, "executed": huge}}
    )
    form = _form(_compile(tmp_path, data))
    assert form.funds.total.executed == huge
    assert present_department(form).funds[0].executed == "123456789012345.67"


def test_a_department_spec_is_discovered_beside_project_specs_and_built(tmp_path: Path) -> None:
    from helpers import BASE

    specs = tmp_path / "specs"
    write(specs, BASE, "project.yaml")
    write(specs, department(), "department.yaml")
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    report = api.build([specs], tmp_path / "out", formats=["html", "json", "xlsx"])
    assert report.errors == 0, [d.message_en for d in report.diagnostics]
    data = json.loads((tmp_path / "out" / "department.json").read_text("utf-8"))
    assert data["form"] == "department"
    assert data["total"] == "95.75"
    assert data["funds"][0] == {
        "label": "合计", "initial": "150.00", "annual": "160.00", "executed": "140.00",
        "rate": "87.50", "weight": "10", "score": "8.75",
    }  # fmt: skip
    assert [i["coefficient"] for i in data["indicators"]] == ["100.00", "90.00", "100.00"]
    html = (tmp_path / "out" / "department.html").read_text("utf-8")
    assert "部门整体支出绩效自评表" in html
    assert "调整指标值" in html
    workbook = load_workbook(io.BytesIO((tmp_path / "out" / "department.xlsx").read_bytes()))
    cells = [c for row in workbook.active.iter_rows(values_only=True) for c in row if c]
    assert {"是否核心指标", "培训次数", 8.75} <= set(cells)
    assert json.loads((tmp_path / "out" / "project.json").read_text("utf-8"))["project"]
    # The folder workbook holds the department form's sheet beside the project's.
    bundle = load_workbook(io.BytesIO((tmp_path / "out" / "_combined.xlsx").read_bytes()))
    assert len(bundle.sheetnames) >= 2


def test_the_diff_names_each_printed_cell_that_changed(tmp_path: Path) -> None:
    old = _form(_compile(tmp_path / "a", department()))
    data = department()
    data["indicators"]["产出指标"]["质量指标"][0]["actual"] = "80%"
    new = _form(_compile(tmp_path / "b", data))
    before = {f.key: f for f in facts(old)}
    after = {f.key: f for f in facts(new)}
    changed = sorted(f.label for k, f in after.items() if before[k].value != f.value)
    assert changed == [
        "产出指标·质量指标·合格率·全年完成值",
        "产出指标·质量指标·合格率·得分系数（%）",
        "产出指标·质量指标·合格率·指标得分（分）",
        "自评总分（分）",
    ]
    assert (before["total"].value, after["total"].value) == ("95.75", "92.75")


def test_new_writes_a_department_skeleton_that_check_reads_as_one(tmp_path: Path) -> None:
    path = tmp_path / "dept.yaml"
    api.new(path, year=2024, form="department")
    text = path.read_text("utf-8")
    assert "form: 部门整体" in text
    assert "department.schema.json" in text
    report = api.check([path])
    # The skeleton's blanks are named, as the schema of a department spec sees them.
    assert {d.code for d in report.diagnostics} == {"SE104"}
    with pytest.raises(api.UsageError):
        api.new(tmp_path / "x.yaml", form="部门")


def test_the_chongqing_example_builds_as_a_pdf_with_its_printed_figures(tmp_path: Path) -> None:
    from conftest import REPO
    from pypdf import PdfReader

    spec = REPO / "examples" / "realforms" / "cq-kexuecheng-rongmeiti-2021-department.yaml"
    report = api.build([spec], tmp_path / "out", formats=["pdf"])
    assert report.errors == 0
    (pdf,) = (tmp_path / "out").rglob("*.pdf")
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for printed in (
        "部门整体绩效自评表",
        "西部(重庆)科学城融媒体中心",
        "76%",
        "7.6",
        "72.74%",
        "自评总分",
    ):
        assert printed in text


def test_a_summary_lists_department_forms_in_a_table_of_their_own(tmp_path: Path) -> None:
    from helpers import BASE

    specs = tmp_path / "specs"
    write(specs, BASE, "project.yaml")
    write(specs, department(), "department.yaml")
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    api.build([specs], tmp_path / "out", formats=["json"])
    report = api.summary([tmp_path / "out"], tmp_path / "sum", formats=["json", "html", "xlsx"])
    assert report.diagnostics == []
    assert (report.projects, report.departments) == (1, 1)
    data = json.loads((tmp_path / "sum" / "summary.json").read_text("utf-8"))
    assert [p["file"] for p in data["projects"]] == ["project.json"]  # never mixed in
    assert data["departments"] == [
        {
            "folder": "", "file": "department.json", "year": 2023, "unit": "某区教育局",
            "department": "某区人民政府", "rate": "87.50", "funds_score": "8.75",
            "total": "95.75", "indicators": 3,
        }
    ]  # fmt: skip
    html = (tmp_path / "sum" / "summary.html").read_text("utf-8")
    assert "部门整体支出绩效自评汇总表" in html
    workbook = load_workbook(io.BytesIO((tmp_path / "sum" / "summary.xlsx").read_bytes()))
    assert "部门整体" in workbook.sheetnames
    from conftest import run_cli

    told = run_cli(
        "summary", str(tmp_path / "out"), "-o", str(tmp_path / "cli"), "--format", "json"
    )
    assert told.returncode == 0, told.stderr
    assert "另有 1 个部门整体支出绩效自评表，单列一表" in told.stdout + told.stderr


def test_a_forged_department_json_is_reported_not_summarised(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    forged = {"form": "department", "year": 2023, "unit": "x" * 5000, "department": "",
              "funds": [{"rate": "1", "score": "1"}], "indicators": [], "total": "1"}  # fmt: skip
    (out / "a.json").write_text(json.dumps(forged), "utf-8")
    (out / "b.json").write_text(json.dumps({**forged, "unit": "u", "total": "=cmd()"}), "utf-8")
    report = api.summary([out], tmp_path / "sum", formats=["json"])
    assert [d.code for d in report.diagnostics] == ["SE606", "SE606"]
    assert report.departments == 0


def test_the_preview_shows_a_department_form_as_build_writes_it(tmp_path: Path) -> None:
    from selfeval_compiler.preview.pages import summary_of
    from selfeval_compiler.preview.workspace import Workspace

    specs = tmp_path / "specs"
    write(specs, department(), "department.yaml")
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    api.build([specs], tmp_path / "out", formats=["html"])
    workspace = Workspace([specs])
    workspace.load()
    (entry,) = workspace.entries.values()
    row = summary_of(entry)
    assert (row["form"], row["total"], row["errors"]) == ("部门整体表", "95.75", 0)
    assert row["project"] == "某区教育局部门整体支出"
    assert workspace.html(entry) == (tmp_path / "out" / "department.html").read_bytes()


def test_the_command_line_checks_builds_and_creates_department_specs(tmp_path: Path) -> None:
    from conftest import run_cli

    created = run_cli("new", str(tmp_path / "d.yaml"), "--form", "department", "--year", "2024")
    assert created.returncode == 0, created.stderr
    write(tmp_path / "specs", department(total=90), "department.yaml")
    checked = run_cli("check", str(tmp_path / "specs"))
    assert checked.returncode == 1
    assert "SE704" in checked.stdout + checked.stderr
    write(tmp_path / "specs", department(), "department.yaml")
    built = run_cli(
        "build", str(tmp_path / "specs"), "-o", str(tmp_path / "out"), "--format", "json"
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert json.loads((tmp_path / "out" / "department.json").read_text("utf-8"))["total"] == "95.75"


def test_diff_between_revisions_compares_the_department_form(repo: Path) -> None:
    from helpers import git

    path = write(repo / "specs" / "unit", department(), "zz-department.yaml")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "department form")
    path.write_text(path.read_text("utf-8").replace("actual: 90%", "actual: 80%"), "utf-8")
    report = api.diff(cwd=repo)
    (changed,) = [p for p in report.projects if p.status == "changed"]
    assert changed.project == "某区教育局部门整体支出"
    changes = {c.label: (c.old, c.new, c.derived) for c in changed.changes}
    assert changes["产出指标·质量指标·合格率·全年完成值"] == ("90%", "80%", False)
    assert changes["产出指标·质量指标·合格率·指标得分（分）"] == ("27", "24", True)
    assert (changed.old_total, changed.new_total) == ("95.75", "92.75")


def test_rollover_leaves_a_department_spec_where_it_is(tmp_path: Path) -> None:
    from helpers import BASE

    specs = tmp_path / "specs"
    write(specs, BASE, "project.yaml")
    write(specs, department(), "department.yaml")
    report = api.rollover([specs], 2024, tmp_path / "next")
    assert [path.name for path in report.written] == ["project.yaml"]
    (found,) = report.diagnostics
    assert (found.code, found.location.file) == ("SE711", str(specs / "department.yaml"))
    assert not (tmp_path / "next" / "department.yaml").exists()


@pytest.mark.parametrize("suffix", ["xlsx", "html", "pdf"])
def test_import_reads_a_department_form_back_into_the_same_spec(
    tmp_path: Path, suffix: str
) -> None:
    specs = tmp_path / "specs"
    write(specs, department(finance_office="教科文处", contact="张三"), "department.yaml")
    api.build([specs], tmp_path / "out", formats=[suffix])
    report = api.import_forms([tmp_path / "out" / f"department.{suffix}"], tmp_path / "imported")
    (written,) = report.written
    assert report.diagnostics == []
    assert written.name == "01-某区教育局部门整体.yaml"
    text = written.read_text("utf-8")
    assert "form: 部门整体" in text
    assert "department.schema.json" in text
    again = _compile(tmp_path / "again", text)
    assert again.diagnostics == []  # every printed figure read back agrees with the rules
    original = _form(_compile(tmp_path / "first", department()))
    form = _form(again)
    assert (form.spec.year, form.spec.unit, form.spec.finance_office) == (
        2023,
        "某区教育局",
        "教科文处",
    )
    assert form.total == original.total
    assert [s.score for s in form.indicators] == [s.score for s in original.indicators]
    assert [i.level2 for i in form.spec.indicators] == ["数量指标", "质量指标", "社会效益指标"]
    assert form.spec.goals == original.spec.goals


def test_import_reads_the_chongqing_shape_and_names_what_it_lacks(tmp_path: Path) -> None:
    from conftest import REPO

    spec = REPO / "examples" / "realforms" / "cq-kexuecheng-rongmeiti-2021-department.yaml"
    profile = REPO / "examples" / "profiles" / "chongqing-department.profile.yaml"
    api.build([spec], tmp_path / "out", formats=["xlsx"])
    (workbook,) = (tmp_path / "out").rglob("*.xlsx")
    # A profile file is named relative to the spec, so it must be where check can read it.
    (tmp_path / "imported").mkdir()
    local = tmp_path / "imported" / profile.name
    local.write_bytes(profile.read_bytes())
    report = api.import_forms([workbook], tmp_path / "imported", profile=str(local))
    (written,) = report.written
    text = written.read_text("utf-8")
    assert "total: {rate: 76, score: 7.6}" in text
    assert "coefficient: 100, weight: 10, score: 10, core: 是" in text
    checked = api.check([written])
    # The form prints no year: the imported spec says so, and nothing else is wrong with it.
    assert [(d.code, d.args.get("key")) for d in checked.diagnostics] == [("SE102", "year")]


def test_a_department_title_without_an_indicator_table_is_not_a_form(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><table><tr><td>2023年度部门整体支出绩效自评表</td></tr>"
        "<tr><td>部门名称</td><td>某局</td></tr></table></body></html>",
        "utf-8",
    )
    report = api.import_forms([page], tmp_path / "imported")
    assert report.written == []
    assert [d.code for d in report.diagnostics] == ["SE602"]


def test_a_department_spec_past_the_indicator_limit_is_refused_whole(tmp_path: Path) -> None:
    row = {"name": "x", "target": "1", "actual": "1", "weight": 0}
    many = {"产出指标": {f"二级{b}": [row] * 100 for b in range(4)}}  # 400 > 300
    compiled = _compile(tmp_path, department(indicators=many))
    assert _codes(compiled) == ["SE009"]
    assert compiled.department is None


@pytest.mark.parametrize(
    "setting",
    ["{indicator_score: magic}", "{total_at: footer}", "{labels: {nonsense: x}}", "[1]"],
)
def test_a_bad_department_form_setting_in_a_profile_is_refused(
    tmp_path: Path, setting: str
) -> None:
    profile = f"extends: mof-2020\ndepartment_form: {setting}\n"
    compiled = _compile(tmp_path, department(profile="custom.profile.yaml"), profile)
    assert compiled.department is None
    assert {d.code for d in compiled.diagnostics} <= {"SE505", "SE506", "SE504"}
    assert compiled.diagnostics


def test_a_long_department_form_repeats_its_indicator_headings_on_each_page(
    tmp_path: Path,
) -> None:
    from pypdf import PdfReader

    items = [
        {"name": f"指标{i}", "target": f"≥{i}次", "actual": f"{i}次", "weight": 1.5}
        for i in range(60)
    ]
    specs = tmp_path / "specs"
    write(specs, department(indicators=items), "department.yaml")
    report = api.build([specs], tmp_path / "out", formats=["pdf"])
    assert report.diagnostics == []
    pages = PdfReader(tmp_path / "out" / "department.pdf").pages
    assert len(pages) > 1
    assert all("指标名称" in page.extract_text() for page in pages[1:])

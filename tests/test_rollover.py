"""``selfeval rollover``: next year's specs, comments and order kept, the year's end gone."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, SEED_FOLDER, run_cli

from selfeval_compiler import api


def _project(tmp_path: Path) -> Path:
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    shutil.copytree(SEED_FOLDER, tmp_path / "specs" / "2023")
    return tmp_path / "specs" / "2023"


def test_rollover_keeps_comments_order_and_targets_and_drops_the_years_end(
    tmp_path: Path,
) -> None:
    source = _project(tmp_path)
    spec = source / "01-jiguan-fuwufei.yaml"
    spec.write_text(
        spec.read_text("utf-8").replace("funds:", "# 资金按上年口径\nfunds:")
        + "total: 98.93   # 照录\ngrade: 优\n",
        "utf-8",
    )
    before = spec.read_text("utf-8")
    report = api.rollover([source], 2024, tmp_path / "specs" / "2024")
    assert report.diagnostics == []
    assert len(report.written) == 6  # five specs and the folder's _defaults.yaml
    rolled = (tmp_path / "specs/2024/01-jiguan-fuwufei.yaml").read_text("utf-8")
    assert spec.read_text("utf-8") == before  # the source is never touched
    assert rolled.startswith("# yaml-language-server: $schema=")
    assert "# 资金按上年口径\nfunds:                      # 项目资金（万元）\n" in rolled
    assert "  current_year: {initial: 14.00}\n" in rolled
    assert "- {name: 公务用车保障率, target: 100%, weight: 10.00}" in rolled
    for gone in ("actual", "executed", "annual:", "total:", "grade:", "达成指标"):
        assert gone not in rolled, gone
    keys = [line.split(":")[0] for line in rolled.splitlines() if line and line[0].isalpha()]
    assert keys == ["stage", "project", "funds", "goals", "indicators"]
    assert rolled.splitlines()[1].startswith("stage: 申报  # ")  # first, and it says how to move on
    defaults = (tmp_path / "specs/2024/_defaults.yaml").read_text("utf-8")
    assert "year: 2024\n" in defaults
    assert "# 本目录所有表单共用的信息" in defaults


def test_rolled_specs_are_next_springs_goals_forms_beside_this_years(tmp_path: Path) -> None:
    """Spring and autumn in one repository: plain check sees each spec at its own stage."""
    source = _project(tmp_path)
    api.rollover([source], 2024, tmp_path / "specs" / "2024")
    both = api.check([tmp_path / "specs"])
    assert both.errors == 0
    # what remains is the 申报表's own cells the autumn specs never had (项目性质, 项目类别, …)
    blanks = {"SE410", "SE411", "SE412", "SE413", "SE414", "SE415"}
    assert {d.code for d in both.diagnostics} == blanks
    assert {d.location.file.split("/")[-2] for d in both.diagnostics} == {"2024"}
    spring = [c for c in both.compiled if c.goals]
    autumn = [c for c in both.compiled if c.form]
    assert {c.goals.spec.year for c in spring if c.goals} == {2024}
    assert {c.form.spec.year for c in autumn if c.form} == {2023}
    assert len(spring) == len(autumn) == 5
    told = api.check([tmp_path / "specs" / "2024"], form="self-evaluation")
    assert told.errors > 0  # --form still prints every spec as the form it names


def test_moving_a_spec_to_autumn_is_one_edit_and_check_lists_what_is_missing(
    tmp_path: Path,
) -> None:
    source = _project(tmp_path)
    api.rollover([source], 2024, tmp_path / "specs" / "2024")
    spec = tmp_path / "specs/2024/01-jiguan-fuwufei.yaml"
    text = spec.read_text("utf-8")
    spec.write_text(text.replace("stage: 申报", "stage: 自评", 1), "utf-8")
    report = api.check([spec])
    missing = [(d.code, d.location.line, d.location.json_path) for d in report.diagnostics]
    assert report.warnings == 0  # the 申报表's blank cells are not the 自评表's business
    assert {code for code, _, _ in missing} == {"SE021"}  # each year-end cell, naming stage: 申报
    lines = text.splitlines()
    funds_rows = [n for n, line in enumerate(lines, 1) if "{initial:" in line]
    indicators = [n for n, line in enumerate(lines, 1) if line.lstrip().startswith("- {name")]
    # 全年预算数 and 全年执行数 on each funds row, 实际完成情况, and each indicator's actual
    assert sorted(line for _, line, _ in missing) == sorted(
        [*funds_rows, *funds_rows, lines.index("goals:") + 1, *indicators]
    )


def test_rollover_never_overwrites_and_moves_profile_paths(tmp_path: Path) -> None:
    source = _project(tmp_path)
    shutil.copy(REPO / "examples/profiles/hubei.profile.yaml", tmp_path / "hubei.profile.yaml")
    spec = source / "02-kaiban-jingfei.yaml"
    spec.write_text(
        spec.read_text("utf-8").replace("project:", "profile: ../../hubei.profile.yaml\nproject:"),
        "utf-8",
    )
    target = tmp_path / "next"
    api.rollover([spec], 2024, target)
    rolled = (target / "02-kaiban-jingfei.yaml").read_text("utf-8")
    assert "profile: ../hubei.profile.yaml\n" in rolled
    (target / "02-kaiban-jingfei.yaml").write_text("mine", "utf-8")
    again = api.rollover([spec], 2024, target)
    assert [d.code for d in again.diagnostics] == ["SE605"]
    assert (target / "02-kaiban-jingfei.yaml").read_text("utf-8") == "mine"
    assert api.rollover([spec], 2024, target, force=True).written


def test_hostile_specs_are_refused_by_selfevals_own_loader(tmp_path: Path) -> None:
    source = tmp_path / "specs"
    source.mkdir()
    (source / "bomb.yaml").write_text("a: &a [x, x]\nb: [*a, *a, *a]\n", "utf-8")
    (source / "tabs.yaml").write_text("project:\n\tx: 1\n", "utf-8")
    report = api.rollover([source], 2024, tmp_path / "out")
    assert sorted(d.code for d in report.diagnostics) == ["SE001", "SE005"]
    assert report.written == []


def test_cli_rollover(tmp_path: Path) -> None:
    source = _project(tmp_path)
    done = run_cli("rollover", str(source), "--year", "2024", "-o", "specs/2024", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "写出 6 个文件" in done.stdout
    same = run_cli("rollover", str(source), "--year", "2024", "-o", str(source), cwd=tmp_path)
    assert same.returncode == 2
    bad = run_cli("rollover", str(source), "--year", "24", "-o", "x", cwd=tmp_path)
    assert bad.returncode == 2


def test_a_spec_leading_outside_the_project_is_not_read(tmp_path: Path) -> None:
    """A symlink among this year's specs to a file elsewhere is refused unread (SE016), as
    build refuses it; a number beyond any budget is refused by the loader (SE012)."""
    source = _project(tmp_path)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text("project: 外面的文件\nsecret: 1\n", "utf-8")
    (source / "99-link.yaml").symlink_to(outside)
    huge = source / "98-huge.yaml"
    huge.write_text("project: x\nfunds: {weight: 100000000000000000000}\n", "utf-8")
    report = api.rollover([source], 2024, tmp_path / "next")
    codes = {Path(d.location.file).name: d.code for d in report.diagnostics}
    assert codes == {"99-link.yaml": "SE016", "98-huge.yaml": "SE012"}
    assert not (tmp_path / "next" / "99-link.yaml").exists()
    assert len(report.written) == 6


def test_plain_build_prints_each_spec_as_its_stage(tmp_path: Path) -> None:
    import json

    source = _project(tmp_path)
    api.rollover([source], 2024, tmp_path / "specs" / "2024")
    report = api.build([tmp_path / "specs"], tmp_path / "build", formats=["html", "json"])
    assert report.errors == 0  # warnings: the 申报表's cells still to fill
    assert report.built == 10
    spring = json.loads((tmp_path / "build/2024/01-jiguan-fuwufei.json").read_text("utf-8"))
    autumn = json.loads((tmp_path / "build/2023/01-jiguan-fuwufei.json").read_text("utf-8"))
    assert spring["form"] == "goals"
    assert spring["year"] == 2024
    assert "total" not in spring
    assert autumn["total"] == "98.93"
    html = (tmp_path / "build/2024/01-jiguan-fuwufei.html").read_text("utf-8")
    assert "绩效目标申报表" in html
    again = api.build([tmp_path / "specs"], tmp_path / "build", formats=["html", "json"])
    assert (again.built, again.skipped) == (0, 10)


SHAPES = {
    "list.yaml": ("- 1\n- 2\n", "SE103", 1),
    "scalar.yaml": ("hello\n", "SE103", 1),
    "null.yaml": ("~\n", "SE103", 1),
    "funds.yaml": ("project: x\nfunds: [1, 2]\n", "SE103", 2),
    "indicators.yaml": ("project: x\nindicators: 3\n", "SE103", 2),
    "goals.yaml": ("project: x\ngoals: []\n", "SE103", 2),
    "level1.yaml": ("project: x\nindicators: {产出指标: [1]}\n", "SE103", 2),
    "level2.yaml": ("project: x\nindicators:\n  产出指标: {数量指标: 5}\n", "SE103", 3),
    "item.yaml": ("project: x\nindicators:\n  产出指标:\n    数量指标:\n      - abc\n", "SE103", 5),
    "streams.yaml": ("project: x\n---\nproject: y\n", "SE001", 2),
    "python.yaml": ("project: !!python/object:os.system x\n", "SE001", 1),
    "custom.yaml": ("project: x\nfunds: !custom {weight: 1}\n", "SE001", 2),
    "binary.yaml": ("project: !!binary aGVsbG8=\n", "SE001", 1),
    "nested.yaml": ("project: x\ngoals: {expected: [!custom 1]}\n", "SE001", 2),
    "root-tag.yaml": ("--- !custom\nproject: x\n", "SE001", 1),
    "set.yaml": ("project: x\ngoals: !!set {a}\n", "SE001", 2),
}


def test_any_shape_of_yaml_is_a_finding_and_the_others_roll_over(tmp_path: Path) -> None:
    source = _project(tmp_path)
    for name, (text, _, _) in SHAPES.items():
        (source / name).write_text(text, "utf-8")
    report = api.rollover([source], 2024, tmp_path / "specs" / "2024")
    found = {Path(d.location.file).name: (d.code, d.location.line) for d in report.diagnostics}
    assert found == {name: (code, line) for name, (_, code, line) in SHAPES.items()}
    assert len(report.written) == 6  # the five seed specs and their _defaults.yaml
    checked = api.check([source / name for name in SHAPES])
    tags = {Path(d.location.file).name for d in checked.diagnostics if d.code == "SE001"}
    assert tags == {n for n, (_, code, _) in SHAPES.items() if code == "SE001"}  # as check


def test_a_defaults_file_of_another_shape_is_a_finding(tmp_path: Path) -> None:
    source = _project(tmp_path)
    (source / "_defaults.yaml").write_text("- year: 2023\n", "utf-8")
    report = api.rollover([source], 2024, tmp_path / "specs" / "2024")
    assert [(Path(d.location.file).name, d.code) for d in report.diagnostics] == [
        ("_defaults.yaml", "SE103")
    ]
    assert len(report.written) == 5

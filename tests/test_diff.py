"""selfeval diff on real git repositories in temporary folders."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import run_cli
from helpers import git

from selfeval_compiler import api

FORM3 = "specs/unit/03-hezuo-jiaoliu-zhuanxiang.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def test_amount_change_reports_every_derived_delta(repo: Path) -> None:
    edit(repo / FORM3, "executed: 13.33}", "executed: 20.00}")
    before = snapshot(repo)
    status_before = git(repo, "status", "--porcelain")
    report = api.diff(cwd=repo)
    (project,) = [p for p in report.projects if p.status != "unchanged"]
    assert project.project == "合作交流专项工作经费"
    assert project.status == "changed"
    changes = {c.label: (c.old, c.new, c.derived) for c in project.changes}
    assert changes["当年财政拨款·全年执行数"] == ("13.33", "20.00", False)
    assert changes["执行率"] == ("44.43", "66.66", True)
    assert changes["预算执行·得分"] == ("4.44", "6.66", True)
    assert changes["总分"] == ("94.44", "96.66", True)
    assert "评分等级" not in changes
    assert report.count("unchanged") == 4
    # the working tree and the index are untouched
    assert snapshot(repo) == before
    assert git(repo, "status", "--porcelain") == status_before


def test_grade_change_is_called_out(repo: Path) -> None:
    edit(
        repo / FORM3,
        "actual: 达成指标, weight: 10.00}",
        "actual: 未达成年度指标且效果较差, weight: 10.00, score: 0, deviation: 未开展。}",
    )
    git(repo, "commit", "-qam", "one indicator not met")
    edit(repo / FORM3, "executed: 13.33}", "executed: 3.33}")
    git(repo, "commit", "-qam", "less executed")
    report = api.diff([], "HEAD~2", "HEAD", cwd=repo)
    (project,) = [p for p in report.projects if p.status == "changed"]
    assert (project.old_total, project.new_total) == ("94.44", "81.11")
    assert (project.old_grade, project.new_grade) == ("优", "良")
    assert project.grade_changed
    result = run_cli("diff", "HEAD~2", "HEAD", cwd=repo)
    assert result.returncode == 0
    assert "评分等级变化: 优 → 良" in result.stdout


def test_weight_and_indicator_changes(repo: Path) -> None:
    edit(
        repo / FORM3,
        "{name: 接待团组数量, target: ≥60个, actual: 达成指标, weight: 5.00}",
        "{name: 接待团组数量, target: ≥60个, actual: 48个, weight: 5.00, deviation: 疫情。}",
    )
    report = api.diff(cwd=repo)
    (project,) = [p for p in report.projects if p.status == "changed"]
    changes = {c.label: (c.old, c.new) for c in project.changes}
    assert changes["数量指标·接待团组数量·实际完成值"] == ("达成指标", "48个")
    assert changes["数量指标·接待团组数量·得分"] == ("5.00", "4.00")
    assert changes["总分"] == ("94.44", "93.44")


def test_added_removed_and_renamed(repo: Path) -> None:
    unit = repo / "specs" / "unit"
    git(repo, "mv", "specs/unit/01-jiguan-fuwufei.yaml", "specs/unit/01-renamed.yaml")
    (unit / "02-kaiban-jingfei.yaml").unlink()
    shutil.copy(unit / "05-hezuo-jiaoliu-yewufei.yaml", unit / "06-new.yaml")
    edit(unit / "06-new.yaml", "project: 合作交流工作业务费", "project: 新增项目")
    report = api.diff(cwd=repo)
    statuses = {p.project: p.status for p in report.projects}
    assert statuses["机关服务费"] == "renamed"
    assert statuses["开办经费"] == "removed"
    assert statuses["新增项目"] == "added"
    assert (report.count("added"), report.count("removed"), report.count("renamed")) == (1, 1, 1)
    renamed = next(p for p in report.projects if p.status == "renamed")
    assert renamed.old_path == "specs/unit/01-jiguan-fuwufei.yaml"
    assert renamed.new_path == "specs/unit/01-renamed.yaml"
    assert renamed.changes == ()


def test_moved_and_edited_file_pairs_by_project_name(repo: Path) -> None:
    unit = repo / "specs" / "unit"
    (unit / "archive").mkdir()
    git(repo, "mv", FORM3, "specs/unit/archive/03.yaml")
    edit(unit / "archive" / "03.yaml", "executed: 13.33}", "executed: 20.00}")
    report = api.diff(cwd=repo)
    (project,) = [p for p in report.projects if p.status not in ("unchanged",)]
    assert project.status == "renamed"
    assert any(c.label == "总分" for c in project.changes)


def test_a_version_with_errors_is_reported_not_fatal(repo: Path) -> None:
    edit(repo / FORM3, "executed: 13.33}", "executed: [oops}")
    result = run_cli("diff", "--format", "json", cwd=repo)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["summary"]["failed"] == 1
    assert data["summary"]["unchanged"] == 4
    assert data["new"]["errors"][0]["file"] == FORM3
    assert data["new"]["errors"][0]["code"] == "SE001"


def test_markdown_for_a_pull_request(repo: Path) -> None:
    edit(repo / FORM3, "executed: 13.33}", "executed: 20.00}")
    result = run_cli("diff", "HEAD", "specs", "--format", "markdown", cwd=repo)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("### selfeval diff: HEAD (")
    table = lines.index("| 项目 | 状态 | 总分 | 评分等级 | 文件 |")
    assert lines[table + 2].startswith("| 合作交流专项工作经费 | 修改 | 94.44 → 96.66 | 优 |")
    assert "| 预算执行·得分 | 4.44 | 6.66 | 推算 |" in result.stdout


def test_paths_narrow_the_diff(repo: Path) -> None:
    (repo / "other").mkdir()
    shutil.copy(repo / FORM3, repo / "other" / "x.yaml")
    shutil.copy(repo / "specs" / "unit" / "_defaults.yaml", repo / "other")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "other")
    edit(repo / "other" / "x.yaml", "executed: 13.33}", "executed: 20.00}")
    assert all(p.status == "unchanged" for p in api.diff(cwd=repo).projects)
    narrowed = api.diff([Path("other")], cwd=repo)
    assert [p.status for p in narrowed.projects] == ["changed"]


def test_usage_errors(repo: Path, tmp_path: Path) -> None:
    assert run_cli("diff", "no-such-rev", cwd=repo).returncode == 2
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    result = run_cli("diff", cwd=outside)
    assert result.returncode == 2
    assert "git" in result.stderr


def test_diff_never_imports_weasyprint(repo: Path) -> None:
    import sys

    code = (
        "import sys\nfrom selfeval_compiler import api\n"
        f"api.diff(cwd=__import__('pathlib').Path({str(repo)!r}))\n"
        "print('weasyprint' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_spring_forms_are_compared_as_goals_forms_and_a_stage_move_is_shown(repo: Path) -> None:
    """A rolled-over 申报表 is compared by what it prints, not reported as failed; moving a
    spec to 自评 shows the form itself changing."""
    api.rollover([repo / "specs" / "unit"], 2024, repo / "specs" / "2024")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "next spring")
    spring = repo / "specs/2024/01-jiguan-fuwufei.yaml"
    edit(spring, "target: 100%", "target: ≥98%")
    edit(spring, "current_year: {initial: 14.00}", "current_year: {initial: 15.00}")
    report = api.diff(cwd=repo)
    assert report.count("failed") == 0
    (project,) = [p for p in report.projects if p.status == "changed"]
    changes = {c.label: (c.old, c.new) for c in project.changes}
    assert changes["数量指标·公务用车保障率·年度(/项目)指标值"] == ("100%", "≥98%")
    assert changes["年度资金申请总额"] == ("140,000.00", "150,000.00")  # as printed, in 元
    assert changes["其中：当年财政拨款"] == ("140,000.00", "150,000.00")
    assert report.count("unchanged") == 9
    git(repo, "checkout", "-q", "--", ".")
    autumn = (repo / "specs/unit/01-jiguan-fuwufei.yaml").read_text("utf-8")
    spring.write_text(
        autumn.replace("project:", "stage: 自评\nyear: 2024\nproject:", 1), encoding="utf-8"
    )
    moved = api.diff(cwd=repo)
    (project,) = [p for p in moved.projects if p.status == "changed"]
    changes = {c.label: (c.old, c.new) for c in project.changes}
    assert changes["表"] == ("财政项目支出绩效目标申报表", "财政项目支出绩效自评表")

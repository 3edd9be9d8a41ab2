"""The 汇总表 (``selfeval summary``, ``build --summary``) and sharded builds (``--shard K/N``)."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO, SEED_FOLDER, run_cli

from selfeval_compiler import api
from selfeval_compiler.building.plan import shard
from selfeval_compiler.sources.discovery import discover

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_specs import generate


@pytest.fixture(scope="module")
def seed_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("seed-json")
    assert api.build([SEED_FOLDER], output, formats=["json"]).errors == 0
    return output


def _summary(folder: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((folder / "summary.json").read_text("utf-8"))
    return data


def test_the_seeds_summary_five_projects_all_excellent(seed_json: Path, tmp_path: Path) -> None:
    report = api.summary([seed_json], tmp_path, formats=["json", "html", "xlsx"])
    assert report.diagnostics == []
    assert report.projects == 5
    data = _summary(tmp_path)
    assert data["grades"] == {"优": 5, "良": 0, "中": 0, "差": 0}
    assert data["total"] == {
        "label": "合计",
        "projects": 5,
        "annual": "334.28",
        "executed": "302.07",
        "execution_rate": "90.36",  # 302.07 / 334.28, half-up
        "mean_total": "97.73",  # (98.93 + 100 + 94.44 + 99.13 + 96.13) / 5 = 97.726
        "indicators_not_met": 0,
    }
    projects = data["projects"]
    assert isinstance(projects, list)
    assert [p["total"] for p in projects] == ["98.93", "100", "94.44", "99.13", "96.13"]
    assert projects[2]["execution_rate"] == "44.43"
    html = (tmp_path / "summary.html").read_text("utf-8")
    assert html.count("<svg") == 3
    assert "评分等级分布" in html
    assert "各项目总分" in html
    assert "机关服务费" in html
    assert "http" not in html.split("<body>")[1].replace('xmlns="http://www.w3.org/2000/svg"', "")
    book = openpyxl.load_workbook(io.BytesIO((tmp_path / "summary.xlsx").read_bytes()))
    sheet = book["汇总表"]
    assert [sheet.cell(3, c).value for c in (3, 5, 6, 7, 8, 9)] == [
        "机关服务费",
        14,
        12.51,
        89.35,
        98.93,
        "优",
    ]


def test_the_summary_pdf_has_its_chinese_text(seed_json: Path, tmp_path: Path) -> None:
    import pdfplumber

    api.summary([seed_json], tmp_path, formats=["pdf"])
    with pdfplumber.open(tmp_path / "summary.pdf") as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "项目支出绩效自评结果汇总表" in text
    assert "各项目预算执行率" in text


def test_indicators_not_met_and_units_are_summed(tmp_path: Path) -> None:
    from selfeval_compiler.summary.collect import ProjectRow
    from selfeval_compiler.summary.table import summarise

    def row(folder: str, unit: str, amount_unit: str, annual: str, executed: str) -> ProjectRow:
        return ProjectRow(
            folder,
            "a.json",
            2023,
            "项目",
            "部门",
            unit,
            amount_unit,
            Decimal(annual),
            Decimal(executed),
            Decimal("0"),
            Decimal("80"),
            "良",
            ("甲",),
        )

    summary = summarise(
        [row("a", "甲单位", "万元", "10", "5"), row("b", "乙单位", "元", "100000", "100000")]
    )
    assert summary.total.annual == Decimal("20.0000")  # 100000 元 = 10 万元, exactly
    assert summary.total.rate == Decimal("75.00")
    assert summary.total.not_met == 2
    assert [u.label for u in summary.units] == ["乙单位", "甲单位"]


def test_the_directory_column_names_the_unit_never_the_folder(
    seed_json: Path, tmp_path: Path
) -> None:
    """The 目录 column and the folder's 小计 print whose forms they are, not the folder's
    file-system name."""
    import pdfplumber

    report = api.summary([seed_json], tmp_path / "out", formats=["json", "html", "xlsx", "pdf"])
    assert report.diagnostics == []
    html = (tmp_path / "out" / "summary.html").read_text("utf-8")
    assert "shanghai-xinjiang-office" not in html
    body = html.split('<table class="projects">')[1].split("</table>")[0]
    body = body.replace('<br class="wrap">', "")  # a long name breaks between its words
    assert body.count('<td class="text">上海市人民政府驻新疆办事处</td>') == 10  # 目录 + 实施单位
    assert "上海市人民政府驻新疆办事处 小计（5 个项目）" in body
    with pdfplumber.open(tmp_path / "out" / "summary.pdf") as pdf:
        table = pdf.pages[0].extract_tables()[0]
    assert [(row[1] or "").replace("\n", "") for row in table[1:6]] == [
        "上海市人民政府驻新疆办事处"
    ] * 5
    assert table[1][1] == "上海市人民政府驻新疆\n办事处"  # broken between words
    book = openpyxl.load_workbook(io.BytesIO((tmp_path / "out" / "summary.xlsx").read_bytes()))
    assert book["汇总表"].cell(3, 2).value == "上海市人民政府驻新疆办事处"
    data = _summary(tmp_path / "out")
    folders = data["folders"]
    assert isinstance(folders, list)
    assert [(f["folder"], f["label"]) for f in folders] == [
        ("shanghai-xinjiang-office", "上海市人民政府驻新疆办事处")
    ]


@pytest.mark.parametrize(
    ("members", "name"),
    [
        ([("甲单位", "部门")], "甲单位"),
        ([("甲单位", "部门"), ("甲单位", "部门")], "甲单位"),
        ([("甲单位", "部门"), ("乙单位", "部门")], "部门"),  # one 主管部门 over two units
        ([("甲单位", "一部门"), ("乙单位", "二部门"), ("甲单位", "一部门")], "甲单位、乙单位"),
        ([("  ", "部门")], "部门"),
        ([("", " ")], "（未填单位）"),
    ],
)
def test_a_folder_is_named_by_its_forms(members: list[tuple[str, str]], name: str) -> None:
    from selfeval_compiler.summary.collect import ProjectRow
    from selfeval_compiler.summary.table import summarise

    rows = [
        ProjectRow(
            "unit-03",
            f"{index}.json",
            2023,
            "项目",
            department,
            unit,
            "万元",
            Decimal(1),
            Decimal(1),
            Decimal(100),
            Decimal(100),
            "优",
            (),
        )
        for index, (unit, department) in enumerate(members)
    ]
    (group,) = summarise(rows).folders
    assert (group.label, group.folder) == (name, "unit-03")


def test_hostile_build_folders_are_read_safely(seed_json: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    (build / "x").mkdir(parents=True)
    source = next(seed_json.rglob("01-*.json"))
    (build / "x" / "ok.json").write_bytes(source.read_bytes())
    (build / "x" / "other.json").write_text('{"name": "package.json of something else"}')
    forged = json.loads(source.read_text("utf-8"))
    forged["total"] = "1e999"
    (build / "x" / "forged.json").write_text(json.dumps(forged, ensure_ascii=False))
    (build / "x" / "deep.json").write_text('{"selfeval": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with open(build / "x" / "huge.json", "wb") as stream:
        stream.truncate(64 * 1024 * 1024)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.json").write_bytes(source.read_bytes())
    (build / "link").symlink_to(outside)
    (build / "x" / "linked.json").symlink_to(outside / "secret.json")
    os.mkfifo(build / "x" / "fifo.json")
    report = api.summary([build], tmp_path / "out", formats=["json"])
    assert report.projects == 1
    skipped = sorted(Path(d.location.file).name for d in report.diagnostics)
    assert skipped == ["deep.json", "fifo.json", "forged.json", "huge.json", "linked.json"]
    assert {d.code for d in report.diagnostics} == {"SE606"}


def test_shards_split_by_folder_and_summarise_as_one_build(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    generate(tmp_path / "specs", 48)
    spec_files, _ = discover([tmp_path / "specs"])
    parts = [shard(spec_files, k, 4) for k in range(1, 5)]
    assert sorted(s.path for part in parts for s in part) == sorted(s.path for s in spec_files)
    folders = [{s.path.parent for s in part} for part in parts]
    assert all(not (a & b) for i, a in enumerate(folders) for b in folders[i + 1 :])
    assert parts == [shard(spec_files, k, 4) for k in range(1, 5)]  # deterministic
    assert api.build([tmp_path / "specs"], tmp_path / "one", formats=["json"]).errors == 0
    for k in range(1, 5):
        report = api.build(
            [tmp_path / "specs"], tmp_path / f"part{k}", formats=["json"], shard=(k, 4)
        )
        assert report.errors == 0
        assert report.built == len(parts[k - 1])
    api.summary([tmp_path / "one"], tmp_path / "s1", formats=["json", "html"])
    shards = [tmp_path / f"part{k}" for k in range(1, 5)]
    api.summary(shards, tmp_path / "s4", formats=["json", "html"])
    assert (tmp_path / "s1/summary.json").read_bytes() == (
        tmp_path / "s4/summary.json"
    ).read_bytes()
    assert (tmp_path / "s1/summary.html").read_bytes() == (
        tmp_path / "s4/summary.html"
    ).read_bytes()


def test_a_shard_building_into_a_shared_folder_keeps_the_others(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    generate(tmp_path / "specs", 16)
    for k in (1, 2):
        api.build([tmp_path / "specs"], tmp_path / "out", formats=["json"], shard=(k, 2))
    assert len(list((tmp_path / "out").rglob("0*.json"))) == 16


def test_cli_summary_build_summary_and_bad_shards(tmp_path: Path) -> None:
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    shutil.copytree(SEED_FOLDER.parent, tmp_path / "specs")
    done = run_cli("build", "specs", "-o", "out", "--format", "json", "--summary", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "out" / "summary.json").is_file()
    again = run_cli("summary", "out", "-o", "s", "--format", "json", cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "汇总了 5 个项目" in again.stdout
    for bad in ("0/4", "5/4", "a/b", "3"):
        refused = run_cli("build", "specs", "-o", "x", "--shard", bad, cwd=tmp_path)
        assert refused.returncode == 2, bad


GOALS_EXAMPLE = REPO / "examples" / "goals" / "chaiwei-2026.yaml"


def _spring_build(tmp_path: Path, output: Path) -> None:
    """Two 申报表 of one unit: the example and a copy with a long 年度目标 and 项目资金总额 left
    out (a blank cell is a warning, so the form still builds)."""
    specs = tmp_path / "spring-specs"
    specs.mkdir()
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    text = GOALS_EXAMPLE.read_text("utf-8")
    (specs / "a.yaml").write_text(text, "utf-8")
    second = text.replace("拆违经费", "违建巡查").replace("project_funds:", "# project_funds:")
    second = second.replace("  expected: |-\n", "  expected: |-\n    " + "巡查" * 60 + "\n")
    (specs / "b.yaml").write_text(second, "utf-8")
    assert api.build([specs], output, formats=["json"], form="goals").errors == 0


def _pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages)


def test_a_spring_build_summarises_amounts_and_goals_not_scores(tmp_path: Path) -> None:
    _spring_build(tmp_path, tmp_path / "build")
    out = tmp_path / "summary"
    report = api.summary([tmp_path / "build"], out, formats=["json", "html", "xlsx"])
    assert report.diagnostics == []
    assert report.projects == 2
    data = _summary(out)
    assert data["summary"] == "绩效目标申报汇总表"
    assert not {"projects", "grades", "total"} & set(data)  # no table of zeros beside it
    goals = data["goals"]
    assert isinstance(goals, dict)
    assert goals["amount_unit"] == "元"
    projects = goals["projects"]
    assert [(p["project"], p["annual"], p["project_total"]) for p in projects] == [
        ("拆违经费", "3498000.00", "10308000.00"),
        ("违建巡查", "3498000.00", ""),
    ]
    assert projects[0]["indicators"] == 8
    assert projects[1]["expected"].endswith("…")
    assert len(projects[1]["expected"]) == 60
    assert goals["units"] == [
        {
            "label": "上海市普陀区城市管理行政执法局执法大队",
            "projects": 2,
            "annual": "6996000.00",
            "project_total": "10308000.00",
            "indicators": 16,
        }
    ]
    assert goals["total"]["annual"] == "6996000.00"
    html = (out / "summary.html").read_text("utf-8")
    assert "<h1>绩效目标申报汇总表</h1>" in html
    for absent in ("总分", "评分等级", "执行率", "自评结果", "<svg"):
        assert absent not in html
    book = openpyxl.load_workbook(io.BytesIO((out / "summary.xlsx").read_bytes()))
    assert book.sheetnames == ["申报汇总表"]
    sheet = book["申报汇总表"]
    assert [sheet.cell(3, c).value for c in (3, 5, 6, 9)] == ["拆违经费", 3498000, 10308000, 8]
    assert sheet.cell(sheet.max_row, 1).value == "合计（2 个项目）"
    # The 目录 column names the unit whose forms they are, in the page and the workbook.
    unit = "上海市普陀区城市管理行政执法局执法大队"
    assert sheet.cell(3, 2).value == unit
    rows = html.split('<table class="goals">')[1].split('<tr class="subtotal">')[0]
    rows = rows.replace('<br class="wrap">', "")
    assert rows.count(f'<td class="text">{unit}</td>') == 4  # 目录 and 实施单位, two rows
    assert "spring-specs" not in html


def test_autumn_and_spring_forms_side_by_side_give_two_tables(
    seed_json: Path, tmp_path: Path
) -> None:
    build = tmp_path / "build"
    shutil.copytree(seed_json, build / "2023")
    _spring_build(tmp_path, build / "2024")
    autumn = json.loads(next((build / "2023").rglob("01-*.json")).read_text("utf-8"))
    assert "form" not in autumn  # a self-evaluation JSON carries no marker: read as one
    out = tmp_path / "summary"
    report = api.summary([build], out, formats=["json", "html", "xlsx", "pdf"])
    assert report.diagnostics == []
    assert report.projects == 7
    data = _summary(out)
    assert data["summary"] == "项目支出绩效自评结果汇总表"
    assert data["total"]["projects"] == 5  # type: ignore[index]
    assert data["total"]["annual"] == "334.28"  # type: ignore[index]  # the seed's alone
    assert data["goals"]["total"]["projects"] == 2  # type: ignore[index]
    html = (out / "summary.html").read_text("utf-8")
    assert html.count("<h1>") == 2
    spring = html[html.index("<h1>绩效目标申报汇总表</h1>") :]
    autumn_part = html[: html.index("<h1>绩效目标申报汇总表</h1>")]
    assert "<h1>项目支出绩效自评结果汇总表</h1>" in autumn_part
    assert "拆违经费" in spring
    assert "拆违经费" not in autumn_part
    assert "机关服务费" not in spring
    assert "总分" not in spring
    book = openpyxl.load_workbook(io.BytesIO((out / "summary.xlsx").read_bytes()))
    assert book.sheetnames == ["汇总表", "按单位", "评分等级", "申报汇总表"]
    text = _pdf_text(out / "summary.pdf")
    assert "项目支出绩效自评结果汇总表" in text
    assert "绩效目标申报汇总表" in text


def _thousands_of_rows(seed_json: Path, folder: Path, copies: int) -> Path:
    """A build of ``copies`` × 5 forms: the seeds' JSON outputs copied into many folders."""
    for index in range(copies):
        shutil.copytree(seed_json, folder / f"d{index:04d}", ignore=shutil.ignore_patterns(".*"))
    return folder


def test_a_summary_pdf_over_the_time_limit_is_se906_and_the_rest_is_written(
    seed_json: Path, tmp_path: Path
) -> None:
    """2,000 rows took two minutes in the main process with no cap; now the table is laid
    out in a worker under the forms' time limit (here 1 s)."""
    build = _thousands_of_rows(seed_json, tmp_path / "big", 400)
    started = time.monotonic()
    result = run_cli(
        "summary",
        str(build),
        "-o",
        str(tmp_path / "s"),
        "--format",
        "json",
        "--format",
        "pdf",
        env={"SELFEVAL_RENDER_SECONDS": "1"},
    )
    elapsed = time.monotonic() - started
    assert elapsed < 45, elapsed
    assert result.returncode == 1, result.stdout + result.stderr
    assert "summary.pdf: error SE906" in result.stdout, result.stdout
    assert "1 秒" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert len(_summary(tmp_path / "s")["projects"]) == 2000  # type: ignore[arg-type]
    assert not (tmp_path / "s" / "summary.pdf").exists()


def test_a_summary_pdf_whose_worker_dies_is_se907_and_the_main_process_lives(
    seed_json: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfeval_compiler.outputs import pdf

    main = os.getpid()

    def dies(html: str) -> object:
        if os.getpid() == main:
            raise AssertionError("laid out in the main process")
        os._exit(9)  # a crash inside a C library looks like this

    monkeypatch.setattr(pdf, "render_document", dies)
    report = api.summary([seed_json], tmp_path, formats=["html", "pdf"])
    assert [d.code for d in report.diagnostics] == ["SE907"]
    assert report.diagnostics[0].location.file.endswith("summary.pdf")
    assert (tmp_path / "summary.html").is_file()
    assert not (tmp_path / "summary.pdf").exists()


def test_a_summary_pdf_over_the_memory_cap_is_se907(
    seed_json: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfeval_compiler.outputs import pdf

    main = os.getpid()

    def hog(html: str) -> object:
        if os.getpid() == main:
            raise AssertionError("laid out in the main process")
        return bytearray(64 * 1024**3)  # past any cap a worker may be given

    monkeypatch.setattr(pdf, "render_document", hog)
    report = api.summary([seed_json], tmp_path, formats=["json", "pdf"])
    assert [d.code for d in report.diagnostics] == ["SE907"]
    assert "MiB" in report.diagnostics[0].message_en
    assert (tmp_path / "summary.json").is_file()

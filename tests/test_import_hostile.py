"""Files from people we do not know: ``selfeval import`` refuses or reports, never crashes,
never writes outside its output folder, never hangs the machine."""

from __future__ import annotations

import os
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from selfeval_compiler import api
from selfeval_compiler.importers import safety


def _form_workbook(path: Path, project: str = "测试项目", executed: object = 8) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    rows = [
        ["项目支出绩效自评表（2023年度）"],
        ["项目名称", project],
        ["主管部门", "某局", "实施单位", "某站"],
        [
            "项目资金（万元）",
            "",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ],
        ["", "其中：当年财政拨款", 10, 10, executed],
        ["年度总体目标", "预期目标", "", "实际完成情况"],
        ["", "甲", "", "乙"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "人次", "≥10人", "达成指标", 90, 90],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("B6:C6")
    sheet.merge_cells("B7:C7")
    book.save(path)
    return path


def _codes(report: api.ImportReport) -> list[str]:
    return [d.code for d in report.diagnostics]


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    report = api.import_forms([bomb], tmp_path / "out")
    assert _codes(report) == ["SE601"]
    assert "zip bomb" in report.diagnostics[0].message_en
    assert not list((tmp_path / "out").iterdir())


def test_too_many_members_are_refused(tmp_path: Path) -> None:
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w") as archive:
        for index in range(safety.MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"x/{index}", "")
    assert "members" in api.import_forms([many], tmp_path / "out").diagnostics[0].message_en


def test_xml_entity_bomb_is_refused(tmp_path: Path) -> None:
    good = _form_workbook(tmp_path / "good.xlsx")
    bomb = tmp_path / "laughs.xlsx"
    entities = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 or "")) * 10}">' for i in range(1, 9)
    )
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (
                    entities.encode()
                    + b"]>"
                    + data.replace(b"<sheetData>", b"<sheetData><!-- &lol8; -->", 1)
                )
            target.writestr(item, data)
    report = api.import_forms([bomb], tmp_path / "out")
    assert _codes(report) == ["SE601"]
    assert "entities" in report.diagnostics[0].message_en


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"),
        ("broken.xlsx", b"PK\x03\x04" + b"\0" * 100),
        ("random.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2000)),
        ("notes.txt", b"just some words"),
    ],
)
def test_malformed_files_are_a_diagnostic_not_a_traceback(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    report = api.import_forms([path], tmp_path / "out")
    assert _codes(report) in (["SE601"], ["SE602"])
    assert report.diagnostics[0].location.file.endswith(name)


def test_a_text_pdf_without_a_form_and_a_page_without_tables(tmp_path: Path) -> None:
    page = tmp_path / "page.htm"
    page.write_text("<html><body><table><tr><td>合计</td><td>1</td></tr></table></body></html>")
    assert _codes(api.import_forms([page], tmp_path / "out")) == ["SE602"]


def test_devices_fifos_and_oversized_files_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.pdf"
    with open(huge, "wb") as stream:
        stream.truncate(safety.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    report = api.import_forms([fifo, huge, empty, Path("/dev/zero")], tmp_path / "out")
    assert _codes(report) == ["SE601"] * 4
    messages = " ".join(d.message_en for d in report.diagnostics)
    assert "not a regular file" in messages
    assert "over the" in messages
    assert "empty" in messages


def test_project_names_cannot_lead_outside_the_output_folder(tmp_path: Path) -> None:
    names = ["../../escape", "/etc/passwd", "a/b\\c", "..", "CON", "x" * 400, "项目\n第二行"]
    files = [_form_workbook(tmp_path / f"{i}.xlsx", name) for i, name in enumerate(names)]
    out = tmp_path / "out"
    report = api.import_forms(files, out)
    assert report.errors == 0, [d.message_en for d in report.diagnostics]
    written = report.written
    assert len(written) == len(names)
    for path in written:
        assert path.parent == out
        assert path.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*(f"{i}.xlsx" for i in range(len(names))), "out"]
    )


def test_a_symlink_where_a_spec_would_go_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "01-测试项目.yaml").symlink_to(target)
    report = api.import_forms([_form_workbook(tmp_path / "f.xlsx")], out)
    assert _codes(report) == ["SE605"]
    forced = api.import_forms([_form_workbook(tmp_path / "f.xlsx")], out, force=True)
    assert forced.errors == 0
    assert target.read_text() == "keep me"  # the link was replaced, not written through
    assert not (out / "01-测试项目.yaml").is_symlink()


def test_odd_input_names_are_reported_readably(tmp_path: Path) -> None:
    odd = tmp_path / os.fsdecode(b"\xff\xfe \xe8\x87\xaa\xe8\xaf\x84 ;$(x).xlsx")
    _form_workbook(odd)
    report = api.import_forms([odd], tmp_path / "out")
    assert report.errors == 0
    assert len(report.written) == 1


def test_huge_numbers_are_written_and_then_refused_by_check(tmp_path: Path) -> None:
    """A number no budget has reaches the spec as printed, where check bounds it (SE012):
    the importer never rounds a figure away."""
    workbook = _form_workbook(tmp_path / "big.xlsx", executed=1e300)
    report = api.import_forms([workbook], tmp_path / "specs")
    assert report.errors == 0
    checked = api.check([tmp_path / "specs"])
    assert "SE012" in [d.code for d in checked.diagnostics]


def test_formulas_without_a_cached_value_are_named(tmp_path: Path) -> None:
    path = _form_workbook(tmp_path / "formula.xlsx")
    book = openpyxl.load_workbook(path)
    book.active["E5"] = "=C5*0.8"  # openpyxl saves no cached value
    book.save(path)
    report = api.import_forms([path], tmp_path / "out")
    (warning,) = [d for d in report.diagnostics if d.code == "SE604"]
    assert (warning.location.line, warning.location.column) == (5, 5)
    assert "=C5*0.8" in warning.message_en


def test_notes_name_the_cell_and_the_spec_carries_them(tmp_path: Path) -> None:
    path = _form_workbook(tmp_path / "f.xlsx")
    book = openpyxl.load_workbook(path)
    book.active["F9"] = "九十"  # a weight in words
    book.save(path)
    report = api.import_forms([path], tmp_path / "out")
    notes = [d for d in report.diagnostics if d.code == "SE603"]
    assert notes
    assert all(d.location.line > 0 for d in notes)
    text = report.written[0].read_text("utf-8")
    assert "导入时需要核对的地方" in text or "#" in text.split("人次", 1)[1].split("\n", 1)[0]


def test_percent_stored_as_a_fraction_reads_as_a_percentage(tmp_path: Path) -> None:
    path = _form_workbook(tmp_path / "rate.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    sheet.insert_rows(5)
    for column, value in zip("BCDEFGH", ["年度资金总额", 10, 10, 8, 10, 0.8, 8], strict=True):
        sheet[f"{column}5"] = value
    sheet["G5"].number_format = "0.00%"
    book.save(path)
    report = api.import_forms([path], tmp_path / "out")
    text = report.written[0].read_text("utf-8")
    assert "total: {initial: 10, annual: 10, executed: 8, rate: 80.00, score: 8}" in text
    assert Decimal("80.00") == Decimal(80)


def _pdf_with_content(content: bytes) -> bytes:
    """A one-page PDF whose page draws ``content`` (deflated, as a real PDF stores it)."""
    import zlib

    data = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def test_a_pdf_page_that_inflates_to_megabytes_of_drawing_is_refused_unread(
    tmp_path: Path,
) -> None:
    """46 KB that inflate to 30 MB of path operators: interpreting them took a minute of CPU;
    the page is refused by its inflated size before anything is interpreted."""
    path = tmp_path / "dense.pdf"
    path.write_bytes(_pdf_with_content(b"0 0 m " * (5 * 1024 * 1024)))
    assert path.stat().st_size < 100_000
    report = api.import_forms([path], tmp_path / "out")
    assert _codes(report) == ["SE601"]
    assert "page 1" in report.diagnostics[0].message_en


def _page(project: str) -> str:
    rows = [
        ["项目支出绩效自评表（2023年度）"],
        ["项目名称", project],
        ["主管部门", "某局", "实施单位", "某站"],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数"],
        ["", "", "", "", "", "分值", "执行率", "得分"],
        ["", "其中：当年财政拨款", "10", "10", "8"],
        ["年度总体目标", "预期目标", "", "实际完成情况"],
        ["", "甲", "", "乙"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "人次", "≥10人", "达成指标", "90", "90"],
    ]
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<html><body><table>{body}</table></body></html>"


def test_a_files_kind_is_told_by_its_bytes_not_its_name(tmp_path: Path) -> None:
    """An xlsx named .xls, .pdf or .htm, a UTF-16 web page with and without a BOM named .xls
    or .xlsx: each is read as what it is (#19; a PDF named .xlsx: test_import.py)."""
    workbook = _form_workbook(tmp_path / "form.xlsx")
    files = []
    for suffix in (".xls", ".pdf", ".htm"):
        files.append(tmp_path / f"workbook{suffix}")
        files[-1].write_bytes(workbook.read_bytes())
    page = _page("网页项目")
    for name, data in (
        ("le-bom.xls", b"\xff\xfe" + page.encode("utf-16-le")),
        ("be-bom.xls", b"\xfe\xff" + page.encode("utf-16-be")),
        ("le.xls", page.encode("utf-16-le")),
        ("be.xlsx", page.encode("utf-16-be")),
    ):
        files.append(tmp_path / name)
        files[-1].write_bytes(data)
    report = api.import_forms(files, tmp_path / "out")
    assert report.errors == 0, [d.message_en for d in report.diagnostics]
    assert [len(f.forms) for f in report.files] == [1] * len(files)
    assert [f.forms[0].project for f in report.files[3:]] == ["网页项目"] * 4

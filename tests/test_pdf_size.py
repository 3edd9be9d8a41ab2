"""Compact CID fonts: a one-page form under 150 KB, a bundle holding one program per face,
and the same text and look as WeasyPrint's own packaging (outputs/cid_fonts.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

FOLDER = "shanghai-xinjiang-office"


def _programs(path: Path) -> dict[int, tuple[str, Any]]:
    """The embedded font programs of a PDF: object number → (face, stream)."""
    from pypdf import PdfReader

    found: dict[int, tuple[str, Any]] = {}
    for page in PdfReader(path).pages:
        resources: Any = page["/Resources"]
        fonts: Any = resources["/Font"]
        for font in fonts.values():
            cid_font = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = cid_font["/FontDescriptor"].get_object()
            if "/FontFile3" not in descriptor:
                continue
            reference = descriptor.raw_get("/FontFile3")
            found[reference.idnum] = (str(cid_font["/BaseFont"]), reference.get_object())
    return found


def _texts(data: bytes | Path) -> list[str]:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data) if isinstance(data, bytes) else data) as document:
        return [page.extract_text() or "" for page in document.pages]


def _worst_pixel(first: bytes, second: bytes, dpi: int) -> int:
    """The largest grey-level difference between two PDFs' pages drawn by pdfium."""
    import pypdfium2
    from PIL import ImageChops

    one, other = pypdfium2.PdfDocument(first), pypdfium2.PdfDocument(second)
    assert len(one) == len(other)
    worst = 0
    for index in range(len(one)):
        images = [
            document[index].render(scale=dpi / 72).to_pil().convert("L")
            for document in (one, other)
        ]
        histogram = ImageChops.difference(*images).histogram()
        worst = max(worst, max(level for level, count in enumerate(histogram) if count))
    return worst


@pytest.fixture(scope="module")
def drawn(seed_build: Path) -> tuple[bytes, bytes]:
    """One seed form drawn by WeasyPrint as it is, and as selfeval writes it."""
    from selfeval_compiler.outputs import pdf

    html = (seed_build / FOLDER / "01-jiguan-fuwufei.html").read_text(encoding="utf-8")
    document = pdf.render_document(html)
    plain: bytes = document.write_pdf()
    return plain, pdf.write_pdf(document)


def test_a_one_page_seed_form_is_at_most_150_kb(seed_build: Path) -> None:
    from pypdf import PdfReader

    forms = sorted((seed_build / FOLDER).glob("0*.pdf"))
    assert len(forms) == 5
    for form in forms:
        assert len(PdfReader(form).pages) == 1, form.name
        assert form.stat().st_size <= 150 * 1024, (form.name, form.stat().st_size)


def test_each_face_is_a_cid_keyed_cff_of_the_glyphs_drawn(seed_build: Path) -> None:
    from selfeval_compiler.outputs.cid_fonts import cid_glyphs

    programs = _programs(seed_build / FOLDER / "01-jiguan-fuwufei.pdf")
    faces = sorted(face.split("+")[1] for face, _ in programs.values())
    assert faces == ["Noto-Sans-CJK-SC-Bold", "Noto-Serif-CJK-SC"]
    for _face, stream in programs.values():
        assert stream["/Subtype"] == "/CIDFontType0C"
        cids = cid_glyphs(stream.get_data())
        assert cids is not None
        assert cids == sorted(cids)
        assert 0 < len(cids) < 400  # the glyphs drawn, not every glyph id below the highest


def test_compact_fonts_keep_the_text_and_the_look(drawn: tuple[bytes, bytes]) -> None:
    plain, compact = drawn
    assert len(compact) < len(plain) / 3
    assert _texts(compact) == _texts(plain)
    assert "机关服务费" in _texts(compact)[0]
    # Same glyphs at the same places: pdfium draws the bare CFF with slightly other
    # anti-aliasing (at most a tenth of a grey level), a wrong or missing glyph differs fully.
    for dpi in (80, 300):
        assert _worst_pixel(plain, compact, dpi) <= 40


def test_a_bundle_holds_one_program_per_face(seed_build: Path) -> None:
    bundle = seed_build / FOLDER / "_combined.pdf"
    forms = sorted((seed_build / FOLDER).glob("0*.pdf"))
    programs = _programs(bundle)
    faces = [face for face, _ in programs.values()]
    assert len(faces) == len(set(faces)) == 2
    # Every form's glyphs are in its face's one program.
    from selfeval_compiler.outputs.cid_fonts import cid_glyphs

    merged = {face: set(cid_glyphs(stream.get_data()) or ()) for face, stream in programs.values()}
    for form in forms:
        for face, stream in _programs(form).values():
            assert set(cid_glyphs(stream.get_data()) or ()) <= merged[face], (form.name, face)
    assert _texts(bundle) == [text for form in forms for text in _texts(form)]


def test_a_bundle_weighs_about_what_one_laid_out_document_would(seed_build: Path) -> None:
    from selfeval_compiler.outputs import pdf

    pages = sorted((seed_build / FOLDER).glob("0*.html"))
    documents = [pdf.render_document(page.read_text(encoding="utf-8")) for page in pages]
    together = documents[0].copy([page for document in documents for page in document.pages])
    laid_out = pdf.write_pdf(together)
    bundle = (seed_build / FOLDER / "_combined.pdf").read_bytes()
    assert len(bundle) <= 1.5 * len(laid_out), (len(bundle), len(laid_out))
    assert _worst_pixel(laid_out, bundle, 80) <= 40


def test_merge_leaves_alone_what_it_cannot_read() -> None:
    from selfeval_compiler.outputs.cid_fonts import cid_glyphs, merge_cff

    assert cid_glyphs(b"not a font") is None
    assert merge_cff([b"not a font", b"neither"]) is None


def test_merged_program_keeps_each_glyph_as_it_was(seed_build: Path) -> None:
    import io

    from fontTools.cffLib import CFFFontSet

    from selfeval_compiler.outputs.cid_fonts import merge_cff

    def charstrings(program: bytes) -> dict[str, bytes]:
        font_set = CFFFontSet()
        font_set.decompile(io.BytesIO(program), None)
        top = font_set.topDictIndex[0]
        return {name: top.CharStrings[name].bytecode for name in top.charset}

    parts = [
        seed_build / FOLDER / name for name in ("01-jiguan-fuwufei.pdf", "02-kaiban-jingfei.pdf")
    ]
    by_face: dict[str, list[bytes]] = {}
    for part in parts:
        for face, stream in _programs(part).values():
            by_face.setdefault(face, []).append(stream.get_data())
    for face, programs in by_face.items():
        merged = merge_cff(programs)
        assert merged is not None, face
        glyphs = charstrings(merged)
        union: dict[str, bytes] = {}
        for program in programs:
            union.update(charstrings(program))
        assert glyphs == union, face
        assert list(glyphs) == sorted(
            glyphs, key=lambda name: 0 if name == ".notdef" else int(name[3:])
        )


def test_a_face_that_is_not_a_cid_keyed_cff_is_left_as_weasyprint_wrote_it(tmp_path: Path) -> None:
    from selfeval_compiler.outputs import pdf

    html = (
        "<html><body><p style=\"font-family: 'DejaVu Sans'\">Budget 2023</p>"
        "<p style=\"font-family: 'Noto Serif CJK SC'\">财政项目</p></body></html>"
    )
    path = tmp_path / "mixed.pdf"
    path.write_bytes(pdf.write_pdf(pdf.render_document(html)))
    from pypdf import PdfReader

    kinds = {}
    resources: Any = PdfReader(path).pages[0]["/Resources"]
    for font in resources["/Font"].values():
        cid_font = font.get_object()["/DescendantFonts"][0].get_object()
        descriptor = cid_font["/FontDescriptor"].get_object()
        kinds[str(cid_font["/BaseFont"]).split("+")[1]] = sorted(
            key for key in descriptor if key.startswith("/FontFile")
        )
    assert kinds["DejaVu-Sans"] == ["/FontFile2"]  # TrueType: untouched
    assert _programs(path)  # the CJK face is compact
    assert any(stream["/Subtype"] == "/CIDFontType0C" for _, stream in _programs(path).values())
    assert _texts(path) == ["Budget 2023\n财政项目"]


def test_one_font_per_face_keeps_a_bundles_bookmarks(seed_build: Path) -> None:
    import io

    from pypdf import PdfReader, PdfWriter

    from selfeval_compiler.outputs.bundle_fonts import one_font_per_face

    forms = sorted((seed_build / FOLDER).glob("0*.pdf"))
    writer = PdfWriter()
    for form in forms:
        writer.append(str(form), outline_item=form.stem, import_outline=False)
    one_font_per_face(writer)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    stream = io.BytesIO()
    writer.write(stream)
    reader = PdfReader(stream)
    outline: Any = reader.outline
    assert [item.title for item in outline] == [form.stem for form in forms]
    assert [reader.get_destination_page_number(item) for item in outline] == [0, 1, 2, 3, 4]
    fonts = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        fonts |= {reference.idnum for reference in resources["/Font"].values()}
    assert len(fonts) == 2


def test_forms_that_disagree_on_a_text_keep_their_own_maps(
    seed_build: Path, tmp_path: Path
) -> None:
    import re

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    from selfeval_compiler.outputs.bundle import assemble

    entry = re.compile(rb"<([0-9a-f]{4})> <[0-9a-f]+>")

    def mapped(form: Path) -> dict[str, set[bytes]]:
        texts: dict[str, set[bytes]] = {}
        page_resources: Any = PdfReader(form).pages[0]["/Resources"]
        for font in page_resources["/Font"].values():
            font = font.get_object()
            data = font["/ToUnicode"].get_object().get_data()
            mappings = data.split(b"endcodespacerange")[1]
            texts[str(font["/BaseFont"])] = set(entry.findall(mappings))
        return texts

    first, second = sorted((seed_build / FOLDER).glob("0*.pdf"))[:2]
    shared = {face: cids & mapped(second)[face] for face, cids in mapped(first).items()}
    writer = PdfWriter(clone_from=str(second))
    resources: Any = writer.pages[0]["/Resources"]
    for font in resources["/Font"].values():
        font = font.get_object()
        text_map = font["/ToUnicode"].get_object()
        cid = min(shared[str(font["/BaseFont"])])
        # A CID both forms draw now says another character (U+4E00, 一) in the second.
        data = re.sub(
            rb"<" + cid + rb"> <[0-9a-f]+>", b"<" + cid + b"> <4e00>", text_map.get_data()
        )
        replaced = DecodedStreamObject()
        replaced.set_data(data)
        font[NameObject("/ToUnicode")] = writer._add_object(replaced)
    changed = tmp_path / "changed.pdf"
    with changed.open("wb") as out:
        writer.write(out)

    bundle = tmp_path / "bundle.pdf"
    bundle.write_bytes(assemble([(first, "一"), (changed, "二")], "t", "a", "s", None))
    fonts = set()
    for page in PdfReader(bundle).pages:
        page_resources: Any = page["/Resources"]
        fonts |= {reference.idnum for reference in page_resources["/Font"].values()}
    assert len(fonts) == 4  # two faces, each form its own maps
    assert len({face for face, _ in _programs(bundle).values()}) == 2
    assert len(_programs(bundle)) == 2  # but one program per face
    assert _texts(bundle) == _texts(first) + _texts(changed)

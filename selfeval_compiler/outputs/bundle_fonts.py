"""A bundle's fonts: one font per face, however many forms use it.

Every form's PDF embeds its own compact subset of each face (:mod:`cid_fonts`), with its own
widths (``/W``) and text map (``/ToUnicode``), all keyed by the face's CIDs. In a bundle those
are united: one program holding every form's glyphs, one width array, one text map, and every
form's pages point at that one font. Where the forms disagree — a CID with two widths or two
texts, an encoding other than Identity-H, a program that is not a CID-keyed CFF — the forms
keep their own fonts (the program is still shared where it can be): nothing is guessed.
"""

from __future__ import annotations

import re
from math import ceil
from typing import Any

_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")
_CMAP_HEAD = (
    b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
    b"<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
    b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n"
    b"<0000> <ffff>\nendcodespacerange"
)
_CMAP_TAIL = b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"


class _Face:
    """The fonts of one face across a bundle's forms."""

    def __init__(self) -> None:
        self.uses: list[tuple[Any, Any]] = []  # (a form's /Font dictionary, resource name)
        self.fonts: list[Any] = []  # distinct Type0 font dictionaries, in page order
        self.font_references: list[Any] = []


def one_font_per_face(writer: Any) -> None:
    """Unite the fonts of each face in ``writer`` (a pypdf writer holding the forms' pages)."""
    faces: dict[str, _Face] = {}
    for page in writer.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        if fonts is None:
            continue
        fonts = fonts.get_object()
        for name, reference in fonts.items():
            font = reference.get_object()
            descendants = font.get("/DescendantFonts")
            if font.get("/Subtype") != "/Type0" or not descendants:
                continue
            cid_font = descendants[0].get_object()
            face = faces.setdefault(str(cid_font.get("/BaseFont")), _Face())
            face.uses.append((fonts, name))
            if all(font is not other for other in face.fonts):
                face.fonts.append(font)
                face.font_references.append(reference)
    for key in sorted(faces):
        face = faces[key]
        if len(face.fonts) > 1:
            _unite(writer, face)


def _program_of(font: Any) -> Any:
    descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
    if descriptor is None:
        return None
    program = descriptor.get_object().get("/FontFile3")
    return None if program is None else program.get_object()


def _unite(writer: Any, face: _Face) -> None:
    from pypdf.generic import DecodedStreamObject, NameObject

    from selfeval_compiler.outputs.cid_fonts import CFF_SUBTYPE, merge_cff

    programs = [_program_of(font) for font in face.fonts]
    if any(program is None or program.get("/Subtype") != CFF_SUBTYPE for program in programs):
        return
    datas = list(dict.fromkeys(program.get_data() for program in programs))
    merged = datas[0] if len(datas) == 1 else merge_cff(datas)
    if merged is None:
        return
    stream = DecodedStreamObject()
    stream.set_data(merged)
    stream[NameObject("/Subtype")] = NameObject(CFF_SUBTYPE)
    program_reference = writer._add_object(stream.flate_encode())
    for font in face.fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        descriptor[NameObject("/FontFile3")] = program_reference

    widths, texts = _united_maps(face.fonts)
    if widths is None or texts is None:
        return  # the forms keep their own widths and text maps, sharing the program
    first = face.fonts[0]
    cid_font = first["/DescendantFonts"][0].get_object()
    cid_font[NameObject("/W")] = _width_array(widths)
    descriptor = cid_font["/FontDescriptor"].get_object()
    _widen_bbox(descriptor, [f["/DescendantFonts"][0].get_object() for f in face.fonts])
    text_map = DecodedStreamObject()
    text_map.set_data(_to_unicode(texts))
    first[NameObject("/ToUnicode")] = writer._add_object(text_map.flate_encode())
    for fonts, name in face.uses:
        fonts[NameObject(name)] = face.font_references[0]
    # The other forms' fonts of the face are no longer used. pypdf keeps an object that any
    # object refers to, used or not, so the chain (font, CID font, descriptor, text map) is
    # dropped here; the programs, referred to by nothing now, go with the unreferenced.
    for font in face.fonts[1:]:
        cid_font = font["/DescendantFonts"][0].get_object()
        for unused in (
            font,
            cid_font,
            cid_font["/FontDescriptor"].get_object(),
            font["/ToUnicode"],
        ):
            _drop(writer, unused)


def _drop(writer: Any, obj: Any) -> None:
    reference = getattr(obj, "indirect_reference", None)
    if reference is not None and reference.pdf is writer:
        writer._objects[reference.idnum - 1] = None


def _united_maps(fonts: list[Any]) -> tuple[dict[int, Any] | None, dict[int, bytes] | None]:
    widths: dict[int, Any] = {}
    texts: dict[int, bytes] = {}
    for font in fonts:
        if font.get("/Encoding") != "/Identity-H" or "/ToUnicode" not in font:
            return None, None
        cid_font = font["/DescendantFonts"][0].get_object()
        own_widths = _widths(cid_font.get("/W"))
        own_texts = _texts(font["/ToUnicode"].get_object().get_data())
        if own_widths is None or own_texts is None:
            return None, None
        for cid, width in own_widths.items():
            if widths.setdefault(cid, width) != width:
                return None, None
        for cid, text in own_texts.items():
            if texts.setdefault(cid, text) != text:
                return None, None
    return widths, texts


def _widths(array: Any) -> dict[int, Any] | None:
    """``/W`` as written by WeasyPrint: ``first [w w …]`` runs only."""
    if array is None:
        return None
    items = list(array.get_object())
    if len(items) % 2:
        return None
    widths: dict[int, Any] = {}
    for first, run in zip(items[::2], items[1::2], strict=True):
        run = run.get_object()
        if not isinstance(run, list):
            return None
        for offset, width in enumerate(run):
            widths[int(first) + offset] = width
    return widths


def _texts(cmap: bytes) -> dict[int, bytes] | None:
    """A ToUnicode CMap made of ``bfchar`` entries only (WeasyPrint's), CID → UTF-16 hex."""
    if b"bfrange" in cmap:
        return None
    texts: dict[int, bytes] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        entries = _BFCHAR.findall(block)
        if len(entries) != block.count(b"<") // 2:
            return None
        for cid, text in entries:
            texts[int(cid, 16)] = text.lower()
    return texts


def _to_unicode(texts: dict[int, bytes]) -> bytes:
    items = sorted(texts.items())
    lines = [_CMAP_HEAD]
    for batch in range(ceil(len(items) / 100)):
        chunk = items[batch * 100 : (batch + 1) * 100]
        lines.append(f"{len(chunk)} beginbfchar".encode())
        lines.extend(b"<%04x> <%s>" % (cid, text) for cid, text in chunk)
        lines.append(b"endbfchar")
    lines.append(_CMAP_TAIL)
    return b"\n".join(lines)


def _width_array(widths: dict[int, Any]) -> Any:
    from pypdf.generic import ArrayObject, NumberObject

    array = ArrayObject()
    run: Any = None
    for cid in sorted(widths):
        if cid - 1 not in widths:
            run = ArrayObject()
            array.extend([NumberObject(cid), run])
        run.append(widths[cid])
    return array


def _widen_bbox(descriptor: Any, cid_fonts: list[Any]) -> None:
    """The united font's bounds: the widest of the forms' (each is 0 descent max-width ascent)."""
    from pypdf.generic import ArrayObject, NameObject

    boxes = [cid_font["/FontDescriptor"].get_object().get("/FontBBox") for cid_font in cid_fonts]
    if any(box is None or len(box) != 4 for box in boxes):
        return
    united = [min(b[0] for b in boxes), min(b[1] for b in boxes)]
    united += [max(b[2] for b in boxes), max(b[3] for b in boxes)]
    descriptor[NameObject("/FontBBox")] = ArrayObject(united)

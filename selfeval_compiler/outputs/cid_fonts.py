"""Compact CJK font programs in PDFs: one bare CID-keyed CFF per face, holding only the
glyphs drawn.

WeasyPrint 70 subsets with hb-subset keeping glyph ids (``RETAIN_GIDS``): its content streams
show glyph ids through Identity-H. For Noto CJK (59,000–65,000 glyphs) that keeps an empty
charstring, an ``hmtx`` and a ``vmtx`` entry for every glyph below the highest one used, so
each face weighs 140–180 KB compressed however few characters a form prints. (Its subsets
are already desubroutinised.)

Noto CJK's CFF is CID-keyed with CID = glyph id, and a CID-keyed CFF maps CIDs to its glyphs
through its charset. So :func:`compact_fonts` (a WeasyPrint *finisher*) subsets each such
face again *without* retaining glyph ids — hb-subset keeps the CIDs in the charset — and
embeds the bare CFF table as ``FontFile3 /CIDFontType0C``, the classic PDF packaging of a
CID font. The content streams, widths (``/W``) and ``/ToUnicode`` keep their CIDs: same
glyphs, same text, a tenth of the bytes.

Because every form's subset of a face keeps the face's CIDs, a bundle can hold one program
per face: :func:`merge_cff` unites the forms' subsets glyph by glyph (``outputs/bundle.py``).
A face whose subset would not keep its CIDs (not CFF, not CID-keyed, or a charset that does
not come out as expected) is left exactly as WeasyPrint wrote it.
"""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

CFF_SUBTYPE = "/CIDFontType0C"
_DROPPED_TABLES = (b"BASE", b"GDEF", b"GPOS", b"GSUB", b"JSTF", b"VORG", b"cmap", b"vhea", b"vmtx")


def compact_fonts(document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: replace each CID-keyed CFF face's program by its compact subset."""
    streams = {
        id(obj.stream[0]): obj
        for obj in pdf.objects
        if _is_stream(obj)
        and obj.extra.get("Subtype") == "/OpenType"
        and len(obj.stream) == 1
        and isinstance(obj.stream[0], bytes)
    }
    for font in document.fonts.values():
        stream = streams.pop(id(font.file_content), None)
        if stream is None or not font.widths:
            continue
        gids = set(font.widths) | set(font.to_unicode)
        for other in document.fonts.values():  # fonts sharing the same program
            if other is not font and other.hash == font.hash:
                gids |= set(other.widths) | set(other.to_unicode)
        cff = _compact_cff(font.hb_face, gids)
        if cff is not None:
            stream.stream = [cff]
            stream.extra["Subtype"] = CFF_SUBTYPE


def _is_stream(obj: Any) -> bool:
    import pydyf

    return isinstance(obj, pydyf.Stream)


def _compact_cff(hb_face: Any, gids: set[int]) -> bytes | None:
    """The bare CFF of ``hb_face`` holding ``gids`` (and .notdef), CIDs kept; None when the
    face is not a CID-keyed CFF whose CIDs are its glyph ids, or subsetting fails."""
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

    if not harfbuzz_subset or not harfbuzz.hb_version_atleast(4, 1, 0):
        return None
    wanted = sorted(gids | {0})
    subset_input = ffi.gc(
        harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy
    )
    if subset_input == ffi.NULL:
        return None
    glyphs = harfbuzz_subset.hb_subset_input_glyph_set(subset_input)
    array = ffi.new(f"hb_codepoint_t[{len(wanted)}]", wanted)
    harfbuzz.hb_set_add_sorted_array(glyphs, array, len(wanted))
    # Without the layout tables no substitution closure adds glyphs; the PDF needs none of them.
    drop = harfbuzz_subset.hb_subset_input_set(
        subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG
    )
    tags = sorted(harfbuzz.hb_tag_from_string(tag, -1) for tag in _DROPPED_TABLES)
    harfbuzz.hb_set_add_sorted_array(drop, ffi.new(f"hb_codepoint_t[{len(tags)}]", tags), len(tags))
    harfbuzz_subset.hb_subset_input_set_flags(
        subset_input,
        harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
        | harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
        | harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
        | harfbuzz_subset.HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE,
    )
    subset_face = harfbuzz_subset.hb_subset_or_fail(hb_face, subset_input)
    if subset_face == ffi.NULL:
        return None
    try:
        blob = harfbuzz.hb_face_reference_table(
            subset_face, harfbuzz.hb_tag_from_string(b"CFF ", -1)
        )
        try:
            length = ffi.new("unsigned int *")
            data = harfbuzz.hb_blob_get_data(blob, length)
            cff = bytes(ffi.buffer(data, length[0])) if length[0] else b""
        finally:
            harfbuzz.hb_blob_destroy(blob)
    finally:
        harfbuzz.hb_face_destroy(subset_face)
    kept = cid_glyphs(cff) if cff else None
    # The CIDs must come out as the glyph ids the content streams show (a few glyphs more
    # are harmless: hb-subset may keep a variant or two).
    if kept is None or not set(wanted) <= set(kept) or kept != sorted(kept):
        return None
    return cff


def _font_set(cff: bytes) -> Any:
    from fontTools.cffLib import CFFFontSet

    font_set = CFFFontSet()
    font_set.decompile(io.BytesIO(cff), None)
    return font_set


def cid_glyphs(cff: bytes) -> list[int] | None:
    """The CIDs of a CID-keyed CFF's glyphs in glyph order; None for any other CFF."""
    try:
        top = _font_set(cff).topDictIndex[0]
    except Exception:  # not a CFF fontTools can read: leave it alone
        return None
    if not hasattr(top, "ROS") or not hasattr(top, "FDArray"):
        return None
    return [_cid(name) for name in top.charset]


def _cid(name: str) -> int:
    return 0 if name == ".notdef" else int(name[3:])


def merge_cff(programs: list[bytes]) -> bytes | None:
    """One CID-keyed CFF holding every glyph of ``programs`` (subsets of one face), glyphs in
    CID order; None when they are not all CID-keyed CFFs of the same face."""
    try:
        return _merge(programs)
    except Exception:  # a program fontTools cannot read: the forms keep their own
        return None


def _merge(programs: list[bytes]) -> bytes | None:
    from fontTools.cffLib import CharStrings

    sets = [_font_set(program) for program in programs]
    tops = [font_set.topDictIndex[0] for font_set in sets]
    if not all(hasattr(top, "ROS") and hasattr(top, "FDArray") for top in tops):
        return None
    if (
        len({(font_set.fontNames[0], top.ROS) for font_set, top in zip(sets, tops, strict=True)})
        != 1
    ):
        return None
    base_set, base = sets[0], tops[0]
    fd_names: list[str] = []
    font_dicts: list[Any] = []
    glyphs: dict[int, tuple[Any, int]] = {}  # CID → (charstring, index in font_dicts)
    for top in tops:
        local: list[int] = []
        for font_dict in top.FDArray:
            name = getattr(font_dict, "FontName", None) or f"#{len(fd_names)}"
            if name not in fd_names:
                fd_names.append(name)
                font_dicts.append(font_dict)
            local.append(fd_names.index(name))
        char_strings = top.CharStrings
        for gid, glyph_name in enumerate(top.charset):
            cid = _cid(glyph_name)
            if cid in glyphs:
                continue
            char_string = char_strings[glyph_name]
            fd_index = local[top.FDSelect[gid]]
            char_string.private = font_dicts[fd_index].Private
            glyphs[cid] = (char_string, fd_index)
    order = sorted(glyphs)
    names = [".notdef" if cid == 0 else f"cid{cid:05d}" for cid in order]
    if order[:1] != [0]:
        return None
    base.charset = names
    base.FDArray.items = font_dicts
    base.FDSelect.gidArray = [glyphs[cid][1] for cid in order]
    base.FDSelect.format = 3
    merged = CharStrings(None, names, base_set.GlobalSubrs, None, base.FDSelect, base.FDArray)
    for name, cid in zip(names, order, strict=True):
        merged[name] = glyphs[cid][0]
    base.CharStrings = merged
    out = io.BytesIO()
    base_set.compile(out, SimpleNamespace(recalcBBoxes=False))  # the PDF keeps the bounds
    return out.getvalue()

"""A folder's forms in one PDF, assembled from the forms' own PDFs: nothing is laid out again.

That keeps a bundle cheap to redo when one form of a large folder changes, and a bundle made
in an incremental build byte-identical to one made from scratch (both are assembled from the
same form PDFs). Objects the forms share are stored once, and so is each font face: the
forms' compact CID-keyed subsets of a face (:mod:`selfeval_compiler.outputs.cid_fonts`) are
united into one program that every form's font points to, so a bundle weighs about what the
same forms laid out as one document would.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any


def assemble(
    parts: list[Path], title: str, author: str, subject: str, created: str | None
) -> bytes:
    """The pages of ``parts`` in order, as one PDF with the bundle's own metadata."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(str(part), import_outline=False)
    _one_program_per_face(writer)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    metadata = {
        "/Title": title,
        "/Author": author,
        "/Subject": subject,
        "/Keywords": author,
        "/Producer": "selfeval (WeasyPrint, pypdf)",
    }
    if created:
        metadata["/CreationDate"] = metadata["/ModDate"] = _pdf_date(created)
    writer.metadata = None
    writer.add_metadata(metadata)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def _one_program_per_face(writer: Any) -> None:
    """Point every form's font of a face at one program holding all their glyphs."""
    from pypdf.generic import DecodedStreamObject, NameObject

    from selfeval_compiler.outputs.cid_fonts import CFF_SUBTYPE, merge_cff

    descriptors: dict[str, list[Any]] = {}
    seen: set[int] = set()
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for reference in fonts.values():
            font = reference.get_object()
            for descendant in font.get("/DescendantFonts", []):
                cid_font = descendant.get_object()
                descriptor = cid_font.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                program = descriptor.get("/FontFile3")
                if program is None or id(descriptor) in seen:
                    continue
                if program.get_object().get("/Subtype") != CFF_SUBTYPE:
                    continue
                seen.add(id(descriptor))
                descriptors.setdefault(str(cid_font.get("/BaseFont")), []).append(descriptor)
    for face in sorted(descriptors):
        found = descriptors[face]
        programs: dict[bytes, None] = {}
        for descriptor in found:
            programs.setdefault(descriptor["/FontFile3"].get_object().get_data(), None)
        if len(programs) < 2:
            continue
        merged = merge_cff(list(programs))
        if merged is None:
            continue
        stream = DecodedStreamObject()
        stream.set_data(merged)
        stream[NameObject("/Subtype")] = NameObject(CFF_SUBTYPE)
        reference = writer._add_object(stream.flate_encode())
        for descriptor in found:
            descriptor[NameObject("/FontFile3")] = reference


def _pdf_date(w3c: str) -> str:
    """2026-11-27T06:31:32+08:00 → D:20261127063132+08'00'"""
    digits = w3c[:19].replace("-", "").replace("T", "").replace(":", "")
    zone = w3c[19:]
    if zone in ("", "Z", "+00:00"):
        return f"D:{digits}Z"
    return f"D:{digits}{zone[0]}{zone[1:3]}'{zone[4:6]}'"

"""A folder's forms in one PDF, assembled from the forms' own PDFs: nothing is laid out again.

Each form is a bookmark of the bundle's outline, titled with its project name, so a reader
jumps to a project from the PDF viewer's side panel.

That keeps a bundle cheap to redo when one form of a large folder changes, and a bundle made
in an incremental build byte-identical to one made from scratch (both are assembled from the
same form PDFs). Objects the forms share are stored once, and so is each font face: the
forms' fonts of a face are united into one (:mod:`selfeval_compiler.outputs.bundle_fonts`),
so a bundle weighs about what the same forms laid out as one document would.
"""

from __future__ import annotations

import io
from pathlib import Path

from selfeval_compiler.outputs.bundle_fonts import one_font_per_face


def assemble(
    parts: list[tuple[Path, str]], title: str, author: str, subject: str, created: str | None
) -> bytes:
    """The pages of ``parts`` (each a form's PDF and its bookmark, the project name) in order,
    as one PDF with the bundle's own metadata and a bookmark per form at its first page."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.page_mode = "/UseOutlines"
    for part, bookmark in parts:
        # The form's own outline (WeasyPrint's bookmark of its title) is left out: every
        # form's is the same form title, which says nothing about which project it is.
        writer.append(str(part), outline_item=bookmark, import_outline=False)
    one_font_per_face(writer)
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


def _pdf_date(w3c: str) -> str:
    """2026-11-27T06:31:32+08:00 → D:20261127063132+08'00'"""
    digits = w3c[:19].replace("-", "").replace("T", "").replace(":", "")
    zone = w3c[19:]
    if zone in ("", "Z", "+00:00"):
        return f"D:{digits}Z"
    return f"D:{digits}{zone[0]}{zone[1:3]}'{zone[4:6]}'"

"""HTML → PDF with WeasyPrint: nothing fetched, no glyph drawn without a font.

WeasyPrint is imported here only, lazily, so ``check`` and HTML-only builds never pay for it.
By default WeasyPrint reads any local file and fetches any URL an HTML document names; the
fetcher below allows ``data:`` URLs and files inside the package's template folder only.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfeval_compiler.sources import resources

if TYPE_CHECKING:
    from weasyprint import Document


class FontProblem(Exception):
    """Chinese text would print as empty boxes. ``code`` is SE901 or SE902."""

    def __init__(self, code: str, **args: Any) -> None:
        super().__init__(f"{code}: {args}")
        self.code = code
        self.args_for_message: dict[str, Any] = args


class RenderProblem(Exception):
    """WeasyPrint failed on a document."""


def check_fonts() -> None:
    """Fail up front when fontconfig knows no font covering Chinese (fc-list :lang=zh)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return  # No fontconfig tools: rely on the glyph check during rendering.
    try:
        result = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise FontProblem("SE901", detail=f"fc-list failed: {error}") from error
    if not result.stdout.strip():
        raise FontProblem("SE901", detail="fc-list :lang=zh lists no font")


def _allowed_roots() -> tuple[Path, ...]:
    return (resources.data_dir("templates").resolve(),)


@cache
def _fetcher() -> Any:
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RestrictedFetcher(URLFetcher):  # type: ignore[misc]
        """Allows ``data:`` URLs and the package's own assets; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if any(path.is_relative_to(root) for root in _allowed_roots()) and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes())
            raise ValueError(f"selfeval does not fetch {url[:200]}")

    return RestrictedFetcher()


@cache
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


class _MissingGlyphs(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.missing: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith(".notdef glyph rendered"):
            args = record.args if isinstance(record.args, tuple) else ()
            self.missing.append(str(args[0]) if args else "?")


@contextmanager
def _watch_glyphs() -> Iterator[_MissingGlyphs]:
    logger = logging.getLogger("weasyprint")
    handler = _MissingGlyphs()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def render_document(html: str) -> Document:
    """Lay out one HTML document (glyphs are checked when it is drawn, in :func:`write_pdf`)."""
    from weasyprint import HTML

    base_url = resources.data_dir("templates").resolve().as_uri() + "/"
    try:
        return HTML(string=html, base_url=base_url, url_fetcher=_fetcher()).render(
            font_config=_font_config()
        )
    except Exception as error:  # WeasyPrint raises many kinds; all mean "this form failed"
        raise RenderProblem(str(error) or type(error).__name__) from error


def indicator_page_starts(document: Document) -> set[int]:
    """Indicator rows (by index) that begin a page after the first: where a merged cell
    continues. Read from the laid-out boxes of the table of class ``indicators``."""
    from weasyprint.formatting_structure import boxes

    starts: set[int] = set()
    for page in document.pages[1:]:
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.TableBox) or box.element is None:
                continue
            if "indicators" not in (box.element.get("class") or ""):
                continue
            for group in box.children:
                if not isinstance(group, boxes.TableRowGroupBox) or group.element is None:
                    continue
                if group.element.tag != "tbody":
                    continue
                rows = [row for row in group.children if isinstance(row, boxes.TableRowBox)]
                if rows and rows[0].element is not None:
                    index = list(group.element).index(rows[0].element)
                    if index > 0:
                        starts.add(index)
    return starts


def write_pdf(document: Document) -> bytes:
    """Draw a laid-out document; refuses when a character would be drawn without a font.

    Each CJK face is embedded as a compact CID-keyed CFF of the glyphs drawn
    (:mod:`selfeval_compiler.outputs.cid_fonts`)."""
    from selfeval_compiler.outputs import cid_fonts

    with _watch_glyphs() as glyphs:
        try:
            data: bytes = document.write_pdf(finisher=cid_fonts.compact_fonts)
        except Exception as error:
            raise RenderProblem(str(error) or type(error).__name__) from error
    if glyphs.missing:
        char = glyphs.missing[0]
        raise FontProblem("SE902", char=char, codepoint=f"{ord(char[0]):04X}" if char else "?")
    return data

"""Parsers of untrusted files run in a child process with a memory and CPU cap.

openpyxl, calamine, pdfminer and the HTML parser are all reasonable code, but a crafted file
can still make a parser inflate a stream without end or loop for minutes; in a child capped
at :data:`MEMORY_BYTES` and :data:`CPU_SECONDS` that costs the one file, never the user's
machine or the other files. The child prints the grids as JSON; nothing else crosses back.

Run as ``python -m selfeval_compiler.importers.sandbox KIND FILE`` (by :func:`read_grids`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from selfeval_compiler.importers.grid import Cell, Grid
from selfeval_compiler.importers.safety import Refused
from selfeval_compiler.outputs import limits

MEMORY_MB = 2048
CPU_SECONDS = 120
WALL_SECONDS = 300
MAX_OUTPUT_BYTES = 64 * 1024 * 1024


_HTML_MARKS = (b"<table", b"<html", b"<!doctype html")


def utf16_order(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``head`` is UTF-16 text without a BOM (every other
    byte of ASCII markup is a NUL), else ``None``."""
    sample = head[: len(head) // 2 * 2][:512]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.4 > even.count(0):
        return "utf-16-le"
    if even.count(0) > len(even) * 0.4 > odd.count(0):
        return "utf-16-be"
    return None


def sniff(path: Path, head: bytes) -> str | None:
    """The file's real kind from its first bytes (a system's ``.xls`` export is often a web
    page, a renamed ``.xlsx`` a zip, a page may be UTF-16): xlsx, xls, pdf, html, or ``None``.
    The name's suffix is consulted only for markup that shows no mark of a page."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.lstrip()[:5] == b"%PDF-" or head.startswith(b"%PDF-"):
        return "pdf"
    order = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else utf16_order(head)
    text = head.decode(order, "ignore").encode("utf-8") if order else head
    lowered = text.lower().removeprefix(b"\xef\xbb\xbf").lstrip()
    if any(mark in lowered for mark in _HTML_MARKS):
        return "html"
    if path.suffix.lower() in (".htm", ".html") and lowered.startswith(b"<"):
        return "html"  # markup named a page, whose first bytes hold none of the marks
    return None


def _limits() -> None:  # pragma: no cover - runs in the child before exec
    import resource

    limits.cap_memory(MEMORY_MB)  # the rendering workers' cap, the same way
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def read_grids(kind: str, path: Path) -> tuple[list[Grid], list[dict[str, Any]]]:
    """The file's grids and the reader's own remarks (formulas without a cached value),
    read in a capped child; :class:`Refused` when the child refuses or dies."""
    command = [sys.executable, "-m", "selfeval_compiler.importers.sandbox", kind, str(path)]
    environment = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "HOME", "TMPDIR")
    }
    environment["OPENPYXL_DEFUSEDXML"] = "True"
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            timeout=WALL_SECONDS,
            env=environment,
            preexec_fn=_limits if os.name == "posix" else None,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise Refused("refused.too-slow", seconds=WALL_SECONDS) from None
    if done.returncode != 0 or len(done.stdout) > MAX_OUTPUT_BYTES:
        raise Refused("refused.parser-died", code=done.returncode)
    answer = json.loads(done.stdout)
    if "refused" in answer:
        raise Refused(answer["refused"], **answer.get("args", {}))
    grids = []
    for sent in answer["grids"]:
        grid = Grid(sent["source"], sent["title"], sent.get("after", []))
        for r, c, text, value, rows, columns, indented in sent["cells"]:
            number = Decimal(value) if value is not None else None
            grid.add(Cell(r, c, text, number, rows, columns, indented))
        grids.append(grid)
    return grids, answer.get("remarks", [])


def _read(kind: str, path: Path) -> dict[str, Any]:
    from selfeval_compiler.importers import pdf_tables, web_page, workbook

    remarks: list[dict[str, Any]] = []
    if kind == "xlsx":
        grids, uncached = workbook.read_xlsx(path)
        remarks = [
            {"sheet": sheet, "formula": text, "row": row, "column": column}
            for sheet, text, row, column in uncached
        ]
    elif kind == "xls":
        grids = workbook.read_xls(path)
    elif kind == "pdf":
        grids = pdf_tables.read_pdf(path)
    else:
        grids = web_page.read_web_page(path.read_bytes())
    return {
        "grids": [
            {
                "source": grid.source,
                "title": grid.title_lines,
                "after": grid.after_lines,
                "cells": [
                    [
                        c.row,
                        c.column,
                        c.text,
                        None if c.value is None else str(c.value),
                        c.rows,
                        c.columns,
                        c.indented,
                    ]
                    for c in grid.cells
                ],
            }
            for grid in grids
        ],
        "remarks": remarks,
    }


def main() -> int:  # pragma: no cover - exercised through read_grids in the tests
    kind, name = sys.argv[1], sys.argv[2]
    try:
        try:
            answer = _read(kind, Path(name))
        except Exception as error:
            cause: BaseException | None = error
            while cause is not None:  # openpyxl wraps the parser's error in its own
                if type(cause).__module__.startswith("defusedxml"):
                    raise Refused("refused.entities") from None
                cause = cause.__cause__ or cause.__context__
            raise
    except Refused as refused:
        answer = {"refused": refused.reason, "args": {k: str(v) for k, v in refused.args_.items()}}
    except MemoryError:
        answer = {"refused": "refused.too-large-inflated", "args": {}}
    except Exception as error:  # a malformed file: reported, never a traceback
        detail = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        detail = detail.replace(name, "FILE")[:200]
        answer = {"refused": "refused.unreadable", "args": {"detail": detail}}
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

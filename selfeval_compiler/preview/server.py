"""The preview's HTTP server: pages made from the :class:`Workspace`, pushed updates.

Standard library only (``ThreadingHTTPServer``); file changes come from watchfiles and reach
open pages as server-sent events. The server answers only its own routes (no file is ever
served by name: forms are known by id), only to its own host name (a page elsewhere cannot
reach it through DNS rebinding), and every page carries a Content-Security-Policy that
allows nothing from outside.
"""

from __future__ import annotations

import json
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from selfeval_compiler.diagnostics import lookup
from selfeval_compiler.outputs.html import environment
from selfeval_compiler.preview.workspace import Entry, Workspace
from selfeval_compiler.sources import resources

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'self'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)
HEARTBEAT_SECONDS = 15.0
_FORM = re.compile(
    r"^/(form|render|pdf|api/form|fragment/form)/([0-9a-f]{16})(\.html|\.pdf|\.json)?$"
)
STATIC = {"/static/preview.css": "text/css", "/static/preview.js": "text/javascript"}


def _page(template: str, **context: Any) -> bytes:
    text: str = environment().get_template(template).render(**context)
    return text.encode("utf-8")


def diagnostics_of(entry: Entry, lang: str = "zh") -> list[dict[str, Any]]:
    return [
        {
            "code": d.code,
            "severity": d.severity.value,
            "line": d.location.line,
            "column": d.location.column,
            "message": d.message(lang),
            "fix": _fix(d.code, lang),
        }
        for d in entry.compiled.diagnostics
    ]


def _fix(code: str, lang: str) -> str:
    info = lookup(code)
    return info.fix_en if lang == "en" else info.fix_zh


def summary_of(entry: Entry) -> dict[str, Any]:
    form = entry.compiled.form
    spec = entry.compiled.printed.spec if entry.compiled.printed else None
    return {
        "id": entry.id,
        "file": entry.spec_file.display,
        "project": spec.project if spec else entry.spec_file.path.name,
        "unit": spec.unit if spec else "",
        # As build: a form with errors has no figures to show.
        "total": str(form.total) if form is not None and not entry.errors else "",
        "grade": form.grade if form is not None and not entry.errors else "",
        "errors": entry.errors,
        "warnings": entry.warnings,
        "version": entry.version,
    }


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], workspace: Workspace) -> None:
        super().__init__(address, Handler)
        self.workspace = workspace
        port = self.server_address[1]
        names = {address[0], "127.0.0.1", "localhost", "[::1]"}  # the host it was given, too
        self.hosts = {f"{name}:{port}" for name in names}
        self.stopping = threading.Event()
        self.pdf = PdfMaker()


class PdfMaker:
    """PDFs on demand, laid out in a worker process under the build's memory and time caps."""

    def __init__(self) -> None:
        self._pool: Any = None
        self._lock = threading.Lock()

    def make(self, entry: Entry) -> bytes | None:
        from concurrent.futures import ProcessPoolExecutor

        from selfeval_compiler.building.workers import Entry as TaskEntry
        from selfeval_compiler.building.workers import (
            pdf_worker_setup,
            process_context,
            render_pdf,
        )

        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    1, mp_context=process_context(), initializer=pdf_worker_setup
                )
            future = self._pool.submit(render_pdf, TaskEntry(entry.spec_file, None))
        try:
            result: bytes | None = future.result(timeout=300)
        except Exception:
            return None
        return result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows the URL and changes, not every request

    def _send(
        self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found(self) -> None:
        self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")

    def do_POST(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"read only\n", "text/plain; charset=utf-8")

    do_PUT = do_DELETE = do_PATCH = do_POST

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if self.headers.get("Host", "") not in self.server.hosts:
            self._send(
                HTTPStatus.MISDIRECTED_REQUEST, b"unknown host\n", "text/plain; charset=utf-8"
            )
            return
        path = self.path.split("?", 1)[0]
        workspace = self.server.workspace
        if path == "/":
            entries = [summary_of(e) for e in workspace.entries.values()]
            problems = [
                f"{d.location.file}: {d.code} {d.message('zh')}" for d in workspace.problems
            ]
            self._html(
                _page(
                    "preview-index.html.j2",
                    entries=entries,
                    problems=problems,
                    version=workspace.version,
                )
            )
        elif path == "/fragment/index":
            entries = [summary_of(e) for e in workspace.entries.values()]
            self._html(_page("preview-rows.html.j2", entries=entries))
        elif path == "/events":
            self._events()
        elif path == "/changes":
            self._changes()
        elif path in STATIC:
            name = path.rsplit("/", 1)[1]
            data = (resources.data_dir("templates") / name).read_bytes()
            self._send(HTTPStatus.OK, data, f"{STATIC[path]}; charset=utf-8")
        else:
            self._form_route(path)

    def _html(self, body: bytes) -> None:
        self._send(HTTPStatus.OK, body, "text/html; charset=utf-8")

    def _form_route(self, path: str) -> None:
        match = _FORM.match(path)
        entry = self.server.workspace.entries.get(match.group(2)) if match else None
        if match is None or entry is None:
            self._not_found()
            return
        kind = match.group(1)
        if kind == "form":
            self._html(
                _page(
                    "preview-form.html.j2",
                    entry=summary_of(entry),
                    diagnostics=diagnostics_of(entry),
                    version=self.server.workspace.version,
                )
            )
        elif kind == "fragment/form":
            self._html(_page("preview-diagnostics.html.j2", diagnostics=diagnostics_of(entry)))
        elif kind == "api/form":
            body = json.dumps(summary_of(entry), ensure_ascii=False).encode("utf-8")
            self._send(HTTPStatus.OK, body, "application/json; charset=utf-8")
        elif kind == "render":
            html = self.server.workspace.html(entry)
            if html is None:
                html = _page("preview-unbuildable.html.j2", entry=summary_of(entry))
            self._html(html)
        else:
            self._pdf(entry)

    def _pdf(self, entry: Entry) -> None:
        data = self.server.pdf.make(entry) if not entry.errors else None
        if data is None:
            self._send(
                HTTPStatus.CONFLICT,
                "这份表单有错误，无法生成 PDF\n".encode(),
                "text/plain; charset=utf-8",
            )
            return
        name = Path(entry.spec_file.path.name).stem + ".pdf"
        disposition = f"attachment; filename*=UTF-8''{_quote(name)}"
        self._send(HTTPStatus.OK, data, "application/pdf", {"Content-Disposition": disposition})

    def _changes(self) -> None:
        from selfeval_compiler import api

        try:
            report = api.diff(self.server.workspace.paths)
            error = ""
        except api.UsageError as problem:
            report, error = None, problem.message.text("zh")
        version = self.server.workspace.version
        self._html(_page("preview-changes.html.j2", report=report, error=error, version=version))

    def _events(self) -> None:
        """Server-sent events: the workspace's version whenever it moves."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Connection", "close")
        self.end_headers()
        workspace = self.server.workspace
        seen = -1
        try:
            while not self.server.stopping.is_set():
                with workspace.changed:
                    if workspace.version == seen:
                        workspace.changed.wait(HEARTBEAT_SECONDS)
                    version = workspace.version
                if version != seen:
                    seen = version
                    self.wfile.write(f"data: {json.dumps({'version': version})}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return
        self.close_connection = True


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")

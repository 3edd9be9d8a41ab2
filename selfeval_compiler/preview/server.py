"""The preview's HTTP server: its routes, the security headers on every answer, and pushed
updates. What a page shows is :mod:`.pages`'; PDFs come from :mod:`.pdf_pool`.

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

from selfeval_compiler.diagnostics import Location, internal
from selfeval_compiler.diagnostics import formats as reporting
from selfeval_compiler.preview import pages
from selfeval_compiler.preview.pdf_pool import PdfMaker
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
            self._html(pages.index_page(workspace))
        elif path == "/fragment/index":
            self._html(pages.index_rows(workspace))
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
        workspace = self.server.workspace
        if kind == "form":
            self._html(pages.form_page(workspace, entry))
        elif kind == "fragment/form":
            self._html(pages.form_findings(entry))
        elif kind == "api/form":
            body = json.dumps(pages.summary_of(entry), ensure_ascii=False).encode("utf-8")
            self._send(HTTPStatus.OK, body, "application/json; charset=utf-8")
        elif kind == "render":
            self._html(pages.rendered_form(workspace, entry))
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
        except Exception as problem:  # a bug must not drop the connection: say it on the page
            report = None
            error = reporting.as_text(internal(Location("selfeval diff"), problem), "zh")
        version = self.server.workspace.version
        self._html(
            pages.page("preview-changes.html.j2", report=report, error=error, version=version)
        )

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

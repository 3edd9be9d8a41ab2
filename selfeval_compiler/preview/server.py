"""The preview's HTTP server: its routes, the security headers on every answer, and pushed
updates. What a page shows is :mod:`.pages`'; PDFs come from :mod:`.pdf_pool`.

Standard library only (``ThreadingHTTPServer``); file changes come from watchfiles and reach
open pages as server-sent events. The server answers only its own routes (no file is ever
served by name: forms are known by id), only to its own host name (a page elsewhere cannot
reach it through DNS rebinding), and every answer — error pages of the standard library
included — carries a Content-Security-Policy that allows nothing from outside.

It is bounded (:class:`ServeLimits`): a connection that sends nothing, or half a request, is
cut after a while; pages and event streams have their own numbers of places, so that idle
sockets cannot stop it answering and open tabs listening for changes never take the places
pages need; a connection beyond them gets a quick 503.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from selfeval_compiler.diagnostics import Location, internal, phrase
from selfeval_compiler.diagnostics import formats as reporting
from selfeval_compiler.preview import pages
from selfeval_compiler.preview.pdf_pool import Made, PdfMaker
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


SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
)
"""Sent with every answer, whoever makes it (our routes or ``send_error``)."""


@dataclass(frozen=True)
class ServeLimits:
    """How long and how many (SECURITY.md)."""

    idle_seconds: float = 20.0
    """A connection must send a whole request head (line and headers) within this many
    seconds of the server waiting for it, and take each piece of an answer within it."""
    pages: int = 64
    """Connections answered at once (pages, fragments, PDFs, idle keep-alive)."""
    streams: int = 32
    """Event streams open at once, counted apart from pages (one per open tab)."""


class _Places:
    """Admission: page connections and event streams counted apart. A connection takes a
    page place when accepted; an event stream gives it back for a stream place."""

    def __init__(self, limits: ServeLimits) -> None:
        self._limits = limits
        self._lock = threading.Lock()
        self._mine = threading.local()  # whether this handler thread holds a stream place
        self.pages = 0
        self.streams = 0

    def admit(self) -> bool:
        with self._lock:
            if self.pages >= self._limits.pages:
                return False
            self.pages += 1
            return True

    def to_stream(self) -> bool:
        with self._lock:
            if self.streams >= self._limits.streams:
                return False
            self.streams += 1
            self.pages -= 1
        self._mine.stream = True
        return True

    def release(self) -> None:
        stream = getattr(self._mine, "stream", False)
        self._mine.stream = False
        with self._lock:
            if stream:
                self.streams -= 1
            else:
                self.pages -= 1


class _Deadlines:
    """Cuts a connection that has not sent its whole request head in time (one that sends
    nothing, half a request, or a byte now and then), by shutting its socket down."""

    def __init__(self, seconds: float, stopping: threading.Event) -> None:
        self._seconds = seconds
        self._stopping = stopping
        self._lock = threading.Lock()
        self._due: dict[socket.socket, float] = {}
        self._cut: set[socket.socket] = set()
        step = min(0.5, seconds / 4)
        threading.Thread(target=self._watch, args=(step,), daemon=True).start()

    def start(self, connection: socket.socket) -> None:
        with self._lock:
            self._due[connection] = time.monotonic() + self._seconds

    def clear(self, connection: socket.socket) -> bool:
        """Stop timing ``connection``; ``False`` when it was cut for being too slow."""
        with self._lock:
            self._due.pop(connection, None)
            if connection in self._cut:
                self._cut.discard(connection)
                return False
            return True

    def _watch(self, step: float) -> None:
        while not self._stopping.wait(step):
            now = time.monotonic()
            with self._lock:
                late = [c for c, due in self._due.items() if due <= now]
                for connection in late:
                    del self._due[connection]
                    self._cut.add(connection)
            for connection in late:
                with contextlib.suppress(OSError):  # already gone
                    connection.shutdown(socket.SHUT_RDWR)


def _busy(lang: str) -> bytes:
    """A whole 503 answer, written straight to a socket no handler will take."""
    body = (phrase("preview.busy").text(lang) + "\n").encode("utf-8")
    head = ["HTTP/1.1 503 Service Unavailable", "Content-Type: text/plain; charset=utf-8"]
    head += [f"Content-Length: {len(body)}", "Retry-After: 1", "Connection: close"]
    head += [f"{key}: {value}" for key, value in SECURITY_HEADERS]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a burst of connections waits to be accepted, then refused

    def __init__(
        self,
        address: tuple[str, int],
        workspace: Workspace,
        limits: ServeLimits | None = None,
        *,
        lang: str = "zh",
    ) -> None:
        super().__init__(address, Handler)
        self.workspace = workspace
        self.lang = lang  # of the preview's own pages and findings (serve --lang)
        port = self.server_address[1]
        names = {address[0], "127.0.0.1", "localhost", "[::1]"}  # the host it was given, too
        self.hosts = {f"{name}:{port}" for name in names}
        self.stopping = threading.Event()
        self.pdf = PdfMaker()
        self.limits = limits or ServeLimits()
        self.places = _Places(self.limits)
        self.deadlines = _Deadlines(self.limits.idle_seconds, self.stopping)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Start a handler thread when there is a place; otherwise a quick 503."""
        if not self.places.admit():
            with contextlib.suppress(OSError):
                request.settimeout(0.5)
                request.sendall(_busy(self.lang))
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.places.release()  # no thread was started to give the place back
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.places.release()


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    # an unreadable request line is answered as HTTP/1.0, with headers (0.9 has none)
    default_request_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows the URL and changes, not every request

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.limits.idle_seconds)  # each read and write

    def handle_one_request(self) -> None:
        deadlines = self.server.deadlines
        deadlines.start(self.connection)
        try:
            super().handle_one_request()
        finally:
            deadlines.clear(self.connection)

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        if not self.server.deadlines.clear(self.connection):
            self.close_connection = True  # cut mid-headers: what was read is not a request
            return False
        return parsed

    def send_response(self, code: int, message: str | None = None) -> None:
        super().send_response(code, message)
        for key, value in SECURITY_HEADERS:
            self.send_header(key, value)

    def _send(
        self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
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
            self._html(pages.index_page(workspace, self.server.lang))
        elif path == "/fragment/index":
            self._html(pages.index_rows(workspace, self.server.lang))
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
            self._html(pages.form_page(workspace, entry, self.server.lang))
        elif kind == "fragment/form":
            self._html(pages.form_findings(entry, self.server.lang))
        elif kind == "api/form":
            body = json.dumps(pages.summary_of(entry, self.server.lang), ensure_ascii=False).encode(
                "utf-8"
            )
            self._send(HTTPStatus.OK, body, "application/json; charset=utf-8")
        elif kind == "render":
            self._html(pages.rendered_form(workspace, entry, self.server.lang))
        else:
            self._pdf(entry)

    def _pdf(self, entry: Entry) -> None:
        made = self.server.pdf.make(entry) if not entry.errors else Made("errors")
        if made.outcome != "ok":
            status = _PDF_STATUS[made.outcome]
            body = (made.why().text(self.server.lang) + "\n").encode("utf-8")
            self._send(status, body, "text/plain; charset=utf-8")
            return
        name = Path(entry.spec_file.path.name).stem + ".pdf"
        disposition = f"attachment; filename*=UTF-8''{_quote(name)}"
        self._send(
            HTTPStatus.OK, made.data, "application/pdf", {"Content-Disposition": disposition}
        )

    def _changes(self) -> None:
        from selfeval_compiler import api

        try:
            report = api.diff(self.server.workspace.paths)
            error = ""
        except api.UsageError as problem:
            report, error = None, problem.message.text(self.server.lang)
        except Exception as problem:  # a bug must not drop the connection: say it on the page
            report = None
            error = reporting.as_text(
                internal(Location("selfeval diff"), problem), self.server.lang
            )
        version = self.server.workspace.version
        self._html(
            pages.page(
                "preview-changes.html.j2",
                self.server.lang,
                report=report,
                error=error,
                version=version,
            )
        )

    def _events(self) -> None:
        """Server-sent events: the workspace's version whenever it moves."""
        if not self.server.places.to_stream():
            self.close_connection = True
            busy = (phrase("preview.busy").text(self.server.lang) + "\n").encode("utf-8")
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, busy, "text/plain; charset=utf-8")
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
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


_PDF_STATUS = {
    "errors": HTTPStatus.CONFLICT,
    "timeout": HTTPStatus.GATEWAY_TIMEOUT,
    "crash": HTTPStatus.INTERNAL_SERVER_ERROR,
}


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")

"""``selfeval serve`` under load and faults (issue 19): idle and slow connections are cut,
connections are bounded with event streams counted apart, a dead or stuck PDF worker is
replaced, and every answer — error pages too — carries the security headers. Only
127.0.0.1, a bounded number of sockets, each test within seconds."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEED_FOLDER

from selfeval_compiler.preview.serve import start
from selfeval_compiler.preview.server import CSP, PreviewServer, ServeLimits


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    shutil.copytree(SEED_FOLDER, tmp_path / "specs" / "unit")
    return tmp_path / "specs"


def _serve(project: Path, limits: ServeLimits) -> Iterator[PreviewServer]:
    server, stop = start([project], "127.0.0.1", 0, limits=limits)
    try:
        yield server
    finally:
        stop()


@pytest.fixture
def server(project: Path) -> Iterator[PreviewServer]:
    yield from _serve(project, ServeLimits(idle_seconds=1.5, pages=16, streams=2))


def _base(server: PreviewServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def _get(url: str, timeout: float = 60) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return int(error.code), error.read(), dict(error.headers)


def _connect(server: PreviewServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=5)


def _raw(server: PreviewServer, request: bytes) -> bytes:
    """Send ``request`` as is; the whole answer, up to the server closing or 2 s of quiet."""
    with _connect(server) as connection:
        connection.settimeout(2)
        connection.sendall(request)
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except TimeoutError:
            pass
    return answer


def _closed_by_server(connection: socket.socket, within: float) -> bool:
    connection.settimeout(within)
    try:
        while connection.recv(65536):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return True


def _entry_id(server: PreviewServer) -> str:
    entries = server.workspace.entries.values()
    return next(e.id for e in entries if e.spec_file.path.name.startswith("01"))


def test_idle_sockets_cannot_stop_the_server_answering(server: PreviewServer) -> None:
    """Today's server stopped answering with 255 idle sockets; now those beyond the places
    get a quick 503 (with the security headers) and the idle ones are cut, so pages answer
    again within seconds."""
    idle = [_connect(server) for _ in range(300)]
    try:
        started = time.monotonic()
        status, _, headers = _get(_base(server) + "/", timeout=5)
        assert status == 503
        assert time.monotonic() - started < 3
        assert headers["Content-Security-Policy"] == CSP
        assert headers["X-Content-Type-Options"] == "nosniff"
        deadline = time.monotonic() + 8
        while (status := _get(_base(server) + "/", timeout=5)[0]) != 200:
            assert time.monotonic() < deadline, "the server never answered again"
            time.sleep(0.2)
        assert time.monotonic() - started < 8
        assert _closed_by_server(idle[0], within=3)
    finally:
        for connection in idle:
            connection.close()


def test_a_half_request_is_cut_even_when_it_trickles(server: PreviewServer) -> None:
    with _connect(server) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started = time.monotonic()
        try:
            for _ in range(20):  # a byte every 0.3 s would keep a per-read timeout alive
                connection.sendall(b"X")
                time.sleep(0.3)
        except OSError:
            pass  # cut
        assert _closed_by_server(connection, within=3)
        assert time.monotonic() - started < 5


def test_event_streams_do_not_take_the_places_pages_need(project: Path) -> None:
    for server in _serve(project, ServeLimits(idle_seconds=30, pages=2, streams=2)):
        port = server.server_address[1]
        request = f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
        streams = [_connect(server) for _ in range(2)]
        try:
            for stream in streams:
                stream.sendall(request)
                assert stream.recv(65536).startswith(b"HTTP/1.1 200")
            # both stream places taken: a third stream is refused, pages still answer
            refused = _raw(server, request)
            assert refused.startswith(b"HTTP/1.1 503")
            assert f"Content-Security-Policy: {CSP}".encode() in refused
            for _ in range(5):
                assert _get(_base(server) + "/", timeout=5)[0] == 200
        finally:
            for stream in streams:
                stream.close()


def test_error_pages_carry_the_security_headers(server: PreviewServer) -> None:
    port = server.server_address[1]
    host = f"Host: 127.0.0.1:{port}\r\n"
    answers = [
        (400, _raw(server, b"GARBAGE\r\n\r\n")),  # no version: once answered bare (HTTP/0.9)
        (400, _raw(server, f"GET / HTTP/1.1 extra\r\n{host}\r\n".encode())),
        (404, _raw(server, f"GET /nothing HTTP/1.1\r\n{host}Connection: close\r\n\r\n".encode())),
        (405, _raw(server, f"POST / HTTP/1.1\r\n{host}Connection: close\r\n\r\n".encode())),
        (421, _raw(server, b"GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")),
        (501, _raw(server, f"OPTIONS / HTTP/1.1\r\n{host}\r\n".encode())),
    ]
    for status, answer in answers:
        head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        assert head.split()[1] == str(status), (status, head)
        assert f"Content-Security-Policy: {CSP}" in head, (status, head)
        assert "X-Content-Type-Options: nosniff" in head, (status, head)
        assert "Referrer-Policy: no-referrer" in head, (status, head)


def test_a_killed_pdf_worker_is_replaced(server: PreviewServer) -> None:
    url = f"{_base(server)}/pdf/{_entry_id(server)}.pdf"
    assert _get(url)[0] == 200
    (pid,) = server.pdf.worker_pids()
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.5)  # the pool notices its worker is gone
    status, data, _ = _get(url)
    assert status == 200
    assert data.startswith(b"%PDF-")
    assert server.pdf.worker_pids() != [pid]


def test_a_pdf_worker_that_dies_says_so_and_the_next_download_works(
    server: PreviewServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfeval_compiler.outputs import pdf

    real = pdf.render_document

    def dies(html: str) -> object:
        os._exit(9)  # a crash inside a C library looks like this

    monkeypatch.setattr(pdf, "render_document", dies)  # the worker is forked from here
    url = f"{_base(server)}/pdf/{_entry_id(server)}.pdf"
    status, body, headers = _get(url)
    assert status == 500
    assert "生成 PDF 的进程失败" in body.decode()
    assert "有错误" not in body.decode()
    assert headers["Content-Security-Policy"] == CSP
    monkeypatch.setattr(pdf, "render_document", real)
    status, data, _ = _get(url)
    assert status == 200
    assert data.startswith(b"%PDF-")


def test_a_slow_pdf_says_it_took_too_long(
    server: PreviewServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfeval_compiler.outputs import limits, pdf

    def slow(html: str) -> object:
        time.sleep(60)
        raise AssertionError("never reached: the alarm ends it")

    monkeypatch.setattr(limits, "RENDER_SECONDS", 1.0)
    monkeypatch.setattr(pdf, "render_document", slow)
    started = time.monotonic()
    status, body, _ = _get(f"{_base(server)}/pdf/{_entry_id(server)}.pdf")
    assert time.monotonic() - started < 15
    assert status == 504
    text = body.decode()
    assert "生成 PDF 超时" in text
    assert "1 秒" in text
    assert "有错误" not in text

"""Running the preview: load the workspace, watch its files, serve until interrupted."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from selfeval_compiler.preview.server import PreviewServer, ServeLimits
from selfeval_compiler.preview.workspace import Workspace

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def _watch(workspace: Workspace, server: PreviewServer) -> None:
    """Recompile on every save (watchfiles: inotify where there is one), debounced by 50 ms;
    the folders watched follow the profiles the specs use."""
    from watchfiles import watch

    def roots() -> list[str]:
        return sorted(str(p) for p in workspace.watched() if p.is_dir())

    while not server.stopping.is_set():
        watched = roots()
        try:
            for changes in watch(
                *watched, stop_event=server.stopping, debounce=50, step=20, yield_on_timeout=False
            ):
                paths = {Path(path) for _, path in changes if path.endswith((".yaml", ".yml"))}
                if paths:
                    workspace.update(paths)
                if roots() != watched:
                    break  # the specs now use a profile elsewhere: watch its folder too
            else:
                return  # stopped
        except Exception:  # watchfiles cannot name a path that is not UTF-8 (#19)
            _poll(workspace, server)
            return


def _poll(workspace: Workspace, server: PreviewServer) -> None:
    """The watcher's stand-in when it fails: the YAML files' times, compared twice a second."""

    def stamps() -> dict[Path, float]:
        found: dict[Path, float] = {}
        for root in workspace.watched():
            for path in root.rglob("*.y*ml") if root.is_dir() else ():
                try:
                    found[path] = path.lstat().st_mtime
                except OSError:
                    continue
        return found

    seen = stamps()
    while not server.stopping.wait(0.5):
        now = stamps()
        changed = {p for p in seen.keys() | now.keys() if seen.get(p) != now.get(p)}
        if changed:
            workspace.update(changed)
        seen = now


def start(
    paths: list[Path],
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    limits: ServeLimits | None = None,
    lang: str = "zh",
) -> tuple[PreviewServer, Callable[[], None]]:
    """Load, bind and start serving in the background; returns the server and a stop."""
    workspace = Workspace(paths)
    workspace.load()
    server = PreviewServer((host, port), workspace, limits, lang=lang)
    serving = threading.Thread(target=server.serve_forever, name="selfeval-serve", daemon=True)
    watching = threading.Thread(target=_watch, args=(workspace, server), daemon=True)
    serving.start()
    watching.start()

    def stop() -> None:
        server.stopping.set()
        with workspace.changed:
            workspace.changed.notify_all()
        server.shutdown()
        server.server_close()
        server.pdf.close()
        watching.join(timeout=2)

    return server, stop

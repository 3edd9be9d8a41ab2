"""selfeval serve: how soon an edit reaches an open page, and how fast the index of 1,000
forms loads. Prints figures, asserts nothing (goals in README.md).

    .venv/bin/python benchmarks/bench_preview.py [--specs 1000] [--repeat 5]

The server runs in this process, as `selfeval serve` runs it. "Edit shown" is from writing a
spec to the moment a listener on /events has been told and the form's JSON gives the new
总分 — what the page does before it redraws.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_specs import generate

from selfeval_compiler.preview.serve import start


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        data: bytes = response.read()
        return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--specs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-preview-") as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        paths = generate(root / "specs", args.specs)
        started = time.perf_counter()
        server, stop = start([root / "specs"], "127.0.0.1", 0)
        what = f"start (compile {args.specs} specs)"
        print(f"{what:<48} {time.perf_counter() - started:7.2f} s")
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            loads = []
            for _ in range(args.repeat):
                began = time.perf_counter()
                page = _get(base + "/").decode("utf-8")
                loads.append(time.perf_counter() - began)
            rows = page.count("<tr ")
            print(f"{f'index of {rows} forms':<48} {min(loads):7.2f} s   goal < 2 s")
            ids = re.findall(r'href="/form/([0-9a-f]{16})"', page)
            spec, form = paths[0], ids[0]
            shown = []
            for index in range(args.repeat):
                version = server.workspace.version
                told = threading.Event()

                def listen(expected: int = version, told: threading.Event = told) -> None:
                    with server.workspace.changed:
                        server.workspace.changed.wait_for(
                            lambda: server.workspace.version > expected, timeout=10
                        )
                    told.set()

                listener = threading.Thread(target=listen)
                listener.start()
                text = spec.read_text("utf-8")
                began = time.perf_counter()
                spec.write_text(text + f"# edit {index}\n", "utf-8")
                told.wait(10)
                data = json.loads(_get(f"{base}/api/form/{form}.json"))
                _get(f"{base}/render/{form}.html")
                shown.append(time.perf_counter() - began)
                listener.join()
                assert data["version"] > version
            median = statistics.median(shown)
            what = "edit shown (event + form JSON + HTML)"
            print(f"{what:<48} {median:7.2f} s   goal < 1 s (median of {args.repeat})")
        finally:
            stop()


if __name__ == "__main__":
    main()

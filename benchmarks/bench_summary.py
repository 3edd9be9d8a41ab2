"""`selfeval summary` against the floor of reading the same JSON files: prints, asserts nothing.

    .venv/bin/python benchmarks/bench_summary.py [--forms 10000] [--specs 1250] [--repeat 3]

Builds --specs generated specs once (HTML and JSON) and copies that build folder until the
folders hold --forms form JSONs (the summary reads each as a form of its own folder), then
times, interleaved and best of --repeat, each as its own process: ``selfeval summary`` of the
folders (JSON and HTML, as bench_shards.py runs it), and a plain Python process that walks
the same folders and ``json.loads`` every ``*.json`` in them. The goal (benchmarks/README.md)
is the ratio of the two.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import measured, selfeval
from generate_specs import generate

FLOOR = """
import json, os, sys
count = 0
for top in sys.argv[1:]:
    for folder, _, names in os.walk(top):
        for name in names:
            if name.endswith(".json"):
                with open(os.path.join(folder, name), "rb") as file:
                    json.loads(file.read())
                count += 1
print(count, file=sys.stderr)
"""


def summary_against_json_loads(root: Path, folders: list[str], repeat: int) -> None:
    """Print the summary's time, the json.loads floor's and their ratio (best of ``repeat``)."""
    summary: list[float] = []
    floor: list[float] = []
    for _ in range(repeat):
        shutil.rmtree(root / "summary", ignore_errors=True)
        command = selfeval("summary", *folders, "-o", "summary", "--format", "json")
        summary.append(measured([*command, "--format", "html"], root)[0])
        floor.append(measured([sys.executable, "-c", FLOOR, *folders], root)[0])
    print(f"{'summary (JSON+HTML)':<48} {min(summary):7.2f} s")
    print(f"{'floor: json.loads of every JSON, one process':<48} {min(floor):7.2f} s")
    print(f"{'summary / floor':<48} {min(summary) / min(floor):7.2f} ×   goal ≤ 2 ×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forms", type=int, default=10_000)
    parser.add_argument("--specs", type=int, default=1250)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-summary-") as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        generate(root / "specs", args.specs)
        command = selfeval("build", "specs", "-o", "build-1", "-q", "--format", "html")
        measured([*command, "--format", "json"], root)
        folders = ["build-1"]
        while len(folders) * args.specs < args.forms:
            folders.append(f"build-{len(folders) + 1}")
            shutil.copytree(root / "build-1", root / folders[-1])
        print(f"{len(folders) * args.specs} form JSONs in {len(folders)} build folders")
        summary_against_json_loads(root, folders, args.repeat)


if __name__ == "__main__":
    main()

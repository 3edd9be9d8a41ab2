"""selfeval benchmarks: prints figures, asserts nothing (goals live in benchmarks/README.md).

    .venv/bin/python benchmarks/bench.py [--specs 1000] [--repeat 3]

Generates a seeded tree of realistic specs in a temporary folder and times the commands a
user runs, as separate processes, taking the best of --repeat runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_specs import generate


def selfeval(*args: str, cwd: Path) -> float:
    """Wall time of one ``selfeval`` run; fails loudly if the command fails."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "selfeval_compiler", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"selfeval {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return elapsed


def best(repeat: int, *args: str, cwd: Path) -> float:
    return min(selfeval(*args, cwd=cwd) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--specs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-") as folder:
        root = Path(folder)
        (root / ".git").mkdir()  # defaults stop here, as in a repository
        generate(root / "specs", args.specs)
        print(f"generated {args.specs} specs in 8 folders")
        seconds = best(args.repeat, "check", "specs", cwd=root)
        print(f"check {args.specs} specs: {seconds:.2f} s (goal < 2 s)")
        seconds = best(args.repeat, "check", "-j", "1", "specs", cwd=root)
        print(f"check {args.specs} specs, one process: {seconds:.2f} s")


if __name__ == "__main__":
    main()

"""check, a no-op rebuild and importing the CLI, this tree against earlier revisions.

    .venv/bin/python benchmarks/bench_check.py [--specs 1200] [--repeat 5]
        [--against f7ef329 --against 696e844]

Each earlier revision is checked out as a detached git worktree in a temporary folder and run
from its own source (``PYTHONPATH`` to that tree, this venv's packages). One tree of specs is
generated once; every command is run as its own process, old and new interleaved, best of
``--repeat``, so the load other processes put on a shared machine falls on both alike. Prints
wall and CPU seconds (user + system of the command's processes, steadier than wall time on a
loaded machine) and the ratios new ÷ old; asserts nothing (goals: benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_specs import generate

HERE = Path(__file__).resolve().parent.parent


def timed(command: list[str], cwd: Path, tree: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the command's processes together)."""
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=environment, capture_output=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{tree}: {' '.join(command)} exited {result.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def cli(tree: Path) -> str:
    """The CLI's module: ``selfeval_compiler.cli.app``, a plain ``cli`` module in 696e844."""
    package = tree / "selfeval_compiler"
    return (
        "selfeval_compiler.cli.app"
        if (package / "cli" / "app.py").exists()
        else "selfeval_compiler.cli"
    )


def selfeval(*args: str) -> list[str]:
    return [sys.executable, "-m", "selfeval_compiler", *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--specs", type=int, default=1200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--against", action="append", default=None)
    args = parser.parse_args()
    against = args.against or ["f7ef329", "696e844"]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-check-") as folder:
        root = Path(folder)
        trees = {"new": HERE}
        for revision in against:
            tree = root / f"tree-{revision}"
            subprocess.run(
                ["git", "-C", str(HERE), "worktree", "add", "--detach", str(tree), revision],
                check=True,
                capture_output=True,
            )
            trees[revision] = tree
        try:
            work = root / "work"
            (work / ".git").mkdir(parents=True)  # defaults stop here, as in a repository
            generate(work / "specs", args.specs)
            print(f"generated {args.specs} specs in 8 folders")
            for name, tree in trees.items():  # each tree builds its own output once
                shutil.rmtree(work / f"out-{name}", ignore_errors=True)
                timed(
                    selfeval("build", "specs", "-o", f"out-{name}", "--format", "html", "-q"),
                    work,
                    tree,
                )
            commands = {
                "check": lambda name: selfeval("check", "specs"),
                "no-op rebuild (HTML)": lambda name: selfeval(
                    "build", "specs", "-o", f"out-{name}", "--format", "html", "-q"
                ),
                "import the CLI": lambda name: [sys.executable, "-c", f"import {cli(trees[name])}"],
            }
            for what, command in commands.items():
                wall = {name: float("inf") for name in trees}
                cpu = {name: float("inf") for name in trees}
                for _ in range(args.repeat):
                    for name, tree in trees.items():
                        seconds, used = timed(command(name), work, tree)
                        wall[name] = min(wall[name], seconds)
                        cpu[name] = min(cpu[name], used)
                print(f"{what}: new {wall['new']:.3f} s wall, {cpu['new']:.3f} s CPU")
                for name in against:
                    print(
                        f"    ÷ {name} ({wall[name]:.3f} s wall, {cpu[name]:.3f} s CPU): "
                        f"{wall['new'] / wall[name]:.2f}× wall, {cpu['new'] / cpu[name]:.2f}× CPU"
                    )
        finally:
            for revision in against:
                subprocess.run(
                    ["git", "-C", str(HERE), "worktree", "remove", "--force", str(trees[revision])],
                    capture_output=True,
                )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

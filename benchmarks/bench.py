"""selfeval benchmarks: prints figures, asserts nothing (goals live in benchmarks/README.md).

    .venv/bin/python benchmarks/bench.py [--specs 1000] [--pdf-specs 200] [--repeat 3]

On one seeded generated tree it times, each as a separate process (best of --repeat where a
run leaves nothing behind): check; an HTML-only build; a PDF build with --jobs 2; the floor,
the same HTML files turned into PDFs by plain WeasyPrint in two processes; a no-op rebuild; a
rebuild after editing one spec; and the peak memory of the largest process of each run.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_specs import generate

FLOOR = """
import sys
from multiprocessing import Pool
from pathlib import Path

def render(path):
    from weasyprint import HTML
    HTML(filename=path).write_pdf(path[:-5] + ".floor.pdf")

if __name__ == "__main__":
    paths = [str(p) for p in sorted(Path(sys.argv[1]).rglob("*.html"))]
    with Pool(2) as pool:
        pool.map(render, paths, chunksize=max(1, len(paths) // 8))
"""

MEASURED = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(f"{code} {elapsed} {peak}")
"""


def measured(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time and the peak RSS (MB) of the largest process of one run of ``command``."""
    result = subprocess.run(
        [sys.executable, "-c", MEASURED, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    code, elapsed, peak = result.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(command)} exited {code}")
    return float(elapsed), int(peak)


def selfeval(*args: str) -> list[str]:
    return [sys.executable, "-m", "selfeval_compiler", *args]


def report(what: str, seconds: float, peak: int, goal: str = "") -> None:
    print(f"{what:<48} {seconds:7.2f} s   peak {peak:4d} MB   {goal}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--specs", type=int, default=1000)
    parser.add_argument("--pdf-specs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; peak = largest single process, "
        f"RUSAGE_CHILDREN ru_maxrss"
    )
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-") as folder:
        root = Path(folder)
        (root / ".git").mkdir()  # defaults stop here, as in a repository
        generate(root / "specs", args.specs)
        generate(root / "pdf-specs", args.pdf_specs, seed=7)
        print(f"generated {args.specs} specs (and {args.pdf_specs} for PDF) in 8 folders each")

        runs = [measured(selfeval("check", "specs"), root) for _ in range(args.repeat)]
        report(f"check {args.specs}", *min(runs), "goal < 2 s")

        runs = []
        for _ in range(args.repeat):
            shutil.rmtree(root / "out-html", ignore_errors=True)
            runs.append(
                measured(
                    selfeval("build", "specs", "-o", "out-html", "--format", "html", "-q"), root
                )
            )
        report(f"HTML-only build {args.specs}", *min(runs), "goal < 5 s")

        noop = min(
            measured(selfeval("build", "specs", "-o", "out-html", "--format", "html", "-q"), root)
            for _ in range(args.repeat)
        )
        report(f"no-op rebuild {args.specs} (HTML)", *noop, "goal < 2 s")

        edited = root / "specs" / "unit-03" / "00003.yaml"
        original = edited.read_text("utf-8")
        runs = []
        for index in range(args.repeat):
            edited.write_text(
                original.replace("weight: 10\n", "weight: 10  # 修改\n" * 1) + f"# edit {index}\n",
                encoding="utf-8",
            )
            runs.append(
                measured(
                    selfeval("build", "specs", "-o", "out-html", "--format", "html", "-q"), root
                )
            )
        report(f"one spec edited, rebuild {args.specs} (HTML)", *min(runs), "goal < 2 s")

        shutil.rmtree(root / "out-pdf", ignore_errors=True)
        build_seconds, build_peak = measured(
            selfeval("build", "pdf-specs", "-o", "out-pdf", "--jobs", "2", "-q"), root
        )
        report(f"PDF build {args.pdf_specs} (--jobs 2, all formats)", build_seconds, build_peak)

        html_only = root / "floor"
        subprocess.run(
            selfeval("build", "pdf-specs", "-o", str(html_only), "--format", "html", "-q"),
            cwd=root,
            check=True,
            capture_output=True,
        )
        floor_seconds, floor_peak = measured([sys.executable, "-c", FLOOR, str(html_only)], root)
        report(
            f"floor: plain WeasyPrint, {args.pdf_specs} HTML, 2 processes",
            floor_seconds,
            floor_peak,
        )
        print(
            f"{'PDF build / floor':<48} {build_seconds / floor_seconds:7.2f} ×"
            "                goal ≤ 1.15 ×"
        )

        noop = measured(selfeval("build", "pdf-specs", "-o", "out-pdf", "--jobs", "2", "-q"), root)
        report(f"no-op rebuild {args.pdf_specs} (PDF)", *noop)
        edited = root / "pdf-specs" / "unit-03" / "00003.yaml"
        edited.write_text(edited.read_text("utf-8") + "# edit\n", encoding="utf-8")
        folder_size = len(list(edited.parent.glob("0*.yaml")))
        one = measured(selfeval("build", "pdf-specs", "-o", "out-pdf", "--jobs", "2", "-q"), root)
        report(f"one spec edited, PDF ({folder_size}-form bundle redone)", *one)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        print(f"largest process of the whole run: {peak} MB (goal < 400 MB)")


if __name__ == "__main__":
    main()

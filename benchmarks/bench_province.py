"""What xlsx adds, per-form costs, sharding and merging: prints figures, asserts nothing
(goals in README.md).

    .venv/bin/python benchmarks/bench_province.py [--specs 400] [--pdf-sample 24]
        [--repeat 3] [--old PATH]

Every figure is a ratio or a cost measured in this one run, the builds interleaved (old,
new, old, new…) and the best of ``--repeat`` taken, because the machine is shared: absolute
seconds vary with the load, ratios much less.

- xlsx: an HTML+JSON build against the same build with xlsx (per-form and folder workbooks),
  with this checkout and, with ``--old``, with another checkout of selfeval (its source folder,
  run with the same Python) side by side.
- Per-form costs: ``check``, and builds in one format each (HTML, JSON, xlsx, the PDF of a
  ``--pdf-sample`` with two workers), each divided by its forms.
- Shards: the specs in ONE folder built as 4 shards (``--shard K/4``, HTML+JSON+xlsx), the
  largest shard's share, and ``selfeval merge`` of the four, per form.
- The projection of a province's 100,000 forms on N runners of two cores from these costs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_specs import generate

PROVINCE = 100_000


def run(args: list[str], cwd: Path, source: Path | None = None) -> float:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    if source is not None:
        env["PYTHONPATH"] = str(source)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "selfeval_compiler", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)}: {done.stderr[-2000:]}")
    return elapsed


def best_of(repeat: int, runs: dict[str, Callable[[], float]]) -> dict[str, float]:
    """Each run ``repeat`` times, interleaved; the best of each."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, once in runs.items():
            best[name] = min(best[name], once())
    return best


def build(root: Path, out: str, formats: list[str], *extra: str, source: Path | None = None):
    options = [item for name in formats for item in ("--format", name)]

    def once() -> float:
        shutil.rmtree(root / out, ignore_errors=True)
        return run(["build", "specs", "-o", out, "-q", *options, *extra], root, source)

    return once


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--specs", type=int, default=400)
    parser.add_argument("--pdf-sample", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--old", type=Path, help="another selfeval checkout to compare with")
    args = parser.parse_args()
    n = args.specs
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-province-") as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        generate(root / "specs", n)
        print(f"{n} generated specs (eight folders), best of {args.repeat}, interleaved")
        runs = {
            "new html+json": build(root, "a", ["html", "json"], "-j", "2"),
            "new html+json+xlsx": build(root, "b", ["html", "json", "xlsx"], "-j", "2"),
        }
        if args.old:
            runs["old html+json"] = build(root, "c", ["html", "json"], "-j", "2", source=args.old)
            runs["old html+json+xlsx"] = build(
                root, "d", ["html", "json", "xlsx"], "-j", "2", source=args.old
            )
        best = best_of(args.repeat, runs)
        for name, seconds in best.items():
            print(f"{name:<40} {seconds:7.2f} s")
        for who in ("new", "old") if args.old else ("new",):
            added = best[f"{who} html+json+xlsx"] / best[f"{who} html+json"] - 1
            print(f"{'xlsx adds (' + who + ')':<40} {100 * added:6.1f} %   goal ≤ 30 %")

        costs = best_of(
            args.repeat,
            {
                "check": lambda: run(["check", "specs", "-j", "2"], root),
                "html": build(root, "h", ["html"], "-j", "2"),
                "json": build(root, "j", ["json"], "-j", "2"),
                "html+json": build(root, "hj", ["html", "json"], "-j", "2"),
                "html+json+xlsx": build(root, "hjx", ["html", "json", "xlsx"], "-j", "2"),
            },
        )
        sample = root / "sample"
        (sample / ".git").mkdir(parents=True)
        generate(sample / "specs", args.pdf_sample)
        pdf = best_of(max(1, args.repeat - 1), {"pdf": build(sample, "p", ["pdf"], "-j", "2")})[
            "pdf"
        ]
        per_form = {name: 1000 * seconds / n for name, seconds in costs.items()}
        per_form["pdf"] = 1000 * pdf / args.pdf_sample
        per_form["xlsx"] = per_form["html+json+xlsx"] - per_form["html+json"]
        print("per form, 2 workers, process start included (ms):")
        for name, ms in per_form.items():
            print(f"  {name:<38} {ms:7.2f} ms")

        flat = root / "flat"
        (flat / ".git").mkdir(parents=True)
        (flat / "specs").mkdir()
        for spec in (root / "specs").rglob("*.yaml"):
            if spec.name != "_defaults.yaml":
                target = flat / "specs" / "局" / f"{spec.parent.name}-{spec.name}"
                target.parent.mkdir(exist_ok=True)
                text = spec.read_text("utf-8")
                target.write_text(text, "utf-8")
        for defaults in (root / "specs").rglob("_defaults.yaml"):
            shutil.copy(defaults, flat / "specs" / "局" / "_defaults.yaml")
            break
        shard_seconds = []
        for k in range(1, 5):
            shard_seconds.append(
                build(flat, f"part{k}", ["html", "json", "xlsx"], "--shard", f"{k}/4")()
            )
        sizes = [
            len(list((flat / f"part{k}" / "局").glob("*.json")))
            if (flat / f"part{k}" / "局").is_dir()
            else 0
            for k in range(1, 5)
        ]
        print(
            f"one folder of {sum(sizes)} built forms over 4 shards: {sizes}, largest "
            f"{100 * max(sizes) / max(1, sum(sizes)):.1f} %   goal ≤ 30 %"
        )
        merge_seconds = []
        for _ in range(args.repeat):
            shutil.rmtree(flat / "merged", ignore_errors=True)
            merge_seconds.append(
                run(["merge", *(f"part{k}" for k in range(1, 5)), "-o", "merged"], flat)
            )
        merge_ms = 1000 * min(merge_seconds) / max(1, sum(sizes))
        print(
            f"{'merge of the 4 shards (with 1 bundle)':<40} {min(merge_seconds):7.2f} s "
            f"({merge_ms:.2f} ms a form)"
        )

        print(f"projected wall time for {PROVINCE:,} forms (2-core runners; merge on one):")
        plain = per_form["html+json+xlsx"]
        with_pdf = plain + per_form["pdf"]
        for runners in (1, 4, 10, 20, 50):
            build_plain = PROVINCE * plain / 1000 / runners
            build_pdf = PROVINCE * with_pdf / 1000 / runners
            merge = PROVINCE * merge_ms / 1000
            print(
                f"  {runners:>3} runners: HTML+JSON+xlsx {build_plain / 60:6.1f} min,"
                f" with PDFs {build_pdf / 60:7.1f} min; merge {merge / 60:5.1f} min"
            )


if __name__ == "__main__":
    main()

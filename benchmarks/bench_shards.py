"""Sharded builds and the summary: prints figures, asserts nothing (goals in README.md).

    .venv/bin/python benchmarks/bench_shards.py [--specs 10000] [--shards 4]

Generates --specs specs, builds them as --shards shards one after another (HTML and JSON,
as a CI runner would before its PDFs), then times `selfeval summary` over the shards'
folders (and against json.loads of the same files: bench_summary.py), and projects the wall
time of a province's 100,000 forms on N runners from the per-form costs it measures (the PDF
cost from a --pdf-sample build with two workers).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import measured, report, selfeval
from bench_summary import summary_against_json_loads
from generate_specs import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--specs", type=int, default=10_000)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--pdf-sample", type=int, default=48)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-shards-") as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        generate(root / "specs", args.specs)
        print(f"generated {args.specs} specs")
        build_total = 0.0
        for index in range(1, args.shards + 1):
            command = selfeval(
                "build",
                "specs",
                "-o",
                f"shard-{index}",
                "-q",
                "--format",
                "html",
                "--format",
                "json",
                "--shard",
                f"{index}/{args.shards}",
            )
            seconds, peak = measured(command, root)
            build_total += seconds
            report(f"shard {index}/{args.shards} (HTML+JSON)", seconds, peak)
        shards = [f"shard-{index}" for index in range(1, args.shards + 1)]
        seconds, peak = measured(
            selfeval("summary", *shards, "-o", "summary", "--format", "json", "--format", "html"),
            root,
        )
        report(
            f"summary over {args.shards} folders ({args.specs} forms)", seconds, peak, "goal < 2 s"
        )
        summary_against_json_loads(root, shards, repeat=3)
        generate(root / "sample", args.pdf_sample, seed=11)
        command = selfeval("build", "sample", "-o", "sample-out", "-q", "--jobs", "2")
        seconds, peak = measured(command, root)
        report(f"PDF build of {args.pdf_sample} (all formats, --jobs 2)", seconds, peak)
        pdf_per_form = seconds / args.pdf_sample
        per_form = build_total / args.specs
        print(f"{'HTML+JSON per form (one runner, 2 cores)':<48} {per_form * 1000:7.2f} ms")
        for runners in (1, 4, 10, 20):
            forms = 100_000 / runners
            html = forms * per_form
            pdf = forms * pdf_per_form
            print(
                f"100,000 forms on {runners:>2} runner(s): HTML+JSON ≈ {html / 60:6.1f} min, "
                f"with PDFs ≈ {(html + pdf) / 60:6.1f} min, then the summary"
            )


if __name__ == "__main__":
    main()

"""selfeval import and xlsx benchmarks: prints figures, asserts nothing (goals in README.md).

    .venv/bin/python benchmarks/bench_import.py [--specs 200] [--repeat 3]

Generates --specs specs in eight folders (25 forms per folder at 200), then times:
importing one folder's bundle PDF (its 25 forms) and its folder workbook; and an HTML+JSON
build against the same build with xlsx added (per-form workbooks and folder workbooks).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import measured, report, selfeval
from generate_specs import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--specs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-import-") as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        generate(root / "specs", args.specs)
        subprocess.run(
            selfeval("build", "specs/unit-00", "-o", "pdf", "-q", "--format", "pdf"),
            cwd=root,
            check=True,
            capture_output=True,
        )
        bundle = next((root / "pdf").rglob("_combined.pdf"))
        forms = len(list(bundle.parent.glob("0*.pdf")))
        runs = []
        for _ in range(args.repeat):
            shutil.rmtree(root / "imported", ignore_errors=True)
            command = selfeval("import", str(bundle), "-o", "imported", "--profile", "mof-2020")
            runs.append(measured(command, root))
        report(f"import a {forms}-form bundle PDF", *min(runs), "goal < 5 s")

        def build(formats: list[str], out: str) -> tuple[float, int]:
            options = [item for name in formats for item in ("--format", name)]
            timings = []
            for _ in range(args.repeat):
                shutil.rmtree(root / out, ignore_errors=True)
                timings.append(
                    measured(selfeval("build", "specs", "-o", out, "-q", *options), root)
                )
            return min(timings)

        plain = build(["html", "json"], "out-plain")
        report(f"HTML+JSON build {args.specs}", *plain)
        with_xlsx = build(["html", "json", "xlsx"], "out-xlsx")
        report(f"HTML+JSON+xlsx build {args.specs}", *with_xlsx)
        print(f"{'xlsx adds':<48} {100 * (with_xlsx[0] / plain[0] - 1):6.1f} %   goal < 10 %")

        workbook = next((root / "out-xlsx").rglob("_combined.xlsx"))
        runs = []
        for _ in range(args.repeat):
            shutil.rmtree(root / "imported", ignore_errors=True)
            runs.append(measured(selfeval("import", str(workbook), "-o", "imported"), root))
        report(f"import a {forms}-sheet folder workbook", *min(runs))


if __name__ == "__main__":
    main()

"""PDF sizes: a form's fonts and a bundle's, before and after compact CID fonts. Prints
figures, asserts nothing (goals in README.md).

    .venv/bin/python benchmarks/bench_pdf_size.py [--specs 25] [--repeat 3]

Generates --specs specs in one folder (the generator's unit-00: every eighth spec, so
--specs 200 gives 25 forms), builds their HTML, lays each out once with WeasyPrint, then in
one process, old and new interleaved, best of --repeat:

- per form: ``write_pdf`` as WeasyPrint draws it (today's packaging: retained glyph ids,
  OpenType) against :func:`selfeval_compiler.outputs.pdf.write_pdf` (compact CID-keyed CFF);
- the folder's bundle: :func:`selfeval_compiler.outputs.bundle.assemble` of the old form PDFs
  (which it leaves as they are: today's bundle) against assemble of the new ones (one program
  per face); and both against the same forms laid out as one WeasyPrint document.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import selfeval
from generate_specs import generate


def best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    timings, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - start)
    return min(timings), result


def kb(size: int) -> str:
    return f"{size / 1024:8.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--specs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from selfeval_compiler.outputs import cid_fonts, pdf
    from selfeval_compiler.outputs.bundle import assemble

    with tempfile.TemporaryDirectory(prefix="selfeval-bench-pdf-size-") as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        generate(root / "specs", args.specs)
        subprocess.run(
            selfeval("build", "specs/unit-00", "-o", "out", "-q", "--format", "html"),
            cwd=root,
            check=True,
            capture_output=True,
        )
        pages = sorted((root / "out").rglob("0*.html"))
        documents = [pdf.render_document(page.read_text(encoding="utf-8")) for page in pages]

        old_time = new_time = 0.0
        old_parts, new_parts = [], []
        for index, document in enumerate(documents):
            old_best, new_best = float("inf"), float("inf")
            old = new = b""
            for _ in range(args.repeat):  # interleaved: the machine's load hits both alike
                seconds, old = best(1, document.write_pdf)
                old_best = min(old_best, seconds)
                seconds, new = best(1, lambda document=document: pdf.write_pdf(document))
                new_best = min(new_best, seconds)
            old_time += old_best
            new_time += new_best
            for parts, data, name in ((old_parts, old, "old"), (new_parts, new, "new")):
                path = root / f"{name}-{index:03d}.pdf"
                path.write_bytes(data)
                parts.append(path)
        count = len(documents)
        old_sizes = [path.stat().st_size for path in old_parts]
        new_sizes = [path.stat().st_size for path in new_parts]
        print(f"{count} forms, one folder; best of {args.repeat}, old and new interleaved")
        today = "form PDF, WeasyPrint as is (today)"
        print(f"{today:<48} {kb(min(old_sizes))} – {kb(max(old_sizes))}")
        print(f"{'form PDF, compact CID fonts':<48} {kb(min(new_sizes))} – {kb(max(new_sizes))}")
        larger = sum(new > old for new, old in zip(new_sizes, old_sizes, strict=True))
        print(f"{'forms larger than today':<48} {larger}")
        print(f"{'drawing + fonts per form, today':<48} {1000 * old_time / count:8.1f} ms")
        print(f"{'drawing + fonts per form, compact':<48} {1000 * new_time / count:8.1f} ms")

        def bundle(parts: list[Path]) -> bytes:
            return assemble(parts, "bench", "bench", "bench", None)

        old_bundle_time = new_bundle_time = float("inf")
        old_bundle = new_bundle = b""
        for _ in range(args.repeat):
            seconds, old_bundle = best(1, lambda: bundle(old_parts))
            old_bundle_time = min(old_bundle_time, seconds)
            seconds, new_bundle = best(1, lambda: bundle(new_parts))
            new_bundle_time = min(new_bundle_time, seconds)

        every_page = [page for document in documents for page in document.pages]
        together = documents[0].copy(every_page)
        laid_out = together.write_pdf()
        laid_out_compact = together.write_pdf(finisher=cid_fonts.compact_fonts)
        print(f"{'one laid-out document, WeasyPrint as is':<48} {kb(len(laid_out))}")
        print(f"{'one laid-out document, compact CID fonts':<48} {kb(len(laid_out_compact))}")
        for label, data, seconds in (
            ("bundle, today (pypdf, a program per form)", old_bundle, old_bundle_time),
            ("bundle, one font per face", new_bundle, new_bundle_time),
        ):
            print(
                f"{label:<48} {kb(len(data))}  {len(data) / len(laid_out):5.2f}× / "
                f"{len(data) / len(laid_out_compact):5.2f}× the laid-out ones  "
                f"assembled in {1000 * seconds:6.1f} ms"
            )
        old_total = old_time + old_bundle_time
        new_total = new_time + new_bundle_time
        print(
            f"{'forms + bundle, drawing and assembling':<48} {old_total:6.2f} s today, "
            f"{new_total:6.2f} s compact ({new_total / old_total:4.2f}×)"
        )


if __name__ == "__main__":
    main()

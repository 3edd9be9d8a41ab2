"""A folder's bundles, made once every form of the folder has built: ``_combined.pdf``
assembled from the forms' PDFs, and ``_combined.xlsx`` with a 清单 sheet and a sheet per form
(自评表 or 绩效目标申报表, whichever form the build prints of each spec), replayed from the
sheet records the workers kept when they wrote each form's workbook. Nothing is compiled or
laid out again here; ``selfeval merge`` makes a sharded build's bundles by the same code."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from selfeval_compiler.building import plan as incremental
from selfeval_compiler.building.record import Manifest, SpecRecord
from selfeval_compiler.diagnostics import Diagnostic, Location, make
from selfeval_compiler.outputs import bundle as bundling
from selfeval_compiler.outputs.formats import bundled_suffixes
from selfeval_compiler.outputs.layout import bundle_relative, output_path, sheet_path
from selfeval_compiler.outputs.sheet_record import MAX_RECORD_BYTES, BadRecord, FormSheet
from selfeval_compiler.outputs.writing import write_output
from selfeval_compiler.sources.discovery import SpecFile


def assemble_bundle(
    manifest: Manifest,
    output: Path,
    folder: PurePosixPath,
    members: list[SpecFile],
    failed: set[Path],
    dates: dict[Path, str],
    formats: Iterable[str] = ("pdf",),
) -> list[Diagnostic]:
    """Make a folder's bundles (every spec of the folder, in file-name order) only when every
    form has built: a bundle missing a form, or holding an outdated one, would look complete
    to whoever receives it."""
    problems: list[Diagnostic] = []
    for suffix in bundled_suffixes(formats):
        relative = bundle_relative(folder, suffix)
        parts = [output_path(output, s.relative, suffix) for s in members]
        if not _complete(manifest, output, members, failed) or not all(p.is_file() for p in parts):
            manifest.bundles.pop(relative.as_posix(), None)
            incremental.remove_output(output, relative.as_posix())
            continue
        records = [manifest.specs[incremental.record_key(output, s.path)] for s in members]
        created = max((dates[s.path] for s in members if s.path in dates), default=None)
        marks = [r.project or s.path.stem for r, s in zip(records, members, strict=True)]
        problem = write_bundle(output, relative, parts, records, created, marks)
        if problem is not None:
            problems.append(problem)
            continue
        incremental.record_bundle(manifest, output, folder, members, suffix)
    return problems


def write_bundle(
    output: Path,
    relative: PurePosixPath,
    parts: list[Path],
    records: list[SpecRecord],
    created: str | None,
    marks: list[str],
) -> Diagnostic | None:
    """Write the bundle at ``relative`` from its forms' files ``parts`` (their PDFs, each with
    its bookmark in ``marks``, or the workbooks whose sheet records make the folder workbook),
    titled after ``records``: what a build and ``selfeval merge`` both do, so that both write
    the same bytes."""
    target = output.joinpath(*relative.parts)
    first = records[0]
    subject = f"{first.year}年度{first.form_title}（{len(records)}个项目）"
    title = f"{first.unit} {subject}"
    try:
        if relative.suffix == ".pdf":
            pairs = list(zip(parts, marks, strict=True))
            data = bundling.assemble(pairs, title, first.unit, subject, created)
        else:
            data = folder_workbook(output, parts, title, created)
    except Exception as error:  # pypdf raises many kinds for a damaged form PDF
        return make("SE905", Location(str(target)), detail=str(error))
    return write_output(target, data, within=output)


def _complete(manifest: Manifest, output: Path, members: list[SpecFile], failed: set[Path]) -> bool:
    built = all(incremental.record_key(output, s.path) in manifest.specs for s in members)
    return built and not any(s.path in failed for s in members)


def folder_workbook(output: Path, workbooks: list[Path], title: str, created: str | None) -> bytes:
    """The folder workbook of the form workbooks ``workbooks`` (in ``output``), from the sheet
    records the build kept beside them: no form is compiled or laid out again."""
    from selfeval_compiler.outputs.xlsx_format import folder_to_xlsx

    sheets = [read_sheet(output, workbook) for workbook in workbooks]
    return folder_to_xlsx(sheets, title, created)


def read_sheet(output: Path, workbook: Path) -> FormSheet:
    """The sheet record kept for the form workbook ``workbook``: a regular file, no symlink,
    inside ``output``, at most :data:`MAX_RECORD_BYTES`."""
    relative = PurePosixPath(workbook.relative_to(output).as_posix())
    path = sheet_path(output, relative)
    if path.is_symlink() or not path.resolve().is_relative_to(output.resolve()):
        raise BadRecord(f"{path}: not a file of this build")
    with path.open("rb") as handle:
        data = handle.read(MAX_RECORD_BYTES + 1)
    return FormSheet.loads(data)

"""A folder's bundles, made once every form of the folder has built: ``_combined.pdf``
assembled from the forms' PDFs, and ``_combined.xlsx`` with a 清单 sheet and a sheet per form
(自评表 or 绩效目标申报表, whichever form the build prints of each spec)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from selfeval_compiler.building import plan as incremental
from selfeval_compiler.building.record import Manifest
from selfeval_compiler.diagnostics import Diagnostic, Location, make
from selfeval_compiler.forms.department import DepartmentPresentation, present_department
from selfeval_compiler.forms.goals import GoalsPresentation, present_goals
from selfeval_compiler.forms.self_evaluation import SelfEvaluationForm, present
from selfeval_compiler.outputs import bundle as bundling
from selfeval_compiler.outputs.formats import bundled_suffixes
from selfeval_compiler.outputs.layout import bundle_relative, output_path
from selfeval_compiler.outputs.writing import write_output
from selfeval_compiler.rules.compiler import compile_batch
from selfeval_compiler.sources.discovery import SpecFile


def assemble_bundle(
    manifest: Manifest,
    output: Path,
    folder: PurePosixPath,
    members: list[SpecFile],
    failed: set[Path],
    dates: dict[Path, str],
    formats: Iterable[str] = ("pdf",),
    workbook: bytes | Exception | None = None,
    form: str | None = None,
) -> list[Diagnostic]:
    """Make a folder's bundles (every spec of the folder, in file-name order) only when every
    form has built: a bundle missing a form, or holding an outdated one, would look complete
    to whoever receives it. ``workbook`` is the folder workbook when made beforehand (in
    workers, by :func:`folder_workbooks`)."""
    problems: list[Diagnostic] = []
    for suffix in bundled_suffixes(formats):
        relative = bundle_relative(folder, suffix)
        parts = [output_path(output, s.relative, suffix) for s in members]
        if not _complete(manifest, output, members, failed) or not all(p.is_file() for p in parts):
            manifest.bundles.pop(relative.as_posix(), None)
            incremental.remove_output(output, relative.as_posix())
            continue
        title, subject, author, created = _describe(manifest, output, members, dates)
        target = output.joinpath(*relative.parts)
        try:
            if suffix == ".pdf":
                data = bundling.assemble(parts, title, author, subject, created)
            elif isinstance(workbook, Exception):
                raise workbook
            else:
                data = workbook or folder_workbook(members, title, created, form)
        except Exception as error:  # pypdf raises many kinds for a damaged form PDF
            problems.append(make("SE905", Location(str(target)), detail=str(error)))
            continue
        problem = write_output(target, data, within=output)
        if problem is not None:
            problems.append(problem)
            continue
        incremental.record_bundle(manifest, output, folder, members, suffix)
    return problems


def _complete(manifest: Manifest, output: Path, members: list[SpecFile], failed: set[Path]) -> bool:
    built = all(incremental.record_key(output, s.path) in manifest.specs for s in members)
    return built and not any(s.path in failed for s in members)


def _describe(
    manifest: Manifest, output: Path, members: list[SpecFile], dates: dict[Path, str]
) -> tuple[str, str, str, str | None]:
    """A bundle's title, subject, author and date, from its forms' records."""
    first = manifest.specs[incremental.record_key(output, members[0].path)]
    subject = f"{first.year}年度{first.form_title}（{len(members)}个项目）"
    created = max((dates[s.path] for s in members if s.path in dates), default=None)
    return f"{first.unit} {subject}", subject, first.unit, created


def folder_workbooks(
    manifest: Manifest,
    output: Path,
    bundles: dict[PurePosixPath, list[SpecFile]],
    failed: set[Path],
    dates: dict[Path, str],
    jobs: int,
    form: str | None = None,
) -> dict[PurePosixPath, bytes | Exception]:
    """The folder workbooks of every complete folder, made in worker processes: each is all
    its forms compiled and laid out again, the slowest part of an xlsx build."""
    from concurrent.futures import ProcessPoolExecutor

    from selfeval_compiler.outputs.isolated import process_context

    wanted: dict[PurePosixPath, tuple[list[SpecFile], str, str | None]] = {}
    for folder, members in bundles.items():
        if _complete(manifest, output, members, failed):
            title, _, _, created = _describe(manifest, output, members, dates)
            wanted[folder] = (members, title, created)
    made: dict[PurePosixPath, bytes | Exception] = {}
    if jobs <= 1 or len(wanted) <= 1:
        return made  # made one by one in assemble_bundle
    with ProcessPoolExecutor(min(jobs, len(wanted)), mp_context=process_context()) as pool:
        futures = {
            folder: pool.submit(folder_workbook, members, title, created, form)
            for folder, (members, title, created) in wanted.items()
        }
        for folder, future in futures.items():
            try:
                made[folder] = future.result()
            except Exception as error:
                made[folder] = error
    return made


def folder_workbook(
    members: list[SpecFile], title: str, created: str | None, form: str | None = None
) -> bytes:
    """The folder workbook, from the forms' presentation models, each spec as the build
    printed it (``form``, else its stage); compiled again: a form is milliseconds to compile,
    and a workbook cannot be assembled from other workbooks."""
    from selfeval_compiler.outputs.xlsx_format import folder_to_xlsx

    forms: list[SelfEvaluationForm | GoalsPresentation | DepartmentPresentation] = []
    for compiled in compile_batch(members, form=form):
        if compiled.form is not None:
            forms.append(present(compiled.form))
        elif compiled.goals is not None:
            forms.append(present_goals(compiled.goals))
        elif compiled.department is not None:
            forms.append(present_department(compiled.department))
        else:
            raise ValueError(f"{compiled.spec_file.display} no longer compiles")
    return folder_to_xlsx(forms, title, created)

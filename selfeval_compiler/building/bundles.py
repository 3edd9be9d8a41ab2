"""A folder's bundle: assembled from its forms' PDFs once every form of the folder has built."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from selfeval_compiler.building import plan as incremental
from selfeval_compiler.building.record import Manifest
from selfeval_compiler.diagnostics import Diagnostic, Location, make
from selfeval_compiler.outputs import bundle as bundling
from selfeval_compiler.outputs.layout import bundle_relative, output_path
from selfeval_compiler.outputs.writing import write_output
from selfeval_compiler.sources.discovery import SpecFile


def assemble_bundle(
    manifest: Manifest,
    output: Path,
    folder: PurePosixPath,
    members: list[SpecFile],
    failed: set[Path],
    dates: dict[Path, str],
) -> list[Diagnostic]:
    """Assemble a folder's bundle from its forms' PDFs (every spec of the folder, in file-name
    order), only when every form has built: a bundle missing a form, or holding an outdated
    one, would look complete to whoever receives it."""
    target = output.joinpath(*bundle_relative(folder).parts)
    parts = [output_path(output, s.relative, ".pdf") for s in members]
    built = all(incremental.record_key(output, s.path) in manifest.specs for s in members)
    if not built or any(s.path in failed for s in members) or not all(p.is_file() for p in parts):
        manifest.bundles.pop(bundle_relative(folder).as_posix(), None)
        incremental.remove_output(output, bundle_relative(folder).as_posix())
        return []
    first = manifest.specs[incremental.record_key(output, members[0].path)]
    subject = f"{first.year}年度{first.form_title}（{len(members)}个项目）"
    title = f"{first.unit} {subject}"
    created = max((dates[s.path] for s in members if s.path in dates), default=None)
    try:
        data = bundling.assemble(parts, title, first.unit, subject, created)
    except Exception as error:  # pypdf raises many kinds for a damaged form PDF
        return [make("SE905", Location(str(target)), detail=str(error))]
    problem = write_output(target, data, within=output)
    if problem is not None:
        return [problem]
    incremental.record_bundle(manifest, output, folder, members)
    return []

"""Planning an incremental build: which forms to write, which bundles to redo, what to remove.

A form is rebuilt when any file it was compiled from, the build settings (selfeval version,
templates, formats, creation date) or one of its outputs changed or went missing. A folder's
bundle is redone when one of its forms was rebuilt, added or removed. Outputs of deleted specs
are removed, and only ever inside the output folder.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from selfeval_compiler.building.record import (
    BundleRecord,
    Manifest,
    SpecRecord,
    file_digest,
    is_builtin,
    settings_key,
)
from selfeval_compiler.building.workers import Entry, Task, TaskResult, chunks
from selfeval_compiler.outputs.layout import BUNDLE_NAME, bundle_relative, form_folder
from selfeval_compiler.outputs.render import OUTPUT_SUFFIXES, any_format
from selfeval_compiler.sources.discovery import SpecFile


def task_most(formats: frozenset[str]) -> int:
    """Small tasks for PDFs (so two workers finish together), larger for HTML (less overhead)."""
    return 8 if any_format(formats, "isolated") else 100


def record_key(output: Path, path: Path) -> str:
    return os.path.relpath(path.resolve(), output.resolve())


@dataclass
class Plan:
    tasks: list[Task] = field(default_factory=list)
    current: list[SpecFile] = field(default_factory=list)
    """Forms whose outputs are up to date: not even parsed."""
    bundles: list[PurePosixPath] = field(default_factory=list)
    """Folders whose bundle must be assembled again."""


def _bundle_digest(keys: list[str], manifest: Manifest) -> str:
    digest = hashlib.sha256()
    for key in keys:
        record = manifest.specs.get(key)
        digest.update(key.encode())
        if record is not None:
            digest.update(record.settings.encode())
            digest.update(repr(sorted(record.inputs.items())).encode())
    return digest.hexdigest()


def plan(
    spec_files: list[SpecFile],
    output: Path,
    formats: frozenset[str],
    dates: dict[Path, str],
    manifest: Manifest,
    force: bool,
    jobs: int,
) -> Plan:
    result = Plan()
    digests: dict[str, str | None] = {}
    folders: dict[PurePosixPath, list[tuple[SpecFile, bool]]] = {}
    stale: list[Entry] = []
    for spec_file in spec_files:
        record = manifest.specs.get(record_key(output, spec_file.path))
        settings = settings_key(formats, dates.get(spec_file.path))
        current = not force and record is not None and record.is_current(settings, output, digests)
        folders.setdefault(form_folder(spec_file.relative), []).append((spec_file, current))
        if current:
            result.current.append(spec_file)
        else:
            stale.append(Entry(spec_file, dates.get(spec_file.path)))
    for piece in chunks(stale, jobs, task_most(formats)):
        result.tasks.append(Task(tuple(piece), formats, output))
    if any_format(formats, "bundled"):
        for folder, members in folders.items():
            keys = [record_key(output, spec_file.path) for spec_file, _ in members]
            relative = bundle_relative(folder).as_posix()
            recorded = manifest.bundles.get(relative)
            if (
                force
                or not all(current for _, current in members)
                or recorded is None
                or recorded.digest != _bundle_digest(keys, manifest)
                or not output.joinpath(*bundle_relative(folder).parts).is_file()
            ):
                result.bundles.append(folder)
    return result


def record_results(
    manifest: Manifest,
    output: Path,
    formats: frozenset[str],
    dates: dict[Path, str],
    results: list[TaskResult],
) -> None:
    """Remember what was built from what; forget forms that failed, so they are retried."""
    for task_result in results:
        for entry in task_result.entries:
            key = record_key(output, entry.spec_file.path)
            if not entry.ok or not entry.written:
                if not entry.ok:
                    manifest.specs.pop(key, None)
                continue
            inputs = {}
            for path in entry.inputs:
                if is_builtin(Path(path)):
                    continue
                digest = file_digest(Path(path))
                if digest is not None:
                    inputs[record_key(output, Path(path))] = digest
            manifest.specs[key] = SpecRecord(
                inputs=inputs,
                settings=settings_key(formats, dates.get(entry.spec_file.path)),
                outputs=sorted(entry.written),
                warnings=[d.to_record() for d in entry.diagnostics],
                unit=entry.unit,
                year=entry.year,
                form_title=entry.form_title,
            )


def record_bundle(
    manifest: Manifest, output: Path, folder: PurePosixPath, members: list[SpecFile]
) -> None:
    keys = [record_key(output, s.path) for s in members]
    manifest.bundles[bundle_relative(folder).as_posix()] = BundleRecord(
        _bundle_digest(keys, manifest), keys
    )


def prune(
    manifest: Manifest, output: Path, given: list[Path], spec_files: list[SpecFile]
) -> list[Path]:
    """Remove outputs of specs that no longer exist under the paths built; return them."""
    present = {record_key(output, s.path) for s in spec_files}
    roots = [p.resolve() for p in given]
    removed: list[Path] = []
    target = output.resolve()
    for key in sorted(manifest.specs):
        source = (output / key).resolve()
        inside_given = any(source == root or source.is_relative_to(root) for root in roots)
        if key in present or not inside_given or source.exists():
            continue
        record = manifest.specs.pop(key)
        for relative in record.outputs:
            removed.extend(_remove_inside(target, target / relative))
    for relative, bundle in sorted(manifest.bundles.items()):
        if not any(key in present for key in bundle.specs) and not any(
            key in manifest.specs for key in bundle.specs
        ):
            del manifest.bundles[relative]
            removed.extend(_remove_inside(target, target / relative))
    return removed


def _remove_inside(output: Path, path: Path) -> list[Path]:
    """Delete ``path`` only if it lies inside the output folder and is a build output."""
    resolved = path.resolve()
    if not resolved.is_relative_to(output) or resolved == output:
        return []
    if resolved.suffix not in OUTPUT_SUFFIXES and resolved.name != BUNDLE_NAME:
        return []
    try:
        resolved.unlink()
    except FileNotFoundError:
        return []
    return [resolved]

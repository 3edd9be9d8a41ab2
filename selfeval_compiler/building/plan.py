"""Planning an incremental build: which forms to write, which bundles to redo, what to remove.

Every file in the output folder describes the current specs. The formats of an output folder
are the ones asked for plus every format it already holds for its forms (a ``.xlsx`` beside
a form, a ``_combined.xlsx``): a bureau that built workbooks once keeps them current, and a
plain ``build`` after ``build --format xlsx`` never leaves an old workbook next to a new PDF.
A format stops being kept when its files are deleted from the folder.

A form is rebuilt when any file it was compiled from, the build settings (selfeval version,
templates, formats, creation date) or one of its outputs changed or went missing, or when its
recorded outputs are not exactly the paths it maps to now (``spec_root`` changed). Outputs a
rebuilt form no longer has are removed. A folder's bundle is redone when one of its forms was
rebuilt, added or removed. Outputs of deleted specs, and bundles at folders no current spec
maps to, are removed, and only ever inside the output folder.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath

from selfeval_compiler.building.record import (
    MANIFEST_NAME,
    BundleRecord,
    Manifest,
    SpecRecord,
    is_builtin,
    settings_key,
)
from selfeval_compiler.building.workers import Entry, Task, TaskResult, chunks
from selfeval_compiler.outputs.formats import FORMATS, OUTPUT_SUFFIXES, any_format, bundled_suffixes
from selfeval_compiler.outputs.layout import (
    BUNDLE_NAME,
    bundle_relative,
    form_folder,
    form_sheet_path,
    form_stem,
    sheet_path,
)
from selfeval_compiler.sources.discovery import SpecFile, is_spec_name
from selfeval_compiler.sources.project import real_folder, real_path


def task_most(formats: frozenset[str]) -> int:
    """Small tasks for PDFs (so two workers finish together), larger for HTML (less overhead)."""
    return 8 if any_format(formats, "isolated") else 100


def record_key(output: Path, path: Path) -> str:
    """The spec's key in the build record: its real path relative to the output folder's.
    Remembered for the build :func:`plan` starts (a build asks it several times a spec)."""
    return _record_key(output, path, os.getcwd())


@lru_cache(maxsize=1 << 17)
def _record_key(output: Path, path: Path, cwd: str) -> str:
    return os.path.relpath(real_path(path), real_folder(output))


@dataclass
class Plan:
    tasks: list[Task] = field(default_factory=list)
    current: list[SpecFile] = field(default_factory=list)
    """Forms whose outputs are up to date: not even parsed."""
    bundles: dict[PurePosixPath, list[SpecFile]] = field(default_factory=dict)
    """Folders whose bundle must be assembled again, with every form the bundle holds."""
    formats: dict[PurePosixPath, frozenset[str]] = field(default_factory=dict)
    """Each output folder's formats: those asked for and those it already holds."""

    def formats_of(self, spec_file: SpecFile) -> frozenset[str]:
        return self.formats[form_folder(spec_file.relative)]

    @property
    def every_format(self) -> frozenset[str]:
        return frozenset().union(*self.formats.values())


def folder_members(spec_files: list[SpecFile]) -> dict[PurePosixPath, list[SpecFile]]:
    """Each output folder's forms: every spec in its source folder, in file-name order, also
    those not named on this command line (a bundle holds the whole folder or nothing)."""
    by_folder: dict[PurePosixPath, list[SpecFile]] = {}
    for spec_file in spec_files:
        by_folder.setdefault(form_folder(spec_file.relative), []).append(spec_file)
    members: dict[PurePosixPath, list[SpecFile]] = {}
    for folder, named in by_folder.items():
        source = named[0].path.parent
        known = {spec_file.path.name: spec_file for spec_file in named}
        try:
            names = sorted(
                entry.name
                for entry in source.iterdir()
                if is_spec_name(entry.name) and entry.is_file()
            )
        except OSError:
            names = sorted(known)
        parent = named[0].relative.parent
        members[folder] = [
            known.get(name)
            or SpecFile(source / name, str(source / name), parent / name, named[0].root)
            for name in names
        ]
    return members


def held_formats(
    output: Path, folder: PurePosixPath, members: list[SpecFile], allowed: Iterable[str]
) -> frozenset[str]:
    """The formats among ``allowed`` that the output folder ``folder`` holds a file of for one
    of ``members`` (``01-a.xlsx``) or as its bundle (``_combined.xlsx``)."""
    by_suffix = {fmt.suffix: name for name, fmt in FORMATS.items() if name in set(allowed)}
    stems = {form_stem(member.relative).name for member in members}
    bundle_stem = BUNDLE_NAME.removesuffix(".pdf")
    held: set[str] = set()
    try:
        with os.scandir(output.joinpath(*folder.parts)) as entries:
            for entry in entries:
                suffix = Path(entry.name).suffix
                name = by_suffix.get(suffix)
                if name is None or not entry.is_file(follow_symlinks=False):
                    continue
                stem = entry.name.removesuffix(suffix)
                if stem in stems or (stem == bundle_stem and FORMATS[name].bundled):
                    held.add(name)
    except OSError:
        pass  # no folder yet: nothing held
    return frozenset(held)


def expected_outputs(output: Path, spec_file: SpecFile, formats: Iterable[str]) -> list[str]:
    """The outputs ``spec_file`` maps to now in ``formats``, as the record lists them."""
    stem = form_stem(spec_file.relative).as_posix()
    return sorted(stem + FORMATS[name].suffix for name in formats)


SHARD_SLACK = 1.1
"""A part takes at most this times its even share of the forms."""


def _spec_hash(spec_file: SpecFile) -> int:
    digest = hashlib.sha256(spec_file.relative.as_posix().encode("utf-8", "surrogateescape"))
    return int.from_bytes(digest.digest()[:8], "big")


def assign(spec_files: list[SpecFile], count: int) -> dict[PurePosixPath, int]:
    """The part (1-based, of ``count``) each spec is built in, by its path below its spec
    root, whatever folder it lies in: each spec goes to the part its hash names unless that
    part already holds :data:`SHARD_SLACK` × its even share, then to the next one (specs taken
    in hash order). No part is above 27.5 % of the forms with 4 parts, and a spec added or
    removed moves only the few specs at a full part's edge: a part's cached build folder
    stays current. (A sorted round-robin balances to the form but moves every later spec
    when one is added; a bare hash moves none but leaves parts uneven by chance.)"""
    cap = max(1, math.ceil(len(spec_files) / count * SHARD_SLACK))
    sizes = [0] * count
    parts: dict[PurePosixPath, int] = {}
    hashed = sorted((_spec_hash(s), s.relative.as_posix(), s) for s in spec_files)
    for number, _, spec_file in hashed:
        part = number % count
        while sizes[part] >= cap:
            part = (part + 1) % count
        sizes[part] += 1
        parts[spec_file.relative] = part + 1
    return parts


def shard(spec_files: list[SpecFile], index: int, count: int) -> list[SpecFile]:
    """The ``index``-th (1-based) of ``count`` parts of a build, form by form
    (:func:`assign`): a folder's forms are spread over the parts, and its bundles are made
    when the parts are gathered (``selfeval merge``). The same tree always splits the same
    way."""
    parts = assign(spec_files, count)
    return [s for s in spec_files if parts[s.relative] == index]


def bundle_digest(keys: list[str], manifest: Manifest) -> str:
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
    form: str | None = None,
    allowed: Iterable[str] = FORMATS,
) -> Plan:
    """``allowed``: the formats this form type is written in (held files of others are not
    this build's)."""
    _record_key.cache_clear()  # symlinks as they are now, once per build
    result = Plan()
    every_folder = folder_members(spec_files)
    for folder, members in every_folder.items():
        result.formats[folder] = formats | held_formats(output, folder, members, allowed)
    digests: dict[str, str | None] = {}
    stale_paths: set[Path] = set()
    stale: dict[frozenset[str], list[Entry]] = {}
    for spec_file in spec_files:
        record = manifest.specs.get(record_key(output, spec_file.path))
        wanted = result.formats_of(spec_file)
        settings = settings_key(wanted, dates.get(spec_file.path), form)
        current = (
            not force
            and record is not None
            and record.outputs == expected_outputs(output, spec_file, wanted)
            and record.is_current(settings, output, digests)
            and ("xlsx" not in wanted or form_sheet_path(output, spec_file.relative).is_file())
        )
        if current:
            result.current.append(spec_file)
        else:
            stale_paths.add(spec_file.path)
            stale.setdefault(wanted, []).append(Entry(spec_file, dates.get(spec_file.path)))
    for wanted, entries in stale.items():
        for piece in chunks(entries, jobs, task_most(wanted)):
            result.tasks.append(Task(tuple(piece), wanted, output, form))
    for folder, members in every_folder.items():
        suffixes = bundled_suffixes(result.formats[folder])
        if not suffixes:
            continue
        keys = [record_key(output, spec_file.path) for spec_file in members]
        digest = bundle_digest(keys, manifest)
        outdated = [
            suffix
            for suffix in suffixes
            if (recorded := manifest.bundles.get(bundle_relative(folder, suffix).as_posix()))
            is None
            or recorded.digest != digest
            or not output.joinpath(*bundle_relative(folder, suffix).parts).is_file()
        ]
        if force or outdated or any(spec_file.path in stale_paths for spec_file in members):
            result.bundles[folder] = members
    return result


def record_results(
    manifest: Manifest,
    output: Path,
    plan: Plan,
    dates: dict[Path, str],
    results: list[TaskResult],
    form: str | None = None,
) -> list[Path]:
    """Remember what was built from what. A form that failed is forgotten (so it is retried)
    and its outputs in every format, old or just written, are removed; a form rebuilt loses
    the outputs it no longer has (a path from an old ``spec_root``). Return what was removed."""
    removed: list[Path] = []
    for task_result in results:
        for entry in task_result.entries:
            key = record_key(output, entry.spec_file.path)
            if not entry.ok:
                every = expected_outputs(output, entry.spec_file, FORMATS)
                removed += forget(manifest, output, [key], also=[*entry.written, *every])
                continue
            if not entry.written:
                continue
            old = manifest.specs.get(key)
            for relative in sorted(set(old.outputs if old else ()) - set(entry.written)):
                removed += remove_output(output, relative)
            inputs = {}
            for path, digest in entry.inputs.items():
                if not is_builtin(Path(path)):
                    inputs[record_key(output, Path(path))] = digest
            manifest.specs[key] = SpecRecord(
                inputs=inputs,
                settings=settings_key(
                    plan.formats_of(entry.spec_file), dates.get(entry.spec_file.path), form
                ),
                outputs=sorted(entry.written),
                warnings=[d.to_record() for d in entry.diagnostics],
                unit=entry.unit,
                year=entry.year,
                form_title=entry.form_title,
                project=entry.project,
            )
    return removed


def forget(
    manifest: Manifest, output: Path, keys: Iterable[str], also: Iterable[str] = ()
) -> list[Path]:
    """Drop the records of specs that no longer build and remove their outputs: a clerk must
    never find and send a stale PDF of a form that now fails."""
    relatives = list(also)
    for key in keys:
        record = manifest.specs.pop(key, None)
        if record is not None:
            relatives += record.outputs
    removed: list[Path] = []
    for relative in sorted(set(relatives)):
        removed += remove_output(output, relative)
    return removed


def record_bundle(
    manifest: Manifest,
    output: Path,
    folder: PurePosixPath,
    members: list[SpecFile],
    suffix: str = ".pdf",
) -> None:
    keys = [record_key(output, s.path) for s in members]
    manifest.bundles[bundle_relative(folder, suffix).as_posix()] = BundleRecord(
        bundle_digest(keys, manifest), keys
    )


def prune(
    manifest: Manifest, output: Path, given: list[Path], spec_files: list[SpecFile]
) -> list[Path]:
    """Remove outputs of specs that no longer exist under the paths built, bundles that
    still hold one of them (a shard that does not make that folder's bundle leaves it to the
    shard that does, which makes it again), and bundles at a folder their forms no longer
    map to (``spec_root`` changed); return them."""
    folders = {record_key(output, s.path): form_folder(s.relative) for s in spec_files}
    present = set(folders)
    roots = [p.resolve() for p in given]
    removed: list[Path] = []
    deleted: set[str] = set()
    for key in sorted(manifest.specs):
        source = (output / key).resolve()
        inside_given = any(source == root or source.is_relative_to(root) for root in roots)
        if key in present or not inside_given or source.exists():
            continue
        deleted.add(key)
        removed += forget(manifest, output, [key])
    for relative, bundle in sorted(manifest.bundles.items()):
        suffix = PurePosixPath(relative).suffix
        moved = any(
            bundle_relative(folders[key], suffix).as_posix() != relative
            for key in bundle.specs
            if key in folders
        )
        if (
            moved
            or deleted.intersection(bundle.specs)
            or (
                not any(key in present for key in bundle.specs)
                and not any(key in manifest.specs for key in bundle.specs)
            )
        ):
            del manifest.bundles[relative]
            removed += remove_output(output, relative)
    return removed


_PARTIAL = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]+\.part$")


def remove_partials(output: Path) -> None:
    """Temporary files an interrupted build left: only ``.NAME.XXXX.part`` files whose NAME is
    an output of ours (a form output, a bundle, the record), regular files in real folders
    inside the output folder."""
    if not output.is_dir() or output.is_symlink():
        return
    root = output.resolve()
    for partial in output.rglob(".*.part"):
        match = _PARTIAL.match(partial.name)
        if match is None or partial.is_symlink() or not partial.is_file():
            continue
        name = match["name"]
        ours = Path(name).suffix in OUTPUT_SUFFIXES or name in (BUNDLE_NAME, MANIFEST_NAME)
        if ours and partial.parent.resolve().is_relative_to(root):
            partial.unlink(missing_ok=True)


def remove_output(output: Path, relative: str) -> list[Path]:
    """Delete the build output at ``relative`` (a path the build record lists) only if it is a
    regular file of an output kind, in a real folder inside the output folder. A symlink is
    never followed and never deleted: selfeval writes none."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        return []
    path = output.joinpath(*parts)
    if path.suffix not in OUTPUT_SUFFIXES and path.name != BUNDLE_NAME:
        return []
    if not path.parent.resolve().is_relative_to(output.resolve()):
        return []
    if path.is_symlink() or not path.is_file():
        return []
    path.unlink(missing_ok=True)
    if path.suffix == ".xlsx" and path.name != bundle_relative(PurePosixPath(), ".xlsx").name:
        _remove_sheet(output, PurePosixPath(relative))
    return [path]


def _remove_sheet(output: Path, workbook: PurePosixPath) -> None:
    """The sheet record kept beside a form workbook goes with it."""
    path = sheet_path(output, workbook)
    if path.is_symlink() or not path.is_file():
        return
    if path.parent.resolve().is_relative_to(output.resolve()):
        path.unlink(missing_ok=True)

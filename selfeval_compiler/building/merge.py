"""Gathering a sharded build: ``selfeval merge SHARD… -o DIR``.

A shard (``build --shard K/N``) builds the forms that hash to it
(:func:`~selfeval_compiler.building.plan.assign`), wherever they lie, and no bundle: a
folder's forms are spread over the shards. It leaves beside its record a stamp
(``.selfeval-shard.json``, :class:`ShardStamp`): K and N, the build's settings, and every folder
of the whole build with its forms in bundle order and their creation dates — the same in every
shard of one build, so the merge can tell shards of another build apart.

Record keys (each spec's path relative to the build folder) are kept as the shards wrote them:
build the shards and write the merge at one place relative to the specs (``build/`` on every
runner, or sibling folders). The merge takes every shard's forms (their recorded outputs and
sheet records, checked like any input: regular files inside the shard, no symlink, bounded
size), then makes each complete
folder's bundles by the code a one-machine build uses
(:func:`~selfeval_compiler.building.bundles.write_bundle`): the PDF bundle from the forms' PDFs,
the folder workbook from their sheet records. No form is rendered again. It refuses, before
writing anything, shards of different builds (SE609), a form in two shards (SE610), a missing
shard (SE611) and a file it will not take (SE612).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from selfeval_compiler.building.record import (
    MANIFEST_NAME,
    BundleRecord,
    Manifest,
    SpecRecord,
    file_digest,
)
from selfeval_compiler.diagnostics import Diagnostic, Location, make, phrase
from selfeval_compiler.outputs.layout import bundle_relative, sheet_path
from selfeval_compiler.outputs.render import bundled_suffixes
from selfeval_compiler.outputs.sheet_record import MAX_RECORD_BYTES as MAX_SHEET_BYTES

STAMP_NAME = ".selfeval-shard.json"
STAMP_VERSION = 1
MAX_STAMP_BYTES = 256 * 1024 * 1024
MAX_FORM_FILE_BYTES = 64 * 1024 * 1024
"""No form's file comes near this (a one-page PDF is ≈ 300 KB); a bigger one is not ours."""


class Refused(Exception):
    """The shards cannot be merged; nothing was written."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message_en)
        self.diagnostic = diagnostic


@dataclass
class ShardStamp:
    index: int
    count: int
    build: str
    """The build's settings (toolchain, formats, form): equal in every shard of one build."""
    formats: list[str]
    inputs: str
    """SHA-256 of every spec of the whole build (path and bytes) and of :attr:`folders`."""
    folders: dict[str, list[list[Any]]] = field(default_factory=dict)
    """Output folder → its forms in bundle order, each ``[record key, creation date]``."""

    def dumps(self) -> bytes:
        data = {"format": STAMP_VERSION, **self.__dict__}
        return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")

    @classmethod
    def load(cls, folder: Path) -> ShardStamp | None:
        """The stamp of the shard in ``folder``, or ``None`` when it has none, a forged one,
        or one of another version."""
        path = folder / STAMP_NAME
        try:
            if path.is_symlink() or path.stat().st_size > MAX_STAMP_BYTES:
                return None
            data = json.loads(path.read_bytes().decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or data.pop("format", None) != STAMP_VERSION:
            return None
        try:
            stamp = cls(**data)
        except TypeError:
            return None
        return stamp if _valid(stamp) else None


def _valid(stamp: ShardStamp) -> bool:
    def member(item: object) -> bool:
        return (
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and (item[1] is None or isinstance(item[1], str))
        )

    return (
        isinstance(stamp.index, int)
        and isinstance(stamp.count, int)
        and 1 <= stamp.index <= stamp.count <= 1000
        and isinstance(stamp.build, str)
        and isinstance(stamp.inputs, str)
        and isinstance(stamp.formats, list)
        and all(isinstance(f, str) for f in stamp.formats)
        and isinstance(stamp.folders, dict)
        and all(
            _inside(k) and isinstance(v, list) and all(member(i) for i in v)
            for k, v in stamp.folders.items()
        )
    )


def _inside(folder: object) -> bool:
    """An output folder named by a stamp: relative, never up (``..``), no backslash."""
    if not isinstance(folder, str) or "\\" in folder or "\0" in folder:
        return False
    path = PurePosixPath(folder)
    return not path.is_absolute() and ".." not in path.parts


def make_stamp(
    index: int,
    count: int,
    build: str,
    formats: frozenset[str],
    folders: dict[str, list[tuple[str, Path, str | None]]],
) -> ShardStamp:
    """The stamp of shard ``index`` of ``count``: ``folders`` maps each output folder of the
    whole build to its forms in bundle order as (record key, spec path, creation date)."""
    digest = hashlib.sha256()
    listed: dict[str, list[list[Any]]] = {}
    for folder in sorted(folders):
        listed[folder] = [[key, created] for key, _, created in folders[folder]]
        for key, path, created in folders[folder]:
            digest.update(json.dumps([key, created, file_digest(path)]).encode())
    return ShardStamp(index, count, build, sorted(formats), digest.hexdigest(), listed)


@dataclass
class _Taken:
    source: Path
    relative: str


def _take(shard: Path, relative: str, limit: int) -> _Taken:
    """The shard's file at ``relative``, checked as an input: a regular file inside the shard,
    reached through no symlink, at most ``limit`` bytes."""
    where = Location(str(shard / relative))

    def refuse(reason: Any) -> Refused:
        code = make("SE612", where, shard=str(shard), path=relative, reason=reason)
        return Refused(code)

    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts or "\\" in relative:
        raise refuse(phrase("merge.bad-path"))
    path = shard.joinpath(*parts)
    root = shard.resolve()
    if path.is_symlink() or not path.resolve().is_relative_to(root):
        raise refuse(phrase("merge.symlink"))
    if not path.is_file():
        raise refuse(phrase("merge.not-file"))
    if path.stat().st_size > limit:
        raise refuse(phrase("merge.too-large", limit=limit // (1024 * 1024)))
    return _Taken(path, relative)


@dataclass
class Gathered:
    """What the merge found in the shards, checked, before anything is written."""

    stamp: ShardStamp
    manifest: Manifest
    files: list[_Taken]
    summary: list[str]


def _stamps(shards: list[Path]) -> list[tuple[Path, ShardStamp]]:
    """Every shard's stamp, all of one build (SE611 for a folder without one, SE609)."""
    stamps: list[tuple[Path, ShardStamp]] = []
    for shard in shards:
        stamp = ShardStamp.load(shard)
        if stamp is None:
            raise Refused(
                make("SE611", Location(str(shard)), count="N", missing="?", given=str(shard))
            )
        stamps.append((shard, stamp))
    first_path, first = stamps[0]
    for shard, stamp in stamps[1:]:
        for name, same in (
            ("merge.version", stamp.build == first.build),
            ("merge.formats", stamp.formats == first.formats),
            ("merge.count", stamp.count == first.count),
            ("merge.inputs", stamp.inputs == first.inputs and stamp.folders == first.folders),
        ):
            if not same:
                where = Location(str(shard))
                what = phrase(name)
                raise Refused(
                    make("SE609", where, shard=str(shard), first=str(first_path), what=what)
                )
    return stamps


def gather(shards: list[Path], output: Path) -> Gathered:
    """Read and check every shard; raise :class:`Refused` on the first problem."""
    stamps = _stamps(shards)
    first_path, first = stamps[0]
    merged = Manifest()
    owner: dict[str, Path] = {}
    files: list[_Taken] = []
    summary: set[str] = set()
    seen: dict[int, Path] = {}
    for shard, stamp in stamps:
        if stamp.index in seen:
            where = Location(str(shard))
            key = f"--shard {stamp.index}/{stamp.count}"
            raise Refused(
                make("SE610", where, key=key, first=str(seen[stamp.index]), shard=str(shard))
            )
        seen[stamp.index] = shard
        manifest = _record(shard)
        summary.update(manifest.summary)
        for key, record in manifest.specs.items():
            if key in owner:  # the shards and the merge lie at one place relative to the specs
                where = Location(str(shard))
                raise Refused(
                    make("SE610", where, key=key, first=str(owner[key]), shard=str(shard))
                )
            owner[key] = shard
            files += _files(shard, record)
            merged.specs[key] = record
    missing = sorted(set(range(1, first.count + 1)) - set(seen))
    if missing:
        where = Location(str(first_path))
        given = ", ".join(str(s) for s in shards)
        raise Refused(make("SE611", where, count=first.count, missing=missing[0], given=given))
    return Gathered(first, merged, files, sorted(summary))


def _files(shard: Path, record: SpecRecord) -> list[_Taken]:
    """A form's recorded outputs, and the sheet record of its workbook."""
    files = []
    for relative in record.outputs:
        files.append(_take(shard, relative, MAX_FORM_FILE_BYTES))
        if relative.endswith(".xlsx"):
            sheet = sheet_path(Path(), PurePosixPath(relative)).as_posix()
            files.append(_take(shard, sheet, MAX_SHEET_BYTES))
    return files


def _record(shard: Path) -> Manifest:
    """The shard's build record (SE612 when it is missing, a symlink or not readable)."""
    record_path = shard / MANIFEST_NAME
    manifest = Manifest.load(shard)
    if (
        record_path.is_symlink()
        or not record_path.is_file()
        or (not manifest.specs and record_path.stat().st_size > 200)
    ):
        where = Location(str(record_path))
        reason = phrase("merge.bad-record")
        raise Refused(make("SE612", where, shard=str(shard), path=MANIFEST_NAME, reason=reason))
    return manifest


def write_forms(gathered: Gathered, output: Path) -> list[Diagnostic]:
    """Copy every form's files into ``output`` (each written whole, atomically)."""
    from selfeval_compiler.outputs.writing import write_output

    problems: list[Diagnostic] = []
    for taken in gathered.files:
        target = output.joinpath(*PurePosixPath(taken.relative).parts)
        if taken.source.stat().st_size <= 16 * 1024 * 1024:
            problem = write_output(target, taken.source.read_bytes(), within=output)
            if problem is not None:
                problems.append(problem)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)  # large: streamed, then renamed
        partial = target.with_name(f".{target.name}.merge.part")
        with taken.source.open("rb") as source, partial.open("wb") as sink:
            shutil.copyfileobj(source, sink)
        os.replace(partial, target)
    return problems


def make_bundles(gathered: Gathered, output: Path) -> list[Diagnostic]:
    """Each folder's bundles whose forms all built, by the code a one-machine build uses."""
    from selfeval_compiler.building.bundles import write_bundle
    from selfeval_compiler.building.plan import bundle_digest

    manifest, stamp = gathered.manifest, gathered.stamp
    problems: list[Diagnostic] = []
    for folder, members in sorted(stamp.folders.items()):
        keys = [key for key, _ in members]
        if not keys or not all(key in manifest.specs for key in keys):
            continue
        records = [manifest.specs[key] for key in keys]
        created = max((c for _, c in members if c is not None), default=None)
        for suffix in bundled_suffixes(stamp.formats):
            relative = bundle_relative(PurePosixPath(folder), suffix)
            parts = []
            for record in records:
                part = next((o for o in record.outputs if o.endswith(suffix)), None)
                if part is not None:
                    parts.append(output.joinpath(*PurePosixPath(part).parts))
            if len(parts) != len(records):
                continue
            marks = [r.project or Path(key).stem for r, key in zip(records, keys, strict=True)]
            problem = write_bundle(output, relative, parts, records, created, marks)
            if problem is not None:
                problems.append(problem)
                continue
            digest = bundle_digest(keys, manifest)
            manifest.bundles[relative.as_posix()] = BundleRecord(digest, keys)
    return problems


def save(gathered: Gathered, output: Path) -> Diagnostic | None:
    from selfeval_compiler.outputs.writing import write_output

    return write_output(output / MANIFEST_NAME, gathered.manifest.dumps(), within=output)

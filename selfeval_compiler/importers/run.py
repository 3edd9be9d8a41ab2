"""``selfeval import``: files → grids (in a capped child) → forms → spec texts → files.

Every file is read on its own: one that is refused or malformed is a finding on that file
and the others go on. Specs are written whole or not at all, inside the output folder only,
never over an existing spec unless ``force``; each is named from its project, numbered in
the order the forms came (file order, then page or sheet order).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval_compiler.diagnostics import Diagnostic, Location, Phrase, make, phrase
from selfeval_compiler.importers.department import (
    DepartmentImport,
    department_spec_text,
    is_department_grid,
    read_department,
)
from selfeval_compiler.importers.grid import Grid
from selfeval_compiler.importers.recognise import read_forms
from selfeval_compiler.importers.records import ImportedForm
from selfeval_compiler.importers.safety import Refused, check_file
from selfeval_compiler.importers.sandbox import read_grids, sniff
from selfeval_compiler.importers.spec_text import spec_text
from selfeval_compiler.importers.vocabulary import Vocabulary
from selfeval_compiler.model.profiles import Profile
from selfeval_compiler.outputs.layout import safe_name
from selfeval_compiler.outputs.writing import write_output
from selfeval_compiler.sources.project import boundary_for, find_project, inside, shown
from selfeval_compiler.sources.resources import repository_schema

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".pdf", ".htm", ".html")
MAX_FORMS = 5000
MAX_PAGE_BYTES = 8 * 1024 * 1024
"""A web page of forms: a sheet of 25 forms saved by Excel is about 1 MB."""


@dataclass
class ImportedFile:
    path: Path
    display: str
    written: list[Path] = field(default_factory=list)
    forms: list[ImportedForm] = field(default_factory=list)
    departments: list[DepartmentImport] = field(default_factory=list)
    """部门整体支出绩效自评表 read, each written as a department spec."""
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class Importer:
    output: Path
    profile: Profile
    profile_line: str | None
    force: bool = False
    files: list[ImportedFile] = field(default_factory=list)
    _count: int = 0

    def run(self, paths: list[Path]) -> list[ImportedFile]:
        words = Vocabulary(self.profile.labels, self.profile.layout)
        for path in paths:
            result = ImportedFile(path, _display(path))
            self.files.append(result)
            try:
                grids, remarks = self._read(path)
            except Refused as refused:
                where = Location(result.display)
                reason = phrase(refused.reason, **refused.args_)
                result.diagnostics.append(make("SE601", where, reason=reason))
                continue
            for remark in remarks:
                where = Location(result.display, int(remark["row"]), int(remark["column"]))
                result.diagnostics.append(
                    make("SE604", where, sheet=remark["sheet"], formula=remark["formula"])
                )
            for grid in grids:
                department = read_department(grid) if is_department_grid(grid) else None
                if department is not None:
                    result.departments.append(department)
                    self._write_department(result, department)
                    continue
                result.forms.extend(read_forms(grid, words)[: MAX_FORMS - self._count])
            if not result.forms and not result.departments:
                result.diagnostics.append(make("SE602", Location(result.display)))
            for form in result.forms:
                self._write(result, form)
        return self.files

    @staticmethod
    def _read(path: Path) -> tuple[list[Grid], list[dict[str, Any]]]:
        size = check_file(path)
        with open(path, "rb") as stream:
            head = stream.read(4096)
        kind = sniff(path, head)
        if kind is None:
            raise Refused("refused.unknown-kind", suffixes=" ".join(SUFFIXES))
        if kind == "html" and size > MAX_PAGE_BYTES:
            raise Refused("refused.too-large", size=size, limit=MAX_PAGE_BYTES)
        return read_grids(kind, path)

    def _name(self, form: ImportedForm) -> str:
        self._count += 1
        stem = safe_name(form.project.replace("/", "／") or "未命名项目")
        return f"{self._count:02d}-{stem}.yaml"

    def _write(self, result: ImportedFile, form: ImportedForm) -> None:
        target = self.output / self._name(form)
        for note in form.notes:
            where = Location(result.display, note.row, note.column)
            result.diagnostics.append(
                make("SE603", where, source=form.source, note=Phrase(note.zh, note.en))
            )
        if (target.exists() or target.is_symlink()) and not self.force:
            result.diagnostics.append(make("SE605", Location(str(target)), path=str(target)))
            return
        modeline = schema_line(target)
        text = spec_text(form, self.profile, self._profile_for(target), modeline, result.display)
        problem = write_output(target, text.encode("utf-8"), within=self.output)
        if problem is not None:
            result.diagnostics.append(problem)
            return
        result.written.append(target)

    def _write_department(self, result: ImportedFile, form: DepartmentImport) -> None:
        """A 部门整体支出绩效自评表 as a department spec (``form: 部门整体``)."""
        self._count += 1
        stem = safe_name((form.name or "未命名部门").replace("/", "／") + "部门整体")
        target = self.output / f"{self._count:02d}-{stem}.yaml"
        if (target.exists() or target.is_symlink()) and not self.force:
            result.diagnostics.append(make("SE605", Location(str(target)), path=str(target)))
            return
        modeline = schema_line(target, "department.schema.json")
        text = department_spec_text(form, modeline, result.display)
        profile = self._profile_for(target)
        if profile is not None:
            text = text.replace("\nform: 部门整体\n", f"\nform: 部门整体\nprofile: {profile}\n", 1)
        problem = write_output(target, text.encode("utf-8"), within=self.output)
        if problem is not None:
            result.diagnostics.append(problem)
            return
        result.written.append(target)

    def _profile_for(self, target: Path) -> str | None:
        """The ``profile:`` line: a built-in name as given, a profile file relative to the
        spec (where the spec is written; :func:`profile_outside` has refused one that check
        would not read from there)."""
        if self.profile_line is None:
            return None
        if _is_file_name(self.profile_line):
            absolute = Path(self.profile_line).resolve()
            return os.path.relpath(absolute, target.parent.resolve()).replace(os.sep, "/")
        return self.profile_line


NO_SCHEMA = (
    "# 编辑器提示：这里往上没有 schema/{name}，编辑器无法逐项提示；在带 schema/ 的"
    "表单仓库里导入，首行即是指向它的 yaml-language-server 行。\n"
)
"""The first line of a spec imported outside a repository that carries the schema: a path to
this machine's installed copy would name nothing on the next machine."""


def schema_line(target: Path, name: str = "selfeval.schema.json") -> str:
    """The spec's first line: the yaml-language-server modeline, relative to the repository's
    schema ``name``, or (outside one) :data:`NO_SCHEMA` naming it."""
    found = repository_schema(target, name)
    if found is None:
        return NO_SCHEMA.replace("{name}", name)
    return f"# yaml-language-server: $schema={found}\n"


def _is_file_name(profile: str) -> bool:
    return profile.endswith((".yaml", ".yml"))


def profile_outside(profile: str | None, output: Path) -> Diagnostic | None:
    """SE507 for a profile file the imported specs could not name: outside the folder
    ``check`` confines a spec in ``output`` to (its repository or project, else its spec
    root; :func:`~selfeval_compiler.sources.project.boundary_for`). A path to it would be
    ``../<another clone>/…``: refused by check (SE016) and missing on the next machine."""
    if profile is None or not _is_file_name(profile):
        return None
    spec = output / "_.yaml"
    boundary = boundary_for(spec, find_project(output), output)
    if inside(Path(profile), boundary):
        return None
    relative = os.path.relpath(Path(profile).resolve(), output.resolve()).replace(os.sep, "/")
    return make(
        "SE507",
        Location(_display(Path(profile))),
        profile=_display(Path(profile)),
        boundary=_display(shown(boundary)),
        relative=relative,
    )


def _display(path: Path) -> str:
    return os.fsdecode(path).encode("utf-8", "backslashreplace").decode("utf-8")

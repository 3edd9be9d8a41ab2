"""What the preview's pages show: a form's row and its findings as plain data, and the
templates filled with them. No HTTP here (:mod:`.server` routes), no PDFs (:mod:`.pdf_pool`).
"""

from __future__ import annotations

from typing import Any

from selfeval_compiler.diagnostics import Diagnostic, lookup
from selfeval_compiler.outputs.html import environment
from selfeval_compiler.preview.workspace import Entry, Workspace
from selfeval_compiler.rules.department import DepartmentForm
from selfeval_compiler.rules.goals import GoalsForm

FORM_NAMES = {"goals": "申报表", "self-evaluation": "自评表", "department": "部门整体表"}


def page(template: str, **context: Any) -> bytes:
    text: str = environment().get_template(template).render(**context)
    return text.encode("utf-8", "backslashreplace")  # a file name that is not UTF-8


def _fix(code: str, lang: str) -> str:
    info = lookup(code)
    return info.fix_en if lang == "en" else info.fix_zh


def diagnostics_of(entry: Entry, lang: str = "zh") -> list[dict[str, Any]]:
    return [
        {
            "code": d.code,
            "severity": d.severity.value,
            "line": d.location.line,
            "column": d.location.column,
            "message": d.message(lang),
            "fix": _fix(d.code, lang),
        }
        for d in entry.diagnostics
    ]


def summary_of(entry: Entry) -> dict[str, Any]:
    """A form's row: which form its stage prints, and (as ``build``) no figures when it has
    errors; a 申报表 has no 总分 or 评分等级."""
    printed = entry.compiled.printed
    scored = entry.compiled.form
    department = entry.compiled.department
    spec = printed.spec if printed else None
    shown = scored is not None and not entry.errors
    total = scored.total if scored is not None else department.total if department else None
    kind = "self-evaluation"
    if isinstance(printed, GoalsForm):
        kind = "goals"
    elif isinstance(printed, DepartmentForm):
        kind = "department"
    return {
        "id": entry.id,
        "file": entry.spec_file.display,
        "form": FORM_NAMES[kind],
        "project": spec.project if spec else entry.spec_file.path.name,
        "unit": spec.unit if spec else "",
        "total": str(total) if total is not None and not entry.errors else "",
        "grade": scored.grade if scored is not None and shown else "",
        "errors": entry.errors,
        "warnings": entry.warnings,
        "version": entry.version,
    }


def _problem_line(diagnostic: Diagnostic) -> str:
    return f"{diagnostic.location.file}: {diagnostic.code} {diagnostic.message('zh')}"


def index_page(workspace: Workspace) -> bytes:
    entries = [summary_of(e) for e in workspace.entries.values()]
    problems = [_problem_line(d) for d in workspace.problems]
    return page(
        "preview-index.html.j2", entries=entries, problems=problems, version=workspace.version
    )


def index_rows(workspace: Workspace) -> bytes:
    return page("preview-rows.html.j2", entries=[summary_of(e) for e in workspace.entries.values()])


def form_page(workspace: Workspace, entry: Entry) -> bytes:
    return page(
        "preview-form.html.j2",
        entry=summary_of(entry),
        diagnostics=diagnostics_of(entry),
        version=workspace.version,
    )


def form_findings(entry: Entry) -> bytes:
    return page("preview-diagnostics.html.j2", diagnostics=diagnostics_of(entry))


def rendered_form(workspace: Workspace, entry: Entry) -> bytes:
    """The form as ``build`` writes its HTML, or a page saying why it cannot be shown."""
    html = workspace.html(entry)
    return (
        html if html is not None else page("preview-unbuildable.html.j2", entry=summary_of(entry))
    )

"""What the preview's pages show: a form's row and its findings as plain data, and the
templates filled with them, in the language ``serve --lang`` chose (:data:`WORDS`; the form
itself prints as ``build`` writes it). No HTTP here (:mod:`.server` routes), no PDFs
(:mod:`.pdf_pool`).
"""

from __future__ import annotations

from typing import Any

from selfeval_compiler.diagnostics import Diagnostic, Language, lookup
from selfeval_compiler.diff.versions import WORKING_TREE
from selfeval_compiler.outputs.html import environment
from selfeval_compiler.preview.workspace import Entry, Workspace
from selfeval_compiler.rules.department import DepartmentForm
from selfeval_compiler.rules.goals import GoalsForm

FORM_NAMES = {"goals": "申报表", "self-evaluation": "自评表", "department": "部门整体表"}
FORM_NAMES_EN = {
    "goals": "申报表 (targets)",
    "self-evaluation": "自评表 (self-evaluation)",
    "department": "部门整体表 (department)",
}

WORDS: dict[str, dict[str, Any]] = {
    "zh": {
        "lang": "zh",
        "html_lang": "zh-CN",
        "colon": "：",
        "preview": "selfeval 预览",
        "all_forms": "全部表单",
        "changes": "与 HEAD 相比的变化",
        "changes_title": "变化",
        "live": "实时更新",
        "lost": "连接中断，正在重连…",
        "project": "项目",
        "project_name": "项目名称",
        "unit": "实施单位",
        "form_kind": "表",
        "status": "状态",
        "total": "总分",
        "grade": "评分等级",
        "errors": "错误",
        "warnings": "警告",
        "file": "文件",
        "form": "表单",
        "download_pdf": "下载 PDF",
        "no_changes": "没有变化",
        "findings": "发现的问题",
        "problems": "问题（{count}）",
        "no_problems": "没有问题",
        "line": "第 {line} 行",
        "column": "第 {column} 列",
        "unbuildable": "这份表单有错误，暂时无法生成。请按右侧的问题修改 {file}，"
        "保存后这里会自动更新。",
        "working_tree": WORKING_TREE,
        "statuses": {
            "added": "新增",
            "removed": "删除",
            "renamed": "改名",
            "changed": "修改",
            "failed": "有错误",
        },
    },
    "en": {
        "lang": "en",
        "html_lang": "en",
        "colon": ": ",
        "preview": "selfeval preview",
        "all_forms": "all forms",
        "changes": "changes since HEAD",
        "changes_title": "changes",
        "live": "live",
        "lost": "connection lost, reconnecting…",
        "project": "project",
        "project_name": "project",
        "unit": "unit",
        "form_kind": "form",
        "status": "status",
        "total": "total",
        "grade": "grade",
        "errors": "errors",
        "warnings": "warnings",
        "file": "file",
        "form": "form",
        "download_pdf": "download PDF",
        "no_changes": "no changes",
        "findings": "problems found",
        "problems": "problems ({count})",
        "no_problems": "no problems",
        "line": "line {line}",
        "column": ", column {column}",
        "unbuildable": "This form has errors and cannot be shown yet. Fix {file} as the"
        " problems beside it say; this page updates when you save.",
        "working_tree": "working tree",
        "statuses": {
            "added": "added",
            "removed": "removed",
            "renamed": "renamed",
            "changed": "changed",
            "failed": "has errors",
        },
    },
}
"""Every word the preview's own pages print, in Chinese and English."""


def words(lang: str) -> dict[str, Any]:
    return WORDS["en" if lang == Language.EN else "zh"]


def page(template: str, lang: str = "zh", **context: Any) -> bytes:
    chosen = words(lang)
    env = environment().overlay()
    env.filters["side"] = lambda label: chosen["working_tree"] if label == WORKING_TREE else label
    text: str = env.get_template(template).render(w=chosen, **context)
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


def summary_of(entry: Entry, lang: str = "zh") -> dict[str, Any]:
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
        "form": (FORM_NAMES_EN if lang == Language.EN else FORM_NAMES)[kind],
        "project": spec.project if spec else entry.spec_file.path.name,
        "unit": spec.unit if spec else "",
        "total": str(total) if total is not None and not entry.errors else "",
        "grade": scored.grade if scored is not None and shown else "",
        "errors": entry.errors,
        "warnings": entry.warnings,
        "version": entry.version,
    }


def _problem_line(diagnostic: Diagnostic, lang: str) -> str:
    return f"{diagnostic.location.file}: {diagnostic.code} {diagnostic.message(lang)}"


def index_page(workspace: Workspace, lang: str = "zh") -> bytes:
    entries = [summary_of(e, lang) for e in workspace.entries.values()]
    problems = [_problem_line(d, lang) for d in workspace.problems]
    return page(
        "preview-index.html.j2",
        lang,
        entries=entries,
        problems=problems,
        version=workspace.version,
    )


def index_rows(workspace: Workspace, lang: str = "zh") -> bytes:
    entries = [summary_of(e, lang) for e in workspace.entries.values()]
    return page("preview-rows.html.j2", lang, entries=entries)


def form_page(workspace: Workspace, entry: Entry, lang: str = "zh") -> bytes:
    return page(
        "preview-form.html.j2",
        lang,
        entry=summary_of(entry, lang),
        diagnostics=diagnostics_of(entry, lang),
        version=workspace.version,
    )


def form_findings(entry: Entry, lang: str = "zh") -> bytes:
    return page("preview-diagnostics.html.j2", lang, diagnostics=diagnostics_of(entry, lang))


def rendered_form(workspace: Workspace, entry: Entry, lang: str = "zh") -> bytes:
    """The form as ``build`` writes its HTML, or a page saying why it cannot be shown."""
    html = workspace.html(entry)
    if html is not None:
        return html
    return page("preview-unbuildable.html.j2", lang, entry=summary_of(entry, lang))

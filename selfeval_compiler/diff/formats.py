"""A :class:`DiffReport` as text for a terminal, Markdown for a pull request, or JSON."""

from __future__ import annotations

import re

from selfeval_compiler.diagnostics.formats import json_text, one_line, printable, visible
from selfeval_compiler.diff.compare import Change, DiffReport, ProjectDiff
from selfeval_compiler.diff.versions import WORKING_TREE

DIFF_FORMATS = ("text", "markdown", "json")

_STATUS = {
    "zh": {
        "added": "新增",
        "removed": "删除",
        "renamed": "改名",
        "changed": "修改",
        "unchanged": "未变",
        "failed": "有错误",
    },
    "en": {
        "added": "added",
        "removed": "removed",
        "renamed": "renamed",
        "changed": "changed",
        "unchanged": "unchanged",
        "failed": "has errors",
    },
}


def shown_side(label: str, lang: str) -> str:
    """A version's label as the header prints it: a revision as git describes it, the
    working tree in ``lang``."""
    if label == WORKING_TREE and lang == "en":
        return "working tree"
    return label


def _arrow(old: str | None, new: str | None) -> str:
    return f"{old if old is not None else '—'} → {new if new is not None else '—'}"


def _change_text(change: Change) -> str:
    return f"{change.label} {_arrow(change.old, change.new)}"


def summary_line(report: DiffReport, lang: str) -> str:
    counts = {status: report.count(status) for status in _STATUS["zh"]}
    if lang == "en":
        return (
            f"{counts['added']} added, {counts['removed']} removed, {counts['renamed']} "
            f"renamed, {counts['changed']} changed, {counts['unchanged']} unchanged, "
            f"{counts['failed']} with errors"
        )
    return (
        f"新增 {counts['added']} 个项目，删除 {counts['removed']} 个，改名 {counts['renamed']} 个，"
        f"修改 {counts['changed']} 个，未变 {counts['unchanged']} 个，有错误 {counts['failed']} 个"
    )


def _where(project: ProjectDiff) -> str:
    if project.status == "renamed":
        return f"{project.old_path} → {project.new_path}"
    return project.new_path or project.old_path or ""


def _grade_note(project: ProjectDiff, lang: str) -> str:
    if not project.grade_changed:
        return ""
    word = "grade changed" if lang == "en" else "评分等级变化"
    return f"  ⚠ {word}: {project.old_grade} → {project.new_grade}"


def as_text(report: DiffReport, lang: str) -> str:
    status = _STATUS[lang]
    old, new = shown_side(report.old.label, lang), shown_side(report.new.label, lang)
    lines = [f"selfeval diff {old} → {new}"]
    for project in report.projects:
        if project.status == "unchanged":
            continue
        lines.append(
            f"{status[project.status]} {project.project} ({_where(project)})"
            + _grade_note(project, lang)
        )
        inputs = [c for c in project.changes if not c.derived]
        derived = [c for c in project.changes if c.derived]
        for label, group in (
            ("输入" if lang == "zh" else "input", inputs),
            ("推算" if lang == "zh" else "derived", derived),
        ):
            if group:
                lines.append(f"  {label}: " + "，".join(_change_text(c) for c in group))
    lines.append(summary_line(report, lang))
    return "\n".join(one_line(line) for line in lines)


_PLAIN = re.compile(r"[^\W_]|[ .,%/·→—()（）、，。；％≥≤×+-]")
"""Characters that form nothing in Markdown on GitHub or GitLab, wherever they stand in a
cell: letters and digits of any script, spaces and inert punctuation."""
_WWW = re.compile(r"www\.", re.IGNORECASE)


def _cell(text: str | None, table: bool = True) -> str:
    """User text in a Markdown table cell, inert on GitHub and GitLab: on one line (a CR or
    U+2028 could end the row), and — unless it is plain words and figures — in a code span,
    inside which neither renders HTML, links, images, emphasis, bare URLs (``https://``,
    ``www.``), e-mail addresses, ``@mentions``, ``#123``/``!12`` references or ``:emoji:``.
    Entities or backslashes would not do: both sites find mentions, references (and GitLab
    bare URLs) in the text *after* Markdown has decoded them. Only a pipe is escaped inside
    the span, as GFM tables ask (``table``)."""
    flat = visible(" ".join(printable(text or "").split())) or "—"
    if all(_PLAIN.fullmatch(character) for character in flat) and not _WWW.search(flat):
        return flat
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {flat.replace('|', chr(92) + '|') if table else flat} {fence}"


def as_markdown(report: DiffReport, lang: str) -> str:
    status = _STATUS[lang]
    zh = lang == "zh"
    lines = [
        f"### selfeval diff: {_cell(shown_side(report.old.label, lang))} → "
        f"{_cell(shown_side(report.new.label, lang))}",
        "",
        summary_line(report, lang),
        "",
        "| 项目 | 状态 | 总分 | 评分等级 | 文件 |"
        if zh
        else "| project | status | total | grade | file |",
        "|---|---|---|---|---|",
    ]
    for project in report.projects:
        if project.status == "unchanged":
            continue
        if project.grade_changed:
            grade = f"**{_cell(_arrow(project.old_grade, project.new_grade))}** ⚠"
        else:
            grade = _cell(project.new_grade or project.old_grade)
        total = (
            _arrow(project.old_total, project.new_total)
            if project.old_total != project.new_total
            else project.new_total
        )
        lines.append(
            f"| {_cell(project.project)} | {status[project.status]} | {_cell(total)}"
            f" | {grade} | {_cell(_where(project))} |"
        )
    details = [p for p in report.projects if p.changes and p.status != "added"]
    if details:
        lines += [
            "",
            "<details><summary>" + ("逐项变化" if zh else "Every change") + "</summary>",
            "",
        ]
        for project in details:
            lines.append(f"#### {_cell(project.project, table=False)}")
            lines.append("")
            lines.append("| 项 | 原值 | 新值 | 类别 |" if zh else "| item | old | new | kind |")
            lines.append("|---|---|---|---|")
            for change in project.changes:
                kind = (
                    ("推算" if zh else "derived") if change.derived else ("输入" if zh else "input")
                )
                lines.append(
                    f"| {_cell(change.label)} | {_cell(change.old)} | "
                    f"{_cell(change.new)} | {kind} |"
                )
            lines.append("")
        lines.append("</details>")
    problems = report.old.diagnostics + report.new.diagnostics
    if problems:
        lines += ["", "**" + ("有错误的表单" if zh else "Specs with errors") + "**", ""]
        lines += [
            f"- {_cell(f'{d.location.file}:{d.location.line}', table=False)} {d.code} "
            f"{_cell(d.message(lang), table=False)}"
            for d in problems
        ]
    return "\n".join(lines) + "\n"


def as_json(report: DiffReport, lang: str) -> str:
    def version(side: str) -> dict[str, object]:
        chosen = report.old if side == "old" else report.new
        return {
            "label": chosen.label,
            "errors": [
                {
                    "code": d.code,
                    "file": d.location.file,
                    "line": d.location.line,
                    "column": d.location.column,
                    "message": d.message(lang),
                }
                for d in chosen.diagnostics
            ],
        }

    data = {
        "old": version("old"),
        "new": version("new"),
        "summary": {status: report.count(status) for status in _STATUS["zh"]},
        "projects": [
            {
                "project": p.project,
                "status": p.status,
                "old_path": p.old_path,
                "new_path": p.new_path,
                "old_total": p.old_total,
                "new_total": p.new_total,
                "old_grade": p.old_grade,
                "new_grade": p.new_grade,
                "grade_changed": p.grade_changed,
                "changes": [
                    {"label": c.label, "old": c.old, "new": c.new, "derived": c.derived}
                    for c in p.changes
                ],
            }
            for p in report.projects
        ],
    }
    return json_text(data)


def render(report: DiffReport, diff_format: str, lang: str) -> str:
    if diff_format == "markdown":
        return as_markdown(report, lang)
    if diff_format == "json":
        return as_json(report, lang)
    return as_text(report, lang)

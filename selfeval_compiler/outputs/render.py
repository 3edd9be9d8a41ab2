"""Render one form in the formats asked for: each format's renderer, by its name.

:func:`render_form` is the public "render one form" step that ``build`` runs in its workers
and that a preview can run alone. Each format is an :class:`OutputFormat` in :data:`FORMATS`
(:mod:`.formats`) with a renderer here for each form type; adding a format (xlsx) is adding
entries, not a branch. Only the formats asked for are rendered: the HTML is made only for
HTML and PDF (which lays it out), never for a JSON- or xlsx-only build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TypeVar

from selfeval_compiler.diagnostics import Diagnostic, Location, make, phrase
from selfeval_compiler.forms.department import (
    DepartmentPresentation,
    department_to_dict,
    present_department,
)
from selfeval_compiler.forms.goals import GoalsPresentation, goals_to_dict, present_goals
from selfeval_compiler.forms.self_evaluation import SelfEvaluationForm, continued, present
from selfeval_compiler.outputs import limits
from selfeval_compiler.outputs.formats import (
    FORMATS,
    GOALS_FORMATS,
    OUTPUT_SUFFIXES,
    Feature,
    OutputFormat,
    any_format,
    bundled_suffixes,
)
from selfeval_compiler.outputs.html import DEPARTMENT_TEMPLATE, GOALS_TEMPLATE, render_html
from selfeval_compiler.outputs.json_format import form_to_json
from selfeval_compiler.rules.department import DepartmentForm
from selfeval_compiler.rules.goals import GoalsForm
from selfeval_compiler.rules.scoring import ScoredForm

__all__ = [
    "FORMATS",
    "GOALS_FORMATS",
    "OUTPUT_SUFFIXES",
    "Feature",
    "OutputFormat",
    "RenderFailed",
    "Rendered",
    "any_format",
    "bundled_suffixes",
    "pdf_of",
    "render_department",
    "render_form",
    "render_goals",
    "render_printed",
]


@dataclass
class Sources:
    """What a format renders from: the presentation model and, made on first use, its HTML."""

    form: SelfEvaluationForm
    where: Location
    """Where a rendering problem is reported: the spec."""
    created: str | None = None

    @cached_property
    def html(self) -> str:
        return render_html(self.form, self.created)


class RenderFailed(Exception):
    """A format could not render this form; the findings say why."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message_en for d in diagnostics))
        self.diagnostics = diagnostics


def _html(sources: Sources) -> bytes:
    return sources.html.encode("utf-8")


def _json(sources: Sources) -> bytes:
    return form_to_json(sources.form).encode("utf-8")


def _xlsx(sources: Sources) -> bytes:
    from selfeval_compiler.outputs.xlsx_format import form_to_xlsx

    return form_to_xlsx(sources.form, sources.created)


def _pdf(sources: Sources) -> bytes:
    """Lay out and draw one form under the time limit; failures become the form's findings.

    WeasyPrint is imported here, on first use, so that ``check`` and HTML-only builds never
    pay for it."""
    from selfeval_compiler.outputs import pdf

    where = sources.where
    memory = phrase("render.memory", limit=limits.RENDER_MEMORY_MB)
    try:
        with limits.time_limit(limits.RENDER_SECONDS):
            document = pdf.render_document(sources.html)
            if len(document.pages) > 1:
                # Laid out again with the merged cells continued on their new page, and the
                # pages numbered where the profile numbers a form running over a page.
                shown = numbered(sources.form)
                starts = pdf.indicator_page_starts(document)
                if starts:
                    shown = continued(shown, starts)
                if shown != sources.form:
                    document = pdf.render_document(render_html(shown, sources.created))
            return pdf.write_pdf(document)
    except pdf.FontProblem as problem:
        raise RenderFailed([make(problem.code, where, **problem.args_for_message)]) from None
    except pdf.RenderProblem as problem:
        if isinstance(problem.__cause__, MemoryError):
            raise RenderFailed([make("SE907", where, detail=memory)]) from None
        raise RenderFailed([make("SE905", where, detail=str(problem))]) from None
    except limits.RenderTimeout:
        seconds = f"{limits.RENDER_SECONDS:g}"
        raise RenderFailed([make("SE906", where, seconds=seconds)]) from None
    except MemoryError:
        raise RenderFailed([make("SE907", where, detail=memory)]) from None


FORM_RENDERERS: dict[str, Callable[[Sources], bytes]] = {
    "pdf": _pdf,
    "html": _html,
    "json": _json,
    "xlsx": _xlsx,
}
"""How each format of :data:`FORMATS` prints the 自评表; each raises :class:`RenderFailed`
when the form cannot be rendered in it."""


@dataclass
class Rendered:
    outputs: list[tuple[OutputFormat, bytes]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sheet: bytes | None = None
    """With xlsx: the form's sheet of its folder workbook, as data
    (:mod:`~selfeval_compiler.outputs.sheet_record`), for the build to keep."""

    @property
    def ok(self) -> bool:
        return not self.diagnostics


def _with_sheet(
    rendered: Rendered, form: SelfEvaluationForm | GoalsPresentation | DepartmentPresentation
) -> Rendered:
    """``rendered`` with the form's sheet record when it holds a workbook."""
    if any(output_format.name == "xlsx" for output_format, _ in rendered.outputs):
        from selfeval_compiler.outputs.sheet_record import record_sheet

        rendered.sheet = record_sheet(form).dumps()
    return rendered


@dataclass
class GoalsSources:
    """What a format renders the 绩效目标申报表 from: its presentation model and, made on
    first use, its HTML."""

    form: GoalsPresentation
    where: Location
    created: str | None = None

    @cached_property
    def html(self) -> str:
        return render_html(self.form, self.created, GOALS_TEMPLATE)


def _goals_html(sources: GoalsSources) -> bytes:
    return sources.html.encode("utf-8")


def _goals_json(sources: GoalsSources) -> bytes:
    import json

    text = json.dumps(goals_to_dict(sources.form), ensure_ascii=False, indent=2) + "\n"
    return text.encode("utf-8")


def _goals_xlsx(sources: GoalsSources) -> bytes:
    from selfeval_compiler.outputs.xlsx_format import goals_to_xlsx

    return goals_to_xlsx(sources.form, sources.created)


def _goals_pdf(sources: GoalsSources) -> bytes:
    shown = numbered(sources.form)
    again = render_html(shown, sources.created, GOALS_TEMPLATE) if shown != sources.form else None
    return pdf_of(sources.html, sources.where, longer=again)


Numbered = TypeVar("Numbered", SelfEvaluationForm, GoalsPresentation)


def numbered(form: Numbered) -> Numbered:
    """``form`` as printed once it is known to run over a page: numbered if its profile
    numbers such a form (``page_numbers: auto``)."""
    if form.page_numbers == "auto":
        return replace(form, page_numbers="always")
    return form


GOALS_RENDERERS: dict[str, Callable[[GoalsSources], bytes]] = {
    "pdf": _goals_pdf,
    "html": _goals_html,
    "json": _goals_json,
    "xlsx": _goals_xlsx,
}
"""How each format of :data:`GOALS_FORMATS` prints the 绩效目标申报表."""


def render_goals(
    goals: GoalsForm, formats: Iterable[str], *, created: str | None, where: Location
) -> Rendered:
    """The 绩效目标申报表 of one spec in ``formats`` (pdf, html, json, xlsx; all or nothing)."""
    form = present_goals(goals)
    return _rendered(form, GoalsSources(form, where, created), GOALS_RENDERERS, formats)


def pdf_of(html: str, where: Location, *, longer: str | None = None) -> bytes:
    """A plain document (no continued cells: a 申报表, the 汇总表) laid out and drawn under
    the time limit; run it in a capped worker (:mod:`.isolated`). ``longer``: the document
    to draw instead when ``html`` runs over a page (its pages numbered)."""
    from selfeval_compiler.outputs import pdf

    memory = phrase("render.memory", limit=limits.RENDER_MEMORY_MB)
    try:
        with limits.time_limit(limits.RENDER_SECONDS):
            document = pdf.render_document(html)
            if longer is not None and len(document.pages) > 1:
                document = pdf.render_document(longer)
            return pdf.write_pdf(document)
    except pdf.FontProblem as problem:
        raise RenderFailed([make(problem.code, where, **problem.args_for_message)]) from None
    except pdf.RenderProblem as problem:
        if isinstance(problem.__cause__, MemoryError):
            raise RenderFailed([make("SE907", where, detail=memory)]) from None
        raise RenderFailed([make("SE905", where, detail=str(problem))]) from None
    except limits.RenderTimeout:
        seconds = f"{limits.RENDER_SECONDS:g}"
        raise RenderFailed([make("SE906", where, seconds=seconds)]) from None
    except MemoryError:
        raise RenderFailed([make("SE907", where, detail=memory)]) from None


@dataclass
class DepartmentSources:
    """What a format renders the 部门整体支出绩效自评表 from (its HTML made on first use)."""

    form: DepartmentPresentation
    where: Location
    created: str | None = None

    @cached_property
    def html(self) -> str:
        return render_html(self.form, self.created, DEPARTMENT_TEMPLATE)


def _department_json(sources: DepartmentSources) -> bytes:
    import json

    text = json.dumps(department_to_dict(sources.form), ensure_ascii=False, indent=2) + "\n"
    return text.encode("utf-8")


def _department_xlsx(sources: DepartmentSources) -> bytes:
    from selfeval_compiler.outputs.department_xlsx import department_to_xlsx

    return department_to_xlsx(sources.form, sources.created)


DEPARTMENT_RENDERERS: dict[str, Callable[[DepartmentSources], bytes]] = {
    "pdf": lambda sources: pdf_of(sources.html, sources.where),
    "html": lambda sources: sources.html.encode("utf-8"),
    "json": _department_json,
    "xlsx": _department_xlsx,
}
"""How each format of :data:`FORMATS` prints the 部门整体支出绩效自评表."""


def render_department(
    department: DepartmentForm, formats: Iterable[str], *, created: str | None, where: Location
) -> Rendered:
    """The 部门整体支出绩效自评表 of one department spec in ``formats`` (all or nothing)."""
    form = present_department(department)
    return _rendered(form, DepartmentSources(form, where, created), DEPARTMENT_RENDERERS, formats)


def render_form(
    scored: ScoredForm, formats: Iterable[str], *, created: str | None, where: Location
) -> Rendered:
    """One form in every format of ``formats`` (all or nothing).

    Raises :class:`~selfeval_compiler.outputs.html.TemplateProblem` when the templates
    themselves are broken: that is the installation's fault, not the form's."""
    form = present(scored)
    return _rendered(form, Sources(form, where, created), FORM_RENDERERS, formats)


SourcesOf = TypeVar("SourcesOf", "Sources", GoalsSources, DepartmentSources)


def _rendered(
    form: SelfEvaluationForm | GoalsPresentation | DepartmentPresentation,
    sources: SourcesOf,
    renderers: dict[str, Callable[[SourcesOf], bytes]],
    formats: Iterable[str],
) -> Rendered:
    """``form`` in each of ``formats`` that ``renderers`` print, in :data:`FORMATS` order:
    all or nothing (the first format that fails leaves only its diagnostics)."""
    rendered = Rendered()
    wanted = set(formats)
    for output_format in FORMATS.values():
        if output_format.name not in wanted:
            continue
        try:
            rendered.outputs.append((output_format, renderers[output_format.name](sources)))
        except RenderFailed as failure:
            return Rendered([], failure.diagnostics)
    return _with_sheet(rendered, form)


def render_printed(
    printed: ScoredForm | GoalsForm | DepartmentForm,
    formats: Iterable[str],
    *,
    created: str | None,
    where: Location,
) -> Rendered:
    """Whichever form a spec was compiled as (its stage's, or the one a command asked for),
    in ``formats``: what ``build``'s workers and the preview both call."""
    if isinstance(printed, GoalsForm):
        return render_goals(printed, formats, created=created, where=where)
    if isinstance(printed, DepartmentForm):
        return render_department(printed, formats, created=created, where=where)
    return render_form(printed, formats, created=created, where=where)

"""The presentation model → HTML in the official layout (FORM-LAYOUT.md), through Jinja2.

Templates do no arithmetic and format no figure: every label and figure arrives as text in
:class:`~selfeval_compiler.forms.self_evaluation.SelfEvaluationForm`.
"""

from __future__ import annotations

import re
from functools import cache

import jinja2
from markupsafe import Markup, escape

from selfeval_compiler import __version__
from selfeval_compiler.forms.department import DepartmentPresentation
from selfeval_compiler.forms.goals import GoalsPresentation
from selfeval_compiler.forms.self_evaluation import (
    SIDE_WIDTH,
    SelfEvaluationForm,
    cell_class,
    flat,
    side_spans,
)
from selfeval_compiler.forms.wrapping import FORM, SUMMARY, Piece, Sheet, layout, paragraph
from selfeval_compiler.sources import resources

FORM_TEMPLATE = "form.html.j2"


def lines(text: str) -> Markup:
    """A label with hard line breaks (``\\n`` in the profile) as ``<br>``, the rest escaped."""
    return Markup("<br>").join(escape(part) for part in text.split("\n"))


def balanced_breaks(
    text: str, width_percent: float, label: bool = False, sheet: Sheet = FORM
) -> str | Markup:
    """``text`` broken between words in a column ``width_percent`` wide
    (:mod:`~selfeval_compiler.forms.wrapping`): its breaks marked ``<br class="wrap">`` (they
    are layout, not the author's line breaks, and ``selfeval import`` reading this page back
    joins them), a number with its unit in a ``nowrap`` span. A text that fits on one line is
    returned as it is. ``label``: a heading or an indicator level's name."""
    found = layout(text, width_percent, label, sheet)
    if found is not None:
        wrap = Markup('<br class="wrap">')
        return Markup("<br>").join(wrap.join(_pieces(line) for line in lines) for lines in found)
    held = paragraph(text, width_percent, sheet)
    return text if held is None else Markup("\n").join(_pieces(line) for line in held)


def _pieces(line: list[Piece]) -> Markup:
    return Markup("").join(
        Markup('<span class="nb">{}</span>').format(piece.text)
        if piece.whole and len(piece.text) > 1
        else escape(piece.text)
        for piece in line
    )


def page_number_content(text: str) -> Markup:
    """A page-number format (``第 {page} 页 共 {pages} 页``) as the CSS ``content`` of a page
    margin box: the words as CSS strings, ``{page}`` and ``{pages}`` as WeasyPrint's
    counters. The profile's words are escaped for CSS (and cannot end the ``<style>``)."""

    def quoted(words: str) -> str:
        safe = "".join(
            f"\\{ord(char):x} " if char in '"\\<>&' or not char.isprintable() else char
            for char in words
        )
        return f'"{safe}"'

    parts: list[str] = []
    for index, piece in enumerate(re.split(r"(\{pages?\})", text)):
        if index % 2:
            parts.append("counter(pages)" if piece == "{pages}" else "counter(page)")
        elif piece:
            parts.append(quoted(piece))
    return Markup(" ".join(parts) or '""')


def summary_breaks(text: str, width_percent: float, label: bool = False) -> str | Markup:
    """:func:`balanced_breaks` in a column of the 汇总表 (A4 landscape, 9 pt)."""
    return balanced_breaks(text, width_percent, label, SUMMARY)


def span(columns: int) -> Markup:
    """`` colspan="N"`` for a cell over more than one grid column, else nothing."""
    return Markup(f' colspan="{int(columns)}"') if columns > 1 else Markup("")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.data_dir("templates"))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["lines"] = lines
    env.filters["balanced"] = balanced_breaks
    env.filters["summary_balanced"] = summary_breaks
    env.globals["span"] = span
    env.globals["page_number_content"] = page_number_content
    env.globals["cell_class"] = cell_class
    env.globals["side_width"] = SIDE_WIDTH
    env.globals["side_spans"] = side_spans
    env.filters["flat"] = flat
    return env


class TemplateProblem(Exception):
    """A template failed to load or render: the installation is broken, not the spec."""

    def __init__(self, detail: str, template: str, line: int) -> None:
        super().__init__(detail)
        self.template = template
        self.line = line


GOALS_TEMPLATE = "goals.html.j2"
DEPARTMENT_TEMPLATE = "department.html.j2"


def render_html(
    form: SelfEvaluationForm | GoalsPresentation | DepartmentPresentation,
    created: str | None = None,
    template: str = FORM_TEMPLATE,
) -> str:
    """The form as a standalone HTML document (styles inlined, nothing fetched).

    ``created`` (W3C date) becomes the document's creation date; it must come from the data
    or the spec's last commit, never from the clock, so that builds stay reproducible.
    """
    try:
        env = environment()
        stylesheet = env.loader.get_source(env, "form.css")[0] if env.loader else ""
        return env.get_template(template).render(
            form=form,
            labels=form.labels,
            stylesheet=stylesheet,
            generator=f"selfeval {__version__}",
            created=created,
        )
    except jinja2.TemplateError as error:
        name = getattr(error, "filename", None) or getattr(error, "name", None) or template
        raise TemplateProblem(str(error), str(name), getattr(error, "lineno", 0) or 0) from error

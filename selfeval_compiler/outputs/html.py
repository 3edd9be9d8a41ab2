"""Scored form → HTML in the official layout (FORM-LAYOUT.md), through Jinja2.

Templates do no arithmetic: rows, spans and figures arrive computed here, and every figure
is printed through the one ``figure`` filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import jinja2

from selfeval_compiler import __version__
from selfeval_compiler.rules.rounding import plain
from selfeval_compiler.rules.scoring import ScoredForm
from selfeval_compiler.sources import resources

FORM_TEMPLATE = "form.html.j2"


def figure(value: Decimal, places: int) -> str:
    """``value`` with ``places`` decimals when that shows it exactly, else as rounded.

    The indicator table prints figures at the precision the weights were written in (the
    seed prints ``10`` in one form and ``10.00`` in another); a derived ``9.44`` is never
    cut to ``9``.
    """
    shown = plain(value, places)
    return shown if Decimal(shown) == value else f"{value:f}"


@dataclass(frozen=True)
class IndicatorRow:
    level1: str
    level1_span: int
    """Rows the 一级 cell spans; 0 where an earlier row's cell covers this one."""
    level2: str
    level2_span: int
    name: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal
    deviation: str


def indicator_rows(form: ScoredForm) -> list[IndicatorRow]:
    scores = iter(form.indicators)
    rows: list[IndicatorRow] = []
    for level in form.spec.levels:
        level_rows = len(level.indicators)
        for group_index, group in enumerate(level.groups):
            for item_index, item in enumerate(group.indicators):
                scored = next(scores)
                first_of_level = group_index == 0 and item_index == 0
                rows.append(
                    IndicatorRow(
                        level1=level.name,
                        level1_span=level_rows if first_of_level else 0,
                        level2=group.name,
                        level2_span=len(group.indicators) if item_index == 0 else 0,
                        name=item.name,
                        target=item.target,
                        actual=item.actual,
                        weight=item.weight,
                        score=scored.score,
                        deviation=item.deviation or "",
                    )
                )
    return rows


def written_places(form: ScoredForm) -> int:
    """Decimals the unit wrote its indicator weights with, at most the profile's places."""
    places = max(
        (max(0, -int(item.weight.as_tuple().exponent)) for item in form.spec.indicators), default=0
    )
    return min(places, form.profile.rounding_places)


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
    env.filters["figure"] = figure
    return env


class TemplateProblem(Exception):
    """A template failed to load or render: the installation is broken, not the spec."""

    def __init__(self, detail: str, template: str, line: int) -> None:
        super().__init__(detail)
        self.template = template
        self.line = line


def render_html(form: ScoredForm, created: str | None = None) -> str:
    """The form as a standalone HTML document (styles inlined, nothing fetched).

    ``created`` (W3C date) becomes the document's creation date; it must come from the data
    or the spec's last commit, never from the clock, so that builds stay reproducible.
    """
    try:
        return _render(form, created)
    except jinja2.TemplateError as error:
        name = getattr(error, "filename", None) or getattr(error, "name", None) or FORM_TEMPLATE
        raise TemplateProblem(str(error), str(name), getattr(error, "lineno", 0) or 0) from error


def _render(form: ScoredForm, created: str | None) -> str:
    profile = form.profile
    env = environment()
    stylesheet = env.loader.get_source(env, "form.css")[0] if env.loader else ""
    return env.get_template(FORM_TEMPLATE).render(
        form=form,
        spec=form.spec,
        labels=profile.labels,
        profile=profile,
        amount_places=profile.amount_places,
        rate_places=profile.rounding_places,
        indicator_places=written_places(form),
        rows=indicator_rows(form),
        # header, 年度资金总额, the three sub-rows, and the deviation row when there is one
        funds_rows=2 + len(form.funds.rows) + (1 if form.funds.deviation else 0),
        stylesheet=stylesheet,
        generator=f"selfeval {__version__}",
        created=created,
    )

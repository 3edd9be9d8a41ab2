"""render_form and its siblings render only the formats asked for: a JSON- or xlsx-only
build never makes the form's HTML (which only HTML and PDF need)."""

from __future__ import annotations

import pytest
from conftest import REPO, SEED_FOLDER

from selfeval_compiler import api
from selfeval_compiler.diagnostics import Location
from selfeval_compiler.outputs import render

WHERE = Location("a.yaml")
SPECS = {
    "self-evaluation": sorted(SEED_FOLDER.glob("[!_]*.yaml"))[0],
    "goals": REPO / "examples" / "goals" / "chaiwei-2026.yaml",
    "department": REPO / "examples" / "realforms" / "cq-kexuecheng-rongmeiti-2021-department.yaml",
}


def _printed(kind: str) -> object:
    form = "goals" if kind == "goals" else None
    compiled = api.check([SPECS[kind]], form=form).compiled[0]
    assert compiled.printed is not None, compiled.diagnostics
    return compiled.printed


@pytest.mark.parametrize("kind", sorted(SPECS))
@pytest.mark.parametrize("formats", [["json"], ["xlsx"], ["json", "xlsx"]])
def test_no_html_is_made_for_formats_that_do_not_print_it(
    kind: str, formats: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    printed = _printed(kind)

    def refused(*args: object, **kwargs: object) -> str:
        raise AssertionError("HTML rendered for a build that asked for none")

    monkeypatch.setattr(render, "render_html", refused)
    rendered = render.render_printed(printed, formats, created=None, where=WHERE)  # type: ignore[arg-type]
    assert rendered.ok, rendered.diagnostics
    assert [fmt.name for fmt, _ in rendered.outputs] == [
        name for name in render.FORMATS if name in formats
    ]


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_html_is_made_once_for_html(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    printed = _printed(kind)
    made: list[str] = []
    from selfeval_compiler.outputs.html import render_html as original

    def counted(*args: object, **kwargs: object) -> str:
        made.append("html")
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render_html", counted)
    rendered = render.render_printed(printed, ["html", "json"], created=None, where=WHERE)  # type: ignore[arg-type]
    assert rendered.ok
    assert made == ["html"]

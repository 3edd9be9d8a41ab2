"""Rules on whether a spec fills the form its profile lays out: the goals and the goals
parts the layout prints are written (SE102, SE315), what the spec writes for the 自评表 is
printed somewhere (SE316), and a checkbox row can tick the spec's value (SE317)."""

from __future__ import annotations

from selfeval_compiler.diagnostics import Diagnostic, Location, listing, make
from selfeval_compiler.model.profiles import Profile
from selfeval_compiler.model.spec import Spec

_PART_KEYS = {"expected": "goals.expected", "actual": "goals.actual", "process": "goals.process"}


def _printed_texts(profile: Profile) -> set[str]:
    """The spec texts (``filing.*``, ``remarks.*``, ``goals.process``) the form prints."""
    layout = profile.layout
    lines = {
        "header": layout.header_values,
        "signatures": layout.signature_values,
        "trailer": layout.trailer_rows,
    }
    printed = {
        line.text
        for block, block_lines in lines.items()
        if block in layout.blocks
        for line in block_lines
        if line.text
    }
    if "goals" in layout.blocks and "process" in layout.goals_parts:
        printed.add("goals.process")
    return printed


def _missing_goals(spec: Spec, profile: Profile) -> list[Diagnostic]:
    layout = profile.layout
    if "goals" not in layout.blocks:
        return []
    labels = profile.labels
    if not spec.goals.written:  # required as before wherever the form prints it
        where = Location(spec.file, 1, 1)
        return [make("SE102", where, key="goals", title="".join(labels.goals.split()))]
    missing = [part for part in layout.goals_parts if not getattr(spec.goals, part)]
    where = spec.locate(("goals",), on_key=True)
    return [
        make("SE315", where, part="".join(getattr(labels, part).split()), key=_PART_KEYS[part])
        for part in missing
    ]


def _unprinted(spec: Spec, profile: Profile) -> list[Diagnostic]:
    printed = _printed_texts(profile)
    written = [key for key, _ in spec.texts]
    if spec.goals.process:
        written.append("goals.process")
    return [
        make(
            "SE316",
            spec.locate(tuple(key.split(".")), on_key=True),
            key=key,
            profile=profile.name,
        )
        for key in written
        if key not in printed
    ]


def _choices(spec: Spec, profile: Profile) -> list[Diagnostic]:
    if "basic" not in profile.layout.blocks:
        return []
    chosen = dict(spec.choices)
    return [
        make(
            "SE317",
            spec.locate((row.key,)),
            label=row.label,
            value=chosen[row.key],
            options=listing(row.options),
        )
        for row in profile.layout.choice_rows
        if row.key in chosen and chosen[row.key] not in row.options
    ]


def check_layout_fit(spec: Spec, profile: Profile) -> list[Diagnostic]:
    """Every problem of fitting ``spec`` into the form ``profile`` lays out."""
    return _missing_goals(spec, profile) + _unprinted(spec, profile) + _choices(spec, profile)

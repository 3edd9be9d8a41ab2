"""Rules on the shape of a form: the indicator hierarchy and the weights."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from selfeval_compiler.diagnostics import Diagnostic, Severity, listing, make, phrase
from selfeval_compiler.model.profiles import Profile, scaled
from selfeval_compiler.model.spec import Spec

_SUFFIX = "指标"
MAX_INDICATORS = 300
"""三级指标 in one form; real forms have 5 to 40 (SECURITY.md)."""


def _stem(name: str) -> str:
    """二级 names are written with or without a trailing 指标; compare without it."""
    clean = "".join(name.split())
    return (
        clean[: -len(_SUFFIX)] if clean.endswith(_SUFFIX) and len(clean) > len(_SUFFIX) else clean
    )


def check_hierarchy(spec: Spec, profile: Profile) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    hierarchy = {
        _stem(level1): (level1, {_stem(n) for n in names}) for level1, names in profile.hierarchy
    }
    owner = {name: level1 for level1, (_, names) in hierarchy.items() for name in names}
    for level in spec.levels:
        known = hierarchy.get(_stem(level.name))
        if known is None:
            diagnostics.append(
                make(
                    "SE201",
                    spec.locate(level.path, on_key=True),
                    name=level.name,
                    profile=profile.name,
                    allowed=listing(name for name, _ in profile.hierarchy),
                )
            )
            continue
        for group in level.groups:
            stem = _stem(group.name)
            if stem in known[1]:
                continue
            home = owner.get(stem)
            expected = hierarchy[home][0] if home else listing(dict(profile.hierarchy)[known[0]])
            diagnostics.append(
                make(
                    "SE202",
                    spec.locate(group.path, on_key=True),
                    name=group.name,
                    level1=level.name,
                    expected=expected,
                )
            )
    if not profile.layout.empty_rows:
        for level in spec.levels:
            for group in level.groups:
                if not group.indicators and not group.not_applicable:
                    where = spec.locate(group.path, on_key=True)
                    diagnostics.append(make("SE204", where, name=group.name))
    counts = Counter("".join(item.name.split()) for item in spec.indicators)
    reported: set[str] = set()
    for item in spec.indicators:
        key = "".join(item.name.split())
        if counts[key] > 1 and key in reported:
            diagnostics.append(make("SE203", spec.locate((*item.path, "name")), name=item.name))
        reported.add(key)
    return diagnostics


def check_limits(spec: Spec) -> list[Diagnostic]:
    count = len(spec.indicators)
    if count <= MAX_INDICATORS:
        return []
    return [
        make(
            "SE009",
            spec.locate(("indicators",), on_key=True),
            detail=phrase("limit.indicators", count=count, limit=MAX_INDICATORS),
        )
    ]


def check_weights(spec: Spec, profile: Profile) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    indicator_total = sum((item.weight for item in spec.indicators), Decimal(0))
    total = spec.funds.weight + scaled(profile, indicator_total)
    if total != profile.total_weight:
        diagnostics.append(
            make(
                "SE501",
                spec.locate(("indicators",), on_key=True),
                total=_plain(total),
                funds=_plain(spec.funds.weight),
                indicators=_plain(scaled(profile, indicator_total)),
                expected=_plain(profile.total_weight),
            )
        )
    severity = Severity(profile.weight_mismatch_severity)
    expected_levels = dict(profile.level1_weights)
    for level in spec.levels:
        expected = expected_levels.get(level.name)
        if expected is None:
            continue
        actual = sum((item.weight for item in level.indicators), Decimal(0))
        if actual != expected:
            diagnostics.append(
                make(
                    "SE502",
                    spec.locate(level.path, on_key=True),
                    severity=severity,
                    name=level.name,
                    actual=_plain(actual),
                    expected=_plain(expected),
                    profile=profile.name,
                )
            )
    if spec.funds.weight != profile.funds_weight:
        diagnostics.append(
            make(
                "SE503",
                spec.locate(("funds", "weight")),
                severity=severity,
                actual=_plain(spec.funds.weight),
                expected=_plain(profile.funds_weight),
                profile=profile.name,
            )
        )
    return diagnostics


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text

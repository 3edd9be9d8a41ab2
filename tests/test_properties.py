"""Property-based tests where the arithmetic lives (hypothesis)."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers import BASE, to_yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval_compiler.model.profiles import load_profile
from selfeval_compiler.model.spec import build_spec
from selfeval_compiler.rules.rounding import round_figure
from selfeval_compiler.rules.scoring import ScoredForm, score_form
from selfeval_compiler.sources.yaml_loader import load_text

PROFILES = {name: load_profile(name) for name in ("mof-2020", "shanghai-municipal")}

amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
comparators = st.sampled_from(["≥", "≤", "=", "", ">", "<"])
numbers = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def indicator(draw: st.DrawFn, weight: int) -> dict[str, Any]:
    target = f"{draw(comparators)}{draw(numbers)}(次)"
    actual = draw(
        st.one_of(
            numbers.map(lambda n: f"{n}(次)"),
            st.sampled_from(["达成指标", "达成年度指标"]),
        )
    )
    return {
        "name": f"指标{draw(st.integers(0, 10**6))}",
        "target": target,
        "actual": actual,
        "weight": weight,
        "deviation": "说明",
    }


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    annual = draw(amounts)
    data["funds"]["current_year"] = {"initial": annual, "annual": annual, "executed": draw(amounts)}
    carried = draw(amounts)
    data["funds"]["carried_over"] = {
        "initial": carried,
        "annual": carried,
        "executed": draw(amounts.filter(lambda a: a <= carried)),
    }
    data["indicators"] = {
        "产出指标": {"数量指标": [draw(indicator(25)), draw(indicator(25))]},
        "效益指标": {"社会效益指标": [draw(indicator(30))]},
        "满意度指标": {"服务对象满意度指标": [draw(indicator(10))]},
    }
    names = [
        item["name"]
        for level in data["indicators"].values()
        for group in level.values()
        for item in group
    ]
    for index, item in enumerate(
        i for lv in data["indicators"].values() for g in lv.values() for i in g
    ):
        item["name"] = f"{names[index]}-{index}"
    return data


def scored(data: dict[str, Any], profile_name: str) -> ScoredForm | None:
    document, problems = load_text(to_yaml(data), "p.yaml")
    assert document is not None, problems
    spec, problems = build_spec(document, Path("p.yaml"), [])
    assert spec is not None, problems
    form, _ = score_form(spec, PROFILES[profile_name])
    return form


@settings(max_examples=150, deadline=None)
@given(specs(), st.sampled_from(sorted(PROFILES)))
def test_scores_stay_within_weights_and_total_is_the_sum(
    data: dict[str, Any], profile: str
) -> None:
    form = scored(data, profile)
    if form is None:  # e.g. execution without budget: reported, not scored
        return
    for item in form.indicators:
        assert 0 <= item.score <= item.indicator.weight
    assert 0 <= form.funds.score <= form.funds.weight
    assert form.total == form.funds.score + sum(s.score for s in form.indicators)
    assert 0 <= form.total <= 100
    assert form.total == round_figure(
        form.total, form.profile.rounding_mode, form.profile.rounding_places
    )
    total = form.funds.total
    assert total.annual == sum(r.annual for r in form.funds.rows)
    assert total.executed == sum(r.executed for r in form.funds.rows)


@settings(max_examples=80, deadline=None)
@given(specs())
def test_order_of_indicators_does_not_change_the_total(data: dict[str, Any]) -> None:
    reordered = copy.deepcopy(data)
    reordered["indicators"]["产出指标"]["数量指标"].reverse()
    reordered["indicators"] = dict(reversed(list(reordered["indicators"].items())))
    first, second = scored(data, "mof-2020"), scored(reordered, "mof-2020")
    assert (first is None) == (second is None)
    if first and second:
        assert first.total == second.total
        assert first.grade == second.grade


@given(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9),
    st.sampled_from(["truncate", "half-up", "half-even"]),
    st.integers(0, 4),
)
def test_rounding_is_idempotent_and_close(value: Decimal, mode: str, places: int) -> None:
    once = round_figure(value, mode, places)
    assert round_figure(once, mode, places) == once
    assert abs(once - value) < Decimal(1).scaleb(-places)
    if mode == "truncate":
        assert abs(once) <= abs(value)

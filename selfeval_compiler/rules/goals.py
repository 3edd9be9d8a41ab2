"""The 绩效目标申报表's checks: what a spring form can get wrong by itself.

Nothing is scored. The one sum the form prints is checked: 项目资金总额 against its parts
(其中：财政资金 and 其他资金) where both are written (SE408).
"""

from __future__ import annotations

from dataclasses import dataclass

from selfeval_compiler.diagnostics import Diagnostic, make
from selfeval_compiler.model.goals import GoalsSpec
from selfeval_compiler.model.profiles import Profile


@dataclass(frozen=True)
class GoalsForm:
    spec: GoalsSpec
    profile: Profile


def check_goals(spec: GoalsSpec) -> list[Diagnostic]:
    funds = dict(spec.project_funds)
    if "total" in funds and "fiscal" in funds and "other" in funds:
        parts = funds["fiscal"] + funds["other"]
        if parts != funds["total"]:
            where = spec.locate(("project_funds", "total"))
            return [
                make(
                    "SE408",
                    where,
                    total=funds["total"],
                    fiscal=funds["fiscal"],
                    other=funds["other"],
                )
            ]
    return []

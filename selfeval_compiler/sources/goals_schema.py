"""The 绩效目标申报表's schema, derived from the self-evaluation's: the same spec, without
what only the year's end can tell (全年预算数, 全年执行数, 实际完成情况, 实际完成值, 分值).

``schema/goals.schema.json`` is generated from ``schema/selfeval.schema.json`` (``make docs``;
a test checks it is current), so the two can never disagree on a field they share.

    python -m selfeval_compiler.sources.goals_schema [REPOSITORY]
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any


def derive(base: dict[str, Any]) -> dict[str, Any]:
    schema = copy.deepcopy(base)
    schema["$id"] = base["$id"].replace("selfeval.schema.json", "goals.schema.json")
    schema["title"] = "财政项目支出绩效目标申报表"
    schema["description"] = (
        "一个项目的绩效目标申报表（selfeval build --form goals）：与自评表同一份 spec，"
        "只是年终才有的数字（全年预算数、全年执行数、实际完成情况、实际完成值、分值）可以不填。"
    )
    funds = schema["properties"]["funds"]
    funds["required"] = [key for key in funds["required"] if key != "weight"]
    for row in funds["properties"].values():  # each funds row: only 年初预算数 is known in spring
        if "initial" in row.get("properties", {}):
            row["required"] = [key for key in row.get("required", []) if key == "initial"]
    goals = schema["properties"]["goals"]
    goals["required"] = ["expected"]
    if "goals" not in schema["required"]:  # the 申报表 always prints its goals
        schema["required"].append("goals")
    level1 = schema["properties"]["indicators"]["additionalProperties"]
    written = level1["additionalProperties"]  # a list of 三级, or 不适用
    item = written.get("then", written)["items"]
    item["required"] = ["name", "target"]
    return schema


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path.cwd()
    base = json.loads((root / "schema" / "selfeval.schema.json").read_text("utf-8"))
    target = root / "schema" / "goals.schema.json"
    target.write_text(json.dumps(derive(base), ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

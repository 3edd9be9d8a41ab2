"""Generate N realistic specs for benchmarks: several units and folders, varied indicator
counts, long goal texts, partly met targets. Seeded, so a run can be repeated exactly.

    python benchmarks/generate_specs.py OUT_DIR [N] [--seed S]
"""

from __future__ import annotations

import argparse
import itertools
import random
from decimal import Decimal
from pathlib import Path

LEVELS = {
    "产出指标": ["数量指标", "质量指标", "时效指标", "成本指标"],
    "效益指标": ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"],
    "满意度指标": ["服务对象满意度指标"],
}
WEIGHTS = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
PHRASES = [
    "保障日常公务活动顺利开展",
    "提升对口支援工作质量",
    "推进信息平台建设",
    "加强与当地政府部门联络协调",
    "完成年度工作任务",
    "优化服务保障流程",
    "落实各项管理制度",
    "提高资金使用效益",
]
UNITS = [
    "区财政局",
    "区教育局",
    "区卫生健康委员会",
    "区民政局",
    "区交通委员会",
    "区文化旅游局",
    "区生态环境局",
    "区科学技术委员会",
]


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` split into ``parts`` positive whole weights."""
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    edges = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(edges)]


def _text(rng: random.Random, sentences: int) -> str:
    return "，".join(rng.choice(PHRASES) for _ in range(sentences)) + "。"


def _indicator(rng: random.Random, name: str, weight: int) -> str:
    kind = rng.random()
    if kind < 0.45:
        target = rng.choice([20, 30, 50, 100])
        actual = target + rng.randint(0, 20)
        return (
            f"      - {{name: {name}, target: ≥{target}(次), actual: {actual}.00(次),"
            f" weight: {weight}}}"
        )
    if kind < 0.55:
        target = rng.choice([20, 40, 60])
        actual = target - rng.randint(1, target // 2)
        return (
            f"      - {{name: {name}, target: ≥{target}(次), actual: {actual}(次),"
            f" weight: {weight}, deviation: 部分活动受客观因素影响延期，已调整计划。}}"
        )
    if kind < 0.62:
        score = Decimal(weight) * Decimal("0.7")
        return (
            f"      - {{name: {name}, target: 合理, actual: 部分达成年度指标并具有一定效果,"
            f" weight: {weight}, score: {score}, deviation: 部分达成，下年改进。}}"
        )
    return f"      - {{name: {name}, target: 达到预期, actual: 达成指标, weight: {weight}}}"


def spec_text(rng: random.Random, index: int, unit: str) -> str:
    annual = Decimal(rng.randint(500, 500_000)) / 100
    executed = (annual * Decimal(rng.randint(40, 100)) / 100).quantize(Decimal("0.01"))
    lines = [
        "# yaml-language-server: $schema=../../schema/selfeval.schema.json",
        f"project: {unit}专项项目{index:05d}",
        f"unit: {unit}",
        "funds:",
        "  weight: 10",
        f"  current_year: {{initial: {annual}, annual: {annual}, executed: {executed}}}",
        "  carried_over: {initial: 0, annual: 0, executed: 0}",
        "  other: {initial: 0, annual: 0, executed: 0}",
        "goals:",
        f"  expected: {_text(rng, rng.randint(3, 12))}",
        f"  actual: {_text(rng, rng.randint(3, 12))}",
        "indicators:",
    ]
    counter = 0
    for level1, groups in LEVELS.items():
        lines.append(f"  {level1}:")
        chosen = rng.sample(groups, rng.randint(1, len(groups)))
        group_sizes = [rng.randint(1, 3) for _ in chosen]
        weights = (
            _split(WEIGHTS[level1], sum(group_sizes), rng)
            if sum(group_sizes) > 1
            else [WEIGHTS[level1]]
        )
        cursor = 0
        for group, size in zip(chosen, group_sizes, strict=True):
            lines.append(f"    {group}:")
            for _ in range(size):
                counter += 1
                lines.append(_indicator(rng, f"指标{counter:02d}", weights[cursor]))
                cursor += 1
    return "\n".join(lines) + "\n"


def generate(out: Path, count: int, seed: int = 2023) -> list[Path]:
    rng = random.Random(seed)
    written = []
    for index in range(count):
        unit = UNITS[index % len(UNITS)]
        folder = out / f"unit-{index % len(UNITS):02d}"
        if not (folder / "_defaults.yaml").exists():
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "_defaults.yaml").write_text(
                "year: 2023\ndepartment: 某区财政局\nprofile: mof-2020\n", encoding="utf-8"
            )
        path = folder / f"{index:05d}.yaml"
        path.write_text(spec_text(rng, index, unit), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int, nargs="?", default=1000)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    generate(args.out, args.count, args.seed)


if __name__ == "__main__":
    main()

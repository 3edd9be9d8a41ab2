"""Figures read straight off the seed document (tests/data/seed-2023-shanghai-xinjiang.txt).

Nothing here is typed in by hand: the tests compare selfeval's output with what this parser
finds in the text extracted from the published PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).resolve().parent / "data" / "seed-2023-shanghai-xinjiang.txt"
_NUMBER = r"\d+(?:\.\d+)?"


@dataclass(frozen=True)
class SeedForm:
    project: str
    total_row: tuple[str, ...]  # 年初, 全年预算, 全年执行, 分数, 执行率, 得分
    sub_rows: tuple[tuple[str, ...], ...]  # each: 年初, 全年预算, 全年执行, 执行率
    indicator_figures: tuple[tuple[str, str], ...]  # (分值, 得分) per 三级 row, in order
    total_weight: str
    total: str
    grade: str


def seed_forms() -> list[SeedForm]:
    text = SEED.read_text(encoding="utf-8")
    chunks = [c for c in text.split("财政项目支出绩效自评表\n（2023年度）") if c.strip()]
    forms = []
    for chunk in chunks:
        project = re.search(r"项目名称 (\S+)", chunk)[1]  # type: ignore[index]
        total_row = re.search(r"年度资金总额((?: " + _NUMBER + "){6})", chunk)[1].split()  # type: ignore[index]
        sub_rows = tuple(
            (m[1], m[2], m[3], m[4])
            for m in re.finditer(rf"({_NUMBER}) ({_NUMBER}) ({_NUMBER}) - ({_NUMBER}) -", chunk)
        )
        table = chunk[chunk.index("一级指标 二级指标") : chunk.index("总分")]
        figures = tuple(
            (m[1], m[2]) for m in re.finditer(rf" ({_NUMBER}) ({_NUMBER})$", table, re.M)
        )
        total = re.search(rf"总分\s+({_NUMBER})\s+({_NUMBER})", chunk)
        grade = re.search(r"评分等级 (\S+)", chunk)
        assert total is not None
        assert grade is not None
        forms.append(
            SeedForm(project, tuple(total_row), sub_rows, figures, total[1], total[2], grade[1])
        )
    return forms

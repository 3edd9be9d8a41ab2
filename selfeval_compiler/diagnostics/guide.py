"""docs/guide/errors.md: the clerks' guide to the common errors, generated from the catalogue.

The guide groups the codes a clerk meets while filling a form (:data:`COMMON`, in the order
of the work) and prints, for each, the message and the fix as ``selfeval check`` prints them
(from ``catalogue.yaml``) and the lines of its case in ``tests/cases`` that trigger it. The
words around them are the guide's own; everything about a code comes from the catalogue, so
the page cannot say what the program does not. ``make docs`` rewrites it with
docs/diagnostics.md; a test fails while it is stale.
"""

from __future__ import annotations

import string
from pathlib import Path

from selfeval_compiler.diagnostics.catalogue import CATALOGUE, CodeInfo
from selfeval_compiler.diagnostics.docs import case_entries, case_expectations

COMMON: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "打字时的小错（YAML）",
        "最常见的错误都出在标点和缩进上：在中文输入法下敲出的全角冒号、逗号，用 Tab 缩进，"
        "同一个键写了两遍，金额里的千位分隔符。这些错误会让整份文件读不进来，所以先改它们。",
        ("SE001", "SE019", "SE020", "SE004", "SE017", "SE011", "SE007", "SE003", "SE025"),
    ),
    (
        "键写错、漏写",
        "键（冒号前面的英文词）必须是表单规定的那些。写错一个字母，selfeval 会猜你想写的键；"
        "漏写必填项，会说出它在表上是哪一栏。",
        ("SE101", "SE102", "SE103", "SE104", "SE021"),
    ),
    (
        "绩效指标与得分",
        "指标的层级要符合评分规则的指标体系；得分一般不用写，由 selfeval 按规则算出。"
        "只有规则无法判断（部分达成、未达成）时才写 score，得分低于分值时要写偏差原因。",
        (
            "SE201",
            "SE202",
            "SE204",
            "SE301",
            "SE303",
            "SE304",
            "SE305",
            "SE306",
            "SE307",
            "SE310",
        ),
    ),
    (
        "资金",
        "资金表的三行（当年财政拨款、上年结转资金、其他资金）各写年初预算数、全年预算数、"
        "全年执行数；合计、执行率和得分都由 selfeval 算出，不要自己写。",
        ("SE401", "SE402", "SE403", "SE404", "SE405"),
    ),
    (
        "分值与评分规则",
        "各项分值加起来要等于满分；profile 写的是评分规则的名字。",
        ("SE501", "SE502", "SE504"),
    ),
    (
        "申报表（春季）",
        "申报阶段（stage: 申报）的表单，check 对申报表上将印成空白的每一栏给出警告，"
        "说出要填的键。SE410–SE418 都是这一类，下面以项目性质为例。",
        ("SE410",),
    ),
    (
        "生成 PDF",
        "这些错误与表单内容无关，而与电脑上的字体或输出目录有关，退出码为 2。",
        ("SE901", "SE902", "SE904"),
    ),
)
"""The guide's sections: a title, a paragraph, and the codes in the order a clerk meets them."""


def _template(text: str) -> str:
    """A message template as a clerk reads it: each ``{placeholder}`` shown as ``…``."""
    parts: list[str] = []
    for literal, field, _, _ in string.Formatter().parse(text):
        parts.append(literal)
        if field is not None:
            parts.append("…")
    return "".join(parts)


def _example(info: CodeInfo, cases: Path) -> list[str]:
    for case in case_entries(cases):
        if case.name[:5] != info.code:
            continue
        main = case if case.is_file() else case / "form.yaml"
        if not main.exists():
            return []
        lines = main.read_bytes().decode("utf-8", "replace").splitlines()
        shown = [
            f"{wanted.line:>3} | {lines[wanted.line - 1]}"
            for wanted in case_expectations(case)
            if wanted.code == info.code
            and wanted.file in (case.name, "form.yaml")
            and 0 < wanted.line <= len(lines)
        ]
        if not shown:
            return []
        return ["例如（行号在左）：", "", "```yaml", *dict.fromkeys(shown), "```", ""]
    return []


def generate(cases: Path) -> str:
    out = [
        "# 常见错误及改法",
        "",
        "<!-- 由 selfeval_compiler/diagnostics/guide.py 根据诊断目录（catalogue.yaml）和",
        "     tests/cases 生成；修改后运行 make docs -->",
        "",
        "`selfeval check` 报告的每个问题都是一行：",
        "",
        "```",
        "specs/单位/01-项目.yaml:12:5: error SE019 “name”后面是全角冒号“：”……",
        "```",
        "",
        "依次是文件、行号、列号、严重程度（error 错误 / warning 警告）、代码和说明。"
        "有错误的表单不会生成；警告不影响生成（加 `--strict` 时也算失败）。"
        "下面按填表的顺序列出最常遇到的代码：说明中的“…”处，check 会填上你表单里的具体内容。"
        "全部代码见 [诊断代码一览](../diagnostics.md)。",
    ]
    for title, paragraph, codes in COMMON:
        out += ["", f"## {title}", "", paragraph]
        for code in codes:
            info = CATALOGUE[code]
            severity = "错误" if info.severity.value == "error" else "警告"
            out += [
                "",
                f"### {info.code}（{severity}）",
                "",
                f"- 说明：{_template(info.zh)}",
                f"- 怎么改：{info.fix_zh}",
                "",
                *_example(info, cases),
            ]
            while out[-1] == "":
                out.pop()
    return "\n".join(out) + "\n"


def write(root: Path) -> Path:
    """Rewrite ROOT/docs/guide/errors.md from the catalogue and ROOT/tests/cases."""
    target = root / "docs" / "guide" / "errors.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(generate(root / "tests" / "cases"), encoding="utf-8")
    return target

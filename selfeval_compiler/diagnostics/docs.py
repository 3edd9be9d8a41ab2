"""docs/diagnostics.md, generated from the catalogue and the cases in tests/cases (and, by
:mod:`.guide`, the guide's page of common errors).

Run ``make docs`` (``python -m selfeval_compiler.diagnostics.docs``) after changing
``catalogue.yaml`` or a case; a test fails while the file is stale. A case is a spec file, or
a folder with a ``form.yaml``, whose ``# expect: CODE [FILE:]LINE:COLUMN`` comments say what
``selfeval check`` must report (``# check: --form goals`` checks it as the 申报表); the same
parser serves the test that runs the cases.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from selfeval_compiler.diagnostics.catalogue import CATALOGUE, CodeInfo

FAMILIES = {
    "SE0": "YAML 与文件 / YAML and files",
    "SE1": "表单格式（schema）/ Schema",
    "SE2": "结构与指标体系 / Structure and hierarchy",
    "SE3": "指标评分 / Indicator scoring",
    "SE4": "资金计算 / Funds arithmetic",
    "SE5": "评分规则（profile）/ Policy rules",
    "SE6": "导入已有的表（selfeval import）/ Importing published forms",
    "SE7": "部门整体支出绩效自评表 / The department form",
    "SE9": "模板、字体、输出与内部错误 / Templates, fonts, output and internal errors",
}

_EXPECT = re.compile(rb"#\s*expect:\s*(SE\d{3})\s+(?:(\S+):)?(\d+):(\d+)")
_FORM = re.compile(rb"#\s*check:\s*--form\s+(\S+)")


@dataclass(frozen=True, order=True)
class Expectation:
    code: str
    file: str
    """The case file itself, or a file inside a folder case (``form.yaml`` by default)."""
    line: int
    column: int


def case_entries(cases: Path) -> list[Path]:
    return sorted(cases.iterdir())


def case_expectations(case: Path) -> list[Expectation]:
    """What a case says ``selfeval check`` reports for it, sorted."""
    files = [case] if case.is_file() else sorted(case.rglob("*.yaml"))
    found: list[Expectation] = []
    for file in files:
        for match in _EXPECT.finditer(file.read_bytes()):
            code, where, line, column = match.groups()
            default = case.name if case.is_file() else "form.yaml"
            name = where.decode() if where else default
            found.append(Expectation(code.decode(), name, int(line), int(column)))
    return sorted(found)


def case_form(case: Path) -> str:
    """The form a case is checked as: ``# check: --form goals`` in the case (its
    ``form.yaml`` for a folder) asks for the 申报表; the 自评表 otherwise."""
    main = case if case.is_file() else case / "form.yaml"
    found = _FORM.search(main.read_bytes()) if main.is_file() else None
    return found.group(1).decode() if found else "self-evaluation"


def _example(info: CodeInfo, cases: Path) -> list[str]:
    for case in case_entries(cases):
        if case.name[:5] != info.code:
            continue
        main = case if case.is_file() else case / "form.yaml"
        lines = main.read_bytes().decode("utf-8", "replace").splitlines() if main.exists() else []
        shown = [
            f"{wanted.line:>3} | {lines[wanted.line - 1]}"
            for wanted in case_expectations(case)
            if wanted.code == info.code
            and wanted.file in (case.name, "form.yaml")
            and 0 < wanted.line <= len(lines)
        ]
        parts = [f"案例 / case: `tests/cases/{case.name}`"]
        if shown:
            parts += ["", "```yaml", *dict.fromkeys(shown), "```"]
        return parts
    return [f"示例 / example: {info.example}"] if info.example else []


def generate(cases: Path) -> str:
    out = [
        "# selfeval 诊断代码 / diagnostic codes",
        "",
        "<!-- Generated from selfeval_compiler/diagnostics/catalogue.yaml and tests/cases;",
        "     refresh with: make docs -->",
        "",
        "Every finding carries a stable code: never renumbered, never reused. Errors stop a form",
        "from being built; warnings do not, unless `--strict`. 错误会阻止该表单生成；警告不会，",
        "除非使用 `--strict`。Exit codes: 1 for problems in specs, 2 for the environment or an",
        "internal error.",
        "",
        "| code | name | severity | exit | message |",
        "|---|---|---|---|---|",
    ]
    for info in CATALOGUE.values():
        out.append(
            f"| [{info.code}](#{info.code.lower()}) | {info.name} | {info.severity.value}"
            f" | {info.kind.exit_code} | {info.zh} |"
        )
    family = ""
    for info in CATALOGUE.values():
        if info.code[:3] != family:
            family = info.code[:3]
            out += ["", f"## {FAMILIES[family]}"]
        status = " · retired" if info.retired else ""
        aliases = f" · aliases: {', '.join(info.aliases)}" if info.aliases else ""
        out += [
            "",
            f"### {info.code}",
            "",
            f"`{info.name}` · {info.severity.value} · {info.kind.value}{status}{aliases}",
            "",
            f"- 消息 / message: {info.zh} / {info.en}",
            f"- 修正 / fix: {info.fix_zh} / {info.fix_en}",
            "",
            *_example(info, cases),
        ]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    """``docs [REPOSITORY]``: rewrite REPOSITORY/docs/diagnostics.md and the clerks' guide
    to the common errors, docs/guide/errors.md (default: here)."""
    from selfeval_compiler.diagnostics import guide  # it reads this module's case parser

    root = Path(argv[0]) if argv else Path.cwd()
    target = root / "docs" / "diagnostics.md"
    target.write_text(generate(root / "tests" / "cases"), encoding="utf-8")
    print(f"wrote {target}")
    print(f"wrote {guide.write(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

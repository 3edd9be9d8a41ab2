"""Diagnostics: one record for every finding, and the catalogue of stable codes.

Every stage reports through :class:`Diagnostic`; only the CLI formats them. Codes are
stable: never renumber one, never reuse a retired one (mark it retired instead).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class CodeInfo:
    code: str
    name: str
    severity: Severity
    zh: str
    en: str
    fix_zh: str
    fix_en: str


def _code(
    code: str, name: str, severity: Severity, zh: str, en: str, fix_zh: str, fix_en: str
) -> CodeInfo:
    return CodeInfo(code, name, severity, zh, en, fix_zh, fix_en)


E, W = Severity.ERROR, Severity.WARNING

CATALOGUE: dict[str, CodeInfo] = {
    info.code: info
    for info in (
        # --- SE0xx: files and YAML -------------------------------------------------
        _code(
            "SE001",
            "yaml-syntax",
            E,
            "YAML 语法错误：{detail}",
            "YAML syntax error: {detail}",
            "按提示修正该行的缩进、冒号或引号。",
            "Fix the indentation, colon or quoting on that line.",
        ),
        _code(
            "SE002",
            "empty-file",
            E,
            "文件为空",
            "the file is empty",
            "填写表单内容，或删除该文件。",
            "Fill in the form, or delete the file.",
        ),
        _code(
            "SE003",
            "not-utf8",
            E,
            "文件不是 UTF-8 编码（第 {byte} 字节无法解码）",
            "the file is not UTF-8 (byte {byte} cannot be decoded)",
            "用 UTF-8 编码另存该文件。",
            "Save the file as UTF-8.",
        ),
        _code(
            "SE004",
            "duplicate-key",
            E,
            "键“{key}”重复（首次出现在第 {first_line} 行）",
            "duplicate key '{key}' (first seen on line {first_line})",
            "删除或合并重复的键；YAML 会静默丢弃前一个值。",
            "Remove or merge the duplicate; YAML would silently drop the first value.",
        ),
        _code(
            "SE005",
            "yaml-alias",
            E,
            "不允许使用 YAML 锚点或别名（{what}）",
            "YAML anchors and aliases are not allowed ({what})",
            "把被引用的内容直接写出来。",
            "Write the referenced content out in full.",
        ),
        _code(
            "SE006",
            "non-text-key",
            E,
            "键必须是文字，这里是 {kind}（给键加上引号）",
            "keys must be text, found {kind}",
            "给键加上引号。",
            "Quote the key.",
        ),
        _code(
            "SE007",
            "bad-number",
            E,
            "数值“{text}”无法作为金额或分数使用",
            "'{text}' cannot be used as an amount or score",
            "写成普通的十进制数，如 12.50。",
            "Write a plain decimal number such as 12.50.",
        ),
        _code(
            "SE008",
            "unreadable-file",
            E,
            "无法读取文件：{detail}",
            "cannot read the file: {detail}",
            "检查路径和权限。",
            "Check the path and its permissions.",
        ),
        _code(
            "SE009",
            "limit-exceeded",
            E,
            "超出限制：{detail}",
            "limit exceeded: {detail}",
            "拆分或精简该文件；限制见 SECURITY.md。",
            "Split or shorten the file; the limits are listed in SECURITY.md.",
        ),
        _code(
            "SE010",
            "no-specs",
            E,
            "在 {path} 下没有找到表单文件（*.yaml）",
            "no spec files (*.yaml) found under {path}",
            "检查路径；以 _ 开头或以 .profile.yaml 结尾的文件不是表单。",
            "Check the path; files starting with _ or ending in .profile.yaml are not specs.",
        ),
        # --- SE1xx: schema ---------------------------------------------------------
        _code(
            "SE101",
            "unknown-key",
            E,
            "未知的键“{key}”{hint}",
            "unknown key '{key}'{hint_en}",
            "删除该键，或改成规定的键名。",
            "Remove the key or correct its name.",
        ),
        _code(
            "SE102",
            "missing-key",
            E,
            "缺少必填项“{key}”（{title}）",
            "missing required key '{key}' ({title})",
            "补上该项。",
            "Add the key.",
        ),
        _code(
            "SE103",
            "wrong-type",
            E,
            "“{key}”应为{expected}，这里是{found}",
            "'{key}' must be {expected_en}, found {found_en}",
            "按表单格式改写该值。",
            "Rewrite the value in the expected form.",
        ),
        _code(
            "SE104",
            "invalid-value",
            E,
            "“{key}”的值不符合要求：{detail}",
            "the value of '{key}' is not allowed: {detail}",
            "按说明修改该值。",
            "Change the value as described.",
        ),
        # --- SE2xx: structure and hierarchy ----------------------------------------
        _code(
            "SE201",
            "unknown-level1",
            E,
            "一级指标“{name}”不在 {profile} 的指标体系中（可用：{allowed}）",
            "first-level indicator '{name}' is not in the {profile} framework (allowed: {allowed})",
            "改用规定的一级指标名称。",
            "Use one of the framework's first-level names.",
        ),
        _code(
            "SE202",
            "level2-misplaced",
            E,
            "二级指标“{name}”不属于一级指标“{level1}”（应在：{expected}）",
            "second-level indicator '{name}' does not belong under '{level1}' (belongs under: {expected})",
            "把该组移到正确的一级指标下，或改正名称。",
            "Move the group under the right first-level indicator, or correct its name.",
        ),
        _code(
            "SE203",
            "duplicate-level3",
            E,
            "三级指标“{name}”在同一二级指标下重复",
            "third-level indicator '{name}' is repeated within the same group",
            "合并或重命名重复的指标。",
            "Merge or rename the duplicates.",
        ),
        _code(
            "SE204",
            "empty-group",
            E,
            "“{name}”下没有任何指标",
            "'{name}' holds no indicators",
            "添加指标或删除该组。",
            "Add indicators or delete the group.",
        ),
        # --- SE3xx: indicator scoring ----------------------------------------------
        _code(
            "SE301",
            "score-above-weight",
            E,
            "得分 {score} 超过分值 {weight}",
            "score {score} exceeds the weight {weight}",
            "得分不能超过分值；删除 score 让工具推算，或改正数值。",
            "A score cannot exceed its weight; remove score to derive it, or correct it.",
        ),
        _code(
            "SE302",
            "score-outside-band",
            E,
            "得分 {score} 不在“{verdict}”的区间 {low}–{high} 内",
            "score {score} lies outside the band {low}–{high} for '{verdict}'",
            "按评价结论在区间内打分，或修改实际完成值。",
            "Score within the band for the verdict, or change the actual value.",
        ),
        _code(
            "SE303",
            "score-contradicts",
            E,
            "填写的得分 {score} 与按规则算出的 {derived} 不符",
            "the written score {score} contradicts the derived score {derived}",
            "删除 score，由工具推算；已达成的指标应得满分。",
            "Remove score and let it be derived; a met target earns the full weight.",
        ),
        _code(
            "SE304",
            "score-needed",
            E,
            "无法自动评分：{reason}，请填写 score",
            "cannot derive a score: {reason}; write a score",
            "写明实际完成值的结论（达成指标/部分达成/未达成）并按区间填写 score。",
            "State a verdict in actual and write a score within its band.",
        ),
        _code(
            "SE305",
            "actual-not-measurable",
            E,
            "年度指标值“{target}”是数值，但实际完成值“{actual}”既不是数值也不是评价结论",
            "the target '{target}' is numeric but the actual '{actual}' is neither a number nor a verdict",
            "把实际完成值写成数值（如 32(次)）或结论（如 达成指标）。",
            "Write the actual as a number (32(次)) or a verdict (达成指标).",
        ),
        _code(
            "SE306",
            "unit-mismatch",
            W,
            "年度指标值单位“{target_unit}”与实际完成值单位“{actual_unit}”不同",
            "target unit '{target_unit}' differs from actual unit '{actual_unit}'",
            "统一两者的计量单位。",
            "Use the same unit for both.",
        ),
        _code(
            "SE307",
            "deviation-missing",
            E,
            "得分 {score} 低于分值 {weight}，须填写偏差原因分析及改进措施（deviation）",
            "score {score} is below the weight {weight}: deviation (偏差原因分析及改进措施) is required",
            "在 deviation 中说明未完成的原因和改进措施。",
            "Explain in deviation why the target was missed and what will change.",
        ),
        _code(
            "SE308",
            "deviation-missing-overrun",
            E,
            "实际完成值超过年度指标值的 {percent}%，须填写偏差原因分析（deviation）",
            "the actual exceeds {percent}% of the target: deviation is required",
            "说明指标值设定偏低或超额完成的原因。",
            "Explain why the target was set low or exceeded.",
        ),
        _code(
            "SE309",
            "score-below-zero",
            E,
            "得分 {score} 小于 0",
            "score {score} is below zero",
            "得分应在 0 到分值之间。",
            "A score lies between 0 and the weight.",
        ),
        # --- SE4xx: funds arithmetic -----------------------------------------------
        _code(
            "SE401",
            "executed-above-budget",
            W,
            "{row}全年执行数 {executed} 超过全年预算数 {annual}",
            "{row_en}: executed {executed} exceeds the annual budget {annual}",
            "核对执行数与预算调整；如属实，在 funds.deviation 中说明。",
            "Check the figures; if correct, explain in funds.deviation.",
        ),
        _code(
            "SE402",
            "execution-without-budget",
            E,
            "{row}全年预算数为 0，执行数却为 {executed}",
            "{row_en}: the annual budget is 0 but {executed} was executed",
            "补上全年预算数（调整后预算），或改正执行数。",
            "Enter the adjusted annual budget, or correct the executed amount.",
        ),
        _code(
            "SE403",
            "funds-deviation-missing",
            E,
            "执行率 {rate}% 低于 {threshold}%，须在 funds.deviation 中说明原因",
            "execution rate {rate}% is below {threshold}%: funds.deviation is required",
            "说明预算执行偏低的原因和改进措施。",
            "Explain the low execution and the remedy.",
        ),
        _code(
            "SE404",
            "funds-total-mismatch",
            E,
            "年度资金总额的{column} {written} 不等于三行之和 {derived}",
            "年度资金总额 {column_en} {written} is not the sum of the rows, {derived}",
            "删除 funds.total（它由三行相加得出），或改正分项金额。",
            "Remove funds.total (it is derived from the rows), or correct the rows.",
        ),
        # --- SE5xx: policy (profile) rules -----------------------------------------
        _code(
            "SE501",
            "weights-total",
            E,
            "分值合计为 {total}（预算执行 {funds} + 指标 {indicators}），应为 {expected}",
            "weights add up to {total} (budget execution {funds} + indicators {indicators}), expected {expected}",
            "调整各指标分值，使合计等于 {expected}。",
            "Adjust the weights so they add up to the total.",
        ),
        _code(
            "SE502",
            "level1-weight",
            W,
            "一级指标“{name}”分值合计 {actual}，{profile} 规定为 {expected}",
            "first-level '{name}' weighs {actual}; {profile} expects {expected}",
            "按规定调整权重；确有特殊情况请说明。",
            "Use the expected weights, or document the exception.",
        ),
        _code(
            "SE503",
            "funds-weight",
            W,
            "预算执行率分值为 {actual}，{profile} 规定为 {expected}",
            "budget execution weighs {actual}; {profile} expects {expected}",
            "按规定调整权重。",
            "Use the expected weight.",
        ),
        _code(
            "SE504",
            "unknown-profile",
            E,
            "未知的评分规则“{name}”（内置：{builtin}）",
            "unknown profile '{name}' (built in: {builtin})",
            "使用内置规则名，或指向一个 .profile.yaml 文件的相对路径。",
            "Use a built-in name or a relative path to a .profile.yaml file.",
        ),
        _code(
            "SE505",
            "invalid-profile",
            E,
            "评分规则文件无效：{detail}",
            "invalid profile file: {detail}",
            "按 schema/profile.schema.json 修正该文件。",
            "Fix the file against schema/profile.schema.json.",
        ),
        _code(
            "SE506",
            "profile-cycle",
            E,
            "评分规则的 extends 形成循环：{chain}",
            "profile extends form a cycle: {chain}",
            "去掉循环继承。",
            "Break the cycle.",
        ),
        # --- SE9xx: templates, fonts and output ------------------------------------
        _code(
            "SE901",
            "no-cjk-font",
            E,
            "系统中没有可用的中文字体，生成的 PDF 中文将显示为空框：{detail}",
            "no CJK font is available; Chinese text would print as empty boxes: {detail}",
            "安装字体：apt-get install fonts-noto-cjk（或运行 make build）。",
            "Install fonts: apt-get install fonts-noto-cjk (or run make build).",
        ),
        _code(
            "SE902",
            "glyph-missing",
            E,
            "字体缺少字符“{char}”（U+{codepoint}），PDF 中会显示为空框",
            "no font has the character '{char}' (U+{codepoint}); it would print as an empty box",
            "安装覆盖该字符的字体，或改用常用字符。",
            "Install a font that covers the character, or use a common one.",
        ),
        _code(
            "SE903",
            "template-error",
            E,
            "模板错误：{detail}",
            "template error: {detail}",
            "检查 templates/ 中的模板。",
            "Check the templates in templates/.",
        ),
        _code(
            "SE904",
            "write-error",
            E,
            "无法写出 {path}：{detail}",
            "cannot write {path}: {detail}",
            "检查磁盘空间和输出目录权限。",
            "Check free disk space and the output folder's permissions.",
        ),
        _code(
            "SE905",
            "render-error",
            E,
            "生成 PDF 失败：{detail}",
            "PDF rendering failed: {detail}",
            "检查该表单内容；如反复出现请报告问题。",
            "Check the form; report it if it persists.",
        ),
        _code(
            "SE906",
            "render-timeout",
            E,
            "生成 PDF 超过 {seconds} 秒的时间限制，已放弃该表单",
            "laying out the PDF took longer than the {seconds} s limit; the form was skipped",
            "检查该表单是否有异常长的文字；限制见 SECURITY.md（SELFEVAL_RENDER_SECONDS）。",
            "Look for abnormally long texts; the limit is in SECURITY.md (SELFEVAL_RENDER_SECONDS).",
        ),
        _code(
            "SE907",
            "render-crash",
            E,
            "生成 PDF 的进程失败：{detail}",
            "the PDF worker failed: {detail}",
            "检查该表单是否有异常大的内容；限制见 SECURITY.md（SELFEVAL_RENDER_MEMORY_MB）。",
            "Look for abnormally large content; the limit is in SECURITY.md (SELFEVAL_RENDER_MEMORY_MB).",
        ),
    )
}


@dataclass(frozen=True)
class Location:
    """Where a finding points: a file, a 1-based line and column, and a JSON path."""

    file: str
    line: int = 0
    column: int = 0
    path: tuple[str | int, ...] = ()

    @property
    def json_path(self) -> str:
        text = "$"
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else f".{part}"
        return text


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    location: Location
    message_zh: str
    message_en: str
    args: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.file, self.location.line, self.location.column, self.code)

    def to_record(self) -> dict[str, Any]:
        """Plain data (both languages) for JSON reports and the build record."""
        location = self.location
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": location.file,
            "line": location.line,
            "column": location.column,
            "path": location.json_path,
            "parts": list(location.path),
            "zh": self.message_zh,
            "en": self.message_en,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Diagnostic:
        location = Location(
            record["file"], record["line"], record["column"], tuple(record["parts"])
        )
        return cls(
            record["code"], Severity(record["severity"]), location, record["zh"], record["en"]
        )


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def make(
    code: str, location: Location, *, severity: Severity | None = None, **args: Any
) -> Diagnostic:
    """Build a diagnostic from the catalogue; ``severity`` overrides the default."""
    info = CATALOGUE[code]
    values = _Blank({key: str(value) for key, value in args.items()})
    return Diagnostic(
        code=code,
        severity=severity or info.severity,
        location=location,
        message_zh=info.zh.format_map(values),
        message_en=info.en.format_map(values),
        args=dict(args),
    )


def has_errors(
    diagnostics: list[Diagnostic] | tuple[Diagnostic, ...], strict: bool = False
) -> bool:
    return any(d.severity is Severity.ERROR or strict for d in diagnostics)


class DiagnosticError(Exception):
    """Raised inside a stage when it cannot go on; carries the findings so far."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message_en for d in diagnostics))
        self.diagnostics = diagnostics

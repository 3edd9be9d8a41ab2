"""An imported form as spec text: the layout ``selfeval new`` writes, the values the form
printed, and a comment wherever the importer could not read something or changed it.

Strings are written plain only when YAML reads them back as the same string; otherwise in
double quotes (JSON's escapes are YAML's). Numbers are written as the decimal they were
printed as (``10.00`` stays ``10.00``).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import yaml

from selfeval_compiler.importers.records import ImportedForm, ImportedIndicator, Note
from selfeval_compiler.model.amounts import AMOUNT_COLUMNS, FUND_ROWS, unit_factor
from selfeval_compiler.model.profiles import SPEC_TEXTS, Profile
from selfeval_compiler.model.spec import Indicator
from selfeval_compiler.rules.scoring import rules_score

REMARK_KEYS = tuple(
    text.removeprefix("remarks.") for text in SPEC_TEXTS if text.startswith("remarks.")
)
"""The keys of the spec's ``remarks``, in the order the schema lists them."""
FILING_KEYS = tuple(
    text.removeprefix("filing.") for text in SPEC_TEXTS if text.startswith("filing.")
)

_UNSAFE_START = set("-?:,[]{}#&*!|>'\"%@`~ ")
_UNSAFE_INSIDE = re.compile(r"[:#]\s|\s#|[\[\]{},]|^\s|\s$|: |:$")


def scalar(text: str) -> str:
    """``text`` as a YAML string scalar that reads back as exactly ``text``."""
    plain = text and text[0] not in _UNSAFE_START and "\n" not in text
    if plain and not _UNSAFE_INSIDE.search(text):
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def number(value: Decimal) -> str:
    return format(value, "f")


def _block(key: str, text: str, indent: str) -> str:
    """A long text as a block scalar (folded for one line, literal for several)."""
    if not text:
        return f'{indent}{key}: ""\n'
    lines = text.split("\n")
    if any(line.startswith((" ", "\t")) for line in lines) or not lines[0]:
        return f"{indent}{key}: {json.dumps(text, ensure_ascii=False)}\n"
    style = ">-" if len(lines) == 1 else "|-"
    body = "".join(f"{indent}  {line}\n" if line else "\n" for line in lines)
    return f"{indent}{key}: {style}\n{body}"


def _comment(text: str) -> str:
    return " ".join(text.split())


def _keeps_score(item: ImportedIndicator, profile: Profile) -> bool:
    """Whether the printed 得分 must stay in the spec: always, unless it is the full weight
    and the rules themselves find the indicator met (then it would say nothing new)."""
    if item.score is None:
        return False
    if item.weight is None or item.score != item.weight:
        return True
    probe = Indicator(
        level1=item.level1,
        level2=item.level2,
        name=item.name,
        target=item.target,
        actual=item.actual,
        weight=item.weight,
        score=None,
        deviation=None,
        path=(),
        extra=tuple(item.extra.items()),
    )
    return rules_score(probe, profile) != item.weight


def _indicator_line(item: ImportedIndicator, profile: Profile, notes: list[Note]) -> str:
    parts = [
        f"name: {scalar(item.name)}",
        f"target: {scalar(item.target)}",
        f"actual: {scalar(item.actual)}",
        f"weight: {number(item.weight) if item.weight is not None else 0}",
    ]
    if _keeps_score(item, profile) and item.score is not None:
        parts.append(f"score: {number(item.score)}")
    if item.deviation:
        parts.append(f"deviation: {scalar(item.deviation)}")
    parts += [f"{key}: {scalar(value)}" for key, value in item.extra.items()]
    line = "      - {" + ", ".join(parts) + "}"
    mine = [n for n in notes if n.row == item.row and n.field in ("indicators", "")]
    if mine:
        line += "  # " + "；".join(_comment(n.zh) for n in mine)
    return line + "\n"


def _amount(value: Decimal, factor: Decimal | None) -> str:
    if factor is None:
        return number(value)
    converted = value * factor
    return number(converted.normalize() if converted != converted.to_integral() else converted)


_AMOUNT_TITLES = {"initial": "年初预算数", "annual": "全年预算数", "executed": "全年执行数"}


def _funds(form: ImportedForm, profile: Profile, factor: Decimal | None) -> str:
    unit = profile.amount_unit
    out = f"funds:                      # 项目资金（{unit}）\n"
    total = form.funds.get("total")
    weight = None
    for key in ("total", *FUND_ROWS):
        if key in form.funds and "weight" in form.funds[key].values:
            weight = form.funds[key].values["weight"]
            break
    if weight is None:
        default = number(profile.funds_weight)
        out += f"  weight: {default}   # 表上没有印预算执行的分值，按评分规则填写\n"
    else:
        out += f"  weight: {number(weight)}\n"
    if total and total.values:
        printed = [
            f"{column}: {_amount(total.values[column], factor)}"
            for column in AMOUNT_COLUMNS
            if column in total.values
        ] + [
            f"{column}: {number(total.values[column])}"
            for column in ("rate", "score")
            if column in total.values
        ]
        out += "  total: {" + ", ".join(printed) + "}   # 表上印出的年度资金总额一行，照录待核\n"
    rows = [key for key in FUND_ROWS if key in form.funds]
    if "current_year" not in rows:
        rows.insert(0, "current_year")
    for key in rows:
        values = dict(form.funds[key].values) if key in form.funds else {}
        comment = ""
        if key not in form.funds:
            comment = "   # 表上没有这一行"
        elif "initial" not in values and "annual" in values:
            values["initial"] = values["annual"]
            comment = "   # 表上没有年初预算数一栏：按全年预算数填写，请核对"
        # A row the form prints keeps out what it did not print or could not be read: check
        # then asks for each of them (SE021), where a 0 written here would pass unnoticed.
        missed = form.funds[key].unread if key in form.funds else set()
        unread = [column for column in AMOUNT_COLUMNS if column in missed - set(values)]
        if unread:
            titles = "、".join(_AMOUNT_TITLES[column] for column in unread)
            comment += f"   # 表上没有读到{titles}：请照表补上"
        amounts = ", ".join(
            [
                f"{column}: {_amount(values.get(column, Decimal(0)), factor)}"
                for column in AMOUNT_COLUMNS
                if column not in unread
            ]
            + [f"{name}: {scalar(text)}" for name, text in _texts(form, key).items()]
        )
        out += f"  {key}: {{{amounts}}}{comment}\n"
    if form.funds_reason:
        out += _block("deviation", form.funds_reason, "  ")
    for name, text in total.texts.items() if total else ():
        out += _block(name, text, "  ")
    return out


def _texts(form: ImportedForm, key: str) -> dict[str, str]:
    """A sub-row's text columns (原因, 得分计算方法), as the form printed them."""
    return form.funds[key].texts if key in form.funds else {}


def _indicators(form: ImportedForm, profile: Profile) -> str:
    grouped: dict[str, dict[str, list[ImportedIndicator]]] = {}
    for item in form.indicators:
        level1 = item.level1 or "绩效指标"
        level2 = item.level2 or level1
        grouped.setdefault(level1, {}).setdefault(level2, []).append(item)
    if not grouped:
        return "indicators: {}   # 没有读到绩效指标\n"
    out = "indicators:\n"
    for level1, groups in grouped.items():
        out += f"  {scalar(level1)}:\n"
        for level2, items in groups.items():
            named = [item for item in items if item.name]
            if not named:
                if profile.layout.empty_rows:
                    out += f"    {scalar(level2)}: []   # 原表这一行为空\n"
                else:
                    out += f"    # {_comment(level2)}：原表这一行为空，评分规则不印空行，未写入\n"
                continue
            out += f"    {scalar(level2)}:\n"
            for item in named:
                out += _indicator_line(item, profile, form.notes)
    return out


def spec_text(
    form: ImportedForm,
    profile: Profile,
    profile_line: str | None,
    modeline: str,
    origin: str,
) -> str:
    """The spec for ``form``; ``profile_line`` is written as ``profile:`` when given."""
    factor = None
    if form.amount_unit and form.amount_unit != profile.amount_unit:
        factor = unit_factor(form.amount_unit, profile.amount_unit)
    out = modeline
    out += (
        f"# 由 selfeval import 从 {_comment(origin)} 导入。表上印出的年度资金总额、总分和评分等级\n"
    )
    out += "# 照录在 funds.total、total 和 grade 中，selfeval check 会逐一与规则算出的数字核对。\n"
    if factor is not None:
        out += (
            f"# 原表金额单位为{form.amount_unit}，已按评分规则的{profile.amount_unit}换算"
            "（精确换算，未四舍五入）。\n"
        )
    general = [n for n in form.notes if n.field != "indicators" or n.row == 0]
    if general:
        out += "# 导入时需要核对的地方：\n"
        for note in general:
            where = f"（第 {note.row} 行第 {note.column} 列）" if note.row else ""
            out += f"#   - {_comment(note.zh)}{where}\n"
    if form.year is not None:
        out += f"year: {form.year}\n"
    for key in ("project", "department", "unit"):
        code = form.codes.get(key)
        tail = f"   # 原表名称前的编码 {code}" if code else ""
        out += f"{key}: {scalar(getattr(form, key))}{tail}\n"
    if profile_line:
        out += f"profile: {scalar(profile_line)}\n"
    out += _funds(form, profile, factor)
    out += "goals:\n"
    out += _block("expected", form.expected, "  ")
    out += _block("actual", form.actual, "  ")
    if form.process:
        out += _block("process", form.process, "  ")
    out += _indicators(form, profile)
    return out + _printed_and_remarks(form)


def _printed_and_remarks(form: ImportedForm) -> str:
    """The printed 总分 and 评分等级 to check, the header and signature lines, and the rows
    after the table."""
    out = ""
    if form.total is not None:
        out += f"total: {number(form.total)}   # 表上印出的总分，照录待核\n"
    if form.grade:
        out += f"grade: {scalar(form.grade)}   # 表上印出的评分等级，照录待核\n"
    if form.filing:
        out += "filing:                     # 表头、签字栏印的内容\n"
        for key in FILING_KEYS:
            if key in form.filing:
                out += f"  {key}: {scalar(form.filing[key])}\n"
    if form.remarks:
        out += "remarks:                    # 表后各行（评价结论、存在问题…）的文字\n"
        for key in REMARK_KEYS:
            if key in form.remarks:
                out += _block(key, form.remarks[key], "  ")
    return out

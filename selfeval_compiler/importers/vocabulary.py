"""The words a form's labels may use, as patterns matched against the squeezed label (NFKC,
no whitespace), in order: the usual ones of the MoF template and the regional forms, plus
the profile's own labels (:class:`Vocabulary`)."""

from __future__ import annotations

import re

from selfeval_compiler.forms.self_evaluation import DEFAULT_INDICATOR_COLUMNS
from selfeval_compiler.importers.grid import squeeze
from selfeval_compiler.model.profiles import Labels, Layout
from selfeval_compiler.model.spec import EXTRA_COLUMNS

INDICATOR_COLUMNS = (*DEFAULT_INDICATOR_COLUMNS, *EXTRA_COLUMNS)
"""Every column an indicator table may have: the MoF eight and the optional ones."""

# Label patterns, matched against the squeezed label (NFKC, no whitespace), in order.
FUND_ROW_WORDS: tuple[tuple[str, str], ...] = (
    ("total", r"(年度)?资金总额|总额|合计|小计"),
    ("current_year", r"(其中[:：]?)?(当年|本年|年度)?财政(拨款|资金|拨款资金)"),
    ("carried_over", r"(其中[:：]?)?上年结[转余](资金)?"),
    ("special_account", r"(其中[:：]?)?财政专户(管理)?资金"),
    ("unit_funds", r"(其中[:：]?)?单位(自有)?资金"),
    ("other", r"(其中[:：]?)?其他资金"),
)
FUND_COLUMN_WORDS: tuple[tuple[str, str], ...] = (
    ("rate", r"(预算)?执行率.*"),
    ("initial", r"年初(预算)?(数|金额)?.*"),
    ("executed", r"(全年|预算|实际)?执行(数|金额)?.*|实际支出.*"),
    ("annual", r"(全年|调整后)?预算(数|金额)?.*"),
    ("weight", r"(分值|分数|权重|满分)(\(.*\))?"),
    ("score", r"得分.*"),
    ("reason", r".*原因.*|偏差.*"),
)
INDICATOR_WORDS: tuple[tuple[str, str], ...] = (
    ("level1", r"一级指标"),
    ("level2", r"二级指标"),
    ("name", r"三级指标(名称)?|指标名称"),
    ("actual", r"(全年)?实际(完成)?值.*|(实际)?完成值.*|实际完成情况"),
    ("target", r"(年度)?(指标|目标)值.*|年度目标"),
    ("weight", r"(分值|权重|满分)(\(.*\))?"),
    ("score", r"(自评)?得分(\(.*\))?"),
    ("deviation", r".*原因.*|偏差.*|.*改进措施"),
    ("nature", r"指标性质"),
    ("unit", r"(度量|计量)单位"),
    ("explanation", r"指标解释"),
    ("method", r"(得分|评分)(计算方法|标准|规则)"),
    ("remark", r"备注"),
)
TOTAL = r"总分|合计|总计|综合得分"
GRADE = r"(评分|评价|绩效)?等级|自评等级"
CODE = re.compile(
    r"^\s*(?:[\[【](\d[\dA-Za-z]*)[\]】]\s*[-－—_]?|(\d[\dA-Za-z]*)\s*[-－—_])\s*(?=\S)"
)
PLACEHOLDER = re.compile(r"^(指标\d+[:：]?|…+|\.{3,}|—+)$")
NAME_PREFIX = re.compile(r"^指标\d+[:：、.．]?(?=\S)")
CONTINUED = re.compile(r"[（(]续[）)]$")
POINTS = re.compile(r"[（(]\s*\d+(\.\d+)?\s*分\s*[）)]$")
YEAR = re.compile(r"(\d{4})\s*年度")
YEAR_LOOSE = re.compile(r"(?<!\d)((?:19|20|21)\d{2})\s*年")

_SEAL = r"(\((盖章|公章|签章)\))?"
"""``实施单位\n(盖章)``: the label of a form the unit stamps."""
IDENTITY_WORDS: tuple[tuple[str, str], ...] = (
    ("project", r"项目(支出)?名称"),
    ("department", rf"(主管|预算)部门(及代码|名称|\(单位\))?{_SEAL}"),
    ("unit", rf"(项目)?(实施|预算)单位(及代码|名称)?{_SEAL}"),
)
"""The form's identity labels, each alone in its cell or followed by a colon and its value."""
FILING_WORDS: tuple[tuple[str, str], ...] = (
    ("unit", rf"填报单位{_SEAL}"),
    ("date", r"填(报|表)日期"),
    ("person", r"填(表|报)人"),
    ("phone", r"联系电话"),
    ("project_lead", r"项目负责人"),
    ("finance_lead", r"财务负责人"),
)
"""The header and signature lines (填报单位：…, 项目负责人：…): the key under ``filing``."""
INLINE_STOPS = r"金额单位|单位|单位负责人(签字)?"
"""Other labels a line of ``label：value`` pairs may hold: where a value before them ends."""

TEXT_COLUMNS = ("reason", "method")
"""The funds table's text columns (原因, 得分计算方法) a profile may list: read as each row's
``reason`` / ``method`` (the total row's as ``funds.reason`` / ``funds.method``); without
them, a 原因 column is the funds' 偏差原因分析 (``funds.deviation``)."""

GOALS_LABEL = r"(年度)?(总体)?(绩效)?目标(完成情况)?|年度总体目标|项目基本情况"
GOALS_PARTS: tuple[tuple[str, str], ...] = (
    ("expected", r"预期目标|年初(设定)?目标|(项目)?年度(绩效)?目标"),
    ("actual", r"实际完成(情况|值)?|(全年)?实际完成情况|(目标)?完成情况"),
    ("process", r"(项目)?实施内容(及|和)?(过程)?(概述|情况)?|(项目)?实施过程(概述)?"),
)
"""The parts of the goals block: side by side under their labels, or a row each."""

TRAILER_WORDS: tuple[tuple[str, str], ...] = (
    ("conclusion", r"(自评|评价)结论"),
    ("problems", r"存在(的)?问题"),
    ("measures", r"改进(措施|意见|建议)"),
    ("deviation_analysis", r"偏差大或目标未完成原因分析|(偏差|目标未完成)原因分析"),
    ("review", r"(财政部门)?审核意见"),
)
"""Rows after the indicator table, each a label and its text: the key under ``remarks``."""


class Vocabulary:
    """The words a form's labels may use: the usual ones, and the profile's own labels."""

    def __init__(self, labels: Labels | None = None, layout: Layout | None = None) -> None:
        self.fund_rows = list(FUND_ROW_WORDS)
        self.fund_columns = list(FUND_COLUMN_WORDS)
        self.indicator_columns = list(INDICATOR_WORDS)
        self.goals_parts = list(GOALS_PARTS)
        self.trailer = list(TRAILER_WORDS)
        if labels is not None and layout is not None:  # the funds table's text columns
            self.fund_columns[:0] = [
                (f"{column}_text", re.escape(squeeze(getattr(labels, f"funds_{column}"))))
                for column in TEXT_COLUMNS
                if column in layout.funds_columns
            ]
        if layout is not None:  # the profile's own trailer rows: label → remarks key
            self.trailer[:0] = [
                (line.text.removeprefix("remarks."), re.escape(squeeze(line.label)))
                for line in layout.trailer_rows
                if line.text and line.text.startswith("remarks.")
            ]
        if labels is not None:
            exact = re.escape
            self.fund_rows[:0] = [
                (key, exact(squeeze(getattr(labels, name))))
                for key, name in (
                    ("total", "funds_total"),
                    ("current_year", "current_year"),
                    ("carried_over", "carried_over"),
                    ("other", "other"),
                    ("special_account", "special_account"),
                    ("unit_funds", "unit_funds"),
                )
            ]
            self.goals_parts[:0] = [
                (key, re.escape(squeeze(getattr(labels, key))))
                for key in ("expected", "actual", "process")
                if hasattr(labels, key)
            ]
            self.indicator_columns[:0] = [
                (key, exact(squeeze(getattr(labels, name))))
                for key, name in (
                    ("target", "target"),
                    ("actual", "actual_value"),
                    ("deviation", "deviation"),
                )
            ]

    @staticmethod
    def kind(label: str, words: list[tuple[str, str]]) -> str | None:
        label = label.rstrip(":：")
        for kind, pattern in words:
            if label and re.fullmatch(pattern, label):
                return kind
        return None


def matches(label: str, pattern: str) -> bool:
    return bool(re.fullmatch(pattern, label))

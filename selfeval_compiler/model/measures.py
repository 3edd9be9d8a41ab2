"""Reading 年度指标值 and 实际完成值: a comparison with a number and unit, a verdict, or text.

The text is always printed as the unit wrote it; this module only says what it means.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

GREATER_EQUAL, LESS_EQUAL, EQUAL, GREATER, LESS, NONE = ">=", "<=", "=", ">", "<", ""

_PREFIX_WORDS = {
    "不低于": GREATER_EQUAL,
    "不少于": GREATER_EQUAL,
    "大于等于": GREATER_EQUAL,
    "至少": GREATER_EQUAL,
    "不高于": LESS_EQUAL,
    "不超过": LESS_EQUAL,
    "不多于": LESS_EQUAL,
    "小于等于": LESS_EQUAL,
    "至多": LESS_EQUAL,
    "大于": GREATER,
    "高于": GREATER,
    "小于": LESS,
    "低于": LESS,
    "等于": EQUAL,
}
_SUFFIX_WORDS = {
    "以上": GREATER_EQUAL,
    "及以上": GREATER_EQUAL,
    "以下": LESS_EQUAL,
    "及以下": LESS_EQUAL,
    "以内": LESS_EQUAL,
}
_SYMBOLS = {
    ">=": GREATER_EQUAL,
    "≥": GREATER_EQUAL,
    "=>": GREATER_EQUAL,
    "<=": LESS_EQUAL,
    "≤": LESS_EQUAL,
    "=<": LESS_EQUAL,
    "==": EQUAL,
    "=": EQUAL,
    ">": GREATER,
    "<": LESS,
}

_UNIT = r"[^\W\d_]{1,4}?[23]?"
"""One unit: up to four letters (个, 平方米, km), with the 2 or 3 that NFKC leaves of ㎡ and m³.
A compound unit is two of them with a slash (元/平方米, 次/年)."""

_PATTERN = re.compile(
    r"^(?P<cmp>>=|<=|=>|=<|==|[≥≤=><]|"
    + "|".join(sorted(_PREFIX_WORDS, key=len, reverse=True))
    + r")?\s*(?P<num>[+-]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+))\s*"
    r"(?:\((?P<punit>[^()\d][^()]{0,11})\)|(?P<unit>%|‰|" + _UNIT + r"(?:/" + _UNIT + r")?))?\s*"
    r"(?P<suffix>" + "|".join(sorted(_SUFFIX_WORDS, key=len, reverse=True)) + r")?$"
)


@dataclass(frozen=True)
class Quantity:
    comparator: str
    value: Decimal
    unit: str


@dataclass(frozen=True)
class Verdict:
    kind: str  # "met", "partial" or "unmet"


@dataclass(frozen=True)
class Text:
    text: str


Measure = Quantity | Verdict | Text


def normalize(text: str) -> str:
    """Full-width forms folded (（%）→ (%)), spaces removed: for comparing, never for printing."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split())


def parse_quantity(text: str) -> Quantity | None:
    match = _PATTERN.match(normalize(text))
    if not match:
        return None
    comparator = _SYMBOLS.get(match["cmp"] or "", _PREFIX_WORDS.get(match["cmp"] or "", NONE))
    if match["suffix"]:
        if comparator != NONE:
            return None
        comparator = _SUFFIX_WORDS[match["suffix"]]
    unit = (match["punit"] or match["unit"] or "").strip()
    return Quantity(comparator, Decimal(match["num"].replace(",", "")), unit)


def comparator_of(nature: str) -> str | None:
    """The comparator a 指标性质 cell states (=, ≥, ≤, >, <, 不低于…), or ``None`` (定性)."""
    clean = normalize(nature)
    return _SYMBOLS.get(clean) or _PREFIX_WORDS.get(clean)


def parse_verdict(
    text: str, met: tuple[str, ...], partial: tuple[str, ...], unmet: tuple[str, ...]
) -> Verdict | None:
    """Unmet and partial verdicts match by prefix (未达成…, 部分达成…), met ones exactly."""
    clean = normalize(text)
    if clean.startswith(_normalized(unmet)):
        return Verdict("unmet")
    if clean.startswith(_normalized(partial)):
        return Verdict("partial")
    if clean in _normalized(met):
        return Verdict("met")
    return None


@lru_cache(maxsize=64)
def _normalized(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normalize(word) for word in words)


def is_met(actual: Decimal, comparator: str, target: Decimal) -> bool:
    """Whether ``actual`` satisfies the target; with no comparator a zero target means "none"."""
    if comparator == GREATER_EQUAL:
        return actual >= target
    if comparator == GREATER:
        return actual > target
    if comparator == LESS_EQUAL:
        return actual <= target
    if comparator == LESS:
        return actual < target
    if comparator == EQUAL:
        return actual == target
    return actual <= target if target == 0 else actual >= target

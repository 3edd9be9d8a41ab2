"""A grid to the forms it holds, found by their labels, never by fixed cells.

Each block is found by its label (项目名称, 项目资金, 年度总体目标, 一级指标, 总分, 评分等级) and
each value by the header it stands under, so a form shifted by a title row, an extra column
or a repeated header on its second page reads the same. The words are the usual ones of the
MoF template and the regional forms (the patterns below), plus the profile's own labels.

What the form printed is kept as printed: the 年度资金总额 row, 总分 and 评分等级 become the
spec's printed-figure fields, and each indicator's 得分 is kept where the rules would not
give it by themselves, so ``selfeval check`` shows where the published arithmetic differs.
Whatever cannot be read becomes a :class:`Note` (a comment in the spec and a line in the
report), never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from selfeval_compiler.forms.self_evaluation import DEFAULT_INDICATOR_COLUMNS
from selfeval_compiler.importers.grid import Cell, Grid, not_applicable, number_text, squeeze
from selfeval_compiler.model.amounts import AMOUNT_COLUMNS
from selfeval_compiler.model.profiles import Labels
from selfeval_compiler.model.spec import EXTRA_COLUMNS

HUNDRED = Decimal(100)
ZERO = Decimal(0)

INDICATOR_COLUMNS = (*DEFAULT_INDICATOR_COLUMNS, *EXTRA_COLUMNS)
"""Every column an indicator table may have: the MoF eight and the optional ones."""

# Label patterns, matched against the squeezed label (NFKC, no whitespace), in order.
_FUND_ROW_WORDS: tuple[tuple[str, str], ...] = (
    ("total", r"(年度)?资金总额|总额|合计|小计"),
    ("current_year", r"(其中[:：]?)?(当年|本年|年度)?财政(拨款|资金|拨款资金)"),
    ("carried_over", r"(其中[:：]?)?上年结[转余](资金)?"),
    ("special_account", r"(其中[:：]?)?财政专户(管理)?资金"),
    ("unit_funds", r"(其中[:：]?)?单位(自有)?资金"),
    ("other", r"(其中[:：]?)?其他资金"),
)
_FUND_COLUMN_WORDS: tuple[tuple[str, str], ...] = (
    ("rate", r"(预算)?执行率.*"),
    ("initial", r"年初(预算)?(数|金额)?.*"),
    ("executed", r"(全年|预算|实际)?执行(数|金额)?.*|实际支出.*"),
    ("annual", r"(全年|调整后)?预算(数|金额)?.*"),
    ("weight", r"(分值|分数|权重|满分)(\(.*\))?"),
    ("score", r"得分.*"),
    ("reason", r".*原因.*|偏差.*"),
)
_INDICATOR_WORDS: tuple[tuple[str, str], ...] = (
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
_TOTAL = r"总分|合计|总计|综合得分"
_GRADE = r"(评分|评价|绩效)?等级|自评等级"
_CODE = re.compile(
    r"^\s*(?:[\[【](\d[\dA-Za-z]*)[\]】]\s*[-－—_]?|(\d[\dA-Za-z]*)\s*[-－—_])\s*(?=\S)"
)
_PLACEHOLDER = re.compile(r"^(指标\d+|…+|\.{3,}|—+)$")
_NAME_PREFIX = re.compile(r"^指标\d+[:：、.．]?(?=\S)")
_CONTINUED = re.compile(r"[（(]续[）)]$")
_POINTS = re.compile(r"[（(]\s*\d+(\.\d+)?\s*分\s*[）)]$")
_YEAR = re.compile(r"(\d{4})\s*年度")
_YEAR_LOOSE = re.compile(r"(?<!\d)((?:19|20|21)\d{2})\s*年")


@dataclass(frozen=True)
class Note:
    """Something the importer could not read as it stands, or changed: where (row and
    column in the grid, 1-based, 0 when not tied to a cell) and what, in both languages."""

    row: int
    column: int
    zh: str
    en: str
    field: str = ""
    """The spec field it concerns (a comment goes beside it), or "" for the whole form."""


@dataclass
class Amounts:
    values: dict[str, Decimal] = field(default_factory=dict)
    bare_rate: bool = False
    """执行率 printed as a bare number of 1.5 or less under a header without (%): a fraction
    or a tiny percentage, decided by :func:`_resolve_rates`."""


@dataclass
class ImportedIndicator:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: Decimal | None
    score: Decimal | None
    deviation: str
    extra: dict[str, str]
    row: int


@dataclass
class ImportedForm:
    source: str
    first_row: int
    year: int | None = None
    project: str = ""
    department: str = ""
    unit: str = ""
    codes: dict[str, str] = field(default_factory=dict)
    amount_unit: str | None = None
    funds: dict[str, Amounts] = field(default_factory=dict)
    funds_reason: str = ""
    expected: str = ""
    actual: str = ""
    indicators: list[ImportedIndicator] = field(default_factory=list)
    total_weight: Decimal | None = None
    total: Decimal | None = None
    grade: str | None = None
    notes: list[Note] = field(default_factory=list)

    def note(self, cell: Cell | None, zh: str, en: str, field_name: str = "") -> None:
        row, column = (cell.row + 1, cell.column + 1) if cell else (0, 0)
        self.notes.append(Note(row, column, zh, en, field_name))


class Vocabulary:
    """The words a form's labels may use: the usual ones, and the profile's own labels."""

    def __init__(self, labels: Labels | None = None) -> None:
        self.fund_rows = list(_FUND_ROW_WORDS)
        self.fund_columns = list(_FUND_COLUMN_WORDS)
        self.indicator_columns = list(_INDICATOR_WORDS)
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


def _is(label: str, pattern: str) -> bool:
    return bool(re.fullmatch(pattern, label))


class _Reader:
    def __init__(self, grid: Grid, start: int, end: int, words: Vocabulary) -> None:
        self.grid = grid
        self.start, self.end = start, end
        self.words = words
        self.rows = [(row, cells) for row, cells in grid.rows() if start <= row < end]
        self.form = ImportedForm(grid.source, start + 1)

    def find(self, pattern: str) -> Cell | None:
        for _, cells in self.rows:
            for cell in cells:
                if _is(cell.label, pattern):
                    return cell
        return None

    def right_of(self, cell: Cell) -> Cell | None:
        return next((o for o in self.grid.anchored(cell.row) if o.column > cell.last_column), None)

    def under(self, header: Cell, row: int) -> Cell | None:
        """The cell anchored in ``row`` that stands under ``header``."""
        return next((cell for cell in self.grid.anchored(row) if cell.overlaps(header)), None)

    def kinds(
        self, row: int, words: list[tuple[str, str]], skip: Cell | None = None
    ) -> dict[str, Cell]:
        """The header cells of ``row``: each kind of column ``words`` names, first one wins."""
        found: dict[str, Cell] = {}
        for cell in self.grid.anchored(row):
            kind = Vocabulary.kind(cell.label, words) if cell is not skip else None
            if kind and kind not in found:
                found[kind] = cell
        return found


def _strip_code(text: str) -> tuple[str, str | None]:
    match = _CODE.match(text)
    if match and len(text) > match.end():
        return text[match.end() :].strip(), match.group(1) or match.group(2)
    return text.strip(), None


def _value_after(reader: _Reader, pattern: str) -> tuple[Cell | None, str]:
    """A label's value: the cell right of it, or the text after a colon in the label cell."""
    for _, cells in reader.rows:
        for cell in cells:
            label = cell.label
            match = re.fullmatch(rf"({pattern})[:：](.+)", label)
            if match:
                return cell, cell.text.split("：" if "：" in cell.text else ":", 1)[1].strip()
            if _is(label, rf"({pattern})[:：]?"):
                value = reader.right_of(cell)
                return value, value.text.strip() if value else ""
    return None, ""


def _identity(reader: _Reader) -> None:
    form = reader.form
    for key, pattern in (
        ("project", r"项目名称"),
        ("department", r"(主管|预算)部门(及代码|名称|\(单位\))?"),
        ("unit", r"(项目)?(实施|预算)单位(及代码|名称)?"),
    ):
        cell, text = _value_after(reader, pattern)
        name, code = _strip_code(text)
        if cell is None or not name:
            form.note(cell, f"没有读到{_TITLES[key]}", f"no {key} found", key)
        if code:
            form.codes[key] = code
        setattr(form, key, name)


_TITLES = {
    "project": "项目名称",
    "department": "主管部门",
    "unit": "实施单位",
    "year": "年度",
    "expected": "预期目标",
    "actual": "实际完成情况",
}


def _year(reader: _Reader, title_lines: list[str]) -> None:
    texts = [*title_lines]
    for _, cells in reader.rows:
        if any(cell.label.startswith("项目名称") for cell in cells):
            break
        texts += [cell.text for cell in cells]
    for pattern in (_YEAR, _YEAR_LOOSE):
        for text in texts:
            match = pattern.search(squeeze(text))
            if match:
                reader.form.year = int(match.group(1))
                return
    reader.form.note(None, "表上没有印年度，请补上 year", "no year printed; add year", "year")


def read_form(
    grid: Grid, start: int, end: int, words: Vocabulary, title_lines: list[str]
) -> ImportedForm:
    """The form in rows ``start``..``end`` of ``grid``."""
    reader = _Reader(grid, start, end, words)
    _year(reader, title_lines)
    _identity(reader)
    _funds(reader, title_lines)
    _goals(reader)
    _indicators(reader)
    _printed_weights(reader.form)
    return reader.form


def form_starts(grid: Grid) -> list[int]:
    """The first row of each form in a grid: each 项目名称 label, moved up to the title
    rows printed just above it."""
    starts: list[int] = []
    previous_end = 0
    for row, cells in grid.rows():
        if any(_is(cell.label, r"项目名称([:：].*)?") for cell in cells):
            start = row
            for above in range(row - 1, previous_end - 1, -1):
                texts = [c.label for c in grid.anchored(above)]
                if not any(texts) or any(
                    "自评表" in t or _YEAR.search(t) or "单位" in t or "附件" in t for t in texts
                ):
                    start = above
                else:
                    break
            while start < row and not any(c.label for c in grid.covering_row(start)):
                start += 1  # blank rows between forms belong to neither
            starts.append(start)
            previous_end = row + 1
    return starts


# --- 项目资金 ---------------------------------------------------------------------------


def _unit_of(text: str) -> str | None:
    if "万元" in text:
        return "万元"
    if re.search(r"[（(:：]元[）)]?|单位[:：]?元", text):
        return "元"
    return None


def _funds(reader: _Reader, title_lines: list[str]) -> None:
    form = reader.form
    label = reader.find(r"(项目)?资金(情况)?(\(.*\))?|项目资金.*|预算执行(情况)?(\(.*\))?")
    if label is None:
        form.note(None, "没有找到项目资金表", "no funds table found", "funds")
        return
    form.amount_unit = _unit_of(label.label) or _unit_above(reader, title_lines)
    found = _funds_header(reader, label)
    if found is None:
        form.note(
            label, "项目资金表没有表头（年初预算数、全年预算数…）", "no funds header", "funds"
        )
        return
    header_row, headers = found
    last = max(label.last_row, header_row + 1)
    for row in range(header_row + 1, min(last + 6, reader.end)):
        kinds = (
            Vocabulary.kind(c.label, reader.words.fund_rows) for c in reader.grid.anchored(row)
        )
        kind = next((k for k in kinds if k), None)
        if kind is None and row > last:
            break
        if kind is not None and kind not in form.funds:
            form.funds[kind] = _fund_row(reader, row, headers)
    _resolve_rates(form)
    _total_only(form)


def _total_only(form: ImportedForm) -> None:
    """A layout that prints one funds row (年度财政资金总额) states the money there: it is
    the spec's one row, and only its rate and score stay as printed figures to check."""
    total = form.funds.get("total")
    if total is None or len(form.funds) > 1:
        return
    amounts = {k: v for k, v in total.values.items() if k in AMOUNT_COLUMNS}
    form.funds["current_year"] = Amounts(amounts)
    total.values = {k: v for k, v in total.values.items() if k not in amounts}


def _unit_above(reader: _Reader, title_lines: list[str]) -> str | None:
    """金额单位：万元 printed above the table."""
    for text in [*title_lines, *(c.text for _, cells in reader.rows[:4] for c in cells)]:
        match = re.search(r"(金额)?单位[:：]\s*(万元|元)", squeeze(text))
        if match:
            return match.group(2)
    return None


def _funds_header(reader: _Reader, label: Cell) -> tuple[int, dict[str, Cell]] | None:
    """The row of 年初预算数 / 全年预算数 / … : the label's own row or the next."""
    for row in range(label.row, min(label.row + 2, reader.end)):
        found = reader.kinds(row, reader.words.fund_columns, skip=label)
        if len(found) >= 3:
            return row, found
    return None


def _fund_row(reader: _Reader, row: int, headers: dict[str, Cell]) -> Amounts:
    amounts = Amounts()
    for column, header in headers.items():
        cell = reader.under(header, row)
        if cell is None:
            continue
        if column == "reason":
            if cell.text and not not_applicable(cell.text):
                reader.form.funds_reason = cell.text
            continue
        value = _amount(reader.form, cell, column)
        if value is not None:
            amounts.values[column] = value
            if column == "rate":
                amounts.bare_rate = _bare_rate(cell, header, value)
    return amounts


def _bare_rate(cell: Cell, header: Cell, value: Decimal) -> bool:
    return "%" not in cell.text and "%" not in header.label and value <= Decimal("1.5")


def _amount(form: ImportedForm, cell: Cell, column: str) -> Decimal | None:
    if not_applicable(cell.text):
        return ZERO if column in AMOUNT_COLUMNS else None
    if column in AMOUNT_COLUMNS and cell.value is not None:
        return _tidy(cell.value, cell.text)
    parsed = number_text(cell.text)
    if parsed is None:
        form.note(
            cell, f"“{cell.text[:40]}”不是数字", f"'{cell.text[:40]}' is not a number", "funds"
        )
        return None
    return parsed[0]


def _tidy(value: Decimal, shown: str) -> Decimal:
    """A stored amount to at most six decimal places (a double's tail dropped), with at
    least the places its display format shows (14 shown as 14.00 stays 14.00)."""
    if value.adjusted() > 15:
        return value  # beyond any budget: written as stored, for check to bound (SE012)
    rounded = value.quantize(Decimal("0.000001")).normalize()
    places = len(shown.split(".", 1)[1].rstrip("%")) if "." in shown else 0
    exponent = int(rounded.as_tuple().exponent)
    if exponent > -places:
        return rounded.quantize(Decimal(1).scaleb(-places))
    return rounded


def _resolve_rates(form: ImportedForm) -> None:
    """A bare 执行率 of 1.5 or less under a header without (%) is either a fraction or a tiny
    percentage: the one nearer to 执行数 ÷ 预算数 wins."""
    for amounts in form.funds.values():
        bare = amounts.values.get("rate")
        if bare is None or not amounts.bare_rate:
            continue
        annual = amounts.values.get("annual") or ZERO
        executed = amounts.values.get("executed") or ZERO
        ratio = executed / annual * HUNDRED if annual else ZERO
        as_fraction = bare * HUNDRED
        amounts.values["rate"] = (
            as_fraction if abs(as_fraction - ratio) < abs(bare - ratio) else bare
        ).normalize()


# --- 年度总体目标 --------------------------------------------------------------------------


def _goals(reader: _Reader) -> None:
    form = reader.form
    label = reader.find(r"(年度)?(总体)?(绩效)?目标(完成情况)?|年度总体目标")
    if label is None:
        form.note(None, "没有找到年度总体目标", "no 年度总体目标 found", "goals")
        return
    expected = actual = None
    for row in range(label.row, label.last_row + 1):
        for cell in reader.grid.anchored(row):
            if cell is label:
                continue
            if _is(cell.label, r"预期目标|年初(设定)?目标|年度目标"):
                expected = cell
            elif _is(cell.label, r"实际完成(情况|值)?|(全年)?实际完成情况|完成情况"):
                actual = cell
    if expected is None and actual is None:
        value = reader.right_of(label)
        form.expected = value.block if value else ""
        form.note(label, "年度总体目标只有一栏，已作为预期目标", "one goals cell", "goals")
        return
    for key, header in (("expected", expected), ("actual", actual)):
        text = ""
        if header is not None:
            below = reader.under(header, header.last_row + 1)
            text = below.block if below else ""
        setattr(form, key, _unquote(text))
        if not text:
            form.note(header, f"{_TITLES[key]}为空", f"{key} is empty", "goals")


def _unquote(text: str) -> str:
    """Excel copy-paste leaves a multi-line text wrapped in one pair of straight quotes."""
    if len(text) > 1 and text.startswith('"') and text.endswith('"'):
        return text[1:-1].strip()
    return text


# --- 绩效指标 -----------------------------------------------------------------------------


def _is_header(columns: dict[str, Cell]) -> bool:
    return "level1" in columns and ("name" in columns or "level2" in columns)


def _indicators(reader: _Reader) -> None:
    form = reader.form
    columns: dict[str, Cell] = {}
    level1 = level2 = ""
    for row, cells in reader.rows:
        found = reader.kinds(row, reader.words.indicator_columns)
        if _is_header(found):
            columns = found
            continue
        if not columns or all(not cell.label for cell in cells):
            continue  # before the table, or a blank row (a rule, a spacer)
        labels = [c.label for c in cells]
        if any(_is(label, _GRADE) for label in labels):
            grade_cell = next(c for c in cells if _is(c.label, _GRADE))
            value = reader.right_of(grade_cell)
            form.grade = value.text.strip() if value and value.text.strip() else None
            if not any(_is(label, _TOTAL) for label in labels):
                continue
        first = next((cell for cell in cells if cell.label), None)
        if first is not None and _is(first.label, _TOTAL):
            _total_row(reader, row, columns)
            continue
        item = _indicator_row(reader, row, columns, level1, level2)
        if item is not None:
            level1, level2 = item.level1, item.level2
            if item.name or not any(i.level2 == item.level2 for i in form.indicators):
                form.indicators.append(item)
    if not columns:
        form.note(
            None, "没有找到绩效指标表（一级指标、二级指标…）", "no indicator table", "indicators"
        )


def _printed_weights(form: ImportedForm) -> None:
    """The 分值 the 总分 row prints, against the weights written above it (the indicators' and
    the budget execution's): a form whose own sum is off says so in a note (the spec has no
    field for it; check then reports the weights themselves)."""
    if form.total_weight is None:
        return
    indicators = sum((i.weight for i in form.indicators if i.weight is not None), ZERO)
    funds = next((a.values["weight"] for a in form.funds.values() if "weight" in a.values), ZERO)
    if form.total_weight != indicators + funds:
        form.note(
            None,
            f"总分一行印的分值 {form.total_weight} 与各项分值之和 {indicators + funds} 不符",
            f"the 总分 row prints weights of {form.total_weight}, the rows sum to"
            f" {indicators + funds}",
            "indicators",
        )


def _total_row(reader: _Reader, row: int, columns: dict[str, Cell]) -> None:
    form = reader.form
    for key in ("weight", "score"):
        header = columns.get(key)
        cell = reader.under(header, row) if header else None
        parsed = number_text(cell.text) if cell else None
        if parsed is not None:
            if key == "weight":
                form.total_weight = parsed[0]
            else:
                form.total = parsed[0]
    if form.total is None:
        numbers = [number_text(c.text) for c in reader.grid.anchored(row) if c.text]
        values = [n[0] for n in numbers if n is not None]
        if values:
            form.total = values[-1]


def _text_at(reader: _Reader, row: int, header: Cell | None, spanning: bool = False) -> str:
    if header is None:
        return ""
    for cell in reader.grid.covering_row(row):
        if cell.overlaps(header) and (spanning or cell.row == row):
            return cell.text.strip()
    return ""


def _level_label(text: str) -> str:
    text = _CONTINUED.sub("", re.sub(r"\s+", "", text))
    return _POINTS.sub("", text)


def _indicator_row(
    reader: _Reader, row: int, columns: dict[str, Cell], level1: str, level2: str
) -> ImportedIndicator | None:
    form = reader.form
    texts = {key: _text_at(reader, row, columns.get(key)) for key in INDICATOR_COLUMNS}
    texts["level1"] = _level_label(_text_at(reader, row, columns.get("level1"), True)) or level1
    texts["level2"] = _level_label(_text_at(reader, row, columns.get("level2"), True)) or level2
    name_cell = reader.under(columns["name"], row) if "name" in columns else None
    name = texts["name"]
    rest = [texts[k] for k in ("target", "actual", "weight", "score", "deviation")]
    if not name or _PLACEHOLDER.match(name):
        if any(text and not not_applicable(text) for text in rest):
            form.note(
                name_cell, "一行指标没有三级指标名称，未导入", "a row without a name", "indicators"
            )
            return None
        # An empty template row: kept as an empty 二级 group, printed where the layout does.
        return ImportedIndicator(
            texts["level1"], texts["level2"], "", "", "", None, None, "", {}, row + 1
        )
    prefix = _NAME_PREFIX.match(name)
    if prefix:
        form.note(
            name_cell,
            f"三级指标名称前的“{prefix.group(0)}”是模板序号，已去掉",
            f"template number '{prefix.group(0)}' removed from the name",
            "indicators",
        )
        name = name[prefix.end() :]
    numbers: dict[str, Decimal | None] = {}
    for key in ("weight", "score"):
        text = texts[key]
        parsed = number_text(text) if text and not not_applicable(text) else None
        if text and not not_applicable(text) and parsed is None:
            form.note(
                name_cell, f"{name}：{key}“{text[:30]}”不是数字", f"{name}: bad {key}", "indicators"
            )
        numbers[key] = parsed[0] if parsed else None
    if numbers["weight"] is None:
        form.note(name_cell, f"{name}：没有读到分值", f"{name}: no weight", "indicators")
    extra = {
        key: texts[key] for key in EXTRA_COLUMNS if texts[key] and not not_applicable(texts[key])
    }
    deviation = texts["deviation"] if not not_applicable(texts["deviation"]) else ""
    return ImportedIndicator(
        level1=texts["level1"],
        level2=texts["level2"],
        name=name,
        target=texts["target"],
        actual=texts["actual"],
        weight=numbers["weight"],
        score=numbers["score"],
        deviation=deviation,
        extra=extra,
        row=row + 1,
    )


def read_forms(grid: Grid, words: Vocabulary) -> list[ImportedForm]:
    """Every form in one grid, top to bottom."""
    starts = form_starts(grid)
    if not starts:
        return []
    ends = [*starts[1:], grid.height]
    forms = [
        read_form(grid, s, e, words, grid.title_lines) for s, e in zip(starts, ends, strict=True)
    ]
    # A 项目名称 column over a list of projects (a 清单 or 汇总表 sheet) is not a form.
    return [form for form in forms if form.funds or form.indicators]

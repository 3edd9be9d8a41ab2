"""What a change does to the forms: two versions of a spec tree, derived, compared figure by figure.

A reviewer wants "全年执行数 13.33 → 20.00, 执行率 44.43 → 66.66, 总分 94.44 → 96.66", not a
YAML diff. Each version is compiled in full (defaults and profiles included), each spec as the
form its stage names, and every input and derived figure of each project is compared: a
自评表's figures, a 申报表's amounts, dates and targets, and the form itself when a spec moved
from one stage to the other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import PurePosixPath

from selfeval_compiler.diagnostics import Diagnostic
from selfeval_compiler.diff.department import department_facts
from selfeval_compiler.forms.department import present_department
from selfeval_compiler.forms.goals import GoalLine, GoalsPresentation, present_goals
from selfeval_compiler.forms.self_evaluation import SelfEvaluationForm, flat, present
from selfeval_compiler.model.profiles import Labels
from selfeval_compiler.rules.compiler import CompiledSpec
from selfeval_compiler.rules.department import DepartmentForm
from selfeval_compiler.rules.goals import GoalsForm
from selfeval_compiler.rules.scoring import ScoredForm

Printed = ScoredForm | GoalsForm | DepartmentForm
FORM_LABEL = "表"


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    value: str
    derived: bool


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None
    new: str | None
    derived: bool


@dataclass(frozen=True)
class ProjectDiff:
    status: str
    """added, removed, renamed, changed, unchanged, or failed (a version has errors)."""
    project: str
    old_path: str | None
    new_path: str | None
    changes: tuple[Change, ...] = ()
    old_total: str | None = None
    new_total: str | None = None
    old_grade: str | None = None
    new_grade: str | None = None

    @property
    def grade_changed(self) -> bool:
        return None not in (self.old_grade, self.new_grade) and self.old_grade != self.new_grade


@dataclass
class Version:
    """One side of a diff: its label and its compiled specs by repository-relative path,
    and the bytes of those that are readable regular files (renames are matched by them)."""

    label: str
    specs: dict[PurePosixPath, CompiledSpec]
    contents: dict[PurePosixPath, bytes]
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        found = list(self.problems)
        for compiled in self.specs.values():
            found.extend(compiled.diagnostics)
        return sorted(found, key=lambda d: d.sort_key)

    @property
    def has_errors(self) -> bool:
        return any(d.severity.value == "error" for d in self.diagnostics)


@dataclass
class DiffReport:
    old: Version
    new: Version
    projects: list[ProjectDiff]

    def count(self, status: str) -> int:
        return sum(p.status == status for p in self.projects)


AMOUNT_UNIT_LABEL = "金额单位"
LABEL_LABEL = "标签"
YEAR_LINE_LABEL = "年度行"
BLANK_ROW_LABEL = "空行"
BLANK_ROW = "空白"
ROW_LABEL = "行"
ORDER_LABEL = "指标顺序"
FUNDS_COLUMNS_LABEL = "资金表栏目"
FUNDS_ROWS_LABEL = "资金表行"
INDICATOR_COLUMNS_LABEL = "指标表栏目"
NOT_APPLICABLE_LABEL = "无数字的格"
HEADER_LABEL = "表头"
SIGNATURE_LABEL = "签字栏"
FOOTNOTE_LABEL = "表注"
PAGE_NUMBERS_LABEL = "页码"
ROWS_LABEL = "表的各行"
GOALS_SHAPE_LABEL = "目标排法"
COST_COLUMNS_LABEL = "成本构成表栏目"
FOOTER_LABEL = "表尾"
COLUMN_LABEL = "一列"
BLOCKS_LABEL = "表的各块"
GOALS_LAYOUT_LABEL = "年度总体目标的排法"
HEADING_LABEL = "指标块的标题"
NUMBER_LABEL = "编号"
CELLS_LABEL = "照印的格"
PAGE_NUMBER_FORMAT_LABEL = "页码格式"
PAGE_NUMBERS_SHOWN = {"always": "有", "never": "无", "auto": "超过一页时有"}
LABEL_NAMES = tuple(item.name for item in fields(Labels))


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _shown(old: str | None, new: str | None, limit: int = 40) -> tuple[str | None, str | None]:
    """Two long texts as the report shows them: cut short, and where the cut would hide the
    difference, the part around the first character that differs."""
    if old is None or new is None:
        return (None if old is None else _short(old), None if new is None else _short(new))
    short_old, short_new = _short(old), _short(new)
    if short_old != short_new:
        return short_old, short_new
    one, two = " ".join(old.split()), " ".join(new.split())
    first = next((i for i, (a, b) in enumerate(zip(one, two, strict=False)) if a != b), None)
    if first is None:
        first = min(len(one), len(two))
    start = max(0, first - limit // 4)
    return ("…" + _short(one[start:], limit), "…" + _short(two[start:], limit))


def facts(printed: Printed) -> Iterator[Fact]:
    """Every figure and text a form prints, inputs and derived ones, labelled as the form
    prints them: a reviewer is never told "unchanged" while anything printed differs."""
    if isinstance(printed, GoalsForm):
        yield from goals_printed_facts(present_goals(printed))
        return
    if isinstance(printed, DepartmentForm):
        yield from (Fact(*fact) for fact in department_facts(present_department(printed)))
        return
    yield from printed_facts(present(printed))


def _lines_facts(key: str, label: str, lines: tuple[str, ...]) -> Iterator[Fact]:
    for index, line in enumerate(lines, 1):
        yield Fact(f"{key}.{index}", f"{label}{index}", line, False)


def _yes(value: bool) -> str:
    return "有" if value else "无"


def _label_facts(labels: dict[str, str]) -> Iterator[Fact]:
    """The words a form prints as headings, each a fact of its own (a profile or a
    ``labels:`` entry changed): ``标签·unit 实施单位 → 执行单位``."""
    for name, text in labels.items():
        yield Fact(f"label.{name}", f"{LABEL_LABEL}·{name}", flat(text), False)


def printed_facts(form: SelfEvaluationForm) -> Iterator[Fact]:
    """The 自评表's facts, from its presentation model: every printed field but those made
    of others (a row's cells are its figures, a column's heading is a label, the year line
    is its label and the year); ``tests/test_diff_printed.py`` changes each field in turn."""
    labels = form.labels
    yield Fact("form", FORM_LABEL, flat(form.title), False)
    yield Fact("year", flat(labels.year), str(form.year), False)
    yield Fact("project", flat(labels.project), form.project, False)
    yield Fact("department", flat(labels.department), form.department, False)
    yield Fact("unit", flat(labels.unit), form.unit, False)
    yield Fact("profile", flat(labels.profile), form.profile, False)
    yield Fact("amount_unit", AMOUNT_UNIT_LABEL, form.amount_unit, False)
    for part in form.goals_parts:  # the goals as printed: the layout's parts, in its order
        yield Fact(f"goals.{part.key}", flat(part.label), part.text, False)
    columns = (
        ("initial", labels.initial),
        ("annual", labels.annual),
        ("executed", labels.executed),
    )
    for row in form.funds_rows:
        label = flat(row.label).removeprefix("其中：")
        for column, column_label in columns:
            value = getattr(row, column)
            yield Fact(f"{row.key}.{column}", f"{label}·{flat(column_label)}", value, False)
        yield Fact(f"{row.key}.rate", f"{label}·{flat(labels.execution_rate)}", row.rate, True)
        if row.cells and all(c.text == "" for c in row.cells if c.kind == "num"):
            yield Fact(f"{row.key}.blank", f"{label}·{BLANK_ROW_LABEL}", BLANK_ROW, False)
    total = form.funds_total
    yield from _funds_text_facts(form)
    for column, column_label in columns:
        label = f"{flat(total.label)}·{flat(column_label)}"
        yield Fact(f"total.{column}", label, getattr(total, column), True)
    yield Fact("total.rate", flat(labels.execution_rate).removesuffix("(%)"), total.rate, True)
    deviation = form.funds_deviation or ""
    yield Fact("funds.deviation", flat(labels.funds_deviation), deviation, False)
    execution = flat(labels.budget_execution)
    weight_label = f"{execution}·{flat(labels.funds_weight)}"
    yield Fact("funds.weight", weight_label, total.weight or "", False)
    score_label = f"{execution}·{flat(labels.score)}"
    yield Fact("funds.score", score_label, total.score or "", True)
    yield from _indicator_facts(form)
    yield Fact(
        "total_weight",
        f"{flat(labels.total)}·{flat(labels.indicator_weight)}",
        form.total_weight,
        False,
    )
    yield Fact("total", flat(labels.total), form.total, True)
    yield Fact("grade", flat(labels.grade), form.grade, True)
    yield Fact("grade_row", f"{flat(labels.grade)}{ROW_LABEL}", _yes(form.grade_row), False)
    yield from _layout_facts(form)
    yield from _label_facts({name: getattr(labels, name) for name in LABEL_NAMES})


def _funds_text_facts(form: SelfEvaluationForm) -> Iterator[Fact]:
    """Each funds row's 原因 and 得分计算方法 where written, and the cells the layout leaves
    empty or marks not applicable (a column's figure printed or not is a change)."""
    labels = form.labels
    for row in (form.funds_total, *form.funds_rows):
        label = flat(row.label).removeprefix("其中：")
        for column, column_label in (
            ("reason", labels.funds_reason),
            ("method", labels.funds_method),
        ):
            text = getattr(row, column)
            if text:
                yield Fact(f"{row.key}.{column}", f"{label}·{flat(column_label)}", text, False)
        marked = [
            f"{flat(column.label)}{cell.text or BLANK_ROW}"
            for column, cell in zip(form.funds_columns, row.cells, strict=True)
            if cell.kind == "dash" or (cell.text == "" and bool(getattr(row, column.key)))
        ]
        if marked:
            yield Fact(f"{row.key}.marked", f"{label}·{BLANK_ROW_LABEL}", "、".join(marked), False)


def _indicator_facts(form: SelfEvaluationForm) -> Iterator[Fact]:
    labels = form.labels
    order: list[str] = []
    for line in form.indicators:
        name = f"{line.level2}·{line.name}"
        key = f"indicator.{line.level1}.{line.level2}.{line.name}"
        order.append(name)
        if line.kind != "indicator":  # a template row: 空行, 指标2:, ……, / / /
            yield Fact(f"{key}.kind", f"{name}·{ROW_LABEL}", line.kind, False)
        if line.number:
            yield Fact(f"{key}.number", f"{name}·{NUMBER_LABEL}", line.number, False)
        if line.printed:
            cells = "、".join(f"{column}{text or BLANK_ROW}" for column, text in line.printed)
            yield Fact(f"{key}.printed", f"{name}·{CELLS_LABEL}", cells, False)
        if line.blank:
            yield Fact(f"{key}.blank", f"{line.level2}·{BLANK_ROW_LABEL}", BLANK_ROW, False)
            continue
        yield Fact(f"{key}.target", f"{name}·{flat(labels.target)}", line.target, False)
        yield Fact(f"{key}.actual", f"{name}·{flat(labels.actual_value)}", line.actual, False)
        yield Fact(f"{key}.weight", f"{name}·{flat(labels.indicator_weight)}", line.weight, False)
        deviation_label = f"{name}·{flat(labels.deviation)}"
        yield Fact(f"{key}.deviation", deviation_label, line.deviation, False)
        yield Fact(f"{key}.score", f"{name}·{flat(labels.indicator_score)}", line.score, True)
        for extra, extra_label in (
            ("nature", labels.nature),
            ("unit", labels.unit_of_measure),
            ("explanation", labels.explanation),
            ("method", labels.method),
            ("remark", labels.remark),
        ):
            value = getattr(line, extra)
            if value:
                yield Fact(f"{key}.{extra}", f"{name}·{flat(extra_label)}", value, False)
    yield Fact("indicators.order", ORDER_LABEL, "、".join(order), False)


def _layout_facts(form: SelfEvaluationForm) -> Iterator[Fact]:
    """The form's shape as its profile's layout gives it: which columns, the glyph of a cell
    without a figure, the header lines, signature row, footnotes and page numbers."""
    funds = "、".join(column.key for column in form.funds_columns)
    yield Fact("layout.funds_columns", FUNDS_COLUMNS_LABEL, funds, False)
    table = "、".join(column.key for column in form.indicator_columns)
    yield Fact("layout.indicator_columns", INDICATOR_COLUMNS_LABEL, table, False)
    yield Fact(
        "layout.funds_rows", FUNDS_ROWS_LABEL, "、".join(row.key for row in form.funds_rows), False
    )
    yield Fact("layout.not_applicable", NOT_APPLICABLE_LABEL, form.not_applicable, False)
    yield from _lines_facts("layout.header", HEADER_LABEL, form.header_lines)
    yield from _lines_facts("layout.signature", SIGNATURE_LABEL, form.signature_row)
    yield from _lines_facts("layout.footnote", FOOTNOTE_LABEL, form.footnotes)
    yield from _page_facts(form.page_numbers, form.page_number_format)
    yield from _block_facts(form)


def _block_facts(form: SelfEvaluationForm) -> Iterator[Fact]:
    """The blocks around the tables: their order, the goals parts, the indicator block's
    heading, the trailer rows, the header and signature values and the checkbox rows."""
    order = "、".join(":".join((section.kind, *section.blocks)) for section in form.sections)
    yield Fact("layout.blocks", BLOCKS_LABEL, order, False)
    parts = "、".join(part.key for part in form.goals_parts)
    yield Fact("layout.goals_parts", GOALS_LAYOUT_LABEL, f"{parts}·{form.goals_layout}", False)
    heading = f"{form.indicator_heading}·{flat(form.indicator_heading_label)}"
    yield Fact("layout.indicator_heading", HEADING_LABEL, heading, False)
    for group, rows in (
        ("trailer", form.trailer),
        ("header", form.header_rows),
        ("signature", form.signature_rows),
    ):
        for row in rows:
            yield Fact(f"{group}.{flat(row.label)}", flat(row.label), row.text, False)
    for choice in form.choices:
        ticks = " ".join(f"{box}{option}" for box, option in choice.options)
        yield Fact(f"choice.{flat(choice.label)}", flat(choice.label), ticks, False)


def _page_facts(numbers: str, format_: str) -> Iterator[Fact]:
    """Whether the pages are numbered, and how."""
    shown = PAGE_NUMBERS_SHOWN.get(numbers, numbers)
    yield Fact("layout.page_numbers", PAGE_NUMBERS_LABEL, shown, False)
    yield Fact("layout.page_number_format", PAGE_NUMBER_FORMAT_LABEL, format_, False)


def goals_printed_facts(form: GoalsPresentation) -> Iterator[Fact]:
    """The 申报表's facts: what it prints, labelled as it prints them (no derived scores)."""
    labels = {key: flat(value) for key, value in form.labels.items()}
    yield Fact("form", FORM_LABEL, flat(form.title), False)
    yield Fact("year", "年度", str(form.year), False)
    yield Fact("year_line", YEAR_LINE_LABEL, flat(form.year_line), False)
    yield Fact("project", labels.get("project", "项目名称"), form.project, False)
    for key in ("department", "unit", "project_nature", "project_category"):
        yield Fact(key, labels[key], getattr(form, key), False)
    for key in ("start_date", "end_date"):
        yield Fact(key, labels[key], getattr(form, key), False)
    yield Fact("amount_unit", AMOUNT_UNIT_LABEL, form.amount_unit, False)
    for index, row in enumerate(form.funds):
        if row.project_label or row.project_amount:
            where = row.project_label or str(index)
            yield Fact(f"project.{where}", row.project_label, row.project_amount, False)
        if row.annual_label or row.annual_amount:
            total = row.annual_label == labels["annual_total"]
            where = row.annual_label or str(index)
            yield Fact(f"annual.{where}", row.annual_label, row.annual_amount, total)
        shape = f"{row.project_label}|{row.annual_label}"
        yield Fact(f"funds.row.{index}", f"{labels['funds']}{index + 1}", shape, False)
    yield Fact("goals.overall", labels["overall"], form.overall, False)
    yield Fact("goals.expected", labels["expected"], form.expected, False)
    yield from _goal_lines("indicator", form.indicators, labels, labels["target"])
    yield Fact("indicators.order", ORDER_LABEL, _order(form.indicators), False)
    yield from _goals_shape_facts(form, labels)
    yield from _page_facts(form.page_numbers, form.page_number_format)
    yield from _label_facts(form.labels)


def _order(lines: tuple[GoalLine, ...]) -> str:
    return "、".join(f"{line.level1}·{line.level2}·{line.name}" for line in lines)


def _goal_lines(
    prefix: str, lines: tuple[GoalLine, ...], labels: dict[str, str], target: str
) -> Iterator[Fact]:
    """An indicator table's cells: each row's target and extra columns, an empty row's mark."""
    for line in lines:
        name = f"{line.level2}·{line.name}"
        key = f"{prefix}.{line.level1}.{line.level2}.{line.name}"
        if line.blank:
            yield Fact(f"{key}.blank", f"{line.level2}·{BLANK_ROW_LABEL}", BLANK_ROW, False)
        yield Fact(f"{key}.target", f"{name}·{target}", line.target, False)
        for column, text in line.texts:
            label = labels.get("unit_of_measure" if column == "unit" else column, column)
            yield Fact(f"{key}.{column}", f"{name}·{label}", text, False)


def _goals_shape_facts(form: GoalsPresentation, labels: dict[str, str]) -> Iterator[Fact]:
    """What only some 申报表 layouts print: 实施期, amount rows, the 实施期 indicators, the
    成本构成, the review; and the form's shape (its rows, goals, columns, header, footer)."""
    yield Fact("period", labels["period"], form.period, False)
    for key, text in form.amounts:
        derived = key in ("annual_total", "fiscal", "other")
        yield Fact(f"amount.{key}", labels.get(key, key), text, derived)
    yield from _goal_lines(
        "period_indicator", form.period_indicators, labels, labels["period_target"]
    )
    yield Fact("period_indicators.order", ORDER_LABEL, _order(form.period_indicators), False)
    for line in form.costs:
        key, name = f"cost.{line.kind}.{line.name}", f"{labels['costs']}·{line.name}"
        yield Fact(f"{key}.amount", name, line.amount, line.kind in ("group", "total"))
        yield Fact(f"{key}.basis", f"{name}·{labels['cost_basis']}", line.basis, False)
    costs = "、".join(f"{line.kind}:{line.name}" for line in form.costs)
    yield Fact("costs.order", f"{labels['costs']}·{ORDER_LABEL}", costs, False)
    yield Fact("review", labels["review"], form.review, False)
    rows = "、".join(
        f"{section.kind}({'/'.join('|'.join(row) for row in section.rows)})"
        for section in form.sections
    )
    yield Fact("layout.rows", ROWS_LABEL, rows, False)
    project_column = _yes(form.funds_project_column)
    yield Fact(
        "layout.funds_project_column",
        f"{labels['project_total']}{COLUMN_LABEL}",
        project_column,
        False,
    )
    shape = f"{form.goals_layout}:{'、'.join(form.goals_parts)}"
    yield Fact("layout.goals", GOALS_SHAPE_LABEL, shape, False)
    columns = "、".join(column.key for column in form.indicator_columns)
    yield Fact("layout.indicator_columns", INDICATOR_COLUMNS_LABEL, columns, False)
    cost_columns = "、".join(column.key for column in form.cost_columns)
    yield Fact("layout.cost_columns", COST_COLUMNS_LABEL, cost_columns, False)
    yield from _lines_facts("layout.header", HEADER_LABEL, form.header_lines)
    yield from _lines_facts("layout.footer", FOOTER_LABEL, form.footer)


def compare_forms(old: Printed, new: Printed) -> tuple[Change, ...]:
    before = {fact.key: fact for fact in facts(old)}
    after = {fact.key: fact for fact in facts(new)}
    changes: list[Change] = []
    for key in [*before, *(k for k in after if k not in before)]:
        old_fact, new_fact = before.get(key), after.get(key)
        old_value = old_fact.value if old_fact else None
        new_value = new_fact.value if new_fact else None
        if old_value == new_value:
            continue
        if key.endswith("indicators.order") and _same_order(old_value or "", new_value or ""):
            continue  # indicators added or removed, each reported; the others kept their order
        fact = new_fact or old_fact
        assert fact is not None
        changes.append(Change(fact.label, *_shown(old_value, new_value), fact.derived))
    return tuple(changes)


def _same_order(old: str, new: str) -> bool:
    """Whether the indicators printed in both versions are printed in the same order."""
    before, after = old.split("、"), new.split("、")
    common = set(before) & set(after)
    return [n for n in before if n in common] == [n for n in after if n in common]


def _pair_renames(
    old: Version, new: Version, removed: list[PurePosixPath], added: list[PurePosixPath]
) -> list[tuple[PurePosixPath, PurePosixPath]]:
    """Moved files: same content first, then the same project name on both sides."""
    pairs: list[tuple[PurePosixPath, PurePosixPath]] = []
    by_digest: dict[str, list[PurePosixPath]] = {}
    for path in added:
        if path in new.contents:  # a file too large or leading out has no content to match
            by_digest.setdefault(hashlib.sha256(new.contents[path]).hexdigest(), []).append(path)
    for path in list(removed):
        if path not in old.contents:
            continue
        candidates = by_digest.get(hashlib.sha256(old.contents[path]).hexdigest(), [])
        if candidates:
            target = candidates.pop(0)
            pairs.append((path, target))
            removed.remove(path)
            added.remove(target)

    def project(version: Version, path: PurePosixPath) -> str | None:
        form = version.specs[path].printed
        return form.spec.project if form else None

    for path in list(removed):
        name = project(old, path)
        matches = [p for p in added if name is not None and project(new, p) == name]
        others = [p for p in removed if project(old, p) == name]
        if len(matches) == 1 and len(others) == 1:
            pairs.append((path, matches[0]))
            removed.remove(path)
            added.remove(matches[0])
    return pairs


def _project_diff(
    status: str,
    old: CompiledSpec | None,
    new: CompiledSpec | None,
    old_path: PurePosixPath | None,
    new_path: PurePosixPath | None,
) -> ProjectDiff:
    old_form = old.printed if old and not old.has_errors else None
    new_form = new.printed if new and not new.has_errors else None
    failed = (old is not None and old_form is None) or (new is not None and new_form is None)
    name = next((f.spec.project for f in (new_form, old_form) if f), None)
    fallback = (new_path or old_path or PurePosixPath("?")).stem
    changes: tuple[Change, ...] = ()
    if old_form and new_form:
        changes = compare_forms(old_form, new_form)
    elif new_form and status == "added":
        changes = tuple(
            Change(f.label, None, f.value, f.derived)
            for f in facts(new_form)
            if f.key in ("total", "grade")
        )
    if failed:
        status = "failed"
    elif status == "changed" and not changes:
        status = "unchanged"
    before = {f.key: f.value for f in facts(old_form)} if old_form else {}
    after = {f.key: f.value for f in facts(new_form)} if new_form else {}
    return ProjectDiff(
        status=status,
        project=name or fallback,
        old_path=str(old_path) if old_path else None,
        new_path=str(new_path) if new_path else None,
        changes=changes,
        old_total=before.get("total"),
        new_total=after.get("total"),
        old_grade=before.get("grade"),
        new_grade=after.get("grade"),
    )


def diff_versions(old: Version, new: Version) -> DiffReport:
    removed = sorted(set(old.specs) - set(new.specs))
    added = sorted(set(new.specs) - set(old.specs))
    renames = _pair_renames(old, new, removed, added)
    projects: list[ProjectDiff] = []
    for path in sorted(set(old.specs) & set(new.specs)):
        projects.append(_project_diff("changed", old.specs[path], new.specs[path], path, path))
    for old_path, new_path in renames:
        projects.append(
            _project_diff("renamed", old.specs[old_path], new.specs[new_path], old_path, new_path)
        )
    for path in added:
        projects.append(_project_diff("added", None, new.specs[path], None, path))
    for path in removed:
        projects.append(_project_diff("removed", old.specs[path], None, path, None))
    projects.sort(key=lambda p: p.new_path or p.old_path or "")
    return DiffReport(old, new, projects)

"""A published 部门整体支出绩效自评表 read from a grid, and written as a department spec.

A grid is a department form when its title (a cell or the text above the table) names a
部门整体 form, or when it has both a 年初绩效目标 heading and a 得分系数 / 是否核心指标
column. Headings are found by the words they contain, whatever the province's exact wording
(``执行率(%)``, ``执行率（%）``; ``指标权重(分)``, ``权重``): the header's label/value pairs
(部门名称, 主管部门, 财政处室, 自评总分, 部门联系人, 联系电话), the funds block (合计 / 基本支出
/ 项目支出 rows, or the one 部门预算执行情况 row), the goals row under 年初 / 全年(调整) /
完成情况, and the indicator table (flat, or 一级 / 二级 columns spanning their rows). Every
printed figure goes into the spec as printed, so ``check`` verifies it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selfeval_compiler.importers.grid import Cell, Grid, clean_text, not_applicable, number_text
from selfeval_compiler.importers.spec_text import number, scalar

_HEADER = (
    ("自评总分", "total"),
    ("主管部门", "department"),
    ("财政处室", "finance_office"),
    ("联系人", "contact"),
    ("联系电话", "phone"),
    ("部门名称", "unit"),
    ("单位名称", "unit"),
    ("部门(单位)名称", "unit"),
)
_FUNDS = (
    ("年初预算", "initial"),
    ("执行数", "executed"),
    ("预算数", "annual"),
    ("权重", "weight"),
    ("分值", "weight"),
    ("得分", "score"),
    ("执行率", "rate"),
)
"""Funds headings by the words they contain, the more specific first (执行率权重 is a weight)."""
_GOALS = (("年初", "initial"), ("调整", "adjusted"), ("完成", "actual"))
_INDICATORS = (
    ("一级", "level1"),
    ("二级", "level2"),
    ("三级", "name"),
    ("指标名称", "name"),
    ("单位", "unit"),
    ("性质", "nature"),
    ("调整", "adjusted"),
    ("完成", "actual"),
    ("指标值", "target"),
    ("系数", "coefficient"),
    ("核心", "core"),
    ("权重", "weight"),
    ("分值", "weight"),
    ("得分", "score"),
)
_ROWS = {"合计": "total", "基本支出": "basic", "项目支出": "project"}
_YEAR = re.compile(r"(19|20)\d{2}(?=年)")


@dataclass
class DepartmentImport:
    source: str
    year: int | None = None
    header: dict[str, str] = field(default_factory=dict)
    funds: dict[str, dict[str, str]] = field(default_factory=dict)
    """Row key (total, basic, project) → column → the printed text."""
    goals: dict[str, str] = field(default_factory=dict)
    indicators: list[dict[str, str]] = field(default_factory=list)
    table_total: str = ""

    @property
    def name(self) -> str:
        return self.header.get("unit", "")


def _field(label: str, words: tuple[tuple[str, str], ...]) -> str | None:
    for word, key in words:
        if word in label:
            return key
    return None


def is_department_grid(grid: Grid) -> bool:
    titles = [*(line.replace(" ", "") for line in grid.title_lines)]
    titles += [cell.label for cell in grid.cells[:12]]
    if any("部门整体" in title and "表" in title for title in titles):
        return True
    labels = {cell.label for cell in grid.cells}
    has_goals = any("年初绩效目标" in label for label in labels)
    return has_goals and any("得分系数" in label or "核心指标" in label for label in labels)


def _next_value(row: list[Cell], cell: Cell) -> str:
    after = [c for c in row if c.column > cell.last_column]
    if not after or _field(after[0].label, _HEADER) is not None:
        return ""
    return clean_text(after[0].text)


def _find_row(grid: Grid, *words: str) -> int | None:
    for row, cells in grid.rows():
        if all(any(word in cell.label for cell in cells) for word in words):
            return row
    return None


def _columns(cells: list[Cell], words: tuple[tuple[str, str], ...]) -> list[tuple[Cell, str]]:
    found = [(cell, _field(cell.label, words)) for cell in cells]
    return [(cell, key) for cell, key in found if key is not None]


def _under(grid: Grid, row: int, heading: Cell, covering: bool = False) -> Cell | None:
    cells = grid.covering_row(row) if covering else grid.anchored(row)
    return next((cell for cell in cells if cell.overlaps(heading)), None)


def _read_header(grid: Grid, form: DepartmentImport, stop: int) -> None:
    for row, cells in grid.rows():
        if row >= stop:
            return
        for cell in cells:
            key = _field(cell.label, _HEADER)
            if key is not None and key not in form.header:
                form.header[key] = _next_value(cells, cell)


def _read_funds(grid: Grid, form: DepartmentImport, start: int, stop: int) -> None:
    headings = _columns(grid.anchored(start), _FUNDS)
    first = min((cell.column for cell, _ in headings), default=0)
    for row in range(start + 1, stop):
        values = {key: _text_under(grid, row, cell) for cell, key in headings}
        if not any(values.values()):
            continue
        labels = [c.label for c in grid.anchored(row) if c.last_column < first]
        key = next((_ROWS[label] for label in labels if label in _ROWS), "total")
        form.funds.setdefault(key, values)


def _text_under(grid: Grid, row: int, heading: Cell) -> str:
    cell = _under(grid, row, heading)
    return "" if cell is None else clean_text(cell.text)


def _read_goals(grid: Grid, form: DepartmentImport, start: int) -> None:
    for cell, key in _columns(grid.anchored(start), _GOALS):
        below = _under(grid, start + 1, cell)
        form.goals[key] = clean_text(below.block, keep_indent=True) if below else ""


def _read_indicators(grid: Grid, form: DepartmentImport, start: int) -> None:
    headings = _columns(grid.anchored(start), _INDICATORS)
    for row in range(start + 1, grid.height):
        anchored = grid.anchored(row)
        if anchored and ("总分" in anchored[0].label or anchored[0].label == "合计"):
            score = next((c for c, k in headings if k == "score"), None)
            form.table_total = _text_under(grid, row, score) if score else ""
            return
        item: dict[str, str] = {}
        for cell, key in headings:
            spanning = key in ("level1", "level2")
            found = _under(grid, row, cell, covering=spanning)
            item[key] = clean_text(found.text) if found is not None else ""
        if item.get("name"):
            form.indicators.append(item)


def read_department(grid: Grid) -> DepartmentImport | None:
    """The department form in ``grid``, or ``None`` when it has no indicator table."""
    form = DepartmentImport(grid.source)
    titles = [*grid.title_lines, *(cell.text for cell in grid.cells[:12])]
    years = [match.group(0) for text in titles for match in [_YEAR.search(text)] if match]
    form.year = int(years[0]) if years else None
    indicators = _find_row(grid, "指标名称") or _find_row(grid, "三级指标")
    if indicators is None:
        return None
    goals = _find_row(grid, "年初绩效目标") or _find_row(grid, "年初目标")
    funds = _find_row(grid, "年初预算", "执行率")
    first_block = min(r for r in (funds, goals, indicators) if r is not None)
    _read_header(grid, form, first_block)
    if funds is not None:
        _read_funds(grid, form, funds, goals if goals is not None else indicators)
    if goals is not None:
        _read_goals(grid, form, goals)
    _read_indicators(grid, form, indicators)
    return form


# The spec text ---------------------------------------------------------------------------


def _figure(text: str) -> str | None:
    """A printed number as spec text (``76%`` → ``76``), or ``None`` for anything else."""
    if not_applicable(text):
        return None
    read = number_text(text)
    return None if read is None else number(read[0])


def _funds_text(form: DepartmentImport) -> list[str]:
    lines = ["funds:                       # 部门预算执行情况"]
    weight = next(
        (w for row in form.funds.values() if (w := _figure(row.get("weight", ""))) is not None),
        None,
    )
    lines.append(f"  weight: {weight}" if weight else "  weight: 10                 # 表上没有分值")
    for key in ("basic", "project", "total"):
        row = form.funds.get(key)
        if row is None:
            continue
        columns = ("initial", "annual", "executed") + (("rate", "score") if key == "total" else ())
        parts = [f"{c}: {v}" for c in columns if (v := _figure(row.get(c, ""))) is not None]
        if key != "total" and len(parts) < 3:
            continue  # a row without its three amounts cannot be written
        if parts:
            lines.append(f"  {key}: {{{', '.join(parts)}}}")
    return lines


def _item_text(item: dict[str, str], indent: str) -> str:
    parts = [f"name: {scalar(item['name'])}"]
    for key in ("unit", "nature", "target", "adjusted", "actual"):
        if item.get(key) and not not_applicable(item[key]):
            parts.append(f"{key}: {scalar(item[key])}")
    for key in ("coefficient", "weight", "score"):
        value = _figure(item.get(key, ""))
        if value is not None:
            parts.append(f"{key}: {value}")
    if "weight" not in " ".join(parts):
        parts.append("weight: 0")
    if item.get("core") in ("是", "否"):
        parts.append(f"core: {item['core']}")
    return f"{indent}- {{{', '.join(parts)}}}"


def _indicators_text(form: DepartmentImport) -> list[str]:
    lines = ["indicators:"]
    if not any(item.get("level1") for item in form.indicators):
        return lines + [_item_text(item, "  ") for item in form.indicators]
    groups: dict[str, dict[str, list[dict[str, str]]]] = {}
    for item in form.indicators:
        level1 = item.get("level1") or "未分类"
        groups.setdefault(level1, {}).setdefault(item.get("level2") or "未分类", []).append(item)
    for level1, level2s in groups.items():
        lines.append(f"  {scalar(level1)}:")
        for level2, items in level2s.items():
            lines.append(f"    {scalar(level2)}:")
            lines += [_item_text(item, "      ") for item in items]
    return lines


def department_spec_text(form: DepartmentImport, modeline: str, source: str) -> str:
    """The department spec: what the form printed, as a clerk would have written it."""
    lines = [modeline.rstrip("\n"), f"# 由 selfeval import 从 {scalar(source)} 读出；核对后再用。"]
    lines.append("form: 部门整体")
    if form.year is not None:
        lines.append(f"year: {form.year}")
    for key in ("unit", "department", "finance_office", "contact", "phone"):
        if form.header.get(key):
            lines.append(f"{key}: {scalar(form.header[key])}")
    lines += _funds_text(form)
    lines.append("goals:")
    for key in ("initial", "adjusted", "actual"):
        if key in form.goals or key != "adjusted":
            lines.append(f"  {key}: {scalar(form.goals.get(key, ''))}")
    lines += _indicators_text(form)
    total = _figure(form.header.get("total", "")) or _figure(form.table_total)
    if total is not None:
        lines.append(f"total: {total}                  # 表上印出的自评总分")
    return "\n".join(lines) + "\n"

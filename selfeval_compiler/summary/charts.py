"""Charts as SVG text, drawn into the summary's HTML and PDF: nothing fetched, Chinese labels
in the form's own font. Up to :data:`PER_PROJECT_LIMIT` projects get a bar each; beyond that
a chart shows how many projects fall in each band of ten."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from selfeval_compiler.summary.table import Summary

PER_PROJECT_LIMIT = 40
FONT = "'Noto Sans CJK SC', 'Noto Sans CJK', sans-serif"
BAR = "#4a6fa5"
WIDTH = 640


def _svg(height: int, body: str, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" font-family="{FONT}" font-size="11">'
        f"<title>{escape(title)}</title>"
        f'<text x="{WIDTH // 2}" y="16" text-anchor="middle" font-size="13" '
        f'font-weight="bold">{escape(title)}</text>{body}</svg>'
    )


def _label(text: str, limit: int = 14) -> str:
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def horizontal(title: str, items: list[tuple[str, Decimal]], maximum: Decimal) -> str:
    """One bar per item, its value written at its end."""
    top, row, left, right = 28, 18, 190, 60
    span = WIDTH - left - right
    body = ""
    scale = maximum if maximum > 0 else Decimal(1)
    for index, (name, value) in enumerate(items):
        y = top + index * row
        width = float(min(value, scale) / scale) * span
        body += (
            f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{_label(name)}</text>'
            f'<rect x="{left}" y="{y + 2}" width="{width:.1f}" height="{row - 6}" fill="{BAR}"/>'
            f'<text x="{left + width + 4:.1f}" y="{y + 12}">{escape(str(value))}</text>'
        )
    axis = f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + len(items) * row}" stroke="#000"/>'
    return _svg(top + len(items) * row + 10, body + axis, title)


def vertical(title: str, items: list[tuple[str, int]]) -> str:
    """Counts as columns with their labels underneath."""
    top, bottom, height = 30, 30, 150
    count = max(1, len(items))
    slot = (WIDTH - 80) / count
    most = max((value for _, value in items), default=0) or 1
    body = ""
    for index, (name, value) in enumerate(items):
        x = 40 + index * slot
        bar = height * value / most
        y = top + height - bar
        body += (
            f'<rect x="{x + slot * 0.2:.1f}" y="{y:.1f}" width="{slot * 0.6:.1f}" '
            f'height="{bar:.1f}" fill="{BAR}"/>'
            f'<text x="{x + slot / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{value}</text>'
            f'<text x="{x + slot / 2:.1f}" y="{top + height + 16}" '
            f'text-anchor="middle">{_label(name, 8)}</text>'
        )
    axis = (
        f'<line x1="36" y1="{top + height}" x2="{WIDTH - 36}" y2="{top + height}" stroke="#000"/>'
    )
    return _svg(top + height + bottom, body + axis, title)


def _bands(values: list[Decimal]) -> list[tuple[str, int]]:
    bands = [(f"{low}–{low + 10}", 0) for low in range(0, 100, 10)] + [("≥100", 0)]
    counts = [0] * len(bands)
    for value in values:
        index = min(int(value // 10), 10) if value >= 0 else 0
        counts[index] += 1
    return [(label, count) for (label, _), count in zip(bands, counts, strict=True)]


def charts(summary: Summary) -> list[str]:
    lines = summary.lines
    found = [vertical("评分等级分布（项目数）", list(summary.grades))]
    if len(lines) <= PER_PROJECT_LIMIT:
        found.append(
            horizontal(
                "各项目总分", [(line.row.project, line.row.total) for line in lines], Decimal(100)
            )
        )
        rates = [(line.row.project, line.row.rate) for line in lines]
        top = max([Decimal(100), *(rate for _, rate in rates)])
        found.append(horizontal("各项目预算执行率（%）", rates, top))
    else:
        found.append(vertical("总分分布（项目数）", _bands([line.row.total for line in lines])))
        found.append(
            vertical("预算执行率分布（项目数，%）", _bands([line.row.rate for line in lines]))
        )
    return found

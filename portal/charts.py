"""Small server-side SVG charts that need no JavaScript.

Each series has its own line style and marker shape, so the chart reads without colour; the page
that shows a chart also gives the same numbers as a table (the text alternative).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

# Line style and marker per series, in order: solid with circles, dashed with squares, dotted
# with triangles.
_STYLES = (
    ("#01689b", "", "circle"),
    ("#a90061", "6 4", "square"),
    ("#275937", "2 3", "triangle"),
)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per label; None leaves a gap


def marker_svg(index: int, size: int = 14) -> Markup:
    """The marker of series `index` on its own, for a legend next to the chart."""
    colour, dash, shape = _STYLES[index % len(_STYLES)]
    half = size / 2
    line = (
        f'<line x1="0" y1="{half}" x2="{size * 2}" y2="{half}" stroke="{colour}" '
        f'stroke-width="2" stroke-dasharray="{dash}"/>'
    )
    mark = _marker(shape, size, half, colour)
    return Markup(  # noqa: S704 - only numbers and constants inside
        f'<svg class="chart-legend-mark" width="{size * 2}" height="{size}" '
        f'viewBox="0 0 {size * 2} {size}" aria-hidden="true" focusable="false">{line}{mark}</svg>'
    )


def _open_svg(ident: str, title: str, description: str, width: int, height: int) -> list[str]:
    return [
        f'<svg class="chart" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]


def _marker(shape: str, x: float, y: float, colour: str, r: float = 4.5) -> str:
    if shape == "square":
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" '
            f'fill="{colour}"/>'
        )
    if shape == "triangle":
        points = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y + r:.1f} {x - r:.1f},{y + r:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"/>'


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    y_min: float = 1,
    y_max: float = 5,
    y_step: int = 1,
    width: int = 560,
    height: int = 240,
    ident: str = "chart",
) -> Markup:
    """An SVG line chart with a y grid from `y_min` to `y_max`; `title` and `description` are
    its accessible name and description."""
    left, right, top, bottom = 36, 16, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(labels), 1)

    def x_at(index: int) -> float:
        return left + (plot_w / 2 if count == 1 else plot_w * index / (count - 1))

    def y_at(value: float) -> float:
        return top + plot_h * (y_max - value) / (y_max - y_min)

    parts = _open_svg(ident, title, description, width, height)
    for tick in range(int(y_min), int(y_max) + 1, y_step):
        y = y_at(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="#767676" stroke-width="0.5"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#1a1a1a">{tick}</text>'
        )
    for index, label in enumerate(labels):
        parts.append(
            f'<text x="{x_at(index):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
            f'font-size="12" fill="#1a1a1a">{escape(label)}</text>'
        )
    for number, one in enumerate(series):
        colour, dash, shape = _STYLES[number % len(_STYLES)]
        points = [
            (x_at(index), y_at(value))
            for index, value in enumerate(one.values)
            if value is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5" '
                f'stroke-dasharray="{dash}"/>'
            )
        parts.extend(_marker(shape, x, y, colour) for x, y in points)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text is escaped above


# Bars: a fill colour and, for the second series, diagonal hatching, so two series differ
# without colour too.
def _hatch(pattern_id: str) -> str:
    return (
        f'<defs><pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#a90061" stroke-width="4"/></pattern></defs>'
    )


def _bar_fill(index: int, pattern_id: str) -> str:
    return "#01689b" if index % 2 == 0 else f"url(#{pattern_id})"


def swatch_svg(index: int, ident: str = "swatch", size: int = 14) -> Markup:
    """The fill of bar series `index` on its own, for a legend next to the chart; `ident`
    keeps the pattern's id unique on the page."""
    pattern_id = f"{ident}-hatch-{index}"
    fill = _bar_fill(index, pattern_id)
    return Markup(  # noqa: S704 - only constants inside
        f'<svg class="chart-legend-mark" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" aria-hidden="true" focusable="false">{_hatch(pattern_id)}'
        f'<rect x="0.5" y="0.5" width="{size - 1}" height="{size - 1}" fill="{fill}" '
        f'stroke="#1a1a1a"/></svg>'
    )


def _nice_max(value: float) -> int:
    """The smallest of 5, 10, 20, 25, 50, 100, 200, ... that is at least `value`."""
    step = 5
    while step < value:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if step >= value:
                break
    return step


def bar_chart(
    rows: Sequence[tuple[str, float | None]],
    *,
    title: str,
    description: str,
    hidden_text: str,
    ident: str = "bars",
    percent: bool = False,
    width: int = 560,
) -> Markup:
    """Horizontal bars, one per row, with the label above each bar and the value after it.
    A value of None (suppressed) draws no bar but `hidden_text`."""
    row_h, left, right = 40, 4, 56
    height = max(len(rows), 1) * row_h + 8
    top = max((value for _label, value in rows if value is not None), default=0)
    scale_max = 100 if percent else _nice_max(top)
    plot_w = width - left - right
    parts = _open_svg(ident, title, description, width, height)
    for index, (label, value) in enumerate(rows):
        y = index * row_h + 4
        parts.append(
            f'<text x="{left}" y="{y + 12}" font-size="13" fill="#1a1a1a">{escape(label)}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{left}" y="{y + 31}" font-size="12" font-style="italic" '
                f'fill="#1a1a1a">{escape(hidden_text)}</text>'
            )
            continue
        bar = plot_w * value / scale_max if scale_max else 0
        shown = f"{value:.0f}%" if percent else f"{value:g}"
        parts.append(
            f'<rect x="{left}" y="{y + 18}" width="{bar:.1f}" height="16" fill="#01689b"/>'
            f'<text x="{left + bar + 6:.1f}" y="{y + 31}" font-size="12" '
            f'fill="#1a1a1a">{shown}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text is escaped above


def column_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    ident: str = "columns",
    width: int = 560,
    height: int = 260,
) -> Markup:
    """Grouped vertical bars: per label one bar of each series (at most two series, told
    apart by fill and hatching). None draws no bar; the data table says why."""
    left, right, top, bottom = 40, 8, 12, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max((v for one in series for v in one.values if v is not None), default=0)
    scale_max = _nice_max(highest)
    group_w = plot_w / max(len(labels), 1)
    bar_w = min(group_w * 0.8 / max(len(series), 1), 28)
    parts = _open_svg(ident, title, description, width, height)
    pattern_id = f"{ident}-hatch"
    parts.append(_hatch(pattern_id))
    for tick in range(0, scale_max + 1, max(scale_max // 5, 1)):
        y = top + plot_h * (1 - tick / scale_max)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="#767676" stroke-width="0.5"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#1a1a1a">{tick}</text>'
        )
    for index, label in enumerate(labels):
        middle = left + group_w * (index + 0.5)
        first_x = middle - bar_w * len(series) / 2
        for number, one in enumerate(series):
            value = one.values[index]
            if value is None:
                continue
            bar_h = plot_h * value / scale_max
            parts.append(
                f'<rect x="{first_x + number * bar_w:.1f}" y="{top + plot_h - bar_h:.1f}" '
                f'width="{bar_w - 2:.1f}" height="{bar_h:.1f}" '
                f'fill="{_bar_fill(number, pattern_id)}" stroke="#1a1a1a" '
                f'stroke-width="0.5"/>'
            )
        # Quarter labels like '2026-Q3' on two lines, so eight of them fit.
        year, _, rest = label.partition("-")
        parts.append(
            f'<text x="{middle:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="12" fill="#1a1a1a">{escape(rest or year)}</text>'
        )
        if rest:
            parts.append(
                f'<text x="{middle:.1f}" y="{height - bottom + 32}" text-anchor="middle" '
                f'font-size="11" fill="#1a1a1a">{escape(year)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text is escaped above

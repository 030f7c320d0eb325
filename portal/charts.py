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

    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    for tick in range(int(y_min), int(y_max) + 1):
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

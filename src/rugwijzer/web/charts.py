"""Charts drawn on the server as inline SVG (no JavaScript, nothing fetched): a line per series
over days, the user's changes as marked dates, every point labelled with its value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from rugwijzer.i18n import format_number

__all__ = ["Series", "line_chart"]

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 28, 12, 28


@dataclass(frozen=True, slots=True)
class Series:
    """One line: a name, a CSS class and one value (or None) per day."""

    name: str
    css_class: str
    values: Sequence[float | None]


def line_chart(
    title: str,
    days: Sequence[str],
    series: Sequence[Series],
    *,
    y_max: float,
    marks: Sequence[tuple[int, str]] = (),
    target: float | None = None,
    target_label: str = "",
    day_labels: Sequence[str] | None = None,
    lang: str = "en",
) -> str:
    """An accessible SVG line chart; `marks` are (day index, label) for the user's changes.
    `day_labels` are the days as the reader writes them (default: MM-DD from the ISO dates);
    values are written in the locale of `lang` (1.500 and 7,5 in Dutch)."""
    count = max(len(days), 1)
    labels = list(day_labels) if day_labels is not None else [day[5:] for day in days]
    y_max = max(y_max, 1.0)

    def x(index: int) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (index / max(count - 1, 1))

    def number(value: float) -> str:
        return format_number(value, lang, 0, 1)

    def y(value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - min(value, y_max) / y_max)

    # A group, not an image: its points are reachable with Tab, and each one is named.
    # The drawing itself (axes, ticks, lines) is hidden from screen readers: the points and
    # the table under the chart carry the values.
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="group" class="chart" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        '<g aria-hidden="true">',
        f'<line x1="{LEFT}" y1="{y(0):.1f}" x2="{WIDTH - RIGHT}" y2="{y(0):.1f}" class="axis"/>',
        f'<text x="4" y="{y(y_max) + 4:.1f}" class="tick">{number(y_max)}</text>',
        f'<text x="4" y="{y(0):.1f}" class="tick">0</text>',
    ]
    if target is not None:
        parts.append(
            f'<line x1="{LEFT}" y1="{y(target):.1f}" x2="{WIDTH - RIGHT}" y2="{y(target):.1f}" '
            f'class="target"><title>{escape(target_label)}</title></line>'
        )
    for index, label in marks:
        parts.append(
            f'<line x1="{x(index):.1f}" y1="{TOP}" x2="{x(index):.1f}" y2="{y(0):.1f}" '
            'class="mark">'
            f"<title>{escape(label)}</title></line>"
        )
    label_every = max(1, count // 7)
    for index, label in enumerate(labels):
        if index % label_every == 0 or index == count - 1:
            parts.append(
                f'<text x="{x(index):.1f}" y="{HEIGHT - 8}" class="tick" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    lines = []
    for line in series:
        points = [(x(i), y(v), v, labels[i]) for i, v in enumerate(line.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in points)
            parts.append(f'<polyline points="{path}" class="{line.css_class}"/>')
        lines.append((line, points))
    parts.append("</g>")
    for line, points in lines:
        # readable without hovering when there is room; otherwise on hover or keyboard focus
        shown = "value" if len(points) <= 14 else "value on-focus"
        for px, py, value, label in points:
            name = f"{label}: {line.name} {number(value)}"
            parts.append(
                f'<g class="point" tabindex="0" role="img" aria-label="{escape(name)}">'
                f"<title>{escape(name)}</title>"
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" class="{line.css_class}"/>'
                f'<text x="{px:.1f}" y="{py - 8:.1f}" class="{shown}" text-anchor="middle">'
                f"{number(value)}</text></g>"
            )
    parts.append("</svg>")
    return "".join(parts)

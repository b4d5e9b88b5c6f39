"""Charts drawn on the server as inline SVG (no JavaScript, nothing fetched): a line per series
over days, the user's changes as marked dates, every point labelled with its value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from rugwijzer.i18n import format_day, format_number, translations

if TYPE_CHECKING:
    from rugwijzer.services.progress import EffectView

__all__ = ["Series", "effect_chart", "line_chart"]

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
    interactive: bool = True,
) -> str:
    """An accessible SVG line chart; `marks` are (day index, label) for the user's changes.
    `day_labels` are the days as the reader writes them (default: MM-DD from the ISO dates);
    values are written in the locale of `lang` (1.500 and 7,5 in Dutch). With `interactive`
    false (print), the points are drawn without their own labels and focus, one path a line:
    a PDF printer draws element by element, and a point each tripled the report's time."""
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
    if not interactive:
        for line, points in lines:
            dots = "".join(
                f"M{px - 3:.1f} {py:.1f}a3 3 0 1 0 6 0a3 3 0 1 0 -6 0" for px, py, _, _ in points
            )
            if dots:
                parts.append(f'<path d="{dots}" class="{line.css_class}"/>')
        parts.append("</g></svg>")
        return "".join(parts)
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


# --- did it help? -------------------------------------------------------------------------------
# Colours are presentation attributes, not classes: the same drawing goes into the page and into
# the PDF report, which has its own style sheet.
_EFFECT_WIDTH, _EFFECT_PLOT_HEIGHT, _EFFECT_PANEL_HEIGHT = 640, 220, 84
_INK, _MUTED, _BEFORE, _AFTER = "#222", "#666", "#eef1f6", "#eaf5ef"
_POINT, _MEAN, _ESTIMATE, _MARK, _FLARE = "#8a8a8a", "#b00020", "#1f4e99", "#7a4b00", "#d98c00"


def effect_chart(view: EffectView, lang: str, *, title: str) -> str:
    """One change's before/after chart: the daily scores and their 7-day mean, the two phases
    shaded with each phase's estimate and 95 % interval, other changes marked, days left out as
    a flare, the earlier trend when it was carried forward, and below it the difference with its
    interval against the zones -MIC, 0 and +MIC. Inline SVG, nothing fetched."""
    _ = translations(lang).gettext
    left, right, top = 34, 16, 16
    plot_bottom = top + _EFFECT_PLOT_HEIGHT - 28
    first, last = view.baseline_start, view.end_date
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return left + (_EFFECT_WIDTH - left - right) * ((day - first).days / span)

    def y(value: float) -> float:
        return top + (plot_bottom - top) * (1 - max(0.0, min(value, 10.0)) / 10)

    def number(value: float, digits: int = 1) -> str:
        return format_number(value, lang, 0, digits)

    height = top + _EFFECT_PLOT_HEIGHT + _EFFECT_PANEL_HEIGHT
    description = view.verdict_text.text
    parts = [
        f'<svg viewBox="0 0 {_EFFECT_WIDTH} {height}" role="img" class="chart effect-chart" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
        'font-family="DejaVu Sans, Verdana, sans-serif">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
        # the phases
        f'<rect x="{x(first):.1f}" y="{top}" width="{x(view.change_date) - x(first):.1f}" '
        f'height="{plot_bottom - top}" fill="{_BEFORE}"/>',
        f'<rect x="{x(view.change_date):.1f}" y="{top}" '
        f'width="{x(last) - x(view.change_date):.1f}" height="{plot_bottom - top}" '
        f'fill="{_AFTER}"/>',
        f'<text x="{x(first) + 4:.1f}" y="{top + 12}" font-size="11" fill="{_MUTED}">'
        f"{escape(_('before'))}</text>",
        f'<text x="{x(view.change_date) + 4:.1f}" y="{top + 12}" font-size="11" '
        f'fill="{_MUTED}">{escape(_("after"))}</text>',
        f'<line x1="{x(view.change_date):.1f}" y1="{top}" x2="{x(view.change_date):.1f}" '
        f'y2="{plot_bottom}" stroke="{_INK}" stroke-width="2"/>',
    ]
    # the axis, 0 to 10
    for tick in (0, 5, 10):
        parts.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{_EFFECT_WIDTH - right}" '
            f'y2="{y(tick):.1f}" stroke="#ccc" stroke-width="0.5"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="10" fill="{_MUTED}" '
            f'text-anchor="end">{tick}</text>'
        )
    for label_day in (first, view.change_date, last):
        parts.append(
            f'<text x="{x(label_day):.1f}" y="{plot_bottom + 14}" font-size="10" '
            f'fill="{_MUTED}" text-anchor="middle">{escape(format_day(label_day, lang, "d MMM"))}'
            "</text>"
        )
    # other changes
    for other in view.other_changes:
        if first <= other.started_on <= last:
            parts.append(
                f'<line x1="{x(other.started_on):.1f}" y1="{top}" x2="{x(other.started_on):.1f}" '
                f'y2="{plot_bottom}" stroke="{_MARK}" stroke-width="2" stroke-dasharray="3 3">'
                f"<title>{escape(other.description)}</title></line>"
            )
    # each phase's estimate with its interval
    for phase in (view.before, view.after):
        if phase is None:
            continue
        x1, x2 = x(phase.first_day), x(phase.last_day)
        parts.append(
            f'<rect x="{x1:.1f}" y="{y(phase.ci_high):.1f}" width="{max(x2 - x1, 1):.1f}" '
            f'height="{max(y(phase.ci_low) - y(phase.ci_high), 1):.1f}" fill="{_ESTIMATE}" '
            'fill-opacity="0.15"/>'
            f'<line x1="{x1:.1f}" y1="{y(phase.mean):.1f}" x2="{x2:.1f}" y2="{y(phase.mean):.1f}" '
            f'stroke="{_ESTIMATE}" stroke-width="2.5"/>'
            f'<text x="{x2 - 2:.1f}" y="{y(phase.mean) - 5:.1f}" font-size="11" '
            f'fill="{_ESTIMATE}" text-anchor="end">{number(phase.mean)}</text>'
        )
    # the earlier trend, carried forward
    if view.trend_adjusted and view.trend_per_week is not None:
        level = view.trend_level_at_start or 0.0
        per_day = view.trend_per_week / 7

        def trend_at(day: date) -> float:
            return level + per_day * (day - view.change_date).days

        parts.append(
            f'<line x1="{x(first):.1f}" y1="{y(trend_at(first)):.1f}" x2="{x(last):.1f}" '
            f'y2="{y(trend_at(last)):.1f}" stroke="{_ESTIMATE}" stroke-width="1.5" '
            f'stroke-dasharray="6 4"><title>{escape(_("earlier trend, carried forward"))}'
            "</title></line>"
        )
    # the daily points (flare days in another colour) and the 7-day mean, broken at gaps
    # All points of one colour are one path of small circles: a PDF printer draws an element
    # at a time, and a circle each made the report's charts three times slower.
    flare = set(view.flare_days)
    for colour, shown in ((_POINT, False), (_FLARE, True)):
        dots = "".join(
            f"M{x(point.day) - 2.5:.1f} {y(point.value):.1f}a2.5 2.5 0 1 0 5 0a2.5 2.5 0 1 0 -5 0"
            for point in view.points
            if (point.day in flare) is shown
        )
        if dots:
            parts.append(f'<path d="{dots}" fill="{colour}"/>')
    segments: list[list[str]] = []
    previous: date | None = None
    for point in view.rolling_mean:
        if previous is None or (point.day - previous).days > 1:
            segments.append([])
        segments[-1].append(f"{x(point.day):.1f},{y(point.value):.1f}")
        previous = point.day
    for segment in segments:
        if len(segment) > 1:
            parts.append(
                f'<polyline points="{" ".join(segment)}" fill="none" stroke="{_MEAN}" '
                'stroke-width="2"/>'
            )
    # legend: each entry as wide as its label (about 6 px a character at this size)
    legend_y = plot_bottom + 28
    entries = [
        (f'<circle cx="{{x}}" cy="{legend_y - 4}" r="3" fill="{_POINT}"/>', _("one day's score")),
        (
            f'<line x1="{{x0}}" y1="{legend_y - 4}" x2="{{x1}}" y2="{legend_y - 4}" '
            f'stroke="{_MEAN}" stroke-width="2"/>',
            _("7-day mean"),
        ),
        (
            f'<line x1="{{x0}}" y1="{legend_y - 4}" x2="{{x1}}" y2="{legend_y - 4}" '
            f'stroke="{_ESTIMATE}" stroke-width="2.5"/>',
            _("estimate with 95% interval"),
        ),
    ]
    if flare:
        entries.append(
            (
                f'<circle cx="{{x}}" cy="{legend_y - 4}" r="3" fill="{_FLARE}"/>',
                _("flare, left out"),
            )
        )
    cursor = float(left)
    for marker, label in entries:
        parts.append(
            marker.format(x=f"{cursor + 4:.1f}", x0=f"{cursor:.1f}", x1=f"{cursor + 18:.1f}")
        )
        parts.append(
            f'<text x="{cursor + 24:.1f}" y="{legend_y}" font-size="10" fill="{_INK}">'
            f"{escape(label)}</text>"
        )
        cursor += 24 + 6 * len(label) + 16
    parts.append(_effect_panel(view, lang, top + _EFFECT_PLOT_HEIGHT + 6, left, right))
    parts.append("</svg>")
    return "".join(parts)


def _effect_panel(view: EffectView, lang: str, top: int, left: int, right: int) -> str:
    """The difference and its 95 % interval on a scale with the zones -MIC, 0, +MIC."""
    _ = translations(lang).gettext
    if view.difference is None or view.ci_low is None or view.ci_high is None:
        return (
            f'<text x="{left}" y="{top + 30}" font-size="12" fill="{_INK}">'
            f"{escape(_('No difference estimated: too little data.'))}</text>"
        )
    mic = view.mic or 0.0
    reach = max(3.0, abs(view.ci_low), abs(view.ci_high), mic * 1.5)
    reach = float(int(reach) + 1)
    axis_y = top + 40

    def x(value: float) -> float:
        return left + (_EFFECT_WIDTH - left - right) * ((value + reach) / (2 * reach))

    def number(value: float) -> str:
        return format_number(value, lang, 0, 1)

    better_left = view.higher_is_worse  # lower scores are better for pain, stress, stiffness
    parts = [
        f'<text x="{left}" y="{top + 10}" font-size="11" fill="{_INK}">'
        f"{escape(_('Difference after minus before (points), with its 95% interval'))}</text>",
        f'<rect x="{x(-mic):.1f}" y="{axis_y - 14}" width="{x(mic) - x(-mic):.1f}" height="28" '
        f'fill="#e8e8e8"><title>{escape(_("smaller than the smallest change that matters"))}'
        "</title></rect>",
        f'<line x1="{x(-reach):.1f}" y1="{axis_y}" x2="{x(reach):.1f}" y2="{axis_y}" '
        f'stroke="{_MUTED}"/>',
    ]
    for value in (-mic, 0.0, mic):
        dashes = "" if value == 0 else 'stroke-dasharray="3 2" '
        parts.append(
            f'<line x1="{x(value):.1f}" y1="{axis_y - 14}" x2="{x(value):.1f}" '
            f'y2="{axis_y + 14}" stroke="{_INK if value == 0 else _MUTED}" '
            f'stroke-width="{1.5 if value == 0 else 1}" '
            f"{dashes}/>"
            f'<text x="{x(value):.1f}" y="{axis_y + 26}" font-size="10" fill="{_MUTED}" '
            f'text-anchor="middle">{"0" if value == 0 else number(value)}</text>'
        )
    better, worse = _("better"), _("worse")
    parts.append(
        f'<text x="{x(-reach) + 2:.1f}" y="{axis_y + 26}" font-size="10" fill="{_MUTED}">'
        f"← {escape(better if better_left else worse)}</text>"
        f'<text x="{x(reach) - 2:.1f}" y="{axis_y + 26}" font-size="10" fill="{_MUTED}" '
        f'text-anchor="end">{escape(worse if better_left else better)} →</text>'
        f'<line x1="{x(view.ci_low):.1f}" y1="{axis_y}" x2="{x(view.ci_high):.1f}" '
        f'y2="{axis_y}" stroke="{_ESTIMATE}" stroke-width="4"/>'
        f'<circle cx="{x(view.difference):.1f}" cy="{axis_y}" r="6" fill="{_ESTIMATE}"/>'
        f'<text x="{x(view.difference):.1f}" y="{axis_y - 10}" font-size="11" '
        f'fill="{_ESTIMATE}" text-anchor="middle">{number(view.difference)} '
        f"({number(view.ci_low)} … {number(view.ci_high)})</text>"
    )
    return "".join(parts)

"""The report as HTML and as PDF: `report.html` rendered from a `ReportView`, then printed.

Printing fetches nothing: the template carries its own CSS and inline SVG charts, the font
comes from the system (fontconfig; Debian's fonts-dejavu-core) and is embedded in the PDF.
WeasyPrint prints in a child process of its own (`rugwijzer.web.pdf_printer`), which loads no
address outside this package's web folder.
"""

from __future__ import annotations

import logging

from markupsafe import Markup

from rugwijzer import __version__
from rugwijzer.domain.progress import Verdict
from rugwijzer.errors import UnavailableError
from rugwijzer.i18n import format_day, translations
from rugwijzer.messages import Code
from rugwijzer.services.progress import EffectView
from rugwijzer.services.report import ReportView
from rugwijzer.web.charts import Series, effect_chart, line_chart
from rugwijzer.web.pdf_printer import PrintFailedError, print_pdf
from rugwijzer.web.rendering import TEMPLATES, urgency_label

__all__ = [
    "MAX_DETAILED_EFFECTS",
    "MAX_EFFECT_CHARTS",
    "MAX_LISTED_EFFECTS",
    "PRINT_RETRY_AFTER_SECONDS",
    "report_html",
    "report_pdf",
]

_log = logging.getLogger(__name__)

#: Changes told in full (the most recent ones); older ones in the period get a line each.
MAX_DETAILED_EFFECTS = 8
#: Of those, the ones with their chart; the report stays within six pages.
MAX_EFFECT_CHARTS = 4
#: Older changes listed in a line each, at most (the most recent of them).
MAX_LISTED_EFFECTS = 24
#: When a failed print may be tried again (Retry-After).
PRINT_RETRY_AFTER_SECONDS = 5


#: The charts' styles, inside each SVG: WeasyPrint draws an inline SVG with the SVG's own styles
#: only, not the page's. The classes are those of `rugwijzer.web.charts` (as in site.css).
CHART_CSS = """
.axis { stroke: #555; }
.tick, .value { font-size: 11px; fill: #333; font-family: "DejaVu Sans", sans-serif; }
.on-focus { display: none; }
.target { stroke: #0b6e4f; stroke-dasharray: 6 4; stroke-width: 2; }
.mark { stroke: #7a4b00; stroke-dasharray: 2 3; stroke-width: 2; }
polyline { fill: none; stroke-width: 2; }
polyline.pain { stroke: #b00020; }
circle.pain, path.pain { fill: #b00020; }
polyline.stress { stroke: #1f4e99; }
circle.stress, path.stress { fill: #1f4e99; }
"""


def styled_svg(svg: str) -> Markup:
    """A server-drawn chart with `CHART_CSS` inside it, ready for print."""
    opening = svg.index(">") + 1
    return Markup(f"{svg[:opening]}<style>{CHART_CSS}</style>{svg[opening:]}")


def trend_chart(view: ReportView, lang: str) -> Markup:
    """Daily pain and stress over the period, each change that started in it marked."""
    _ = translations(lang).gettext
    trend = view.trend
    days = [row.day.isoformat() for row in trend.days]
    index = {row.day: position for position, row in enumerate(trend.days)}
    marks = [
        (index[effect.change_date], effect.description or "")
        for effect in view.effects
        if effect.change_date in index
    ]
    return styled_svg(
        line_chart(
            _("Pain and stress (0-10)"),
            days,
            [
                Series(_("Pain"), "pain", [row.pain for row in trend.days]),
                Series(_("Stress"), "stress", [row.stress for row in trend.days]),
            ],
            y_max=10,
            marks=marks,
            day_labels=[format_day(row.day, lang, "d MMM") for row in trend.days],
            lang=lang,
            interactive=False,
        )
    )


def effect_chart_markup(effect: EffectView, lang: str) -> Markup:
    """One change's chart (its colours are attributes, so it prints as it shows on Trends)."""
    _ = translations(lang).gettext
    title = _("%(change)s: %(outcome)s before and after") % {
        "outcome": effect.outcome_name,
        "change": effect.description or "",
    }
    return Markup(effect_chart(effect, lang, title=title))


def verdict_label(verdict: Verdict, lang: str) -> str:
    """A verdict in a word or two, for the line of an older change."""
    _ = translations(lang).gettext
    return {
        Verdict.IMPROVED: _("better"),
        Verdict.WORSE: _("worse"),
        Verdict.NO_IMPORTANT_CHANGE: _("no important change"),
        Verdict.UNCERTAIN: _("not clear yet"),
        Verdict.TOO_LITTLE_DATA: _("too little data"),
    }[verdict]


def effect_parts(
    view: ReportView, lang: str
) -> tuple[int, list[EffectView], list[tuple[EffectView, Markup | None]]]:
    """The changes of the period as the report shows them: how many of the oldest are left out,
    the `MAX_LISTED_EFFECTS` older ones in a line each, and the `MAX_DETAILED_EFFECTS` most
    recent in full, the last `MAX_EFFECT_CHARTS` of them with their chart."""
    split = max(0, len(view.effects) - MAX_DETAILED_EFFECTS)
    older, recent = view.effects[:split], view.effects[split:]
    left_out = max(0, len(older) - MAX_LISTED_EFFECTS)
    charted = len(recent) - MAX_EFFECT_CHARTS
    return (
        left_out,
        older[left_out:],
        [
            (effect, effect_chart_markup(effect, lang) if index >= charted else None)
            for index, effect in enumerate(recent)
        ],
    )


def report_html(view: ReportView) -> str:
    """The report as one self-contained HTML document in the view's language."""
    lang = view.lang
    left_out, older, recent = effect_parts(view, lang)
    return TEMPLATES.env.get_template("report.html").render(
        _=translations(lang).gettext,
        lang=lang,
        view=view,
        version=__version__,
        day=lambda value, length="long": format_day(value, lang, length),
        urgency_label=urgency_label,
        trend_chart=trend_chart(view, lang),
        effects_left_out=left_out,
        older_effects=older,
        recent_effects=recent,
        verdict_label=lambda verdict: verdict_label(verdict, lang),
        max_effect_charts=MAX_EFFECT_CHARTS,
    )


def report_pdf(view: ReportView) -> bytes:
    """The report as a PDF (A4, fonts embedded); `UnavailableError` when it could not be
    printed this time."""
    try:
        return print_pdf(report_html(view))
    except PrintFailedError as exc:
        _log.warning("report not printed: %s", exc)
        raise UnavailableError(
            Code.REPORT_PRINT_FAILED, retry_after_seconds=PRINT_RETRY_AFTER_SECONDS
        ) from exc

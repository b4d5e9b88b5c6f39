"""The aids widget for shops: `/embed/aids`, a page without scripts or cookies that a shop or
clinic shows in an iframe on its own site (docs/embed.md).

Who may frame it is the operator's choice: the page carries `Content-Security-Policy:
frame-ancestors` with `RUGWIJZER_EMBED_ORIGINS` ('none' when empty), while every other response
refuses to be framed (`SecurityHeaders` in web/guards.py). The page's own policy allows no script at
all, and styles and images only from Rugwijzer itself: the shop's colour comes as a small
stylesheet of its own (`/embed/aids/theme.css`), not as an inline style.

The answers come in the query string (a GET form: nothing is posted across sites and no cookie is
needed) and are never stored: the page reads the catalogue and writes nothing. Uvicorn's access
log would write the query string; `QueryFreeAccessLog` keeps the widget's answers out of it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from rugwijzer import __version__
from rugwijzer.domain.aids import GOALS, WORK, parse_aid_answers
from rugwijzer.domain.triage import question, triage
from rugwijzer.errors import InvalidInputError, NotFoundError
from rugwijzer.messages import Code, Message
from rugwijzer.services.aids import AidAdviceView
from rugwijzer.services.safety import triage_view
from rugwijzer.services.views import TriageView
from rugwijzer.settings import Settings
from rugwijzer.web.i18n import LANGUAGES, translations
from rugwijzer.web.rendering import TEMPLATES, urgency_label

__all__ = [
    "EMBED_PATH",
    "WARNING_SIGNS",
    "EmbedConfig",
    "QueryFreeAccessLog",
    "contrast_ratio",
    "embed_config",
    "install_access_log_filter",
    "readable_text_colour",
    "router",
]

router = APIRouter(include_in_schema=False)

EMBED_PATH = "/embed/aids"
#: The number fields and choices of the form, as the advice names them.
NUMBER_FIELDS = ("pain_weeks", "sitting_hours_per_day")
CHOICE_FIELDS = ("work", "goal")
#: The warning-sign questions the widget asks: every yes/no question of the triage whose "yes"
#: alone makes it an emergency or urgent (tests/integration/test_embed.py keeps the list
#: complete). The full check, with the questions that can only make it "soon", is /triage.
WARNING_SIGNS = (
    "bladder_or_bowel_change",
    "saddle_numbness",
    "leg_weakness_progressive",
    "sudden_severe_pain_unchanged_by_position",
    "major_trauma",
    "recent_back_surgery",
    "fever",
    "minor_trauma_with_osteoporosis_or_steroids",
)
LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
#: Rugwijzer's own accent (site.css), for an installation without a shop colour.
DEFAULT_COLOUR = "#0b6e4f"
_BLACK = "#000000"
_WHITE = "#ffffff"
#: A logo is only ever an image: no script, no style sheet from elsewhere, never framed; an SVG
#: opened on its own is sandboxed (a unique origin, no scripts) as well.
_LOGO_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"


# --- colours --------------------------------------------------------------------------------


def _relative_luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    channels = [int(digits[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG 2.2 contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted(
        (_relative_luminance(first), _relative_luminance(second)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with `background`. For any colour the better
    of the two reaches at least 4.58:1, above the 4.5:1 that WCAG AA asks of text."""
    return (
        _BLACK
        if contrast_ratio(_BLACK, background) >= contrast_ratio(_WHITE, background)
        else _WHITE
    )


# --- configuration --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EmbedConfig:
    """The widget's settings, read once when the app is made."""

    frame_ancestors: str  # the CSP source list: origins, or 'none'
    default_language: str
    shop_name: str | None
    colour: str  # #rrggbb: the header band and the button
    text_colour: str  # black or white, readable on `colour`
    logo: Path | None

    @property
    def page_policy(self) -> str:
        """The widget page's Content-Security-Policy: no script at all, styles, images and the
        form only to Rugwijzer itself, framed only by the configured origins."""
        return (
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            f"base-uri 'none'; frame-ancestors {self.frame_ancestors}"
        )

    @property
    def theme_css(self) -> str:
        """The shop's colours as CSS custom properties (used by static/embed.css)."""
        return f":root {{ --shop: {self.colour}; --on-shop: {self.text_colour}; }}\n"


def embed_config(settings: Settings) -> EmbedConfig:
    """The widget's configuration from the settings (origins and logo checked there)."""
    colour = (settings.shop_colour or DEFAULT_COLOUR).lower()
    return EmbedConfig(
        frame_ancestors=" ".join(settings.embed_origins) or "'none'",
        default_language=settings.default_language,
        shop_name=(settings.shop_name or "").strip() or None,
        colour=colour,
        text_colour=readable_text_colour(colour),
        logo=settings.shop_logo,
    )


# --- the access log ---------------------------------------------------------------------------


class QueryFreeAccessLog(logging.Filter):
    """Drops the query string of widget requests from uvicorn's access log: the answers (pain,
    warning signs) are health data that Rugwijzer promises not to keep."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn: '%s - "%s %s HTTP/%s" %d' % (client, method, path?query, version, status)
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path, _, query = args[2].partition("?")
            if query and path.startswith(EMBED_PATH):
                record.args = (args[0], args[1], path, args[3], args[4])
        return True


def install_access_log_filter() -> None:
    """Put `QueryFreeAccessLog` on uvicorn's access logger (once per process)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, QueryFreeAccessLog) for f in logger.filters):
        logger.addFilter(QueryFreeAccessLog())


# --- the page -------------------------------------------------------------------------------


def _answers(
    numbers: dict[str, str], choices: dict[str, str], signs: dict[str, str]
) -> dict[str, Any]:
    """The form's fields as the advice's JSON answers; what cannot be read is passed on as it
    came, so the advice names the problem."""
    data: dict[str, Any] = {}
    for name, text in numbers.items():
        if text:
            try:
                data[name] = float(text.replace(",", "."))
            except ValueError:
                data[name] = text
    data.update({name: text for name, text in choices.items() if text})
    answered = {
        key: {"yes": True, "no": False}.get(text, text) for key, text in signs.items() if text
    }
    if answered:
        data["triage"] = answered
    return data


def _headers(config: EmbedConfig) -> dict[str, str]:
    return {
        "content-security-policy": config.page_policy,
        # the answers are health data: no cache keeps the page, no link carries its address
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
        "x-content-type-options": "nosniff",
    }


@router.get(EMBED_PATH)
def aids_widget(request: Request) -> HTMLResponse:
    """The widget: the questions, and once answered the advice (red flag first)."""
    config: EmbedConfig = request.app.state.embed
    query = request.query_params
    numbers = {name: query.get(name, "").strip() for name in NUMBER_FIELDS}
    choices = {name: query.get(name, "").strip() for name in CHOICE_FIELDS}
    signs = {key: query.get(key, "").strip() for key in WARNING_SIGNS}
    requested = query.get("lang", "").strip()
    lang = requested or config.default_language
    error: Message | None = None
    advice: AidAdviceView | None = None
    warning: TriageView | None = None
    if lang not in LANGUAGES:
        # in the installation's language, so the shop sees what went wrong inside its frame
        lang = config.default_language
        error = Message.of(Code.EMBED_UNKNOWN_LANGUAGE, lang=requested[:20], known=LANGUAGES)
    elif all(numbers.values()) and all(choices.values()):
        # all four asked questions answered (the form requires them); part of them, as a shop
        # may fill in beforehand (sitting hours on a chair's page), only fills in the form
        try:
            answers = parse_aid_answers(_answers(numbers, choices, signs))
        except InvalidInputError as exc:
            error = exc.message
        else:
            advice = request.app.state.diary.aids.advice(answers, lang)
            if advice.red_flag:
                warning = triage_view(triage(answers.triage), lang)
    _ = translations(lang).gettext
    other = "en" if lang == "nl" else "nl"
    shown = {**numbers, **choices, **signs}
    if config.shop_name:
        title = _("Aids for back pain: advice for visitors of %(shop)s") % {
            "shop": config.shop_name
        }
    else:
        title = _("Aids for back pain: what the evidence says")
    return TEMPLATES.TemplateResponse(
        request,
        "embed_aids.html",
        {
            "_": _,
            "lang": lang,
            "title": title,
            "version": __version__,
            "shop_name": config.shop_name,
            "logo": config.logo is not None and config.logo.is_file(),
            "other_lang": other,
            "other_lang_name": "English" if other == "en" else "Nederlands",
            "other_lang_query": urlencode(
                {"lang": other, **{name: value for name, value in shown.items() if value}}
            ),
            "values": shown,
            "work_choices": _work_choices(_),
            "goal_choices": _goal_choices(_),
            "signs": [{"key": key, "text": getattr(question(key), lang)} for key in WARNING_SIGNS],
            "error": error,
            "advice": advice,
            "warning": warning,
            "warning_label": urgency_label(warning.urgency, lang) if warning else "",
        },
        status_code=422 if error is not None else 200,
        headers=_headers(config),
    )


def _work_choices(_: Any) -> list[tuple[str, str]]:
    labels = {
        "desk": _("Mostly at a desk"),
        "manual": _("Physical work"),
        "standing": _("Mostly standing"),
        "other": _("Something else"),
    }
    return [(key, labels[key]) for key in WORK]


def _goal_choices(_: Any) -> list[tuple[str, str]]:
    labels = {
        "relief": _("Relief of the pain I have now"),
        "prevention": _("Preventing back pain"),
    }
    return [(key, labels[key]) for key in GOALS]


@router.get(f"{EMBED_PATH}/theme.css")
def aids_widget_theme(request: Request) -> Response:
    """The shop's colour and a readable text colour on it, for static/embed.css."""
    config: EmbedConfig = request.app.state.embed
    return Response(
        config.theme_css,
        media_type="text/css",
        headers={"cache-control": "public, max-age=300", "x-content-type-options": "nosniff"},
    )


@router.get(f"{EMBED_PATH}/logo")
def aids_widget_logo(request: Request) -> Response:
    """The shop's logo file (PNG, JPEG or SVG); 404 when none is set or the file is gone."""
    config: EmbedConfig = request.app.state.embed
    logo = config.logo
    media_type = LOGO_TYPES.get(logo.suffix.lower()) if logo is not None else None
    if logo is None or media_type is None or not logo.is_file():
        raise NotFoundError(Code.EMBED_NO_LOGO)
    return Response(
        logo.read_bytes(),
        media_type=media_type,
        headers={
            "content-security-policy": _LOGO_POLICY,
            "x-content-type-options": "nosniff",
            "cache-control": "public, max-age=300",
        },
    )

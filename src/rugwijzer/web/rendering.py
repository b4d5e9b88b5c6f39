"""What every page shares: the language, who is signed in, and rendering with the red flag on top.

In local mode the one implicit user is always signed in. In server mode the browser carries the
session cookie that `/login` sets; pages that need a diary send everyone else to the login page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from rugwijzer import __version__
from rugwijzer.api.deps import SESSION_COOKIE  # the same cookie the API's /auth/login sets
from rugwijzer.errors import AuthenticationError
from rugwijzer.messages import Message
from rugwijzer.services.diary import Diary
from rugwijzer.web.i18n import LANGUAGES, format_euros, format_number, render_message, translations

__all__ = [
    "LANG_COOKIE",
    "SESSION_COOKIE",
    "LoginRequired",
    "Viewer",
    "error_page",
    "page_lang",
    "redirect_to_login",
    "remember_language",
    "render",
    "safe_next",
    "say_html",
    "signed_in_diary",
    "urgency_label",
    "viewer",
]

LANG_COOKIE = "rugwijzer_lang"
TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
# The templates ship inside the package and do not change while it runs: no stat() per render.
TEMPLATES.env.auto_reload = False
TEMPLATES.env.filters["number"] = format_number  # {{ value | number(lang) }}
TEMPLATES.env.filters["euros"] = format_euros  # {{ price | euros(lang) }}


def _marked(text: str, lang: str) -> str:
    # `text` is escaped already; the language code comes from the message, never from a user.
    return f'<span lang="{escape(lang)}">{text}</span>'


def say_html(message: Message | str | None, lang: str) -> Markup:
    """A message written in `lang` as safe HTML: every parameter escaped, text in another
    language in `<span lang="…">`. A plain string (a page's own gettext text) is escaped."""
    if message is None:
        return Markup("")
    if isinstance(message, str):
        return escape(message)
    return Markup(render_message(message, lang, foreign=_marked, escape=lambda t: str(escape(t))))


@pass_context
def _say(context: Context, message: Message | str | None) -> Markup:
    """`{{ say(error) }}`: the message in the page's language."""
    return say_html(message, str(context.get("lang") or "nl"))


TEMPLATES.env.globals["say"] = _say


def lang_attribute(part_lang: str | None, page_lang: str) -> Markup:
    """` lang="en"` for a part in another language than the page's (a source title, a USDA
    food name; WCAG 2.2 success criterion 3.1.2), nothing when it is the page's."""
    if part_lang and part_lang != page_lang:
        return Markup(' lang="{}"').format(part_lang)
    return Markup("")


TEMPLATES.env.globals["lang_attr"] = lang_attribute  # <a{{ lang_attr(source.lang, lang) }}>


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is looking at the page."""

    user_id: int
    role: str
    token: str | None  # the session token (server mode)


class LoginRequired(Exception):  # noqa: N818 - a signal, not an error the user made
    """Raised by pages that need a diary when nobody is signed in (server mode)."""


def page_lang(request: Request) -> str:
    """The interface language: the cookie, else the configured default."""
    chosen = request.cookies.get(LANG_COOKIE) or request.app.state.default_language
    return chosen if chosen in LANGUAGES else "nl"


def remember_language(response: Response, lang: str) -> None:
    """Keep the chosen interface language for a year (a cookie, also when signed out)."""
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")


def server_mode(request: Request) -> bool:
    return request.app.state.accounts is not None


def viewer(request: Request) -> Viewer | None:
    """The signed-in user, or None (checked once per request)."""
    if hasattr(request.state, "viewer"):
        return cast("Viewer | None", request.state.viewer)
    found: Viewer | None = None
    if not server_mode(request):
        found = Viewer(request.app.state.local_user_id, "user", None)
    elif token := request.cookies.get(SESSION_COOKIE):
        try:
            user_id, role = request.app.state.accounts.authenticate(token)
            found = Viewer(user_id, role, token)
        except AuthenticationError:
            found = None
    request.state.viewer = found
    return found


def signed_in_diary(request: Request) -> tuple[Diary, int]:
    """The diary services and the signed-in user's id; `LoginRequired` when nobody is."""
    who = viewer(request)
    if who is None:
        raise LoginRequired
    return request.app.state.diary, who.user_id


def safe_next(target: str | None, default: str = "/") -> str:
    """A redirect target only within this site (no //host or scheme)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()  # browsers drop tabs and newlines: "/\t/evil" is "//evil"
    ):
        return target
    return default


def redirect_to_login(request: Request, exc: Exception) -> RedirectResponse:
    """Exception handler for `LoginRequired`: to the login page, and back afterwards."""
    wanted = request.url.path if request.method == "GET" else "/today"
    return RedirectResponse(f"/login?next={quote(wanted)}", status_code=303)


def urgency_label(urgency: str, lang: str) -> str:
    _ = translations(lang).gettext
    return {
        "emergency": _("Emergency: get help now"),
        "urgent": _("Urgent: contact your GP today"),
        "soon": _("See your GP within a few days"),
        "none": _("No warning signs"),
    }[urgency]


def render(
    request: Request, template: str, title: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """A page in the viewer's language, headed by their unacknowledged red flag."""
    lang = page_lang(request)
    who = viewer(request)
    if "red_flag" in context:  # the page read it already (Today's day view has it)
        red_flag = context.pop("red_flag")
    else:
        red_flag = request.app.state.diary.summaries.red_flag(who.user_id) if who else None
    other = "en" if lang == "nl" else "nl"
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            # per request, not installed globally: requests in other languages run in parallel
            "_": translations(lang).gettext,
            "lang": lang,
            "other_lang": other,
            "other_lang_name": "English" if other == "en" else "Nederlands",
            "path": request.url.path,
            "title": title,
            "version": __version__,
            "server_mode": server_mode(request),
            "signed_in": who is not None,
            "practitioner": who is not None and who.role == "practitioner",
            "red_flag": red_flag,
            "urgency_label": urgency_label(red_flag.urgency, lang) if red_flag else "",
            **context,
        },
        status_code=status_code,
    )


def error_page(request: Request, status: int, message: Message | None) -> Response:
    """An error as a page in the reader's language (the API answers with problem+json), with
    the error's own message where there is one (not for server errors: those are for us)."""
    lang = page_lang(request)
    _ = translations(lang).gettext
    titles = {
        401: _("Please log in"),
        404: _("Not found"),
        429: _("Too many attempts"),
    }
    explanations = {
        401: _("Log in to see this page."),
        404: _("This page or entry does not exist, or it is not yours."),
        422: _("Something in what was sent could not be used. Go back and check it."),
        429: _("Too many attempts. Wait a few minutes and try again."),
    }
    if status >= 500:
        title = _("Something went wrong")
        explanation = _("Something went wrong on our side. Nothing was half saved; try again.")
    else:
        title = titles.get(status, _("That did not work"))
        explanation = explanations.get(status, _("This request could not be handled."))
    shown = message if status < 500 else None
    try:
        return render(request, "error.html", title, status, explanation=explanation, error=shown)
    except Exception:  # the page itself needs the database; never hide the first error
        said = f"\n{render_message(shown, lang)}" if shown is not None else ""
        return PlainTextResponse(f"{title}{said}\n{explanation}", status_code=status)

"""The language the command line speaks, and its words from the one catalogue.

One decision, the first that applies: the `--lang` option (`rugwijzer --lang nl …`, or a
command's own `--lang`), the profile's language (a profile file the command reads, else the
stored profile of the local diary), the locale environment (`LC_ALL`, `LC_MESSAGES`, `LANG`:
the first one set decides; one starting with "nl" means Dutch), else English.

The decision is taken once per invocation (the main callback starts one, `begin`) and kept,
so that an error reported later in the same command speaks the language of its output.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from rugwijzer.i18n import format_day, format_number, format_param, render_message, translations
from rugwijzer.messages import Message, Param

__all__ = [
    "Voice",
    "begin",
    "choose_language",
    "cli_language",
    "locale_language",
    "voice",
]

_OPTION_KEY = "option"
_DECIDED_KEY = "language"
_STORED_KEY = "stored_profile_language"
#: What this invocation knows: the global `--lang`, the decision, the stored profile's language.
_invocation: ContextVar[dict[str, Any] | None] = ContextVar("rugwijzer_cli_language", default=None)
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def locale_language(environ: Mapping[str, str]) -> str | None:
    """ "nl" when the locale asks for Dutch, else None. As in POSIX, the first of LC_ALL,
    LC_MESSAGES and LANG that is set (and not empty) decides: LC_ALL=C wins over LANG=nl_NL."""
    for variable in _LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            return "nl" if value.lower().startswith("nl") else None
    return None


def choose_language(
    option: str | None,
    profile: Callable[[], str | None],
    environ: Mapping[str, str],
) -> str:
    """The command line's language ("nl" or "en"): the `--lang` option, the profile's
    language, the locale environment, else English. `profile` is only asked when no option
    was given (reading the stored profile opens the database)."""
    if option in ("nl", "en"):
        return option
    from_profile = profile()
    if from_profile in ("nl", "en"):
        return from_profile
    return locale_language(environ) or "en"


def _stored_profile_language() -> str | None:
    """The language of the local diary's profile; None in server mode, without a diary
    file, before the schema is there or when no profile was set. Never creates anything."""
    from sqlalchemy.exc import SQLAlchemyError

    from rugwijzer.errors import RugwijzerError

    try:
        from rugwijzer.settings import get_settings

        settings = get_settings()
        if settings.mode != "local":
            return None
        if settings.database_url is None and not (settings.data_dir / "rugwijzer.db").is_file():
            return None  # no diary yet; opening SQLite would create the file
        from rugwijzer.services.app import diary_service
        from rugwijzer.services.profile_input import LOCAL_USER_ID

        profile = diary_service().profiles.profile(LOCAL_USER_ID)
    except (RugwijzerError, SQLAlchemyError, ValueError, OSError):
        # The language is a courtesy: a diary that cannot be read is reported by the
        # command that needs it, not by the choice of words.
        return None
    return profile.language if profile else None


def begin(option: str | None) -> None:
    """Start an invocation of the command line with its global `--lang` (None: not given)."""
    _invocation.set({_OPTION_KEY: option})


def cli_language(option: str | None = None, profile: str | None = None) -> str:
    """The language of this invocation. A command passes its own `--lang` (`option`) and the
    language of a profile file it read (`profile`); the global `rugwijzer --lang` comes first.
    Without arguments, the language decided earlier in this invocation (or decided now)."""
    meta = _invocation.get()
    if meta is None:  # called outside an invocation (a test, a tool): decide, keep nothing
        meta = {}
    if option is None and profile is None and _DECIDED_KEY in meta:
        return str(meta[_DECIDED_KEY])
    global_option = meta.get(_OPTION_KEY)

    def profile_language() -> str | None:
        if profile is not None:
            return profile
        if _STORED_KEY not in meta:  # read the diary once per invocation
            meta[_STORED_KEY] = _stored_profile_language()
        stored: str | None = meta[_STORED_KEY]
        return stored

    decided = choose_language(global_option or option, profile_language, os.environ)
    meta[_DECIDED_KEY] = decided
    return decided


@dataclass(frozen=True, slots=True)
class Voice:
    """The command line's words in one language: `say("Logged {n} meals", n=2)` looks the
    English msgid up in the catalogue and fills in the parameters (numbers in the locale)."""

    lang: str

    def __call__(self, msgid: str, /, **params: Param) -> str:
        """`msgid` in this language with `{placeholders}` filled in."""
        template = translations(self.lang).gettext(msgid)
        if not params:
            return template
        return template.format_map({k: format_param(v, self.lang) for k, v in params.items()})

    def message(self, message: Message) -> str:
        """A message from below the shells, in this language."""
        return render_message(message, self.lang)

    def text(self, value: object) -> str:
        """Text a view carries: a `Message`, a message as JSON ({"code", "params"}) or plain
        text (shown as it is)."""
        if isinstance(value, Message):
            return self.message(value)
        if isinstance(value, Mapping) and "code" in value:
            return self.message(Message.from_json(value))
        return "" if value is None else str(value)

    def number(self, value: float, digits: int = 0, optional_digits: int = 0) -> str:
        """A number with this language's decimal sign and grouping."""
        return format_number(value, self.lang, digits, optional_digits)

    def amount(self, value: float | None) -> str:
        """A measured amount (up to two decimals), or a dash when there is none."""
        return "—" if value is None else format_number(value, self.lang, 0, 2)

    def day(self, value: date | str, length: str = "long") -> str:
        """A date as people in this language write it (an ISO string is read first)."""
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return format_day(day, self.lang, length)


def voice(option: str | None = None, profile: str | None = None) -> Voice:
    """The `Voice` of this invocation (see `cli_language`)."""
    return Voice(cli_language(option, profile))

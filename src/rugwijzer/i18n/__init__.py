"""The one catalogue: gettext files (`i18n/<lang>.po`) compiled on first use, messages rendered
from their codes, and dates and numbers formatted through the locale (Babel).

The pages, the API and the command line all render through here: a page's own texts are
msgids in English (`_("Today")`), a `Message` from below the shells has its code as msgid.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources

from babel.core import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern, format_currency, parse_pattern
from babel.support import Translations

from rugwijzer.messages import Foreign, Message, Param

__all__ = [
    "LANGUAGES",
    "ForeignMarker",
    "catalogue_messages",
    "format_day",
    "format_euros",
    "format_number",
    "format_param",
    "render_message",
    "translations",
]

LANGUAGES = ("nl", "en")
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def _po_text(lang: str) -> str:
    return (resources.files("rugwijzer") / "i18n" / f"{lang}.po").read_text(encoding="utf-8")


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> Translations:
    """The compiled catalogue of `lang` ("nl" or "en")."""
    catalog = read_po(io.StringIO(_po_text(lang)), locale=_LOCALES[lang])
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def catalogue_messages(lang: str) -> dict[str, str]:
    """msgid → msgstr of a catalogue (for the completeness test)."""
    catalog = read_po(io.StringIO(_po_text(lang)), locale=_LOCALES[lang])
    return {str(m.id): str(m.string) for m in catalog if m.id}


def format_day(day: date, lang: str, length: str = "long") -> str:
    """A date as people in `lang` write it: long "24 november 2026", medium "24 nov 2026"."""
    return format_date(day, format=length, locale=_LOCALES[lang])


@lru_cache(maxsize=len(LANGUAGES))
def _locale(lang: str) -> Locale:
    return Locale.parse(_LOCALES[lang])


@lru_cache(maxsize=32)
def _number_pattern(digits: int, optional_digits: int) -> NumberPattern:
    decimals = "0" * digits + "#" * optional_digits
    return parse_pattern("#,##0" + ("." + decimals if decimals else ""))


# A page shows the same few dozen numbers on every view: remember them (the function is pure).
@lru_cache(maxsize=4096)
def format_number(value: float, lang: str, digits: int = 0, optional_digits: int = 0) -> str:
    """A number with the locale's decimal sign: `digits` fixed, then `optional_digits` more.

    Halves round up (138.5 mg → 139 mg), as people and the browser's JavaScript do; Babel on
    its own would round them to even."""
    rounded = Decimal(repr(value)).quantize(
        Decimal(1).scaleb(-(digits + optional_digits)), rounding=ROUND_HALF_UP
    )
    return str(_number_pattern(digits, optional_digits).apply(rounded, _locale(lang)))


def format_euros(value: float, lang: str) -> str:
    """A price in euros as people in `lang` write it: "€ 19,95" (nl), "€19.95" (en)."""
    return str(format_currency(Decimal(repr(value)), "EUR", locale=_locale(lang)))


#: How text in another language than the page's is marked: (escaped or plain text, its lang)
#: → text. The web wraps it in `<span lang="…">`; plain text (CLI, API) leaves it as it is.
ForeignMarker = Callable[[str, str], str]


def _unmarked(text: str, lang: str) -> str:
    return text


def format_param(
    value: Param,
    lang: str,
    *,
    foreign: ForeignMarker = _unmarked,
    escape: Callable[[str], str] = str,
) -> str:
    """One message parameter as text in `lang`: numbers in the locale (up to two decimals,
    trailing zeros dropped), nested messages rendered, foreign text marked."""
    if isinstance(value, Message):
        return render_message(value, lang, foreign=foreign, escape=escape)
    if isinstance(value, Foreign):
        text = escape(value.text)
        return text if value.lang == lang else foreign(text, value.lang)
    if isinstance(value, bool):
        return escape(str(value).lower())
    if isinstance(value, int):
        return format_number(value, lang)
    if isinstance(value, float):
        return format_number(value, lang, 0, 2)
    if isinstance(value, tuple):
        return ", ".join(escape(part) for part in value)
    if value is None:
        return ""
    return escape(value)


def render_message(
    message: Message,
    lang: str,
    *,
    foreign: ForeignMarker = _unmarked,
    escape: Callable[[str], str] = str,
) -> str:
    """`message` in `lang` ("nl" or "en"): its code's entry in the catalogue with the
    parameters filled in. `escape` is applied to every piece of text from a parameter (the web
    passes HTML escaping; the catalogue's own text is trusted)."""
    template = translations(lang if lang in LANGUAGES else "en").gettext(message.code.value)
    values = {
        name: format_param(value, lang, foreign=foreign, escape=escape)
        for name, value in message.params.items()
    }
    return template.format_map(values)

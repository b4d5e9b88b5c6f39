"""Translations for the web pages: gettext catalogues (`i18n/<lang>.po`) compiled at start-up,
and dates and numbers formatted through the locale (Babel)."""

from __future__ import annotations

import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

__all__ = ["LANGUAGES", "catalogue_messages", "format_day", "format_number", "translations"]

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


def format_number(value: float, lang: str, digits: int = 0, optional_digits: int = 0) -> str:
    """A number with the locale's decimal sign: `digits` fixed, then `optional_digits` more.

    Halves round up (138.5 mg → 139 mg), as people and the browser's JavaScript do; Babel on
    its own would round them to even."""
    decimals = "0" * digits + "#" * optional_digits
    pattern = "#,##0" + ("." + decimals if decimals else "")
    rounded = Decimal(repr(value)).quantize(
        Decimal(1).scaleb(-(digits + optional_digits)), rounding=ROUND_HALF_UP
    )
    return format_decimal(rounded, format=pattern, locale=_LOCALES[lang])

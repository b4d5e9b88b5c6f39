"""The web pages' translations: the package-wide catalogue in `rugwijzer.i18n`."""

from rugwijzer.i18n import (
    LANGUAGES,
    catalogue_messages,
    format_day,
    format_euros,
    format_number,
    render_message,
    translations,
)

__all__ = [
    "LANGUAGES",
    "catalogue_messages",
    "format_day",
    "format_euros",
    "format_number",
    "render_message",
    "translations",
]

"""Messages as codes: what the core tells a user, without choosing the words.

Below the shells nothing writes a sentence for a user. An error, a warning, the way the grams of
a meal item were found or why a word was not understood is a `Message`: a `Code` and typed
parameters. The shells (web, API, CLI) render it in the reader's language from one catalogue,
the gettext files in `rugwijzer/i18n/` (`rugwijzer.i18n.render_message`), where the code is the
msgid and the parameters are named `{placeholders}`.

Parameters are numbers (formatted in the reader's locale when rendered), plain text the user
typed (shown as it is), `Foreign` text that stays in one language whatever the page's (a USDA
measure name, an English food name), other messages (a derivation inside a derivation), or
tuples of text (joined by the renderer). Messages are stored as JSON (`to_json`, `from_json`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeAlias

__all__ = ["Code", "Foreign", "Message", "Param"]


class Code(StrEnum):
    """Every message code. The value is the catalogue's msgid; both catalogues (nl, en) must
    translate each one with the same placeholders (tests/unit/test_messages.py).

    Sections belong to the part of the code that raises or returns them."""

    # --- general ---------------------------------------------------------------------------------
    #: Text from before codes existed, kept as it was written (a stored row, an old export).
    LEGACY_TEXT = "general.legacy_text"

    # --- meals: parsing, grams, warnings, unparsed words -----------------------------------------

    # --- profile and diary entries ---------------------------------------------------------------

    # --- supplements, targets, screening, triage -------------------------------------------------

    # --- food data, search, imports --------------------------------------------------------------

    # --- accounts, sessions, access --------------------------------------------------------------

    # --- files, export and import, command line --------------------------------------------------
    FILE_NOT_FOUND = "file.not_found"
    FILE_IS_DIRECTORY = "file.is_directory"
    FILE_NO_PERMISSION = "file.no_permission"
    #: Another reason the system gives (its words, in English: `Foreign`).
    FILE_UNREADABLE = "file.unreadable"
    FILE_NOT_TEXT = "file.not_text"
    FILE_NOT_JSON = "file.not_json"
    FILE_NO_MEALS = "file.no_meals"
    FILE_NOT_WRITABLE = "file.not_writable"
    CLI_NOT_A_DATE = "cli.not_a_date"
    CLI_NO_FOOD_RECOGNISED = "cli.no_food_recognised"
    CLI_NO_FOOD_IN_ANY_MEAL = "cli.no_food_in_any_meal"
    CLI_CONFIRM_DELETE = "cli.confirm_delete"
    CLI_TRIAGE_MODE = "cli.triage_mode"

    # --- web forms -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Foreign:
    """Text that stays in `lang` on a page of any language (marked `lang="…"` in HTML)."""

    text: str
    lang: str = "en"


Param: TypeAlias = "str | int | float | bool | Foreign | Message | tuple[str, ...] | None"


@dataclass(frozen=True, slots=True)
class Message:
    """A code and its parameters: a sentence the shell writes in the reader's language."""

    code: Code
    params: Mapping[str, Param] = field(default_factory=dict)

    @classmethod
    def of(cls, code: Code, /, **params: Param) -> Message:
        """`Message.of(Code.X, grams=35.0)`."""
        return cls(code, params)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready mapping: {"code": …, "params": {…}} (nested messages alike)."""
        params = {name: _param_json(value) for name, value in self.params.items()}
        return {"code": self.code.value, "params": params}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Message:
        """The inverse of `to_json`; an unknown code is a ValueError."""
        return cls(
            Code(value["code"]),
            {k: _param_from_json(v) for k, v in dict(value.get("params") or {}).items()},
        )


def _param_json(value: Param) -> Any:
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, Foreign):
        return {"foreign": value.text, "lang": value.lang}
    if isinstance(value, tuple):
        return list(value)
    return value


def _param_from_json(value: Any) -> Param:
    if isinstance(value, dict):
        if "foreign" in value:
            return Foreign(str(value["foreign"]), str(value.get("lang", "en")))
        return Message.from_json(value)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ValueError(f"not a message parameter: {value!r}")

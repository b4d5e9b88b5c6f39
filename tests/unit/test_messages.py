"""Messages as codes: every code is in both catalogues, rendered in the reader's language."""

from __future__ import annotations

import string

import pytest

from rugwijzer.errors import InvalidInputError
from rugwijzer.i18n import catalogue_messages, render_message
from rugwijzer.messages import Code, Foreign, Message


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_code_is_translated_with_the_same_placeholders(lang: str) -> None:
    catalogue = catalogue_messages(lang)
    english = catalogue_messages("en")
    missing = [code.value for code in Code if not catalogue.get(code.value)]
    assert missing == []
    differing = [
        code.value
        for code in Code
        if _placeholders(catalogue[code.value]) != _placeholders(english[code.value])
    ]
    assert differing == []


def test_a_message_survives_json() -> None:
    inner = Message.of(Code.LEGACY_TEXT, text="binnen")
    message = Message.of(
        Code.LEGACY_TEXT, text="x", grams=35.5, count=2, measure=Foreign("cup"), inner=inner
    )
    assert Message.from_json(message.to_json()) == message


def test_unknown_codes_are_refused_when_read() -> None:
    with pytest.raises(ValueError, match=r"not\.a\.code"):
        Message.from_json({"code": "not.a.code", "params": {}})


def test_foreign_text_is_marked_and_numbers_follow_the_locale() -> None:
    message = Message.of(Code.LEGACY_TEXT, text=Foreign("cup"))
    marked = render_message(message, "nl", foreign=lambda text, lang: f"<{lang}>{text}")
    assert marked == "<en>cup"
    assert render_message(message, "en", foreign=lambda text, lang: f"<{lang}>{text}") == "cup"
    assert render_message(Message.of(Code.LEGACY_TEXT, text=1234.5), "nl") == "1.234,5"
    assert render_message(Message.of(Code.LEGACY_TEXT, text=1234.5), "en") == "1,234.5"


def test_an_error_carries_its_message() -> None:
    error = InvalidInputError(Code.LEGACY_TEXT, text="kapot")
    assert error.message == Message.of(Code.LEGACY_TEXT, text="kapot")
    assert str(error) == "kapot"

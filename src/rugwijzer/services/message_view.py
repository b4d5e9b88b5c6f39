"""A message as JSON for a reader: its code, its parameters and its text in the reader's language.

`{"code": "meal.usda_measure", "params": {"measure": {"foreign": "cup", "lang": "en"},
"grams": 240.0}, "text": "USDA-maat ‘cup’ (240 g)"}`: a program reads the code and parameters,
a person the text.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from rugwijzer.i18n import render_message
from rugwijzer.messages import Message

__all__ = ["MessageView"]


class MessageView(BaseModel):
    """A message with its text rendered in one language."""

    code: str = Field(description="The message code (the catalogue's msgid).")
    params: dict[str, Any] = Field(
        description="Parameters: numbers, text, {foreign, lang} for text in another language, "
        "nested messages as {code, params}, lists of text."
    )
    text: str = Field(description="The message in the language asked for.")

    @classmethod
    def of(cls, message: Message, lang: str) -> MessageView:
        """`message` for a reader of `lang` ("nl" or "en")."""
        return cls(
            code=message.code.value,
            params=message.to_json()["params"],
            text=render_message(message, lang),
        )

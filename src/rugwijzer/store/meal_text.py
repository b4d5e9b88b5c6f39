"""Meal texts from before messages had codes: the English sentences older versions stored for how
an item's grams were found (`meal_items.grams_derivation`) and why words were not understood
(`meal_entries.unparsed[].reason`), read back as messages.

One pure function, `message_from_text`, used by the migration that converts stored rows
(store/migrations/versions/0005) and by the import of exports made before the change. A sentence
becomes its code and parameters only when the message renders back to the same English (numbers
to two decimals and without thousands separators aside); anything else is kept whole as
`Code.LEGACY_TEXT`, so nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Foreign, Message

__all__ = ["LEGACY_PATTERNS", "message_from_text", "stored_message"]

_N = r"(-?\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?)"
_BASES = {
    "definition": Code.MEAL_BASIS_DEFINITION,
    "standard": Code.MEAL_BASIS_STANDARD,
    "estimate": Code.MEAL_BASIS_ESTIMATE,
}


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _nested(text: str) -> Message:
    return _parse(text) or Message.of(Code.LEGACY_TEXT, text=text)


_Build = Callable[[tuple[str, ...]], Message]

#: The sentences older versions wrote, most specific first: (pattern, the message it means).
LEGACY_PATTERNS: tuple[tuple[re.Pattern[str], _Build], ...] = tuple(
    (re.compile(f"^{pattern}$"), build)
    for pattern, build in (
        (
            r"(.+); food chosen by you, grams kept",
            lambda g: Message.of(Code.MEAL_FOOD_CHOSEN, how=_nested(g[0])),
        ),
        (
            rf"{_N} g, corrected by you \(was {_N} g\)",
            lambda g: Message.of(Code.MEAL_CORRECTED, grams=_number(g[0]), was=_number(g[1])),
        ),
        (
            rf"{_N} × \((.+)\) = {_N} g",
            lambda g: Message.of(
                Code.MEAL_TIMES_PER_PIECE,
                times=_number(g[0]),
                how=_nested(g[1]),
                grams=_number(g[2]),
            ),
        ),
        (
            r"typical portion: (.+)",
            lambda g: Message.of(Code.MEAL_TYPICAL_PORTION, how=_nested(g[0])),
        ),
        (
            rf"{_N} ml via USDA measure '{_N} (.+)' \({_N} g\)",
            lambda g: Message.of(
                Code.MEAL_VOLUME_VIA_USDA,
                millilitres=_number(g[0]),
                amount=_number(g[1]),
                measure=Foreign(g[2]),
                grams=_number(g[3]),
            ),
        ),
        (
            rf"{_N} ml via the USDA measure '{_N} (.+)' = {_N} g",
            lambda g: Message.of(
                Code.MEAL_DUTCH_VOLUME_VIA_USDA,
                millilitres=_number(g[0]),
                amount=_number(g[1]),
                measure=Foreign(g[2]),
                grams=_number(g[3]),
            ),
        ),
        (
            rf"{_N} ml at an assumed 1 g/ml",
            lambda g: Message.of(Code.MEAL_VOLUME_ASSUMED_DENSITY, millilitres=_number(g[0])),
        ),
        (
            rf"{_N} ml at an assumed density of 1 g/ml \(no USDA volume measure\)",
            lambda g: Message.of(Code.MEAL_DUTCH_VOLUME_ASSUMED_DENSITY, millilitres=_number(g[0])),
        ),
        (
            rf"{_N} × (.+)",
            lambda g: Message.of(Code.MEAL_TIMES, count=_number(g[0]), how=_nested(g[1])),
        ),
        (
            rf"USDA measure '{_N} (.+)' \({_N} g\)",
            lambda g: Message.of(
                Code.MEAL_USDA_MEASURE_AMOUNT,
                amount=_number(g[0]),
                measure=Foreign(g[1]),
                grams=_number(g[2]),
            ),
        ),
        (
            rf"USDA measure '(.+)' \({_N} g\)",
            lambda g: Message.of(
                Code.MEAL_USDA_MEASURE, measure=Foreign(g[0]), grams=_number(g[1])
            ),
        ),
        (
            r"USDA measure '(.+)'",
            lambda g: Message.of(Code.MEAL_USDA_MEASURE_NAMED, measure=Foreign(g[0])),
        ),
        (
            rf"{_N} g assumed for one piece \(no USDA piece measure\)",
            lambda g: Message.of(Code.MEAL_PIECE_ASSUMED, grams=_number(g[0])),
        ),
        (
            rf"{_N} g \(the food has no household measures\)",
            lambda g: Message.of(Code.MEAL_NO_HOUSEHOLD_MEASURES, grams=_number(g[0])),
        ),
        (
            rf"(.+) = {_N} g \((definition|standard|estimate)\)",
            lambda g: Message.of(
                Code.MEAL_DUTCH_MEASURE,
                measure=Foreign(g[0], "nl"),
                grams=_number(g[1]),
                basis=Message.of(_BASES[g[2]]),
            ),
        ),
        (
            rf"{_N} (g)",
            lambda g: Message.of(Code.MEAL_GRAMS, quantity=_number(g[0]), unit=g[1]),
        ),
        (
            rf"{_N} (kg|mg|oz|lb) = {_N} g",
            lambda g: Message.of(
                Code.MEAL_GRAMS_CONVERTED,
                quantity=_number(g[0]),
                unit=g[1],
                grams=_number(g[2]),
            ),
        ),
        # why words were not understood
        ("not understood", lambda g: Message.of(Code.MEAL_NOT_UNDERSTOOD)),
        ("an amount without a food", lambda g: Message.of(Code.MEAL_AMOUNT_WITHOUT_FOOD)),
        ("no food recognised", lambda g: Message.of(Code.MEAL_NO_FOOD_RECOGNISED)),
        (
            r"not in the food data: (.+)",
            lambda g: Message.of(Code.MEAL_NOT_IN_FOOD_DATA, note=Foreign(g[0])),
        ),
    )
)


def _parse(text: str) -> Message | None:
    for pattern, build in LEGACY_PATTERNS:
        match = pattern.match(text)
        if match:
            return build(match.groups())
    return None


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?")


def _same_sentence(rendered: str, text: str) -> bool:
    """The same words and numbers: the catalogue writes 1,000 g where older versions wrote
    1000 g, and numbers to two decimals (28.35 for 28.3495; the parameter keeps 28.3495)."""
    numbers = [_NUMBER.findall(rendered), _NUMBER.findall(text)]
    if _NUMBER.split(rendered) != _NUMBER.split(text) or len(numbers[0]) != len(numbers[1]):
        return False
    return all(round(_number(a), 2) == round(_number(b), 2) for a, b in zip(*numbers, strict=True))


def message_from_text(text: str) -> Message:
    """The message an older version meant by its English `text`; `Code.LEGACY_TEXT` with the
    text kept when no known sentence renders back to exactly that text."""
    message = _parse(text)
    if message is not None and _same_sentence(render_message(message, "en"), text):
        return message
    return Message.of(Code.LEGACY_TEXT, text=text)


def stored_message(value: str | Mapping[str, Any]) -> Message:
    """A stored or exported message: JSON from `Message.to_json`, or an older English sentence.
    A damaged value is a ValueError (an unknown code) or TypeError/KeyError (wrong shape)."""
    if isinstance(value, str):
        return message_from_text(value)
    if not isinstance(value, Mapping):
        raise TypeError(f"not a message: {value!r}")
    return Message.from_json(value)

"""Meal texts from before messages had codes: the English sentences older versions stored for how
an item's grams were found (`meal_items.grams_derivation`) and why words were not understood
(`meal_entries.unparsed[].reason`), read back as messages.

One pure function, `message_from_text`, used by the migration that converts stored rows
(store/migrations/versions/0005) and by the import of exports made before the change. A sentence
becomes its code and parameters only when the message renders back to the same English (numbers
to two decimals and without thousands separators aside); anything else is kept whole as
`Code.LEGACY_TEXT`, so nothing is lost.

A supplement's "how" (how its elemental amount was counted) is kept as message JSON in a text
column: `how_column` writes it, `how_message` reads it back (an older English sentence, or a
damaged value, is kept as `Code.LEGACY_TEXT`).
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Mapping
from typing import Any

from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Foreign, Message, Param

__all__ = ["OLD_SENTENCES", "how_column", "how_message", "message_from_text", "stored_message"]

#: The sentences older versions wrote, frozen here (the catalogue may word them otherwise one
#: day), most specific first; `{name}` stands for a parameter of the code.
OLD_SENTENCES: tuple[tuple[Code, str], ...] = (
    (Code.MEAL_FOOD_CHOSEN, "{how}; food chosen by you, grams kept"),
    (Code.MEAL_CORRECTED, "{grams} g, corrected by you (was {was} g)"),
    (Code.MEAL_TIMES_PER_PIECE, "{times} × ({how}) = {grams} g"),
    (Code.MEAL_TYPICAL_PORTION, "typical portion: {how}"),
    (
        Code.MEAL_VOLUME_VIA_USDA,
        "{millilitres} ml via USDA measure '{amount} {measure}' ({grams} g)",
    ),
    (
        Code.MEAL_DUTCH_VOLUME_VIA_USDA,
        "{millilitres} ml via the USDA measure '{amount} {measure}' = {grams} g",
    ),
    (Code.MEAL_VOLUME_ASSUMED_DENSITY, "{millilitres} ml at an assumed 1 g/ml"),
    (
        Code.MEAL_DUTCH_VOLUME_ASSUMED_DENSITY,
        "{millilitres} ml at an assumed density of 1 g/ml (no USDA volume measure)",
    ),
    (Code.MEAL_TIMES, "{count} × {how}"),
    (Code.MEAL_USDA_MEASURE_AMOUNT, "USDA measure '{amount} {measure}' ({grams} g)"),
    (Code.MEAL_USDA_MEASURE, "USDA measure '{measure}' ({grams} g)"),
    (Code.MEAL_USDA_MEASURE_NAMED, "USDA measure '{measure}'"),
    (Code.MEAL_PIECE_ASSUMED, "{grams} g assumed for one piece (no USDA piece measure)"),
    (Code.MEAL_NO_HOUSEHOLD_MEASURES, "{grams} g (the food has no household measures)"),
    (Code.MEAL_DUTCH_MEASURE, "{dutch_measure} = {grams} g ({basis})"),
    (Code.MEAL_GRAMS_CONVERTED, "{quantity} {unit} = {grams} g"),
    (Code.MEAL_GRAMS, "{quantity} {unit}"),
    # why words were not understood
    (Code.MEAL_NOT_UNDERSTOOD, "not understood"),
    (Code.MEAL_AMOUNT_WITHOUT_FOOD, "an amount without a food"),
    (Code.MEAL_NO_FOOD_RECOGNISED, "no food recognised"),
    (Code.MEAL_NOT_IN_FOOD_DATA, "not in the food data: {note}"),
)
_BASES = {
    "definition": Code.MEAL_BASIS_DEFINITION,
    "standard": Code.MEAL_BASIS_STANDARD,
    "estimate": Code.MEAL_BASIS_ESTIMATE,
}
_NUMBER_PARAMS = {"grams", "was", "times", "millilitres", "amount", "count", "quantity"}
#: What each parameter looks like in a sentence; numbers as older versions wrote them (28.3495,
#: 1e+03 and, for large amounts, 5,000).
_GROUPS = dict.fromkeys(_NUMBER_PARAMS, r"-?\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?") | {
    "how": ".+",
    "measure": ".+",
    "dutch_measure": ".+",
    "note": ".+",
    "unit": "g|kg|mg|oz|lb",  # the mass units (volumes were written otherwise)
    "basis": "|".join(_BASES),
}


def _pattern(sentence: str) -> re.Pattern[str]:
    parts = string.Formatter().parse(sentence)
    regex = "".join(
        re.escape(literal) + (f"(?P<{name}>{_GROUPS[name]})" if name else "")
        for literal, name, _, _ in parts
    )
    return re.compile(f"^{regex}$")


_PATTERNS = tuple((code, _pattern(sentence)) for code, sentence in OLD_SENTENCES)


def _param(name: str, value: str) -> Param:
    if name in _NUMBER_PARAMS:
        return _number(value)
    if name == "how":
        return _parse(value) or Message.of(Code.LEGACY_TEXT, text=value)
    if name == "basis":
        return Message.of(_BASES[value])
    if name == "dutch_measure":  # the Dutch household measure's own name ("snee")
        return Foreign(value, "nl")
    if name in ("measure", "note"):  # a USDA measure name, the English note of absent foods
        return Foreign(value)
    return value


def _parse(text: str) -> Message | None:
    for code, pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            params = {name: _param(name, value) for name, value in match.groupdict().items()}
            if "dutch_measure" in params:
                params["measure"] = params.pop("dutch_measure")
            return Message(code, params)
    return None


def _number(text: str) -> float:
    return float(text.replace(",", ""))


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


def how_column(how: Message) -> str:
    """How a supplement's elemental amount was found, as the diary stores it (JSON text)."""
    return json.dumps(how.to_json(), ensure_ascii=False)


def how_message(stored: object) -> Message:
    """The message back from `how_column`'s text or an export's JSON. Rows and exports from
    before messages hold an English sentence: it is kept as it was written."""
    value = stored
    if isinstance(stored, str):
        try:
            value = json.loads(stored)
        except json.JSONDecodeError:
            value = None
    if isinstance(value, dict):
        try:
            return Message.from_json(value)
        except (KeyError, TypeError, ValueError):
            pass
    return Message.of(Code.LEGACY_TEXT, text="" if stored is None else str(stored))

"""A stored meal's items and unparsed words: rows from a parse, corrections, views, export.

One room for how a meal item is kept: what the parser found becomes a `MealItemRow` with a
snapshot of its nutrient values, a correction changes the row, and the row is shown, exported and
imported again. How the grams were found (`grams_derivation`) and why words were not understood
(`unparsed[].reason`) are kept as messages (`Message.to_json()`: a code and parameters, never a
sentence); an export from before messages had codes brings English sentences, read back by
`store.meal_text.stored_message`.
"""

from __future__ import annotations

from typing import Any

from rugwijzer.domain.foods import Food
from rugwijzer.domain.meals import MealParse
from rugwijzer.domain.nutrients import NutrientAmounts
from rugwijzer.errors import NoFoodRecognisedError
from rugwijzer.messages import Code, Message
from rugwijzer.store.meal_text import stored_message
from rugwijzer.store.models import MealItemRow

__all__ = [
    "correct_grams",
    "derivation",
    "item_row_from_export",
    "item_rows",
    "item_view",
    "nothing_recognised",
    "replace_food",
    "snapshot",
    "unparsed_from_export",
    "unparsed_json",
    "unparsed_reason",
]


def snapshot(amounts: NutrientAmounts) -> dict[str, float]:
    """Nutrient amounts as stored with a meal item (missing nutrients stay absent)."""
    return {nutrient.value: round(value, 4) for nutrient, value in amounts.items()}


def _food_choice(food: Food) -> dict[str, Any]:
    return {"food_id": food.id, "name_en": food.name_en, "name_nl": food.name_nl}


def item_values(parsed: MealParse) -> list[dict[str, Any]]:
    """The column values of a parsed meal's items, with the nutrient values used (the
    snapshot), in their order (`position`)."""
    return [
        {
            "position": position,
            "text": item.text,
            "food_id": item.food.id,
            "food_name_en": item.food.name_en,
            "food_name_nl": item.food.name_nl,
            "dataset": item.food.source.dataset,
            "grams": item.grams,
            "grams_derivation": item.grams_derivation.to_json(),
            "nutrients": snapshot(item.nutrients),
            "alternatives": [_food_choice(food) for food in item.alternatives],
        }
        for position, item in enumerate(parsed.items)
    ]


def item_rows(parsed: MealParse) -> list[MealItemRow]:
    """Rows for a parsed meal's items, with the nutrient values used (the snapshot)."""
    return [MealItemRow(**values) for values in item_values(parsed)]


def unparsed_json(parsed: MealParse) -> list[dict[str, Any]]:
    """The parse's unparsed words as stored with the meal: text and reason (a message)."""
    return [{"text": u.text, "reason": u.reason.to_json()} for u in parsed.unparsed]


def derivation(item: MealItemRow) -> Message:
    """How a stored item's grams were found."""
    return stored_message(item.grams_derivation)


def unparsed_reason(unparsed: dict[str, Any]) -> Message:
    """Why stored words (one entry of a meal's `unparsed`) were not understood."""
    return stored_message(unparsed["reason"])


def nothing_recognised(parsed: MealParse) -> NoFoodRecognisedError:
    """The error for a meal text in which no food was recognised."""
    return NoFoodRecognisedError(
        Code.MEAL_NOTHING_RECOGNISED,
        parts=tuple(u.text for u in parsed.unparsed),
        not_in_data=tuple(u.text for u in parsed.unparsed if u.not_in_data),
    )


def replace_food(item: MealItemRow, food: Food) -> None:
    """Put `food` in the item's place; the food it replaces becomes an alternative."""
    replaced = {"food_id": item.food_id, "name_en": item.food_name_en, "name_nl": item.food_name_nl}
    others = [choice for choice in item.alternatives if choice.get("food_id") != food.id]
    item.alternatives = [replaced, *others]
    item.food_id = food.id
    item.food_name_en = food.name_en
    item.food_name_nl = food.name_nl
    item.dataset = food.source.dataset
    item.nutrients = snapshot(food.per_100g.scaled(item.grams / 100.0))
    # The grams were derived for the food first found; a chosen food keeps them (said once).
    found = derivation(item)
    if found.code is not Code.MEAL_FOOD_CHOSEN:
        item.grams_derivation = Message.of(Code.MEAL_FOOD_CHOSEN, how=found).to_json()


def correct_grams(item: MealItemRow, grams: float) -> None:
    """Other grams for an item: its stored snapshot scales with them (no newer food data)."""
    factor = grams / item.grams
    item.nutrients = {key: round(float(value) * factor, 4) for key, value in item.nutrients.items()}
    item.grams_derivation = Message.of(Code.MEAL_CORRECTED, grams=grams, was=item.grams).to_json()
    item.grams = grams


def item_view(item: MealItemRow) -> dict[str, Any]:
    """A stored item as the diary shows and exports it (`grams_derivation` as message JSON)."""
    return {
        "text": item.text,
        "food_id": item.food_id,
        "food_name_en": item.food_name_en,
        "food_name_nl": item.food_name_nl,
        "dataset": item.dataset,
        "grams": item.grams,
        "grams_derivation": derivation(item).to_json(),
        "nutrients": item.nutrients,
        "alternatives": item.alternatives,
    }


def item_row_from_export(position: int, item: dict[str, Any]) -> MealItemRow:
    """A row from an exported item (KeyError, TypeError or ValueError when it is damaged). An
    export from before messages had codes has an English `grams_derivation`: it is read back."""
    return MealItemRow(
        position=position,
        text=item["text"],
        food_id=item["food_id"],
        food_name_en=item["food_name_en"],
        food_name_nl=item.get("food_name_nl"),
        dataset=item["dataset"],
        grams=float(item["grams"]),
        grams_derivation=stored_message(item["grams_derivation"]).to_json(),
        nutrients=item["nutrients"],
        alternatives=item.get("alternatives", []),
    )


def unparsed_from_export(unparsed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unparsed words from an export, as stored (older English reasons read back)."""
    return [
        {"text": str(entry["text"]), "reason": unparsed_reason(entry).to_json()}
        for entry in unparsed
    ]

"""Dutch household measures (snee, handje, eetlepel, ons …) and how they turn into grams."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from rugwijzer.domain.foods import Food, HouseholdMeasure
from rugwijzer.domain.text import fold
from rugwijzer.domain.units import UNIT_WORDS
from rugwijzer.messages import Code, Foreign, Message

__all__ = [
    "DutchMeasure",
    "MeasureKind",
    "grams_for_dutch_measure",
    "grams_per_piece",
    "usda_grams_per_ml",
    "usda_measure_message",
    "usda_piece_measure",
]

MeasureKind = Literal["weight", "volume", "piece"]

# USDA measure names that stand for a volume, with their size in millilitres (US customary,
# domain/units.py), largest first: without a size to match, a cup is the most precise weighing.
_USDA_VOLUME_ML = tuple(
    (unit.usda_name, unit.factor)
    for unit in sorted(
        {u.usda_name: u for u in UNIT_WORDS.values() if u.usda_name}.values(),
        key=lambda u: -u.factor,
    )
    if unit.usda_name
)
_WORD = re.compile(r"[a-z]+")
# Meat, poultry and fish groups of USDA SR (beef, pork, lamb/veal/game, sausages, fish).
_CUT_GROUPS = frozenset({"05", "07", "10", "13", "15", "17"})
_PIECE_HINTS = ("medium", "piece", "each", "item", "fruit", "large", "small", "whole")
# USDA measures whose name starts with one of these are amounts, not pieces.
_AMOUNT_UNITS = (
    "cup",
    "tbsp",
    "tsp",
    "fl oz",
    "oz",
    "lb",
    "g",
    "kg",
    "ml",
    "l",
    "serving",
    "package",
    "container",
    "can",
    "bottle",
    "quart",
    "pint",
    "gallon",
    "pat",
    "stick",
    "bag",
    "box",
    "jar",
)


@dataclass(frozen=True, slots=True)
class DutchMeasure:
    """A Dutch household measure with its grams and the basis and source of that figure."""

    key: str
    name_nl: str
    words: tuple[str, ...]
    kind: MeasureKind
    grams: float
    millilitres: float | None
    applies_to: frozenset[str]
    basis: str
    source: str

    def applies(self, food: Food) -> bool:
        """Whether this measure is meaningful for `food` (by food group)."""
        return not self.applies_to or food.group_code in self.applies_to


def usda_grams_per_ml(
    food: Food, near_ml: float | None = None
) -> tuple[float, HouseholdMeasure] | None:
    """Grams per ml from the food's own USDA volume measure ("cup", "fl oz", "tbsp", "tsp",
    alone or followed by words: "cup, chopped"), and the measure used.

    With `near_ml`, the measure closest in size (a spoon for a spoon, a cup for a bowl; among
    equals the plainest name, "cup" before "cup, ground"); without, the largest kind the food
    has, cup first (the most precise weighing), in the food's own order."""
    candidates: list[tuple[float, int, int, float, HouseholdMeasure]] = []
    for position, measure in enumerate(food.measures):
        name = fold(measure.name)
        for rank, (head, size_ml) in enumerate(_USDA_VOLUME_ML):
            if name == head or name.startswith(head + " "):
                distance = abs(math.log(size_ml / near_ml)) if near_ml else float(rank)
                tie = len(measure.name) if near_ml else position
                candidates.append((distance, tie, rank, size_ml, measure))
                break
    if not candidates:
        return None
    *_, size_ml, measure = min(candidates, key=lambda c: (c[0], c[1]))
    return measure.grams_per_unit / size_ml, measure


def usda_piece_measure(food: Food, *, strict: bool = False) -> HouseholdMeasure | None:
    """The food's own single-piece measure: "medium" first, then other piece words, then (unless
    `strict`) any measure that is not an amount unit ("almond", "slice", "bunch")."""
    pieces = [
        m
        for m in food.measures
        if m.name.lower().split(",")[0].split("(")[0].strip() not in _AMOUNT_UNITS
        and not m.name.lower().startswith(tuple(u + " " for u in _AMOUNT_UNITS))
    ]
    for hint in _PIECE_HINTS:
        for measure in pieces:
            if hint in measure.name.lower():
                return measure
    if strict:
        return None
    # A measure named after the food itself ("breast" of a chicken breast) before others
    # ("unit (yield from 1 lb ready-to-cook chicken)").
    food_words = set(_WORD.findall(food.name_en.lower()))
    named = [m for m in pieces if _first_word(m.name) in food_words]
    return named[0] if named else (pieces[0] if pieces else None)


def _slice(food: Food) -> HouseholdMeasure | None:
    """The food's USDA "slice" measure (plainest name first), if it has one."""
    slices = [m for m in food.measures if _first_word(m.name) == "slice"]
    return min(slices, key=lambda m: len(m.name)) if slices else None


def _first_word(text: str) -> str:
    words = _WORD.findall(text.lower())
    return words[0] if words else ""


def grams_per_piece(measure: HouseholdMeasure, food: Food) -> tuple[float, float | None]:
    """Grams of one piece by a USDA piece measure, and the measure's amount when that amount is
    the piece ("0.5 fillet"; None when one piece is one unit of the measure: "medium").

    For meat and fish, USDA gives a serving as a fraction of a large cut ("0.5 fillet" of a
    side of salmon, "0.5 breast" of a whole chicken breast): that serving is one piece (a
    kipfilet, a piece of salmon). Elsewhere a fraction is a part of one piece ("0.5 fruit" of a
    grapefruit), so one piece is the whole."""
    if measure.amount < 1 and food.group_code in _CUT_GROUPS:
        return measure.grams, measure.amount
    return measure.grams_per_unit, None


def usda_measure_message(
    name: str, grams: float | None = None, amount: float | None = None
) -> Message:
    """How grams come from a USDA measure: its name (English, whatever the page's language),
    the amount of it when not one, and the grams."""
    if amount is not None:
        return Message.of(
            Code.MEAL_USDA_MEASURE_AMOUNT, amount=amount, measure=Foreign(name), grams=grams
        )
    if grams is None:
        return Message.of(Code.MEAL_USDA_MEASURE_NAMED, measure=Foreign(name))
    return Message.of(Code.MEAL_USDA_MEASURE, measure=Foreign(name), grams=grams)


_BASIS_CODES = {
    "definition": Code.MEAL_BASIS_DEFINITION,
    "standard": Code.MEAL_BASIS_STANDARD,
    "estimate": Code.MEAL_BASIS_ESTIMATE,
}


def grams_for_dutch_measure(measure: DutchMeasure, food: Food) -> tuple[float, Message]:
    """Grams of one `measure` of `food`, with how they were derived."""
    if measure.kind == "volume" and measure.millilitres is not None:
        density = usda_grams_per_ml(food, measure.millilitres)
        if density is not None:
            grams_per_ml, used = density
            grams = round(measure.millilitres * grams_per_ml, 1)
            return grams, Message.of(
                Code.MEAL_DUTCH_VOLUME_VIA_USDA,
                millilitres=measure.millilitres,
                amount=used.amount,
                measure=Foreign(used.name),
                grams=used.grams,
            )
        return measure.grams, Message.of(
            Code.MEAL_DUTCH_VOLUME_ASSUMED_DENSITY, millilitres=measure.millilitres
        )
    if measure.kind == "piece":
        # "een stuk pizza" is a slice, not the whole pizza that USDA's measure named after the
        # food would be; a food with a piece measure of its own ("piece", "medium") keeps it.
        piece = usda_piece_measure(food, strict=True) or _slice(food) or usda_piece_measure(food)
        if piece is not None:
            grams, amount = grams_per_piece(piece, food)
            if amount is not None:
                return round(grams, 1), usda_measure_message(piece.name, grams, amount)
            return round(grams, 1), usda_measure_message(piece.name)
        return measure.grams, Message.of(Code.MEAL_PIECE_ASSUMED, grams=measure.grams)
    return measure.grams, Message.of(
        Code.MEAL_DUTCH_MEASURE,
        measure=Foreign(measure.name_nl, "nl"),
        grams=measure.grams,
        basis=Message.of(_BASIS_CODES[measure.basis]),
    )

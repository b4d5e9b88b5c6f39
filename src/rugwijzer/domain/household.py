"""Dutch household measures (snee, handje, eetlepel, ons …) and how they turn into grams."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from rugwijzer.domain.foods import Food, HouseholdMeasure

__all__ = [
    "DutchMeasure",
    "MeasureKind",
    "grams_for_dutch_measure",
    "grams_per_piece",
    "usda_piece_measure",
]

MeasureKind = Literal["weight", "volume", "piece"]

# USDA measure names that stand for a volume, with their size in millilitres (US customary).
_USDA_VOLUME_ML = {"tbsp": 14.787, "tsp": 4.929, "cup": 236.59, "fl oz": 29.574}
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


def _usda_grams_per_ml(food: Food, millilitres: float) -> tuple[float, HouseholdMeasure] | None:
    """Density from the USDA volume measure closest in size to `millilitres` (a spoon for a
    spoon, a cup for a bowl); among equals the plainest name ("cup" before "cup, ground")."""
    candidates: list[tuple[float, int, float, HouseholdMeasure]] = []
    for measure in food.measures:
        head = measure.name.split(",")[0].split("(")[0].strip().lower()
        if head in _USDA_VOLUME_ML:
            size_ml = _USDA_VOLUME_ML[head]
            distance = abs(math.log(size_ml / millilitres))
            candidates.append((distance, len(measure.name), size_ml, measure))
    if not candidates:
        return None
    _, _, size_ml, measure = min(candidates, key=lambda c: (c[0], c[1]))
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


def _first_word(text: str) -> str:
    words = _WORD.findall(text.lower())
    return words[0] if words else ""


def grams_per_piece(measure: HouseholdMeasure, food: Food) -> tuple[float, str]:
    """Grams of one piece by a USDA piece measure, and the measure as used ("medium",
    "0.5 fillet"). For meat and fish, USDA gives a serving as a fraction of a large cut
    ("0.5 fillet" of a side of salmon, "0.5 breast" of a whole chicken breast): that serving is
    one piece (a kipfilet, a piece of salmon). Elsewhere a fraction is a part of one piece
    ("0.5 fruit" of a grapefruit), so one piece is the whole."""
    if measure.amount < 1 and food.group_code in _CUT_GROUPS:
        return measure.grams, f"{measure.amount:g} {measure.name}"
    return measure.grams_per_unit, measure.name


def grams_for_dutch_measure(measure: DutchMeasure, food: Food) -> tuple[float, str]:
    """Grams of one `measure` of `food`, with a sentence on how they were derived."""
    if measure.kind == "volume" and measure.millilitres is not None:
        density = _usda_grams_per_ml(food, measure.millilitres)
        if density is not None:
            grams_per_ml, used = density
            grams = round(measure.millilitres * grams_per_ml, 1)
            return grams, (
                f"{measure.millilitres:g} ml via the USDA measure "
                f"'{used.amount:g} {used.name}' = {used.grams:g} g"
            )
        return measure.grams, (
            f"{measure.millilitres:g} ml at an assumed density of 1 g/ml (no USDA volume measure)"
        )
    if measure.kind == "piece":
        piece = usda_piece_measure(food)
        if piece is not None:
            grams, piece_name = grams_per_piece(piece, food)
            if piece_name != piece.name:
                return round(grams, 1), f"USDA measure '{piece_name}' ({grams:g} g)"
            return round(grams, 1), f"USDA measure '{piece_name}'"
        return measure.grams, f"{measure.grams:g} g assumed for one piece (no USDA piece measure)"
    return measure.grams, f"{measure.name_nl} = {measure.grams:g} g ({measure.basis})"

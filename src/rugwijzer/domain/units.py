"""Units people write in meals: metric and US weights and volumes.

Factors are definitions: 1 oz = 28.349523125 g and 1 lb = 453.59237 g (international avoirdupois
ounce and pound, 1959); US cup 236.5882365 ml, tablespoon 14.78676478 ml, teaspoon
4.92892159 ml, US fluid ounce 29.5735295625 ml (US customary units, NIST Handbook 44).
The Dutch household measures (ons, pond, snee, eetlepel …) are data with sources, in
`data/household_measures_nl.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["UNIT_WORDS", "Unit"]


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit of mass (`grams` per unit) or volume (`millilitres` per unit). `usda_name` is the
    word USDA household measures use for the same volume ("cup", "tbsp", "tsp", "fl oz")."""

    name: str
    kind: Literal["mass", "volume"]
    factor: float
    usda_name: str | None = None


_GRAM = Unit("g", "mass", 1.0)
_KILOGRAM = Unit("kg", "mass", 1000.0)
_MILLIGRAM = Unit("mg", "mass", 0.001)
_OUNCE = Unit("oz", "mass", 28.349523125)
_POUND = Unit("lb", "mass", 453.59237)
_MILLILITRE = Unit("ml", "volume", 1.0)
_CENTILITRE = Unit("cl", "volume", 10.0)
_DECILITRE = Unit("dl", "volume", 100.0)
_LITRE = Unit("l", "volume", 1000.0)
_CUP = Unit("cup", "volume", 236.5882365, "cup")
_TABLESPOON = Unit("tbsp", "volume", 14.78676478, "tbsp")
_TEASPOON = Unit("tsp", "volume", 4.92892159, "tsp")
_FLUID_OUNCE = Unit("fl oz", "volume", 29.5735295625, "fl oz")

#: Folded words (and two-word phrases) that name a unit.
UNIT_WORDS: dict[str, Unit] = {
    **dict.fromkeys(["g", "gr", "gram", "grams", "gramme", "grammes", "grammen"], _GRAM),
    **dict.fromkeys(["kg", "kilo", "kilos", "kilogram", "kilograms", "kilogramme"], _KILOGRAM),
    **dict.fromkeys(["mg", "milligram", "milligrams"], _MILLIGRAM),
    **dict.fromkeys(["oz", "ounce", "ounces"], _OUNCE),
    **dict.fromkeys(["lb", "lbs", "pound", "pounds"], _POUND),
    **dict.fromkeys(["ml", "milliliter", "milliliters", "millilitre", "millilitres"], _MILLILITRE),
    **dict.fromkeys(["cl", "centiliter", "centilitre"], _CENTILITRE),
    **dict.fromkeys(["dl", "deciliter", "decilitre"], _DECILITRE),
    **dict.fromkeys(["l", "liter", "liters", "litre", "litres"], _LITRE),
    **dict.fromkeys(["cup", "cups", "c"], _CUP),
    **dict.fromkeys(["tbsp", "tbs", "tablespoon", "tablespoons"], _TABLESPOON),
    **dict.fromkeys(["tsp", "teaspoon", "teaspoons"], _TEASPOON),
    **dict.fromkeys(["fl oz", "floz", "fluid ounce", "fluid ounces"], _FLUID_OUNCE),
}

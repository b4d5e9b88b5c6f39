"""The meal parser's word lists (`data/meal_words.toml`), read once from the package.

The words are data, not logic: number words, connectors between foods, words that only describe
preparation, size and measure words. Reading bundled package data keeps the parser pure (no
database, no network); a damaged file is a programming error caught by the unit tests.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources
from typing import Any

__all__ = ["MEAL_WORDS", "MealWords", "parse_meal_words"]


@dataclass(frozen=True, slots=True)
class MealWords:
    """Every word list the meal parser uses (see the comments in the data file)."""

    numbers: dict[str, Fraction]
    articles: frozenset[str]
    filler: frozenset[str]
    per_piece: frozenset[str]
    connectors: re.Pattern[str]
    describing_connectors: re.Pattern[str]
    modifiers: frozenset[str]
    serving_measures: tuple[str, ...]
    portion: frozenset[str]
    usda_measures: frozenset[str]
    sizes: dict[str, str]
    dutch_usda_measures: dict[str, str]
    dutch_measure_as_usda: dict[str, str]
    preparation: dict[str, tuple[str, ...]]


def _alternation(words: list[Any]) -> str:
    return "|".join(re.escape(str(word)) for word in words)


def parse_meal_words(text: str) -> MealWords:
    """The word lists from the data file's TOML text."""
    data = tomllib.loads(text)
    return MealWords(
        numbers={str(word): Fraction(str(value)) for word, value in data["numbers"].items()},
        articles=frozenset(data["articles"]),
        filler=frozenset(data["filler"]),
        per_piece=frozenset(data["per_piece"]),
        # "brood met kaas": a connector stands between spaces
        connectors=re.compile(rf"\s+(?:{_alternation(data['connectors'])})\s+", re.IGNORECASE),
        describing_connectors=re.compile(rf" (?:{_alternation(data['describing_connectors'])}) "),
        modifiers=frozenset(data["modifiers"]),
        serving_measures=tuple(data["serving_measures"]),
        portion=frozenset(data["portion"]),
        usda_measures=frozenset(data["usda_measures"]),
        sizes={str(word): str(size) for word, size in data["sizes"].items()},
        dutch_usda_measures={str(k): str(v) for k, v in data["dutch_usda_measures"].items()},
        dutch_measure_as_usda={str(k): str(v) for k, v in data["dutch_measure_as_usda"].items()},
        preparation={str(k): tuple(map(str, v)) for k, v in data["preparation"].items()},
    )


#: The bundled word lists, read when the parser is first imported.
MEAL_WORDS = parse_meal_words(
    (resources.files("rugwijzer") / "data" / "meal_words.toml").read_text(encoding="utf-8")
)

"""Loading the bundled Dutch household measures (`data/household_measures_nl.toml`)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any, cast

from rugwijzer.domain.foods import Food
from rugwijzer.domain.household import DutchMeasure, MeasureKind
from rugwijzer.errors import DataError
from rugwijzer.messages import Code, Foreign

__all__ = ["DutchMeasure", "dutch_measures", "dutch_measures_for", "parse_dutch_measures"]

_KINDS = ("weight", "volume", "piece")
_BASES = ("definition", "standard", "estimate")


def _measure(entry: dict[str, Any]) -> DutchMeasure:
    key = entry.get("key", "?")
    try:
        kind = entry["kind"]
        grams = float(entry["grams"])
        millilitres = float(entry["millilitres"]) if "millilitres" in entry else None
        words = tuple(str(w).lower() for w in entry["words"])
        if kind not in _KINDS or entry["basis"] not in _BASES or not words or not grams > 0:
            raise ValueError("kind, basis, words or grams out of range")
        if kind == "volume" and millilitres is None:
            raise ValueError("a volume measure needs millilitres")
        if not str(entry["source"]).strip():
            raise ValueError("every measure needs a source")
        return DutchMeasure(
            key=str(key),
            name_nl=str(entry["name_nl"]),
            words=words,
            kind=cast(MeasureKind, kind),
            grams=grams,
            millilitres=millilitres,
            applies_to=frozenset(str(code) for code in entry["applies_to"]),
            basis=str(entry["basis"]),
            source=str(entry["source"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        # a developer's problem (the bundled file): the reason stays as Python wrote it
        raise DataError(Code.MEAL_MEASURE_INVALID, key=str(key), problem=Foreign(str(exc))) from exc


def parse_dutch_measures(text: str) -> tuple[DutchMeasure, ...]:
    """Parse the measures file's TOML text."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(Code.MEAL_MEASURES_FILE_INVALID, problem=Foreign(str(exc))) from exc
    return tuple(_measure(entry) for entry in document.get("measure", []))


@lru_cache(maxsize=1)
def dutch_measures() -> tuple[DutchMeasure, ...]:
    """All bundled Dutch household measures."""
    path = resources.files("rugwijzer") / "data" / "household_measures_nl.toml"
    return parse_dutch_measures(path.read_text(encoding="utf-8"))


def dutch_measures_for(food: Food) -> list[DutchMeasure]:
    """The Dutch household measures that apply to `food`."""
    return [m for m in dutch_measures() if m.applies(food)]

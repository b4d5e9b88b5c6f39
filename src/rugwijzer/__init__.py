"""Rugwijzer: magnesium, stress and back pain — honest, measurable, offline.

The library API: everything the command line does is available from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from rugwijzer.domain.day import DaySummary, summarize_day
from rugwijzer.domain.foods import Food, FoodSource, HouseholdMeasure
from rugwijzer.domain.meals import MealItem, MealParse
from rugwijzer.domain.nutrients import Nutrient
from rugwijzer.domain.references import Profile, Target
from rugwijzer.errors import (
    DataError,
    FoodNotFoundError,
    InvalidInputError,
    NotFoundError,
    QueryError,
    RugwijzerError,
)
from rugwijzer.fooddb.database import (
    FoodDatabase,
    default_food_database,
    load_food_database,
)
from rugwijzer.fooddb.search import SearchHit

if TYPE_CHECKING:
    from rugwijzer.services.targets import TargetSet, targets_for

#: Loaded on first use: the services bring Pydantic, which a process that only reads food data
#: (a search, a meal parse) does not need.
_LAZY = {"TargetSet": "rugwijzer.services.targets", "targets_for": "rugwijzer.services.targets"}


def __getattr__(name: str) -> Any:
    """The services' part of the library API, imported when first asked for (PEP 562)."""
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rugwijzer' has no attribute {name!r}")


__all__ = [
    "DataError",
    "DaySummary",
    "Food",
    "FoodDatabase",
    "FoodNotFoundError",
    "FoodSource",
    "HouseholdMeasure",
    "InvalidInputError",
    "MealItem",
    "MealParse",
    "NotFoundError",
    "Nutrient",
    "Profile",
    "QueryError",
    "RugwijzerError",
    "SearchHit",
    "Target",
    "TargetSet",
    "__version__",
    "default_food_database",
    "load_food_database",
    "parse_meal",
    "search_foods",
    "summarize_day",
    "targets_for",
]


def search_foods(query: str, *, lang: str | None = None, limit: int = 10) -> list[SearchHit]:
    """Search the bundled food database (see `FoodDatabase.search`)."""
    return default_food_database().search(query, lang=lang, limit=limit)


def parse_meal(text: str, *, lang: str | None = None) -> MealParse:
    """Parse a meal in plain Dutch or English against the bundled food database."""
    from rugwijzer.services.meals import parse_meal_text

    return parse_meal_text(default_food_database(), text, lang=lang)

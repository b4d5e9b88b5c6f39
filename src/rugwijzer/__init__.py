"""Rugwijzer: magnesium, stress and back pain — honest, measurable, offline.

The library API: everything the command line does is available from here.
"""

from __future__ import annotations

__version__ = "0.1.0"

from rugwijzer.domain.foods import Food, FoodSource, HouseholdMeasure
from rugwijzer.domain.nutrients import Nutrient
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

__all__ = [
    "DataError",
    "Food",
    "FoodDatabase",
    "FoodNotFoundError",
    "FoodSource",
    "HouseholdMeasure",
    "InvalidInputError",
    "NotFoundError",
    "Nutrient",
    "QueryError",
    "RugwijzerError",
    "SearchHit",
    "__version__",
    "default_food_database",
    "load_food_database",
    "search_foods",
]


def search_foods(query: str, *, lang: str | None = None, limit: int = 10) -> list[SearchHit]:
    """Search the bundled food database (see `FoodDatabase.search`)."""
    return default_food_database().search(query, lang=lang, limit=limit)

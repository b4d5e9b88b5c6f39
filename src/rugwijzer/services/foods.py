"""Food look-up use cases, returning JSON-ready views shared by the CLI and the API."""

from __future__ import annotations

from typing import Any

from rugwijzer.domain.foods import Food
from rugwijzer.domain.household import DutchMeasure, grams_for_dutch_measure
from rugwijzer.domain.nutrients import NUTRIENTS
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.fooddb.household import dutch_measures_for
from rugwijzer.fooddb.search import SearchHit

__all__ = ["food_detail", "search_rows"]


def _search_row(hit: SearchHit) -> dict[str, Any]:
    food = hit.food
    return {
        "id": food.id,
        "name_en": food.name_en,
        "name_nl": food.name_nl,
        "group": food.group.name_en,
        "source": food.source.as_dict(),
        "magnesium_mg_per_100g": food.magnesium_mg_per_100g,
        "score": hit.score,
        "matched_name": hit.matched_name,
    }


def search_rows(
    database: FoodDatabase, query: str, *, lang: str | None = None, limit: int = 10
) -> list[dict[str, Any]]:
    """Search results as rows: id, names, source, magnesium per 100 g, score."""
    return [_search_row(hit) for hit in database.search(query, lang=lang, limit=limit)]


def _dutch_measure(measure: DutchMeasure, food: Food) -> dict[str, Any]:
    grams, derivation = grams_for_dutch_measure(measure, food)
    return {
        "name_nl": measure.name_nl,
        "words": list(measure.words),
        "grams": grams,
        "derivation": derivation.to_json(),
        "basis": measure.basis,
        "source": measure.source,
    }


def food_detail(food: Food) -> dict[str, Any]:
    """Everything about one food: all tracked nutrients per 100 g (null where the source has no
    value), the source's household measures, Dutch household measures that apply, provenance."""
    return {
        "id": food.id,
        "name_en": food.name_en,
        "name_nl": food.name_nl,
        "synonyms_nl": list(food.synonyms_nl),
        "synonyms_en": list(food.synonyms_en),
        "mapping_note": food.mapping_note,
        "group": {
            "code": food.group.code,
            "name_en": food.group.name_en,
            "name_nl": food.group.name_nl,
        },
        "source": food.source.as_dict(),
        "per_100g": {
            info.nutrient.value: {
                "amount": food.per_100g.get(info.nutrient),
                "unit": info.unit,
                "name_en": info.name_en,
                "name_nl": info.name_nl,
            }
            for info in NUTRIENTS
        },
        "measures": [{"amount": m.amount, "name": m.name, "grams": m.grams} for m in food.measures],
        "dutch_measures": [_dutch_measure(m, food) for m in dutch_measures_for(food)],
    }

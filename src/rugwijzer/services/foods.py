"""Food look-up use cases, returning typed views shared by the CLI, the API and the pages."""

from __future__ import annotations

from rugwijzer.domain.foods import Food, FoodSource
from rugwijzer.domain.household import DutchMeasure, grams_for_dutch_measure
from rugwijzer.domain.nutrients import NUTRIENTS
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.fooddb.household import dutch_measures_for
from rugwijzer.fooddb.search import SearchHit
from rugwijzer.services.views import (
    DutchMeasureView,
    FoodDetailView,
    FoodGroupView,
    FoodRef,
    FoodSearchRow,
    FoodSourceView,
    MeasureView,
    NutrientAmountView,
)

__all__ = ["food_detail", "food_ref", "search_rows", "source_view"]


def source_view(source: FoodSource) -> FoodSourceView:
    """Where a food record comes from."""
    return FoodSourceView(
        dataset=source.dataset,
        source_id=source.source_id,
        licence=source.licence,
        release=source.release,
    )


def food_ref(food: Food) -> FoodRef:
    """A food named in an answer: id, names and source."""
    return FoodRef(
        id=food.id, name_nl=food.name_nl, name_en=food.name_en, source=source_view(food.source)
    )


def _search_row(hit: SearchHit) -> FoodSearchRow:
    food = hit.food
    return FoodSearchRow(
        id=food.id,
        name_en=food.name_en,
        name_nl=food.name_nl,
        group=food.group.name_en,
        source=source_view(food.source),
        magnesium_mg_per_100g=food.magnesium_mg_per_100g,
        score=hit.score,
        matched_name=hit.matched_name,
    )


def search_rows(
    database: FoodDatabase, query: str, *, lang: str | None = None, limit: int = 10
) -> list[FoodSearchRow]:
    """Search results as rows: id, names, source, magnesium per 100 g, score."""
    return [_search_row(hit) for hit in database.search(query, lang=lang, limit=limit)]


def _dutch_measure(measure: DutchMeasure, food: Food) -> DutchMeasureView:
    grams, derivation = grams_for_dutch_measure(measure, food)
    return DutchMeasureView(
        name_nl=measure.name_nl,
        words=list(measure.words),
        grams=grams,
        derivation=derivation.to_json(),
        basis=measure.basis,
        source=measure.source,
    )


def food_detail(food: Food) -> FoodDetailView:
    """Everything about one food: all tracked nutrients per 100 g (null where the source has no
    value), the source's household measures, Dutch household measures that apply, provenance."""
    return FoodDetailView(
        id=food.id,
        name_en=food.name_en,
        name_nl=food.name_nl,
        synonyms_nl=list(food.synonyms_nl),
        synonyms_en=list(food.synonyms_en),
        mapping_note=food.mapping_note,
        group=FoodGroupView(
            code=food.group.code, name_en=food.group.name_en, name_nl=food.group.name_nl
        ),
        source=source_view(food.source),
        per_100g={
            info.nutrient.value: NutrientAmountView(
                amount=food.per_100g.get(info.nutrient),
                unit=info.unit,
                name_en=info.name_en,
                name_nl=info.name_nl,
            )
            for info in NUTRIENTS
        },
        measures=[MeasureView(amount=m.amount, name=m.name, grams=m.grams) for m in food.measures],
        dutch_measures=[_dutch_measure(m, food) for m in dutch_measures_for(food)],
    )

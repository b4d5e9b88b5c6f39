"""Food search and detail endpoints."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from rugwijzer.fooddb.database import default_food_database
from rugwijzer.fooddb.search import MAX_QUERY_CHARACTERS
from rugwijzer.services.foods import food_detail, search_rows
from rugwijzer.services.views import FoodDetailView, FoodSearchRow

router = APIRouter(prefix="/foods", tags=["foods"])


@router.get("")
def search_foods(
    q: Annotated[
        str, Query(min_length=1, max_length=MAX_QUERY_CHARACTERS, description="Food name")
    ],
    lang: Annotated[Literal["nl", "en"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[FoodSearchRow]:
    """Foods matching `q`, best first."""
    return search_rows(default_food_database(), q, lang=lang, limit=limit)


@router.get("/{food_id}")
def get_food(food_id: str) -> FoodDetailView:
    """All nutrients per 100 g and household measures of one food."""
    return food_detail(default_food_database().get(food_id))

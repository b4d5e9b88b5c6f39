"""The gap planner: everyday foods in real portions that close the magnesium gap (yours today,
or the one given), within exclusions and an energy budget."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from rugwijzer.api.deps import CurrentUser, Diary
from rugwijzer.domain.planner import DEFAULT_KCAL_MAX
from rugwijzer.services.planner import GapPlanView

__all__ = ["PlanRequest", "router"]

router = APIRouter(tags=["planner"])
Lang = Annotated[Literal["nl", "en"], Query(description="The language of the portions.")]


class PlanRequest(BaseModel):
    """What to plan for. Everything is optional: `{}` plans for today's gap."""

    model_config = ConfigDict(extra="forbid")

    gap_mg: float | None = Field(
        default=None,
        allow_inf_nan=False,
        description="The gap in mg (at most 5,000; 0 or less: no plan needed). Default: "
        "today's gap from your diary against your profile's target.",
    )
    exclude: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list,
        max_length=20,
        description="veganistisch/vegan, vegetarisch/vegetarian, noten/nuts, pinda/peanut, "
        "gluten/glutenvrij, lactose/zuivel/dairy, vis/fish, soja/soy, or a food's name "
        "(Dutch or English). An unknown word is refused (422).",
    )
    kcal_max: float | None = Field(
        default=None,
        allow_inf_nan=False,
        description=f"The energy budget in kcal (default {DEFAULT_KCAL_MAX:g}; not negative).",
    )


@router.post("/plan", response_model=GapPlanView)
def plan(body: PlanRequest, user: CurrentUser, diary: Diary, lang: Lang = "nl") -> GapPlanView:
    """Foods in whole, realistic Dutch portions (at most four foods) that close the gap with
    the fewest kcal, preferring foods you already eat; with up to three `alternatives`, each
    built around another food. `needed` is false when there is no gap; `feasible` false when
    no plan fits, with `hints` that say what would help. Magnesium and kcal come from USDA
    SR24, the portion sizes from the sources given per item (`portion_source`)."""
    return diary.planner.plan(
        user.user_id, gap_mg=body.gap_mg, exclude=body.exclude, kcal_max=body.kcal_max, lang=lang
    )

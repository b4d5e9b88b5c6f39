"""Stateless tools: meal parsing, targets, supplements, screen and triage (no diary needed)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from rugwijzer.api.schemas import TriageAnswers
from rugwijzer.domain.references import Profile
from rugwijzer.domain.screen import parse_screen
from rugwijzer.domain.triage import parse_answers, triage
from rugwijzer.fooddb.database import default_food_database
from rugwijzer.reference_data import supplement_catalogue
from rugwijzer.services.knowledge import (
    ArticleSummaryView,
    ArticleView,
    ClaimView,
    FaqItemView,
    article,
    article_summaries,
    audited_claim,
    audited_claims,
    faq_item,
    faq_items,
)
from rugwijzer.services.meals import MealView, meal_view, parse_meal_text
from rugwijzer.services.safety import check_from_json, elemental_view, screen_view, triage_view
from rugwijzer.services.targets import default_reference, targets_for, targets_view
from rugwijzer.services.views import (
    ElementalView,
    ScreenView,
    SupplementCheckView,
    TargetsView,
    TriageView,
)

router = APIRouter(tags=["tools"])
Lang = Literal["nl", "en"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MealText(_Strict):
    text: str = Field(min_length=1, max_length=2000)
    lang: Lang | None = None


class TargetQuery(_Strict):
    age: float = Field(ge=0, le=130)
    sex: Literal["female", "male"]
    pregnant: bool = False
    lactating: bool = False
    reference: Literal["nih", "efsa", "nl"] | None = None
    lang: Lang = "nl"


class ElementalQuery(_Strict):
    form: str = Field(min_length=1, max_length=100)
    compound_mg: float = Field(gt=0, le=100_000)
    lang: Lang = "nl"


@router.post("/meals/parse", response_model=MealView)
def parse_meal(body: MealText) -> MealView:
    """Foods, grams and nutrients in a meal written in plain words. Messages (how the grams were
    found, warnings, why words were not understood) come as code, parameters and text in the
    request's `lang` (English when none is given)."""
    parsed = parse_meal_text(default_food_database(), body.text, lang=body.lang)
    return meal_view(parsed, body.lang or "en")


@router.post("/targets")
def targets(body: TargetQuery) -> TargetsView:
    """Magnesium target, supplemental upper limit and context targets, with sources."""
    profile = Profile(body.age, body.sex, pregnant=body.pregnant, lactating=body.lactating)
    system = body.reference or default_reference(body.lang)
    return targets_view(targets_for(profile, system), body.lang)


@router.post("/supplements/elemental")
def elemental(body: ElementalQuery) -> ElementalView:
    """Elemental magnesium in an amount of a compound (a range for ambiguous names)."""
    return elemental_view(supplement_catalogue().elemental(body.form, body.compound_mg), body.lang)


class SupplementCheckQuery(_Strict):
    profile: dict[str, Any]
    supplements: list[dict[str, Any]] = Field(max_length=50)
    reference: Literal["nih", "efsa", "nl"] | None = None
    lang: Lang | None = None


@router.post("/supplements/check")
def supplement_check(body: SupplementCheckQuery) -> SupplementCheckView:
    """A day's supplements against the upper limit for a profile, as `rugwijzer supplement
    check` does: hard stops (no dose, see your doctor), warnings, interactions, food first."""
    return check_from_json(
        default_food_database(),
        body.profile,
        body.supplements,
        reference=body.reference,
        lang=body.lang,
    )


@router.post("/triage")
def triage_answers(answers: TriageAnswers, lang: Lang = "nl") -> TriageView:
    """Red-flag triage: urgency with reasons. Never a diagnosis. Every answer is optional;
    an unanswered question is listed under `unknown`."""
    return triage_view(triage(parse_answers(answers.sent())), lang)


@router.post("/screen")
def screen(answers: dict[str, Any], lang: Lang = "nl") -> ScreenView:
    """Magnesium deficiency-risk screen. Never a diagnosis."""
    return screen_view(parse_screen(answers), lang)


# --- the knowledge base -------------------------------------------------------------------------


@router.get("/faq", response_model=list[FaqItemView], tags=["knowledge"])
def faq(lang: Lang = "nl") -> list[FaqItemView]:
    """Questions people ask about magnesium and back pain, answered with the evidence grade
    (A-D) and primary sources."""
    return faq_items(lang)


@router.get("/faq/{faq_id}", response_model=FaqItemView, tags=["knowledge"])
def faq_question(faq_id: str, lang: Lang = "nl") -> FaqItemView:
    """One question by its id (e.g. `daily_need`); an unknown id is 404."""
    return faq_item(faq_id, lang)


@router.get("/claims", response_model=list[ClaimView], tags=["knowledge"])
def claims(lang: Lang = "nl") -> list[ClaimView]:
    """The claims of the article Rugwijzer answers, each with a verdict (supported, mixed,
    weak, unsupported, contradicted), an evidence grade, an explanation and sources."""
    return audited_claims(lang)


@router.get("/claims/{claim_id}", response_model=ClaimView, tags=["knowledge"])
def claim(claim_id: str, lang: Lang = "nl") -> ClaimView:
    """One claim by its id (e.g. `relief_within_weeks`); an unknown id is 404."""
    return audited_claim(claim_id, lang)


@router.get("/articles", response_model=list[ArticleSummaryView], tags=["knowledge"])
def articles(lang: Lang = "nl") -> list[ArticleSummaryView]:
    """The articles (magnesium in the body, deficiency, stress, chronic and acute pain,
    supplements, bones, food first, ergonomic aids): id, title and summary."""
    return article_summaries(lang)


@router.get("/articles/{article_id}", response_model=ArticleView, tags=["knowledge"])
def article_by_id(article_id: str, request: Request, lang: Lang = "nl") -> ArticleView:
    """One article by its id (e.g. `food_first`), every point with its evidence grade and
    sources; an unknown id is 404."""
    return article(article_id, lang, request.app.state.diary.foods)

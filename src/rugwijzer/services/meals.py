"""Meal parsing, targets and day summaries as views for the CLI and the API: a parsed meal is a
typed `MealView` (its messages rendered in the reader's language), a day a JSON-ready mapping."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from rugwijzer.content import cite
from rugwijzer.content import render as render_statement
from rugwijzer.domain.day import DaySummary, summarize_day
from rugwijzer.domain.foods import Food
from rugwijzer.domain.meals import MealItem, MealParse, NutrientTotal, parse_meal
from rugwijzer.domain.nutrients import NUTRIENTS, Nutrient, NutrientAmounts, nutrient_info
from rugwijzer.domain.references import Profile, Target
from rugwijzer.fooddb.absent import absent_foods
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.fooddb.household import dutch_measures
from rugwijzer.fooddb.portions import dutch_portions
from rugwijzer.services.message_view import MessageView
from rugwijzer.services.targets import TargetSet, target_view, targets_for

__all__ = [
    "FoodRef",
    "MealItemView",
    "MealView",
    "NutrientTotalView",
    "UnparsedView",
    "day_view",
    "meal_view",
    "parse_meal_text",
    "summarize_meals",
]


def parse_meal_text(database: FoodDatabase, text: str, *, lang: str | None = None) -> MealParse:
    """Parse one meal text against the food database and the Dutch household measures."""
    return parse_meal(
        text,
        database,
        dutch_measures(),
        lang=lang,
        absent=absent_foods(),
        portions=dutch_portions(),
    )


def _nutrients(amounts: NutrientAmounts) -> dict[str, float | None]:
    return {
        info.nutrient.value: (
            None if amounts.get(info.nutrient) is None else round(amounts[info.nutrient], 2)
        )
        for info in NUTRIENTS
    }


class FoodRef(BaseModel):
    """A food as a parse names it: id, names and where its values come from."""

    id: str
    name_en: str
    name_nl: str | None
    source: dict[str, str]
    mapping_note: str | None


class MealItemView(BaseModel):
    """One understood item: the words, the food, the grams and how they were found."""

    text: str
    span: tuple[int, int] = Field(description="Start and end of the words in the meal text.")
    food_text: str
    food: FoodRef
    quantity: float | None
    unit: str | None
    grams: float
    grams_derivation: MessageView
    portion_assumed: bool
    portion_source: dict[str, str] | None = Field(
        default=None,
        description="The source of a Dutch typical portion (title, organisation, year, url, "
        "lang of the title) where one was used; null otherwise (also for an assumption, which "
        "the derivation says).",
    )
    match_score: float
    alternatives: list[FoodRef]
    warnings: list[MessageView]
    nutrients: dict[str, float | None] = Field(
        description="Nutrient key → amount for these grams; null where the source has no value."
    )


class NutrientTotalView(BaseModel):
    """A nutrient's total; `grams_without_value` is food whose source has no value for it."""

    amount: float
    unit: str
    grams_without_value: float
    complete: bool


class UnparsedView(BaseModel):
    """Words that were not understood, where they stand, and why."""

    text: str
    span: tuple[int, int]
    reason: MessageView
    not_in_data: bool = Field(description="The words name a food missing from the food data.")


class MealView(BaseModel):
    """A parsed meal: items, totals per nutrient and the words not understood."""

    text: str
    items: list[MealItemView]
    totals: dict[str, NutrientTotalView]
    total_grams: float
    unparsed: list[UnparsedView]


def _food_ref(food: Food) -> FoodRef:
    return FoodRef(
        id=food.id,
        name_en=food.name_en,
        name_nl=food.name_nl,
        source=food.source.as_dict(),
        mapping_note=food.mapping_note,
    )


def _item(item: MealItem, lang: str) -> MealItemView:
    return MealItemView(
        text=item.text,
        span=(item.start, item.end),
        food_text=item.food_text,
        food=_food_ref(item.food),
        quantity=item.quantity,
        unit=item.unit,
        grams=item.grams,
        grams_derivation=MessageView.of(item.grams_derivation, lang),
        portion_assumed=item.portion_assumed,
        portion_source=cite([item.portion_source])[0] if item.portion_source else None,
        match_score=item.match_score,
        alternatives=[_food_ref(food) for food in item.alternatives],
        warnings=[MessageView.of(warning, lang) for warning in item.warnings],
        nutrients=_nutrients(item.nutrients),
    )


def _total(total: NutrientTotal) -> NutrientTotalView:
    info = nutrient_info(total.nutrient)
    return NutrientTotalView(
        amount=round(total.amount, 2),
        unit=info.unit,
        grams_without_value=round(total.grams_without_value, 1),
        complete=total.complete,
    )


def meal_view(parse: MealParse, lang: str = "en") -> MealView:
    """A parsed meal: items, totals (with how much food had no value) and unparsed text, with
    every message rendered in `lang`."""
    return MealView(
        text=parse.text,
        items=[_item(item, lang) for item in parse.items],
        totals={total.nutrient.value: _total(total) for total in parse.totals},
        total_grams=round(parse.total_grams, 1),
        unparsed=[
            UnparsedView(
                text=u.text,
                span=(u.start, u.end),
                reason=MessageView.of(u.reason, lang),
                not_in_data=u.not_in_data,
            )
            for u in parse.unparsed
        ],
    )


def summarize_meals(
    database: FoodDatabase, meals: list[str], profile: Profile, *, reference: str, lang: str | None
) -> tuple[list[MealParse], TargetSet, DaySummary]:
    """Parse a day's meals and compare the totals with the profile's targets."""
    parses = [parse_meal_text(database, text, lang=lang) for text in meals if text.strip()]
    targets = targets_for(profile, reference)
    return parses, targets, summarize_day(parses)


def day_view(
    parses: list[MealParse], targets: TargetSet, summary: DaySummary, lang: str = "en"
) -> dict[str, Any]:
    """A day summary: totals against targets, the magnesium gap, top foods, unknowns, Ca:Mg
    (messages rendered in `lang`)."""
    meals = [meal_view(parse, lang).model_dump(mode="json") for parse in parses]

    def compared(nutrient: Nutrient, target: Target) -> dict[str, Any]:
        comparison = summary.compare(nutrient, target)
        return {
            "intake": round(comparison.intake, 1),
            "intake_unit": comparison.intake_unit,
            "target": target_view(target),
            "percent_of_target": comparison.percent_of_target,
            "gap": comparison.gap,
            "gap_percent": comparison.gap_percent,
            "grams_without_value": round(comparison.grams_without_value, 1),
            "complete": comparison.grams_without_value == 0,
        }

    return {
        "reference": targets.reference,
        "meals": meals,
        "total_grams": round(summary.total_grams, 1),
        "magnesium": {
            **compared(Nutrient.MAGNESIUM_MG, targets.magnesium),
            "top_foods": [
                {
                    "food": _food_ref(top.food).model_dump(mode="json"),
                    "grams": round(top.grams, 1),
                    "magnesium_mg": round(top.magnesium_mg, 1),
                    "share_percent": top.share_percent,
                }
                for top in summary.top_magnesium_foods
            ],
            "share_of_food_without_value_percent": summary.share_without_magnesium_percent,
        },
        "context": {
            "calcium_mg": compared(Nutrient.CALCIUM_MG, targets.calcium),
            "potassium_mg": compared(Nutrient.POTASSIUM_MG, targets.potassium),
            "vitamin_d_ug": compared(Nutrient.VITAMIN_D_IU, targets.vitamin_d),
        },
        "calcium_magnesium_ratio": {
            "value": summary.calcium_magnesium_ratio,
            "note": render_statement(summary.ratio_note, lang)["text"],
        },
        "supplement_upper_limit": target_view(targets.supplement_upper_limit),
        "unparsed": [u for meal in meals for u in meal["unparsed"]],
        "totals": {
            total.nutrient.value: _total(total).model_dump(mode="json") for total in summary.totals
        },
    }

"""Meal parsing, targets and day summaries as JSON-ready views for the CLI and the API."""

from __future__ import annotations

from typing import Any

from rugwijzer.content import render as render_statement
from rugwijzer.domain.day import DaySummary, summarize_day
from rugwijzer.domain.meals import MealItem, MealParse, NutrientTotal, parse_meal
from rugwijzer.domain.nutrients import NUTRIENTS, Nutrient, NutrientAmounts, nutrient_info
from rugwijzer.domain.references import Profile, Target
from rugwijzer.fooddb.absent import absent_foods
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.fooddb.household import dutch_measures
from rugwijzer.services.targets import TargetSet, target_view, targets_for

__all__ = ["day_view", "meal_view", "parse_meal_text", "summarize_meals"]


def parse_meal_text(database: FoodDatabase, text: str, *, lang: str | None = None) -> MealParse:
    """Parse one meal text against the food database and the Dutch household measures."""
    return parse_meal(text, database, dutch_measures(), lang=lang, absent=absent_foods())


def _nutrients(amounts: NutrientAmounts) -> dict[str, float | None]:
    return {
        info.nutrient.value: (
            None if amounts.get(info.nutrient) is None else round(amounts[info.nutrient], 2)
        )
        for info in NUTRIENTS
    }


def _food_ref(food: Any) -> dict[str, Any]:
    return {
        "id": food.id,
        "name_en": food.name_en,
        "name_nl": food.name_nl,
        "source": food.source.as_dict(),
        "mapping_note": food.mapping_note,
    }


def _item(item: MealItem) -> dict[str, Any]:
    return {
        "text": item.text,
        "span": [item.start, item.end],
        "food_text": item.food_text,
        "food": _food_ref(item.food),
        "quantity": item.quantity,
        "unit": item.unit,
        "grams": item.grams,
        "grams_derivation": item.grams_derivation,
        "portion_assumed": item.portion_assumed,
        "match_score": item.match_score,
        "alternatives": [_food_ref(food) for food in item.alternatives],
        "warnings": list(item.warnings),
        "nutrients": _nutrients(item.nutrients),
    }


def _total(total: NutrientTotal) -> dict[str, Any]:
    info = nutrient_info(total.nutrient)
    return {
        "amount": round(total.amount, 2),
        "unit": info.unit,
        "grams_without_value": round(total.grams_without_value, 1),
        "complete": total.complete,
    }


def meal_view(parse: MealParse) -> dict[str, Any]:
    """A parsed meal: items, totals (with how much food had no value) and unparsed text."""
    return {
        "text": parse.text,
        "items": [_item(item) for item in parse.items],
        "totals": {total.nutrient.value: _total(total) for total in parse.totals},
        "total_grams": round(parse.total_grams, 1),
        "unparsed": [
            {
                "text": u.text,
                "span": [u.start, u.end],
                "reason": u.reason,
                "not_in_data": u.not_in_data,
            }
            for u in parse.unparsed
        ],
    }


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
    (its note written in `lang`)."""

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
        "meals": [meal_view(parse) for parse in parses],
        "total_grams": round(summary.total_grams, 1),
        "magnesium": {
            **compared(Nutrient.MAGNESIUM_MG, targets.magnesium),
            "top_foods": [
                {
                    "food": _food_ref(top.food),
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
        "unparsed": [u for parse in parses for u in meal_view(parse)["unparsed"]],
        "totals": {total.nutrient.value: _total(total) for total in summary.totals},
    }

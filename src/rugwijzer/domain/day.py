"""A day's intake from its meals, compared with reference targets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rugwijzer.domain.foods import Food
from rugwijzer.domain.meals import MealParse, NutrientTotal, sum_nutrients
from rugwijzer.domain.nutrients import VITAMIN_D_IU_PER_UG, Nutrient, nutrient_info
from rugwijzer.domain.references import Target

__all__ = ["RATIO_NOTE", "Comparison", "DaySummary", "TopFood", "summarize_day"]

TOP_FOODS = 5
#: What the calcium:magnesium ratio means: a cited statement (content/statements.toml), which
#: the shells show in the reader's language.
RATIO_NOTE = "info.calcium_magnesium_ratio"


@dataclass(frozen=True, slots=True)
class TopFood:
    """A food's contribution to the day's magnesium."""

    food: Food
    grams: float
    magnesium_mg: float
    share_percent: float


@dataclass(frozen=True, slots=True)
class Comparison:
    """Intake against a target. Percentages and gap are None where no target is set."""

    intake: float
    intake_unit: str
    percent_of_target: float | None
    gap: float | None
    gap_percent: float | None
    grams_without_value: float


@dataclass(frozen=True, slots=True)
class DaySummary:
    """Totals of a day, the foods that brought the magnesium, and what is unknown."""

    totals: tuple[NutrientTotal, ...]
    total_grams: float
    top_magnesium_foods: tuple[TopFood, ...]
    share_without_magnesium_percent: float | None
    calcium_magnesium_ratio: float | None
    ratio_note: str = RATIO_NOTE

    def total(self, nutrient: Nutrient) -> NutrientTotal:
        """The day's total of one nutrient."""
        return next(t for t in self.totals if t.nutrient == nutrient)

    def compare(self, nutrient: Nutrient, target: Target) -> Comparison:
        """The day's intake of `nutrient` against `target` (vitamin D: IU converted to µg)."""
        total = self.total(nutrient)
        intake, unit = total.amount, nutrient_info(nutrient).unit
        if nutrient == Nutrient.VITAMIN_D_IU and target.unit == "µg":
            intake, unit = intake / VITAMIN_D_IU_PER_UG, "µg"
        if target.value is None or target.value <= 0:
            return Comparison(intake, unit, None, None, None, total.grams_without_value)
        gap = max(0.0, target.value - intake)
        return Comparison(
            intake=intake,
            intake_unit=unit,
            percent_of_target=round(100 * intake / target.value, 1),
            gap=round(gap, 1),
            gap_percent=round(100 * gap / target.value, 1),
            grams_without_value=total.grams_without_value,
        )


def summarize_day(parses: Sequence[MealParse]) -> DaySummary:
    """Sum the day's meals; rank foods by the magnesium they brought."""
    items = [item for parse in parses for item in parse.items]
    totals = sum_nutrients(items)
    magnesium = next(t for t in totals if t.nutrient == Nutrient.MAGNESIUM_MG)
    by_food: dict[str, tuple[Food, float, float]] = {}
    for item in items:
        value = item.nutrients.get(Nutrient.MAGNESIUM_MG)
        if value is None:
            continue
        food, grams, mg = by_food.get(item.food.id, (item.food, 0.0, 0.0))
        by_food[item.food.id] = (food, grams + item.grams, mg + value)
    ranked = sorted(by_food.values(), key=lambda entry: entry[2], reverse=True)[:TOP_FOODS]
    top = tuple(
        TopFood(
            food=food,
            grams=grams,
            magnesium_mg=mg,
            share_percent=round(100 * mg / magnesium.amount, 1) if magnesium.amount else 0.0,
        )
        for food, grams, mg in ranked
    )
    total_grams = sum(item.grams for item in items)
    calcium = next(t for t in totals if t.nutrient == Nutrient.CALCIUM_MG)
    ratio = round(calcium.amount / magnesium.amount, 2) if magnesium.amount > 0 else None
    return DaySummary(
        totals=totals,
        total_grams=total_grams,
        top_magnesium_foods=top,
        share_without_magnesium_percent=(
            round(100 * magnesium.grams_without_value / total_grams, 1) if total_grams else None
        ),
        calcium_magnesium_ratio=ratio,
    )

from __future__ import annotations

import pytest

from rugwijzer.content import statements
from rugwijzer.domain.day import summarize_day
from rugwijzer.domain.nutrients import Nutrient
from rugwijzer.domain.references import Profile
from rugwijzer.services.targets import targets_for
from tests.unit.test_meals import parse

# USDA SR24 magnesium per 100 g: almonds (12061) 268 mg, raw banana (09040) 27 mg; USDA's medium
# banana weighs 118 g.
ALMONDS_30_G = 30 * 268 / 100
BANANA = 118 * 27 / 100


def test_gap_top_foods_unknowns_and_ratio() -> None:
    day = summarize_day([parse("30 gram amandelen, een banaan"), parse("200 ml melk")])
    targets = targets_for(Profile(40, "female"), "nih")  # RDA 320 mg
    magnesium = day.compare(Nutrient.MAGNESIUM_MG, targets.magnesium)
    intake = ALMONDS_30_G + BANANA
    assert magnesium.intake == pytest.approx(intake)
    assert magnesium.gap == pytest.approx(320 - intake, abs=0.1)
    assert magnesium.gap_percent == pytest.approx(100 * (320 - intake) / 320, abs=0.1)
    assert [t.food.source.source_id for t in day.top_magnesium_foods] == ["12061", "09040"]
    assert day.top_magnesium_foods[0].share_percent == pytest.approx(
        100 * ALMONDS_30_G / intake, abs=0.1
    )
    # 200 g of milk without a magnesium value out of 348 g eaten
    assert day.share_without_magnesium_percent == pytest.approx(100 * 200 / 348, abs=0.1)
    assert magnesium.grams_without_value == 200.0
    assert "not a target" in statements()[day.ratio_note].en


def test_food_above_the_supplement_limit_is_no_problem() -> None:
    # 400 g of almonds bring > 1,000 mg: the upper limit (350 mg) is for supplements only.
    day = summarize_day([parse("400 g amandelen")])
    targets = targets_for(Profile(40, "female"), "nih")
    magnesium = day.compare(Nutrient.MAGNESIUM_MG, targets.magnesium)
    assert magnesium.intake == pytest.approx(400 * 268 / 100)  # 1,072 mg
    assert targets.supplement_upper_limit.value == 350
    assert magnesium.gap == 0
    assert magnesium.percent_of_target == pytest.approx(100 * 1072 / 320, abs=0.5)


def test_no_target_gives_no_percentages() -> None:
    day = summarize_day([parse("een banaan")])
    targets = targets_for(Profile(0.3, "female"), "efsa")  # EFSA sets no value < 7 months
    comparison = day.compare(Nutrient.MAGNESIUM_MG, targets.magnesium)
    assert comparison.percent_of_target is None
    assert comparison.gap is None


def test_vitamin_d_is_compared_in_micrograms() -> None:
    day = summarize_day([parse("een banaan")])
    targets = targets_for(Profile(40, "female"), "nih")
    assert day.compare(Nutrient.VITAMIN_D_IU, targets.vitamin_d).intake_unit == "µg"

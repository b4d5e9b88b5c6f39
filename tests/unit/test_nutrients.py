from __future__ import annotations

import pytest

from rugwijzer.domain.nutrients import NUTRIENTS, Nutrient, NutrientAmounts, nutrient_info


def test_missing_is_absent_not_zero() -> None:
    amounts = NutrientAmounts({Nutrient.MAGNESIUM_MG: 268.0, Nutrient.CALCIUM_MG: 0.0})
    assert amounts[Nutrient.CALCIUM_MG] == 0.0
    assert Nutrient.POTASSIUM_MG not in amounts
    assert amounts.get(Nutrient.POTASSIUM_MG) is None
    with pytest.raises(KeyError):
        amounts[Nutrient.POTASSIUM_MG]
    assert len(amounts) == 2
    assert set(amounts) == {Nutrient.MAGNESIUM_MG, Nutrient.CALCIUM_MG}


def test_scaled_keeps_missing_missing() -> None:
    amounts = NutrientAmounts({Nutrient.MAGNESIUM_MG: 268.0})
    half = amounts.scaled(0.5)
    assert half[Nutrient.MAGNESIUM_MG] == pytest.approx(134.0)
    assert Nutrient.CALCIUM_MG not in half


def test_from_row_round_trip_and_length_check() -> None:
    amounts = NutrientAmounts({Nutrient.ENERGY_KCAL: 575.0})
    assert NutrientAmounts.from_row(amounts.row) == amounts
    with pytest.raises(ValueError, match="nutrient values"):
        NutrientAmounts.from_row([1.0])


def test_every_nutrient_has_unit_and_names() -> None:
    assert {info.nutrient for info in NUTRIENTS} == set(Nutrient)
    assert nutrient_info(Nutrient.MAGNESIUM_MG).unit == "mg"
    assert nutrient_info(Nutrient.VITAMIN_D_IU).unit == "IU"
    for info in NUTRIENTS:
        assert info.nutrient.value.endswith("_" + info.unit.lower())

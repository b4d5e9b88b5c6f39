from __future__ import annotations

from pathlib import Path

import pytest

from rugwijzer.domain.foods import HouseholdMeasure
from rugwijzer.domain.nutrients import Nutrient, NutrientAmounts
from rugwijzer.errors import DataError
from rugwijzer.fooddb.datafile import Provenance, dump_data_file, load_data_file, write_data_file
from rugwijzer.fooddb.records import FoodRecord


def _records() -> list[FoodRecord]:
    return [
        FoodRecord(
            "12061",
            "Nuts, almonds",
            "12",
            NutrientAmounts({Nutrient.MAGNESIUM_MG: 268.0}),
            (HouseholdMeasure(1.0, "cup, whole", 143.0),),
            ndb="12061",
        ),
        FoodRecord(
            "01001",
            "Butter, salted",
            "01",
            NutrientAmounts({Nutrient.ENERGY_KCAL: 717.0}),
            (),
            ndb="01001",
        ),
    ]


def _provenance(count: int = 2) -> Provenance:
    return Provenance("test", "r1", "p", "public domain", "f", "0" * 64, "t", "tst", count)


def test_round_trip_keeps_values_and_missing() -> None:
    provenance, records = load_data_file(dump_data_file(_records(), _provenance()))
    assert provenance == _provenance()
    by_id = {r.source_id: r for r in records}
    assert by_id["12061"].per_100g[Nutrient.MAGNESIUM_MG] == 268.0
    assert Nutrient.MAGNESIUM_MG not in by_id["01001"].per_100g
    assert by_id["12061"].measures == (HouseholdMeasure(1.0, "cup, whole", 143.0),)


def test_output_is_deterministic_whatever_the_input_order() -> None:
    assert dump_data_file(_records(), _provenance()) == dump_data_file(
        _records()[::-1], _provenance()
    )


def test_food_count_must_match_provenance() -> None:
    with pytest.raises(DataError, match="provenance"):
        dump_data_file(_records(), _provenance(count=3))


@pytest.mark.parametrize("text", ["", "{}", '{"format": 1}', '{"format": 99}', "[1, 2"])
def test_corrupt_files_raise_data_error(text: str) -> None:
    with pytest.raises(DataError):
        load_data_file(text)


def test_write_is_atomic_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "foods.json"
    write_data_file(target, _records(), _provenance())
    assert target.is_file()
    assert list(target.parent.iterdir()) == [target]

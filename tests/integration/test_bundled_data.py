"""The bundled food data: complete, faithful to the USDA source, reproducible."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from rugwijzer.domain.nutrients import Nutrient
from rugwijzer.fooddb.database import BUNDLED_DATA_FILE, FoodDatabase
from rugwijzer.fooddb.sr24 import SR24_FOOD_COUNT, read_sr24_jar
from tests.conftest import REPO

BUNDLED = REPO / "src" / "rugwijzer" / BUNDLED_DATA_FILE


def test_all_sr24_foods_and_measures_are_bundled(food_db: FoodDatabase) -> None:
    assert len(food_db) == SR24_FOOD_COUNT == 8858
    # Counts from the facts sheet: 7,879 foods have magnesium, 15,274 household measures.
    assert sum(f.magnesium_mg_per_100g is not None for f in food_db.foods) == 7879
    assert sum(len(f.measures) for f in food_db.foods) == 15274


def test_missing_stays_missing(food_db: FoodDatabase) -> None:
    without_magnesium = [f for f in food_db.foods if Nutrient.MAGNESIUM_MG not in f.per_100g]
    assert len(without_magnesium) == 8858 - 7879
    # A real zero in the source is kept as zero.
    assert food_db.get("04053").per_100g[Nutrient.MAGNESIUM_MG] == 0.0  # olive oil


def test_every_food_carries_its_source(food_db: FoodDatabase) -> None:
    provenance = food_db.provenance
    assert provenance.dataset == "USDA SR24"
    assert "Public domain" in provenance.licence
    assert len(provenance.source_sha256) == 64
    assert "cronometer" in provenance.source_file
    for food in food_db.foods:
        assert food.id == f"sr24:{food.source.source_id}"
        assert food.source.dataset == "USDA SR24"
        assert len(food.source.source_id) == 5
        assert food.source.source_id.isdigit()


def test_the_facts_sheet_example(food_db: FoodDatabase) -> None:
    almonds = food_db.get("sr24:12061")
    assert almonds.name_en == "Nuts, almonds"
    assert almonds.per_100g[Nutrient.MAGNESIUM_MG] == 268.0
    oz = next(m for m in almonds.measures if m.name.startswith("oz"))
    assert oz.grams == 28.35


def test_per_100g_values_equal_the_source_for_a_sample(
    food_db: FoodDatabase, sr24_jar: Path
) -> None:
    source = {record.source_id: record for record in read_sr24_jar(sr24_jar)}
    sample = [*random.Random(24).sample(sorted(source), 60), "12061", "11457", "09040", "16098"]
    for ndb in sample:
        food, expected = food_db.get(ndb), source[ndb]
        assert food.name_en == expected.name_en
        for nutrient in Nutrient:
            assert food.per_100g.get(nutrient) == expected.per_100g.get(nutrient), (ndb, nutrient)
        assert [(m.amount, m.name, m.grams) for m in food.measures] == [
            (m.amount, m.name, m.grams) for m in expected.measures
        ]


def test_build_is_deterministic_and_reproduces_the_bundled_file(
    sr24_jar: Path, tmp_path: Path
) -> None:
    from rugwijzer.fooddb.build import build_sr24_data_file

    first, second = tmp_path / "a.json", tmp_path / "b.json"
    build_sr24_data_file(sr24_jar, first)
    build_sr24_data_file(sr24_jar, second)
    assert first.read_bytes() == second.read_bytes()
    # The committed data file is exactly what the build makes from the Debian source
    # (the tool version is part of the provenance, so compare the food lines).
    built = [line for line in first.read_text().splitlines() if line.startswith('{"id"')]
    bundled = [line for line in BUNDLED.read_text().splitlines() if line.startswith('{"id"')]
    assert built == bundled


def test_bundled_file_is_what_the_app_loads(food_db: FoodDatabase) -> None:
    assert BUNDLED.is_file()
    with pytest.raises(LookupError):
        food_db.get("sr24:00000")

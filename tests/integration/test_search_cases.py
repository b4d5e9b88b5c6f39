"""Acceptance: every line of the shared food-search cases; at least 90% in the top 3."""

from __future__ import annotations

import re

from rugwijzer.fooddb.database import FoodDatabase
from tests.conftest import read_cases

REQUIRED_HIT_RATE = 0.90


def test_food_search_cases(food_db: FoodDatabase) -> None:
    cases = read_cases("food_search.tsv")
    assert len(cases) >= 30
    misses = []
    for query, lang, accepted in cases:
        hits = food_db.search(query, lang=lang, limit=3)
        pattern = re.compile(accepted, re.IGNORECASE)
        if not any(pattern.search(hit.food.name_en) for hit in hits):
            misses.append(f"{query!r} ({lang}): {[h.food.name_en for h in hits]} !~ {accepted}")
    hit_rate = 1 - len(misses) / len(cases)
    print(f"food search top-3 hit rate: {hit_rate:.1%} over {len(cases)} cases")
    for miss in misses:
        print("MISS", miss)
    assert hit_rate >= REQUIRED_HIT_RATE, "\n".join(misses)


def test_plain_foods_rank_above_composites(food_db: FoodDatabase) -> None:
    assert food_db.search("almonds", lang="en", limit=1)[0].food.name_en == "Nuts, almonds"
    assert food_db.search("amandelen", lang="nl", limit=1)[0].food.name_en == "Nuts, almonds"
    first = food_db.search("banana", lang="en", limit=1)[0].food.name_en
    assert first.startswith("Bananas, raw")


def test_compounds_typos_and_word_order(food_db: FoodDatabase) -> None:
    peanut_butter = food_db.search("pindakaas", limit=1)[0].food
    assert food_db.search("pinda kaas", limit=1)[0].food == peanut_butter
    assert food_db.search("pindakaaas", limit=1)[0].food == peanut_butter
    bread = food_db.search("volkorenbrood", limit=1)[0].food
    assert food_db.search("volkoren brood", limit=1)[0].food == bread
    assert food_db.search("bread whole wheat", lang="en", limit=1)[0].food.name_en.startswith(
        "Bread, whole-wheat"
    )


def test_extra_search_cases(food_db: FoodDatabase) -> None:
    """Rugwijzer's own broader cases (tests/fixtures/cases/food_search_extra.tsv)."""
    from tests.conftest import FIXTURES

    lines = (FIXTURES / "cases" / "food_search_extra.tsv").read_text(encoding="utf-8")
    cases = [
        line.split("\t") for line in lines.splitlines() if line.strip() and not line.startswith("#")
    ]
    misses = []
    for query, lang, accepted in cases:
        hits = food_db.search(query, lang=lang, limit=3)
        if not any(re.search(accepted, hit.food.name_en, re.IGNORECASE) for hit in hits):
            misses.append(f"{query!r} ({lang}): {[h.food.name_en for h in hits]} !~ {accepted}")
    hit_rate = 1 - len(misses) / len(cases)
    print(f"extra search cases top-3 hit rate: {hit_rate:.1%} over {len(cases)} cases")
    for miss in misses:
        print("MISS", miss)
    assert hit_rate >= REQUIRED_HIT_RATE, "\n".join(misses)

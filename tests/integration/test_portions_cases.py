"""Acceptance: every line of the shared portion cases; at least 85% within tolerance."""

from __future__ import annotations

import pytest

from rugwijzer.domain.nutrients import Nutrient
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.services.meals import parse_meal_text
from tests.conftest import FIXTURES, read_cases

REQUIRED_SHARE = 0.85


def _run(food_db: FoodDatabase, rows: list[list[str]]) -> tuple[float, list[str]]:
    misses = []
    for text, lang, expected, tolerance, *_ in rows:
        parsed = parse_meal_text(food_db, text, lang=lang)
        got = parsed.total(Nutrient.MAGNESIUM_MG).amount
        if abs(got - float(expected)) > float(expected) * float(tolerance) / 100:
            understood = [
                f"{item.food.name_en} {item.grams:g} g ({item.grams_derivation})"
                for item in parsed.items
            ]
            unparsed = [u.text for u in parsed.unparsed]
            misses.append(
                f"{text!r}: {got:.1f} mg, expected {expected} ± {tolerance}%: "
                f"{understood} unparsed {unparsed}"
            )
    return 1 - len(misses) / len(rows), misses


def test_portion_cases(food_db: FoodDatabase) -> None:
    rows = read_cases("portions.tsv")
    assert len(rows) >= 15
    share, misses = _run(food_db, rows)
    print(f"portion cases within tolerance: {share:.1%} of {len(rows)}")
    for miss in misses:
        print("MISS", miss)
    assert share >= REQUIRED_SHARE, "\n".join(misses)


def test_extra_portion_cases(food_db: FoodDatabase) -> None:
    """Rugwijzer's own sentences with several foods (tests/fixtures/cases/portions_extra.tsv)."""
    lines = (FIXTURES / "cases" / "portions_extra.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    share, misses = _run(food_db, rows)
    print(f"extra portion cases within tolerance: {share:.1%} of {len(rows)}")
    for miss in misses:
        print("MISS", miss)
    assert share >= REQUIRED_SHARE, "\n".join(misses)


@pytest.mark.parametrize(
    ("text", "grams"),
    [("1 ons spinazie", 100.0), ("1 oz almonds", 28.35), ("een half pond spinazie", 250.0)],
)
def test_weight_words(food_db: FoodDatabase, text: str, grams: float) -> None:
    (item,) = parse_meal_text(food_db, text, lang="nl").items
    assert item.grams == pytest.approx(grams, abs=0.05)

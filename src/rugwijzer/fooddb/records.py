"""Validated food records as importers produce them and the data file stores them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

from rugwijzer.domain.foods import HouseholdMeasure
from rugwijzer.domain.nutrients import Nutrient, NutrientAmounts
from rugwijzer.errors import DataError
from rugwijzer.messages import Code, Foreign

__all__ = ["FoodRecord", "validate_nutrient_amount"]

# Upper bounds per 100 g that no real food exceeds; a value above them is a parsing or unit
# error. Gram-based nutrients cannot exceed the 100 g they are part of; pure fat is ~900 kcal.
_MAX_PER_100G: Mapping[str, float] = {"g": 100.0, "kcal": 950.0, "mg": 100_000.0, "IU": 1_000_000.0}


def _unit(nutrient: Nutrient) -> str:
    return nutrient.value.rsplit("_", 1)[1].replace("iu", "IU")


def validate_nutrient_amount(nutrient: Nutrient, amount: float, *, where: str) -> float:
    """Return `amount` when it is a plausible per-100 g value for `nutrient`, else raise."""
    limit = _MAX_PER_100G[_unit(nutrient)]
    if not math.isfinite(amount) or amount < 0 or amount > limit * 1.05:
        detail = f"{where}: implausible {nutrient.value} per 100 g: {amount!r}"
        raise DataError(Code.DATA_CORRUPT, detail=Foreign(detail))
    return amount


class FoodRecord(NamedTuple):
    """One food as imported: the dataset's own id, its English name, nutrients per 100 g
    (only those with a value) and household measures. Datasets with their own Dutch names
    (NEVO) fill `name_nl` and `synonyms_nl`; `note` says what the reader should know about
    the record (e.g. values given per 100 ml)."""

    source_id: str
    name_en: str
    group_code: str
    per_100g: NutrientAmounts
    measures: tuple[HouseholdMeasure, ...]
    ndb: str | None = None
    name_nl: str | None = None
    synonyms_nl: tuple[str, ...] = ()
    note: str | None = None

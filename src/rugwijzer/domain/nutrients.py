"""The nutrients Rugwijzer tracks, with their units, and a value object for amounts.

Amounts are per 100 g in the food database and absolute in totals. A nutrient a food has no
value for is *missing* (absent from the mapping), never zero.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "NUTRIENTS",
    "VITAMIN_D_IU_PER_UG",
    "Nutrient",
    "NutrientAmounts",
    "NutrientInfo",
    "nutrient_info",
]


class Nutrient(StrEnum):
    """Tracked nutrients; the value is the key used in data files, JSON and the API."""

    ENERGY_KCAL = "energy_kcal"
    PROTEIN_G = "protein_g"
    FAT_G = "fat_g"
    CARBOHYDRATE_G = "carbohydrate_g"
    SUGARS_G = "sugars_g"
    FIBRE_G = "fibre_g"
    WATER_G = "water_g"
    ALCOHOL_G = "alcohol_g"
    MAGNESIUM_MG = "magnesium_mg"
    CALCIUM_MG = "calcium_mg"
    POTASSIUM_MG = "potassium_mg"
    PHOSPHORUS_MG = "phosphorus_mg"
    SODIUM_MG = "sodium_mg"
    IRON_MG = "iron_mg"
    ZINC_MG = "zinc_mg"
    VITAMIN_D_IU = "vitamin_d_iu"


@dataclass(frozen=True, slots=True)
class NutrientInfo:
    """Display facts of one nutrient."""

    nutrient: Nutrient
    unit: str
    name_en: str
    name_nl: str


NUTRIENTS: tuple[NutrientInfo, ...] = (
    NutrientInfo(Nutrient.ENERGY_KCAL, "kcal", "Energy", "Energie"),
    NutrientInfo(Nutrient.PROTEIN_G, "g", "Protein", "Eiwit"),
    NutrientInfo(Nutrient.FAT_G, "g", "Fat", "Vet"),
    NutrientInfo(Nutrient.CARBOHYDRATE_G, "g", "Carbohydrate", "Koolhydraten"),
    NutrientInfo(Nutrient.SUGARS_G, "g", "Sugars", "Suikers"),
    NutrientInfo(Nutrient.FIBRE_G, "g", "Fibre", "Vezels"),
    NutrientInfo(Nutrient.WATER_G, "g", "Water", "Water"),
    NutrientInfo(Nutrient.ALCOHOL_G, "g", "Alcohol", "Alcohol"),
    NutrientInfo(Nutrient.MAGNESIUM_MG, "mg", "Magnesium", "Magnesium"),
    NutrientInfo(Nutrient.CALCIUM_MG, "mg", "Calcium", "Calcium"),
    NutrientInfo(Nutrient.POTASSIUM_MG, "mg", "Potassium", "Kalium"),
    NutrientInfo(Nutrient.PHOSPHORUS_MG, "mg", "Phosphorus", "Fosfor"),
    NutrientInfo(Nutrient.SODIUM_MG, "mg", "Sodium", "Natrium"),
    NutrientInfo(Nutrient.IRON_MG, "mg", "Iron", "IJzer"),
    NutrientInfo(Nutrient.ZINC_MG, "mg", "Zinc", "Zink"),
    NutrientInfo(Nutrient.VITAMIN_D_IU, "IU", "Vitamin D", "Vitamine D"),
)

_BY_NUTRIENT = {info.nutrient: info for info in NUTRIENTS}

#: 1 µg of vitamin D (cholecalciferol or ergocalciferol) is 40 IU, the conversion used by
#: IOM 1997/2011 and USDA SR.
VITAMIN_D_IU_PER_UG = 40.0


def nutrient_info(nutrient: Nutrient) -> NutrientInfo:
    """Unit and display names of a nutrient."""
    return _BY_NUTRIENT[nutrient]


_ORDER: tuple[Nutrient, ...] = tuple(Nutrient)
_POSITION = {nutrient: position for position, nutrient in enumerate(_ORDER)}


class NutrientAmounts(Mapping[Nutrient, float]):
    """Known amounts of nutrients; a nutrient without a value is absent, not zero.

    Stored as one row in `Nutrient` order (None = missing), which keeps thousands of foods
    small in memory and quick to load.
    """

    __slots__ = ("_row",)

    def __init__(self, values: Mapping[Nutrient, float] | None = None) -> None:
        values = values or {}
        self._row: tuple[float | None, ...] = tuple(values.get(n) for n in _ORDER)

    @classmethod
    def from_row(cls, row: Sequence[float | None]) -> NutrientAmounts:
        """Amounts from a row in `Nutrient` order (None where missing)."""
        if len(row) != len(_ORDER):
            raise ValueError(f"expected {len(_ORDER)} nutrient values, got {len(row)}")
        amounts = cls.__new__(cls)
        amounts._row = tuple(row)
        return amounts

    @property
    def row(self) -> tuple[float | None, ...]:
        """The amounts in `Nutrient` order, None where missing."""
        return self._row

    def __getitem__(self, key: Nutrient) -> float:
        value = self._row[_POSITION[key]]
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[Nutrient]:
        return (n for n, v in zip(_ORDER, self._row, strict=True) if v is not None)

    def __len__(self) -> int:
        return sum(v is not None for v in self._row)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NutrientAmounts):
            return self._row == other._row
        return Mapping.__eq__(self, other)

    def __hash__(self) -> int:
        return hash(self._row)

    def __repr__(self) -> str:
        return f"NutrientAmounts({dict(self)!r})"

    def scaled(self, factor: float) -> NutrientAmounts:
        """Amounts multiplied by `factor` (e.g. grams / 100 for a per-100 g profile)."""
        return NutrientAmounts.from_row([None if v is None else v * factor for v in self._row])

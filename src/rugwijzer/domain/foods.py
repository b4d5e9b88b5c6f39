"""Foods as the rest of the application sees them: names, nutrients per 100 g, measures, source."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from rugwijzer.domain.nutrients import Nutrient, NutrientAmounts

__all__ = [
    "FOOD_GROUPS",
    "Food",
    "FoodGroup",
    "FoodSource",
    "HouseholdMeasure",
    "food_group",
]


@dataclass(frozen=True, slots=True)
class FoodGroup:
    """A USDA SR food group (code = the first two digits of the NDB number)."""

    code: str
    name_en: str
    name_nl: str


#: USDA SR food groups (SR24 documentation, table FD_GROUP), keyed by the first two digits of
#: the NDB number, which is how SR24 as shipped by cronometer tells the group. SR24 also uses
#: NDB numbers outside these ranges (e.g. 27xxx, 42xxx, 43xxx); those foods get "other".
FOOD_GROUPS: Mapping[str, FoodGroup] = {
    g.code: g
    for g in (
        FoodGroup("01", "Dairy and egg products", "Zuivel en eieren"),
        FoodGroup("02", "Spices and herbs", "Kruiden en specerijen"),
        FoodGroup("03", "Baby foods", "Babyvoeding"),
        FoodGroup("04", "Fats and oils", "Vetten en oliën"),
        FoodGroup("05", "Poultry products", "Gevogelte"),
        FoodGroup("06", "Soups, sauces and gravies", "Soepen en sauzen"),
        FoodGroup("07", "Sausages and luncheon meats", "Worst en vleeswaren"),
        FoodGroup("08", "Breakfast cereals", "Ontbijtgranen"),
        FoodGroup("09", "Fruits and fruit juices", "Fruit en vruchtensappen"),
        FoodGroup("10", "Pork products", "Varkensvlees"),
        FoodGroup("11", "Vegetables and vegetable products", "Groenten"),
        FoodGroup("12", "Nut and seed products", "Noten en zaden"),
        FoodGroup("13", "Beef products", "Rundvlees"),
        FoodGroup("14", "Beverages", "Dranken"),
        FoodGroup("15", "Finfish and shellfish products", "Vis en schaaldieren"),
        FoodGroup("16", "Legumes and legume products", "Peulvruchten"),
        FoodGroup("17", "Lamb, veal and game products", "Lams-, kalfsvlees en wild"),
        FoodGroup("18", "Baked products", "Brood en gebak"),
        FoodGroup("19", "Sweets", "Zoetigheden"),
        FoodGroup("20", "Cereal grains and pasta", "Graanproducten en pasta"),
        FoodGroup("21", "Fast foods", "Fastfood"),
        FoodGroup("22", "Meals, entrees and side dishes", "Maaltijden en bijgerechten"),
        # SR24 numbers its newer beef cuts 23xxx; they belong to the beef group (1300).
        FoodGroup("23", "Beef products", "Rundvlees"),
        FoodGroup("25", "Snacks", "Snacks"),
        FoodGroup("35", "American Indian/Alaska Native foods", "Inheems Amerikaans voedsel"),
        FoodGroup("36", "Restaurant foods", "Restaurantgerechten"),
    )
}

_OTHER_GROUP = FoodGroup("other", "Other", "Overig")


def food_group(code: str) -> FoodGroup:
    """The food group for a group code; unknown codes give the group "other"."""
    return FOOD_GROUPS.get(code, _OTHER_GROUP)


class HouseholdMeasure(NamedTuple):
    """A household measure of a food: `amount` × `name` weighs `grams` (e.g. 1 × "cup" = 143 g).

    A named tuple rather than a dataclass: the database holds 15,000 of them and loads them
    at start-up, where tuple construction is several times cheaper."""

    amount: float
    name: str
    grams: float

    @property
    def grams_per_unit(self) -> float:
        """Grams for an amount of 1 of this measure."""
        return self.grams / self.amount


@dataclass(frozen=True, slots=True)
class FoodSource:
    """Where a food record comes from: dataset, the dataset's own id (NDB number, NEVO code),
    licence and the release of the dataset the record was taken from."""

    dataset: str
    source_id: str
    licence: str
    release: str = ""

    def as_dict(self) -> dict[str, str]:
        """A JSON-ready mapping."""
        return {
            "dataset": self.dataset,
            "source_id": self.source_id,
            "licence": self.licence,
            "release": self.release,
        }


@dataclass(frozen=True, slots=True)
class Food:
    """One food with its nutrients per 100 g edible portion.

    `per_100g` holds only the nutrients the source gives a value for: a missing nutrient is
    absent, never zero. Dutch names are Rugwijzer's own mapping; `mapping_note` says where the
    source food is only an approximation of the Dutch product.
    """

    id: str
    name_en: str
    group_code: str
    per_100g: NutrientAmounts = field(repr=False)
    measures: tuple[HouseholdMeasure, ...] = field(repr=False)
    source: FoodSource
    name_nl: str | None = None
    synonyms_nl: tuple[str, ...] = field(default=())
    synonyms_en: tuple[str, ...] = field(default=())
    mapping_note: str | None = None

    @property
    def group(self) -> FoodGroup:
        """The food group this food belongs to."""
        return food_group(self.group_code)

    @property
    def magnesium_mg_per_100g(self) -> float | None:
        """Magnesium per 100 g, or None where the source has no value."""
        return self.per_100g.get(Nutrient.MAGNESIUM_MG)

    def name(self, lang: str) -> str:
        """The display name in `lang` ("nl" or "en"); English when there is no Dutch name."""
        if lang == "nl" and self.name_nl:
            return self.name_nl
        return self.name_en

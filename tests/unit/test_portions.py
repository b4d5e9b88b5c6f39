"""Dutch typical portions: the data file, which figure applies, how the meal parser uses them."""

from __future__ import annotations

import re

import pytest

from rugwijzer.content import sources
from rugwijzer.domain.foods import HouseholdMeasure
from rugwijzer.domain.meals import parse_meal
from rugwijzer.domain.nutrients import Nutrient
from rugwijzer.domain.portions import DutchPortion, DutchPortions, PortionFigure
from rugwijzer.errors import DataError
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.fooddb.household import dutch_measures
from rugwijzer.fooddb.portions import dutch_portions, parse_dutch_portions
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code
from tests.factories import make_food

# --- the bundled file ----------------------------------------------------------------------------


def test_every_bundled_figure_has_a_known_source_or_says_it_is_an_assumption() -> None:
    known = sources()
    figures = [
        figure
        for entry in dutch_portions().entries
        for figure in (entry.portion, entry.piece, entry.stukje, *entry.measures.values())
        if figure is not None
    ]
    assert len(figures) > 40
    for figure in figures:
        if figure.basis == "assumption":
            assert figure.source_id is None
            assert figure.reason
        else:
            assert figure.source_id in known, figure
            assert known[figure.source_id].url.startswith("https://")


def test_every_listed_food_exists_and_has_a_dutch_name(food_db: FoodDatabase) -> None:
    for entry in dutch_portions().entries:
        for food_id in entry.food_ids | entry.exclude:
            food = food_db.get(food_id)
            assert food.name_nl, (entry.key, food_id)


@pytest.mark.parametrize(
    ("food_id", "entry"),
    [
        ("sr24:08120", "havermout_droog"),
        ("sr24:11367", "aardappel"),  # potatoes before the vegetables group
        ("sr24:11458", "groente"),
        ("sr24:09040", "banaan"),
        ("sr24:09236", "fruit"),  # a peach: the group's 100 g portion, no piece of its own
        ("sr24:09298", None),  # raisins are not eaten by the 100 g portion of fresh fruit
        ("sr24:15237", "vis"),
        ("sr24:13930", "vlees_bereid"),
        ("sr24:13929", "vlees_rauw"),
        ("sr24:19903", "chocolade"),
        ("sr24:16070", "peulvruchten"),
        ("sr24:12061", "noten"),
        ("sr24:19120", "chocolade"),
        ("sr24:14400", None),  # cola: no Dutch figure, USDA's serving stays
    ],
)
def test_the_first_entry_that_applies_wins(
    food_db: FoodDatabase, food_id: str, entry: str | None
) -> None:
    found = dutch_portions().for_food(food_db.get(food_id))
    assert (found.key if found else None) == entry


_GOOD = """
[[food]]
key = "x"
foods = ["01001"]
[food.portion]
nl = "portie"
grams = 40
basis = "standard"
source = "consumentenbond-havermout-2024"
"""


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('source = "consumentenbond-havermout-2024"', 'source = "nobody-2099"'), "unknown source"),
        (('basis = "standard"', 'basis = "guess"'), "basis"),
        (("grams = 40", "grams = 40\nmillilitres = 40"), "grams or millilitres"),
        (("grams = 40", ""), "grams or millilitres"),
        (("grams = 40", "grams = -4"), "not a number"),
        (("grams = 40", "grams = true"), "not a number"),
        (('nl = "portie"', 'nl = ""'), "Dutch name"),
        (('nl = "portie"', 'nl = "portie"\ncolour = "red"'), "unknown fields"),
        (('basis = "standard"', 'basis = "assumption"'), "assumption"),
        (('foods = ["01001"]', 'foods = ["sr24:01001"]'), "NDB numbers"),
        (('foods = ["01001"]', "foods = []"), "listed foods, groups"),
        (('key = "x"', 'key = "x"\non_bread = "yes"'), "true or false"),
        (
            (
                "[food.portion]",
                "[food.measures.spade]\ngrams = 1\nbasis = 'assumption'\nreason = 'r'\n"
                "[food.portion]",
            ),
            "unknown household measures",
        ),
    ],
)
def test_a_bad_entry_is_refused_with_its_key_and_problem(
    change: tuple[str, str], problem: str
) -> None:
    with pytest.raises(DataError) as caught:
        parse_dutch_portions(_GOOD.replace(*change))
    assert caught.value.message.code is Code.MEAL_MEASURE_INVALID
    assert caught.value.message.params["key"] == "x"
    assert problem in str(caught.value.message.params["problem"])


def test_the_good_entry_loads_and_duplicate_keys_are_refused() -> None:
    assert parse_dutch_portions(_GOOD).entries[0].key == "x"
    with pytest.raises(DataError) as caught:
        parse_dutch_portions(_GOOD + _GOOD)
    assert caught.value.message.code is Code.MEAL_MEASURES_FILE_INVALID


# --- figures and derivations ---------------------------------------------------------------------

_CUP = HouseholdMeasure(1.0, "cup", 244.0)
_SOURCED = PortionFigure(
    "glas", "standard", millilitres=150, source_id="s", citation="Trouw (2017)"
)


def test_a_volume_uses_the_foods_own_cup_and_says_so() -> None:
    milk = make_food("1", "Milk", measures=(_CUP,))
    found = _SOURCED.grams_for(milk)
    assert found.grams == pytest.approx(150 * 244 / 236.6, abs=0.2)
    assert found.source_id == "s"
    dutch = render_message(found.how, "nl")
    assert dutch.startswith("glas = 154,7 g (150 ml via de USDA-maat ‘1 cup’")
    assert dutch.endswith("volgens Trouw (2017)")


def test_a_volume_without_a_cup_takes_water_and_an_assumption_says_it_has_no_source() -> None:
    food = make_food("1", "Custard")
    figure = PortionFigure("schaaltje", "assumption", millilitres=150, reason="why")
    found = figure.grams_for(food)
    assert found.grams == 150
    assert found.source_id is None
    assert render_message(found.how, "en") == (
        "schaaltje = 150 g (150 ml, taking 1 g per ml; an assumption: no source was found for this)"
    )


def test_sizes_use_their_own_weights_and_name_them() -> None:
    potato = make_food("1", "Potato")
    figure = PortionFigure(
        "aardappel", "estimate", grams=70, small_grams=50, large_grams=100, citation="RIVM (2026)"
    )
    assert figure.grams_for(potato).grams == 70
    large = figure.grams_for(potato, "large")
    assert large.grams == 100
    assert render_message(large.how, "nl") == "aardappel (groot) = 100 g, volgens RIVM (2026)"
    assert figure.grams_for(potato, "small").grams == 50


# --- the parser ----------------------------------------------------------------------------------


class _Hit:
    def __init__(self, food: object, name: str) -> None:
        self.food, self.score, self.matched_name, self.coverage = food, 1.0, name, 1.0


class _Foods:
    """A two-food search: each food by its Dutch or English name."""

    def __init__(self, *foods: object) -> None:
        self.foods = foods

    def search(self, query: str, *, lang: str | None = None, limit: int = 10) -> list[_Hit]:
        hits = []
        for food in self.foods:
            names = [food.name_nl, food.name_en.lower(), *food.synonyms_nl, *food.synonyms_en]  # type: ignore[attr-defined]
            if query.lower() in names:
                hits.append(_Hit(food, query.lower()))
        return hits


_BAR = HouseholdMeasure(1.0, "bar", 112.0)
CHOCOLATE = make_food(
    "19903",
    "Chocolate, dark",
    group="19",
    magnesium_mg=176.0,
    measures=(_BAR,),
    name_nl="pure chocolade",
    synonyms_en=("dark chocolate",),
)
BREAD = make_food(
    "18075",
    "Bread, whole-wheat",
    group="18",
    magnesium_mg=82.0,
    name_nl="volkorenbrood",
    synonyms_nl=("boterham", "boterhammen"),
)
CHEESE = make_food("01022", "Cheese, gouda", group="01", magnesium_mg=29.0, name_nl="kaas")
_FIGURE = {
    "piece": PortionFigure("stuk", "estimate", grams=7.5, source_id="p", citation="Puratos"),
    "stukje": PortionFigure("stukje", "estimate", grams=5, source_id="p", citation="Puratos"),
    "portion": PortionFigure("portie", "estimate", grams=10, source_id="p", citation="Puratos"),
}
PORTIONS = DutchPortions(
    [
        DutchPortion("chocolade", frozenset({CHOCOLATE.id}), **_FIGURE),  # type: ignore[arg-type]
        DutchPortion(
            "brood",
            frozenset({BREAD.id}),
            portion=PortionFigure("snee", "estimate", grams=35, citation="x"),
            piece=PortionFigure("snee", "estimate", grams=35, citation="x"),
            is_bread=True,
        ),
        DutchPortion(
            "kaas",
            frozenset({CHEESE.id}),
            portion=PortionFigure("plak", "standard", grams=20, citation="ZuivelNL"),
            on_bread=True,
        ),
    ]
)


def _grams(text: str, lang: str | None, portions: DutchPortions | None = PORTIONS) -> list[float]:
    parsed = parse_meal(
        text,
        _Foods(CHOCOLATE, BREAD, CHEESE),
        dutch_measures(),
        lang=lang,
        portions=portions,
    )
    return [item.grams for item in parsed.items]


@pytest.mark.parametrize(
    ("text", "lang", "grams"),
    [
        ("een stuk pure chocolade", "nl", [7.5]),  # stuk: a piece of that food
        ("een stukje pure chocolade", "nl", [5.0]),
        ("3 stukjes pure chocolade", "nl", [15.0]),
        ("een portie pure chocolade", "nl", [10.0]),
        ("pure chocolade", "nl", [10.0]),  # no amount at all: one Dutch portion
        ("pure chocolade", None, [10.0]),  # named in Dutch
        ("een pure chocolade", "nl", [7.5]),  # a count: one piece
        ("dark chocolate", "en", [112.0]),  # English text: USDA's serving, as before
        ("1 dark chocolate", None, [112.0]),  # English words, no language given
        ("a stukje of dark chocolate", "en", [5.0]),  # a Dutch measure word is Dutch anywhere
        ("a portie of dark chocolate", "en", [10.0]),
        ("50 g pure chocolade", "nl", [50.0]),  # a weight always wins
        ("2 boterhammen met kaas", "nl", [70.0, 40.0]),  # a topping on each slice
        ("een boterham met kaas", "nl", [35.0, 20.0]),
        ("2 boterhammen met 1 plak kaas", "nl", [70.0, 20.0]),  # an amount is the amount
    ],
)
def test_dutch_text_without_a_weight_gets_the_dutch_figure(
    text: str, lang: str | None, grams: list[float]
) -> None:
    assert _grams(text, lang) == grams


def test_without_dutch_portions_the_usda_servings_stay() -> None:
    assert _grams("een stuk pure chocolade", "nl", portions=None) == [112.0]
    assert _grams("pure chocolade", "nl", portions=None) == [112.0]


def test_an_item_carries_the_portions_source_and_the_derivation_names_it() -> None:
    parsed = parse_meal(
        "een stukje pure chocolade", _Foods(CHOCOLATE), dutch_measures(), portions=PORTIONS
    )
    (item,) = parsed.items
    assert item.portion_source == "p"
    assert item.nutrients.get(Nutrient.MAGNESIUM_MG) == pytest.approx(8.8)
    assert render_message(item.grams_derivation, "nl") == ("1 × stukje = 5 g, volgens Puratos")
    assert not item.portion_assumed


def test_no_amount_says_a_portion_was_assumed() -> None:
    parsed = parse_meal("pure chocolade", _Foods(CHOCOLATE), dutch_measures(), portions=PORTIONS)
    (item,) = parsed.items
    assert item.portion_assumed
    assert [w.code for w in item.warnings] == [Code.MEAL_WARN_NO_AMOUNT]
    assert re.match(r"gewone portie: portie = 10 g", render_message(item.grams_derivation, "nl"))

"""The meal parser on a small, hand-made food list (no bundled data)."""

from __future__ import annotations

import pytest

from rugwijzer.domain.foods import HouseholdMeasure
from rugwijzer.domain.meals import parse_meal
from rugwijzer.domain.nutrients import Nutrient
from rugwijzer.errors import InvalidInputError
from rugwijzer.fooddb.household import dutch_measures
from rugwijzer.fooddb.search import FoodSearchIndex
from rugwijzer.messages import Code, Foreign, Message
from tests.factories import make_food

FOODS = [
    make_food(
        "12061",
        "Nuts, almonds",
        name_nl="amandelen",
        synonyms_nl=("amandel",),
        magnesium_mg=268.0,
        measures=(
            HouseholdMeasure(1.0, "cup, whole", 143.0),
            HouseholdMeasure(1.0, "oz (23 whole kernels)", 28.35),
            HouseholdMeasure(1.0, "almond", 1.2),
        ),
    ),
    make_food(
        "18075",
        "Bread, whole-wheat, commercially prepared",
        name_nl="volkorenbrood",
        synonyms_nl=("boterham", "boterhammen", "brood"),
        magnesium_mg=82.0,
        measures=(HouseholdMeasure(1.0, "slice", 28.0),),
    ),
    make_food(
        "16098",
        "Peanut butter, smooth style, with salt",
        name_nl="pindakaas",
        magnesium_mg=154.0,
        measures=(HouseholdMeasure(1.0, "cup", 258.0), HouseholdMeasure(2.0, "tbsp", 32.0)),
    ),
    make_food(
        "09040",
        "Bananas, raw",
        name_nl="banaan",
        synonyms_nl=("bananen",),
        magnesium_mg=27.0,
        measures=(
            HouseholdMeasure(1.0, "cup, mashed", 225.0),
            HouseholdMeasure(1.0, 'medium (7" to 7-7/8" long)', 118.0),
        ),
    ),
    make_food(
        "11458",
        "Spinach, cooked, boiled, drained, without salt",
        name_nl="spinazie",
        magnesium_mg=87.0,
        measures=(HouseholdMeasure(1.0, "cup", 180.0),),
    ),
    make_food(
        "11457",
        "Spinach, raw",
        name_nl="spinazie, rauw",
        magnesium_mg=79.0,
        measures=(HouseholdMeasure(1.0, "cup", 30.0),),
    ),
    make_food(
        "01175",
        "Milk, fluid, 1% fat",
        name_nl="halfvolle melk",
        synonyms_nl=("melk",),
        magnesium_mg=None,
    ),
    make_food(
        "14209",
        "Coffee, brewed",
        name_nl="koffie",
        magnesium_mg=3.0,
        measures=(HouseholdMeasure(1.0, "cup (8 fl oz)", 237.0),),
    ),
    make_food("14210", "Coffee with milk", name_nl="koffie met melk", magnesium_mg=5.0),
    make_food(
        "15237",
        "Fish, salmon, Atlantic, farmed, cooked, dry heat",
        name_nl="zalm",
        magnesium_mg=30.0,
        measures=(HouseholdMeasure(0.5, "fillet", 178.0), HouseholdMeasure(3.0, "oz", 85.0)),
    ),
    make_food(
        "05063",
        "Chicken, broilers or fryers, breast, meat only, cooked, roasted",
        name_nl="kipfilet",
        synonyms_nl=("kipfilets",),
        magnesium_mg=31.0,
        measures=(
            HouseholdMeasure(1.0, "unit (yield from 1 lb ready-to-cook chicken)", 52.0),
            HouseholdMeasure(0.5, "breast, bone and skin removed", 86.0),
        ),
    ),
    make_food(
        "09111",
        "Grapefruit, raw",
        name_nl="grapefruit",
        magnesium_mg=8.0,
        measures=(HouseholdMeasure(0.5, 'fruit (3-3/4" dia)', 128.0),),
    ),
]
INDEX = FoodSearchIndex(FOODS)


def parse(text: str, lang: str | None = "nl"):  # type: ignore[no-untyped-def]
    return parse_meal(text, INDEX, dutch_measures(), lang=lang)


def grams(text: str) -> list[float]:
    return [item.grams for item in parse(text).items]


def test_splits_a_dutch_sentence_into_items() -> None:
    result = parse("2 sneetjes volkorenbrood met pindakaas en een banaan")
    assert [i.food.source.source_id for i in result.items] == ["18075", "16098", "09040"]
    assert [i.grams for i in result.items] == [70.0, 32.0, 118.0]
    assert result.items[1].portion_assumed
    assert result.items[1].grams_derivation.code is Code.MEAL_TYPICAL_PORTION
    assert result.unparsed == ()


def test_spans_point_into_the_text() -> None:
    text = "30 gram amandelen, een banaan"
    for item in parse(text).items:
        assert text[item.start : item.end] == item.text


# Expected grams come from the words (grams, kg, ounces), the Dutch measures'
# definitions and estimates (household_measures_nl.toml), or the food's own measure in USDA SR24's
# weight table (a medium banana 118 g, a cup of cooked spinach 180 g, 2 tbsp of peanut butter 32 g).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 ons spinazie", 100.0),
        ("een half pond spinazie", 250.0),
        ("1 pond spinazie", 500.0),
        ("1 oz almonds", 28.3),
        ("30 gram amandelen", 30.0),
        ("30g amandelen", 30.0),
        ("0,5 kg spinazie", 500.0),
        ("1.5 kg spinazie", 1500.0),
        ("1/2 cup spinazie", 90.0),
        ("½ cup spinazie", 90.0),
        ("1 1/2 cup spinazie", 270.0),
        ("1½ cup spinazie", 270.0),
        ("anderhalve banaan", 177.0),
        ("een halve banaan", 59.0),
        ("half a banana", 59.0),
        ("twee bananen", 236.0),
        ("a couple of bananas", 236.0),
        ("2x banaan", 236.0),
        ("1 medium banana", 118.0),
        ("2 slices whole wheat bread", 56.0),
        ("2 tablespoons peanut butter", 32.0),
        ("een eetlepel pindakaas", 16.2),
        ("een handje amandelen", 25.0),
        ("een theelepel pindakaas", 5.4),
        ("spinazie 200 g", 200.0),
        # the weight of one, after the food; the leading amount counts them
        ("een kipfilet van 150 gram", 150.0),
        ("2 kipfilets van 120 g", 240.0),
        ("zalm (125 g)", 125.0),
        ("een opscheplepel spinazie", 50.0),
        ("2 opscheplepels spinazie", 100.0),
        # a serving of a cut is one piece for meat and fish; half a fruit is not a whole one
        ("een stuk zalm", 178.0),
        ("een kipfilet", 86.0),
        ("een grapefruit", 256.0),
    ],
)
def test_amounts(text: str, expected: float) -> None:
    assert grams(text) == [pytest.approx(expected, abs=0.1)]


def test_no_amount_uses_a_typical_portion_and_says_so() -> None:
    (item,) = parse("amandelen").items
    assert item.grams == pytest.approx(28.4, abs=0.1)  # USDA's counted ounce, not one almond
    assert item.portion_assumed
    assert Code.MEAL_WARN_NO_AMOUNT in {w.code for w in item.warnings}


def test_volume_without_a_usda_measure_states_the_assumption() -> None:
    (item,) = parse("250 ml halfvolle melk").items
    assert item.grams == 250.0
    assert Code.MEAL_WARN_ASSUMED_DENSITY in {w.code for w in item.warnings}


def test_a_food_named_with_a_connector_stays_one_item() -> None:
    result = parse("koffie met melk")
    assert [i.food.source.source_id for i in result.items] == ["14210"]


def test_unknown_words_are_reported_never_dropped() -> None:
    result = parse("blablabla en een banaan, qwerty")
    assert [i.food.source.source_id for i in result.items] == ["09040"]
    assert sorted(u.text for u in result.unparsed) == ["blablabla", "qwerty"]
    leading = parse("ik at 2 bananen")
    assert leading.items[0].grams == 236.0
    assert [u.text for u in leading.unparsed] == ["ik at"]


def test_an_amount_without_food_is_unparsed() -> None:
    result = parse("200 gram")
    assert result.items == ()
    assert result.unparsed[0].reason == Message.of(Code.MEAL_AMOUNT_WITHOUT_FOOD)


def test_preparation_words_steer_the_choice() -> None:
    assert parse("100 g rauwe spinazie").items[0].food.source.source_id == "11457"
    assert parse("100 g gekookte spinazie").items[0].food.source.source_id == "11458"


def test_totals_count_missing_values_and_do_not_treat_them_as_zero() -> None:
    result = parse("30 gram amandelen, 200 ml melk")
    magnesium = result.total(Nutrient.MAGNESIUM_MG)
    assert magnesium.amount == pytest.approx(80.4)
    assert magnesium.grams_without_value == 200.0
    assert not magnesium.complete


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("5000 kg spinazie", "not a plausible"),
        ("-2 bananen", "negative"),
        ("0 g amandelen", "more than zero"),
        ("1/0 banaan", "divides by zero"),
        ("banaan " * 500, "characters"),
    ],
)
def test_bad_input_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse(text)


def test_large_amount_is_a_warning() -> None:
    (item,) = parse("3 kg spinazie").items
    assert Code.MEAL_WARN_LARGE_AMOUNT in {w.code for w in item.warnings}


def test_a_trailing_descriptor_or_amount_belongs_to_the_food_before_it() -> None:
    result = parse("spinazie, rauw, 1 cup")
    assert [i.food.source.source_id for i in result.items] == ["11457"]
    assert result.items[0].grams == 30.0
    assert result.unparsed == ()
    assert grams("amandelen, 30 gram") == [30.0]


def test_a_measure_word_then_met_adds_a_food() -> None:
    result = parse("2 boterhammen met pindakaas")
    assert [i.food.source.source_id for i in result.items] == ["18075", "16098"]
    assert result.items[0].grams == 70.0


def test_english_household_words_use_the_dutch_measures() -> None:
    assert grams("a handful of almonds") == [25.0]


def test_op_joins_two_foods_and_portion_means_a_typical_portion() -> None:
    result = parse("pindakaas op een boterham")
    assert [i.food.source.source_id for i in result.items] == ["16098", "18075"]
    (item,) = parse("een portie spinazie").items
    assert item.grams == 180.0
    assert item.portion_assumed


def test_a_food_the_data_lacks_is_reported_not_guessed() -> None:
    absent = {"amandelmelk": "no almond drink in the data", "almond milk": "no almond drink"}
    result = parse_meal(
        "een banaan met een glas amandelmelk", INDEX, dutch_measures(), lang="nl", absent=absent
    )
    assert [item.food.name_nl for item in result.items] == ["banaan"]
    (missing,) = result.unparsed
    assert missing.text == "een glas amandelmelk"
    assert missing.reason == Message.of(
        Code.MEAL_NOT_IN_FOOD_DATA, note=Foreign("no almond drink in the data")
    )
    assert missing.not_in_data
    # without the list the same words would be searched as usual
    assert parse_meal("amandelmelk", INDEX, dutch_measures(), lang="nl").unparsed[0].reason != (
        missing.reason
    )

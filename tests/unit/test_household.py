from __future__ import annotations

import pytest

from rugwijzer.domain.foods import HouseholdMeasure
from rugwijzer.domain.household import grams_for_dutch_measure
from rugwijzer.errors import DataError
from rugwijzer.fooddb.household import dutch_measures, parse_dutch_measures
from rugwijzer.messages import Code, Foreign, Message
from tests.factories import make_food


def _measure(key: str):  # type: ignore[no-untyped-def]
    return next(m for m in dutch_measures() if m.key == key)


def test_dutch_weight_words() -> None:
    food = make_food("11457", "Spinach, raw")
    assert grams_for_dutch_measure(_measure("ons"), food)[0] == 100
    assert grams_for_dutch_measure(_measure("pond"), food)[0] == 500


def test_required_dutch_measures_exist_with_sources() -> None:
    words = {word for m in dutch_measures() for word in m.words}
    for required in (
        "snee",
        "sneetje",
        "boterham",
        "plak",
        "handje",
        "handvol",
        "eetlepel",
        "theelepel",
        "kopje",
        "glas",
        "schaaltje",
        "kom",
        "stuk",
        "bord",
        "ons",
        "pond",
    ):
        assert required in words, required
    for measure in dutch_measures():
        assert measure.source.strip()
        assert measure.basis in {"definition", "standard", "estimate"}
        if measure.kind == "volume":  # the weight for a food without a USDA volume measure: 1 g/ml
            assert measure.grams == measure.millilitres, measure.key
    # 1 ons = 100 g and 1 pond = 500 g (the metric Dutch weights); a tablespoon is 15 ml and a
    # teaspoon 5 ml (metric kitchen measures)
    definitions = {m.key: m.grams for m in dutch_measures() if m.basis == "definition"}
    assert definitions == {"ons": 100, "pond": 500, "eetlepel": 15, "theelepel": 5}


def test_spoon_uses_the_foods_own_tablespoon() -> None:
    peanut_butter = make_food(
        "16098",
        "Peanut butter",
        measures=(HouseholdMeasure(2.0, "tbsp", 32.0), HouseholdMeasure(1.0, "cup", 258.0)),
    )
    grams, how = grams_for_dutch_measure(_measure("eetlepel"), peanut_butter)
    assert grams == pytest.approx(15 * 16.0 / 14.787, abs=0.1)
    assert how.code is Code.MEAL_DUTCH_VOLUME_VIA_USDA
    assert how.params["measure"] == Foreign("tbsp")


def test_volume_without_usda_measure_states_the_density_assumption() -> None:
    grams, how = grams_for_dutch_measure(_measure("glas"), make_food("14000", "Some drink"))
    assert grams == 150
    assert how == Message.of(Code.MEAL_DUTCH_VOLUME_ASSUMED_DENSITY, millilitres=150.0)


def test_piece_prefers_medium_and_skips_amount_units() -> None:
    banana = make_food(
        "09040",
        "Bananas, raw",
        measures=(
            HouseholdMeasure(1.0, "cup, mashed", 225.0),
            HouseholdMeasure(1.0, 'large (8" to 8-7/8" long)', 136.0),
            HouseholdMeasure(1.0, 'medium (7" to 7-7/8" long)', 118.0),
        ),
    )
    assert grams_for_dutch_measure(_measure("stuk"), banana)[0] == 118.0
    almond = make_food(
        "12061",
        "Nuts, almonds",
        measures=(HouseholdMeasure(1.0, "cup, whole", 143.0), HouseholdMeasure(1.0, "almond", 1.2)),
    )
    assert grams_for_dutch_measure(_measure("stuk"), almond)[0] == 1.2


def test_a_piece_of_a_sliced_food_is_a_slice_not_the_whole() -> None:
    pizza = make_food(
        "21299",
        'Fast Food, Pizza Chain, 14" pizza, cheese topping',
        measures=(HouseholdMeasure(1.0, "slice", 107.0), HouseholdMeasure(1.0, "pizza", 853.0)),
    )
    assert grams_for_dutch_measure(_measure("stuk"), pizza)[0] == 107.0
    cake = make_food(
        "18101",
        "Cake, chocolate",
        measures=(HouseholdMeasure(1.0, "slice", 95.0), HouseholdMeasure(1.0, "piece", 64.0)),
    )
    assert grams_for_dutch_measure(_measure("stuk"), cake)[0] == 64.0  # its own piece first


def test_slice_of_bread_applies_to_baked_products_only() -> None:
    slice_ = _measure("snee_brood")
    assert slice_.applies(make_food("18075", "Bread, whole-wheat"))
    assert not slice_.applies(make_food("12061", "Nuts, almonds"))


_VALID = {
    "key": '"x"',
    "name_nl": '"x"',
    "words": '["x"]',
    "kind": '"weight"',
    "grams": "5",
    "applies_to": "[]",
    "basis": '"estimate"',
    "source": '"s"',
}


def _toml(**changes: str) -> str:
    fields = {**_VALID, **changes}
    return "[[measure]]\n" + "\n".join(f"{k} = {v}" for k, v in fields.items() if v)


def test_a_valid_measure_file_parses() -> None:
    (measure,) = parse_dutch_measures(_toml())
    assert measure.grams == 5
    assert parse_dutch_measures('key = "x"') == ()  # no [[measure]] tables: no measures


@pytest.mark.parametrize(
    "body",
    [
        _toml(grams="-1"),
        _toml(kind='"volume"'),  # a volume needs millilitres
        _toml(source='" "'),
        _toml(basis='"guess"'),
        _toml(words="[]"),
        _toml(grams=""),
        "[[measure",
    ],
)
def test_invalid_measure_files_are_rejected(body: str) -> None:
    with pytest.raises(DataError) as raised:
        parse_dutch_measures(body)
    assert raised.value.message.code in {Code.MEAL_MEASURE_INVALID, Code.MEAL_MEASURES_FILE_INVALID}

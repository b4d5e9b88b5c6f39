"""Meal messages: every code renders in Dutch and English; older English sentences read back."""

from __future__ import annotations

import string
from fractions import Fraction

import pytest

from rugwijzer.domain.foods import HouseholdMeasure
from rugwijzer.domain.household import usda_grams_per_ml
from rugwijzer.domain.meal_words import MEAL_WORDS
from rugwijzer.i18n import catalogue_messages, render_message
from rugwijzer.messages import Code, Foreign, Message, Param
from rugwijzer.store.meal_text import message_from_text, stored_message
from tests.factories import make_food

MEAL_CODES = [code for code in Code if code.value.startswith("meal.")]
_INNER = Message.of(Code.MEAL_USDA_MEASURE, measure=Foreign("cup"), grams=240.0)
#: A value for each placeholder of the meal codes, of the kind the parser passes.
SAMPLES: dict[str, Param] = {
    "quantity": 1.5,
    "count": 2.0,
    "times": 3.0,
    "amount": 0.5,
    "grams": 1234.5,
    "was": 70.0,
    "millilitres": 354.9,
    "length": 2500,
    "limit": 2000,
    "unit": "oz",
    "text": "5000 kg spinazie",
    "key": "snee_brood",
    "problem": Foreign("expected '=' after a key"),
    "measure": Foreign("cup"),
    "note": Foreign("USDA SR24 has no almond drink"),
    "how": _INNER,
    "basis": Message.of(Code.MEAL_BASIS_STANDARD),
    "parts": ("qwerty", "zxcvb"),
    "portion": Foreign("portie (een bord pap)", "nl"),
    "source": Foreign("Consumentenbond (2024)", "nl"),
    "volume": Message.of(Code.PORTION_VOLUME_AS_WATER, millilitres=150.0),
}


def _sample(code: Code) -> Message:
    template = catalogue_messages("en")[code.value]
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return Message(code, {name: SAMPLES[name] for name in names})


def _marked(text: str, lang: str) -> str:
    return f"<{lang}>{text}</{lang}>"


@pytest.mark.parametrize("code", MEAL_CODES, ids=lambda code: code.value)
def test_every_meal_code_renders_in_dutch_and_english(code: Code) -> None:
    message = _sample(code)
    dutch = render_message(message, "nl", foreign=_marked)
    english = render_message(message, "en", foreign=_marked)
    for text in (dutch, english):
        assert text.strip()
        assert "{" not in text
        assert "None" not in text
    if "grams" in message.params:  # numbers in the reader's locale
        assert "1.234,5" in dutch
        assert "1,234.5" in english
    if isinstance(message.params.get("measure"), Foreign):  # English stays English, marked
        assert "<en>cup</en>" in dutch
        assert "<en>" not in english


def test_a_nested_derivation_is_rendered_inside_its_parent() -> None:
    message = Message.of(Code.MEAL_TIMES_PER_PIECE, times=3.0, how=_INNER, grams=720.0)
    assert render_message(message, "en") == "3 × (USDA measure 'cup' (240 g)) = 720 g"
    assert render_message(message, "nl") == "3 × (USDA-maat ‘cup’ (240 g)) = 720 g"


#: Sentences the parser and the diary wrote before codes, and the code each one becomes.
OLD_SENTENCES = {
    "200 g": Code.MEAL_GRAMS,
    "1 oz = 28.3495 g": Code.MEAL_GRAMS_CONVERTED,
    "2 × snee (brood) = 35 g (estimate)": Code.MEAL_TIMES,
    "1 × pond = 500 g (definition)": Code.MEAL_TIMES,
    "0.5 × USDA measure 'cup' (195 g)": Code.MEAL_TIMES,
    "USDA measure '0.5 fillet' (154 g)": Code.MEAL_USDA_MEASURE_AMOUNT,
    "USDA measure 'almond'": Code.MEAL_USDA_MEASURE_NAMED,
    "250 ml via USDA measure '1 cup' (249 g)": Code.MEAL_VOLUME_VIA_USDA,
    "354.882 ml at an assumed 1 g/ml": Code.MEAL_VOLUME_ASSUMED_DENSITY,
    "15 ml via the USDA measure '1 tsp' = 4.5 g": Code.MEAL_DUTCH_VOLUME_VIA_USDA,
    "150 ml at an assumed density of 1 g/ml (no USDA volume measure)": (
        Code.MEAL_DUTCH_VOLUME_ASSUMED_DENSITY
    ),
    "80 g assumed for one piece (no USDA piece measure)": Code.MEAL_PIECE_ASSUMED,
    "typical portion: USDA measure '2 tbsp' (32 g)": Code.MEAL_TYPICAL_PORTION,
    "100 g (the food has no household measures)": Code.MEAL_NO_HOUSEHOLD_MEASURES,
    "3 × (150 g) = 450 g": Code.MEAL_TIMES_PER_PIECE,
    "105 g, corrected by you (was 70 g)": Code.MEAL_CORRECTED,
    "50 g; food chosen by you, grams kept": Code.MEAL_FOOD_CHOSEN,
    "not understood": Code.MEAL_NOT_UNDERSTOOD,
    "an amount without a food": Code.MEAL_AMOUNT_WITHOUT_FOOD,
    "no food recognised": Code.MEAL_NO_FOOD_RECOGNISED,
    "not in the food data: USDA SR24 has no oat drink": Code.MEAL_NOT_IN_FOOD_DATA,
    "1000 ml via USDA measure '1 cup' (248 g)": Code.MEAL_VOLUME_VIA_USDA,
}


@pytest.mark.parametrize("sentence", OLD_SENTENCES)
def test_an_older_sentence_becomes_its_code(sentence: str) -> None:
    message = message_from_text(sentence)
    assert message.code is OLD_SENTENCES[sentence]
    assert stored_message(sentence) == message
    assert stored_message(message.to_json()) == message
    assert message_from_text(render_message(message, "en")) == message_from_text(
        render_message(message_from_text(render_message(message, "en")), "en")
    )


def test_older_sentences_keep_their_names_and_numbers() -> None:
    message = message_from_text("2 × snee (brood) = 35 g (estimate)")
    assert message == Message.of(
        Code.MEAL_TIMES,
        count=2.0,
        how=Message.of(
            Code.MEAL_DUTCH_MEASURE,
            measure=Foreign("snee (brood)", "nl"),
            grams=35.0,
            basis=Message.of(Code.MEAL_BASIS_ESTIMATE),
        ),
    )
    assert render_message(message, "nl") == "2 × snee (brood) = 35 g (schatting)"
    assert message_from_text("1 oz = 28.3495 g").params["grams"] == 28.3495


@pytest.mark.parametrize(
    "sentence",
    ["1 appel", "", "typical portion", "2 × ", "USDA measure 'cup' (lots)", "200 g (estimated)"],
)
def test_a_sentence_not_known_is_kept_whole(sentence: str) -> None:
    assert message_from_text(sentence) == Message.of(Code.LEGACY_TEXT, text=sentence)
    assert render_message(message_from_text(sentence), "nl") == sentence


def test_a_damaged_stored_message_is_refused() -> None:
    with pytest.raises(ValueError, match=r"meal\.no_such_code"):
        stored_message({"code": "meal.no_such_code", "params": {}})
    with pytest.raises(TypeError):
        stored_message(42)  # type: ignore[arg-type]


def test_the_word_lists_come_from_the_data_file() -> None:
    assert MEAL_WORDS.numbers["anderhalve"] == Fraction(3, 2)
    assert MEAL_WORDS.numbers["dozen"] == 12
    assert MEAL_WORDS.connectors.search("brood met kaas")
    assert not MEAL_WORDS.connectors.search("metworst")
    assert "gekookte" in MEAL_WORDS.modifiers
    assert MEAL_WORDS.sizes["middelgrote"] == "medium"
    assert MEAL_WORDS.preparation["gestoomd"] == ("steamed",)


def test_one_density_function_for_units_and_dutch_measures() -> None:
    food = make_food(
        "09206",
        "Orange juice",
        measures=(
            HouseholdMeasure(1.0, "tbsp", 15.6),
            HouseholdMeasure(1.0, "cup slices", 248.0),
            HouseholdMeasure(1.0, "fl oz", 31.1),
        ),
    )
    # no size to match ("1 l"): the cup, the most precise weighing
    grams_per_ml, used = usda_grams_per_ml(food) or (0.0, None)
    assert used is not None
    assert used.name == "cup slices"
    assert grams_per_ml == pytest.approx(248.0 / 236.5882365)
    # a spoon for a spoon ("een eetlepel")
    assert (usda_grams_per_ml(food, 15.0) or (0.0, None))[1] == food.measures[0]
    assert usda_grams_per_ml(make_food("09207", "No measures")) is None

"""Meals in plain words → foods, grams and nutrients.

    "2 sneetjes volkorenbrood met pindakaas en een banaan"
    → 2 × snee (35 g) volkorenbrood · pindakaas (typical portion) · 1 × banaan (medium, 118 g)

The parser only names foods and amounts; every nutrient number comes from the food database.
Whatever it does not understand is returned in `unparsed`, never dropped. It is pure: the food
search is passed in (`FoodLookup`), so it can be tested without the bundled data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache
from typing import Protocol

from rugwijzer.domain.foods import Food, HouseholdMeasure
from rugwijzer.domain.household import (
    DutchMeasure,
    grams_for_dutch_measure,
    grams_per_piece,
    usda_grams_per_ml,
    usda_measure_message,
    usda_piece_measure,
)
from rugwijzer.domain.meal_words import MEAL_WORDS
from rugwijzer.domain.nutrients import Nutrient, NutrientAmounts
from rugwijzer.domain.portions import DutchPortions, PortionGrams, Size
from rugwijzer.domain.text import fold, stem, tokens
from rugwijzer.domain.units import UNIT_WORDS, Unit
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code, Foreign, Message

__all__ = [
    "MAX_ITEM_GRAMS",
    "MAX_MEAL_CHARACTERS",
    "FoodHit",
    "FoodLookup",
    "MealItem",
    "MealParse",
    "NutrientTotal",
    "UnparsedText",
    "parse_meal",
    "sum_nutrients",
]

#: Longer texts are refused; a day's meals fit easily.
MAX_MEAL_CHARACTERS = 2000
#: One item above this is not a meal but a typo ("5000 kg spinazie"): an error.
MAX_ITEM_GRAMS = 10_000.0
#: One item above this gets a warning (plausible for a drink, unusual for food).
LARGE_ITEM_GRAMS = 2_000.0
#: A match scoring below this is not trusted: the words are reported as not understood.
_MIN_MATCH_SCORE = 0.55
#: A match must account for this share of the item's words; otherwise the parser tries the
#: item without its first or last words and reports those as not understood.
_MIN_MATCH_COVERAGE = 0.7
#: Food names longer than this are not looked for inside longer runs of words.
_MAX_FOOD_WORDS = 6
#: Other foods scoring within this of the best are offered as alternatives.
_ALTERNATIVE_MARGIN = 0.08
_MAX_ALTERNATIVES = 3


class FoodHit(Protocol):
    """A search result as the parser needs it."""

    @property
    def food(self) -> Food: ...

    @property
    def score(self) -> float: ...

    @property
    def matched_name(self) -> str: ...

    @property
    def coverage(self) -> float: ...


class FoodLookup(Protocol):
    """Food search as the parser needs it (the food database provides it)."""

    def search(
        self, query: str, *, lang: str | None = None, limit: int = 10
    ) -> Sequence[FoodHit]: ...


# --- quantities -------------------------------------------------------------------------------

#: The word lists (number words, connectors, measure, size and preparation words): data, in
#: data/meal_words.toml.
_WORDS = MEAL_WORDS
_UNICODE_FRACTIONS = {
    "½": Fraction(1, 2),
    "⅓": Fraction(1, 3),
    "⅔": Fraction(2, 3),
    "¼": Fraction(1, 4),
    "¾": Fraction(3, 4),
    "⅕": Fraction(1, 5),
    "⅛": Fraction(1, 8),
}
_NUMBER = re.compile(r"^(-?\d+(?:[.,]\d+)?)([½⅓⅔¼¾⅕⅛]?)$")
_FRACTION = re.compile(r"^(-?\d+)/(\d+)$")
_NUMBER_WITH_UNIT = re.compile(r"^(-?\d+(?:[.,]\d+)?)([a-zA-Z]+)$")


def _number(token: str) -> Fraction | None:
    """A number written with digits, a decimal comma or point, a fraction or ½-style glyph."""
    if token in _UNICODE_FRACTIONS:
        return _UNICODE_FRACTIONS[token]
    match = _NUMBER.match(token)
    if match:
        value = Fraction(match.group(1).replace(",", "."))
        glyph = match.group(2)
        if glyph:
            value += _UNICODE_FRACTIONS[glyph] if value >= 0 else -_UNICODE_FRACTIONS[glyph]
        return value
    match = _FRACTION.match(token)
    if match:
        if int(match.group(2)) == 0:
            raise InvalidInputError(Code.MEAL_DIVIDES_BY_ZERO, text=token)
        return Fraction(int(match.group(1)), int(match.group(2)))
    return None


# --- items --------------------------------------------------------------------------------------

# A connector ("met", "and") separates foods unless the words together name one food ("koffie met
# melk"); with "with"/"met" one food's name may account for the words at these scores ("baked
# potato with skin").
_WHOLE_COVERAGE = 0.95
_WHOLE_SCORE = 0.8
# Hard separators: commas (not decimal commas), semicolons, plus signs, line breaks.
_SEPARATORS = re.compile(r"(?<!\d),|,(?!\d)|[;+\n\r]|\s+\.\s+")
_WORD = re.compile(r"[^\s()\[\]]+")  # brackets do not belong to words: "zalm (125 g)"

# A food prepared as the words say ("gekookte", "roasted") is preferred by this much.
_PREPARATION_BONUS = 0.04
# A food one of whose names is exactly the words is preferred by this much.
_EXACT_NAME_BONUS = 0.02

#: Portion words that are Dutch: "een portie" means a Dutch portion in any text.
_DUTCH_PORTION_WORDS = frozenset({"portie", "porties", "portietje", "portietjes"})
_MIN_PORTION_GRAMS = 10.0
_MAX_LOOSE_PIECE_GRAMS = 250.0
_PORTION_RULES = (
    lambda name: name.split(" ")[0] in _WORDS.serving_measures,
    lambda name: name.startswith("oz "),  # "oz (23 whole kernels)": USDA's counted serving
    lambda name: name.startswith("tbsp") or name.startswith("tsp"),
    lambda name: name.startswith("cup"),
)


@dataclass(frozen=True, slots=True)
class UnparsedText:
    """Text that was not understood, with its position in the input."""

    text: str
    start: int
    end: int
    reason: Message

    @property
    def not_in_data(self) -> bool:
        """Whether the text names a food known to be missing from the food data."""
        return self.reason.code is Code.MEAL_NOT_IN_FOOD_DATA


@dataclass(frozen=True, slots=True)
class MealItem:
    """One understood item: where it stands in the text, the food, the grams and how the grams
    were derived, the nutrients for those grams, and alternatives when the match is uncertain."""

    text: str
    start: int
    end: int
    food_text: str
    food: Food
    grams: float
    grams_derivation: Message
    quantity: float | None
    unit: str | None
    nutrients: NutrientAmounts
    match_score: float
    alternatives: tuple[Food, ...] = field(default=())
    warnings: tuple[Message, ...] = field(default=())
    portion_assumed: bool = False
    #: The source id (content/sources.toml) of a Dutch typical portion, where one was used.
    portion_source: str | None = None


@dataclass(frozen=True, slots=True)
class NutrientTotal:
    """A nutrient's total over items; `grams_without_value` is food eaten whose source has no
    value for this nutrient (the total is then a lower bound)."""

    nutrient: Nutrient
    amount: float
    grams_without_value: float

    @property
    def complete(self) -> bool:
        """True when every gram eaten had a value for this nutrient."""
        return self.grams_without_value == 0


@dataclass(frozen=True, slots=True)
class MealParse:
    """The result of parsing a meal text."""

    text: str
    items: tuple[MealItem, ...]
    unparsed: tuple[UnparsedText, ...]
    totals: tuple[NutrientTotal, ...]

    @property
    def total_grams(self) -> float:
        """Grams of all understood items."""
        return sum(item.grams for item in self.items)

    def total(self, nutrient: Nutrient) -> NutrientTotal:
        """The total of one nutrient."""
        return next(t for t in self.totals if t.nutrient == nutrient)


def sum_nutrients(items: Sequence[MealItem]) -> tuple[NutrientTotal, ...]:
    """Totals per nutrient over `items`; missing values are counted, never taken as zero."""
    totals = []
    for nutrient in Nutrient:
        amount = 0.0
        without = 0.0
        for item in items:
            value = item.nutrients.get(nutrient)
            if value is None:
                without += item.grams
            else:
                amount += value
        totals.append(NutrientTotal(nutrient, amount, without))
    return tuple(totals)


@dataclass(slots=True)
class _Token:
    text: str
    folded: str
    start: int
    end: int


def _tokens(text: str, offset: int) -> list[_Token]:
    found = []
    for match in _WORD.finditer(text):
        found.append(
            _Token(match.group(), fold(match.group()), offset + match.start(), offset + match.end())
        )
    return found


def _not_understood(words: list[_Token]) -> UnparsedText:
    reason = Message.of(Code.MEAL_NOT_UNDERSTOOD)
    return UnparsedText(" ".join(t.text for t in words), words[0].start, words[-1].end, reason)


@dataclass(slots=True)
class _Amount:
    quantity: Fraction | None = None
    unit: Unit | None = None
    dutch: DutchMeasure | None = None
    size: str | None = None
    measure_word: str | None = None
    #: The word that named the Dutch measure or the portion ("stukje", "portie").
    word: str | None = None
    quantity_end: int = 0  # tokens used by the quantity
    consumed: int = 0  # tokens used by the whole amount


@lru_cache(maxsize=16_384)
def _folded_names(names: tuple[str | None, ...]) -> frozenset[str]:
    """The names folded (`fold`); remembered, since a food's names are compared at every
    meal that mentions it."""
    return frozenset(fold(name) for name in names if name)


#: The folded words of the last Dutch measures a parser was given (the bundled list is one
#: object for the life of the process), with that list, so another list is never mistaken.
_MEASURE_WORDS: list[tuple[Sequence[DutchMeasure], dict[str, DutchMeasure]]] = []


def _measure_words(measures: Sequence[DutchMeasure]) -> dict[str, DutchMeasure]:
    """Folded word → the Dutch measure it names (the first measure to name a word wins)."""
    for known, words in _MEASURE_WORDS:
        if known is measures:
            return words
    words = {}
    for measure in measures:
        for word in measure.words:
            words.setdefault(fold(word), measure)
    _MEASURE_WORDS[:] = [(measures, words)]
    return words


class _Parser:
    def __init__(
        self,
        foods: FoodLookup,
        measures: Sequence[DutchMeasure],
        lang: str | None,
        absent: Mapping[str, str],
        portions: DutchPortions | None = None,
    ) -> None:
        self.foods = foods
        self.portions = portions or DutchPortions(())
        self.lang = lang
        self.absent = absent
        self.dutch_words = _measure_words(measures)

    # amounts ---------------------------------------------------------------------------------

    def _unit_at(self, toks: list[_Token], index: int, amount: _Amount) -> int:
        """Read a unit, Dutch measure, size or USDA measure word at `index`; return tokens used."""
        if index >= len(toks):
            return 0
        one = toks[index].folded
        two = f"{one} {toks[index + 1].folded}" if index + 1 < len(toks) else None
        if two and two in UNIT_WORDS:
            amount.unit = UNIT_WORDS[two]
            return 2
        if two and two in self.dutch_words:
            amount.dutch, amount.word = self.dutch_words[two], two
            return 2
        if two and two in _WORDS.sizes:
            amount.size = _WORDS.sizes[two]
            return 2
        if one in UNIT_WORDS:
            amount.unit = UNIT_WORDS[one]
            return 1
        if one in self.dutch_words:
            amount.dutch, amount.word = self.dutch_words[one], one
            return 1
        if one in _WORDS.sizes:
            amount.size = _WORDS.sizes[one]
            return 1
        if one in _WORDS.portion:
            amount.measure_word, amount.word = "portion", one
            return 1
        if one in _WORDS.dutch_usda_measures:
            amount.measure_word = _WORDS.dutch_usda_measures[one]
            return 1
        if one in _WORDS.usda_measures:
            amount.measure_word = stem(one)
            return 1
        return 0

    def _amount(self, toks: list[_Token]) -> _Amount:
        """Read the amount at the start of an item: a quantity ("2", "1 1/2", "½", "anderhalve",
        "een half", "a couple of"), then a unit, Dutch measure, size or USDA measure word."""
        amount = _Amount()
        i = 0
        unit_read = False
        while i < len(toks):
            raw, word = toks[i].text.lower(), toks[i].folded
            value = _number(raw)
            if value is None and len(raw) > 1 and raw[-1] in "x×":
                value = _number(raw[:-1])  # "2x"
            if value is not None:
                if value < 0:
                    raise InvalidInputError(Code.MEAL_NEGATIVE_AMOUNT, text=toks[i].text)
                if amount.quantity is None:
                    amount.quantity = value
                elif 0 < value < 1:
                    amount.quantity += value  # "1 1/2"
                else:
                    break
                i += 1
                continue
            glued = _NUMBER_WITH_UNIT.match(toks[i].text)
            if glued and amount.quantity is None:  # "30g", "250ml"
                value = Fraction(glued.group(1).replace(",", "."))
                if value < 0:
                    raise InvalidInputError(Code.MEAL_NEGATIVE_AMOUNT, text=toks[i].text)
                unit_word = fold(glued.group(2))
                if not self._unit_at([_Token(unit_word, unit_word, 0, 0)], 0, amount):
                    break
                amount.quantity = value
                unit_read = True
                i += 1
                break
            if word in _WORDS.numbers:
                value = _WORDS.numbers[word]
                if amount.quantity is None:
                    amount.quantity = value
                elif word in _WORDS.articles:
                    pass  # "half a cup", "een halve"
                elif word in ("paar", "couple") and amount.quantity == 1:
                    amount.quantity = value  # "een paar", "a couple of"
                elif value < 1 or amount.quantity == 1:
                    amount.quantity *= value  # "een half pond" = 1 × ½
                else:
                    break
                i += 1
                continue
            break
        amount.quantity_end = i
        while i < len(toks) and toks[i].folded in _WORDS.filler:
            i += 1
        if not unit_read:
            used = self._unit_at(toks, i, amount)
            i += used
            if used and amount.size and amount.unit is None and amount.dutch is None:
                i += self._unit_at(toks, i, amount)  # "1 large slice"
            while i < len(toks) and toks[i].folded in _WORDS.filler:
                i += 1
        if amount.quantity is not None and amount.quantity <= 0:
            raise InvalidInputError(Code.MEAL_AMOUNT_NOT_POSITIVE)
        amount.consumed = i
        return amount

    # foods -----------------------------------------------------------------------------------

    def _match(self, food_text: str) -> tuple[FoodHit, tuple[Food, ...]] | None:
        hits = list(self.foods.search(food_text, lang=self.lang, limit=6))
        if not hits:
            return None
        wanted = [
            concept for word in tokens(food_text) for concept in _WORDS.preparation.get(word, ())
        ]

        folded = fold(food_text)

        def steered(hit: FoodHit) -> float:
            # The words are exactly one of this food's names ("pure chocolade" is the curated
            # synonym of the 45-59% chocolate, not of the 60-69% one that scores alike).
            food = hit.food
            all_names = (food.name_nl, *food.synonyms_nl, food.name_en, *food.synonyms_en)
            exact = _EXACT_NAME_BONUS if folded in _folded_names(all_names) else 0.0
            if not wanted:
                return hit.score + exact
            described = _folded_names((food.name_en + " " + (food.name_nl or ""),))
            steer = _PREPARATION_BONUS if any(c in d for d in described for c in wanted) else 0.0
            return hit.score + exact + steer

        scores = {id(hit): steered(hit) for hit in hits}
        ranked = sorted(hits, key=lambda hit: scores[id(hit)], reverse=True)
        best = ranked[0]
        if best.score < _MIN_MATCH_SCORE:
            return None
        best_score = scores[id(best)]
        alternatives = tuple(
            hit.food for hit in ranked[1:] if scores[id(hit)] >= best_score - _ALTERNATIVE_MARGIN
        )[:_MAX_ALTERNATIVES]
        return best, alternatives

    # grams -----------------------------------------------------------------------------------

    @staticmethod
    def _usda_measure(food: Food, head: str) -> HouseholdMeasure | None:
        """The food's USDA measure whose name starts with `head` (plainest name first)."""
        found = [
            m
            for m in food.measures
            if stem(fold(m.name).split(" ")[0]) == stem(head) or fold(m.name).startswith(head + " ")
        ]
        return min(found, key=lambda m: len(m.name)) if found else None

    @staticmethod
    def _typical_portion(food: Food) -> tuple[float, Message]:
        """One typical portion from the food's own USDA measures: a piece (a banana, a slice of
        bread), else a serving-sized package, else a counted ounce ("oz (23 whole kernels)"),
        else spoons (spreads), else a cup; 100 g only when the food has no measures at all."""
        piece = usda_piece_measure(food, strict=True)
        if piece is None:
            loose = usda_piece_measure(food)
            # "slice", "fillet", "bar": a single unit, unless it is a whole bunch or package
            if loose is not None and grams_per_piece(loose, food)[0] <= _MAX_LOOSE_PIECE_GRAMS:
                piece = loose
        if piece is not None:
            grams, amount = grams_per_piece(piece, food)
            if grams >= _MIN_PORTION_GRAMS:
                return grams, usda_measure_message(piece.name, grams, amount)
        for rule in _PORTION_RULES:
            for measure in food.measures:
                if (
                    rule(fold(measure.name))
                    and _MIN_PORTION_GRAMS <= measure.grams <= _MAX_LOOSE_PIECE_GRAMS
                ):
                    return measure.grams, usda_measure_message(
                        measure.name, measure.grams, measure.amount
                    )
        if food.measures:
            first = food.measures[0]
            return first.grams, usda_measure_message(first.name, first.grams, first.amount)
        return 100.0, Message.of(Code.MEAL_NO_HOUSEHOLD_MEASURES, grams=100.0)

    def _grams(self, food: Food, amount: _Amount) -> tuple[float, Message, list[Message], bool]:
        """Grams for the amount, how they were found, warnings, whether the portion is assumed."""
        warnings: list[Message] = []
        quantity = float(amount.quantity) if amount.quantity is not None else 1.0

        def times(how: Message) -> Message:
            return Message.of(Code.MEAL_TIMES, count=quantity, how=how)

        if amount.unit is not None:
            unit = amount.unit
            if unit.kind == "mass":
                grams = quantity * unit.factor
                if unit.factor == 1:
                    how = Message.of(Code.MEAL_GRAMS, quantity=quantity, unit=unit.name)
                else:
                    how = Message.of(
                        Code.MEAL_GRAMS_CONVERTED, quantity=quantity, unit=unit.name, grams=grams
                    )
                return grams, how, warnings, False
            if unit.usda_name:
                own = self._usda_measure(food, unit.usda_name)
                if own is not None:
                    return (
                        quantity * own.grams_per_unit,
                        times(usda_measure_message(own.name, own.grams_per_unit)),
                        warnings,
                        False,
                    )
            millilitres = quantity * unit.factor
            density = usda_grams_per_ml(food)
            if density is not None:
                grams_per_ml, used = density
                return (
                    millilitres * grams_per_ml,
                    Message.of(
                        Code.MEAL_VOLUME_VIA_USDA,
                        millilitres=millilitres,
                        amount=used.amount,
                        measure=Foreign(used.name),
                        grams=used.grams,
                    ),
                    warnings,
                    False,
                )
            warnings.append(Message.of(Code.MEAL_WARN_ASSUMED_DENSITY))
            how = Message.of(Code.MEAL_VOLUME_ASSUMED_DENSITY, millilitres=millilitres)
            return millilitres, how, warnings, False
        if amount.dutch is not None:
            measure = amount.dutch
            if not measure.applies(food) and measure.key in _WORDS.dutch_measure_as_usda:
                own = self._usda_measure(food, _WORDS.dutch_measure_as_usda[measure.key])
                if own is not None:
                    return (
                        quantity * own.grams_per_unit,
                        times(usda_measure_message(own.name, own.grams_per_unit)),
                        warnings,
                        False,
                    )
            grams, how = grams_for_dutch_measure(measure, food)
            if not measure.applies(food):
                warnings.append(
                    Message.of(
                        Code.MEAL_WARN_MEASURE_FOR_OTHER_FOODS,
                        measure=Foreign(measure.name_nl, "nl"),
                        grams=grams,
                    )
                )
            return quantity * grams, times(how), warnings, False
        if amount.measure_word == "portion":
            grams, how = self._typical_portion(food)
            portion = Message.of(Code.MEAL_TYPICAL_PORTION, how=how)
            return quantity * grams, times(portion), warnings, True
        if amount.measure_word or amount.size:
            head = amount.measure_word or amount.size or ""
            own = self._usda_measure(food, head)
            if own is None and amount.size:
                own = next((m for m in food.measures if amount.size in fold(m.name)), None)
            if own is not None:
                return (
                    quantity * own.grams_per_unit,
                    times(usda_measure_message(own.name, own.grams_per_unit)),
                    warnings,
                    False,
                )
            grams, how = self._typical_portion(food)
            warnings.append(Message.of(Code.MEAL_WARN_NO_USDA_MEASURE, measure=Foreign(head)))
            return quantity * grams, times(how), warnings, True
        grams, how = self._typical_portion(food)
        if amount.quantity is None:
            warnings.append(Message.of(Code.MEAL_WARN_NO_AMOUNT, how=how))
            return grams, Message.of(Code.MEAL_TYPICAL_PORTION, how=how), warnings, True
        return quantity * grams, times(how), warnings, False

    def _dutch_grams(
        self, food: Food, amount: _Amount, dutch: bool
    ) -> tuple[PortionGrams, bool] | None:
        """Grams of one Dutch portion, piece or measure of `food` as the amount names it, how
        they were found and whether the portion is assumed; None where Dutch portions do not
        apply (a weight or volume is given, English text, or no figure for this food)."""
        if amount.unit is not None:
            return None
        size: Size | None = (
            amount.size if amount.size in ("small", "large") else None  # type: ignore[assignment]
        )
        if amount.dutch is not None:
            # A Dutch measure word is Dutch whatever the language of the rest.
            if amount.dutch.kind == "piece":
                small_piece = (amount.word or "").startswith("stukje")
                found = self.portions.piece(food, small_piece=small_piece, size=size)
            else:
                found = self.portions.measure(food, amount.dutch.key)
            return None if found is None else (found, False)
        if amount.measure_word == "portion":
            if dutch or amount.word in _DUTCH_PORTION_WORDS:
                found = self.portions.portion(food)
                return None if found is None else (found, True)
            return None
        if not dutch or amount.measure_word is not None:
            return None
        if amount.quantity is None and size is None:
            found = self.portions.portion(food) or self.portions.piece(food)
            return None if found is None else (found, True)
        found = self.portions.piece(food, size=size)
        return None if found is None else (found, False)

    def _names_in_dutch(self, hit: FoodHit) -> bool:
        """Whether the food was named in Dutch: the reader's language is Dutch, or the words
        matched one of its Dutch names and none of its English ones."""
        if self.lang == "nl":
            return True
        food, matched = hit.food, fold(hit.matched_name)
        dutch = {fold(name) for name in (food.name_nl, *food.synonyms_nl) if name}
        english = {fold(name) for name in (food.name_en, *food.synonyms_en)}
        return matched in dutch and matched not in english

    # items -----------------------------------------------------------------------------------

    def _match_span(
        self, food_tokens: list[_Token]
    ) -> tuple[tuple[FoodHit, tuple[Food, ...]], list[_Token], list[list[_Token]]] | None:
        """The food named by the words, trying the whole first, then ever shorter runs without
        leading or trailing words (which are returned as not understood)."""
        count = len(food_tokens)
        for length in range(min(count, _MAX_FOOD_WORDS), 0, -1):
            candidates = []
            for first in range(count - length, -1, -1):  # the head noun is usually last
                span = food_tokens[first : first + length]
                match = self._match(" ".join(t.text for t in span))
                if match is not None and match[0].coverage >= _MIN_MATCH_COVERAGE:
                    quality = match[0].coverage * match[0].score
                    candidates.append((quality, first, match, span))
            if candidates:
                _, first, match, span = max(candidates, key=lambda c: c[0])
                return match, span, [food_tokens[:first], food_tokens[first + length :]]
        return None

    def _trailing_measure(self, food_tokens: list[_Token]) -> tuple[int, _Amount] | None:
        """A weight or volume after the food ("kipfilet van 150 gram", "zalm (125 g)",
        "melk 200 ml"): where the food's words end, and that amount."""
        for index in range(1, len(food_tokens)):
            later = self._amount(food_tokens[index:])
            if (
                later.unit is not None
                and later.quantity is not None
                and later.consumed == len(food_tokens) - index
            ):
                end = index - 1 if food_tokens[index - 1].folded in _WORDS.per_piece else index
                if end >= 1:
                    return end, later
        return None

    def item(self, text: str, start: int) -> list[MealItem | UnparsedText]:
        toks = _tokens(text, start)
        if not toks:
            return []
        span_start, span_end = toks[0].start, toks[-1].end
        original = text.strip()
        lead: list[_Token] = []
        amount = self._amount(toks)
        if amount.consumed == 0:
            # "ik at 2 bananen": an amount after some words; those words are not understood
            for index in range(1, len(toks)):
                later = self._amount(toks[index:])
                if later.quantity is not None:
                    lead, toks, amount = toks[:index], toks[index:], later
                    break
        food_tokens = toks[amount.consumed :]
        per_piece = self._trailing_measure(food_tokens)
        if per_piece is not None:
            # "een kipfilet van 150 gram": the weight of one; the leading amount counts them
            food_tokens = food_tokens[: per_piece[0]]
        if not food_tokens and amount.consumed > amount.quantity_end and not amount.unit:
            # "een boterham": the measure word is the food itself
            food_tokens = toks[amount.quantity_end :]
        if lead and not food_tokens:
            # "spinazie 200 g", "steak of 8 oz": the amount comes after the food
            food_tokens, toks, lead = lead, lead + toks, []
            while len(food_tokens) > 1 and food_tokens[-1].folded in _WORDS.per_piece:
                food_tokens = food_tokens[:-1]
        leading = [_not_understood(lead)] if lead else []
        if not food_tokens:
            reason = Message.of(Code.MEAL_AMOUNT_WITHOUT_FOOD)
            return [*leading, UnparsedText(original, span_start, span_end, reason)]
        missing = self.absent.get(" ".join(t.folded for t in food_tokens))
        if missing is not None:
            reason = Message.of(Code.MEAL_NOT_IN_FOOD_DATA, note=Foreign(missing))
            return [*leading, UnparsedText(original, span_start, span_end, reason)]
        found = self._match_span(food_tokens)
        if found is None:
            reason = Message.of(Code.MEAL_NO_FOOD_RECOGNISED)
            return [UnparsedText(original, span_start, span_end, reason)]
        if lead:
            span_start = toks[0].start
            original = text[span_start - start :].strip()
        match, food_span, leftovers = found
        food_text = " ".join(t.text for t in food_span)
        extra = [_not_understood(part) for part in leftovers if part]
        hit, alternatives = match
        food = hit.food
        portion_source: str | None = None
        if per_piece is not None:
            grams, derivation, warnings, assumed = self._grams(food, per_piece[1])
            times = float(amount.quantity) if amount.quantity is not None else 1.0
            if times != 1:
                derivation = Message.of(
                    Code.MEAL_TIMES_PER_PIECE, times=times, how=derivation, grams=times * grams
                )
                grams *= times
        elif (dutch := self._dutch_grams(food, amount, self._names_in_dutch(hit))) is not None:
            # Dutch text without a weight: a Dutch portion, piece or measure of this food.
            portion, assumed = dutch
            portion_source = portion.source_id
            quantity = float(amount.quantity) if amount.quantity is not None else 1.0
            warnings = []
            if amount.quantity is None and amount.dutch is None and amount.measure_word is None:
                warnings.append(Message.of(Code.MEAL_WARN_NO_AMOUNT, how=portion.how))
                grams = portion.grams
                derivation = Message.of(Code.MEAL_TYPICAL_PORTION, how=portion.how)
            else:
                grams = quantity * portion.grams
                derivation = Message.of(Code.MEAL_TIMES, count=quantity, how=portion.how)
        else:
            grams, derivation, warnings, assumed = self._grams(food, amount)
        if grams > MAX_ITEM_GRAMS:
            raise InvalidInputError(Code.MEAL_IMPLAUSIBLE_AMOUNT, text=original, grams=round(grams))
        if grams > LARGE_ITEM_GRAMS:
            warnings.append(Message.of(Code.MEAL_WARN_LARGE_AMOUNT, grams=round(grams)))
        if alternatives:
            warnings.append(Message.of(Code.MEAL_WARN_ALTERNATIVES))
        unit = (
            amount.unit.name
            if amount.unit
            else amount.dutch.name_nl
            if amount.dutch
            else amount.measure_word or amount.size
        )
        return [
            MealItem(
                text=original,
                start=span_start,
                end=span_end,
                food_text=food_text,
                food=food,
                grams=round(grams, 2),
                grams_derivation=derivation,
                quantity=float(amount.quantity) if amount.quantity is not None else None,
                unit=unit,
                nutrients=food.per_100g.scaled(round(grams, 2) / 100.0),
                match_score=hit.score,
                alternatives=alternatives,
                warnings=tuple(warnings),
                portion_assumed=assumed,
                portion_source=portion_source,
            ),
            *leading,
            *extra,
        ]

    def is_amount_only(self, text: str) -> bool:
        """Whether `text` is only an amount ("200 g", "1 cup"), without a food."""
        toks = _tokens(text, 0)
        try:
            amount = self._amount(toks) if toks else None
        except InvalidInputError:
            return False
        return amount is not None and amount.quantity is not None and amount.consumed == len(toks)

    def _names_one_food(self, text: str, start: int) -> bool:
        """Whether the words after the amount are exactly the name of one food ("koffie met
        melk", "macaroni and cheese"): one search, no partial matching."""
        toks = _tokens(text, start)
        if not toks:
            return False
        try:
            amount = self._amount(toks)
        except InvalidInputError:
            return False
        food_text = fold(" ".join(t.text for t in toks[amount.consumed :]))
        if not food_text:
            return False
        # "potato with skin" describes one food; "met kaas" after a measure word
        # ("2 boterhammen met kaas") adds a food to the one the measure named.
        describes = bool(_WORDS.describing_connectors.search(f" {food_text} ")) and not bool(
            _WORDS.describing_connectors.match(f" {food_text} ")
        )
        for hit in self.foods.search(food_text, lang=self.lang, limit=3):
            food = hit.food
            names = (food.name_en, food.name_nl, *food.synonyms_nl, *food.synonyms_en)
            if food_text in {fold(name) for name in names if name}:
                return True
            # "baked potato with skin": one food's name accounts for every word
            if describes and hit.coverage >= _WHOLE_COVERAGE and hit.score >= _WHOLE_SCORE:
                return True
        return False

    def chunk(self, text: str, start: int) -> list[MealItem | UnparsedText]:
        """One comma-separated chunk: split on connector words unless the whole names a food."""
        pieces = [(m.start(), m.end()) for m in _WORDS.connectors.finditer(text)]
        if not pieces or self._names_one_food(text, start):
            return self.item(text, start)
        results: list[MealItem | UnparsedText] = []
        cursor = 0
        for piece_start, piece_end in [*pieces, (len(text), len(text))]:
            results.extend(self.item(text[cursor:piece_start], start + cursor))
            cursor = piece_end
        return self._on_each_slice(results)

    def _on_each_slice(
        self, results: list[MealItem | UnparsedText]
    ) -> list[MealItem | UnparsedText]:
        """ "2 boterhammen met kaas": a topping without an amount goes on every slice named
        before it, so its Dutch portion (one slice's worth) counts once per slice."""
        slices = 0.0
        scaled: list[MealItem | UnparsedText] = []
        for result in results:
            if isinstance(result, MealItem):
                entry = self.portions.for_food(result.food)
                if entry is not None and entry.is_bread and (result.quantity or 0) > 1:
                    slices = result.quantity or 0.0
                elif slices and result.quantity is None and entry is not None and entry.on_bread:
                    result = replace(
                        result,
                        grams=round(result.grams * slices, 2),
                        grams_derivation=Message.of(
                            Code.PORTION_ON_EACH_SLICE, count=slices, how=result.grams_derivation
                        ),
                        nutrients=result.nutrients.scaled(slices),
                    )
            scaled.append(result)
        return scaled


def parse_meal(
    text: str,
    foods: FoodLookup,
    measures: Sequence[DutchMeasure],
    *,
    lang: str | None = None,
    absent: Mapping[str, str] | None = None,
    portions: DutchPortions | None = None,
) -> MealParse:
    """Parse a meal written in plain Dutch or English into items, totals and unparsed text.
    `absent` maps folded names of foods the data lacks to why, so they are reported, not guessed.
    `portions` are the Dutch typical portions, used for Dutch text that gives no weight.

    Raises `InvalidInputError` for an empty or overlong text, a negative or zero amount, or an
    implausible amount (over 10 kg of one food)."""
    if not text or not text.strip():
        raise InvalidInputError(Code.MEAL_EMPTY)
    if len(text) > MAX_MEAL_CHARACTERS:
        raise InvalidInputError(Code.MEAL_TOO_LONG, length=len(text), limit=MAX_MEAL_CHARACTERS)
    parser = _Parser(foods, measures, lang, absent or {}, portions)
    items: list[MealItem] = []
    unparsed: list[UnparsedText] = []
    chunks: list[tuple[int, int]] = []
    cursor = 0
    for separator in [*_SEPARATORS.finditer(text), None]:
        end = separator.start() if separator else len(text)
        words = fold(text[cursor:end]).split()
        if (
            chunks
            and words
            and (
                all(word in _WORDS.modifiers for word in words)
                or parser.is_amount_only(text[cursor:end])
            )
        ):
            chunks[-1] = (chunks[-1][0], end)  # "edamame, cooked", "spinazie, 200 g": one item
        else:
            chunks.append((cursor, end))
        cursor = separator.end() if separator else len(text)
    for chunk_start, chunk_end in chunks:
        for result in parser.chunk(text[chunk_start:chunk_end], chunk_start):
            if isinstance(result, MealItem):
                items.append(result)
            else:
                unparsed.append(result)
    return MealParse(text, tuple(items), tuple(unparsed), sum_nutrients(items))

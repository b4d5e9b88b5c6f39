"""Dutch typical portions: the grams a Dutch reader means when a meal gives no weight.

"een portie havermout" is 40 g of oats, "een aardappel" 70 g, "een stukje pure chocolade" 5 g,
where USDA's servings (a cup of oats, 81 g; a bar of chocolate, 112 g) are far off. Each figure
carries its basis and source, or says it is an assumption. The figures are data
(`data/portions_nl.toml`); this module only says which figure applies and how it turns into grams.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rugwijzer.domain.foods import Food
from rugwijzer.domain.household import usda_grams_per_ml
from rugwijzer.domain.text import fold
from rugwijzer.messages import Code, Foreign, Message

__all__ = [
    "DutchPortion",
    "DutchPortions",
    "PortionBasis",
    "PortionFigure",
    "PortionGrams",
    "Size",
]

PortionBasis = Literal["standard", "estimate", "assumption"]
Size = Literal["small", "large"]

_SIZE_NAMES_NL = {"small": "klein", "large": "groot"}
#: Ids of the bundled SR24 foods (the portions file lists them by NDB number).
_BUNDLED_PREFIX = "sr24:"
#: Words in an imported food's name that say it is not eaten as the portion means ("Linzen
#: droog" is weighed before cooking).
_NOT_AS_EATEN = frozenset({"droog", "gedroogd", "ongekookt", "poeder", "concentraat"})


@dataclass(frozen=True, slots=True)
class PortionGrams:
    """Grams of a Dutch portion, how they were found, and the id of their source (None for an
    assumption)."""

    grams: float
    how: Message
    source_id: str | None


@dataclass(frozen=True, slots=True)
class PortionFigure:
    """One figure: a portion, a piece or a small piece of a food, in grams or millilitres, with
    its basis and either a source (id and citation) or, for an assumption, the reason."""

    name_nl: str
    basis: PortionBasis
    grams: float | None = None
    millilitres: float | None = None
    small_grams: float | None = None
    large_grams: float | None = None
    source_id: str | None = None
    #: Title, organisation and year of the source, as the reader sees it.
    citation: str | None = None
    citation_lang: str = "en"
    reason: str | None = None

    def grams_for(self, food: Food, size: Size | None = None) -> PortionGrams:
        """Grams of this figure for `food` (a size where the figure has one), and how."""
        name = self.name_nl
        grams = self.grams
        if size is not None:
            sized = self.small_grams if size == "small" else self.large_grams
            if sized is not None:
                grams, name = sized, f"{name} ({_SIZE_NAMES_NL[size]})"
        portion = Foreign(name, "nl")
        if grams is None and self.millilitres is not None:
            density = usda_grams_per_ml(food, self.millilitres)
            if density is not None:
                grams = round(self.millilitres * density[0], 1)
                measure = density[1]
                how = Message.of(
                    Code.PORTION_VOLUME_VIA_USDA,
                    millilitres=self.millilitres,
                    measure=Foreign(measure.name),
                    grams=measure.grams,
                    amount=measure.amount,
                )
            else:
                grams = self.millilitres  # water's density, said so
                how = Message.of(Code.PORTION_VOLUME_AS_WATER, millilitres=self.millilitres)
            return PortionGrams(grams, self._derivation(portion, grams, how), self.source_id)
        # The loader makes sure a figure has grams or millilitres.
        weight = grams if grams is not None else 0.0
        return PortionGrams(weight, self._derivation(portion, weight, None), self.source_id)

    def _derivation(self, portion: Foreign, grams: float, volume: Message | None) -> Message:
        if self.basis == "assumption" or self.citation is None:
            if volume is not None:
                return Message.of(
                    Code.PORTION_ASSUMED_VOLUME, portion=portion, grams=grams, volume=volume
                )
            return Message.of(Code.PORTION_ASSUMED, portion=portion, grams=grams)
        source = Foreign(self.citation, self.citation_lang)
        if volume is not None:
            return Message.of(
                Code.PORTION_SOURCED_VOLUME,
                portion=portion,
                grams=grams,
                volume=volume,
                source=source,
            )
        return Message.of(Code.PORTION_SOURCED, portion=portion, grams=grams, source=source)


@dataclass(frozen=True, slots=True)
class DutchPortion:
    """The Dutch portion figures of a food or a group of foods."""

    key: str
    food_ids: frozenset[str]
    groups: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    portion: PortionFigure | None = None
    piece: PortionFigure | None = None
    stukje: PortionFigure | None = None
    #: A topping on bread (cheese, peanut butter): its portion is one slice's worth.
    on_bread: bool = False
    #: Sliced bread: "2 boterhammen met kaas" puts a topping on each slice.
    is_bread: bool = False
    #: Household measures (by key) that weigh differently for these foods.
    measures: Mapping[str, PortionFigure] = field(default_factory=dict)

    #: First words of the Dutch names of imported foods this entry covers ("banaan" for NEVO's
    #: "Banaan", "brood" for "Brood volkoren gem"); bundled foods are listed by id instead.
    names: frozenset[str] = frozenset()

    def applies(self, food: Food) -> bool:
        """Whether this entry covers `food`: listed by id, named (an imported food, not dried,
        by the first word of its Dutch name), or of one of its groups."""
        if food.id in self.food_ids:
            return True
        if self.names and not food.id.startswith(_BUNDLED_PREFIX) and food.name_nl:
            words = fold(food.name_nl).replace(",", " ").split()
            if words and words[0] in self.names and not _NOT_AS_EATEN & set(words):
                return True
        return food.group_code in self.groups and food.id not in self.exclude


class DutchPortions:
    """All entries, first match wins (specific entries come before group-wide ones)."""

    def __init__(self, entries: Sequence[DutchPortion]) -> None:
        self.entries = tuple(entries)
        self._by_food: dict[str, DutchPortion | None] = {}

    def for_food(self, food: Food) -> DutchPortion | None:
        """The entry for `food`, or None."""
        if food.id not in self._by_food:
            self._by_food[food.id] = next((e for e in self.entries if e.applies(food)), None)
        return self._by_food[food.id]

    def portion(self, food: Food) -> PortionGrams | None:
        """One Dutch portion of `food` and how it was found, or None without a figure."""
        entry = self.for_food(food)
        if entry is None or entry.portion is None:
            return None
        return entry.portion.grams_for(food)

    def piece(
        self, food: Food, *, small_piece: bool = False, size: Size | None = None
    ) -> PortionGrams | None:
        """One piece ("een aardappel", "een stuk kaas") or, with `small_piece`, one stukje; None
        without a figure. A stukje without its own figure counts as a piece, and says so."""
        entry = self.for_food(food)
        if entry is None:
            return None
        if small_piece and entry.stukje is not None:
            return entry.stukje.grams_for(food, size)
        if entry.piece is None:
            return None
        piece = entry.piece.grams_for(food, size)
        if small_piece:
            how = Message.of(Code.PORTION_STUKJE_AS_PIECE, how=piece.how)
            return PortionGrams(piece.grams, how, piece.source_id)
        return piece

    def measure(self, food: Food, measure_key: str) -> PortionGrams | None:
        """A household measure that weighs differently for `food` ("opscheplepel" of beans)."""
        entry = self.for_food(food)
        if entry is None or measure_key not in entry.measures:
            return None
        return entry.measures[measure_key].grams_for(food)

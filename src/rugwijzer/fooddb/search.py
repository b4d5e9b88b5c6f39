"""In-memory food search: Dutch and English, typo- and compound-tolerant, ranked.

Every food is findable under several *aliases*: its USDA name, and where Rugwijzer has them its
Dutch name and the Dutch and English synonyms. Aliases are folded and stemmed into *terms*;
curated aliases also index their joined compounds ("pinda kaas" → "pindakaas"), so split and
joined spellings meet.

A query is matched term by term: exactly, as a prefix (for text still being typed) and within
one or two edits (typos). Joined neighbouring query words are tried too. An alias scores by how
much of the query it explains and how much of itself the query explains, so "almonds" ranks
"Nuts, almonds" above "Cereals ..., with almonds"; small priors prefer curated everyday foods
over baby foods, restaurant dishes and brands.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from rugwijzer.domain.foods import Food
from rugwijzer.domain.text import fold, stem
from rugwijzer.errors import QueryError

__all__ = ["MAX_QUERY_CHARACTERS", "MAX_QUERY_WORDS", "FoodSearchIndex", "SearchHit"]

#: Longer queries are refused: nobody names a food in more, and it bounds the work per query.
MAX_QUERY_CHARACTERS = 200
MAX_QUERY_WORDS = 12

# Words that say little about *which* food is meant: they count for less in a name.
_FUNCTION_WORDS = frozenset(
    [
        "and",
        "or",
        "with",
        "without",
        "of",
        "in",
        "to",
        "the",
        "as",
        "a",
        "an",
        "ns",
        "nfs",
        "en",
        "of",
        "met",
        "zonder",
        "van",
        "de",
        "het",
        "een",
        "in",
        "op",
    ]
)
_DESCRIPTOR_WORDS = frozenset(
    [
        "raw",
        "cooked",
        "boiled",
        "drained",
        "salt",
        "added",
        "fluid",
        "commercially",
        "prepared",
        "regular",
        "all",
        "varieties",
        "dry",
        "unenriched",
        "enriched",
        "fortified",
        "mature",
        "solids",
        "liquids",
        "includes",
        "type",
        "style",
        "made",
        "from",
        "ready",
        "serve",
        "rts",
        "unprepared",
        "plain",
        "rauw",
        "gekookt",
        "gebakken",
        "gegrild",
        "gestoofd",
        "geroosterd",
        "vers",
        "gezouten",
        "ongezouten",
        "droog",
    ]
)
_FUNCTION_WEIGHT = 0.1
_DESCRIPTOR_WEIGHT = 0.35
_NUMBER_WEIGHT = 0.3

# Similarity of a matched term by how it matched.
_EXACT = 1.0
_ONE_EDIT = 0.8
_TWO_EDITS = 0.62
_PREFIX_BASE, _PREFIX_SPAN = 0.5, 0.35
_MAX_PREFIX_TERMS = 40
_MIN_QUERY_COVERAGE = 0.45
# Among the best candidates, a name containing the query's words exactly as typed (not only
# their stems: "almonds" in "Nuts, almonds" rather than "Oil, almond") ranks a little higher.
_SURFACE_BONUS = 0.015
_RERANK_EXTRA = 20

# Priors (added to a 0..1 relevance score).
_CURATED_BONUS = 0.05
_SAME_LANGUAGE_BONUS = 0.02
_GROUP_PENALTY = {"03": 0.2, "21": 0.06, "22": 0.05, "35": 0.1, "36": 0.08, "other": 0.06}
_BRAND_PENALTY = 0.08
_LENGTH_PENALTY_PER_WORD, _MAX_LENGTH_PENALTY = 0.004, 0.04
_BRAND = re.compile(r"\b[A-Z][A-Z'&.]{2,}\b")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked result: the food, its score (higher is better) and the name that matched."""

    food: Food
    score: float
    matched_name: str


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return stem(word)


@lru_cache(maxsize=65536)
def _word_weight(word: str) -> float:
    if word in _FUNCTION_WORDS:
        return _FUNCTION_WEIGHT
    if word.isdigit():
        return _NUMBER_WEIGHT
    if word in _DESCRIPTOR_WORDS:
        return _DESCRIPTOR_WEIGHT
    return 1.0


def _food_prior(food: Food) -> float:
    prior = _CURATED_BONUS if food.name_nl else 0.0
    prior -= _GROUP_PENALTY.get(food.group.code, 0.0)
    if _BRAND.search(food.name_en):
        prior -= _BRAND_PENALTY
    words = len(food.name_en.split())
    prior -= min(_MAX_LENGTH_PENALTY, _LENGTH_PENALTY_PER_WORD * max(0, words - 2))
    return prior


def _query_units(words: Sequence[str]) -> Iterator[tuple[tuple[int, ...], str]]:
    """Single words, joined neighbours and (for three or more words) the whole query joined,
    each with the query positions it covers."""
    for i, word in enumerate(words):
        yield (i,), stem(word)
    for i in range(len(words) - 1):
        yield (i, i + 1), stem(words[i] + words[i + 1])
    if len(words) > 2:
        yield tuple(range(len(words))), stem("".join(words))


class FoodSearchIndex:
    """Search over a fixed list of foods. Build once per process; searching is read-only."""

    def __init__(self, foods: Sequence[Food]) -> None:
        self._foods = list(foods)
        self._priors = [_food_prior(food) for food in self._foods]
        self._alias_food: list[int] = []
        self._alias_text: list[str] = []
        self._alias_lang: list[str] = []
        self._alias_weights: list[tuple[float, ...]] = []
        self._alias_total: list[float] = []
        self._postings: dict[str, list[tuple[int, int]]] = {}
        # Terms that exist only as joined compounds; a prefix of one proves nothing about the
        # words it joins ("spinazie" is a prefix of "spinazierauw" without meaning "rauw").
        self._joined_terms: set[str] = set()
        single_terms: set[str] = set()
        for food_index, food in enumerate(self._foods):
            self._add_alias(food_index, food.name_en, "en", single_terms, curated=False)
            if food.name_nl:
                self._add_alias(food_index, food.name_nl, "nl", single_terms, curated=True)
            for synonym in food.synonyms_nl:
                self._add_alias(food_index, synonym, "nl", single_terms, curated=True)
            for synonym in food.synonyms_en:
                self._add_alias(food_index, synonym, "en", single_terms, curated=True)
        self._joined_terms -= single_terms
        self._vocabulary = sorted(self._postings)
        self._vocabulary_by_length: dict[int, list[str]] = {}
        for term in self._vocabulary:
            self._vocabulary_by_length.setdefault(len(term), []).append(term)

    def __len__(self) -> int:
        return len(self._foods)

    def _add_alias(
        self, food_index: int, text: str, lang: str, single_terms: set[str], *, curated: bool
    ) -> None:
        words = fold(text).split()
        if not words:
            return
        alias = len(self._alias_food)
        weights = tuple(_word_weight(w) for w in words)
        stems = [_stem(w) for w in words[:60]]
        self._alias_food.append(food_index)
        self._alias_text.append(text)
        self._alias_lang.append(lang)
        self._alias_weights.append(weights)
        self._alias_total.append(sum(weights))
        terms: dict[str, int] = {}
        for position, term in enumerate(stems):
            terms[term] = terms.get(term, 0) | (1 << position)
        single_terms.update(terms)
        if curated and len(words) > 1:
            for position in range(min(len(words), 60) - 1):
                term = stem(words[position] + words[position + 1])
                terms[term] = terms.get(term, 0) | (0b11 << position)
                self._joined_terms.add(term)
            if len(words) > 2:
                term = stem("".join(words))
                terms[term] = terms.get(term, 0) | ((1 << len(words)) - 1)
                self._joined_terms.add(term)
        for term, mask in terms.items():
            self._postings.setdefault(term, []).append((alias, mask))

    def _matching_terms(self, unit: str) -> dict[str, float]:
        """Index terms that match one query unit, with their similarity."""
        matches: dict[str, float] = {}
        if unit in self._postings:
            matches[unit] = _EXACT
        length = len(unit)
        if length >= 3:
            start = bisect.bisect_left(self._vocabulary, unit)
            for term in self._vocabulary[start : start + _MAX_PREFIX_TERMS]:
                if not term.startswith(unit):
                    break
                if term != unit and term not in self._joined_terms:
                    matches[term] = _PREFIX_BASE + _PREFIX_SPAN * length / len(term)
        if length >= 4:
            max_edits = 1 if length < 7 else 2
            for other_length in range(length - max_edits, length + max_edits + 1):
                bucket = self._vocabulary_by_length.get(other_length)
                if not bucket:
                    continue
                for term, edits, _ in process.extract(
                    unit, bucket, scorer=OSA.distance, score_cutoff=max_edits, limit=None
                ):
                    similarity = _ONE_EDIT if edits <= 1 else _TWO_EDITS
                    if similarity > matches.get(term, 0.0):
                        matches[term] = similarity
        return matches

    def search(self, query: str, *, lang: str | None = None, limit: int = 10) -> list[SearchHit]:
        """Foods matching `query`, best first. `lang` ("nl" or "en") gives a small preference
        to names in that language. Raises `QueryError` for a blank or overlong query."""
        if not isinstance(query, str) or not query.strip():
            raise QueryError("the search query is empty")
        if len(query) > MAX_QUERY_CHARACTERS:
            raise QueryError(
                f"the search query is {len(query)} characters long; at most "
                f"{MAX_QUERY_CHARACTERS} are searched"
            )
        if limit < 1:
            raise QueryError("limit must be at least 1")
        words = fold(query).split()
        if not words:
            raise QueryError("the search query has no letters or digits")
        words = words[:MAX_QUERY_WORDS]
        query_weights = [_word_weight(w) if len(words) > 1 else 1.0 for w in words]
        total_query_weight = sum(query_weights)

        width = len(words)
        state: dict[int, list[float]] = {}
        masks: dict[int, int] = {}
        for positions, unit in _query_units(words):
            for term, similarity in self._matching_terms(unit).items():
                for alias, mask in self._postings[term]:
                    sims = state.get(alias)
                    if sims is None:
                        sims = state[alias] = [0.0] * width
                        masks[alias] = mask
                    else:
                        masks[alias] |= mask
                    for position in positions:
                        if similarity > sims[position]:
                            sims[position] = similarity

        best: dict[int, tuple[float, int]] = {}
        for alias, sims in state.items():
            coverage = sum(w * s for w, s in zip(query_weights, sims, strict=True))
            coverage /= total_query_weight
            if coverage < _MIN_QUERY_COVERAGE:
                continue
            weights = self._alias_weights[alias]
            mask = masks[alias]
            covered = sum(w for i, w in enumerate(weights) if mask >> i & 1)
            score = coverage * (0.6 + 0.4 * covered / self._alias_total[alias])
            if lang is not None and self._alias_lang[alias] == lang:
                score += _SAME_LANGUAGE_BONUS
            food_index = self._alias_food[alias]
            previous = best.get(food_index)
            if previous is None or score > previous[0]:
                best[food_index] = (score, alias)

        def rank_key(item: tuple[int, float, int]) -> tuple[float, int, str]:
            food = self._foods[item[0]]
            return (-item[1], len(food.name_en), food.id)

        candidates = [
            (food_index, score + self._priors[food_index], alias)
            for food_index, (score, alias) in best.items()
        ]
        shortlist = sorted(candidates, key=rank_key)[: limit + _RERANK_EXTRA]
        typed = set(words)
        shortlist = sorted(
            (
                (food_index, score + _SURFACE_BONUS * self._surface_share(alias, typed), alias)
                for food_index, score, alias in shortlist
            ),
            key=rank_key,
        )
        return [
            SearchHit(
                food=self._foods[food_index],
                score=round(score, 4),
                matched_name=self._alias_text[alias],
            )
            for food_index, score, alias in shortlist[:limit]
        ]

    def _surface_share(self, alias: int, typed: set[str]) -> float:
        """The share of the typed words that occur unstemmed in the alias."""
        alias_words = set(fold(self._alias_text[alias]).split())
        return len(typed & alias_words) / len(typed)

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
import heapq
import re
import sys
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from rugwijzer.domain.foods import Food
from rugwijzer.domain.text import stem, tokens
from rugwijzer.errors import QueryError
from rugwijzer.messages import Code

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
_EXACT_ONLY_UP_TO = 5
_MIN_JOINED_INEXACT = 7
_MIN_QUERY_COVERAGE = 0.45
_MAX_ALIAS_WORDS = 60  # positions are bits of an int mask; no real name comes close
# Among the best candidates, a name containing the query's words exactly as typed (not only
# their stems: "almonds" in "Nuts, almonds" rather than "Oil, almond") ranks a little higher.
_SURFACE_BONUS = 0.015
_RERANK_EXTRA = 20
# Added to the upper bound of a score so that rounding can never put it below the score.
_BOUND_MARGIN = 1e-9
# Query units whose matching terms are remembered (each a few dozen terms at most).
_MATCH_CACHE_SIZE = 2048

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
    #: Share (0..1, weighted) of the query's words that this food's best name accounts for.
    coverage: float = 1.0


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


# Letters and digits each have a bit in a term's character set; other characters (none after
# folding) share one.
_CHARACTER_BITS = {ch: 1 << bit for bit, ch in enumerate("abcdefghijklmnopqrstuvwxyz0123456789")}
_OTHER_CHARACTER = len(_CHARACTER_BITS)
_CHARACTER_CLASSES = _OTHER_CHARACTER + 1
# byte value → b"1"/b"0" for one bit of it, to turn a byte per term into a row of bits at C speed
_BIT_OF_BYTE = [bytes(49 if value >> bit & 1 else 48 for value in range(256)) for bit in range(8)]


def _character_set(term: str) -> int:
    """The bit set of the character classes in `term`."""
    characters = set(term)
    try:
        return sum(map(_CHARACTER_BITS.__getitem__, characters))  # the fast, common case
    except KeyError:
        get = _CHARACTER_BITS.get
        return sum({get(ch, 1 << _OTHER_CHARACTER) for ch in characters})


class _TypoFinder:
    """Index terms within one or two edits (optimal string alignment: an insertion, deletion,
    substitution or swap of neighbours) of a query unit.

    Scanning every term of a similar length with rapidfuzz costs about 0.3-0.5 ms per unit, and
    a three-word query has six units. Most terms are ruled out far more cheaply by the characters
    they contain: one edit adds at most one character to a word's set of characters and removes
    at most one (a swap changes nothing), so a term within k edits of the unit lacks at most k of
    the unit's characters and has at most k that the unit lacks. That test runs on bit sets over
    all terms at once (one Python int per character: bit i set when term i contains it), and
    rapidfuzz then measures only the survivors (typically one in twenty). The result is the same
    as scanning all terms.
    """

    def __init__(self, vocabulary: Sequence[str]) -> None:
        # by length, alphabetical within a length (`vocabulary` is sorted; the sort is stable)
        self._terms = sorted(vocabulary, key=len)
        lengths = [len(term) for term in self._terms]
        longest = lengths[-1] if lengths else 0
        self._length_starts = [bisect.bisect_left(lengths, n) for n in range(longest + 2)]
        # The character sets as 8 little-endian bytes per term; byte k of every term (a strided
        # slice) holds 8 character classes, turned into rows of bits at C speed.
        packed = array("Q", map(_character_set, self._terms))
        if sys.byteorder != "little":
            packed.byteswap()
        raw = packed.tobytes()
        self._containing = [
            int(raw[c // 8 :: 8].translate(_BIT_OF_BYTE[c % 8])[::-1] or b"0", 2)
            for c in range(_CHARACTER_CLASSES)
        ]
        # _at_most[n]: the terms with at most n distinct character classes
        sizes = bytes(bits.bit_count() for bits in packed)
        self._at_most = [
            int(sizes.translate(bytes(49 if v <= n else 48 for v in range(256)))[::-1] or b"0", 2)
            for n in range(_CHARACTER_CLASSES + 1)
        ]

    def within(self, unit: str, max_edits: int) -> list[tuple[str, int]]:
        """(term, edits) of the terms within `max_edits` edits of `unit`, by length, then by
        edits, then alphabetically."""
        longest = len(self._length_starts) - 2
        low = max(0, len(unit) - max_edits)
        high = min(longest, len(unit) + max_edits)
        if low > high:
            return []
        start, end = self._length_starts[low], self._length_starts[high + 1]
        everything = (1 << (end - start)) - 1
        unit_set = _character_set(unit)
        # Bit-sliced counters: `once`, `twice`, `thrice` mark the terms that lack at least one,
        # two or three of the unit's character classes.
        once = twice = thrice = 0
        remaining = unit_set
        while remaining:
            lowest = remaining & -remaining
            remaining ^= lowest
            lacking = everything & ~(self._containing[lowest.bit_length() - 1] >> start)
            thrice |= twice & lacking
            twice |= once & lacking
            once |= lacking
        # A term lacking m of the unit's classes has (its classes - unit's classes + m) that
        # the unit lacks; that must be at most max_edits too: its classes <= unit's + edits - m.
        size = unit_set.bit_count()

        def at_most(classes: int) -> int:
            if classes < 0:
                return 0
            return self._at_most[min(classes, _CHARACTER_CLASSES)] >> start

        allowed = ~once & at_most(size + max_edits)
        allowed |= once & ~twice & at_most(size + max_edits - 1)
        if max_edits >= 2:
            allowed |= twice & ~thrice & at_most(size + max_edits - 2)
        candidates = []
        row = format(everything & allowed, "b")[::-1]
        index = row.find("1")
        while index >= 0:
            candidates.append(self._terms[start + index])
            index = row.find("1", index + 1)
        found = process.extract(
            unit, candidates, scorer=OSA.distance, score_cutoff=max_edits, limit=None
        )
        # rapidfuzz orders by edits, then as given; the callers' order is by length first
        found.sort(key=lambda match: (len(match[0]), match[1]))
        return [(term, int(edits)) for term, edits, _ in found]


class FoodSearchIndex:
    """Search over a fixed list of foods. Build once per process; searching is read-only."""

    def __init__(self, foods: Sequence[Food]) -> None:
        self._foods = list(foods)
        self._priors = [_food_prior(food) for food in self._foods]
        # The names under which foods can be found ("aliases"), by number, as parallel lists
        # (a tuple per alias would cost about 1 MB more): the food, the text, its language,
        # the weight of each of its words and their sum.
        self._alias_food: list[int] = []
        self._alias_text: list[str] = []
        self._alias_lang: list[str] = []
        self._alias_weights: list[tuple[float, ...]] = []
        self._alias_total: list[float] = []
        # term → its postings: alias number and the alias word positions the term covers as a
        # bit mask, in turn, in one compact array per term (over 100,000 postings; most terms
        # have only a few, so one array rather than two saves an object and its slack each).
        self._postings: dict[str, array[int]] = {}
        analysed: dict[str, tuple[str, float]] = {}  # word → (stem, weight), computed once
        # Most names share their weights ((1.0, 1.0), ...): one tuple and total for each.
        self._shared_weights: dict[tuple[float, ...], tuple[tuple[float, ...], float]] = {}
        joined: set[str] = set()
        for food_index, food in enumerate(self._foods):
            self._add_alias(food_index, food.name_en, "en", analysed, None)
            if food.name_nl:
                self._add_alias(food_index, food.name_nl, "nl", analysed, joined)
            for synonym in food.synonyms_nl:
                self._add_alias(food_index, synonym, "nl", analysed, joined)
            for synonym in food.synonyms_en:
                self._add_alias(food_index, synonym, "en", analysed, joined)
        # Terms that exist only as joined compounds; a prefix of one proves nothing about the
        # words it joins ("spinazie" is a prefix of "spinazierauw" without meaning "rauw").
        self._joined_terms = joined - {term for term, _ in analysed.values()}
        del self._shared_weights  # only needed while building
        self._vocabulary = sorted(self._postings)
        # Per alias, for the bound on its score (see `search`): 0.4 / its total weight, and its
        # food's prior plus the language bonus and a margin for rounding. Lists index faster
        # than arrays; the few distinct values are shared, so they cost a pointer per alias.
        distinct: dict[float, float] = {}
        self._alias_word_share = [
            distinct.setdefault(value, value)
            for value in (0.4 / total for total in self._alias_total)
        ]
        self._alias_cap = [
            distinct.setdefault(value, value)
            for value in (
                self._priors[food_index] + _SAME_LANGUAGE_BONUS + _BOUND_MARGIN
                for food_index in self._alias_food
            )
        ]
        self._typos = _TypoFinder(self._vocabulary)
        # query unit → its matching terms; queries share most of their words
        self._matches_cache: dict[tuple[str, bool], dict[str, tuple[float, bool]]] = {}

    def __len__(self) -> int:
        return len(self._foods)

    def _add_alias(
        self,
        food_index: int,
        text: str,
        lang: str,
        analysed: dict[str, tuple[str, float]],
        joined: set[str] | None,
    ) -> None:
        """Index one name. Curated names (`joined` given) also index their joined compounds."""
        words = tokens(text)[:_MAX_ALIAS_WORDS]
        if not words:
            return
        analysis = []
        for word in words:
            known = analysed.get(word)
            if known is None:
                known = analysed[word] = (stem(word), _word_weight(word))
            analysis.append(known)
        weights = tuple(weight for _, weight in analysis)
        shared = self._shared_weights.get(weights)
        if shared is None:
            shared = self._shared_weights[weights] = (weights, sum(weights))
        alias = len(self._alias_food)
        self._alias_food.append(food_index)
        self._alias_text.append(text)
        self._alias_lang.append(lang)
        self._alias_weights.append(shared[0])
        self._alias_total.append(shared[1])
        terms: dict[str, int] = {}
        for position, (term, _) in enumerate(analysis):
            terms[term] = terms.get(term, 0) | (1 << position)
        if joined is not None and len(words) > 1:
            for position in range(len(words) - 1):
                term = stem(words[position] + words[position + 1])
                terms[term] = terms.get(term, 0) | (0b11 << position)
                joined.add(term)
            if len(words) > 2:
                term = stem("".join(words))
                terms[term] = terms.get(term, 0) | ((1 << len(words)) - 1)
                joined.add(term)
        postings = self._postings
        for term, mask in terms.items():
            posting = postings.get(term)
            if posting is None:
                postings[term] = array("Q", (alias, mask))
            else:
                posting.append(alias)
                posting.append(mask)

    def _matching_terms(self, unit: str, *, joined: bool) -> dict[str, tuple[float, bool]]:
        """Index terms that match one query unit: similarity, and whether only as a prefix.
        Joined neighbours ("pinda kaas" → "pindakaas") match inexactly only when long: short
        joins of unrelated words ("ik at" → "ikat" ~ "kat") would match by accident."""
        matches: dict[str, tuple[float, bool]] = {}
        if unit in self._postings:
            matches[unit] = (_EXACT, False)
        length = len(unit)
        if joined and length < _MIN_JOINED_INEXACT:
            return matches
        if length >= 3:
            start = bisect.bisect_left(self._vocabulary, unit)
            for term in self._vocabulary[start : start + _MAX_PREFIX_TERMS]:
                if not term.startswith(unit):
                    break
                if term != unit and term not in self._joined_terms:
                    matches[term] = (_PREFIX_BASE + _PREFIX_SPAN * length / len(term), True)
        # Typo tolerance for words of 4+ letters; a short word that is itself in the index is
        # taken as typed ("beef" is not "beet"), which also keeps common words fast.
        if length >= 4 and not (unit in matches and length <= _EXACT_ONLY_UP_TO):
            max_edits = 1 if length < 7 else 2
            for term, edits in self._typos.within(unit, max_edits):
                similarity = _ONE_EDIT if edits <= 1 else _TWO_EDITS
                if similarity > matches.get(term, (0.0, False))[0]:
                    matches[term] = (similarity, False)
        return matches

    def _cached_matching_terms(self, unit: str, *, joined: bool) -> dict[str, tuple[float, bool]]:
        """`_matching_terms`, remembered for the most recent query units (read-only results)."""
        key = (unit, joined)
        cache = self._matches_cache
        found = cache.get(key)
        if found is None:
            found = self._matching_terms(unit, joined=joined)
            if len(cache) >= _MATCH_CACHE_SIZE:
                cache.clear()  # simple and bounded; a warm cache refills within a few queries
            cache[key] = found
        return found

    def search(self, query: str, *, lang: str | None = None, limit: int = 10) -> list[SearchHit]:
        """Foods matching `query`, best first. `lang` ("nl" or "en") gives a small preference
        to names in that language. Raises `QueryError` for a blank or overlong query."""
        if not isinstance(query, str) or not query.strip():
            raise QueryError(Code.FOOD_QUERY_EMPTY)
        if len(query) > MAX_QUERY_CHARACTERS:
            raise QueryError(
                Code.FOOD_QUERY_TOO_LONG, length=len(query), maximum=MAX_QUERY_CHARACTERS
            )
        if limit < 1:
            raise QueryError(Code.FOOD_QUERY_LIMIT)
        words = tokens(query)
        if not words:
            raise QueryError(Code.FOOD_QUERY_NO_WORDS)
        words = words[:MAX_QUERY_WORDS]
        query_weights = [_word_weight(w) if len(words) > 1 else 1.0 for w in words]
        total_query_weight = sum(query_weights)

        # Per alias: the best similarity at each query position (one dict per position), the
        # query coverage (the weighted sum of those similarities, kept up to date as they
        # improve, so that no second pass over all candidates is needed) and the alias words
        # covered, as a bit mask.
        width = len(words)
        shares = [w / total_query_weight for w in query_weights]
        position_sims: list[dict[int, float]] = [{} for _ in range(width)]
        coverage: dict[int, float] = {}
        masks: dict[int, int] = {}
        units = [
            (positions, self._cached_matching_terms(unit, joined=len(positions) > 1))
            for positions, unit in _query_units(words)
        ]
        # An alias first met at a single word can only gain at that word and the ones after it,
        # unless a joined unit matches it too. Where those words' shares add up to less than
        # the coverage a result needs, such aliases can never be a result: they are left out
        # (from long queries' common words: "and", "with", "to"), and nothing else changes.
        in_joined: set[int] = set()
        for _, matches in units[width:]:
            for term in matches:
                in_joined.update(self._postings[term][0::2])
        reach = 0.0
        hopeless = [False] * width  # by word: aliases first met there are left out
        for position in reversed(range(width)):
            reach += shares[position]
            hopeless[position] = reach < _MIN_QUERY_COVERAGE - _BOUND_MARGIN
        for positions, matches in units:
            joined = len(positions) > 1
            for term, (similarity, prefix_only) in matches.items():
                posting = self._postings[term]
                aliases, term_masks = posting[0::2], posting[1::2]
                # A prefix covers at most the first word of what the term joins.
                masks_here = [m & -m for m in term_masks] if prefix_only else term_masks
                # The updates are done with set operations and comprehensions over all the
                # term's aliases rather than one alias at a time; each alias still sees them in
                # the same order (position by position), so the sums come out the same.
                found = dict(zip(aliases, masks_here, strict=True))
                seen = found.keys() & masks.keys()
                if not joined and hopeless[positions[0]]:
                    relevant = seen | (found.keys() & in_joined)
                    if len(relevant) < len(found):
                        found = {alias: found[alias] for alias in relevant}
                if seen:
                    found.update({alias: found[alias] | masks[alias] for alias in seen})
                masks.update(found)
                for number, position in enumerate(positions):
                    sims = position_sims[position]
                    share = shares[position]
                    gain = share * similarity  # the gain over no similarity at this position
                    if number == 0 and not sims:
                        # the first term at this position (the usual case): everything gains
                        gained = {alias: coverage[alias] + gain for alias in seen}
                        coverage.update(dict.fromkeys(found, gain))
                        coverage.update(gained)
                        sims.update(dict.fromkeys(found, similarity))
                        continue
                    if number == 0:
                        new = found.keys() - seen if seen else found.keys()
                        coverage.update(dict.fromkeys(new, gain))
                        sims.update(dict.fromkeys(new, similarity))
                        if not seen:
                            continue
                    # aliases with a coverage already: those that improve here gain
                    known = seen if number == 0 else found.keys()
                    rivals = known & sims.keys()  # already similar at this position
                    improved = [alias for alias in rivals if similarity > sims[alias]]
                    coverage.update(
                        {
                            alias: coverage[alias] + share * (similarity - sims[alias])
                            for alias in improved
                        }
                    )
                    unrivalled = known - rivals
                    coverage.update({alias: coverage[alias] + gain for alias in unrivalled})
                    sims.update(dict.fromkeys(unrivalled, similarity))
                    sims.update(dict.fromkeys(improved, similarity))

        # Score aliases from the best bound down, and stop once no remaining alias can reach
        # the current shortlist. The bound counts every alias word that a matched term covers
        # at full weight (weights are at most 1) and adds the language bonus to every alias.
        word_share, cap = self._alias_word_share, self._alias_cap
        bounded = [
            (covered * (0.6 + masks[alias].bit_count() * word_share[alias]) + cap[alias], alias)
            for alias, covered in coverage.items()
            if covered >= _MIN_QUERY_COVERAGE
        ]
        bounded.sort(reverse=True)
        shortlist_size = limit + _RERANK_EXTRA
        best: dict[int, tuple[float, float, int]] = {}
        threshold = -1.0
        next_check = shortlist_size
        alias_food, alias_lang, alias_weights = (
            self._alias_food,
            self._alias_lang,
            self._alias_weights,
        )
        alias_total, priors = self._alias_total, self._priors
        for scored, (bound, alias) in enumerate(bounded):
            # Re-derive the bar at geometrically spaced points: cheap, yet early enough.
            if scored >= next_check and len(best) >= shortlist_size:
                next_check *= 2
                finals = [score + priors[f] for f, (score, _, _) in best.items()]
                threshold = heapq.nlargest(shortlist_size, finals)[-1]
            if bound < threshold:
                break
            food_index, weights, total_weight = (
                alias_food[alias],
                alias_weights[alias],
                alias_total[alias],
            )
            mask = masks[alias]
            if total_weight == len(weights):
                # every word weighs 1 (weights are at most 1): the count of covered words
                covered = float(mask.bit_count())
            else:
                covered = 0.0
                while mask:
                    lowest = mask & -mask
                    covered += weights[lowest.bit_length() - 1]
                    mask ^= lowest
            alias_coverage = coverage[alias]
            score = alias_coverage * (0.6 + 0.4 * covered / total_weight)
            if lang is not None and alias_lang[alias] == lang:
                score += _SAME_LANGUAGE_BONUS
            # Of a food's equally good names, the one with the best coverage (then the latest)
            # is kept, as when the names were taken by coverage.
            kept = best.get(food_index)
            if kept is None or (score, alias_coverage, alias) > kept:
                best[food_index] = (score, alias_coverage, alias)

        def rank_key(item: tuple[int, float, int]) -> tuple[float, int, str]:
            food = self._foods[item[0]]
            return (-item[1], len(food.name_en), food.id)

        candidates = [
            (food_index, score + priors[food_index], alias)
            for food_index, (score, _, alias) in best.items()
        ]
        if len(candidates) > shortlist_size:
            # Only the best scores (and any tied with the last of them) need the full sort.
            bar = heapq.nlargest(shortlist_size, [score for _, score, _ in candidates])[-1]
            candidates = [item for item in candidates if item[1] >= bar]
        shortlist = sorted(candidates, key=rank_key)[:shortlist_size]
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
                coverage=round(coverage[alias], 4),
            )
            for food_index, score, alias in shortlist[:limit]
        ]

    def _surface_share(self, alias: int, typed: set[str]) -> float:
        """The share of the typed words that occur unstemmed in the alias."""
        alias_words = set(tokens(self._alias_text[alias]))
        return len(typed & alias_words) / len(typed)

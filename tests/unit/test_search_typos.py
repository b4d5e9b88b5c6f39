"""The typo candidates of the food search (issue #15: search made faster, results unchanged).

`_TypoFinder` rules most index terms out by the characters they contain before measuring edit
distances; these tests compare it with measuring every term.
"""

from __future__ import annotations

import random
import string
from typing import Any

import pytest
from rapidfuzz import process
from rapidfuzz.distance import OSA

from rugwijzer.fooddb import search
from rugwijzer.fooddb.search import FoodSearchIndex, _TypoFinder
from tests.factories import make_food

VOCABULARY = sorted(
    {
        "almond",
        "amandel",
        "banaan",
        "bananas",
        "beef",
        "beet",
        "bean",
        "been",
        "reef",
        "chicken",
        "chickpea",
        "kikkererwt",
        "chocolade",
        "chocolate",
        "pindakaas",
        "pinda",
        "kaas",
        "vla",
        "7up",
        "70",
        "2",
        "crème",  # a character outside a-z and 0-9 (never after folding, but allowed)
        "spinazie",
        "spinach",
        "zalm",
        "salmon",
    }
)


def _every_term(vocabulary: list[str], unit: str, max_edits: int) -> list[tuple[str, int]]:
    """The terms within `max_edits`, measured one by one, in the finder's order."""
    found = [
        (term, OSA.distance(unit, term))
        for term in vocabulary
        if abs(len(term) - len(unit)) <= max_edits
    ]
    found = [(term, edits) for term, edits in found if edits <= max_edits]
    return sorted(found, key=lambda match: (len(match[0]), match[1], match[0]))


def _typos(word: str, rng: random.Random) -> str:
    """`word` with one or two random edits."""
    letters = string.ascii_lowercase + "0123456789"
    for _ in range(rng.choice((1, 2))):
        i = rng.randrange(len(word) + 1)
        kind = rng.choice(("insert", "delete", "substitute", "swap"))
        if kind == "insert":
            word = word[:i] + rng.choice(letters) + word[i:]
        elif kind == "delete" and len(word) > 1 and i < len(word):
            word = word[:i] + word[i + 1 :]
        elif kind == "substitute" and i < len(word):
            word = word[:i] + rng.choice(letters) + word[i + 1 :]
        elif kind == "swap" and i + 1 < len(word):
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word


def test_finds_exactly_the_terms_within_the_edits_in_order() -> None:
    finder = _TypoFinder(VOCABULARY)
    rng = random.Random(15)
    units = [_typos(rng.choice(VOCABULARY), rng) for _ in range(400)] + list(VOCABULARY)
    checked = 0
    for unit in units:
        for max_edits in (1, 2):
            assert finder.within(unit, max_edits) == _every_term(VOCABULARY, unit, max_edits), (
                unit,
                max_edits,
            )
            checked += bool(finder.within(unit, max_edits))
    assert checked > 300  # most units do find something: the comparison is not vacuous


@pytest.mark.parametrize(
    ("unit", "max_edits", "expected"),
    [
        ("beef", 1, [("bee", 1), ("beef", 0), ("been", 1), ("beet", 1), ("reef", 1)]),
        ("chikcen", 2, [("chicken", 1)]),  # a swap is one edit
        ("pindakas", 1, [("pindakaas", 1)]),
        ("xyzzy", 2, []),
    ],
)
def test_examples(unit: str, max_edits: int, expected: list[tuple[str, int]]) -> None:
    finder = _TypoFinder([*VOCABULARY, "bee"])
    assert finder.within(unit, max_edits) == expected


def test_an_empty_vocabulary_finds_nothing() -> None:
    assert _TypoFinder([]).within("beef", 1) == []


def test_units_longer_than_every_term_find_nothing() -> None:
    assert _TypoFinder(["kaas"]).within("kaasplankjes", 2) == []


def test_matching_terms_are_remembered_and_the_memory_is_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index = FoodSearchIndex(
        [
            make_food("01270", "Cheese, gouda", name_nl="goudse kaas"),
            make_food("09040", "Bananas, raw", name_nl="banaan"),
        ]
    )
    first = index.search("goudse kaaas", lang="nl")
    assert first[0].food.name_en == "Cheese, gouda"
    assert index.search("goudse kaaas", lang="nl") == first
    monkeypatch.setattr(search, "_MATCH_CACHE_SIZE", 5)
    for n in range(20):
        index.search(f"banaan{n}", lang="nl")
        assert len(index._matches_cache) <= 5
    assert index.search("goudse kaaas", lang="nl") == first


def test_only_terms_that_pass_the_character_test_are_measured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The filter is exactly the character-set test: it lets through every term within reach
    (else results would be lost) and no other (else it would be slow)."""
    rng = random.Random(20261130)
    vocabulary = sorted(
        {"".join(rng.choice("abcdeklmnorst") for _ in range(rng.randint(2, 9))) for _ in range(600)}
    )
    finder = _TypoFinder(vocabulary)
    measured: list[list[str]] = []
    extract = process.extract

    def recording_extract(unit: str, choices: list[str], **options: Any) -> Any:
        measured.append(list(choices))
        return extract(unit, choices, **options)

    monkeypatch.setattr(process, "extract", recording_extract)
    for unit in [_typos(rng.choice(vocabulary), rng) for _ in range(100)]:
        for max_edits in (1, 2):
            measured.clear()
            finder.within(unit, max_edits)
            expected = [
                term
                for term in sorted(vocabulary, key=len)
                if abs(len(term) - len(unit)) <= max_edits
                and len(set(unit) - set(term)) <= max_edits
                and len(set(term) - set(unit)) <= max_edits
            ]
            assert measured == [expected], (unit, max_edits)

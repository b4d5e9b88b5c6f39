from __future__ import annotations

import time

import pytest

from rugwijzer.errors import QueryError
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.fooddb.datafile import Provenance
from rugwijzer.fooddb.search import MAX_QUERY_CHARACTERS, FoodSearchIndex
from tests.factories import make_food

FOODS = [
    make_food("12061", "Nuts, almonds", name_nl="amandelen", synonyms_nl=("amandel",)),
    make_food("04529", "Oil, almond"),
    make_food("08999", "Cereals ready-to-eat, granola with almonds and raisins"),
    make_food("16098", "Peanut butter, smooth style, with salt", name_nl="pindakaas"),
    make_food(
        "18075",
        "Bread, whole-wheat, commercially prepared",
        name_nl="volkoren brood",
        synonyms_nl=("bruin brood",),
        synonyms_en=("wholemeal bread",),
    ),
    make_food("09040", "Bananas, raw", name_nl="banaan", synonyms_nl=("bananen",)),
    make_food("03123", "Babyfood, fruit, bananas with tapioca, strained"),
    make_food("11457", "Spinach, raw", name_nl="spinazie, rauw"),
    make_food(
        "11458",
        "Spinach, cooked, boiled, drained, without salt",
        name_nl="spinazie",
        synonyms_nl=("gekookte spinazie",),
    ),
    make_food("01270", "Cheese, gouda", name_nl="goudse kaas", synonyms_nl=("kaas",)),
    make_food("19904", "Chocolate, dark, 70-85% cacao solids", name_nl="pure chocolade"),
    make_food("01123", "Egg, whole, raw, fresh", name_nl="ei, rauw", magnesium_mg=None),
]


@pytest.fixture(scope="module")
def index() -> FoodSearchIndex:
    return FoodSearchIndex(FOODS)


def _top(index: FoodSearchIndex, query: str, n: int = 1, lang: str | None = None) -> list[str]:
    return [hit.food.source.source_id for hit in index.search(query, lang=lang, limit=n)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("amandelen", "12061"),
        ("AMANDELEN", "12061"),
        ("amandel", "12061"),
        ("amandlen", "12061"),  # typo
        ("almonds", "12061"),  # plain food before oil and cereal
        ("pindakaas", "16098"),
        ("pinda kaas", "16098"),  # split compound
        ("volkorenbrood", "18075"),  # joined compound of "volkoren brood"
        ("brood volkoren", "18075"),  # word order
        ("whole wheat bread", "18075"),
        ("wholemeal bread", "18075"),
        ("bananen", "09040"),  # plural
        ("banana", "09040"),  # plain food before baby food
        ("spinach", "11457"),  # fewer extra words wins
        ("spinazie", "11458"),  # the curated everyday entry
        ("goudse kaas", "01270"),
        ("pure chocolade", "19904"),
        ("dark chocolate", "19904"),
        ("crème", None),
    ],
)
def test_finds_the_expected_food_first(
    index: FoodSearchIndex, query: str, expected: str | None
) -> None:
    top = _top(index, query)
    if expected is None:
        assert top == []
    else:
        assert top == [expected], index.search(query, limit=3)


def test_scores_are_descending_and_unique_per_food(index: FoodSearchIndex) -> None:
    hits = index.search("almond", limit=10)
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert len({hit.food.id for hit in hits}) == len(hits)


def test_limit(index: FoodSearchIndex) -> None:
    assert len(index.search("a", limit=2)) <= 2
    assert len(index.search("spinazie", limit=1)) == 1


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "\x00\x01", "!!!"])
def test_blank_queries_are_errors(index: FoodSearchIndex, query: str) -> None:
    with pytest.raises(QueryError):
        index.search(query)


def test_overlong_query_is_refused_quickly(index: FoodSearchIndex) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryError, match="characters"):
        index.search("amandel " * 20_000)
    assert time.perf_counter() - started < 1.0
    # the longest query allowed is searched, not refused (a run of one letter matches no food)
    assert index.search("a" * MAX_QUERY_CHARACTERS, limit=1) == []


def test_control_characters_are_ignored(index: FoodSearchIndex) -> None:
    assert _top(index, "\x07amandelen\x1b") == ["12061"]


def test_bad_limit(index: FoodSearchIndex) -> None:
    with pytest.raises(QueryError):
        index.search("amandelen", limit=0)


def test_lang_prefers_names_in_that_language(index: FoodSearchIndex) -> None:
    hit = index.search("banaan", lang="nl", limit=1)[0]
    assert hit.matched_name == "banaan"


def test_a_database_remembers_recent_answers_but_never_shares_its_list() -> None:
    provenance = Provenance("test", "1", "test", "test licence", "-", "-", "test", "sr24", 2)
    database = FoodDatabase(FOODS, provenance)
    first = database.search("banaan", lang="nl", limit=3)
    first.clear()  # a caller may change the list it was given
    again = database.search("banaan", lang="nl", limit=3)
    assert [hit.food.name_nl for hit in again][:1] == ["banaan"]
    assert again == database.search("banaan", lang="nl", limit=3)
    assert database.search("banaan", lang="nl", limit=1) == again[:1]  # the limit is a key

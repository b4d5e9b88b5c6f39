"""The food search finds what it found before it was made faster (issue #15).

tests/fixtures/search/top3.tsv holds the top three foods of 431 queries (every search-case query
and misspelled ones from the benchmark's generator) as ranked by the search index before its
speed-ups; scripts/freeze_search_ranking.py wrote it. The index alone is compared, without any
re-ranking that the food database may add above it.
"""

from __future__ import annotations

import pytest

from rugwijzer.fooddb import search
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.fooddb.search import FoodSearchIndex
from tests.conftest import FIXTURES

FROZEN = FIXTURES / "search" / "top3.tsv"


def _frozen() -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in FROZEN.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, lang, ids = line.split("\t")
            rows.append((query, lang, ids.split()))
    return rows


@pytest.fixture(scope="module")
def index(food_db: FoodDatabase) -> FoodSearchIndex:
    return FoodSearchIndex(food_db.foods)


def test_the_frozen_set_is_large_and_mostly_finds_something() -> None:
    rows = _frozen()
    assert len(rows) >= 400
    assert len({(query, lang) for query, lang, _ in rows}) == len(rows)
    assert sum(1 for *_, ids in rows if ids) >= 0.95 * len(rows)


def test_top3_matches_the_frozen_ranking(index: FoodSearchIndex) -> None:
    changed = []
    for query, lang, expected in _frozen():
        found = [hit.food.id for hit in index.search(query, lang=lang, limit=3)]
        if found != expected:
            changed.append(f"{query!r} ({lang}): {expected} -> {found}")
    assert not changed, f"{len(changed)} rankings changed:\n" + "\n".join(changed[:20])


def test_pruning_finds_what_scoring_every_name_finds(
    food_db: FoodDatabase, index: FoodSearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search leaves out names that cannot make the results (by an upper bound of their
    score, and those first met at words too few to reach the coverage a result needs). With a
    margin so large that no bound ever rules a name out, every name is scored: the results must
    be the same, scores and matched names included."""
    monkeypatch.setattr(search, "_BOUND_MARGIN", 10.0)
    exhaustive = FoodSearchIndex(food_db.foods)
    queries = [(query, lang) for query, lang, _ in _frozen()]
    queries += [
        ("cereals ready-to-eat wheat and bran", "en"),
        ("low fat milk with vitamin d and calcium", "en"),
        ("koffie met melk en suiker", "nl"),
        ("brood met kaas en ham", "nl"),
    ]
    for query, lang in queries:
        for limit in (3, 10):
            assert index.search(query, lang=lang, limit=limit) == exhaustive.search(
                query, lang=lang, limit=limit
            ), (query, lang, limit)

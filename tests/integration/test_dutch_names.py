"""The bundled Dutch names: enough, valid, and covering everyday Dutch food words."""

from __future__ import annotations

import pytest

from rugwijzer.domain.text import fold
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.fooddb.names import load_bundled_names

# Everyday words the foundation issue names; each must find a food with that Dutch name.
REQUIRED_WORDS = [
    "amandelen",
    "amandel",
    "volkorenbrood",
    "pindakaas",
    "havermout",
    "boerenkool",
    "spruitjes",
    "andijvie",
    "karnemelk",
    "haring",
    "zalm",
    "kipfilet",
    "gehakt",
    "pompoenpitten",
    "zonnebloempitten",
    "hazelnoten",
    "walnoten",
    "paranoten",
    "chiazaad",
    "lijnzaad",
    "zilvervliesrijst",
    "pinda's",
    "kikkererwten",
    "linzen",
    "sperziebonen",
    "doperwten",
    "bloemkool",
    "champignons",
    "sinaasappel",
    "aardbeien",
    "druiven",
    "kiwi",
    "appel",
    "peer",
    "hagelslag",
    "ontbijtkoek",
    "stroopwafel",
    "drop",
    "vla",
    "kwark",
    "bruin brood",
    "pure chocolade",
    "zwarte bonen",
    "rode kool",
]


@pytest.fixture(scope="module")
def names():  # type: ignore[no-untyped-def]
    return load_bundled_names()


def test_at_least_600_foods_have_dutch_names(names) -> None:  # type: ignore[no-untyped-def]
    assert len(names) >= 600


def test_every_name_points_to_a_bundled_food(names, food_db: FoodDatabase) -> None:  # type: ignore[no-untyped-def]
    for ndb, row in names.items():
        food = food_db.get(ndb)
        assert food.name_nl == row.name_nl


@pytest.mark.parametrize("word", REQUIRED_WORDS)
def test_required_dutch_words_are_known(names, word: str) -> None:  # type: ignore[no-untyped-def]
    folded = fold(word)
    known = {fold(n) for row in names.values() for n in (row.name_nl, *row.synonyms_nl)}
    assert folded in known or any(folded in k.split(", ")[0] for k in known), word


def test_approximations_say_so(names) -> None:  # type: ignore[no-untyped-def]
    notes = [row.note for row in names.values() if row.note]
    assert notes, "Dutch foods without a USDA twin must carry an approximation note"
    for note in notes:
        assert note.startswith("approximation:"), note
    for word in ("hagelslag", "ontbijtkoek", "stroopwafel", "vla", "kwark"):
        rows = [r for r in names.values() if word in fold(r.name_nl)]
        assert rows, word
        assert any(r.note for r in rows), word


def test_bare_words_sit_on_one_food(names) -> None:  # type: ignore[no-untyped-def]
    owners: dict[str, set[str]] = {}
    for row in names.values():
        for name in {fold(row.name_nl), *(fold(s) for s in row.synonyms_nl)}:
            owners.setdefault(name, set()).add(row.ndb)
    shared = {name: ndbs for name, ndbs in owners.items() if len(ndbs) > 1}
    assert not shared, shared

from __future__ import annotations

import pytest

from rugwijzer.domain.text import fold, stem, tokens


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Crème Fraîche", "creme fraiche"),
        ("Bread, whole-wheat", "bread whole wheat"),
        ("pinda's", "pindas"),
        ("  ZILVERVLIESRIJST\t", "zilvervliesrijst"),
        ("100 g pure chocolade 70%", "100 g pure chocolade 70"),
        ("\x00\x07", ""),
        ("Müsli—ÉÉN", "musli een"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_tokens_splits_on_punctuation() -> None:
    assert tokens("Nuts, almonds (dry-roasted)") == ["nuts", "almonds", "dry", "roasted"]
    assert tokens(" \t") == []


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("almonds", "almond"),
        ("berries", "berry"),
        ("tomatoes", "tomato"),
        ("amandelen", "amandel"),
        ("pindas", "pinda"),
        ("glass", "glass"),
        ("ei", "ei"),
        ("2000", "2000"),
    ],
)
def test_stem(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_plural_and_singular_meet_within_one_edit() -> None:
    # The search tolerates one edit; stemming must bring Dutch plural pairs that close.
    assert stem("bananen") == "banan"
    assert stem("banaan") == "banaan"

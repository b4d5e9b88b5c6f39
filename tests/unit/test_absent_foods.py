"""The bundled list of foods the data lacks, and its parser."""

from __future__ import annotations

import pytest

from rugwijzer.errors import DataError
from rugwijzer.fooddb.absent import absent_foods, parse_absent_foods


def test_bundled_list_folds_names_and_has_a_note_for_each() -> None:
    names = absent_foods()
    assert "amandelmelk" in names
    assert "oat milk" in names
    assert all(note.strip() for note in names.values())


def test_names_are_folded() -> None:
    parsed = parse_absent_foods('[[absent]]\nwords = ["Crème Drink"]\nnote = "why"\n')
    assert parsed == {"creme drink": "why"}


@pytest.mark.parametrize(
    "text",
    ['[[absent]]\nwords = []\nnote = "why"\n', '[[absent]]\nwords = ["x"]\n', "not toml ["],
)
def test_a_broken_list_is_a_data_error(text: str) -> None:
    with pytest.raises(DataError):
        parse_absent_foods(text)

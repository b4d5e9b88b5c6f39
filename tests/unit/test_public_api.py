"""The library API stays honest: everything in `rugwijzer.__all__` exists and is documented."""

from __future__ import annotations

import rugwijzer


def test_exported_members_exist_and_have_docstrings() -> None:
    for name in rugwijzer.__all__:
        member = getattr(rugwijzer, name)
        if name != "__version__":
            assert member.__doc__, name


def test_all_lists_every_public_function() -> None:
    public = {
        name
        for name, value in vars(rugwijzer).items()
        if callable(value) and not name.startswith("_") and value.__module__ == "rugwijzer"
    }
    assert public <= set(rugwijzer.__all__)


def test_parse_meal_convenience() -> None:
    result = rugwijzer.parse_meal("30 gram amandelen", lang="nl")
    assert result.items[0].food.id == "sr24:12061"

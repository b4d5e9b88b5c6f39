"""Foods the bundled data does not contain (`data/absent_foods.toml`): name → why."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

from rugwijzer.domain.text import fold
from rugwijzer.errors import DataError
from rugwijzer.messages import Code, Foreign

__all__ = ["absent_foods", "parse_absent_foods"]


def parse_absent_foods(text: str) -> dict[str, str]:
    """Folded food name → the note saying why it is not in the data."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(Code.DATA_CORRUPT, detail=Foreign(f"absent foods file: {exc}")) from exc
    names: dict[str, str] = {}
    for entry in document.get("absent", []):
        words, note = entry.get("words"), str(entry.get("note", "")).strip()
        if not isinstance(words, list) or not words or not note:
            detail = f"absent foods file: an entry needs words and a note: {entry!r}"
            raise DataError(Code.DATA_CORRUPT, detail=Foreign(detail))
        for word in words:
            names[fold(str(word))] = note
    return names


@lru_cache(maxsize=1)
def absent_foods() -> Mapping[str, str]:
    """The bundled list."""
    path = resources.files("rugwijzer") / "data" / "absent_foods.toml"
    return parse_absent_foods(path.read_text(encoding="utf-8"))

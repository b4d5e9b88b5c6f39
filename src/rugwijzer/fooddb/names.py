"""Rugwijzer's Dutch (and plain-English) names for USDA foods.

The files `data/names_nl/*.tsv` are written by the project, one row per food::

    ndb  name_nl  synonyms_nl  synonyms_en  note

`synonyms_*` are '|'-separated; `note` starts with "approximation:" where the USDA food is only
close to the Dutch product. Names never carry numbers: all nutrient values come from the
food data file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from rugwijzer.errors import DataError
from rugwijzer.messages import Code, Foreign

__all__ = ["NAME_COLUMNS", "FoodNames", "index_by_ndb", "load_bundled_names", "parse_names_tsv"]

NAME_COLUMNS = ("ndb", "name_nl", "synonyms_nl", "synonyms_en", "note")


@dataclass(frozen=True, slots=True)
class FoodNames:
    """Names of one food (by NDB number) in Dutch and plain English."""

    ndb: str
    name_nl: str
    synonyms_nl: tuple[str, ...]
    synonyms_en: tuple[str, ...]
    note: str | None


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def parse_names_tsv(text: str, *, source: str) -> list[FoodNames]:
    """Parse one names file; `source` names it in error messages."""
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != NAME_COLUMNS:
        detail = f"{source}: the header must be {' '.join(NAME_COLUMNS)} (tab-separated)"
        raise DataError(Code.DATA_CORRUPT, detail=Foreign(detail))
    names: list[FoodNames] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != len(NAME_COLUMNS):
            raise DataError(
                Code.DATA_CORRUPT,
                detail=Foreign(f"{source}:{number}: expected 5 tab-separated columns"),
            )
        ndb, name_nl, synonyms_nl, synonyms_en, note = (c.strip() for c in cells)
        if not (len(ndb) == 5 and ndb.isdigit()) or not name_nl:
            detail = f"{source}:{number}: needs a 5-digit NDB number and a Dutch name"
            raise DataError(Code.DATA_CORRUPT, detail=Foreign(detail))
        names.append(
            FoodNames(ndb, name_nl, _split(synonyms_nl), _split(synonyms_en), note or None)
        )
    return names


def index_by_ndb(rows: Iterable[FoodNames]) -> dict[str, FoodNames]:
    """Names keyed by NDB number; a food named twice is an error."""
    by_ndb: dict[str, FoodNames] = {}
    for row in rows:
        if row.ndb in by_ndb:
            raise DataError(
                Code.DATA_CORRUPT, detail=Foreign(f"NDB {row.ndb} has Dutch names twice")
            )
        by_ndb[row.ndb] = row
    return by_ndb


def load_bundled_names() -> Mapping[str, FoodNames]:
    """All bundled Dutch names, keyed by NDB number."""
    folder = resources.files("rugwijzer") / "data" / "names_nl"
    rows: list[FoodNames] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".tsv"):
            rows.extend(parse_names_tsv(entry.read_text(encoding="utf-8"), source=entry.name))
    return index_by_ndb(rows)

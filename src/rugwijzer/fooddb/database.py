"""The food database of one process: foods by id, their Dutch names, and search."""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rugwijzer.domain.foods import Food, FoodSource
from rugwijzer.errors import DataError, FoodNotFoundError
from rugwijzer.fooddb.datafile import Provenance, load_data_file
from rugwijzer.fooddb.names import FoodNames, load_bundled_names
from rugwijzer.fooddb.records import FoodRecord
from rugwijzer.fooddb.search import FoodSearchIndex, SearchHit
from rugwijzer.messages import Code, Foreign

__all__ = [
    "BUNDLED_DATA_FILE",
    "FoodDatabase",
    "default_food_database",
    "load_food_database",
]

#: The bundled data file, relative to the package.
BUNDLED_DATA_FILE = "data/foods_sr24.json"


def _food(record: FoodRecord, provenance: Provenance, names: FoodNames | None) -> Food:
    return Food(
        id=f"{provenance.id_prefix}:{record.source_id}",
        name_en=record.name_en,
        group_code=record.group_code,
        per_100g=record.per_100g,
        measures=record.measures,
        source=FoodSource(provenance.dataset, record.source_id, provenance.licence),
        name_nl=names.name_nl if names else None,
        synonyms_nl=names.synonyms_nl if names else (),
        synonyms_en=names.synonyms_en if names else (),
        mapping_note=names.note if names else None,
    )


class FoodDatabase:
    """Read-only foods with search. Loaded once per process (see `default_food_database`)."""

    def __init__(self, foods: Sequence[Food], provenance: Provenance) -> None:
        self.provenance = provenance
        self.foods: tuple[Food, ...] = tuple(foods)
        self._by_id = {food.id: food for food in self.foods}
        self._by_source_id = {food.source.source_id: food for food in self.foods}
        if len(self._by_id) != len(self.foods):
            raise DataError(Code.DATA_CORRUPT, detail=Foreign("the food data has duplicate ids"))
        self._index = FoodSearchIndex(self.foods)

    @classmethod
    def from_records(
        cls,
        records: Sequence[FoodRecord],
        provenance: Provenance,
        names: Mapping[str, FoodNames] | None = None,
    ) -> FoodDatabase:
        """Foods from importer records, with Dutch names joined on the NDB number."""
        names = names or {}
        return cls(
            [_food(r, provenance, names.get(r.ndb) if r.ndb else None) for r in records],
            provenance,
        )

    def __len__(self) -> int:
        return len(self.foods)

    def get(self, food_id: str) -> Food:
        """The food with this id ("sr24:12061"); a bare source id ("12061") works too.
        Raises `FoodNotFoundError`."""
        key = food_id.strip()
        food = self._by_id.get(key) or self._by_source_id.get(key)
        if food is None:
            raise FoodNotFoundError(food_id)
        return food

    def search(self, query: str, *, lang: str | None = None, limit: int = 10) -> list[SearchHit]:
        """Foods matching `query`, best first (see `FoodSearchIndex.search`)."""
        return self._index.search(query, lang=lang, limit=limit)


def load_food_database(
    path: Path | None = None, *, names: Mapping[str, FoodNames] | None = None
) -> FoodDatabase:
    """Load a food data file (the bundled SR24 data by default) with the bundled Dutch names."""
    if path is None:
        text = (resources.files("rugwijzer") / BUNDLED_DATA_FILE).read_text(encoding="utf-8")
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise DataError(
                Code.DATA_IMPORT_UNREADABLE, path=str(path), detail=Foreign(str(exc))
            ) from exc
    # Loading creates ~300,000 long-lived objects. The cyclic garbage collector would scan
    # them over and over while they are made (a third of the load time) and then at every
    # later collection; none of them form cycles, so collect once, then freeze them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        provenance, records = load_data_file(text)
        database = FoodDatabase.from_records(
            records, provenance, load_bundled_names() if names is None else names
        )
    finally:
        if collecting:
            gc.enable()
    gc.freeze()
    return database


@lru_cache(maxsize=1)
def default_food_database() -> FoodDatabase:
    """The process-wide food database (reference data: read-only, loaded once)."""
    return load_food_database()

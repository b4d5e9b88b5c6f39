"""The food database of one process: foods by id, their Dutch names, and search.

The database holds the bundled USDA SR24 foods (or a configured data file) and, when the user
has imported NEVO-online (`rugwijzer foods import-nevo`), the NEVO foods beside them. For
Dutch text, search prefers a NEVO food over an SR24 food that matches as well: the
preference is a small re-ranking of the index's results here, not inside the search index.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rugwijzer.domain.foods import Food, FoodSource
from rugwijzer.domain.text import tokens
from rugwijzer.errors import DataError, FoodNotFoundError
from rugwijzer.fooddb.datafile import Provenance, load_data_file
from rugwijzer.fooddb.names import FoodNames, load_bundled_names
from rugwijzer.fooddb.nevo import NEVO_ID_PREFIX, nevo_data_file
from rugwijzer.fooddb.records import FoodRecord
from rugwijzer.fooddb.search import FoodSearchIndex, SearchHit
from rugwijzer.messages import Code, Foreign

__all__ = [
    "BUNDLED_DATA_FILE",
    "FoodDatabase",
    "bundled_food_database",
    "default_food_database",
    "load_food_database",
    "reload_food_database",
    "user_food_data_files",
]

#: The bundled data file, relative to the package.
BUNDLED_DATA_FILE = "data/foods_sr24.json"

#: Added, for Dutch text, to the score of a NEVO food (Dutch names and Dutch products, where
#: SR24 has US products under Rugwijzer's Dutch names); the size of the curated-name bonus, so
#: that it decides between foods that match equally well and not against a clearly better match.
_NEVO_PREFERENCE = 0.05
#: NEVO foods whose group has no SR24 counterpart get the group "other", which the search
#: index ranks a little lower (a penalty meant for SR24's odd foods); this gives it back.
_NEVO_OTHER_GROUP_OFFSET = 0.06
#: NEVO's mark for an average over products or varieties ("Brood volkoren gem"): it says
#: nothing about which food is meant, so the word-order alias leaves it out.
_NEVO_AVERAGE_WORDS = frozenset({"gem", "gem.", "gemiddeld"})
#: How many recent search answers a food database keeps (a few MB at most).
RECENT_SEARCHES = 4096
#: Extra results asked of the index so that re-ranking can bring a NEVO food up into the list.
_RERANK_EXTRA = 10


def _food(record: FoodRecord, provenance: Provenance, names: FoodNames | None) -> Food:
    return Food(
        id=f"{provenance.id_prefix}:{record.source_id}",
        name_en=record.name_en,
        group_code=record.group_code,
        per_100g=record.per_100g,
        measures=record.measures,
        source=FoodSource(
            provenance.dataset, record.source_id, provenance.licence, provenance.release
        ),
        # Rugwijzer's own Dutch names (joined on the NDB number) for USDA data; the dataset's
        # own names for NEVO.
        name_nl=names.name_nl if names else record.name_nl,
        synonyms_nl=names.synonyms_nl if names else record.synonyms_nl,
        synonyms_en=names.synonyms_en if names else (),
        mapping_note=names.note if names else record.note,
    )


def _is_nevo(food: Food) -> bool:
    return food.id.startswith(NEVO_ID_PREFIX + ":")


def _word_order_alias(name: str) -> str | None:
    """NEVO names put the noun first ("Brood volkoren gem", "Melk halfvolle", "Kaas Goudse 48+
    belegen"); people write it after its first modifier ("volkorenbrood", "halfvolle melk",
    "goudse kaas"). The name with its first two words swapped lets the index's joined
    compounds and word pairs meet the usual spelling."""
    words = [w for w in name.split() if w.casefold() not in _NEVO_AVERAGE_WORDS]
    if len(words) < 2 or len(tokens(" ".join(words[:2]))) < 2:
        return None
    return " ".join([words[1], words[0], *words[2:]])


def _for_index(food: Food) -> Food:
    """The food as the search index sees it: NEVO foods with their word-order aliases."""
    if not _is_nevo(food) or not food.name_nl:
        return food
    extra = [
        alias
        for alias in map(_word_order_alias, (food.name_nl, *food.synonyms_nl))
        if alias is not None
    ]
    if not extra:
        return food
    return dataclasses.replace(food, synonyms_nl=(*food.synonyms_nl, *extra))


def _reranked(hit: SearchHit, *, dutch: bool) -> SearchHit:
    """A NEVO hit with the preference for the text's language applied (SR24 hits as they are)."""
    if not _is_nevo(hit.food):
        return hit
    if dutch:
        bonus = _NEVO_PREFERENCE
        if hit.food.group.code == "other":
            bonus += _NEVO_OTHER_GROUP_OFFSET
    else:
        bonus = -_NEVO_PREFERENCE
    return dataclasses.replace(hit, score=round(hit.score + bonus, 4))


def _dutch_match(hit: SearchHit) -> bool:
    """Whether the name that matched is one of the food's Dutch names."""
    food = hit.food
    return hit.matched_name in (food.name_nl, *food.synonyms_nl) and (
        hit.matched_name != food.name_en
    )


class FoodDatabase:
    """Read-only foods with search. Loaded once per process (see `default_food_database`)."""

    def __init__(
        self,
        foods: Sequence[Food],
        provenance: Provenance,
        extra_provenances: Sequence[Provenance] = (),
    ) -> None:
        #: The main data file's provenance (SR24 or the configured file).
        self.provenance = provenance
        #: Every data file the foods come from: the main one first, then imported NEVO data.
        self.provenances: tuple[Provenance, ...] = (provenance, *extra_provenances)
        self.foods: tuple[Food, ...] = tuple(foods)
        self._by_id = {food.id: food for food in self.foods}
        # A bare source id names the main data's food first ("12061" is an SR24 NDB number).
        self._by_source_id: dict[str, Food] = {}
        for food in self.foods:
            self._by_source_id.setdefault(food.source.source_id, food)
        if len(self._by_id) != len(self.foods):
            raise DataError(Code.DATA_CORRUPT, detail=Foreign("the food data has duplicate ids"))
        self._has_nevo = any(_is_nevo(food) for food in self.foods)
        self._index = FoodSearchIndex([_for_index(food) for food in self.foods])
        # The same words come back all day ("banaan", "havermout"): the last
        # `RECENT_SEARCHES` answers are kept (the foods never change in this object; the
        # cache is thread-safe and holds immutable hits).
        self._recent_search = lru_cache(maxsize=RECENT_SEARCHES)(self._search)

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

    @property
    def has_nevo(self) -> bool:
        """Whether imported NEVO foods are part of this database."""
        return self._has_nevo

    def search(self, query: str, *, lang: str | None = None, limit: int = 10) -> list[SearchHit]:
        """Foods matching `query`, best first (see `FoodSearchIndex.search`).

        With NEVO foods present, Dutch text (`lang` "nl", or no `lang` and the best match is
        a Dutch name) ranks a NEVO food above an SR24 food that matches as well; English text
        keeps the SR24 food first, as before the import (its US household measures)."""
        return list(self._recent_search(query, lang, limit))

    def _search(self, query: str, lang: str | None, limit: int) -> tuple[SearchHit, ...]:
        if not self._has_nevo:
            return tuple(self._index.search(query, lang=lang, limit=limit))
        hits = self._index.search(query, lang=lang, limit=limit + _RERANK_EXTRA)
        dutch = lang == "nl" or (lang is None and bool(hits) and _dutch_match(hits[0]))
        hits = sorted((_reranked(hit, dutch=dutch) for hit in hits), key=lambda h: -h.score)
        return tuple(self._as_stored(hit) if _is_nevo(hit.food) else hit for hit in hits[:limit])

    def _as_stored(self, hit: SearchHit) -> SearchHit:
        """The index holds copies of NEVO foods with word-order aliases: answer with the food
        itself, and its Dutch name where an alias matched."""
        food = self._by_id[hit.food.id]
        names = (food.name_nl, *food.synonyms_nl, food.name_en, *food.synonyms_en)
        matched = hit.matched_name if hit.matched_name in names else food.name_nl or food.name_en
        return dataclasses.replace(hit, food=food, matched_name=matched)


def _read_data_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(
            Code.DATA_IMPORT_UNREADABLE, path=str(path), detail=Foreign(str(exc))
        ) from exc


def load_food_database(
    path: Path | None = None,
    *,
    names: Mapping[str, FoodNames] | None = None,
    extra_files: Sequence[Path] = (),
) -> FoodDatabase:
    """Load a food data file (the bundled SR24 data by default) with the bundled Dutch names,
    plus `extra_files` (imported data with names of its own, such as NEVO) beside it."""
    if path is None:
        text = (resources.files("rugwijzer") / BUNDLED_DATA_FILE).read_text(encoding="utf-8")
    else:
        text = _read_data_file(path)
    extra_texts = [_read_data_file(extra) for extra in extra_files]
    # Loading creates ~300,000 long-lived objects. The cyclic garbage collector would scan
    # them over and over while they are made (a third of the load time) and then at every
    # later collection; none of them form cycles, so collect once, then freeze them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        provenance, records = load_data_file(text)
        names = load_bundled_names() if names is None else names
        foods = [_food(r, provenance, names.get(r.ndb) if r.ndb else None) for r in records]
        extra_provenances = []
        for extra_text in extra_texts:
            extra_provenance, extra_records = load_data_file(extra_text)
            extra_provenances.append(extra_provenance)
            foods.extend(_food(r, extra_provenance, None) for r in extra_records)
        database = FoodDatabase(foods, provenance, extra_provenances)
    finally:
        if collecting:
            gc.enable()
    gc.freeze()
    return database


def user_food_data_files(data_dir: Path | None = None) -> tuple[Path, ...]:
    """Imported food data in the user's data directory (the NEVO import), when present."""
    if data_dir is None:
        from rugwijzer.settings import get_settings

        data_dir = get_settings().data_dir
    nevo = nevo_data_file(data_dir)
    return (nevo,) if nevo.is_file() else ()


def _signature(files: tuple[Path, ...]) -> tuple[tuple[str, int, int], ...]:
    """What identifies the imported files' contents without reading them."""
    signature = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        signature.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(signature)


@lru_cache(maxsize=1)
def _bundled_database() -> FoodDatabase:
    return load_food_database()


# One entry: after an import or a removal the former database is let go, not kept beside.
@lru_cache(maxsize=1)
def _database_with_imports(signature: tuple[tuple[str, int, int], ...]) -> FoodDatabase:
    return load_food_database(extra_files=tuple(Path(path) for path, _, _ in signature))


def default_food_database() -> FoodDatabase:
    """The process-wide food database: the bundled SR24 foods plus the user's imported NEVO
    foods when there are any (reference data: read-only, loaded once, and loaded again only
    when an import or removal changes the imported file; a stat per call tells)."""
    signature = _signature(user_food_data_files())
    if not signature:
        return _bundled_database()
    return _database_with_imports(signature)


def bundled_food_database() -> FoodDatabase:
    """The bundled SR24 foods alone, whatever the user imported (tests and benchmarks that
    must not depend on a user's data directory); the same object as the default database
    when nothing is imported."""
    return _bundled_database()


def reload_food_database() -> None:
    """Forget the food database with imported foods (after an import or a removal in this
    process; the next use also notices the change by itself). The bundled foods stay."""
    _database_with_imports.cache_clear()

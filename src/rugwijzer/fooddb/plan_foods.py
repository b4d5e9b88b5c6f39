"""Loading the gap planner's candidate foods (`data/plan_foods.toml`) and joining them with the
food data, which gives each portion its magnesium and kcal."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from rugwijzer.content import Source, sources
from rugwijzer.domain.planner import (
    ANIMAL_TAGS,
    TAGS,
    Candidate,
    PlanPortion,
    PortionSource,
    candidate,
)
from rugwijzer.errors import DataError, FoodNotFoundError
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.messages import Code, Foreign

__all__ = ["bundled_plan_portions", "parse_plan_foods", "plan_candidates"]

PLAN_FOODS_FILE = "data/plan_foods.toml"


def _source(source_id: str, known: Mapping[str, Source]) -> PortionSource:
    """The source `source_id` of the app's catalogue, as the planner shows it."""
    if source_id not in known:
        raise ValueError(f"unknown source {source_id} (not in content/sources.toml)")
    source = known[source_id]
    return PortionSource(
        key=source.id,
        title=source.title,
        organisation=source.organisation,
        year=source.year,
        url=source.url,
        lang=source.language,
    )


def _portion(entry: Mapping[str, Any], known: Mapping[str, Source]) -> PlanPortion:
    ndb = str(entry.get("ndb", "?"))
    words_nl = tuple(str(w) for w in entry.get("nl", ()))
    words_en = tuple(str(w) for w in entry.get("en", ()))
    cap = int(entry.get("max_portions", 2))
    if not (len(words_nl) == len(words_en) == cap >= 1):
        raise ValueError(f"food {ndb}: nl and en need one entry per portion (max_portions {cap})")
    grams = float(entry.get("grams", 0))
    if not 0 < grams <= 500:
        raise ValueError(f"food {ndb}: grams out of range")
    tags = frozenset(str(t) for t in entry.get("tags", ()))
    if not tags <= TAGS:
        raise ValueError(f"food {ndb}: unknown tags {sorted(tags - TAGS)}")
    if tags & ANIMAL_TAGS:
        tags |= {"animal"}
    source_id = entry.get("source")
    assumption_nl, assumption_en = entry.get("assumption_nl"), entry.get("assumption_en")
    source = None
    if source_id is not None:
        try:
            source = _source(str(source_id), known)
        except ValueError as exc:
            raise ValueError(f"food {ndb}: {exc}") from exc
    elif not (assumption_nl and assumption_en):
        raise ValueError(f"food {ndb}: needs a source or an assumption in both languages")
    return PlanPortion(
        ndb=ndb,
        words_nl=words_nl,
        words_en=words_en,
        grams=grams,
        tags=tags,
        source=source,
        assumption_nl=str(assumption_nl) if assumption_nl else None,
        assumption_en=str(assumption_en) if assumption_en else None,
    )


def parse_plan_foods(
    text: str, known_sources: Mapping[str, Source] | None = None
) -> tuple[PlanPortion, ...]:
    """The candidate portions of a plan-foods file (`DataError` when it is invalid). Each
    `source` is an id of `known_sources` (the app's catalogue, `content/sources.toml`, by
    default); an unknown id is refused."""
    known = sources() if known_sources is None else known_sources
    try:
        data = tomllib.loads(text)
        if "sources" in data:
            # the one catalogue of sources is content/sources.toml: no second list here
            raise ValueError("[sources] tables are not read: cite ids of content/sources.toml")
        portions = tuple(_portion(entry, known) for entry in data.get("food", ()))
        ids = [p.ndb for p in portions]
        if len(set(ids)) != len(ids):
            raise ValueError("a food is listed twice")
    except (ValueError, TypeError) as exc:  # TOMLDecodeError is a ValueError
        raise DataError(Code.PLAN_FILE_INVALID, detail=Foreign(str(exc))) from exc
    return portions


@lru_cache(maxsize=1)
def bundled_plan_portions() -> tuple[PlanPortion, ...]:
    """The bundled candidate portions."""
    text = (resources.files("rugwijzer") / PLAN_FOODS_FILE).read_text(encoding="utf-8")
    return parse_plan_foods(text)


@lru_cache(maxsize=4)
def plan_candidates(database: FoodDatabase) -> tuple[Candidate, ...]:
    """The candidates with magnesium and kcal per portion from `database`. A food missing from
    the data (another data file) is left out; one without values is a `DataError`."""
    found = []
    for portion in bundled_plan_portions():
        try:
            food = database.get(portion.ndb)
        except FoodNotFoundError:
            continue
        found.append(candidate(food, portion))
    return tuple(found)

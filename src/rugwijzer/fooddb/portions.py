"""Loading the bundled Dutch typical portions (`data/portions_nl.toml`), with their sources."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any, cast

from rugwijzer.content import Source, sources
from rugwijzer.domain.portions import DutchPortion, DutchPortions, PortionBasis, PortionFigure
from rugwijzer.domain.text import fold
from rugwijzer.errors import DataError
from rugwijzer.fooddb.household import dutch_measures
from rugwijzer.messages import Code, Foreign

__all__ = ["dutch_portions", "parse_dutch_portions"]

_BASES = ("standard", "estimate", "assumption")
_FIGURE_KEYS = {
    "nl",
    "grams",
    "millilitres",
    "small",
    "large",
    "basis",
    "source",
    "reason",
}


def _number(entry: Mapping[str, Any], key: str) -> float | None:
    if key not in entry:
        return None
    value = entry[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 2000:
        raise ValueError("not a number of grams or millilitres (0-2000)", key)
    return float(value)


def _citation(source: Source) -> str:
    """Who says so, short enough for a line of derivation: the organisation and year (the
    item's source link gives the title and address)."""
    if source.year and source.year != "n.d.":
        return f"{source.organisation} ({source.year})"
    return source.organisation


def _figure(entry: Mapping[str, Any], known: Mapping[str, Source]) -> PortionFigure:
    unknown = set(entry) - _FIGURE_KEYS
    if unknown:
        raise ValueError("unknown fields", sorted(unknown))
    basis = entry.get("basis")
    if basis not in _BASES:
        raise ValueError("basis must be one of", _BASES)
    grams, millilitres = _number(entry, "grams"), _number(entry, "millilitres")
    if (grams is None) == (millilitres is None):
        raise ValueError("a figure needs grams or millilitres (one of them)")
    source_id = str(entry["source"]) if "source" in entry else None
    reason = entry.get("reason")
    citation, citation_lang = None, "en"
    if basis == "assumption":
        if not reason or source_id:
            raise ValueError("an assumption gives a reason and no source")
    else:
        if source_id is None or source_id not in known:
            raise ValueError("unknown source", source_id)
        source = known[source_id]
        citation, citation_lang = _citation(source), source.language
    if not str(entry.get("nl", "")).strip():
        raise ValueError("a figure needs its Dutch name (nl)")
    return PortionFigure(
        name_nl=str(entry["nl"]),
        basis=cast(PortionBasis, basis),
        grams=grams,
        millilitres=millilitres,
        small_grams=_number(entry, "small"),
        large_grams=_number(entry, "large"),
        source_id=source_id,
        citation=citation,
        citation_lang=citation_lang,
        reason=str(reason) if reason else None,
    )


def _names(values: Any) -> frozenset[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise ValueError("names is a list of words")
    return frozenset(fold(value) for value in values)


def _flag(entry: Mapping[str, Any], key: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise ValueError("not true or false", key)
    return value


def _ids(values: Any) -> frozenset[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) and v.isdigit() for v in values):
        raise ValueError("foods and exclude are lists of NDB numbers as strings")
    return frozenset(f"sr24:{value}" for value in values)


def _entry(
    entry: dict[str, Any], known: Mapping[str, Source], measure_names: Mapping[str, str]
) -> DutchPortion:
    key = str(entry.get("key", "?"))
    try:
        figures = {
            name: _figure(entry[name], known) if name in entry else None
            for name in ("portion", "piece", "stukje")
        }
        if not any(figures.values()):
            raise ValueError("an entry needs a portion, a piece or a stukje")
        overrides = entry.get("measures", {})
        if set(overrides) - set(measure_names):
            unknown = sorted(set(overrides) - set(measure_names))
            raise ValueError("unknown household measures", unknown)
        measures = {
            str(name): _figure({"nl": measure_names[name], **figure}, known)
            for name, figure in overrides.items()
        }
        groups = entry.get("groups", [])
        if not isinstance(groups, list):
            raise ValueError("groups is a list of SR food-group codes")
        food_ids = _ids(entry.get("foods", []))
        if not food_ids and not groups:
            raise ValueError("an entry applies to listed foods, groups or both")
        return DutchPortion(
            key=key,
            food_ids=food_ids,
            groups=frozenset(str(g) for g in groups),
            names=_names(entry.get("names", [])),
            exclude=_ids(entry.get("exclude", [])),
            portion=figures["portion"],
            piece=figures["piece"],
            stukje=figures["stukje"],
            measures=measures,
            on_bread=_flag(entry, "on_bread"),
            is_bread=_flag(entry, "is_bread"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        # a developer's problem (the bundled file): the reason stays as Python wrote it
        raise DataError(Code.MEAL_MEASURE_INVALID, key=key, problem=Foreign(str(exc))) from exc


def parse_dutch_portions(
    text: str, known_sources: Mapping[str, Source] | None = None
) -> DutchPortions:
    """Parse the portions file's TOML text; every source must exist in `known_sources` (the
    bundled sources by default)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(Code.MEAL_MEASURES_FILE_INVALID, problem=Foreign(str(exc))) from exc
    known = sources() if known_sources is None else known_sources
    measure_names = {m.key: m.name_nl for m in dutch_measures()}
    entries = [_entry(entry, known, measure_names) for entry in document.get("food", [])]
    keys = [entry.key for entry in entries]
    if len(set(keys)) != len(keys):
        problem = Foreign("duplicate entry keys")
        raise DataError(Code.MEAL_MEASURES_FILE_INVALID, problem=problem)
    return DutchPortions(entries)


@lru_cache(maxsize=1)
def dutch_portions() -> DutchPortions:
    """The bundled Dutch typical portions."""
    path = resources.files("rugwijzer") / "data" / "portions_nl.toml"
    return parse_dutch_portions(path.read_text(encoding="utf-8"))

"""Loading the bundled reference-value tables (`data/reference_values_*.toml`)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from rugwijzer.domain.references import ReferenceRow, ReferenceTable
from rugwijzer.domain.supplements import (
    FormCatalogue,
    GradedNote,
    Interaction,
    SupplementForm,
)
from rugwijzer.domain.text import fold
from rugwijzer.errors import DataError
from rugwijzer.messages import Code, Foreign

__all__ = [
    "ReferenceData",
    "load_reference_data",
    "medicine_interactions",
    "parse_reference_tables",
    "supplement_catalogue",
]

_UNITS = {"_mg": "mg", "_ug": "µg"}


def _unit(nutrient: str) -> str:
    for suffix, unit in _UNITS.items():
        if nutrient.endswith(suffix):
            return unit
    raise DataError(
        Code.DATA_CORRUPT, detail=Foreign(f"reference table: unknown unit for {nutrient!r}")
    )


def _table(
    entry: dict[str, Any], *, nutrient: str | None = None, kind: str | None = None
) -> ReferenceTable:
    name = nutrient or entry.get("nutrient", "?")
    try:
        rows = tuple(
            ReferenceRow(
                age_from=float(row["age_from"]),
                age_to=float(row["age_to"]),
                sex=row.get("sex", "any"),
                value=float(row["value"]),
                kind=row.get("kind"),
                life_stage=row.get("life_stage"),
                source=row.get("source"),
            )
            for row in entry["rows"]
        )
        for row in rows:
            if (
                row.sex not in ("any", "female", "male")
                or row.life_stage not in (None, "pregnancy", "lactation")
                or not 0 <= row.age_from < row.age_to
                or row.value < 0
            ):
                raise ValueError(f"invalid row {row}")
        return ReferenceTable(
            nutrient=str(name),
            system=str(entry["system"]),
            kind=str(kind or entry["kind"]),
            unit=_unit(str(name)),
            source=str(entry["source"]),
            status=str(entry["status"]),
            rows=rows,
            note=entry.get("note"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        detail = f"reference table {name} ({entry.get('system')}): {exc}"
        raise DataError(Code.DATA_CORRUPT, detail=Foreign(detail)) from exc


def parse_reference_tables(text: str) -> tuple[list[ReferenceTable], list[ReferenceTable]]:
    """Intake tables and supplemental upper-limit tables from one TOML text."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(Code.DATA_CORRUPT, detail=Foreign(f"reference values: {exc}")) from exc
    tables = [_table(entry) for entry in document.get("table", [])]
    limits = [
        _table(entry, nutrient="magnesium_supplement_mg", kind="UL")
        for entry in document.get("upper_limit", [])
    ]
    return tables, limits


class ReferenceData:
    """All reference tables, by (nutrient, system)."""

    def __init__(self, tables: list[ReferenceTable], upper_limits: list[ReferenceTable]) -> None:
        self.tables = {(t.nutrient, t.system): t for t in tables}
        self.upper_limits = {t.system: t for t in upper_limits}

    def table(self, nutrient: str, system: str) -> ReferenceTable | None:
        """The table of `nutrient` in `system`, if the bundled data has one."""
        return self.tables.get((nutrient, system))


@lru_cache(maxsize=1)
def load_reference_data() -> ReferenceData:
    """The bundled reference tables."""
    folder = resources.files("rugwijzer") / "data"
    tables: list[ReferenceTable] = []
    limits: list[ReferenceTable] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("reference_values_") and entry.name.endswith(".toml"):
            found, found_limits = parse_reference_tables(entry.read_text(encoding="utf-8"))
            tables.extend(found)
            limits.extend(found_limits)
    return ReferenceData(tables, limits)


def _note(entry: dict[str, Any]) -> GradedNote:
    return GradedNote(entry["en"], entry["nl"], entry["grade"], tuple(entry["sources"]))


@lru_cache(maxsize=1)
def supplement_catalogue() -> FormCatalogue:
    """The bundled magnesium supplement forms."""
    text = (resources.files("rugwijzer") / "data" / "supplement_forms.toml").read_text(
        encoding="utf-8"
    )
    try:
        forms = [
            SupplementForm(
                key=entry["key"],
                group=entry["group"],
                names=tuple(entry["names"]),
                name_en=entry["name_en"],
                name_nl=entry["name_nl"],
                formula=entry["formula"],
                absorption=_note(entry["absorption"]),
                tolerance=_note(entry["tolerance"]),
                published_percent=entry.get("published_percent"),
                published_sources=tuple(entry.get("published_sources", ())),
            )
            for entry in tomllib.loads(text)["form"]
        ]
    except (KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise DataError(Code.DATA_CORRUPT, detail=Foreign(f"supplement forms: {exc!r}")) from exc
    return FormCatalogue(forms)


@lru_cache(maxsize=1)
def medicine_interactions() -> tuple[Interaction, ...]:
    """The bundled medicine interactions."""
    path = resources.files("rugwijzer") / "data" / "medicine_interactions.toml"
    try:
        return tuple(
            Interaction(
                key=entry["key"],
                kind=entry["kind"],
                names=tuple(fold(name) for name in entry["names"]),
                advice=_note(entry),
                overrides=tuple(entry.get("overrides", ())),
            )
            for entry in tomllib.loads(path.read_text(encoding="utf-8"))["interaction"]
        )
    except (KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise DataError(
            Code.DATA_CORRUPT, detail=Foreign(f"medicine interactions: {exc!r}")
        ) from exc

"""The food data file: provenance, nutrient columns and one food per line, as JSON.

Layout (format 1)::

    {"format": 1,
     "provenance": {"dataset": ..., "release": ..., "licence": ..., "source_file": ...,
                    "source_sha256": ..., "build_tool": ..., "food_count": ...},
     "nutrients": ["energy_kcal", ...],
     "foods": [
      {"id": "sr24:12061", "source_id": "12061", "ndb": "12061", "name_en": "Nuts, almonds",
       "group": "12", "per_100g": [575.0, ..., null], "measures": [[1.0, "cup, whole", 143.0]]},
      {"id": "nevo:1234", ..., "name_nl": "Brood volkoren", "synonyms_nl": ["..."],
       "note": "..."},
      ...
     ]}

`per_100g` follows the order of `nutrients`; null means the source has no value. `name_nl`,
`synonyms_nl` and `note` appear only for datasets that have them (NEVO), so older readers and
the bundled SR24 file are unaffected. Writing is
deterministic: the same records give byte-identical output (no timestamps, sorted foods).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

from rugwijzer.domain.foods import HouseholdMeasure
from rugwijzer.domain.nutrients import Nutrient, NutrientAmounts
from rugwijzer.errors import DataError
from rugwijzer.fooddb.records import FoodRecord
from rugwijzer.messages import Code, Foreign

__all__ = ["FORMAT_VERSION", "Provenance", "dump_data_file", "load_data_file", "write_data_file"]

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a data file's numbers come from and how it was made."""

    dataset: str
    release: str
    publisher: str
    licence: str
    source_file: str
    source_sha256: str
    build_tool: str
    id_prefix: str
    food_count: int

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return asdict(self)


def _food_line(record: FoodRecord, id_prefix: str, columns: Sequence[Nutrient]) -> str:
    row: dict[str, Any] = {
        "id": f"{id_prefix}:{record.source_id}",
        "source_id": record.source_id,
        "ndb": record.ndb,
        "name_en": record.name_en,
        "group": record.group_code,
        "per_100g": [record.per_100g.get(n) for n in columns],
        "measures": [[m.amount, m.name, m.grams] for m in record.measures],
    }
    # Only datasets with their own Dutch names write these keys, so SR24 files stay as they were.
    if record.name_nl:
        row["name_nl"] = record.name_nl
    if record.synonyms_nl:
        row["synonyms_nl"] = list(record.synonyms_nl)
    if record.note:
        row["note"] = record.note
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def dump_data_file(records: Iterable[FoodRecord], provenance: Provenance) -> str:
    """The data file's text for `records` (sorted by source id)."""
    columns = list(Nutrient)
    ordered = sorted(records, key=lambda r: r.source_id)
    if len(ordered) != provenance.food_count:
        detail = f"provenance says {provenance.food_count} foods, got {len(ordered)}"
        raise DataError(Code.DATA_CORRUPT, detail=Foreign(detail))
    header = json.dumps(provenance.as_dict(), ensure_ascii=False, sort_keys=True)
    lines = [
        "{",
        f'"format":{FORMAT_VERSION},',
        f'"provenance":{header},',
        f'"nutrients":{json.dumps([n.value for n in columns])},',
        '"foods":[',
        ",\n".join(_food_line(r, provenance.id_prefix, columns) for r in ordered),
        "]}",
    ]
    return "\n".join(lines) + "\n"


def write_data_file(path: Path, records: Iterable[FoodRecord], provenance: Provenance) -> None:
    """Write the data file atomically (a half-written file never replaces a good one)."""
    text = dump_data_file(records, provenance)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def load_data_file(text: str) -> tuple[Provenance, list[FoodRecord]]:
    """Parse a data file's text into its provenance and records."""
    try:
        # orjson parses the 2.5 MB file in about half the time of the standard library.
        document = orjson.loads(text)
        if document.get("format") != FORMAT_VERSION:
            detail = f"unsupported food data format {document.get('format')!r}"
            raise DataError(Code.DATA_CORRUPT, detail=Foreign(detail))
        provenance = Provenance(**document["provenance"])
        columns = [Nutrient(name) for name in document["nutrients"]]
        in_order = columns == list(Nutrient)

        def amounts(row: list[float | None]) -> NutrientAmounts:
            if in_order:
                return NutrientAmounts.from_row(row)
            # A file written with another column order: remap by name.
            return NutrientAmounts(
                {n: v for n, v in zip(columns, row, strict=True) if v is not None}
            )

        records = [
            FoodRecord(
                source_id=row["source_id"],
                ndb=row.get("ndb"),
                name_en=row["name_en"],
                group_code=row["group"],
                per_100g=amounts(row["per_100g"]),
                measures=tuple(HouseholdMeasure(a, name, g) for a, name, g in row["measures"]),
                name_nl=row.get("name_nl"),
                synonyms_nl=tuple(row.get("synonyms_nl", ())),
                note=row.get("note"),
            )
            for row in document["foods"]
        ]
    except (KeyError, TypeError, ValueError, orjson.JSONDecodeError) as exc:
        raise DataError(
            Code.DATA_CORRUPT, detail=Foreign(f"corrupt food data file: {exc!r}")
        ) from exc
    return provenance, records

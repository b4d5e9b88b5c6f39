"""Reader for USDA SR release 24 as shipped in Debian's `cronometer` package.

`usr/share/cronometer/usda_sr24.jar` is a zip archive with one XML file per food,
`usda_sr24/NNNNN.xml`, named by the 5-digit NDB number:

    <food uid="12061" name="Nuts, almonds" ...>
      <measure amount="1.0" name="oz (23 whole kernels)" grams="28.35"/>
      <nutrient amount="268.0" name="Magnesium"/>

Nutrient amounts are per 100 g edible portion in SR units (kcal, g, mg; vitamin D in IU).
A nutrient without a `<nutrient>` element has no value in SR24; it stays missing.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from rugwijzer.domain.foods import HouseholdMeasure
from rugwijzer.domain.nutrients import Nutrient, NutrientAmounts
from rugwijzer.errors import DataError, ImportFormatError
from rugwijzer.fooddb.records import FoodRecord, validate_nutrient_amount
from rugwijzer.messages import Code, Foreign

__all__ = [
    "SR24_DATASET",
    "SR24_FOOD_COUNT",
    "SR24_LICENCE",
    "SR24_NUTRIENT_NAMES",
    "file_sha256",
    "parse_food_xml",
    "read_sr24_jar",
]

SR24_DATASET = "USDA SR24"
SR24_LICENCE = "Public domain (U.S. Government work, USDA Agricultural Research Service)"
#: Number of foods in SR24 (USDA SR24 documentation; also the number of XML files in the jar).
SR24_FOOD_COUNT = 8858

#: Names of the `<nutrient>` elements in cronometer's SR24 XML and the nutrient each one holds.
#: Units follow SR24: Energy in kcal (SR nutrient 208), Vitamin D in IU (SR nutrient 324).
SR24_NUTRIENT_NAMES: Mapping[str, Nutrient] = {
    "Energy": Nutrient.ENERGY_KCAL,
    "Protein": Nutrient.PROTEIN_G,
    "Fat": Nutrient.FAT_G,
    "Carbs": Nutrient.CARBOHYDRATE_G,
    "Sugars": Nutrient.SUGARS_G,
    "Fiber": Nutrient.FIBRE_G,
    "Water": Nutrient.WATER_G,
    "Alcohol": Nutrient.ALCOHOL_G,
    "Magnesium": Nutrient.MAGNESIUM_MG,
    "Calcium": Nutrient.CALCIUM_MG,
    "Potassium": Nutrient.POTASSIUM_MG,
    "Phosphorus": Nutrient.PHOSPHORUS_MG,
    "Sodium": Nutrient.SODIUM_MG,
    "Iron": Nutrient.IRON_MG,
    "Zinc": Nutrient.ZINC_MG,
    "Vitamin D": Nutrient.VITAMIN_D_IU,
}

_MEMBER = re.compile(r"^usda_sr24/(\d{5})\.xml$")


def _number(raw: str | None, *, where: str) -> float:
    try:
        return float(raw) if raw is not None else float("nan")
    except ValueError as exc:
        raise DataError(Code.DATA_IMPORT_NOT_A_NUMBER, where=where, value=str(raw)) from exc


def parse_food_xml(content: bytes, *, ndb: str) -> FoodRecord:
    """Parse one SR24 food XML document into a validated record."""
    where = f"SR24 food {ndb}"
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise ImportFormatError(
            Code.DATA_IMPORT_UNREADABLE, path=where, detail=Foreign(f"malformed XML: {exc}")
        ) from exc
    if root.tag != "food" or root.get("uid") != ndb or not root.get("name"):
        detail = Foreign(f"expected <food uid={ndb!r} name=...>")
        raise ImportFormatError(Code.DATA_IMPORT_UNREADABLE, path=where, detail=detail)
    per_100g: dict[Nutrient, float] = {}
    for element in root.iterfind("nutrient"):
        nutrient = SR24_NUTRIENT_NAMES.get(element.get("name", ""))
        if nutrient is not None:
            amount = _number(element.get("amount"), where=where)
            per_100g[nutrient] = validate_nutrient_amount(nutrient, amount, where=where)
    measures: list[HouseholdMeasure] = []
    for element in root.iterfind("measure"):
        amount = _number(element.get("amount"), where=where)
        grams = _number(element.get("grams"), where=where)
        name = (element.get("name") or "").strip()
        if not name or not amount > 0 or not grams > 0:
            problem = f"{where}: invalid measure {ET.tostring(element)!r}"
            raise DataError(Code.DATA_CORRUPT, detail=Foreign(problem))
        measures.append(HouseholdMeasure(amount=amount, name=name, grams=grams))
    return FoodRecord(
        source_id=ndb,
        ndb=ndb,
        name_en=str(root.get("name")).strip(),
        group_code=ndb[:2],
        per_100g=NutrientAmounts(per_100g),
        measures=tuple(measures),
    )


def read_sr24_jar(
    path: Path, *, on_progress: Callable[[int, int], None] | None = None
) -> Iterator[FoodRecord]:
    """Yield every food of the SR24 jar in NDB order. `on_progress(done, total)` is called
    after each food, for progress bars."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        detail = Foreign(f"not a readable SR24 jar: {exc}")
        raise ImportFormatError(Code.DATA_IMPORT_UNREADABLE, path=str(path), detail=detail) from exc
    with archive:
        members = sorted(
            (match.group(1), name)
            for name in archive.namelist()
            if (match := _MEMBER.match(name)) is not None
        )
        if not members:
            raise ImportFormatError(Code.DATA_IMPORT_NO_FOODS, path=str(path))
        for done, (ndb, name) in enumerate(members, start=1):
            yield parse_food_xml(archive.read(name), ndb=ndb)
            if on_progress is not None:
                on_progress(done, len(members))


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, for provenance records."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

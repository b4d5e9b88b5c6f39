"""Importer for USDA FoodData Central CSV downloads (SR Legacy, Foundation Foods).

Reads `food.csv`, `nutrient.csv`, `food_nutrient.csv`, `food_portion.csv` and
`measure_unit.csv`, plus `sr_legacy_food.csv` (FDC id → SR NDB number, so Rugwijzer's Dutch
names still apply) and `food_category.csv` when present. Columns are read by header name, since
some releases have fewer trailing columns. Amounts are per 100 g, as published.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from rugwijzer import __version__
from rugwijzer.domain.foods import HouseholdMeasure
from rugwijzer.domain.nutrients import VITAMIN_D_IU_PER_UG, Nutrient, NutrientAmounts
from rugwijzer.errors import DataError, ImportFormatError
from rugwijzer.fooddb.datafile import Provenance, write_data_file
from rugwijzer.fooddb.records import FoodRecord, validate_nutrient_amount
from rugwijzer.fooddb.sr24 import file_sha256
from rugwijzer.messages import Code

__all__ = ["FDC_NUTRIENT_IDS", "import_fdc_folder", "read_fdc_folder"]

FDC_LICENCE = "Public domain (CC0 1.0), USDA Agricultural Research Service, FoodData Central"

#: FoodData Central `nutrient.id` → tracked nutrient, amounts per 100 g (FDC nutrient list;
#: the SR `nutrient_nbr` is in brackets). Energy and vitamin D have fallbacks below.
FDC_NUTRIENT_IDS: Mapping[int, Nutrient] = {
    1008: Nutrient.ENERGY_KCAL,  # Energy, kcal [208]
    1003: Nutrient.PROTEIN_G,  # Protein [203]
    1004: Nutrient.FAT_G,  # Total lipid (fat) [204]
    1005: Nutrient.CARBOHYDRATE_G,  # Carbohydrate, by difference [205]
    2000: Nutrient.SUGARS_G,  # Sugars, total including NLEA [269]
    1079: Nutrient.FIBRE_G,  # Fiber, total dietary [291]
    1051: Nutrient.WATER_G,  # Water [255]
    1018: Nutrient.ALCOHOL_G,  # Alcohol, ethyl [221]
    1090: Nutrient.MAGNESIUM_MG,  # Magnesium, Mg [304]
    1087: Nutrient.CALCIUM_MG,  # Calcium, Ca [301]
    1092: Nutrient.POTASSIUM_MG,  # Potassium, K [306]
    1091: Nutrient.PHOSPHORUS_MG,  # Phosphorus, P [305]
    1093: Nutrient.SODIUM_MG,  # Sodium, Na [307]
    1089: Nutrient.IRON_MG,  # Iron, Fe [303]
    1095: Nutrient.ZINC_MG,  # Zinc, Zn [309]
    1110: Nutrient.VITAMIN_D_IU,  # Vitamin D (D2 + D3), International Units [324]
}
#: Foundation Foods often give energy only by Atwater factors: general (2047) or specific (2048).
_ENERGY_FALLBACK_IDS = (2048, 2047)
#: Vitamin D (D2 + D3) in µg [328]; converted to IU when no IU value is given.
_VITAMIN_D_UG_ID = 1114
#: `measure_unit.id` meaning "undetermined": the household wording is then in `modifier`.
_UNDETERMINED_UNIT = "9999"

_REQUIRED = {
    "food.csv": ("fdc_id", "description"),
    "nutrient.csv": ("id", "name", "unit_name"),
    "food_nutrient.csv": ("fdc_id", "nutrient_id", "amount"),
    "food_portion.csv": ("fdc_id", "amount", "measure_unit_id", "gram_weight"),
    "measure_unit.csv": ("id", "name"),
}


def _rows(folder: Path, name: str, required: tuple[str, ...] = ()) -> Iterator[dict[str, str]]:
    path = folder / name
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError as exc:
        raise ImportFormatError(Code.DATA_IMPORT_MISSING_FILE, path=str(path)) from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportFormatError(
                Code.DATA_IMPORT_MISSING_COLUMNS, path=str(path), columns=tuple(missing)
            )
        yield from reader


def _float(value: str, *, where: str) -> float:
    try:
        return float(value)
    except ValueError as exc:
        raise ImportFormatError(Code.DATA_IMPORT_NOT_A_NUMBER, where=where, value=value) from exc


def _dataset_name(data_types: set[str]) -> str:
    if data_types == {"sr_legacy_food"}:
        return "USDA FDC SR Legacy"
    if data_types == {"foundation_food"}:
        return "USDA FDC Foundation Foods"
    return "USDA FDC (" + ", ".join(sorted(data_types)) + ")"


def read_fdc_folder(
    folder: Path, *, on_progress: Callable[[int, int], None] | None = None
) -> tuple[str, list[FoodRecord]]:
    """Read a FoodData Central CSV folder into records; returns (dataset name, records)."""
    foods = {row["fdc_id"]: row for row in _rows(folder, "food.csv", _REQUIRED["food.csv"])}
    if not foods:
        raise ImportFormatError(Code.DATA_IMPORT_NO_FOODS, path=str(folder / "food.csv"))
    ndb_by_fdc: dict[str, str] = {}
    if (folder / "sr_legacy_food.csv").exists():
        for row in _rows(folder, "sr_legacy_food.csv", ("fdc_id", "NDB_number")):
            ndb_by_fdc[row["fdc_id"]] = row["NDB_number"].strip().zfill(5)
    category_codes: dict[str, str] = {}
    if (folder / "food_category.csv").exists():
        for row in _rows(folder, "food_category.csv", ("id", "code")):
            category_codes[row["id"]] = row["code"].strip().zfill(4)[:2]
    units = {
        row["id"]: row["name"]
        for row in _rows(folder, "measure_unit.csv", _REQUIRED["measure_unit.csv"])
    }

    amounts: dict[str, dict[int, float]] = {fdc_id: {} for fdc_id in foods}
    for row in _rows(folder, "food_nutrient.csv", _REQUIRED["food_nutrient.csv"]):
        per_food = amounts.get(row["fdc_id"])
        if per_food is None or not row["amount"].strip():
            continue
        nutrient_id = int(_float(row["nutrient_id"], where="food_nutrient.csv nutrient_id"))
        per_food[nutrient_id] = _float(
            row["amount"], where=f"food_nutrient.csv fdc_id {row['fdc_id']}"
        )

    measures: dict[str, list[HouseholdMeasure]] = {fdc_id: [] for fdc_id in foods}
    for row in _rows(folder, "food_portion.csv", _REQUIRED["food_portion.csv"]):
        if row["fdc_id"] not in measures:
            continue
        where = f"food_portion.csv fdc_id {row['fdc_id']}"
        amount = _float(row["amount"] or "1", where=where)
        grams = _float(row["gram_weight"], where=where)
        unit = units.get(row["measure_unit_id"], "")
        description = (row.get("portion_description") or "").strip()
        modifier = (row.get("modifier") or "").strip()
        if description:
            name = description
        elif row["measure_unit_id"] == _UNDETERMINED_UNIT or not unit or unit == "undetermined":
            name = modifier
        else:
            name = f"{unit}, {modifier}" if modifier else unit
        if name and amount > 0 and grams > 0:
            measures[row["fdc_id"]].append(HouseholdMeasure(amount=amount, name=name, grams=grams))

    records: list[FoodRecord] = []
    for done, (fdc_id, food) in enumerate(sorted(foods.items()), start=1):
        where = f"FDC food {fdc_id}"
        found = amounts[fdc_id]
        per_100g: dict[Nutrient, float] = {}
        for nutrient_id, nutrient in FDC_NUTRIENT_IDS.items():
            if nutrient_id in found:
                per_100g[nutrient] = validate_nutrient_amount(
                    nutrient, found[nutrient_id], where=where
                )
        if Nutrient.ENERGY_KCAL not in per_100g:
            for fallback in _ENERGY_FALLBACK_IDS:
                if fallback in found:
                    per_100g[Nutrient.ENERGY_KCAL] = validate_nutrient_amount(
                        Nutrient.ENERGY_KCAL, found[fallback], where=where
                    )
                    break
        if Nutrient.VITAMIN_D_IU not in per_100g and _VITAMIN_D_UG_ID in found:
            per_100g[Nutrient.VITAMIN_D_IU] = validate_nutrient_amount(
                Nutrient.VITAMIN_D_IU, found[_VITAMIN_D_UG_ID] * VITAMIN_D_IU_PER_UG, where=where
            )
        ndb = ndb_by_fdc.get(fdc_id)
        group = category_codes.get(food.get("food_category_id", ""), ndb[:2] if ndb else "other")
        records.append(
            FoodRecord(
                source_id=fdc_id,
                ndb=ndb,
                name_en=food["description"].strip(),
                group_code=group,
                per_100g=NutrientAmounts(per_100g),
                measures=tuple(measures[fdc_id]),
            )
        )
        if on_progress is not None:
            on_progress(done, len(foods))
    data_types = {f.get("data_type", "") or "unknown" for f in foods.values()}
    return _dataset_name(data_types), records


def import_fdc_folder(
    folder: Path, out: Path, *, on_progress: Callable[[int, int], None] | None = None
) -> Provenance:
    """Import a FoodData Central CSV folder and write a Rugwijzer food data file to `out`."""
    dataset, records = read_fdc_folder(folder, on_progress=on_progress)
    if not records:
        raise DataError(Code.DATA_IMPORT_NO_FOODS, path=str(folder))
    provenance = Provenance(
        dataset=dataset,
        release="FoodData Central CSV download",
        publisher="U.S. Department of Agriculture, Agricultural Research Service",
        licence=FDC_LICENCE,
        source_file=f"{folder.name}/food_nutrient.csv",
        source_sha256=file_sha256(folder / "food_nutrient.csv"),
        build_tool=f"rugwijzer {__version__} (rugwijzer foods import-fdc)",
        id_prefix="fdc",
        food_count=len(records),
    )
    write_data_file(out, records, provenance)
    return provenance

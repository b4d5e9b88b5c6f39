"""Importer for the Dutch food composition table NEVO-online (RIVM), from the user's own copy.

RIVM publishes NEVO-online as a download (https://www.rivm.nl/en/dutch-food-composition-database)
under its own conditions of use, so Rugwijzer does not ship it: the user downloads the CSV and
runs `rugwijzer foods import-nevo FILE`. The layout read here is the *wide* CSV
(`NEVO2023_8.0.csv`, `NEVO2025_v9.0.csv`): one food per line, `|` between fields, decimal
commas, UTF-8 (often with a byte-order mark), an empty field where NEVO has no value. The
first eleven columns describe the food (`NEVO-versie/NEVO-version`, `Voedingsmiddelgroep`,
`Food group`, `NEVO-code`, `Voedingsmiddelnaam/Dutch food name`, `Engelse naam/Food name`,
`Synoniem`, `Hoeveelheid/Quantity`, `Opmerking`, `Bevat sporen van/Contains traces of`,
`Is verrijkt met/Is fortified with`); every further column is one component named
"CODE (unit)", e.g. `ENERCC (kcal)`, `MG (mg)`, `VITD (µg)`. docs/nevo.md says where this
layout was seen. Columns are found by name, not position, and names are compared without
case, quotes and extra spaces, so the 2023 and 2025 headers both read.

The whole file is checked before anything is written: a missing column stops at once; every
bad line (a field that is not a number, an empty or repeated NEVO code, a wrong field count) is
collected and reported with its line number and column, and nothing is imported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rugwijzer import __version__
from rugwijzer.domain.nutrients import VITAMIN_D_IU_PER_UG, Nutrient, NutrientAmounts
from rugwijzer.errors import DataError, InvalidInputError, InvalidRowsError
from rugwijzer.fooddb.datafile import Provenance, write_data_file
from rugwijzer.fooddb.records import FoodRecord, validate_nutrient_amount
from rugwijzer.messages import Code, Message

__all__ = [
    "NEVO_DATASET",
    "NEVO_DATA_FILE_NAME",
    "NEVO_GROUPS",
    "NEVO_ID_PREFIX",
    "NEVO_NUTRIENT_COLUMNS",
    "NevoFile",
    "import_nevo_file",
    "nevo_data_file",
    "read_nevo_file",
    "remove_nevo_data_file",
]

NEVO_DATASET = "NEVO-online"
NEVO_ID_PREFIX = "nevo"
NEVO_PUBLISHER = "RIVM (National Institute for Public Health and the Environment), Bilthoven"
#: Not a licence grant: a reminder of whose data it is and that it stays on this machine.
NEVO_LICENCE = (
    "NEVO-online, RIVM, Bilthoven; used under RIVM's conditions of use for NEVO-online. "
    "Imported by the user from their own download; Rugwijzer does not redistribute it."
)
#: The imported data file, in the user's data directory (reference data, not health data).
NEVO_DATA_FILE_NAME = "foods_nevo.json"

#: Refuse files larger than this before reading them (the full 2025 file is about 2 MB).
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Problems listed at most; a file with more is refused with the count and the first ones.
MAX_LISTED_PROBLEMS = 50


@dataclass(frozen=True, slots=True)
class _Column:
    """A descriptive column: its canonical name and the header spellings that mean it."""

    name: str
    spellings: tuple[str, ...]


# Descriptive columns, as headed in NEVO2023_8.0.csv and NEVO2025_v9.0.csv (the short forms
# cover exports with a one-language header).
_CODE = _Column("NEVO-code", ("NEVO-code", "NEVO code"))
_NAME_NL = _Column(
    "Voedingsmiddelnaam/Dutch food name",
    ("Voedingsmiddelnaam/Dutch food name", "Voedingsmiddelnaam"),
)
_NAME_EN = _Column(
    "Engelse naam/Food name", ("Engelse naam/Food name", "Engelse naam", "Food name")
)
_GROUP_NL = _Column("Voedingsmiddelgroep", ("Voedingsmiddelgroep",))
_GROUP_EN = _Column("Food group", ("Food group",))
_VERSION = _Column(
    "NEVO-versie/NEVO-version", ("NEVO-versie/NEVO-version", "NEVO-versie", "NEVO-version")
)
_SYNONYM = _Column("Synoniem", ("Synoniem", "Synoniem/Synonym"))
_QUANTITY = _Column("Hoeveelheid/Quantity", ("Hoeveelheid/Quantity", "Hoeveelheid"))

_REQUIRED_COLUMNS = (_CODE, _NAME_NL, _NAME_EN, _GROUP_NL)
_OPTIONAL_COLUMNS = (_GROUP_EN, _VERSION, _SYNONYM, _QUANTITY)

#: NEVO component code → (tracked nutrient, the unit NEVO gives it in, factor to our unit).
#: Codes and units as in the NEVO header (INFOODS tagnames); all per 100 g (or 100 ml).
#: CHO is NEVO's "carbohydrate available" (SR24 gives carbohydrate by difference, which also
#: holds fibre), so NEVO carbohydrate runs a little lower than SR24 for the same food.
NEVO_NUTRIENT_COLUMNS: Mapping[str, tuple[Nutrient, str, float]] = {
    "ENERCC": (Nutrient.ENERGY_KCAL, "kcal", 1.0),
    "PROT": (Nutrient.PROTEIN_G, "g", 1.0),
    "FAT": (Nutrient.FAT_G, "g", 1.0),
    "CHO": (Nutrient.CARBOHYDRATE_G, "g", 1.0),
    "SUGAR": (Nutrient.SUGARS_G, "g", 1.0),
    "FIBT": (Nutrient.FIBRE_G, "g", 1.0),
    "WATER": (Nutrient.WATER_G, "g", 1.0),
    "ALC": (Nutrient.ALCOHOL_G, "g", 1.0),
    "MG": (Nutrient.MAGNESIUM_MG, "mg", 1.0),
    "CA": (Nutrient.CALCIUM_MG, "mg", 1.0),
    "K": (Nutrient.POTASSIUM_MG, "mg", 1.0),
    "P": (Nutrient.PHOSPHORUS_MG, "mg", 1.0),
    "NA": (Nutrient.SODIUM_MG, "mg", 1.0),
    "FE": (Nutrient.IRON_MG, "mg", 1.0),
    "ZN": (Nutrient.ZINC_MG, "mg", 1.0),
    # NEVO gives vitamin D in µg; Rugwijzer keeps IU (1 µg = 40 IU, see nutrients.py).
    "VITD": (Nutrient.VITAMIN_D_IU, "µg", VITAMIN_D_IU_PER_UG),
}

#: NEVO food group (Dutch name, or English name) → Rugwijzer's group code (the USDA SR food
#: group, domain/foods.py), only where the NEVO group falls inside one SR group. Groups that
#: straddle several SR groups (meat and poultry, meat and dairy substitutes, savoury spreads,
#: foods for special nutritional use, miscellaneous) stay "other". Dutch household measures
#: and portion rules that apply per group then apply to NEVO foods too.
NEVO_GROUPS: Mapping[str, str] = {
    "aardappelen en knolgewassen": "11",  # SR files potatoes under vegetables (1100)
    "potatoes and tubers": "11",
    "groente": "11",
    "groenten": "11",
    "vegetables": "11",
    "fruit": "09",
    "fruits": "09",
    "brood": "18",
    "bread": "18",
    "gebak en koek": "18",
    "pastry and biscuits": "18",
    "graanproducten en meelsoorten": "20",
    "cereal products and types of flour": "20",
    "eieren": "01",
    "eggs": "01",
    "kaas": "01",
    "cheese": "01",
    "melk en melkproducten": "01",
    "milk and milk products": "01",
    "vleeswaren": "07",
    "cold meat cuts": "07",
    "vis, schaal- en schelpdieren": "15",
    "fish, crustacean and shellfish": "15",
    "peulvruchten": "16",
    "legumes": "16",
    "noten en zaden": "12",
    "nuts and seeds": "12",
    "vetten en oliën": "04",
    "fats and oils": "04",
    "kruiden en specerijen": "02",
    "herbs and spices": "02",
    "niet-alcoholische dranken": "14",
    "non-alcoholic beverages": "14",
    "alcoholische dranken": "14",  # SR group 1400 holds alcoholic beverages too
    "alcoholic beverages": "14",
    "suiker, snoep, zoet beleg en zoete sauzen": "19",
    "sugar, sweets and sweet sauces": "19",
    "hartige snacks en zoutjes": "25",
    "soepen": "06",
    "soups": "06",
    "samengestelde gerechten": "22",
    "mixed dishes": "22",
}
_OTHER_GROUP = "other"

#: How NEVO marks a trace ("spoor"): present, too little to quantify. Read as 0, which is how
#: NEVO's own long-format details file stores a trace (value 0 with the flag "TR").
_TRACE_WORDS = frozenset({"sp", "sp.", "spoor", "tr", "tr.", "trace"})
_NUMBER = re.compile(r"^-?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")
_COMPONENT_HEADER = re.compile(r"^(?P<code>[^()\s]+)\s*\((?P<unit>[^()]+)\)$")
_RELEASE_IN_FILE_NAME = re.compile(r"NEVO[_ -]?(?P<year>20\d\d)[_ -]*v?(?P<version>\d+(?:\.\d+)?)")
_PER_100_ML = re.compile(r"100\s*ml", re.IGNORECASE)
_PER_100_ML_NOTE = (
    "NEVO gives this food per 100 ml; Rugwijzer reads the values as per 100 g (1 ml taken as 1 g)."
)


def _normal(header: str) -> str:
    """A header as compared: without a byte-order mark, quotes, case and repeated spaces."""
    return " ".join(header.replace("\ufeff", "").strip().strip('"').split()).casefold()


def _unit(text: str) -> str:
    # The micro sign (U+00B5) and the Greek mu (U+03BC) both occur; "ug" is the ASCII form.
    unit = text.strip().replace("\u03bc", "µ").casefold()
    return "µg" if unit == "ug" else unit


@dataclass(frozen=True, slots=True)
class NevoFile:
    """What a NEVO file held: its foods (validated), the release it names and the counts."""

    records: tuple[FoodRecord, ...]
    release: str
    traces: int
    per_100_ml: int


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidInputError(
                Code.NEVO_FILE_TOO_LARGE, path=str(path), maximum_mb=MAX_FILE_BYTES // 2**20
            )
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InvalidInputError(Code.FILE_NOT_FOUND, path=str(path)) from exc
    except IsADirectoryError as exc:
        raise InvalidInputError(Code.FILE_IS_DIRECTORY, path=str(path)) from exc
    except PermissionError as exc:
        raise InvalidInputError(Code.FILE_NO_PERMISSION, path=str(path)) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # A copy saved again from a spreadsheet program may be in Windows-1252 (µ is 0xB5).
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(Code.NEVO_NOT_TEXT, path=str(path)) from exc


def _release(values: Iterable[str], path: Path) -> str:
    """The release the file names in its version column, else one read from its file name."""
    named = sorted({v.strip() for v in values if v.strip()})
    if named:
        return " / ".join(named)
    match = _RELEASE_IN_FILE_NAME.search(path.name)
    if match:
        return f"NEVO-online {match['year']} {match['version']}"
    return f"unknown release (file {path.name})"


def read_nevo_file(
    path: Path, *, on_progress: Callable[[int, int], None] | None = None
) -> NevoFile:
    """Read and check a whole NEVO-online CSV; raises before returning anything wrong.

    Raises `InvalidInputError` for an unreadable file or missing columns (named), and
    `InvalidRowsError` listing every bad line (line number, column, value)."""
    text = _read_text(path)
    lines = text.splitlines()
    total = max(0, len(lines) - 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="|", quotechar='"')
    header = next(reader, None)
    if not header or not any(field.strip() for field in header):
        raise InvalidInputError(Code.NEVO_FILE_EMPTY, path=str(path))
    positions: dict[str, int] = {}
    for index, heading in enumerate(header):
        positions.setdefault(_normal(heading), index)

    def find(column: _Column) -> int | None:
        for spelling in column.spellings:
            found = positions.get(_normal(spelling))
            if found is not None:
                return found
        return None

    columns: dict[str, int | None] = {c.name: find(c) for c in _REQUIRED_COLUMNS}
    columns.update({c.name: find(c) for c in _OPTIONAL_COLUMNS})
    missing = [name for name, at in columns.items() if at is None and name in _required_names()]

    components: dict[str, tuple[int, str]] = {}  # NEVO code → (position, header as written)
    wrong_units: list[str] = []
    for index, heading in enumerate(header):
        match = _COMPONENT_HEADER.match(heading.replace("\ufeff", "").strip().strip('"'))
        if not match or match["code"].upper() not in NEVO_NUTRIENT_COLUMNS:
            continue
        code = match["code"].upper()
        expected = NEVO_NUTRIENT_COLUMNS[code][1]
        if _unit(match["unit"]) != expected.casefold():
            wrong_units.append(f"{heading.strip()} ≠ {code} ({expected})")
        components.setdefault(code, (index, heading.strip()))
    missing += [
        f"{code} ({unit})"
        for code, (_, unit, _) in NEVO_NUTRIENT_COLUMNS.items()
        if code not in components
    ]
    if missing:
        raise InvalidInputError(Code.NEVO_MISSING_COLUMNS, path=str(path), columns=tuple(missing))
    if wrong_units:
        raise InvalidInputError(Code.NEVO_WRONG_UNIT, path=str(path), columns=tuple(wrong_units))

    problems: list[Message] = []
    problem_count = 0

    def problem(kind: Code, /, **params: str | int) -> None:
        nonlocal problem_count
        problem_count += 1
        if len(problems) < MAX_LISTED_PROBLEMS:
            problems.append(Message(kind, params))

    def cell(row: list[str], column: _Column) -> str:
        at = columns[column.name]
        return row[at].strip() if at is not None else ""

    records: list[FoodRecord] = []
    versions: list[str] = []
    first_line: dict[str, int] = {}
    traces = per_100_ml = 0
    width = len(header)
    for row in reader:
        line = reader.line_num
        if not any(field.strip() for field in row):
            continue  # a blank line, e.g. at the end of the file
        if len(row) != width:
            problem(Code.NEVO_FIELD_COUNT, line=line, found=len(row), expected=width)
            continue
        code = cell(row, _CODE)
        if not code.isdigit():
            problem(Code.NEVO_BAD_CODE, line=line, value=code)
            continue
        code = str(int(code))
        if code in first_line:
            problem(Code.NEVO_DUPLICATE_CODE, line=line, code=code, first=first_line[code])
            continue
        first_line[code] = line
        name_nl = cell(row, _NAME_NL)
        if not name_nl:
            problem(Code.NEVO_EMPTY_NAME, line=line, code=code)
            continue
        amounts: dict[Nutrient, float] = {}
        row_ok = True
        for nevo_code, (position, column_name) in components.items():
            raw = row[position].strip()
            if not raw:
                continue  # NEVO has no value: missing, not zero
            nutrient, _, factor = NEVO_NUTRIENT_COLUMNS[nevo_code]
            if raw.casefold() in _TRACE_WORDS:
                amounts[nutrient] = 0.0
                traces += 1
                continue
            if not _NUMBER.match(raw):
                problem(Code.NEVO_NOT_A_NUMBER, line=line, column=column_name, value=raw)
                row_ok = False
                continue
            value = float(raw.replace(",", ".")) * factor
            try:
                amounts[nutrient] = validate_nutrient_amount(nutrient, value, where=code)
            except DataError:
                problem(Code.NEVO_IMPLAUSIBLE, line=line, column=column_name, value=raw)
                row_ok = False
        if not row_ok:
            continue
        note = None
        if _PER_100_ML.search(cell(row, _QUANTITY)):
            note = _PER_100_ML_NOTE
            per_100_ml += 1
        synonyms = tuple(s.strip() for s in re.split(r"[;/]", cell(row, _SYNONYM)) if s.strip())
        versions.append(cell(row, _VERSION))
        group = cell(row, _GROUP_NL).casefold()
        group_code = NEVO_GROUPS.get(group) or NEVO_GROUPS.get(
            cell(row, _GROUP_EN).casefold(), _OTHER_GROUP
        )
        records.append(
            FoodRecord(
                source_id=code,
                name_en=cell(row, _NAME_EN) or name_nl,
                group_code=group_code,
                per_100g=NutrientAmounts(amounts),
                measures=(),  # NEVO has no household measures; Dutch portion rules apply
                name_nl=name_nl,
                synonyms_nl=synonyms,
                note=note,
            )
        )
        if on_progress is not None and len(records) % 100 == 0:
            on_progress(len(records), total)
    if problem_count:
        raise InvalidRowsError(
            Code.NEVO_FILE_REFUSED,
            problems,
            path=str(path),
            count=problem_count,
            listed=len(problems),
        )
    if not records:
        raise InvalidInputError(Code.NEVO_FILE_EMPTY, path=str(path))
    if on_progress is not None:
        on_progress(len(records), len(records))
    return NevoFile(tuple(records), _release(versions, path), traces, per_100_ml)


def _required_names() -> frozenset[str]:
    return frozenset(c.name for c in _REQUIRED_COLUMNS)


def _sha256(path: Path) -> str:
    # Imported here: hashlib loads OpenSSL (about 4 MB resident), which every process that
    # reads the food data would otherwise carry (the food database imports this module).
    from rugwijzer.fooddb.sr24 import file_sha256

    return file_sha256(path)


def nevo_data_file(data_dir: Path) -> Path:
    """Where the imported NEVO data lives: `foods_nevo.json` in the user's data directory."""
    return data_dir / NEVO_DATA_FILE_NAME


def import_nevo_file(
    path: Path, data_dir: Path, *, on_progress: Callable[[int, int], None] | None = None
) -> tuple[Provenance, NevoFile]:
    """Check all of `path`, then write the NEVO data file into `data_dir` atomically (a file
    that fails any check leaves the previous import, if any, as it was)."""
    nevo = read_nevo_file(path, on_progress=on_progress)
    provenance = Provenance(
        dataset=NEVO_DATASET,
        release=nevo.release,
        publisher=NEVO_PUBLISHER,
        licence=NEVO_LICENCE,
        source_file=path.name,
        source_sha256=_sha256(path),
        build_tool=f"rugwijzer {__version__} (rugwijzer foods import-nevo)",
        id_prefix=NEVO_ID_PREFIX,
        food_count=len(nevo.records),
    )
    write_data_file(nevo_data_file(data_dir), nevo.records, provenance)
    return provenance, nevo


def remove_nevo_data_file(data_dir: Path) -> bool:
    """Remove the imported NEVO data; False when there was none."""
    target = nevo_data_file(data_dir)
    try:
        target.unlink()
    except FileNotFoundError:
        return False
    return True

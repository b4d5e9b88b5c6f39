"""Benchmark of the NEVO-online import (issue #15): a synthetic file of NEVO's full size read,
checked and written as a Rugwijzer data file, and the same file refused for one bad value.

Run with `.venv/bin/python bench/bench_nevo_import.py [--quick] [--json]`.

The file is made with `random.Random(seed)` (seed 20261130, `--seed`) in NEVO's wide CSV layout:
2,328 foods (the number of foods in NEVO-online 2025/9.0 as profiled in a public project, see
docs/nevo.md), the 11 descriptive columns and the 133 component columns of the NEVO header seen
in public code (NEVO2025 has 137), `|` between fields, decimal commas, a byte-order mark. About
one component value in six is empty (no value) and one in fifty a trace ("sp"); names, groups
and synonyms are drawn from short Dutch word lists. The numbers are random, not NEVO's.

Cases, `--runs` times each (10) after one unmeasured warm-up, each into a fresh temporary data
directory:

- `import`: `import_nevo_file` of the whole file: read, check every line, write the data file
  atomically;
- `refuse`: the same file with "veel" as the magnesium value of its last food: the import must
  be refused with exactly that problem on that line and no data file written (else the
  benchmark fails, exit code 1).

As information: the file's size, and the load time of the food database with the imported foods
beside SR24 (`load_food_database(extra_files=...)`, one untimed warm-up, then `--runs` loads,
median) next to SR24 alone.

The issue sets no target for the import; the figures are information.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Run as a plain file: the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import Measure, latency_record, report, value_record
from rugwijzer.errors import InvalidRowsError
from rugwijzer.fooddb.database import load_food_database
from rugwijzer.fooddb.nevo import import_nevo_file, nevo_data_file
from rugwijzer.messages import Code

SEED = 20261130
FOODS = 2328

#: NEVO's descriptive columns, then the component columns of the NEVO header as seen in public
#: code (docs/nevo.md).
DESCRIPTIVE = (
    "NEVO-versie/NEVO-version",
    "Voedingsmiddelgroep",
    "Food group",
    "NEVO-code",
    "Voedingsmiddelnaam/Dutch food name",
    "Engelse naam/Food name",
    "Synoniem",
    "Hoeveelheid/Quantity",
    "Opmerking",
    "Bevat sporen van/Contains traces of",
    "Is verrijkt met/Is fortified with",
)
#: The component columns, "|" between them as in the file.
COMPONENT_HEADER = (
    "ENERCJ (kJ)|ENERCC (kcal)|WATER (g)|PROT (g)|PROTPL (g)|PROTAN (g)|NT (g)|FAT (g)|"
    "FACID (g)|FASAT (g)|FAMSCIS (g)|FAPU (g)|FAPUN3 (g)|FAPUN6 (g)|FATRS (g)|CHO (g)|"
    "SUGAR (g)|STARCH (g)|POLYL (g)|FIBT (g)|ALC (g)|OA (g)|ASH (g)|CHORL (mg)|NA (mg)|"
    "K (mg)|CA (mg)|P (mg)|MG (mg)|FE (mg)|HAEM (mg)|NHAEM (mg)|CU (mg)|SE (µg)|ZN (mg)|"
    "ID (µg)|VITA_RAE (µg)|VITA_RE (µg)|RETOL (µg)|CARTBTOT (µg)|CARTA (µg)|LUTN (µg)|"
    "ZEA (µg)|CRYPXB (µg)|LYCPN (µg)|VITD (µg)|CHOCALOH (µg)|CHOCAL (µg)|VITE (mg)|"
    "TOCPHA (mg)|TOCPHB (mg)|TOCPHD (mg)|TOCPHG (mg)|VITK (µg)|VITK1 (µg)|VITK2 (µg)|"
    "THIA (mg)|RIBF (mg)|VITB6 (mg)|VITB12 (µg)|NIA (mg)|FOL (µg)|FOLFD (µg)|FOLAC (µg)|"
    "VITC (mg)|F4:0 (g)|F6:0 (g)|F8:0 (g)|F10:0 (g)|F11:0 (g)|F12:0 (g)|F13:0 (g)|"
    "F14:0 (g)|F15:0 (g)|F16:0 (g)|F17:0 (g)|F18:0 (g)|F19:0 (g)|F20:0 (g)|F21:0 (g)|"
    "F22:0 (g)|F23:0 (g)|F24:0 (g)|F25:0 (g)|F26:0 (g)|FASATXR (g)|F10:1CIS (g)|"
    "F12:1CIS (g)|F14:1CIS (g)|F16:1CIS (g)|F18:1CIS (g)|F20:1CIS (g)|F22:1CIS (g)|"
    "F24:1CIS (g)|FAMSCXR (g)|F18:2CN6 (g)|F18:2CN9 (g)|F18:2CT (g)|F18:2TC (g)|"
    "F18:2R (g)|F18:3CN3 (g)|F18:3CN6 (g)|F18:4CN3 (g)|F20:2CN6 (g)|F20:3CN9 (g)|"
    "F20:3CN6 (g)|F20:3CN3 (g)|F20:4CN6 (g)|F20:4CN3 (g)|F20:5CN3 (g)|F21:5CN3 (g)|"
    "F22:2CN6 (g)|F22:2CN3 (g)|F22:3CN3 (g)|F22:4CN6 (g)|F22:5CN6 (g)|F22:5CN3 (g)|"
    "F22:6CN3 (g)|F24:2CN6 (g)|FAPUXR (g)|F10:1TRS (g)|F12:1TRS (g)|F14:1TRS (g)|"
    "F16:1TRS (g)|F18:1TRS (g)|F18:2TTN6 (g)|F18:3TTTN3 (g)|F20:1TRS (g)|F20:2TT (g)|"
    "F22:1TRS (g)|F24:1TRS (g)|FAMSTXR (g)|FAUN (g)"
)
COMPONENTS = tuple(COMPONENT_HEADER.split("|"))
GROUPS = (
    ("Aardappelen en knolgewassen", "Potatoes and tubers"),
    ("Brood", "Bread"),
    ("Fruit", "Fruits"),
    ("Groente", "Vegetables"),
    ("Kaas", "Cheese"),
    ("Melk en melkproducten", "Milk and milk products"),
    ("Noten en zaden", "Nuts and seeds"),
    ("Vlees en gevogelte", "Meat and poultry"),
    ("Diversen", "Miscellaneous foods"),
)
NOUNS = ("Brood", "Kaas", "Melk", "Appel", "Linzen", "Kip", "Vla", "Soep", "Noten", "Rijst")
MODIFIERS = ("volkoren", "halfvolle", "rauw", "gekookt", "belegen", "gem", "zout", "zoet", "bio")
# Upper bounds per 100 g for a random value, by unit: a value stays plausible for the checks.
UPPER = {"g": 30.0, "mg": 400.0, "µg": 40.0, "kcal": 600.0, "kJ": 2500.0}


def _value(rng: random.Random, unit: str) -> str:
    draw = rng.random()
    if draw < 1 / 6:
        return ""
    if draw < 1 / 6 + 1 / 50:
        return "sp"
    return f"{rng.uniform(0, UPPER[unit]):.1f}".replace(".", ",")


def synthetic_nevo(seed: int, foods: int = FOODS) -> str:
    """A NEVO-online CSV of `foods` foods with random values (header first)."""
    rng = random.Random(seed)
    units = [column.rsplit("(", 1)[1].rstrip(")") for column in COMPONENTS]
    lines = ["\ufeff" + "|".join(f'"{c}"' for c in (*DESCRIPTIVE, *COMPONENTS))]
    for code in range(1, foods + 1):
        group_nl, group_en = GROUPS[code % len(GROUPS)]
        noun = rng.choice(NOUNS)
        name = f"{noun} {' '.join(rng.sample(MODIFIERS, rng.randint(1, 3)))} {code}"
        synonym = f"{noun.lower()}{code}" if rng.random() < 0.3 else ""
        quantity = "per 100ml" if rng.random() < 0.02 else "per 100g"
        descriptive = (
            "NEVO-Online 2025 9.0",
            group_nl,
            group_en,
            str(code),
            name,
            f"Food {code}",
            synonym,
            quantity,
            "",
            "",
            "",
        )
        lines.append("|".join((*descriptive, *(_value(rng, unit) for unit in units))))
    return "\r\n".join(lines) + "\r\n"


def with_bad_value(text: str) -> tuple[str, int]:
    """The file with "veel" as the last food's magnesium value, and that line's number."""
    lines = text.split("\r\n")
    last = len(lines) - 2  # index of the last food (the file ends with a line break)
    fields = lines[last].split("|")
    fields[len(DESCRIPTIVE) + COMPONENTS.index("MG (mg)")] = "veel"
    lines[last] = "|".join(fields)
    return "\r\n".join(lines), last + 1


class BenchmarkFailedError(Exception):
    """The import did not behave as promised (all checked, the problem on its line)."""


def _refused(path: Path, data_dir: Path, line: int) -> None:
    try:
        import_nevo_file(path, data_dir)
    except InvalidRowsError as exc:
        found = [(p.code, p.params.get("line")) for p in exc.problems]
        if found != [(Code.NEVO_NOT_A_NUMBER, line)]:
            raise BenchmarkFailedError(f"refused with other problems: {found}") from exc
    else:
        raise BenchmarkFailedError("a file with a bad value was imported")
    if nevo_data_file(data_dir).exists():
        raise BenchmarkFailedError("the refused import wrote a data file")


def _median_load_s(runs: int, extra: tuple[Path, ...]) -> float:
    load_food_database(extra_files=extra)  # warm-up: imports, file cache
    times = []
    for _ in range(runs):
        before = time.perf_counter()
        load_food_database(extra_files=extra)
        times.append(time.perf_counter() - before)
    return statistics.median(times)


def run(seed: int, runs: int, load_runs: int) -> list[dict[str, Any]]:
    """Both cases and the load figures, in a temporary folder."""
    valid = synthetic_nevo(seed)
    bad, bad_line = with_bad_value(valid)
    records: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="rugwijzer-bench-nevo-") as directory:
        root = Path(directory)
        source = root / "NEVO2025_v9.0.csv"
        source.write_text(valid, encoding="utf-8")
        bad_source = root / "NEVO2025_v9.0_bad.csv"
        bad_source.write_text(bad, encoding="utf-8")
        case = f"{FOODS} foods, {len(DESCRIPTIVE) + len(COMPONENTS)} columns"

        import_nevo_file(source, root / "warm-up")
        imported = Measure("import")
        started = time.perf_counter()
        for run_number in range(runs):
            data_dir = root / f"import-{run_number}"
            before = time.perf_counter()
            provenance, _ = import_nevo_file(source, data_dir)
            imported.ok((time.perf_counter() - before) * 1000)
            if provenance.food_count != FOODS:
                raise BenchmarkFailedError(f"imported {provenance.food_count} foods, not {FOODS}")
        elapsed = time.perf_counter() - started
        records.append(
            latency_record(
                "nevo_import",
                case,
                imported,
                elapsed_s=elapsed,
                target_p99_ms=None,
                samples_asked=runs,
                foods=FOODS,
            )
        )

        refused = Measure("refuse")
        started = time.perf_counter()
        for run_number in range(runs):
            before = time.perf_counter()
            _refused(bad_source, root / f"refuse-{run_number}", bad_line)
            refused.ok((time.perf_counter() - before) * 1000)
        records.append(
            latency_record(
                "nevo_import",
                f"{case}, bad value on line {bad_line}",
                refused,
                elapsed_s=time.perf_counter() - started,
                target_p99_ms=None,
                samples_asked=runs,
                foods=FOODS,
                written_after=0,
            )
        )
        records.append(
            value_record(
                "nevo_import",
                "synthetic file",
                "file_size_mb",
                source.stat().st_size / 1024 / 1024,
                "MB",
            )
        )
        imported_file = nevo_data_file(root / "import-0")
        records.append(
            value_record(
                "nevo_import",
                "SR24 alone",
                "load_median_s",
                _median_load_s(load_runs, ()),
                "s",
            )
        )
        records.append(
            value_record(
                "nevo_import",
                f"SR24 + {FOODS} NEVO foods",
                "load_median_s",
                _median_load_s(load_runs, (imported_file,)),
                "s",
            )
        )
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10, help="timed imports per case")
    parser.add_argument("--load-runs", type=int, default=5, help="timed database loads")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 imports per case")
    parser.add_argument("--json", action="store_true", help="print only the JSON lines")
    args = parser.parse_args()
    if args.quick:
        args.runs = 2
        args.load_runs = 1
    try:
        records = run(args.seed, args.runs, args.load_runs)
    except BenchmarkFailedError as exc:
        print(f"BENCHMARK FAILED: {exc}", file=sys.stderr)
        return 1
    if not args.json:
        print(f"NEVO-online import, {FOODS} synthetic foods (seed {args.seed})")
    return report(records, json_only=args.json, quick=args.quick)


if __name__ == "__main__":
    sys.exit(main())

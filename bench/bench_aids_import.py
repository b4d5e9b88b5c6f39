"""Benchmark of the aids catalogue import (issue #14): a generated catalogue of 1,000 rows
imported all or nothing, on SQLite and on PostgreSQL.

Run with `.venv/bin/python bench/bench_aids_import.py [--quick] [--skip-postgres] [--json]`.

The catalogue is made with `random.Random(seed)` (seed 20261130, `--seed`): 1,000 products with
distinct SKUs, the categories in turn, prices from 5 to 1,500 euro, a web address and a
description of up to 200 characters. Each database (a fresh SQLite file in a temporary
directory, and a new PostgreSQL database on 127.0.0.1 that is dropped afterwards) is migrated
first, then two cases run `--runs` times (10) after one unmeasured warm-up:

- `import` (the case "... 1000 rows valid"): `AidCatalogue.import_csv` of the whole file into
  an empty catalogue (emptied, unmeasured, before each run): read and check every row, then
  write all of them in one transaction;
- `refuse` (the case "... bad line 1000"): the same file with an unknown category on line 1,000
  (the header is line 1): the import must be refused with exactly that problem on line 1,000,
  and nothing written (the catalogue still empty). A run that imports anything, or reports
  another problem, fails the benchmark (exit code 1).

Memory, as information: the peak of Python's own allocations during one valid import
(`tracemalloc`, in a separate, untimed run: tracing slows the import down), and the peak
resident memory of the whole process at the end (`ru_maxrss`).

The issue sets no target for the import; the figures are information.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.engine import make_url

# Run as a plain file: the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import Measure, latency_record, report, value_record
from rugwijzer.domain.aids import CATALOGUE_COLUMNS, CATEGORIES
from rugwijzer.errors import InvalidRowsError
from rugwijzer.messages import Code
from rugwijzer.services.aids import AidCatalogue
from rugwijzer.store.engine import make_engine, make_session_factory, transaction
from rugwijzer.store.migrate import upgrade
from rugwijzer.store.models import AidProduct

SEED = 20261130
ROWS = 1000
#: The bad row's line in the file (line 1 is the header).
BAD_LINE = 1000
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
WORDS = (
    "ergonomisch",
    "verstelbaar",
    "comfortabel",
    "stevig",
    "ademend",
    "traagschuim",
    "lendensteun",
    "zithoogte",
    "warmte",
    "bureau",
    "kussen",
    "werkplek",
)


class BenchmarkFailedError(Exception):
    """The import did not behave as promised (all or nothing, the problem on its line)."""


def generated_catalogue(seed: int, rows: int = ROWS) -> str:
    """A valid catalogue CSV of `rows` products (the header first)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CATALOGUE_COLUMNS)
    for number in range(1, rows + 1):
        category = CATEGORIES[number % len(CATEGORIES)]
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 25)))
        values = {
            "sku": f"SKU-{number:05d}",
            "name_nl": f"{category.replace('_', ' ').capitalize()} {number}",
            "name_en": f"{category.replace('_', ' ').title()} {number}",
            "category": category,
            "price_eur": f"{rng.uniform(5, 1500):.2f}",
            "url": f"https://shop.example.org/p/{number}",
            "description": words[:200],
        }
        writer.writerow([values[column] for column in CATALOGUE_COLUMNS])
    return out.getvalue()


def with_bad_row(catalogue: str, line: int = BAD_LINE) -> str:
    """The catalogue with an unknown category on `line` (1 is the header)."""
    lines = catalogue.splitlines()
    fields = next(csv.reader([lines[line - 1]]))
    fields[CATALOGUE_COLUMNS.index("category")] = "magic_belt"
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    lines[line - 1] = out.getvalue()
    return "\n".join(lines) + "\n"


def _count(catalogue: AidCatalogue) -> int:
    with transaction(catalogue.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(AidProduct)) or 0)


def _empty(catalogue: AidCatalogue) -> None:
    with transaction(catalogue.sessions) as session:
        session.execute(delete(AidProduct))


def _refused(catalogue: AidCatalogue, bad: str) -> None:
    """Import the bad file; `BenchmarkFailedError` unless it was refused for line 1,000 alone."""
    try:
        catalogue.import_csv(bad)
    except InvalidRowsError as exc:
        found = [(p.code, p.params.get("line")) for p in exc.problems]
        if found != [(Code.AIDS_IMPORT_UNKNOWN_CATEGORY, BAD_LINE)]:
            raise BenchmarkFailedError(f"refused with other problems: {found}") from exc
    else:
        raise BenchmarkFailedError("a catalogue with a bad row was imported")


def run_database(label: str, url: str, runs: int, valid: str, bad: str) -> list[dict[str, Any]]:
    """Both cases on one database (migrated here)."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        catalogue = AidCatalogue(make_session_factory(engine), example_when_empty=False)
        # warm-up: the first import compiles the statements and fills the pools
        catalogue.import_csv(valid)
        _empty(catalogue)
        _refused(catalogue, bad)

        imported = Measure("import")
        started = time.perf_counter()
        elapsed = 0.0
        for _ in range(runs):
            _empty(catalogue)
            before = time.perf_counter()
            done = catalogue.import_csv(valid)
            imported.ok((time.perf_counter() - before) * 1000)
            if (done.added, done.products, _count(catalogue)) != (ROWS, ROWS, ROWS):
                raise BenchmarkFailedError(f"{label}: imported {done}, {_count(catalogue)} stored")
        elapsed = time.perf_counter() - started

        _empty(catalogue)
        refused = Measure("refuse")
        started = time.perf_counter()
        for _ in range(runs):
            before = time.perf_counter()
            _refused(catalogue, bad)
            refused.ok((time.perf_counter() - before) * 1000)
            if _count(catalogue):
                raise BenchmarkFailedError(f"{label}: the refused import wrote rows")
        refuse_elapsed = time.perf_counter() - started

        tracemalloc.start()
        catalogue.import_csv(valid, replace=True)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        engine.dispose()
    extra = {"rows": ROWS}
    return [
        latency_record(
            "aids_import",
            f"{label} {ROWS} rows valid",
            imported,
            elapsed_s=elapsed,
            target_p99_ms=None,
            samples_asked=runs,
            **extra,
        ),
        latency_record(
            "aids_import",
            f"{label} {ROWS} rows, bad line {BAD_LINE}",
            refused,
            elapsed_s=refuse_elapsed,
            target_p99_ms=None,
            samples_asked=runs,
            stored_after=0,
            **extra,
        ),
        value_record(
            "aids_import",
            f"{label} {ROWS} rows valid",
            "python_peak_mb",
            peak / 1024 / 1024,
            "MB",
            note="tracemalloc peak during one import (untimed run)",
        ),
    ]


def run_postgres(url: str, runs: int, valid: str, bad: str) -> list[dict[str, Any]]:
    """The cases on a new PostgreSQL database, dropped afterwards."""
    if make_url(url).host not in LOOPBACK_HOSTS:
        raise RuntimeError(f"--postgres must be on this machine (127.0.0.1), not {url}")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"rugwijzer_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            return run_database("PostgreSQL", url.rsplit("/", 1)[0] + f"/{name}", runs, valid, bad)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10, help="timed imports per case")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 imports per case")
    parser.add_argument("--json", action="store_true", help="print only the JSON lines")
    args = parser.parse_args()
    if args.quick:
        args.runs = 2

    valid = generated_catalogue(args.seed)
    bad = with_bad_row(valid)
    records: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="rugwijzer-bench-aids-") as directory:
            url = f"sqlite:///{Path(directory) / 'rugwijzer.db'}"
            records += run_database("SQLite", url, args.runs, valid, bad)
        if not args.skip_postgres:
            records += run_postgres(args.postgres, args.runs, valid, bad)
    except BenchmarkFailedError as exc:
        print(f"BENCHMARK FAILED: {exc}", file=sys.stderr)
        return 1
    records.append(
        value_record(
            "aids_import",
            "whole process",
            "peak_rss_mb",
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
            "MB",
        )
    )
    if not args.json:
        print(f"Aids catalogue import, {ROWS} rows, all or nothing (seed {args.seed})")
    return report(records, json_only=args.json, quick=args.quick)


if __name__ == "__main__":
    sys.exit(main())

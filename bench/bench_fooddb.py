"""Benchmarks of the food database: load time, resident memory and search latency.

Run with `make bench` (or `.venv/bin/python bench/bench_fooddb.py [--quick] [--json]`).
Targets: search p99 <= 2 ms warm in-process over 2,000 distinct queries (issue #15; the
foundation issue had 5 ms), load <= 300 ms, resident memory <= 50 MB.

Load time and memory are measured in fresh processes (a warm OS file cache, a cold Python
process), so earlier runs cannot flatter later ones. The memory verdict is on the whole
process: its resident set just after loading (the largest of the runs). The growth during
loading (what the food database itself adds) and the peak are reported beside it as
information.

Search latency is measured over --queries distinct queries (2,000) made with a fixed seed from
the bundled Dutch and English food names and the queries of the search cases (one draw in five
comes from the cases), most of them misspelled the way people type: two letters swapped, a letter
dropped, a letter doubled, two of these, accents left out ("creme fraiche") or two words run
together ("goudsekaas"). Each query is timed once, after an unmeasured warm-up on other queries.
The old measure (the search cases repeated) is kept beside it.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

# Run as a plain file: the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import Measure, latency_record, percentile, report, value_record
from rugwijzer.fooddb.database import FoodDatabase, load_food_database

REPO = Path(__file__).resolve().parents[1]
CASES = (REPO.parent / "shared" / "cases", REPO / "tests" / "fixtures" / "cases")
TARGET_SEARCH_P99_MS = 2.0
TARGET_LOAD_MS = 300.0
TARGET_RSS_MB = 50.0
SEED = 20261130
#: How often each kind of query is drawn: exact names and six kinds of typing errors. Kinds that
#: do not apply to a name (no accent to leave out, one word only) are drawn again.
VARIANTS = {
    "exact": 2,
    "swap": 2,
    "drop": 2,
    "double": 2,
    "two errors": 1,
    "no accents": 1,
    "run together": 1,
}
#: The share of draws taken from the search cases rather than from all food names.
CASE_SHARE = 0.2
#: Percentiles of the CPU time per query, reported beside the wall-clock ones as information.
CPU_SHARES = (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0))

_CHILD = r"""
import json, time
from pathlib import Path

def status_kb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0

import rugwijzer.fooddb.database as database
before = status_kb("VmRSS")
started = time.perf_counter()
db = database.load_food_database()
elapsed = time.perf_counter() - started
print(json.dumps({"load_s": elapsed, "rss_before_kb": before, "rss_after_kb": status_kb("VmRSS"),
                  "rss_peak_kb": status_kb("VmHWM"), "foods": len(db)}))
"""


def _case_rows(path: Path) -> list[tuple[str, str]]:
    rows = [
        line.split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return [(row[0], row[1]) for row in rows]


def dev_queries() -> list[tuple[str, str]]:
    """The queries of the shared food-search cases (query, lang)."""
    for folder in CASES:
        path = folder / "food_search.tsv"
        if path.is_file():
            return _case_rows(path)
    raise SystemExit("no food_search.tsv found")


def case_queries() -> list[tuple[str, str]]:
    """The queries of the shared search cases and of Rugwijzer's extra cases (query, lang)."""
    extra = REPO / "tests" / "fixtures" / "cases" / "food_search_extra.tsv"
    found = dev_queries() + (_case_rows(extra) if extra.is_file() else [])
    return sorted({(query.lower(), lang) for query, lang in found})


def food_names(database: FoodDatabase) -> list[tuple[str, str]]:
    """(name, lang) of every Dutch name and synonym, every English synonym, and the first two
    parts of each USDA name as a person would type them ("Cheese, gouda" → "cheese gouda")."""
    names: set[tuple[str, str]] = set()
    for food in database.foods:
        if food.name_nl:
            names.add((food.name_nl.lower(), "nl"))
        names.update((synonym.lower(), "nl") for synonym in food.synonyms_nl)
        names.update((synonym.lower(), "en") for synonym in food.synonyms_en)
        short = " ".join(part.strip() for part in food.name_en.split(",")[:2]).lower()
        if len(short) <= 40:
            names.add((short, "en"))
    return sorted(names)


def misspell(name: str, kind: str, rng: random.Random) -> str:
    """`name` with one typing error of `kind`: in a letter of a word of four or more letters,
    its accents left out, or two of its words run together (a name the kind does not apply to
    is returned as it is)."""
    if kind == "exact":
        return name
    if kind == "no accents":
        decomposed = unicodedata.normalize("NFKD", name)
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if kind == "run together":
        spaces = [i for i, ch in enumerate(name) if ch == " "]
        if not spaces:
            return name
        i = rng.choice(spaces)
        return name[:i] + name[i + 1 :]
    if kind == "two errors":
        return misspell(misspell(name, rng.choice(("swap", "drop", "double")), rng), "drop", rng)
    places = [
        i
        for word in re.finditer(r"[^\W\d_]{4,}", name)
        for i in range(word.start(), word.end() - 1)
    ]
    if not places:
        return name
    i = rng.choice(places)
    if kind == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    if kind == "double":
        return name[: i + 1] + name[i] + name[i + 1 :]
    raise ValueError(kind)


def distinct_queries(database: FoodDatabase, count: int, seed: int) -> list[tuple[str, str, str]]:
    """`count` distinct (query, lang, kind) made reproducibly from the food names."""
    rng = random.Random(seed)
    names = food_names(database)
    cases = case_queries()
    # Few names have accents: "no accents" draws from those that do.
    accented = [(name, lang) for name, lang in names + cases if not name.isascii()]
    kinds = [kind for kind, weight in VARIANTS.items() for _ in range(weight)]
    found: dict[tuple[str, str], str] = {}
    for _ in range(count * 50):  # bounded: the names allow far more distinct queries
        if len(found) >= count:
            break
        kind = rng.choice(kinds)
        pool = cases if rng.random() < CASE_SHARE else names
        if kind == "no accents" and accented:
            pool = accented
        name, lang = rng.choice(pool)
        query = misspell(name, kind, rng)
        if kind != "exact" and query == name:
            continue  # no letter to misspell: it would be an exact query under another label
        found.setdefault((query, lang), kind)
    if len(found) < count:
        raise RuntimeError(f"only {len(found)} distinct queries could be made")
    return [(query, lang, kind) for (query, lang), kind in found.items()]


def measure_load(runs: int) -> list[dict[str, Any]]:
    """Load time and memory of `runs` fresh processes."""
    results = []
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", _CHILD], capture_output=True, text=True, check=True
        ).stdout
        results.append(json.loads(output))
    loads = [r["load_s"] * 1000 for r in results]
    total = [r["rss_after_kb"] / 1024 for r in results]
    growth = [(r["rss_after_kb"] - r["rss_before_kb"]) / 1024 for r in results]
    peak = [r["rss_peak_kb"] / 1024 for r in results]
    info = {"runs": runs}
    return [
        value_record(
            "fooddb", "load", "load_ms_median", statistics.median(loads), "ms",
            target_max=TARGET_LOAD_MS, **info,
        ),
        value_record("fooddb", "load", "load_ms_max", max(loads), "ms", **info),
        value_record(
            "fooddb", "memory", "rss_whole_process_mb", max(total), "MB",
            target_max=TARGET_RSS_MB, statistic="largest of the runs", **info,
        ),
        value_record(
            "fooddb", "memory", "rss_growth_while_loading_mb", statistics.median(growth), "MB",
            **info,
        ),
        value_record("fooddb", "memory", "rss_peak_mb", max(peak), "MB", **info),
    ]  # fmt: skip


def time_searches(
    database: FoodDatabase, queries: list[tuple[str, str]], cpu_ms: list[float] | None = None
) -> Measure:
    """Wall-clock latency of each query; with `cpu_ms`, also the CPU time of this thread (which
    leaves out the time other processes of a busy machine take the core away)."""
    measure = Measure("search")
    for query, lang in queries:
        started_cpu = time.thread_time()
        started = time.perf_counter()
        database.search(query, lang=lang, limit=10)
        measure.ok((time.perf_counter() - started) * 1000)
        if cpu_ms is not None:
            cpu_ms.append((time.thread_time() - started_cpu) * 1000)
    return measure


def measure_search(distinct: int, repeats: int, seed: int) -> list[dict[str, Any]]:
    """Search latency over distinct generated queries, and over the repeated search cases."""
    database = load_food_database()
    made = distinct_queries(database, distinct + 200, seed)
    warmup, measured = made[:200], made[200:]
    time_searches(database, [(q, lang) for q, lang, _ in warmup])
    cpu_ms: list[float] = []
    started = time.perf_counter()
    search = time_searches(database, [(q, lang) for q, lang, _ in measured], cpu_ms)
    elapsed = time.perf_counter() - started
    cpu = {f"cpu_{name}_ms": round(percentile(cpu_ms, share), 3) for name, share in CPU_SHARES}
    kinds = Counter(kind for _, _, kind in measured)
    timed = sorted(zip(search.timings_ms, measured, strict=True), reverse=True)
    slowest = [f"{query} ({lang}, {ms:.2f} ms)" for ms, (query, lang, _) in timed[:5]]
    records = [
        latency_record(
            "fooddb",
            f"{len(measured)} distinct queries, seed {seed}",
            search,
            elapsed_s=elapsed,
            target_p99_ms=TARGET_SEARCH_P99_MS,
            samples_asked=distinct,
            kinds=dict(kinds),
            languages=dict(Counter(lang for _, lang, _ in measured)),
            slowest=slowest,
            **cpu,
        )
    ]
    cases = dev_queries()
    time_searches(database, cases)  # warm-up
    started = time.perf_counter()
    repeated = time_searches(database, cases * repeats)
    elapsed = time.perf_counter() - started
    records.append(
        latency_record(
            "fooddb",
            f"{len(cases)} search cases x {repeats}",
            repeated,
            elapsed_s=elapsed,
            target_p99_ms=TARGET_SEARCH_P99_MS,
        )
    )
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--load-runs", type=int, default=7)
    parser.add_argument("--queries", type=int, default=2000, help="distinct search queries")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--repeats", type=int, default=50, help="repeats of the search cases")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1 load, 200 queries")
    parser.add_argument("--json", action="store_true", help="print only the JSON lines")
    args = parser.parse_args()
    if args.quick:
        args.load_runs, args.queries, args.repeats = 1, 200, 2
    try:
        records = measure_load(args.load_runs) + measure_search(
            args.queries, args.repeats, args.seed
        )
    except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
        print(f"BENCHMARK FAILED: {exc}", file=sys.stderr)
        return 1
    if not args.json:
        print("Food database: fresh-process load and memory; warm in-process search")
    return report(records, json_only=args.json, quick=args.quick)


if __name__ == "__main__":
    sys.exit(main())

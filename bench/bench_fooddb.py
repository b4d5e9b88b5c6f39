"""Benchmarks of the food database: load time, resident memory and search latency.

Run with `make bench` (or `.venv/bin/python bench/bench_fooddb.py`). Targets (foundation
issue): search p99 <= 5 ms warm in-process, load <= 300 ms, resident memory <= 50 MB.

Load time and memory are measured in fresh processes (a warm OS file cache, a cold Python
process), so earlier runs cannot flatter later ones. Memory is the growth of the process's
resident set from just before to just after loading, i.e. what the food database itself costs;
the whole process's resident set is reported beside it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CASES = (REPO.parent / "shared" / "cases", REPO / "tests" / "fixtures" / "cases")

_CHILD = r"""
import json, time
from pathlib import Path

def rss_kb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0

import rugwijzer.fooddb.database as database
before = rss_kb()
started = time.perf_counter()
db = database.load_food_database()
elapsed = time.perf_counter() - started
after = rss_kb()
print(json.dumps({"load_s": elapsed, "rss_before_kb": before, "rss_after_kb": after,
                  "foods": len(db)}))
"""


def dev_queries() -> list[tuple[str, str]]:
    """The queries of the food-search cases (query, lang)."""
    for folder in CASES:
        path = folder / "food_search.tsv"
        if path.is_file():
            rows = [
                line.split("\t")
                for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")
            ]
            return [(row[0], row[1]) for row in rows]
    raise SystemExit("no food_search.tsv found")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure_load(runs: int) -> dict[str, float]:
    results = []
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", _CHILD], capture_output=True, text=True, check=True
        ).stdout
        results.append(json.loads(output))
    loads = [r["load_s"] * 1000 for r in results]
    growth = [(r["rss_after_kb"] - r["rss_before_kb"]) / 1024 for r in results]
    total = [r["rss_after_kb"] / 1024 for r in results]
    return {
        "load_ms_median": statistics.median(loads),
        "load_ms_max": max(loads),
        "rss_growth_mb_median": statistics.median(growth),
        "rss_total_mb_median": statistics.median(total),
    }


def measure_search(repeats: int) -> dict[str, float]:
    from rugwijzer.fooddb.database import load_food_database

    database = load_food_database()
    queries = dev_queries()
    for query, lang in queries:  # warm up
        database.search(query, lang=lang, limit=10)
    timings = []
    for _ in range(repeats):
        for query, lang in queries:
            started = time.perf_counter()
            database.search(query, lang=lang, limit=10)
            timings.append((time.perf_counter() - started) * 1000)
    return {
        "queries": len(queries),
        "samples": len(timings),
        "search_ms_p50": percentile(timings, 0.50),
        "search_ms_p99": percentile(timings, 0.99),
        "search_ms_max": max(timings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--load-runs", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args()
    results = {**measure_load(args.load_runs), **measure_search(args.repeats)}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    targets = {
        "search_ms_p99": 5.0,
        "load_ms_median": 300.0,
        "rss_growth_mb_median": 50.0,
    }
    for key, value in results.items():
        target = targets.get(key)
        verdict = "" if target is None else ("  ok" if value <= target else f"  OVER {target:g}")
        print(f"{key:24} {value:10.2f}{verdict}")


if __name__ == "__main__":
    main()

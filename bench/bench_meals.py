"""Benchmark of meal parsing: latency per sentence over the portion cases and multi-food
sentences, warm, in-process. Target: p99 <= 10 ms (issue #15; the meals issue had 20 ms).

Run with `make bench` (or `.venv/bin/python bench/bench_meals.py [--quick] [--json]`).
The sentences repeat (46 of them, 50 times: 2,300 samples), so this is the warm case.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

# Run as a plain file: the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import Measure, latency_record, percentile, report
from rugwijzer.fooddb.database import load_food_database
from rugwijzer.services.meals import parse_meal_text

TARGET_P99_MS = 10.0
#: Percentiles of the CPU time per sentence, reported beside the wall-clock ones as information.
CPU_SHARES = (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0))

REPO = Path(__file__).resolve().parents[1]
CASE_FILES = (
    REPO.parent / "shared" / "cases" / "portions.tsv",
    REPO / "tests" / "fixtures" / "cases" / "portions.tsv",
)
EXTRA = REPO / "tests" / "fixtures" / "cases" / "portions_extra.tsv"


def sentences() -> list[tuple[str, str]]:
    """(text, lang) of the portion cases plus Rugwijzer's multi-food cases."""
    found: list[tuple[str, str]] = []
    for path in (next(p for p in CASE_FILES if p.is_file()), EXTRA):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                text, lang = line.split("\t")[:2]
                found.append((text, lang))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--quick", action="store_true", help="a smoke run: each sentence twice")
    parser.add_argument("--json", action="store_true", help="print only the JSON lines")
    args = parser.parse_args()
    if args.quick:
        args.repeats = 2
    database = load_food_database()
    cases = sentences()
    for text, lang in cases:  # warm-up
        parse_meal_text(database, text, lang=lang)
    measure = Measure("parse")
    cpu_ms: list[float] = []  # this thread's CPU time: leaves out a busy machine's preemptions
    started = time.perf_counter()
    for _ in range(args.repeats):
        for text, lang in cases:
            before_cpu = time.thread_time()
            before = time.perf_counter()
            parse_meal_text(database, text, lang=lang)
            measure.ok((time.perf_counter() - before) * 1000)
            cpu_ms.append((time.thread_time() - before_cpu) * 1000)
    elapsed = time.perf_counter() - started
    cpu = {f"cpu_{name}_ms": round(percentile(cpu_ms, share), 3) for name, share in CPU_SHARES}
    record = latency_record(
        "meals",
        f"{len(cases)} sentences x {args.repeats}",
        measure,
        elapsed_s=elapsed,
        target_p99_ms=TARGET_P99_MS,
        sentences=len(cases),
        **cpu,
    )
    if not args.json:
        print("Meal parsing, warm, in-process")
    return report([record], json_only=args.json, quick=args.quick)


if __name__ == "__main__":
    sys.exit(main())

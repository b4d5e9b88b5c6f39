"""Benchmark of the gap planner (issue #15): one plan with its alternatives (or, when none fits,
its hints) for many gap / exclusion / budget combinations, warm, in-process, through the service
that the CLI, the API and the pages call (`make_plan`: exclusions read, the mixed-integer
programs solved by HiGHS, the view rendered). Target: p99 <= 50 ms.

Run with `make bench` (or `.venv/bin/python bench/bench_planner.py [--quick] [--json]`).
The combinations: 12 gaps (25-1,500 mg) x 10 sets of exclusions x 4 budgets (100-800 kcal) =
480, each timed `--repeats` times (3: 1,440 samples). Gaps above what four foods can reach
and budgets too small for the gap are in on purpose: those requests solve the hints' program.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

# Run as a plain file: the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import Measure, latency_record, report
from rugwijzer.fooddb.database import load_food_database
from rugwijzer.services.planner import make_plan

TARGET_P99_MS = 50.0

GAPS = (25.0, 60.0, 100.0, 140.0, 180.0, 220.0, 260.0, 300.0, 350.0, 420.0, 600.0, 1500.0)
EXCLUSIONS: tuple[tuple[str, ...], ...] = (
    (),
    ("veganistisch",),
    ("noten",),
    ("gluten",),
    ("lactose",),
    ("vegetarisch", "gluten"),
    ("veganistisch", "noten", "pinda"),
    ("soja", "noten", "vis"),
    ("spinazie", "snijbiet"),
    ("veganistisch", "glutenvrij", "noten", "soja"),
)
BUDGETS = (100.0, 250.0, 400.0, 800.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: every 8th combination once"
    )
    parser.add_argument("--json", action="store_true", help="print only the JSON lines")
    args = parser.parse_args()
    combinations = list(itertools.product(GAPS, EXCLUSIONS, BUDGETS))
    if args.quick:
        args.repeats = 1
        combinations = combinations[::8]
    database = load_food_database()
    for gap, words, budget in combinations[:20]:  # warm-up
        make_plan(database, gap, exclude=words, kcal_max=budget)
    measure = Measure("plan")
    feasible = 0
    started = time.perf_counter()
    for _ in range(args.repeats):
        for gap, words, budget in combinations:
            before = time.perf_counter()
            view = make_plan(database, gap, exclude=words, kcal_max=budget)
            measure.ok((time.perf_counter() - before) * 1000)
            feasible += view.feasible
    elapsed = time.perf_counter() - started
    record = latency_record(
        "planner",
        f"{len(combinations)} combinations x {args.repeats}",
        measure,
        elapsed_s=elapsed,
        target_p99_ms=TARGET_P99_MS,
        combinations=len(combinations),
        feasible_share=round(feasible / max(1, len(combinations) * args.repeats), 3),
    )
    if not args.json:
        print("Gap planner (plan, alternatives or hints), warm, in-process")
    return report([record], json_only=args.json, quick=args.quick)


if __name__ == "__main__":
    sys.exit(main())

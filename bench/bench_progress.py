"""Benchmark of "did it help?": the analysis of one change on one person's daily diary, warm,
in-process. Target (issue #12): analysis p99 <= 50 ms for one user-year of daily data.

Run with `make bench` (or `.venv/bin/python bench/bench_progress.py [--quick] [--json]`).

The diaries are simulated with `random.Random(seed)` (seed 20261130, `--seed`): daily pain around
5 points with AR(1) day-to-day correlation 0.5 (standard deviation 1.2), recorded as whole
numbers from 0 to 10, about one day in ten not recorded, and a step of -2 points on the day of
the change, which falls in the middle of the diary. Two cases: one user-year (365 days) and ten
years (3,652 days; the issue asks that these still answer quickly, and the same 50 ms target is
applied). Each case analyses --diaries distinct diaries (200) in turn until it has --samples
timings (2,000), after an unmeasured warm-up on other diaries. Each timing is one call of
`analyse_effect` (the measure `analyse`); `analyse+view` adds the typed view the API, the page
and the report show (`effect_view`, in Dutch), as information. The simulated diaries the bench
holds are frozen out of the garbage collector (`gc.freeze`) before timing.

The first analysis in a fresh process also loads numpy; it is timed once, before
everything else, as information (the CLI pays it on every run).
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

# Run as a plain file: the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import Measure, latency_record, report, value_record
from rugwijzer.domain.progress import analyse_effect

TARGET_P99_MS = 50.0
SEED = 20261130
FIRST_DAY = date(2025, 1, 1)
#: The simulated person: usual pain, day-to-day spread and correlation, the change's effect and
#: the share of days not recorded.
USUAL_PAIN = 5.0
SPREAD = 1.2
AUTOCORRELATION = 0.5
STEP = -2.0
MISSING_SHARE = 0.10
#: (case name, days of diary)
CASES = (("1 user-year daily", 365), ("10 years daily", 3652))

Diary = tuple[list[tuple[date, float]], date]


def simulated_diary(rng: random.Random, days: int) -> Diary:
    """(recorded (day, pain) pairs, the day of the change): AR(1) noise around the usual level, a
    step on the change day in the middle, whole numbers clipped to 0-10, some days unrecorded."""
    change = FIRST_DAY + timedelta(days=days // 2)
    innovation = SPREAD * math.sqrt(1 - AUTOCORRELATION**2)
    noise = rng.gauss(0.0, SPREAD)
    recorded: list[tuple[date, float]] = []
    for offset in range(days):
        day = FIRST_DAY + timedelta(days=offset)
        if offset:
            noise = AUTOCORRELATION * noise + rng.gauss(0.0, innovation)
        if rng.random() < MISSING_SHARE:
            continue
        pain = USUAL_PAIN + noise + (STEP if day >= change else 0.0)
        recorded.append((day, float(min(10, max(0, round(pain))))))
    return recorded, change


def measure_case(
    name: str,
    days: int,
    *,
    diaries: int,
    samples: int,
    warmup: int,
    seed: int,
) -> list[dict[str, Any]]:
    """Time `analyse_effect` alone and with its view over distinct simulated diaries."""
    from rugwijzer.services.progress import effect_view

    rng = random.Random(f"{seed}-{days}")
    warm = [simulated_diary(rng, days) for _ in range(min(warmup, diaries))]
    pool = [simulated_diary(rng, days) for _ in range(diaries)]
    # The bench's own heap (up to 700,000 recorded days) is moved out of the garbage collector's
    # reach, so that its full collections time the analysis, not the diaries the bench holds.
    gc.collect()
    gc.freeze()
    for index in range(warmup):
        observations, change = warm[index % len(warm)]
        effect_view(analyse_effect(observations, change), observations, "nl")

    analyse = Measure("analyse")
    verdicts: Counter[str] = Counter()
    started = time.perf_counter()
    for index in range(samples):
        observations, change = pool[index % len(pool)]
        before = time.perf_counter()
        analysis = analyse_effect(observations, change)
        analyse.ok((time.perf_counter() - before) * 1000)
        verdicts[analysis.verdict.value] += 1
    analyse_elapsed = time.perf_counter() - started

    with_view = Measure("analyse+view")
    started = time.perf_counter()
    for index in range(samples):
        observations, change = pool[index % len(pool)]
        before = time.perf_counter()
        effect_view(analyse_effect(observations, change), observations, "nl")
        with_view.ok((time.perf_counter() - before) * 1000)
    view_elapsed = time.perf_counter() - started
    gc.unfreeze()

    recorded = sum(len(observations) for observations, _ in pool) / len(pool)
    extra: dict[str, Any] = {
        "days": days,
        "recorded_days_mean": round(recorded, 1),
        "diaries": len(pool),
        "seed": seed,
    }
    return [
        latency_record(
            "progress",
            name,
            analyse,
            elapsed_s=analyse_elapsed,
            target_p99_ms=TARGET_P99_MS,
            samples_asked=samples,
            verdicts=dict(sorted(verdicts.items())),
            **extra,
        ),
        latency_record(
            "progress",
            name,
            with_view,
            elapsed_s=view_elapsed,
            target_p99_ms=None,
            samples_asked=samples,
            **extra,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=2000, help="timed analyses per case")
    parser.add_argument("--warmup", type=int, default=200, help="unmeasured analyses first")
    parser.add_argument("--diaries", type=int, default=200, help="distinct diaries per case")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 20 analyses per case")
    parser.add_argument("--json", action="store_true", help="print only the JSON lines")
    args = parser.parse_args()
    if args.quick:
        args.samples, args.warmup, args.diaries = 20, 5, 10

    # Before anything else has loaded numpy: what one CLI run pays once.
    observations, change = simulated_diary(random.Random(args.seed), CASES[0][1])
    before = time.perf_counter()
    analyse_effect(observations, change)
    first_ms = (time.perf_counter() - before) * 1000

    records: list[dict[str, Any]] = [
        value_record(
            "progress",
            f"{CASES[0][0]} first analysis",
            "cold_ms",
            first_ms,
            "ms",
            note="the first call in a fresh process, which loads numpy",
        )
    ]
    for name, days in CASES:
        records.extend(
            measure_case(
                name,
                days,
                diaries=args.diaries,
                samples=args.samples,
                warmup=args.warmup,
                seed=args.seed,
            )
        )
    if not args.json:
        print(
            "Did it help? The analysis of one change, warm, in-process (simulated diaries, "
            f"seed {args.seed})"
        )
    return report(records, json_only=args.json, quick=args.quick)


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of meal parsing: latency per sentence over the portion cases and multi-food
sentences, warm, in-process. Target (meals issue): p99 <= 20 ms.

Run with `make bench` (or `.venv/bin/python bench/bench_meals.py`).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rugwijzer.fooddb.database import load_food_database
from rugwijzer.services.meals import parse_meal_text

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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    database = load_food_database()
    cases = sentences()
    for text, lang in cases:
        parse_meal_text(database, text, lang=lang)
    timings = []
    for _ in range(args.repeats):
        for text, lang in cases:
            started = time.perf_counter()
            parse_meal_text(database, text, lang=lang)
            timings.append((time.perf_counter() - started) * 1000)
    results = {
        "sentences": len(cases),
        "samples": len(timings),
        "parse_ms_p50": percentile(timings, 0.5),
        "parse_ms_p99": percentile(timings, 0.99),
        "parse_ms_max": max(timings),
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for key, value in results.items():
        verdict = ""
        if key == "parse_ms_p99":
            verdict = "  ok" if value <= 20 else "  OVER 20"
        print(f"{key:24} {value:10.2f}{verdict}")


if __name__ == "__main__":
    main()

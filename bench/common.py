"""What every benchmark shares: percentiles, a measure's summary with its errors kept apart,
verdicts against the targets, a readable table and one JSON line per result.

Benchmarks report and tests judge: a missed target is printed as MISSED and the exit code stays
0. The exit code is 1 only when the benchmark itself failed (no samples, or more failed requests
than `max_error_rate` allows), so a broken benchmark cannot pass for a slow one.
"""

from __future__ import annotations

import json
import math
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

#: Share of failed requests above which a run is a failed benchmark, not a slow result.
MAX_ERROR_RATE = 0.01


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of all values at
    or below it (p99 of 2,000 samples is the 1,980th fastest; 20 are slower)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    # the small tolerance keeps 0.99 * 2000 at rank 1980 despite binary floating point
    rank = max(1, math.ceil(share * len(ordered) - 1e-9))
    return ordered[rank - 1]


@dataclass
class Measure:
    """The timings of one kind of request in one case. A failed request (non-2xx, exception,
    timeout) is counted by its reason and its time is left out of the percentiles."""

    name: str
    timings_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def ok(self, milliseconds: float) -> None:
        """Record a successful request."""
        self.timings_ms.append(milliseconds)  # list.append is atomic under the GIL

    def failed(self, reason: str) -> None:
        """Record a failed request by its reason, e.g. "HTTP 503" or "ReadTimeout"."""
        with self._lock:
            self.errors[reason] += 1

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def latency_record(
    bench: str,
    case: str,
    measure: Measure,
    *,
    elapsed_s: float,
    target_p99_ms: float | None,
    samples_asked: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The summary of one measure: counts, percentiles, throughput and the verdict on p99."""
    values = measure.timings_ms

    def stat(share: float) -> float | None:
        return round(percentile(values, share), 3) if values else None

    p99 = stat(0.99)
    verdict = None
    if target_p99_ms is not None:
        verdict = "met" if p99 is not None and p99 <= target_p99_ms else "MISSED"
    return {
        "bench": bench,
        "case": case,
        "measure": measure.name,
        "samples": len(values),
        "samples_asked": samples_asked,
        "errors": measure.error_count,
        "error_kinds": dict(measure.errors.most_common(5)),
        "p50_ms": stat(0.50),
        "p90_ms": stat(0.90),
        "p99_ms": p99,
        "max_ms": stat(1.0),
        "throughput_per_s": round(len(values) / elapsed_s, 1) if elapsed_s > 0 else None,
        "elapsed_s": round(elapsed_s, 3),
        "target_p99_ms": target_p99_ms,
        "verdict": verdict,
        **extra,
    }


def value_record(
    bench: str,
    case: str,
    measure: str,
    value: float,
    unit: str,
    *,
    target_max: float | None = None,
    target_min: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A single figure (a size, a load time, a memory, a throughput) with its verdict against
    `target_max` (at most) or `target_min` (at least)."""
    verdict = None
    if target_max is not None:
        verdict = "met" if value <= target_max else "MISSED"
    elif target_min is not None:
        verdict = "met" if value >= target_min else "MISSED"
    return {
        "bench": bench,
        "case": case,
        "measure": measure,
        "value": round(value, 3),
        "unit": unit,
        "target_max": target_max,
        "target_min": target_min,
        "verdict": verdict,
        **extra,
    }


def _number(value: float | None, width: int) -> str:
    return f"{value:{width}.1f}" if value is not None else f"{'-':>{width}}"


def _verdict_text(record: dict[str, Any], target: str) -> str:
    if record["verdict"] is None:
        return "(information)"
    return f"{record['verdict']} (target {target})"


def print_table(records: list[dict[str, Any]]) -> None:
    """The records as a readable table: latencies first, then single figures."""
    latencies = [r for r in records if "p99_ms" in r]
    values = [r for r in records if "value" in r]
    if latencies:
        header = (
            f"{'case':38} {'measure':14} {'n':>6} {'errors':>6} {'p50':>8} {'p90':>8} "
            f"{'p99':>8} {'max':>8} {'per s':>7}  verdict on p99"
        )
        print(header)
        print("-" * len(header))
        for r in latencies:
            short = ""
            if r["samples_asked"] and r["samples"] < r["samples_asked"]:
                short = f"  ONLY {r['samples']} OF {r['samples_asked']} SAMPLES (time limit)"
            target = f"<= {r['target_p99_ms']:g} ms" if r["target_p99_ms"] is not None else ""
            print(
                f"{r['case']:38} {r['measure']:14} {r['samples']:6} {r['errors']:6} "
                f"{_number(r['p50_ms'], 8)} {_number(r['p90_ms'], 8)} {_number(r['p99_ms'], 8)} "
                f"{_number(r['max_ms'], 8)} {_number(r['throughput_per_s'], 7)}  "
                f"{_verdict_text(r, target)}{short}"
            )
            if r["errors"]:
                print(f"{'':38}   errors: {r['error_kinds']}")
        print("(times in ms; failed requests are counted under errors, not timed)")
    if values:
        if latencies:
            print()
        for r in values:
            target = ""
            if r["target_max"] is not None:
                target = f"<= {r['target_max']:g} {r['unit']}"
            elif r.get("target_min") is not None:
                target = f">= {r['target_min']:g} {r['unit']}"
            label = f"{r['case']} {r['measure']}"
            print(f"{label:45} {r['value']:10.2f} {r['unit']:4} {_verdict_text(r, target)}")


def print_json_lines(records: list[dict[str, Any]]) -> None:
    """One JSON object per line, for scripts and the smoke test."""
    for record in records:
        print(json.dumps(record, sort_keys=True))


def report(
    records: list[dict[str, Any]],
    *,
    json_only: bool = False,
    max_error_rate: float = MAX_ERROR_RATE,
    quick: bool = False,
) -> int:
    """Print the table (unless `json_only`) and the JSON lines; return the exit code: 1 when a
    measure has no samples or too many failed requests, else 0 (also when a target is missed).
    `quick` marks a smoke run, whose figures say nothing about the targets."""
    if quick:
        records = [{**r, "quick": True} for r in records]
        if not json_only:
            print("QUICK SMOKE RUN: too few users and samples to judge the targets")
    if not json_only:
        print_table(records)
        print()
    print_json_lines(records)
    failures = []
    for r in records:
        if "p99_ms" not in r:
            continue
        attempts = r["samples"] + r["errors"]
        if r["samples"] == 0:
            failures.append(f"{r['case']} {r['measure']}: no successful samples")
        elif r["errors"] / attempts > max_error_rate:
            failures.append(
                f"{r['case']} {r['measure']}: {r['errors']} of {attempts} requests failed "
                f"(more than {max_error_rate:.0%})"
            )
    for failure in failures:
        print(f"BENCHMARK FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0

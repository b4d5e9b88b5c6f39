"""Benchmark of the Today page: first-load transfer size and server latency at 10 concurrent
users (local mode, SQLite, one `rugwijzer serve` process, loopback). Targets (web issue):
transfer <= 200 kB, p99 <= 50 ms.

Two cases, flooded first: every user reloads as soon as the page arrives (no think time), then
every user looks at the page for 0.5-1.5 times --think seconds (1 s) before reloading. Each case
starts with an unmeasured warm-up and runs until it has --samples successful page views (or
--max-seconds passed). Failed views (non-2xx, exceptions, timeouts) are counted, not timed.

Run with `.venv/bin/python bench/bench_web.py [--quick] [--json]`. The load generator only talks
to 127.0.0.1 and stops after a bounded count and time.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
import tempfile
import threading
import time
from pathlib import Path
from subprocess import CalledProcessError
from typing import Any

import httpx

# Run as a plain file: the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.local_server import local_server

from bench.common import MAX_ERROR_RATE, Measure, Pauses, latency_record, report, value_record

TARGET_P99_MS = 50.0
TARGET_TRANSFER_KB = 200.0
REQUEST_TIMEOUT_S = 10.0
MEALS = (
    "havermout 40 g met 200 ml halfvolle melk",
    "2 sneetjes volkorenbrood met pindakaas",
    "een handje amandelen",
    "150 g zalm met 200 g aardappelen en broccoli",
    "30 g chocolade",  # an item with alternatives to choose from
)


def fill_diary(base: str) -> None:
    """A realistic day for the one local user: profile, five meals, a supplement, a check-in."""
    with httpx.Client(base_url=f"{base}/api/v1", timeout=30) as api:
        api.put("/me/profile", json={"birth_year": 1975, "sex": "female"}).raise_for_status()
        for meal in MEALS:
            api.post("/me/meals", json={"text": meal, "lang": "nl"}).raise_for_status()
        api.post(
            "/me/supplements", json={"label": "magnesium (als citraat) 150 mg"}
        ).raise_for_status()
        api.put(
            f"/me/checkins/{time.strftime('%Y-%m-%d')}", json={"pain": 5, "stress": 4}
        ).raise_for_status()


def first_load_bytes(base: str) -> tuple[int, int]:
    """Bytes of the Today page plus every static asset it links, and the number of assets."""
    response = httpx.get(f"{base}/today", timeout=30)
    response.raise_for_status()
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', response.content)
    total = len(response.content)
    for asset in assets:
        asset_response = httpx.get(base + asset.decode(), timeout=30)
        asset_response.raise_for_status()
        total += len(asset_response.content)
    return total, len(assets)


def views(
    base: str, users: int, samples: int, max_seconds: float, think_s: float
) -> tuple[Measure, float]:
    """Page views of Today by `users` threads until `samples` succeeded or time is up; the
    measure and the elapsed seconds."""
    measure = Measure("today")
    stop = threading.Event()
    deadline = time.monotonic() + max_seconds

    def person(number: int) -> None:
        pauses = Pauses(number, think_s)
        if think_s and stop.wait(pauses.first()):
            return
        with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S) as client:
            while not stop.is_set():
                started = time.perf_counter()
                try:
                    response = client.get("/today")
                except httpx.HTTPError as exc:
                    measure.failed(type(exc).__name__)
                else:
                    elapsed_ms = (time.perf_counter() - started) * 1000
                    if response.is_success:
                        measure.ok(elapsed_ms)
                    else:
                        measure.failed(f"HTTP {response.status_code}")
                if len(measure.timings_ms) >= samples or time.monotonic() > deadline:
                    stop.set()
                if think_s:
                    # a person looks at the page before reloading it
                    stop.wait(pauses.between())

    # The load generator's own garbage-collection pauses would show up as server latency.
    gc.collect()
    gc.disable()
    started = time.monotonic()
    threads = [threading.Thread(target=person, args=(n,)) for n in range(users)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        gc.enable()
    return measure, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--samples", type=int, default=2000, help="successful views per case")
    parser.add_argument("--warmup", type=int, default=100, help="views before a case, unmeasured")
    parser.add_argument(
        "--max-seconds", type=float, default=300, help="time limit of one case or warm-up"
    )
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between views")
    parser.add_argument("--max-error-rate", type=float, default=MAX_ERROR_RATE)
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 3 users, 40 views, short think time"
    )
    parser.add_argument("--json", action="store_true", help="print only the JSON lines")
    args = parser.parse_args()
    if args.quick:
        args.users, args.samples, args.warmup = 3, 40, 10
        args.think, args.max_seconds = 0.02, 30
    data = Path(tempfile.mkdtemp(prefix="rugwijzer-web-bench-"))
    records: list[dict[str, Any]] = []
    try:
        with local_server(data / "data", wait_seconds=60) as base:
            fill_diary(base)
            transfer, assets = first_load_bytes(base)
            records.append(
                value_record(
                    "web",
                    "Today first load",
                    "transfer",
                    transfer / 1024,
                    "kB",
                    target_max=TARGET_TRANSFER_KB,
                    assets=assets,
                )
            )
            for case, think_s in (("flooded", 0.0), (f"think {args.think:g} s", args.think)):
                views(base, args.users, args.warmup, args.max_seconds, 0.0)  # warm-up
                measure, elapsed = views(base, args.users, args.samples, args.max_seconds, think_s)
                done = len(measure.timings_ms) + measure.error_count
                print(f"Today {case}: {done} views in {elapsed:.0f} s", file=sys.stderr)
                records.append(
                    latency_record(
                        "web",
                        f"Today {args.users} users {case}",
                        measure,
                        elapsed_s=elapsed,
                        target_p99_ms=TARGET_P99_MS,
                        samples_asked=args.samples,
                        users=args.users,
                        think_s=think_s,
                    )
                )
    except (RuntimeError, httpx.HTTPError, OSError, CalledProcessError) as exc:
        print(f"BENCHMARK FAILED: {exc}", file=sys.stderr)
        return 1
    if not args.json:
        print(
            f"Today page, local mode, one process, SQLite, loopback; {args.samples} views per "
            f"case after {args.warmup} unmeasured"
        )
    return report(
        records, json_only=args.json, quick=args.quick, max_error_rate=args.max_error_rate
    )


if __name__ == "__main__":
    sys.exit(main())

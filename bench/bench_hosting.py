"""Hosting benchmark (issue #16): `rugwijzer serve --workers 2`, server mode, PostgreSQL on
127.0.0.1:5432, every simulated person their own account.

Targets (issue #16, 2-core machine):
- "meals flooded": 50 clients log meals without pause: throughput >= 250 meals/s and
  p99 <= 250 ms;
- "think 1 s": 100 clients log a meal, read the day summary and open Today in turn, each
  waiting 0.5-1.5 times --think seconds (1 s) between actions: p99 <= 50 ms for each of the
  three.

Each case starts with an unmeasured warm-up and runs until every measure has --samples
successful requests (or --max-seconds passed). Failed requests are counted, not timed.

The load generator talks HTTP/1.1 over keep-alive connections with the standard library's
`http.client`, one thread per person: it is much lighter than a full client library, and it
still shares the machine's two cores with the server and PostgreSQL; its CPU time is reported
beside the figures (`client_cpu_s`).

Run with `.venv/bin/python bench/bench_hosting.py [--quick] [--json]`. It only talks to
127.0.0.1 and drops the database it made.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from subprocess import CalledProcessError
from typing import Any

import httpx
from sqlalchemy.exc import SQLAlchemyError

# Run as a plain file: the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.local_server import local_server

from bench.common import (
    MAX_ERROR_RATE,
    Connection,
    Measure,
    Pauses,
    hosting_settings,
    latency_record,
    register,
    report,
    throwaway_postgres,
    value_record,
)

FLOODED_TARGET_P99_MS = 250.0
FLOODED_TARGET_MEALS_PER_S = 250.0
THINK_TARGET_P99_MS = 50.0
MEALS = (
    "2 sneetjes volkorenbrood met pindakaas",
    "een banaan en 30 gram amandelen",
    "1/2 cup cooked spinach",
    "havermout 40 g met 200 ml halfvolle melk",
)
#: What each person has logged today before the cases start (Today shows these).
TODAYS_MEALS = ("havermout 40 g met 200 ml halfvolle melk", "2 sneetjes volkorenbrood met kaas")
#: A person moves to the next diary day after this many meals, so a day summary and Today read
#: a realistic day (1-4 meals), not one day that grows through the run.
MEALS_PER_DAY = 4
#: Each phase writes to its own range of past days (the diary takes days from 1900).
DAYS_PER_PHASE = 5000
FIRST_DAY = date(1901, 1, 1)


class Phase:
    """One run of all simulated people: stop signal, measures, day range, think time."""

    def __init__(
        self, number: int, names: tuple[str, ...], samples: int, max_seconds: float, think_s: float
    ) -> None:
        self.first_day = FIRST_DAY + timedelta(days=number * DAYS_PER_PHASE)
        self.samples = samples
        self.deadline = time.monotonic() + max_seconds
        self.think_s = think_s
        self.stop = threading.Event()
        self.measures = {name: Measure(name) for name in names}

    def check_done(self) -> None:
        enough = all(len(m.timings_ms) >= self.samples for m in self.measures.values())
        if enough or time.monotonic() > self.deadline:
            self.stop.set()


Action = tuple[str, str, str, bytes | None]  # measure, method, path, body


def meals_only(number: int, step: int, day: date) -> Action:
    meal = {"text": MEALS[(number + step) % len(MEALS)], "lang": "nl", "date": day.isoformat()}
    return "log_meal", "POST", "/api/v1/me/meals", json.dumps(meal).encode()


def meal_summary_today(number: int, step: int, day: date) -> Action:
    kind = step % 3
    if kind == 0:
        return meals_only(number, step // 3, day)
    if kind == 1:
        return "day_summary", "GET", f"/api/v1/me/days/{day.isoformat()}", None
    return "today", "GET", f"/today?day={day.isoformat()}", None


def person(
    connection: Connection,
    number: int,
    phase: Phase,
    actions: Callable[[int, int, date], Action],
    meals_per_round: int,
) -> None:
    """One simulated person: the case's actions in turn until told to stop."""
    step = 0
    pauses = Pauses(number, phase.think_s)
    if phase.think_s and phase.stop.wait(pauses.first()):
        return
    while not phase.stop.is_set():
        rounds = step // meals_per_round
        offset = rounds // MEALS_PER_DAY % DAYS_PER_PHASE
        day = phase.first_day + timedelta(days=offset)
        name, method, path, body = actions(number, step, day)
        started = time.perf_counter()
        try:
            status = connection.request(method, path, body)
        except (OSError, http.client.HTTPException) as exc:
            phase.measures[name].failed(type(exc).__name__)
        else:
            if 200 <= status < 300:
                phase.measures[name].ok((time.perf_counter() - started) * 1000)
            else:
                phase.measures[name].failed(f"HTTP {status}")
        step += 1
        phase.check_done()
        if phase.think_s:
            phase.stop.wait(pauses.between())


def load(
    connections: list[Connection],
    phase: Phase,
    actions: Callable[[int, int, date], Action],
    meals_per_round: int,
) -> tuple[float, float]:
    """Run one thread per person until the phase is done; elapsed seconds and the load
    generator's own CPU seconds."""
    gc.collect()
    gc.disable()  # the generator's own collections would show up as server latency
    started, cpu_started = time.monotonic(), time.process_time()
    threads = [
        threading.Thread(target=person, args=(c, n, phase, actions, meals_per_round))
        for n, c in enumerate(connections)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        gc.enable()
    return time.monotonic() - started, time.process_time() - cpu_started


def run_cases(database_url: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    data_dir = Path(tempfile.mkdtemp(prefix="rugwijzer-bench-"))
    settings = hosting_settings(database_url)
    users = max(args.flooded_users, args.think_users)
    records: list[dict[str, Any]] = []
    with local_server(data_dir, extra_env=settings, workers=args.workers, wait_seconds=90) as base:
        with ThreadPoolExecutor(max_workers=8) as pool:
            tokens = list(
                pool.map(lambda n: register(base, f"user{n}@bench.example"), range(users))
            )
        connections = [Connection(base, token) for token in tokens]
        # Today shows the current day: give it what a person has logged by lunch (the cases
        # themselves write to days long past, so Today stays this size through the run)
        for connection in connections:
            for text in TODAYS_MEALS:
                status = connection.request(
                    "POST", "/api/v1/me/meals", json.dumps({"text": text, "lang": "nl"}).encode()
                )
                if status != 201:
                    raise RuntimeError(f"logging today's meals failed: HTTP {status}")
        cases = [
            (
                "meals flooded",
                connections[: args.flooded_users],
                ("log_meal",),
                meals_only,
                1,
                0.0,
                FLOODED_TARGET_P99_MS,
            ),
            (
                f"think {args.think:g} s",
                connections[: args.think_users],
                ("log_meal", "day_summary", "today"),
                meal_summary_today,
                3,
                args.think,
                THINK_TARGET_P99_MS,
            ),
        ]
        if args.only:
            cases = [case for case in cases if case[0].split()[0] == args.only]
        try:
            for number, (case, people, names, actions, per_round, think_s, target) in enumerate(
                cases
            ):
                warmup = Phase(2 * number, names, args.warmup, args.max_seconds, 0.0)
                load(people, warmup, actions, per_round)
                phase = Phase(2 * number + 1, names, args.samples, args.max_seconds, think_s)
                elapsed, client_cpu = load(people, phase, actions, per_round)
                done = sum(len(m.timings_ms) + m.error_count for m in phase.measures.values())
                print(f"{case}: {done} requests in {elapsed:.0f} s", file=sys.stderr)
                for measure in phase.measures.values():
                    records.append(
                        latency_record(
                            "hosting",
                            case,
                            measure,
                            elapsed_s=elapsed,
                            target_p99_ms=target,
                            samples_asked=args.samples,
                            users=len(people),
                            workers=args.workers,
                            think_s=think_s,
                            client_cpu_s=round(client_cpu, 2),
                        )
                    )
                if case == "meals flooded":
                    meals_per_s = len(phase.measures["log_meal"].timings_ms) / elapsed
                    records.append(
                        value_record(
                            "hosting",
                            case,
                            "meals_per_s",
                            meals_per_s,
                            "/s",
                            target_min=FLOODED_TARGET_MEALS_PER_S,
                        )
                    )
        finally:
            for connection in connections:
                connection.close()
    return records


def run_postgres(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The cases on a new PostgreSQL database, dropped afterwards."""
    with throwaway_postgres(args.postgres) as url:
        return run_cases(url, args)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--flooded-users", type=int, default=50)
    parser.add_argument("--think-users", type=int, default=100)
    parser.add_argument(
        "--samples", type=int, default=2000, help="successful requests per measure and case"
    )
    parser.add_argument("--warmup", type=int, default=300, help="requests per measure, unmeasured")
    parser.add_argument("--max-seconds", type=float, default=240, help="limit of one phase")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between actions")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--max-error-rate", type=float, default=MAX_ERROR_RATE)
    parser.add_argument(
        "--only", choices=("meals", "think"), help="run one case: meals flooded, or think time"
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    parser.add_argument("--json", action="store_true", help="print only the JSON lines")
    args = parser.parse_args()
    if args.quick:
        args.flooded_users, args.think_users, args.samples, args.warmup = 3, 3, 30, 5
        args.think, args.max_seconds = 0.02, 30
    try:
        records = run_postgres(args)
    except (RuntimeError, httpx.HTTPError, OSError, SQLAlchemyError, CalledProcessError) as exc:
        print(f"BENCHMARK FAILED: {exc}", file=sys.stderr)
        return 1
    if not args.json:
        print(
            f"Hosting: {args.workers} workers, server mode, PostgreSQL, loopback; "
            f"{args.samples} samples per measure after {args.warmup} unmeasured"
        )
    return report(
        records, json_only=args.json, quick=args.quick, max_error_rate=args.max_error_rate
    )


if __name__ == "__main__":
    sys.exit(main())

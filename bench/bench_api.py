"""Load benchmark of the diary API: "log a meal" and "day summary" for 50 concurrent users,
two app processes (uvicorn workers) in server mode on loopback, on SQLite and on PostgreSQL.

Target (diary issue): p99 <= 100 ms at 50 concurrent users on a 2-core machine.

Each database gets two cases, flooded first:
- flooded: every user sends the next request as soon as the answer arrives (no think time),
  so 50 requests are in flight; this is what "50 concurrent users" means at its hardest;
- think time: a user reads the answer for 0.5-1.5 times --think seconds (1 s) before the next
  action, which is closer to people but keeps fewer than one request in flight on average.
Each case starts with an unmeasured warm-up and runs until every measure has --samples
successful requests (or --max-seconds passed). Failed requests are counted, not timed.

Run with `.venv/bin/python bench/bench_api.py [--quick] [--skip-postgres] [--json]`.
The load generator only talks to 127.0.0.1 and stops after a bounded count and time. It shares
the machine's cores with the server, as on a developer's 2-core machine.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from subprocess import CalledProcessError
from typing import Any

import httpx
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError

# Run as a plain file: the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.local_server import local_server

from bench.common import MAX_ERROR_RATE, Measure, Pauses, latency_record, report

TARGET_P99_MS = 100.0
REQUEST_TIMEOUT_S = 10.0
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
MEALS = [
    "2 sneetjes volkorenbrood met pindakaas",
    "een banaan en 30 gram amandelen",
    "1/2 cup cooked spinach",
    "havermout 40 g met 200 ml halfvolle melk",
]
#: A simulated person moves to the next diary day after this many meals, so a day summary
#: reads a realistic day (1-4 meals) rather than one day that grows through the run.
MEALS_PER_DAY = 4
#: Each phase (warm-ups and cases) writes to its own range of past days (the diary takes days
#: from 1900 to tomorrow).
DAYS_PER_PHASE = 5000
FIRST_DAY = date(1901, 1, 1)


class Phase:
    """One run of all simulated people: shared stop signal, measures and day range."""

    def __init__(self, number: int, samples: int, max_seconds: float, think_s: float) -> None:
        self.first_day = FIRST_DAY + timedelta(days=number * DAYS_PER_PHASE)
        self.samples = samples
        self.deadline = time.monotonic() + max_seconds
        self.think_s = think_s
        self.stop = threading.Event()
        self.measures = {"log_meal": Measure("log_meal"), "day_summary": Measure("day_summary")}

    def check_done(self) -> None:
        enough = all(len(m.timings_ms) >= self.samples for m in self.measures.values())
        if enough or time.monotonic() > self.deadline:
            self.stop.set()


def person(client: httpx.Client, number: int, phase: Phase) -> None:
    """One simulated person: log a meal, look at the day, (think,) repeat until told to stop."""
    step = 0
    pauses = Pauses(number, phase.think_s)
    if phase.think_s and phase.stop.wait(pauses.first()):
        return
    while not phase.stop.is_set():
        meals_logged = step // 2
        offset = meals_logged // MEALS_PER_DAY % DAYS_PER_PHASE
        day = (phase.first_day + timedelta(days=offset)).isoformat()
        if step % 2 == 0:
            kind = "log_meal"
            meal = {"text": MEALS[(number + meals_logged) % len(MEALS)], "lang": "nl", "date": day}
            request = client.build_request("POST", "/api/v1/me/meals", json=meal)
        else:
            kind = "day_summary"
            request = client.build_request("GET", f"/api/v1/me/days/{day}")
        started = time.perf_counter()
        try:
            response = client.send(request)
        except httpx.HTTPError as exc:
            phase.measures[kind].failed(type(exc).__name__)
        else:
            elapsed_ms = (time.perf_counter() - started) * 1000
            if response.is_success:
                phase.measures[kind].ok(elapsed_ms)
            else:
                phase.measures[kind].failed(f"HTTP {response.status_code}")
        step += 1
        phase.check_done()
        if phase.think_s:
            # a person reads the answer before the next action
            phase.stop.wait(pauses.between())


def load(clients: list[httpx.Client], phase: Phase) -> float:
    """Run one thread per person until the phase has its samples or its time is up; the
    elapsed seconds."""
    # The load generator's own garbage-collection pauses would show up as server latency.
    gc.collect()
    gc.disable()
    started = time.monotonic()
    threads = [
        threading.Thread(target=person, args=(client, n, phase)) for n, client in enumerate(clients)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        gc.enable()
    return time.monotonic() - started


def register(base: str, email: str) -> str:
    """A new account's session token."""
    password = "bench password 123"
    account = {"email": email, "password": password}
    httpx.post(f"{base}/api/v1/auth/register", json=account, timeout=30).raise_for_status()
    response = httpx.post(f"{base}/api/v1/auth/login", json=account, timeout=30)
    response.raise_for_status()
    return str(response.json()["token"])


def run_database(label: str, database_url: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Both cases (flooded, think time) on one database; their summary records."""
    data_dir = Path(tempfile.mkdtemp(prefix="rugwijzer-bench-"))
    settings = {
        "RUGWIJZER_DATABASE_URL": database_url,
        # Server mode: every simulated person is their own user with their own diary.
        "RUGWIJZER_MODE": "server",
        "RUGWIJZER_SECRET_KEY": uuid.uuid4().hex + uuid.uuid4().hex,
        # the load comes from one address: do not let the login limit get in the way
        "RUGWIJZER_LOGIN_ATTEMPTS_PER_WINDOW": "1000",
        # nor the registration limit; the API limit stays on (its count is part of the cost
        # of a request) but far above what the simulated clients send
        "RUGWIJZER_REGISTRATIONS_PER_WINDOW": "100000",
        "RUGWIJZER_API_REQUESTS_PER_MINUTE": "1000000",
    }
    records = []
    cases = [("flooded", 0.0), (f"think {args.think:g} s", args.think)]
    with local_server(data_dir, extra_env=settings, workers=args.workers, wait_seconds=90) as base:
        # password hashing makes each sign-up slow on purpose: sign up in parallel
        with ThreadPoolExecutor(max_workers=8) as pool:
            tokens = list(
                pool.map(lambda n: register(base, f"user{n}@bench.example"), range(args.users))
            )
        clients = [
            httpx.Client(
                base_url=base,
                timeout=REQUEST_TIMEOUT_S,
                headers={"authorization": f"Bearer {token}"},
            )
            for token in tokens
        ]
        try:
            for number, (case, think_s) in enumerate(cases):
                # warm-up, not measured: connections, caches, the database's statistics
                load(clients, Phase(2 * number, args.warmup, args.max_seconds, 0.0))
                phase = Phase(2 * number + 1, args.samples, args.max_seconds, think_s)
                elapsed = load(clients, phase)
                done = sum(len(m.timings_ms) + m.error_count for m in phase.measures.values())
                print(f"{label} {case}: {done} requests in {elapsed:.0f} s", file=sys.stderr)
                for measure in phase.measures.values():
                    records.append(
                        latency_record(
                            "api",
                            f"{label} {case}",
                            measure,
                            elapsed_s=elapsed,
                            target_p99_ms=TARGET_P99_MS,
                            samples_asked=args.samples,
                            users=args.users,
                            workers=args.workers,
                            think_s=think_s,
                        )
                    )
        finally:
            for client in clients:
                client.close()
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--samples", type=int, default=2000, help="successful requests per measure and case"
    )
    parser.add_argument("--warmup", type=int, default=200, help="requests per measure, unmeasured")
    parser.add_argument(
        "--max-seconds", type=float, default=240, help="time limit of one case or warm-up"
    )
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds a user waits between actions"
    )
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--max-error-rate", type=float, default=MAX_ERROR_RATE)
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 3 users, 40 samples, short think time"
    )
    parser.add_argument("--json", action="store_true", help="print only the JSON lines")
    args = parser.parse_args()
    if args.quick:
        args.users, args.samples, args.warmup = 3, 40, 10
        args.think, args.max_seconds = 0.02, 30
    records: list[dict[str, Any]] = []
    try:
        if not args.skip_sqlite:
            sqlite_dir = Path(tempfile.mkdtemp(prefix="rugwijzer-bench-db-"))
            records += run_database("SQLite", f"sqlite:///{sqlite_dir / 'bench.db'}", args)
        if not args.skip_postgres:
            records += run_postgres(args)
    except (RuntimeError, httpx.HTTPError, OSError, SQLAlchemyError, CalledProcessError) as exc:
        print(f"BENCHMARK FAILED: {exc}", file=sys.stderr)
        return 1
    if not args.json:
        print(
            f"Diary API, {args.users} users, {args.workers} workers, server mode, loopback; "
            f"{args.samples} samples per measure after {args.warmup} unmeasured"
        )
    return report(
        records, json_only=args.json, quick=args.quick, max_error_rate=args.max_error_rate
    )


def run_postgres(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The cases on a new PostgreSQL database, dropped afterwards."""
    if make_url(args.postgres).host not in LOOPBACK_HOSTS:
        raise RuntimeError(f"--postgres must be on this machine (127.0.0.1), not {args.postgres}")
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    name = f"rugwijzer_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
        return run_database("PostgreSQL", url, args)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())

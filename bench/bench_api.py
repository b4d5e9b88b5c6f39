"""Load benchmark of the diary API: "log a meal" and "day summary" under 50 concurrent users,
two app processes (uvicorn workers) on loopback, on SQLite and on PostgreSQL.

Target (diary issue): p99 <= 100 ms at 50 concurrent users on a 2-core machine.

Run with `.venv/bin/python bench/bench_api.py [--seconds 15] [--users 50] [--postgres URL]`.
The load generator only talks to 127.0.0.1 and stops after --seconds.
"""

from __future__ import annotations

import argparse
import gc
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

MEALS = [
    "2 sneetjes volkorenbrood met pindakaas",
    "een banaan en 30 gram amandelen",
    "1/2 cup cooked spinach",
    "havermout 40 g met 200 ml halfvolle melk",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def user(
    base: str,
    deadline: float,
    number: int,
    token: str,
    timings: dict[str, list[float]],
    errors: list[str],
    think_seconds: float,
) -> None:
    """One simulated person: log a meal, look at the day, think, repeat."""
    today = date.today().isoformat()
    headers = {"authorization": f"Bearer {token}"}
    step = number
    if think_seconds:
        # people do not all press a button in the same millisecond: spread the first request
        time.sleep(think_seconds * (number * 7919 % 1000) / 1000)
    # A blocking client per person, in its own thread. (httpx's asyncio client added about
    # 45 ms to every POST here, which measured the client rather than Rugwijzer.)
    with httpx.Client(base_url=base, timeout=30) as client:
        while time.monotonic() < deadline:
            step += 1
            started = time.perf_counter()
            if step % 2:
                meal = {"text": MEALS[step % len(MEALS)], "lang": "nl"}
                response = client.post("/api/v1/me/meals", json=meal, headers=headers)
                kind = "log_meal"
            else:
                response = client.get(f"/api/v1/me/days/{today}", headers=headers)
                kind = "day_summary"
            timings[kind].append((time.perf_counter() - started) * 1000)
            if response.status_code >= 400:
                errors.append(f"{kind} {response.status_code}")
            if think_seconds:
                # a person reads the answer before the next action
                time.sleep(think_seconds * (0.5 + (step * 7919 % 1000) / 1000))


def load(
    base: str, tokens: list[str], seconds: float, think_seconds: float = 0.0
) -> tuple[dict[str, list[float]], list[str], float]:
    """Run one thread per person until `seconds` have passed."""
    timings: dict[str, list[float]] = {"log_meal": [], "day_summary": []}
    errors: list[str] = []
    # The load generator's own garbage-collection pauses would show up as server latency.
    gc.collect()
    gc.disable()
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(
            target=user, args=(base, deadline, n, token, timings, errors, think_seconds)
        )
        for n, token in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    gc.enable()
    return timings, errors, elapsed


def register(base: str, email: str) -> str:
    password = "bench password 123"
    httpx.post(
        f"{base}/api/v1/auth/register", json={"email": email, "password": password}, timeout=30
    )
    response = httpx.post(
        f"{base}/api/v1/auth/login", json={"email": email, "password": password}, timeout=30
    )
    response.raise_for_status()
    return str(response.json()["token"])


def run(
    label: str, database_url: str, users: int, seconds: float, workers: int, think_seconds: float
) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="rugwijzer-bench-"))
    # Server mode: every simulated person is their own user with their own diary.
    env = {
        **os.environ,
        "RUGWIJZER_DATA_DIR": str(data_dir),
        "RUGWIJZER_DATABASE_URL": database_url,
        "RUGWIJZER_MODE": "server",
        "RUGWIJZER_SECRET_KEY": uuid.uuid4().hex + uuid.uuid4().hex,
        # the load comes from one address: do not let the login limit get in the way
        "RUGWIJZER_LOGIN_ATTEMPTS_PER_WINDOW": "1000",
    }
    subprocess.run(
        [sys.executable, "-m", "rugwijzer", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "rugwijzer.web.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"{label}: server did not start")
            time.sleep(0.3)
        tokens = [register(base, f"user{n}@bench.example") for n in range(users)]
        load(base, tokens, 4, think_seconds)  # warm up: connections, caches, statistics
        timings, errors, elapsed = load(base, tokens, seconds, think_seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = sum(len(v) for v in timings.values())
    print(
        f"{label}: {users} users (think time {think_seconds:g} s), {workers} workers, "
        f"{elapsed:.1f} s, {total / elapsed:.0f} requests/s, {len(errors)} errors"
    )
    for kind, values in timings.items():
        print(
            f"  {kind:12} n={len(values):5}  p50 {statistics.median(values):7.1f} ms  "
            f"p99 {percentile(values, 0.99):7.1f} ms  max {max(values):7.1f} ms"
        )
    if errors:
        print("  errors:", sorted(set(errors))[:5])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--think", type=float, default=1.0, help="seconds a user waits between actions (0: flood)"
    )
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    sqlite_dir = Path(tempfile.mkdtemp(prefix="rugwijzer-bench-db-"))
    sqlite_url = f"sqlite:///{sqlite_dir / 'bench.db'}"
    if not args.skip_sqlite:
        run("SQLite", sqlite_url, args.users, args.seconds, args.workers, args.think)
    if args.skip_postgres:
        return
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    name = f"rugwijzer_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
        run("PostgreSQL", url, args.users, args.seconds, args.workers, args.think)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()

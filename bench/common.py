"""What every benchmark shares: percentiles, a measure's summary with its errors kept apart,
verdicts against the targets, a readable table and one JSON line per result.

Benchmarks report and tests judge: a missed target is printed as MISSED and the exit code stays
0. The exit code is 1 only when the benchmark itself failed (no samples, or more failed requests
than `max_error_rate` allows), so a broken benchmark cannot pass for a slow one.
"""

from __future__ import annotations

import http.client
import json
import math
import random
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import create_engine, make_url, text

#: Share of failed requests above which a run is a failed benchmark, not a slow result.
MAX_ERROR_RATE = 0.01
#: The only database hosts a benchmark creates and drops databases on.
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
#: How long a load generator waits for one answer before counting the request as failed.
REQUEST_TIMEOUT_S = 10.0


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of all values at
    or below it (p99 of 2,000 samples is the 1,980th fastest; 20 are slower)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    # the small tolerance keeps 0.99 * 2000 at rank 1980 despite binary floating point
    rank = max(1, math.ceil(share * len(ordered) - 1e-9))
    return ordered[rank - 1]


class Pauses:
    """One simulated person's pauses: a first one of up to `think_s` (people do not all press
    a button in the same millisecond), then 0.5-1.5 times `think_s` between actions.

    Each person draws from a sequence of their own, seeded with their number so a run can be
    repeated. A pause that depended on the step alone was the same for everyone at that step:
    the people stayed in step, sped up and slowed down together, and the load came in waves of
    several seconds."""

    def __init__(self, number: int, think_s: float) -> None:
        self.think_s = think_s
        self._draws = random.Random(number)

    def first(self) -> float:
        return self.think_s * self._draws.random()

    def between(self) -> float:
        return self.think_s * self._draws.uniform(0.5, 1.5)


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
        # route templates make long names (bench_soak): the columns widen to fit them
        case_width = max(38, *(len(r["case"]) for r in latencies))
        measure_width = max(14, *(len(r["measure"]) for r in latencies))
        header = (
            f"{'case':{case_width}} {'measure':{measure_width}} {'n':>6} {'errors':>6} "
            f"{'p50':>8} {'p90':>8} {'p99':>8} {'max':>8} {'per s':>7}  verdict on p99"
        )
        print(header)
        print("-" * len(header))
        for r in latencies:
            short = ""
            if r["samples_asked"] and r["samples"] < r["samples_asked"]:
                short = f"  ONLY {r['samples']} OF {r['samples_asked']} SAMPLES (time limit)"
            target = f"<= {r['target_p99_ms']:g} ms" if r["target_p99_ms"] is not None else ""
            print(
                f"{r['case']:{case_width}} {r['measure']:{measure_width}} {r['samples']:6} "
                f"{r['errors']:6} {_number(r['p50_ms'], 8)} {_number(r['p90_ms'], 8)} "
                f"{_number(r['p99_ms'], 8)} {_number(r['max_ms'], 8)} "
                f"{_number(r['throughput_per_s'], 7)}  {_verdict_text(r, target)}{short}"
            )
            if r["errors"]:
                print(f"{'':{case_width}}   errors: {r['error_kinds']}")
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


# --- Load against a hosted server (bench_hosting, bench_soak) ----------------------------------


def hosting_settings(database_url: str) -> dict[str, str]:
    """The settings of a server-mode Rugwijzer for load from one loopback address: the sign-up
    and login limits out of the way; the per-user API limit stays on (its count is part of every
    request's cost) but far above what a simulated person sends."""
    return {
        "RUGWIJZER_DATABASE_URL": database_url,
        "RUGWIJZER_MODE": "server",
        "RUGWIJZER_SECRET_KEY": uuid.uuid4().hex + uuid.uuid4().hex,
        "RUGWIJZER_LOGIN_ATTEMPTS_PER_WINDOW": "1000",
        "RUGWIJZER_REGISTRATIONS_PER_WINDOW": "100000",
        "RUGWIJZER_API_REQUESTS_PER_MINUTE": "1000000",
    }


@contextmanager
def throwaway_postgres(admin_url: str, prefix: str = "rugwijzer_bench") -> Iterator[str]:
    """A new, empty PostgreSQL database on this machine (the URL of the one in `admin_url`
    with another name), dropped afterwards even when its connections are still open."""
    if make_url(admin_url).host not in LOOPBACK_HOSTS:
        raise RuntimeError(f"--postgres must be on this machine (127.0.0.1), not {admin_url}")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def register(base: str, email: str) -> str:
    """A new account with a profile; its session token."""
    account = {"email": email, "password": "bench password 123"}
    with httpx.Client(base_url=base, timeout=30) as client:
        client.post("/api/v1/auth/register", json=account).raise_for_status()
        response = client.post("/api/v1/auth/login", json=account)
        response.raise_for_status()
        token = str(response.json()["token"])
        # a profile, so Today shows targets and the gap (what people who use it see)
        client.put(
            "/api/v1/me/profile",
            json={"birth_year": 1975, "sex": "female"},
            headers={"authorization": f"Bearer {token}"},
        ).raise_for_status()
    return token


class Connection:
    """One person's keep-alive connection to the server, reopened after a failure. Plain
    `http.client`: much lighter than a full client library, so the load generator takes less
    of the cores it shares with the server."""

    def __init__(self, base: str, token: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.headers = {
            "authorization": f"Bearer {token}",
            # Today is a page: the browser's session cookie, which is Secure in server mode
            "cookie": f"rugwijzer_session={token}",
            "content-type": "application/json",
        }
        self._connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None) -> int:
        """Send one request and read the whole answer; its status code."""
        return self.exchange(method, path, body)[0]

    def exchange(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        """Send one request and read the whole answer; its status code and body."""
        if self._connection is None:
            self._connection = http.client.HTTPConnection(
                self.host, self.port, timeout=REQUEST_TIMEOUT_S
            )
        try:
            self._connection.request(method, path, body=body, headers=self.headers)
            response = self._connection.getresponse()
            content = response.read()
        except Exception:
            self.close()
            raise
        if response.will_close:
            self.close()
        return response.status, content

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

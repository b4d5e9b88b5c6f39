"""Soak test (issue #16): `rugwijzer serve --workers 2`, server mode, PostgreSQL on
127.0.0.1:5432, under a steady mix of every diary API write and read for --minutes (30 by hand,
2 in the integration suite).

What it reports:
- errors: every answer that is not 2xx (and every exception or timeout), by endpoint and kind;
  0 expected;
- p50/p90/p99 per endpoint, named by method and route template, over the whole run and over each
  half (a latency that creeps up shows as a second half slower than the first);
- the resident memory (VmRSS) of each worker process every --sample-seconds: first, last, max,
  and the slope of a least-squares line through the samples of the second half of the run (the
  first half is the warm-up: caches, the food database, pools, the allocator's arenas), in MB
  per hour, judged against RSS_GROWTH_LIMIT_PER_HOUR of the worker's own size; the samples
  themselves are in the JSON line (`series`: [seconds, MB] pairs) for a plot;
- workers replaced during the run (0 expected), the rate reached against the rate asked, and
  how late requests left against their planned time (the schedule lag).

The load is open-loop: request i leaves at start + i / --rate, whatever the answers before it
did, so a slow server meets the same load instead of a politer one. Requests go to the --users
people in turn (each person is their own account with a profile, on a keep-alive connection);
a person does one thing at a time, so a request whose person is still waiting for an answer
leaves late, and the lag says so. Each person writes their diary one day after another
(FIRST_DAY on), a day being the round of DAY_STEPS below: meals logged, edited, corrected and
deleted, a supplement, a check-in, changes started and ended with their effect, and the reads
(day, period, entries, profile, food search, plan, export, PDF report), heavy ones rarely.

Run with `.venv/bin/python bench/bench_soak.py [--minutes 30] [--rate 40] [--quick] [--json]`.
It only talks to 127.0.0.1 and drops the database it made.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from subprocess import CalledProcessError
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy.exc import SQLAlchemyError

# Run as a plain file: the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.local_server import local_server, server_pid, worker_pids

from bench.common import (
    MAX_ERROR_RATE,
    Connection,
    Measure,
    hosting_settings,
    latency_record,
    register,
    report,
    throwaway_postgres,
    value_record,
)

BENCH = "soak"
#: The verdict on memory: a worker's RSS may grow by at most this share of its own size per
#: hour, fitted over the second half of the run. A worker of 150 MB may so grow 7.5 MB an hour,
#: 180 MB a day: a leak that size would still be found by a day's soak, but a shorter run cannot
#: tell less from noise (the allocator takes memory in steps of a few hundred kB to a MB).
RSS_GROWTH_LIMIT_PER_HOUR = 0.05
#: The first diary day; a person moves one day on per round of DAY_STEPS. 30 minutes at 40/s
#: over 30 people is about 130 days each, far from tomorrow (the diary's last day).
FIRST_DAY = date(2015, 1, 1)
PERIOD_DAYS = 28
#: How many days of meals and supplements a person keeps (--keep-days): each day they delete
#: those of the day that falls out of the window, so from then on the diary keeps its size and
#: so does the work of reading all of it (the export). Otherwise a worker's memory follows the
#: largest diary exported, which this run grows a hundred times faster than life does: what
#: is measured then is the data's growth, not the server's.
KEEP_DAYS = 2 * PERIOD_DAYS

ROUTES = (
    "POST /api/v1/me/meals",
    "PUT /api/v1/me/meals/{meal_id}",
    "PATCH /api/v1/me/meals/{meal_id}/items/{position}",
    "DELETE /api/v1/me/entries/{kind}/{entry_id}",
    "POST /api/v1/me/supplements",
    "PUT /api/v1/me/checkins/{day}",
    "POST /api/v1/me/changes",
    "PATCH /api/v1/me/changes/{change_id}",
    "GET /api/v1/me/changes/{change_id}/effect",
    "GET /api/v1/me/days/{day}",
    "GET /api/v1/me/period",
    "GET /api/v1/me/entries/{kind}",
    "GET /api/v1/me/profile",
    "PUT /api/v1/me/profile",
    "GET /api/v1/foods",
    "POST /api/v1/plan",
    "GET /api/v1/me/export",
    "GET /api/v1/me/report.pdf",
    "POST /api/v1/me/triage",
    "POST /api/v1/me/red-flag/acknowledge",
    "POST /api/v1/me/screen",
)
#: The routes of the person's diary (/api/v1/me/...) that the mix leaves out, and why.
NOT_IN_THE_MIX = {
    "POST /api/v1/me/import": "restores an export into an empty diary: once, never again",
}
BREAKFASTS = (
    "2 sneetjes volkorenbrood met pindakaas",
    "havermout 40 g met 200 ml halfvolle melk",
    "een bakje kwark met een banaan",
)
BETTER_BREAKFASTS = (
    "3 sneetjes volkorenbrood met pindakaas en een glas halfvolle melk",
    "havermout 50 g met 250 ml halfvolle melk en een handje rozijnen",
)
LUNCHES = (
    "200 g spinazie met 150 g aardappelen",
    "een boterham met kaas en een appel",
    "een kom linzensoep met een volkoren broodje",
)
SNACKS = ("een banaan en 30 gram amandelen", "een handje cashewnoten", "2 stukjes pure chocolade")
FOOD_QUERIES = ("pindakaas", "amandelen", "spinazie", "havermout", "volkorenbrood", "banaan")
SUPPLEMENTS: tuple[dict[str, Any], ...] = (
    {"label": "Magnesiumcitraat 300 mg"},
    {"name": "magnesium", "elemental_mg": 100},
)
CHANGES = ("begonnen met magnesium", "nieuwe bureaustoel", "elke dag 20 minuten wandelen")

Action = tuple[str, str, str, dict[str, Any] | None]  # route, method, path, JSON body


@dataclass
class Person:
    """One simulated person: their connection and where they are in their diary. A person
    does one thing at a time (`lock`)."""

    number: int
    connection: Connection
    lock: threading.Lock = field(default_factory=threading.Lock)
    cycle: int = 0
    step: int = 0
    day_meals: dict[str, int] = field(default_factory=dict)
    change_id: int | None = None
    change_started: int | None = None  # the cycle of the open change, None when ended
    left_out: frozenset[str] = frozenset()  # routes this run leaves out (--leave-out)
    keep_days: int | None = KEEP_DAYS  # None: keep everything
    #: the meals and supplements kept, by day, oldest first: (kind, id)
    kept: deque[tuple[date, list[tuple[str, int]]]] = field(default_factory=deque)

    @property
    def day(self) -> date:
        return FIRST_DAY + timedelta(days=self.cycle)

    def every(self, cycles: int) -> bool:
        """Whether a step done every `cycles` days is due today (staggered between people)."""
        return (self.cycle + self.number) % cycles == 0

    def pick(self, options: tuple[Any, ...]) -> Any:
        return options[(self.cycle + self.number) % len(options)]

    # --- the steps of one day; None skips a step that does not apply today ---------------

    def log_breakfast(self) -> Action:
        meal = {"text": self.pick(BREAKFASTS), "lang": "nl", "date": self.day.isoformat()}
        return "POST /api/v1/me/meals", "POST", "/api/v1/me/meals", meal | {"_as": "breakfast"}

    def day_summary(self) -> Action:
        path = f"/api/v1/me/days/{self.day.isoformat()}?lang=nl"
        return "GET /api/v1/me/days/{day}", "GET", path, None

    def check_in(self) -> Action:
        turn = self.cycle * 7 + self.number
        body = {
            # a little less pain while a change runs, so the effect has something to find
            "pain": 3 + turn % 4 + (0 if self.change_started is not None else 1),
            "stress": 2 + turn % 5,
            "sleep_quality": 4 + turn % 4,
            "stiffness": 3 + turn % 3,
            "cramps": turn % 3 == 0,
            "minutes_active": 20 + turn % 40,
            "note": "rug wat stijf na lang zitten" if turn % 4 == 0 else None,
        }
        path = f"/api/v1/me/checkins/{self.day.isoformat()}"
        return "PUT /api/v1/me/checkins/{day}", "PUT", path, body

    def log_lunch(self) -> Action:
        meal = {"text": self.pick(LUNCHES), "lang": "nl", "date": self.day.isoformat()}
        return "POST /api/v1/me/meals", "POST", "/api/v1/me/meals", meal | {"_as": "lunch"}

    def correct_lunch_item(self) -> Action | None:
        if "lunch" not in self.day_meals:
            return None
        path = f"/api/v1/me/meals/{self.day_meals['lunch']}/items/0"
        body = {"grams": 50 + 25 * (self.cycle % 5)}
        return "PATCH /api/v1/me/meals/{meal_id}/items/{position}", "PATCH", path, body

    def search_foods(self) -> Action:
        path = "/api/v1/foods?" + urlencode({"q": self.pick(FOOD_QUERIES)})
        return "GET /api/v1/foods", "GET", path, None

    def edit_breakfast(self) -> Action | None:
        if "breakfast" not in self.day_meals:
            return None
        path = f"/api/v1/me/meals/{self.day_meals['breakfast']}"
        body = {"text": self.pick(BETTER_BREAKFASTS), "lang": "nl", "date": self.day.isoformat()}
        return "PUT /api/v1/me/meals/{meal_id}", "PUT", path, body

    def log_supplement(self) -> Action:
        body = self.pick(SUPPLEMENTS) | {"date": self.day.isoformat()}
        return "POST /api/v1/me/supplements", "POST", "/api/v1/me/supplements?lang=nl", body

    def list_entries(self) -> Action:
        kind = self.pick(("meal", "checkin", "supplement", "change"))
        path = f"/api/v1/me/entries/{kind}?limit=20"
        return "GET /api/v1/me/entries/{kind}", "GET", path, None

    def log_snack(self) -> Action:
        meal = {"text": self.pick(SNACKS), "lang": "nl", "date": self.day.isoformat()}
        return "POST /api/v1/me/meals", "POST", "/api/v1/me/meals", meal | {"_as": "snack"}

    def delete_snack(self) -> Action | None:
        # the snack was logged on the wrong day, say: gone again
        if "snack" not in self.day_meals:
            return None
        path = f"/api/v1/me/entries/meal/{self.day_meals['snack']}"
        return "DELETE /api/v1/me/entries/{kind}/{entry_id}", "DELETE", path, None

    def forget_old_entry(self) -> Action | None:
        """One meal or supplement of the day that left the window (several steps a day)."""
        if self.keep_days is None or not self.kept:
            return None
        day, entries = self.kept[0]
        if day > self.day - timedelta(days=self.keep_days):
            return None
        kind, entry_id = entries.pop()
        if not entries:
            self.kept.popleft()
        path = f"/api/v1/me/entries/{kind}/{entry_id}"
        return "DELETE /api/v1/me/entries/{kind}/{entry_id}", "DELETE", path, None

    def start_or_end_change(self) -> Action | None:
        if self.change_started is None and self.cycle >= 1:
            body = {"description": self.pick(CHANGES), "started_on": self.day.isoformat()}
            return "POST /api/v1/me/changes", "POST", "/api/v1/me/changes", body
        # a change runs 3 to 7 days (by person), then ends; the next one starts the day after
        if self.change_started is not None and self.cycle - self.change_started >= 3 + (
            self.number % 5
        ):
            path = f"/api/v1/me/changes/{self.change_id}"
            return "PATCH /api/v1/me/changes/{change_id}", "PATCH", path, {"ended_on": self.day}
        return None

    def plan(self) -> Action:
        body = {"exclude": ["noten"]} if self.every(2) else {"gap_mg": 120, "kcal_max": 400}
        return "POST /api/v1/plan", "POST", "/api/v1/plan?lang=nl", body

    def effect(self) -> Action | None:
        if self.change_id is None:
            return None
        path = f"/api/v1/me/changes/{self.change_id}/effect?lang=nl"
        return "GET /api/v1/me/changes/{change_id}/effect", "GET", path, None

    def period(self) -> Action:
        start = self.day - timedelta(days=PERIOD_DAYS - 1)
        path = f"/api/v1/me/period?start={start.isoformat()}&end={self.day.isoformat()}"
        return "GET /api/v1/me/period", "GET", path, None

    def get_profile(self) -> Action:
        return "GET /api/v1/me/profile", "GET", "/api/v1/me/profile", None

    def put_profile(self) -> Action | None:
        if not self.every(5):
            return None
        body = {"diet_exclusions": ["noten"] if self.every(10) else [], "language": "nl"}
        return "PUT /api/v1/me/profile", "PUT", "/api/v1/me/profile", body

    def export(self) -> Action | None:
        if not self.every(4):
            return None
        kind = "zip" if self.every(8) else "json"
        return "GET /api/v1/me/export", "GET", f"/api/v1/me/export?format={kind}", None

    def report(self) -> Action | None:
        # the PDF is the heaviest request by far: once a month per person
        if not self.every(30):
            return None
        start = self.day - timedelta(days=PERIOD_DAYS - 1)
        query = urlencode({"from": start.isoformat(), "to": self.day.isoformat(), "lang": "nl"})
        return "GET /api/v1/me/report.pdf", "GET", f"/api/v1/me/report.pdf?{query}", None

    def triage(self) -> Action | None:
        if not self.every(15):
            return None
        # every other time with a warning sign, which then heads every page until read
        body = {"age": 50, "pain_weeks": 3 + self.cycle % 10, "saddle_numbness": self.every(30)}
        return "POST /api/v1/me/triage", "POST", "/api/v1/me/triage?lang=nl", body

    def acknowledge_red_flag(self) -> Action | None:
        if not self.every(15):
            return None
        path = "/api/v1/me/red-flag/acknowledge"
        return "POST /api/v1/me/red-flag/acknowledge", "POST", path, None

    def screen(self) -> Action | None:
        if not self.every(15):
            return None
        body = {"symptoms": ["cramps"] if self.every(30) else [], "age": 50}
        return "POST /api/v1/me/screen", "POST", "/api/v1/me/screen?lang=nl", body

    # --- moving through the days ---------------------------------------------------------

    def next_action(self) -> Action:
        """The next request of this person: the next step of today that applies."""
        while True:
            action = DAY_STEPS[self.step](self)
            self.step += 1
            if self.step == len(DAY_STEPS):  # the day is done: the next one
                self.step = 0
                self.cycle += 1
                self.day_meals = {}
            if action is not None and action[0] not in self.left_out:
                return action

    def answered(self, action: Action, status: int, content: bytes) -> None:
        """Keep what later steps need from a successful answer."""
        route, _, _, body = action
        if route == "POST /api/v1/me/meals" and body is not None:
            meal_id = int(json.loads(content)["id"])
            self.day_meals[str(body["_as"])] = meal_id
            if body["_as"] != "snack":  # the snack goes again the same day
                self.keep("meal", meal_id)
        elif route == "POST /api/v1/me/supplements":
            self.keep("supplement", int(json.loads(content)["id"]))
        elif route == "POST /api/v1/me/changes":
            self.change_id = int(json.loads(content)["id"])
            self.change_started = self.cycle
        elif route == "PATCH /api/v1/me/changes/{change_id}":
            self.change_started = None

    def keep(self, kind: str, entry_id: int) -> None:
        if not self.kept or self.kept[-1][0] != self.day:
            self.kept.append((self.day, []))
        self.kept[-1][1].append((kind, entry_id))


DAY_STEPS: tuple[Callable[[Person], Action | None], ...] = (
    Person.log_breakfast,
    Person.day_summary,
    Person.check_in,
    Person.log_lunch,
    Person.correct_lunch_item,
    Person.search_foods,
    Person.edit_breakfast,
    Person.log_supplement,
    Person.list_entries,
    Person.log_snack,
    Person.delete_snack,
    Person.forget_old_entry,
    Person.start_or_end_change,
    Person.plan,
    Person.effect,
    Person.period,
    Person.get_profile,
    Person.put_profile,
    Person.export,
    Person.forget_old_entry,
    Person.report,
    Person.triage,
    Person.day_summary,
    Person.acknowledge_red_flag,
    Person.forget_old_entry,
    Person.screen,
)


@dataclass
class Results:
    """What the load collected: per route the (seconds since start, ms) of each success and
    the failures by kind; the lag of every request against its plan."""

    started: float
    timings: dict[str, list[tuple[float, float]]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    lag: Measure = field(default_factory=lambda: Measure("schedule_lag"))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def failed(self, route: str, reason: str) -> None:
        with self.lock:
            self.errors[route][reason] += 1


def one_request(person: Person, planned: float, results: Results) -> None:
    """Person `person`'s next request, planned for `planned` (monotonic seconds)."""
    with person.lock:
        action = person.next_action()
        route, method, path, body = action
        payload = None
        if body is not None:
            payload = json.dumps({k: v for k, v in body.items() if k != "_as"}, default=str)
        started = time.perf_counter()
        results.lag.ok((time.monotonic() - planned) * 1000)
        try:
            status, content = person.connection.exchange(
                method, path, payload.encode() if payload else None
            )
        except (OSError, http.client.HTTPException) as exc:
            results.failed(route, type(exc).__name__)
            return
        elapsed_ms = (time.perf_counter() - started) * 1000
        if not 200 <= status < 300:
            results.failed(route, f"HTTP {status}")
            return
        try:
            person.answered(action, status, content)
        except (ValueError, KeyError) as exc:  # an answer without what the next steps need
            results.failed(route, f"answer: {type(exc).__name__}")
            return
        results.timings[route].append((planned - results.started, elapsed_ms))


def drive(people: list[Person], seconds: float, rate: float, results: Results) -> int:
    """Send `seconds * rate` requests at `rate` per second, evenly spaced, to the people in
    turn; wait for the last answers. The number of requests sent."""
    total = int(seconds * rate)
    with ThreadPoolExecutor(max_workers=len(people), thread_name_prefix="person") as pool:
        for number in range(total):
            planned = results.started + number / rate
            delay = planned - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one_request, people[number % len(people)], planned, results)
    return total


def rss_mb(pid: int) -> float | None:
    """The resident memory of process `pid` in MB (MiB), None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@dataclass
class MemorySampler:
    """Samples the RSS of every worker of `supervisor` every `interval` seconds, on a thread."""

    supervisor: int
    interval: float
    started: float
    series: dict[int, list[tuple[float, float]]] = field(default_factory=lambda: defaultdict(list))
    stop: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> None:
        moment = time.monotonic() - self.started
        for pid in sorted(worker_pids(self.supervisor)):
            value = rss_mb(pid)
            if value is not None:
                self.series[pid].append((round(moment, 2), round(value, 2)))

    def run(self) -> None:
        while True:
            self.sample()
            if self.stop.wait(self.interval):
                return


def memory_records(
    case: str, series: dict[int, list[tuple[float, float]]], seconds: float, workers: int
) -> list[dict[str, Any]]:
    """Per worker: first, last and max RSS, the slope over the second half and its verdict;
    then the count of workers replaced during the run."""
    records = []
    for number, (pid, samples) in enumerate(sorted(series.items()), start=1):
        values = [mb for _, mb in samples]
        late = [(t, mb) for t, mb in samples if t >= seconds / 2]
        slope = None
        mean_late = statistics.fmean(mb for _, mb in late) if late else values[-1]
        if len(late) >= 3:
            fit = statistics.linear_regression([t for t, _ in late], [mb for _, mb in late])
            slope = fit.slope * 3600
        limit = round(RSS_GROWTH_LIMIT_PER_HOUR * mean_late, 1)
        extra = {
            "pid": pid,
            "first_mb": values[0],
            "last_mb": values[-1],
            "max_mb": max(values),
            "second_half_first_mb": late[0][1] if late else None,
            "second_half_mean_mb": round(mean_late, 2),
            "second_half_samples": len(late),
            "series": [list(sample) for sample in samples],
        }
        if slope is None:  # too few samples for a line (a worker that came late, --quick)
            records.append(
                value_record(BENCH, f"{case} worker {number}", "rss_last_mb", values[-1], "MB")
                | extra
            )
            continue
        records.append(
            value_record(
                BENCH,
                f"{case} worker {number}",
                "rss_slope_mb_per_h",
                slope,
                "MB/h",
                target_max=limit,
                **extra,
            )
        )
    replaced = max(0, len(series) - workers)
    records.append(
        value_record(
            BENCH, case, "workers_replaced", replaced, "", target_max=0, pids=sorted(series)
        )
    )
    return records


def latency_records(
    case: str,
    results: Results,
    seconds: float,
    extra: dict[str, Any],
    left_out: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """Per route in the mix: the percentiles over the whole run and over each half."""
    records = []
    for route in (route for route in ROUTES if route not in left_out):
        samples = results.timings.get(route, [])
        halves = {
            "first_half": [ms for t, ms in samples if t < seconds / 2],
            "second_half": [ms for t, ms in samples if t >= seconds / 2],
        }
        measure = Measure(route, timings_ms=[ms for _, ms in samples])
        measure.errors.update(results.errors.get(route, Counter()))
        halves_extra: dict[str, Any] = {}
        for name, values in halves.items():
            record = latency_record(
                BENCH, case, Measure(route, values), elapsed_s=seconds / 2, target_p99_ms=None
            )
            halves_extra[f"p50_ms_{name}"] = record["p50_ms"]
            halves_extra[f"p99_ms_{name}"] = record["p99_ms"]
        records.append(
            latency_record(
                BENCH,
                case,
                measure,
                elapsed_s=seconds,
                target_p99_ms=None,
                **halves_extra,
                **extra,
            )
        )
    return records


def run_soak(database_url: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    seconds = args.minutes * 60
    data_dir = Path(tempfile.mkdtemp(prefix="rugwijzer-bench-"))
    log = data_dir / "server.log"
    case = f"{args.minutes:g} min at {args.rate:g}/s"
    with local_server(
        data_dir,
        log=log,
        extra_env=hosting_settings(database_url),
        workers=args.workers,
        wait_seconds=90,
    ) as base:
        with ThreadPoolExecutor(max_workers=8) as pool:
            tokens = list(
                pool.map(lambda n: register(base, f"user{n}@soak.example"), range(args.users))
            )
        people = [
            Person(n, Connection(base, token), left_out=args.leave_out, keep_days=args.keep_days)
            for n, token in enumerate(tokens)
        ]
        supervisor = server_pid(base)
        deadline = time.monotonic() + 60
        while len(worker_pids(supervisor)) < args.workers:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{args.workers} workers did not come up\n{log.read_text()}")
            time.sleep(0.2)
        gc.collect()
        gc.freeze()  # the generator's own long-lived objects stay out of its collections
        results = Results(started=time.monotonic() + 0.5)
        sampler = MemorySampler(supervisor, args.sample_seconds, results.started)
        sampling = threading.Thread(target=sampler.run, name="rss", daemon=True)
        cpu_started = time.process_time()
        try:
            sampling.start()
            sent = drive(people, seconds, args.rate, results)
            elapsed = time.monotonic() - results.started
            sampler.sample()  # the last sample, after the last answer
        finally:
            sampler.stop.set()
            sampling.join(timeout=10)
            for person in people:
                person.connection.close()
        client_cpu = time.process_time() - cpu_started
    print(f"{case}: {sent} requests in {elapsed:.0f} s; server log {log}", file=sys.stderr)
    common = {
        "users": args.users,
        "workers": args.workers,
        "rate_asked_per_s": args.rate,
        "keep_days": args.keep_days,
        "left_out": sorted(args.leave_out),
    }
    records = latency_records(case, results, seconds, common, args.leave_out)
    records.append(
        latency_record(
            BENCH,
            case,
            results.lag,
            elapsed_s=elapsed,
            target_p99_ms=None,
            client_cpu_s=round(client_cpu, 2),
        )
    )
    error_kinds: Counter[str] = Counter()
    for route, kinds in results.errors.items():
        for kind, count in kinds.items():
            error_kinds[f"{route}: {kind}"] += count
    records.append(
        value_record(
            BENCH,
            case,
            "errors",
            sum(error_kinds.values()),
            "",
            target_max=0,
            requests=sent,
            error_kinds=dict(error_kinds),
        )
    )
    answered = sum(len(samples) for samples in results.timings.values())
    records.append(
        value_record(
            BENCH,
            case,
            "answered_per_s",
            answered / elapsed,
            "/s",
            target_min=round(0.9 * args.rate, 2),
        )
    )
    records += memory_records(case, sampler.series, seconds, args.workers)
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=30.0, help="length of the run")
    parser.add_argument("--rate", type=float, default=40.0, help="requests per second, in all")
    parser.add_argument("--users", type=int, default=30, help="people, each their own account")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--sample-seconds", type=float, default=5.0, help="seconds between RSS samples"
    )
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--max-error-rate", type=float, default=MAX_ERROR_RATE)
    parser.add_argument(
        "--keep-days",
        type=int,
        default=KEEP_DAYS,
        help="days of meals and supplements each person keeps; 0 keeps all, so diaries grow",
    )
    parser.add_argument(
        "--leave-out",
        action="append",
        default=[],
        choices=ROUTES,
        metavar="ROUTE",
        help="leave a route out of the mix, named as in ROUTES (repeatable), to see its share",
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run of about 15 seconds")
    parser.add_argument("--json", action="store_true", help="print only the JSON lines")
    args = parser.parse_args()
    args.keep_days = args.keep_days or None  # 0: keep everything
    args.leave_out = frozenset(args.leave_out)
    if args.quick:
        args.minutes, args.rate, args.users, args.sample_seconds = 0.25, 30.0, 3, 1.0
    try:
        with throwaway_postgres(args.postgres, prefix="rugwijzer_soak") as url:
            records = run_soak(url, args)
    except (RuntimeError, httpx.HTTPError, OSError, SQLAlchemyError, CalledProcessError) as exc:
        print(f"BENCHMARK FAILED: {exc}", file=sys.stderr)
        return 1
    if not args.json:
        print(
            f"Soak: {args.workers} workers, server mode, PostgreSQL, loopback; {args.users} "
            f"people, {args.rate:g} requests/s open-loop for {args.minutes:g} min; RSS of each "
            f"worker every {args.sample_seconds:g} s (slope over the second half)"
        )
    return report(
        records, json_only=args.json, quick=args.quick, max_error_rate=args.max_error_rate
    )


if __name__ == "__main__":
    sys.exit(main())

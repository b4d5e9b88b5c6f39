"""Profile the hosted hot paths in one process (issue #16, throughput): "log a meal", "day
summary" and Today, each --requests times against a fresh PostgreSQL database (or --sqlite),
server mode, one signed-in user with a profile.

For each path it prints the SQL statements (database round trips) one request sends, the
mean wall and CPU time per request, and the functions that take the most time (cProfile,
sorted by --sort, --top lines). Run with `.venv/bin/python bench/profile_requests.py`; this is
a tool for finding where the time goes, not a benchmark with targets.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
from sqlalchemy import create_engine, event, text

MEALS = (
    "2 sneetjes volkorenbrood met pindakaas",
    "een banaan en 30 gram amandelen",
    "1/2 cup cooked spinach",
    "havermout 40 g met 200 ml halfvolle melk",
)


async def _inline(func: Callable[..., Any], *args: Any, **_options: Any) -> Any:
    return func(*args)


def run_in_this_thread() -> None:
    """Run the sync routes and dependencies inline instead of in the thread pool: cProfile sees
    only the thread it was enabled in, and one request at a time needs no pool."""
    anyio.to_thread.run_sync = _inline  # type: ignore[assignment]


class Client:
    """Requests to the app in this thread, through httpx's ASGI transport."""

    def __init__(self, app: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://testserver"
        )
        self.headers = self.client.headers
        self.cookies = self.client.cookies

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.post(path, **kwargs))

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.put(path, **kwargs))

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.get(path, **kwargs))

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()


def make_client(database_url: str) -> tuple[Client, Any]:
    from rugwijzer.settings import Settings
    from rugwijzer.store.engine import make_engine
    from rugwijzer.store.migrate import upgrade
    from rugwijzer.web.app import create_app

    settings = Settings(
        mode="server",
        database_url=database_url,
        data_dir=Path(tempfile.mkdtemp(prefix="rugwijzer-profile-")),
        secret_key=uuid.uuid4().hex * 2,
        api_requests_per_minute=1_000_000,
    )
    migrations = make_engine(database_url)
    upgrade(migrations)
    migrations.dispose()
    app = create_app(settings)
    run_in_this_thread()
    client = Client(app)
    account = {"email": "profile@example.org", "password": "profile password 123"}
    client.post("/api/v1/auth/register", json=account).raise_for_status()
    token = client.post("/api/v1/auth/login", json=account).json()["token"]
    client.headers["authorization"] = f"Bearer {token}"
    client.cookies.set("rugwijzer_session", token)
    client.put("/api/v1/me/profile", json={"birth_year": 1975, "sex": "female"}).raise_for_status()
    return client, app.state.engine


def _package(filename: str) -> str:
    """The package (or the part of Rugwijzer) a profiled function lives in."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    if "/rugwijzer/" in filename:
        return "rugwijzer." + filename.split("/rugwijzer/", 1)[1].split("/", 1)[0]
    if filename.startswith("<") or filename == "~":
        return "builtins"
    return "stdlib: " + Path(filename).stem


def profile_path(
    name: str, call: Callable[[int], Any], engine: Any, requests: int, sort: str, top: int
) -> None:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    for number in range(20):  # warm caches and the connection pool, unmeasured
        call(number)
    event.listen(engine, "before_cursor_execute", count)
    call(20)
    event.remove(engine, "before_cursor_execute", count)
    # first without the profiler, whose own cost roughly doubles the time of Python code
    wall, cpu = time.perf_counter(), time.process_time()
    for number in range(requests):
        call(100 + requests + number)
    plain_wall, plain_cpu = time.perf_counter() - wall, time.process_time() - cpu
    # CPU time, not wall time: waiting for PostgreSQL is not work of this process
    profiler = cProfile.Profile(time.process_time)
    wall, cpu = time.perf_counter(), time.process_time()
    profiler.enable()
    for number in range(requests):
        call(100 + number)
    profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"\n=== {name}: {len(statements)} SQL statements per request ===")
    for statement in statements:
        print("   ", " ".join(statement.split())[:150])
    print(
        f"mean per request: {1000 * plain_wall / requests:.2f} ms wall, "
        f"{1000 * plain_cpu / requests:.2f} ms CPU (this process); under the profiler "
        f"{1000 * wall / requests:.2f} ms wall, {1000 * cpu / requests:.2f} ms CPU"
    )
    stats = pstats.Stats(profiler)
    print("own time by package (share of the profiled time):")
    by_package: dict[str, float] = {}
    for (filename, _line, _function), row in stats.stats.items():  # type: ignore[attr-defined]
        by_package[_package(filename)] = by_package.get(_package(filename), 0.0) + row[2]
    total = sum(by_package.values())
    for package, seconds in sorted(by_package.items(), key=lambda item: -item[1])[:12]:
        print(f"    {package:28} {100 * seconds / total:5.1f} %")
    output = io.StringIO()
    stats.stream = output  # type: ignore[attr-defined]
    stats.sort_stats(sort).print_stats(top)
    print(output.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--only", choices=("log_meal", "day_summary", "today"))
    args = parser.parse_args()
    admin = None
    if args.sqlite:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='rugwijzer-profile-db-')}/profile.db"
    else:
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        name = f"rugwijzer_profile_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
    try:
        client, engine = make_client(url)
        first = date(1950, 1, 1)

        def day(number: int) -> str:
            return (first + timedelta(days=number // 4)).isoformat()

        def log_meal(number: int) -> None:
            meal = {"text": MEALS[number % len(MEALS)], "lang": "nl", "date": day(number)}
            client.post("/api/v1/me/meals", json=meal).raise_for_status()

        def day_summary(number: int) -> None:
            client.get(f"/api/v1/me/days/{day(number)}").raise_for_status()

        def today(number: int) -> None:
            client.get(f"/today?day={day(number)}").raise_for_status()

        for name, call in (("log_meal", log_meal), ("day_summary", day_summary), ("today", today)):
            if args.only in (None, name):
                profile_path(name, call, engine, args.requests, args.sort, args.top)
        client.close()
    finally:
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

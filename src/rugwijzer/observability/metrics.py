"""The application's Prometheus metrics, and their exposition for `/metrics`.

With one process, metrics live in memory. With several worker processes, every worker writes its
own files in `PROMETHEUS_MULTIPROC_DIR` (set before the workers start: `metrics_dir.py`) and a
scrape, answered by whichever worker gets it, adds up the files of all of them. Counters and
histograms of a worker that has died stay counted (they are totals); its gauges are dropped, so
the pool gauges show the live workers only.

No metric has a label that names a person: routes are templates (`/api/v1/meals/{meal_id}`),
never the path a request asked for.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    values,
)
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from sqlalchemy import Engine, event

from rugwijzer.observability.metrics_dir import METRICS_DIR_VARIABLE

__all__ = [
    "CONTENT_TYPE",
    "DB_POOL_CHECKED_OUT",
    "DB_POOL_SIZE",
    "MEALS_LOGGED",
    "REQUESTS",
    "REQUEST_SECONDS",
    "exposition",
    "forget_dead_workers",
    "instrument_pool",
    "multiprocess_mode",
    "pool_closed",
    "pool_opened",
    "worker_stopped",
]

#: The media type of the exposition (Prometheus text format).
CONTENT_TYPE = CONTENT_TYPE_LATEST

# In multiprocess mode every metric below opens its file at once: a folder that is named but
# not there yet (a fresh machine, a cleaned /tmp) would stop every command from starting.
if os.environ.get(METRICS_DIR_VARIABLE):
    Path(os.environ[METRICS_DIR_VARIABLE]).mkdir(parents=True, exist_ok=True, mode=0o700)

REQUESTS = Counter(
    "rugwijzer_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
REQUEST_SECONDS = Histogram(
    "rugwijzer_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method and route template.",
    ["method", "route"],
)
MEALS_LOGGED = Counter("rugwijzer_meals_logged", "Meals stored in a diary.")
# livesum: the sum over the worker processes that are alive.
DB_POOL_CHECKED_OUT = Gauge(
    "rugwijzer_db_pool_checked_out",
    "Database connections in use (checked out of the pools), summed over the live workers.",
    multiprocess_mode="livesum",
)
DB_POOL_SIZE = Gauge(
    "rugwijzer_db_pool_size",
    "Connections the pools keep open at most (without overflow), summed over the live workers.",
    multiprocess_mode="livesum",
)

_LIVE_GAUGE_FILE = re.compile(r"^gauge_live[a-z]+_(\d+)\.db$")


def multiprocess_mode() -> bool:
    """Whether this process writes its metrics to files shared with other workers. Decided by
    prometheus-client when it was imported, from PROMETHEUS_MULTIPROC_DIR at that moment."""
    return values.ValueClass is not values.MutexValue


def _pool_size(engine: Engine) -> int:
    size = getattr(engine.pool, "size", None)  # QueuePool has one; NullPool and others do not
    return int(size()) if callable(size) else 0


def instrument_pool(engine: Engine) -> None:
    """Count `engine`'s connections in DB_POOL_CHECKED_OUT as they are checked out of its
    pool and back in."""

    @event.listens_for(engine, "checkout")
    def _checked_out(*_: Any) -> None:
        DB_POOL_CHECKED_OUT.inc()

    @event.listens_for(engine, "checkin")
    def _checked_in(*_: Any) -> None:
        DB_POOL_CHECKED_OUT.dec()


def pool_opened(engine: Engine) -> None:
    """Add `engine`'s pool to DB_POOL_SIZE (when the app starts serving)."""
    DB_POOL_SIZE.inc(_pool_size(engine))


def pool_closed(engine: Engine) -> None:
    """Take `engine`'s pool out of DB_POOL_SIZE (when the app stops)."""
    DB_POOL_SIZE.dec(_pool_size(engine))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def forget_dead_workers(folder: Path) -> list[int]:
    """Drop the live gauges of worker processes that no longer run (killed, say, so that they
    could not say so themselves); the process ids dropped."""
    dead: set[int] = set()
    for path in folder.glob("gauge_live*_*.db"):
        found = _LIVE_GAUGE_FILE.match(path.name)
        if found and not _alive(int(found.group(1))):
            dead.add(int(found.group(1)))
    for pid in sorted(dead):
        mark_process_dead(pid, str(folder))  # type: ignore[no-untyped-call]
    return sorted(dead)


def worker_stopped() -> None:
    """Drop this process's live gauges as it stops (multiprocess mode only)."""
    folder = os.environ.get(METRICS_DIR_VARIABLE)
    if multiprocess_mode() and folder:
        mark_process_dead(os.getpid(), folder)  # type: ignore[no-untyped-call]


def exposition() -> bytes:
    """Every metric in the Prometheus text format: this process's, or, in multiprocess mode,
    the sum over all workers' files."""
    folder = os.environ.get(METRICS_DIR_VARIABLE)
    if not (multiprocess_mode() and folder):
        return generate_latest(REGISTRY)
    forget_dead_workers(Path(folder))
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=folder)  # type: ignore[no-untyped-call]
    return generate_latest(registry)

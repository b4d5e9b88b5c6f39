"""Engines and sessions: SQLite for one person (WAL, foreign keys on), PostgreSQL when hosted."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code, Foreign

__all__ = [
    "PoolOptions",
    "default_database_url",
    "is_disconnect",
    "make_engine",
    "make_session_factory",
    "postgres_connect_args",
    "transaction",
]


def default_database_url(data_dir: Path) -> str:
    """The local SQLite file in the user's data folder."""
    return f"sqlite:///{data_dir / 'rugwijzer.db'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while one writer writes; foreign keys are off by default in SQLite;
    # busy_timeout makes a second writer wait instead of failing with "database is locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# SQLite lets one connection write at a time and makes the others wait in its busy handler,
# which sleeps in steps of up to 100 ms. Within one process, a plain lock around each unit of
# work queues them without those sleeps (bench/bench_api.py: p99 of logging a meal at 50 users
# fell from about 250-570 ms to about 65 ms with two processes).
_SQLITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class PoolOptions:
    """How one process talks to PostgreSQL (settings `RUGWIJZER_DATABASE_*`). The defaults are
    SQLAlchemy's own pool size (5 kept open, 10 more when busy) with shorter waits: a request
    that cannot get a connection within `pool_timeout_s` fails instead of queueing for 30 s."""

    #: connections each process keeps open
    pool_size: int = 5
    #: extra connections a busy process may open (closed again when returned)
    max_overflow: int = 10
    #: seconds a request waits for a free connection before it fails
    pool_timeout_s: float = 10
    #: seconds to establish a new connection (libpq `connect_timeout`)
    connect_timeout_s: int = 5
    #: a statement running longer is cancelled by the server; 0 sends no such option (behind
    #: PgBouncer, which refuses unknown startup options: set it on the role instead)
    statement_timeout_ms: int = 15_000


#: TCP keepalive probes (libpq parameters): a server that vanished without closing the
#: connection (a failover, a cut cable) is noticed after about 30 + 3 x 10 s instead of the
#: operating system's default of more than two hours.
_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}


def postgres_connect_args(options: PoolOptions) -> dict[str, Any]:
    """The psycopg connect arguments for `options`. `prepare_threshold=None` turns off
    server-side prepared statements, which PgBouncer in transaction mode cannot keep (the
    next transaction may run on another server connection)."""
    args: dict[str, Any] = {
        "connect_timeout": options.connect_timeout_s,
        "prepare_threshold": None,
        "application_name": "rugwijzer",
        **_KEEPALIVES,
    }
    if options.statement_timeout_ms > 0:
        args["options"] = f"-c statement_timeout={options.statement_timeout_ms}"
    return args


def make_engine(url: str, options: PoolOptions | None = None) -> Engine:
    """An engine for `url`; SQLite gets its pragmas at every connect. PostgreSQL gets a pool
    that tests each connection before lending it (pre-ping: a connection the server closed
    while idle is replaced instead of failing the request) and the limits of `options`. The
    parameters of a statement (meal texts, notes, email addresses) are never shown in SQL
    logging or in the text of a database error, which can end up in a log line."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        _SQLITE_LOCKS[engine] = threading.RLock()
        return engine
    options = options or PoolOptions()
    driver = make_url(url).get_driver_name()
    connect_args = postgres_connect_args(options) if driver == "psycopg" else {}
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=options.pool_size,
        max_overflow=options.max_overflow,
        pool_timeout=options.pool_timeout_s,
        # the most recently used connection first: the extra ones stay idle and are closed
        pool_use_lifo=True,
        connect_args=connect_args,
        hide_parameters=True,
    )


def is_disconnect(error: BaseException) -> bool:
    """Whether `error` (or what caused it) is a lost database connection: the server closed it
    (restart, failover, `pg_terminate_backend`) or the network dropped it. SQLAlchemy then
    throws away the pool's older connections, so a new attempt gets a fresh one."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__ or current.__context__
    return False


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that do not expire objects on commit (views read them afterwards)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session], *, autocommit: bool = False) -> Iterator[Session]:
    """One unit of work: commit at the end, roll back on any error, always close. A row that
    breaks a database rule (a check or unique constraint) is the caller's input error.

    `autocommit=True` is for work that only reads, or writes with a single statement: on
    PostgreSQL each statement then commits by itself, which saves the BEGIN and COMMIT round
    trips. At PostgreSQL's READ COMMITTED every statement of a transaction sees its own snapshot
    anyway, so reads lose no consistency; a single statement is atomic on its own. (SQLite keeps
    its transaction: its statements never leave the process.)"""
    bind = factory.kw.get("bind")
    lock = _SQLITE_LOCKS.get(bind) if isinstance(bind, Engine) else None
    statement_commits = (
        autocommit and isinstance(bind, Engine) and bind.dialect.name == "postgresql"
    )
    with lock if lock is not None else nullcontext():
        yield from _unit_of_work(factory, statement_commits)


def _unit_of_work(factory: sessionmaker[Session], statement_commits: bool) -> Iterator[Session]:
    session = factory()
    try:
        if statement_commits:
            # the pool sets the connection back to transactions when it is returned
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        yield session
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        # the database's own words, in English whatever the reader's language
        detail = Foreign(str(exc.orig))
        raise InvalidInputError(Code.DATA_RULE_BROKEN, detail=detail) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()

"""Engines and sessions: SQLite for one person (WAL, foreign keys on), PostgreSQL when hosted."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code, Foreign

__all__ = ["default_database_url", "make_engine", "make_session_factory", "transaction"]


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


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets its pragmas at every connect. The parameters of a
    statement (meal texts, notes, email addresses) are never shown in SQL logging or in the
    text of a database error, which can end up in a log line."""
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
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that do not expire objects on commit (views read them afterwards)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit at the end, roll back on any error, always close. A row that
    breaks a database rule (a check or unique constraint) is the caller's input error."""
    bind = factory.kw.get("bind")
    lock = _SQLITE_LOCKS.get(bind) if isinstance(bind, Engine) else None
    with lock if lock is not None else nullcontext():
        yield from _unit_of_work(factory)


def _unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    session = factory()
    try:
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

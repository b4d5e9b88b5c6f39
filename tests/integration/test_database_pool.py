"""The PostgreSQL pool of one process: limits from the settings, no server-side prepared
statements (PgBouncer in transaction mode), a statement timeout, and idle connections that the
server cut replaced without an error (pre-ping)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from rugwijzer.settings import Settings
from rugwijzer.store.engine import PoolOptions, make_engine, make_session_factory, transaction
from rugwijzer.store.models import User
from tests.integration.conftest import _postgres_admin

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, PoolOptions(pool_size=3, statement_timeout_ms=300))
    try:
        yield engine
    finally:
        engine.dispose()


def test_the_pool_follows_the_settings(database_url: str) -> None:
    settings = Settings(
        database_url=database_url,
        database_pool_size=7,
        database_max_overflow=2,
        database_pool_timeout_seconds=4,
    )
    engine = make_engine(database_url, settings.pool_options)
    try:
        assert engine.pool.size() == 7  # type: ignore[attr-defined]
        assert engine.pool._max_overflow == 2  # type: ignore[attr-defined]
        assert engine.pool._timeout == 4  # type: ignore[attr-defined]
        with engine.connect() as connection:
            assert connection.scalar(text("SHOW statement_timeout")) == "15s"
    finally:
        engine.dispose()


def test_no_statement_is_prepared_on_the_server(engine: Engine) -> None:
    with engine.connect() as connection:
        for _ in range(20):  # psycopg prepares a query after 5 runs unless told not to
            connection.execute(text("SELECT count(*) FROM pg_class WHERE relpages > :n"), {"n": 1})
        prepared = connection.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    assert prepared == 0


def test_a_statement_running_too_long_is_cancelled(engine: Engine) -> None:
    with engine.connect() as connection, pytest.raises(OperationalError, match="statement timeout"):
        connection.execute(text("SELECT pg_sleep(2)"))


def test_idle_connections_cut_by_the_server_are_replaced(
    engine: Engine, migrated_engine: Engine, database_url: str
) -> None:
    sessions = make_session_factory(engine)
    # open a few pooled connections and return them idle
    connections = [engine.connect() for _ in range(3)]
    for connection in connections:
        connection.close()
    admin = _postgres_admin()
    assert admin is not None
    try:
        with admin.connect() as connection:
            cut = connection.scalars(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND application_name = 'rugwijzer'"
                ),
                {"name": database_url.rsplit("/", 1)[1]},
            ).all()
    finally:
        admin.dispose()
    assert len(cut) >= 3
    for _ in range(3):  # each idle connection is checked before use, and replaced
        with transaction(sessions) as session:
            assert session.scalar(select(User.id).limit(1)) is None


def _in_transaction_block(session: Session) -> bool:
    # PostgreSQL's own answer: now() is when the transaction started, so two statements inside
    # one BEGIN … COMMIT block see the same now(), and two that commit by themselves do not
    first = session.execute(text("SELECT now()")).scalar()
    time.sleep(0.01)
    second = session.execute(text("SELECT now()")).scalar()
    return bool(first == second)


def test_autocommit_work_runs_without_a_transaction_block_and_the_pool_forgets_it(
    engine: Engine,
) -> None:
    sessions = make_session_factory(engine)
    with transaction(sessions, autocommit=True) as session:
        assert not _in_transaction_block(session)
    # the same pooled connection (pool_use_lifo) is lent for transactions again
    with transaction(sessions) as session:
        assert _in_transaction_block(session)


def test_ordinary_work_still_rolls_back_as_one_after_autocommit_work(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE pool_probe (n integer)"))
    sessions = make_session_factory(engine)
    with transaction(sessions, autocommit=True) as session:
        session.execute(text("INSERT INTO pool_probe VALUES (1)"))  # one statement: kept

    def fail_after_a_write() -> None:
        with transaction(sessions) as session:
            session.execute(text("INSERT INTO pool_probe VALUES (2)"))
            raise RuntimeError("the work fails after its first write")

    with pytest.raises(RuntimeError):
        fail_after_a_write()
    with transaction(sessions) as session:
        assert session.scalars(text("SELECT n FROM pool_probe")).all() == [1]

"""Databases for integration tests: a fresh SQLite file and a fresh PostgreSQL database per test.

PostgreSQL is found at RUGWIJZER_TEST_POSTGRES_URL (default: the CI server at 127.0.0.1:5432,
database `test`, trust auth). Without it the PostgreSQL tests skip with the reason — except when
RUGWIJZER_REQUIRE_POSTGRES=1 (CI), where a missing server fails the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text

from rugwijzer.services.accounts import AccountService
from rugwijzer.settings import Settings
from rugwijzer.store.engine import PoolOptions, make_engine, make_session_factory
from rugwijzer.store.migrate import upgrade
from rugwijzer.web.app import create_app
from tests.factories import TEST_SECRET

POSTGRES_URL = os.environ.get(
    "RUGWIJZER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_admin() -> Engine | None:
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception:
        engine.dispose()
        return None
    return engine


def postgres_admin_or_skip() -> Engine:
    """An AUTOCOMMIT engine on the test server's maintenance database (the caller disposes of
    it). Without a server the test skips with the reason, or fails when
    RUGWIJZER_REQUIRE_POSTGRES=1 (CI)."""
    admin = _postgres_admin()
    if admin is None:
        if os.environ.get("RUGWIJZER_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here but not reachable at {POSTGRES_URL}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL} (set RUGWIJZER_TEST_POSTGRES_URL)")
    return admin


def signed_in_people(
    database_url: str, people: int, password: str, options: PoolOptions | None = None
) -> list[str]:
    """Session tokens of `people` new accounts (person0@example.org, …), registered and logged
    in through the service directly (not over HTTP, so no registration limit gets in the way);
    a server on the same database with TEST_SECRET accepts them."""
    engine = make_engine(database_url, options)
    try:
        accounts = AccountService(make_session_factory(engine), secret_key=TEST_SECRET)
        tokens = []
        for number in range(people):
            email = f"person{number}@example.org"
            accounts.register(email, password)
            tokens.append(accounts.login(email, password)[0])
        return tokens
    finally:
        engine.dispose()


@contextmanager
def throwaway_postgres_database(prefix: str = "rugwijzer_test") -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database named `prefix` plus a random suffix; it is
    dropped afterwards, with any connections still open to it (a server process that did not
    stop, a pool the test forgot). Skips or fails as `postgres_admin_or_skip`."""
    admin = postgres_admin_or_skip()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The URL of a new, empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'rugwijzer.db'}"
        return
    with throwaway_postgres_database() as url:
        yield url


@pytest.fixture
def migrated_engine(database_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to the newest schema."""
    engine = make_engine(database_url)
    upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def server_settings(migrated_engine: Engine, database_url: str, tmp_path: Path) -> Settings:
    """Server-mode settings on the migrated database (3 failed logins allowed per window)."""
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        mode="server",
        secret_key=TEST_SECRET,
        host="0.0.0.0",
        login_attempts_per_window=3,
    )


@pytest.fixture
def local(migrated_engine: Engine, database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The app in local mode (one implicit user) on the migrated database of each kind."""
    settings = Settings(data_dir=tmp_path, database_url=database_url)
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        yield client


@pytest.fixture
def cli_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The command line as a newcomer meets it: an English locale (not the developer's, which
    may be Dutch) and an empty data directory (not the developer's diary and its profile)."""
    from rugwijzer.services.app import reset

    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.setenv("RUGWIJZER_DATA_DIR", str(tmp_path / "cli-data"))
    monkeypatch.delenv("RUGWIJZER_DATABASE_URL", raising=False)
    reset()
    yield
    reset()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A local diary's data folder that does not exist yet (the CLI's first run)."""
    from rugwijzer.services.app import reset

    monkeypatch.setenv("RUGWIJZER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("RUGWIJZER_DATABASE_URL", raising=False)
    reset()
    yield tmp_path / "data"
    reset()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database of this test's own; dropped afterwards."""
    with throwaway_postgres_database() as url:
        yield url

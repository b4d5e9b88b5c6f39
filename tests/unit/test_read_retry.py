"""A read whose database connection was cut runs once more; a write never does, and a request
that still fails answers 503 problem+json with Retry-After."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from rugwijzer.api.problems import install_problem_handlers
from rugwijzer.errors import RugwijzerError
from rugwijzer.store.engine import PoolOptions, is_disconnect, postgres_connect_args
from rugwijzer.web.read_retry import RetryReadsOnDisconnect


def lost_connection() -> OperationalError:
    """What SQLAlchemy raises when the server closed the connection under a statement."""
    return OperationalError("SELECT 1", {}, Exception("server closed the connection"), False, True)


def app_failing(times: int, error: Exception) -> tuple[FastAPI, list[str]]:
    """An app whose routes raise `error` for their first `times` calls; the calls, by method."""
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(RetryReadsOnDisconnect, unavailable=app.exception_handlers[RugwijzerError])
    calls: list[str] = []

    def maybe_fail(method: str) -> dict[str, int]:
        calls.append(method)
        if len(calls) <= times:
            raise error
        return {"calls": len(calls)}

    @app.get("/day")
    def read() -> dict[str, int]:
        return maybe_fail("GET")

    @app.post("/meals", status_code=201)
    def write(body: dict[str, str]) -> dict[str, int]:
        return maybe_fail("POST")

    return app, calls


def test_a_read_that_lost_its_connection_is_run_once_more() -> None:
    app, calls = app_failing(1, lost_connection())
    with TestClient(app) as client:
        response = client.get("/day")
    assert response.status_code == 200
    assert calls == ["GET", "GET"]


def test_a_read_is_retried_only_once() -> None:
    app, calls = app_failing(2, lost_connection())
    with TestClient(app) as client:
        response = client.get("/day")
    assert calls == ["GET", "GET"]
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "database.connection_lost"


def test_a_write_is_never_run_again() -> None:
    app, calls = app_failing(1, lost_connection())
    with TestClient(app) as client:
        response = client.post("/meals", json={"text": "een appel"})
    assert calls == ["POST"]
    assert response.status_code == 503
    assert response.json()["code"] == "database.connection_lost"


def test_other_errors_are_not_retried() -> None:
    app, calls = app_failing(1, RuntimeError("a bug"))
    with TestClient(app) as client, pytest.raises(RuntimeError):
        client.get("/day")
    assert calls == ["GET"]


def test_only_a_lost_connection_counts_as_a_disconnect() -> None:
    assert is_disconnect(lost_connection())
    still_connected = OperationalError("SELECT 1", {}, Exception("deadlock"), False, False)
    assert not is_disconnect(still_connected)
    assert not is_disconnect(RuntimeError("a bug"))
    wrapped = RuntimeError("wrapped")
    wrapped.__cause__ = lost_connection()
    assert is_disconnect(wrapped)


def test_postgres_connections_use_no_prepared_statements_and_time_out() -> None:
    args = postgres_connect_args(PoolOptions(connect_timeout_s=3, statement_timeout_ms=2500))
    # PgBouncer in transaction mode cannot keep server-side prepared statements
    assert args["prepare_threshold"] is None
    assert args["connect_timeout"] == 3
    assert args["options"] == "-c statement_timeout=2500"
    assert args["keepalives"] == 1


def test_a_zero_statement_timeout_sends_no_startup_options() -> None:
    # PgBouncer refuses startup options it does not know: 0 leaves it to the database role
    assert "options" not in postgres_connect_args(PoolOptions(statement_timeout_ms=0))

"""/healthz, /readyz and /metrics in one process (the TestClient): liveness without the
database, readiness on SQLite and PostgreSQL, request counts and latency by route template, the
meals counter, the pool gauges, the loopback-or-token rule and the request id."""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, text

from rugwijzer.settings import Settings
from rugwijzer.store.migrate import head_revision
from rugwijzer.web.app import create_app
from tests.factories import TEST_SECRET, app_client

LOOPBACK = ("127.0.0.1", 40000)
ELSEWHERE = ("203.0.113.7", 40000)  # TEST-NET-3: not this machine
TOKEN = "metrics-token-for-tests-0123456789abcdef"


def _closed_port() -> int:
    """A loopback port on which nothing listens (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _samples(exposition: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition: (name, labels) → value."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


def _value(exposition: str, name: str, **labels: str) -> float:
    return _samples(exposition).get((name, frozenset(labels.items())), 0.0)


def _metrics(client: TestClient) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


@pytest.fixture
def local_client(tmp_path: Path) -> Iterator[TestClient]:
    """The app in local mode on SQLite, as a client on this machine."""
    app = app_client(Settings(data_dir=tmp_path)).app
    with TestClient(app, base_url="http://127.0.0.1", client=LOOPBACK) as test_client:
        test_client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
        yield test_client


# --- liveness and readiness -----------------------------------------------------------------


def test_ready_on_the_newest_schema(server_settings: Settings) -> None:
    with TestClient(create_app(server_settings), base_url="https://rugwijzer.test") as client:
        live = client.get("/healthz")
        ready = client.get("/readyz")
    assert live.status_code == 200
    assert live.json()["status"] == "ok"
    assert ready.status_code == 200, ready.text
    assert ready.json()["ready"] is True
    assert ready.json()["schema_revision"] == head_revision()


def test_not_ready_when_the_database_port_is_closed(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://rugwijzer@127.0.0.1:{_closed_port()}/rugwijzer"
    settings = Settings(data_dir=tmp_path, database_url=url, mode="server", secret_key=TEST_SECRET)
    # A hosted worker starts without its database, alive but not ready.
    with TestClient(create_app(settings), base_url="https://rugwijzer.test") as client:
        live = client.get("/healthz")
        ready = client.get("/readyz")
    assert live.status_code == 200
    assert ready.status_code == 503
    assert ready.headers["content-type"] == "application/problem+json"
    problem = ready.json()
    assert problem["code"] == "health.database_unreachable"
    assert problem["status"] == 503
    assert problem["database_reachable"] is False
    assert "127.0.0.1" not in ready.text  # the driver's words (host, user) stay out


def test_local_mode_still_refuses_to_start_without_its_database(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://rugwijzer@127.0.0.1:{_closed_port()}/rugwijzer"
    with pytest.raises(Exception, match=r"(?i)connect|refused"):
        create_app(Settings(data_dir=tmp_path, database_url=url))


def test_not_ready_when_the_schema_is_not_the_newest(
    server_settings: Settings, migrated_engine: Engine
) -> None:
    with TestClient(create_app(server_settings), base_url="https://rugwijzer.test") as client:
        assert client.get("/readyz").status_code == 200
        # Another version migrated the database on (or back) while this process runs.
        with migrated_engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0005'"))
        ready = client.get("/readyz", headers={"accept-language": "nl"})
    assert ready.status_code == 503
    problem = ready.json()
    assert problem["code"] == "health.schema_not_current"
    assert problem["params"] == {"current": "0005", "head": head_revision()}
    assert problem["detail"].startswith("Het databaseschema staat op 0005")


# --- metrics ----------------------------------------------------------------------------------


def test_requests_are_counted_by_route_template(local_client: TestClient) -> None:
    before = _metrics(local_client)
    for food_id in ("sr24:12061", "sr24:09040"):
        assert local_client.get(f"/api/v1/foods/{food_id}").status_code == 200
    assert local_client.get("/api/v1/foods/sr24:99999999").status_code == 404
    assert local_client.get("/no/such/page").status_code == 404
    after = _metrics(local_client)

    route = "/api/v1/foods/{food_id}"
    ok = {"method": "GET", "route": route, "status": "200"}
    name = "rugwijzer_http_requests_total"
    assert _value(after, name, **ok) - _value(before, name, **ok) == 2
    missing = {"method": "GET", "route": route, "status": "404"}
    assert _value(after, name, **missing) - _value(before, name, **missing) == 1
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    assert _value(after, name, **unmatched) - _value(before, name, **unmatched) == 1
    timed = "rugwijzer_http_request_duration_seconds_count"
    assert (
        _value(after, timed, method="GET", route=route)
        - _value(before, timed, method="GET", route=route)
        == 3
    )
    assert "sr24:12061" not in after  # the path asked for is never a label
    assert "/no/such/page" not in after


def test_a_stored_meal_is_counted_and_a_refused_one_is_not(local_client: TestClient) -> None:
    before = _value(_metrics(local_client), "rugwijzer_meals_logged_total")
    stored = local_client.post("/api/v1/me/meals", json={"text": "30 g amandelen"})
    assert stored.status_code == 201, stored.text
    refused = local_client.post("/api/v1/me/meals", json={"text": "qwzx vlpt"})
    assert refused.status_code == 422
    page = local_client.post("/today/meal", data={"text": "een banaan"}, follow_redirects=False)
    assert page.status_code in (200, 303)
    after = _value(_metrics(local_client), "rugwijzer_meals_logged_total")
    assert after - before == 2


def test_the_pool_gauges_show_the_pool(local_client: TestClient) -> None:
    exposition = _metrics(local_client)
    assert _value(exposition, "rugwijzer_db_pool_size") >= 5  # SQLite's pool: 5 connections
    idle = _value(exposition, "rugwijzer_db_pool_checked_out")
    local_client.get("/today")
    # Every connection a request took has gone back by the time the next request is answered.
    assert _value(_metrics(local_client), "rugwijzer_db_pool_checked_out") == idle


# --- who may read /metrics ----------------------------------------------------------------------


def _metrics_status(app: object, client: tuple[str, int], headers: dict[str, str]) -> int:
    with TestClient(app, base_url="https://rugwijzer.test", client=client) as test_client:  # type: ignore[arg-type]
        return test_client.get("/metrics", headers=headers).status_code


@pytest.mark.parametrize(
    ("client", "headers", "status"),
    [
        (LOOPBACK, {}, 200),
        (("::1", 40000), {}, 200),
        (ELSEWHERE, {}, 404),
        (("testclient", 50000), {}, 404),  # not an address
        # a reverse proxy on this machine passes a request on from elsewhere
        (LOOPBACK, {"x-forwarded-for": "203.0.113.7"}, 404),
        (LOOPBACK, {"forwarded": "for=203.0.113.7"}, 404),
        (ELSEWHERE, {"authorization": f"Bearer {TOKEN}"}, 200),
        (LOOPBACK, {"authorization": f"Bearer {TOKEN}", "x-forwarded-for": "203.0.113.7"}, 200),
        (ELSEWHERE, {"authorization": f"Bearer {TOKEN[:-1]}"}, 404),
        (ELSEWHERE, {"authorization": f"Basic {TOKEN}"}, 404),
        (ELSEWHERE, {"authorization": "Bearer "}, 404),
    ],
)
def test_metrics_answer_only_this_machine_or_the_token(
    server_settings: Settings, client: tuple[str, int], headers: dict[str, str], status: int
) -> None:
    app = create_app(server_settings.model_copy(update={"metrics_token": TOKEN}))
    assert _metrics_status(app, client, headers) == status


def test_without_a_token_elsewhere_gets_what_an_unknown_path_gets(
    server_settings: Settings,
) -> None:
    with TestClient(
        create_app(server_settings), base_url="https://rugwijzer.test", client=ELSEWHERE
    ) as client:
        refused = client.get("/metrics", headers={"authorization": "Bearer anything-at-all"})
        unknown = client.get("/no-such-route")
    assert refused.status_code == unknown.status_code == 404
    assert {k: v for k, v in refused.json().items() if k != "instance"} == {
        k: v for k, v in unknown.json().items() if k != "instance"
    }
    assert "rugwijzer_" not in refused.text


def test_a_short_metrics_token_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 32"):
        Settings(data_dir=tmp_path, metrics_token="short")
    assert Settings(data_dir=tmp_path, metrics_token="").metrics_token is None


# --- request ids -------------------------------------------------------------------------------


def test_a_request_id_is_taken_or_made_and_sent_back(local_client: TestClient) -> None:
    given = local_client.get("/healthz", headers={"x-request-id": "proxy-7f3a.1:2"})
    assert given.headers["x-request-id"] == "proxy-7f3a.1:2"
    made = [local_client.get("/healthz").headers["x-request-id"] for _ in range(2)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", request_id) for request_id in made)
    assert made[0] != made[1]
    # Not a plain token (a line break could forge a log line): replaced by a new one.
    for unusable in ("two words", "x" * 129, "a;b", "{}"):
        answer = local_client.get("/healthz", headers={"x-request-id": unusable})
        assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["x-request-id"]), unusable
    refused = local_client.get("/healthz", headers={"host": "evil.example"})
    assert refused.status_code == 421  # refused by the guard, and still given an id
    assert re.fullmatch(r"[0-9a-f]{32}", refused.headers["x-request-id"])


def test_an_unhandled_error_is_counted_and_logged_with_its_id(
    local_client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def fail(user_id: int, text: str, **_: object) -> None:
        raise RuntimeError(f"could not store {text!r}")

    monkeypatch.setattr(local_client.app.state.diary.entries, "log_meal", fail)  # type: ignore[attr-defined]
    client = TestClient(
        local_client.app,
        base_url="http://127.0.0.1",
        client=LOOPBACK,
        raise_server_exceptions=False,
    )
    before = _metrics(local_client)
    with caplog.at_level(logging.INFO, logger="rugwijzer.request"):
        failed = client.post(
            "/api/v1/me/meals", json={"text": "30 g amandelen"}, headers={"x-request-id": "boom-1"}
        )
    assert failed.status_code == 500
    after = _metrics(local_client)
    labels = {"method": "POST", "route": "/api/v1/me/meals", "status": "500"}
    assert (
        _value(after, "rugwijzer_http_requests_total", **labels)
        - _value(before, "rugwijzer_http_requests_total", **labels)
        == 1
    )
    lines = [record for record in caplog.records if record.name == "rugwijzer.request"]
    assert [(line.request_id, line.status) for line in lines] == [("boom-1", 500)]  # type: ignore[attr-defined]

"""No log line holds health data, an email address, a password, a token or a cookie.

Every logger is opened to DEBUG (SQLAlchemy's statement log included) while a person registers,
logs in, logs a meal and checks in, once over the API with a bearer token and once with the web
forms and a session cookie, in server mode on SQLite and PostgreSQL. Each record that passes the
server's log filter (`PrivacyFilter`, on the handler of `log_config()`) is written as the JSON
line and as the text line the server can write, and neither line nor the record's own message
and arguments may contain any of the secrets."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import date

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from rugwijzer.observability.logs import (
    REQUEST_LOGGER,
    JsonFormatter,
    PrivacyFilter,
    TextFormatter,
    log_config,
)
from rugwijzer.services import accounts as accounts_module
from rugwijzer.settings import Settings
from rugwijzer.web.app import create_app

BASE = "https://rugwijzer.test"
API_EMAIL = "marieke.api@example.org"
PAGE_EMAIL = "joost.pagina@example.net"
PASSWORD = "zeer-geheim wachtwoord 4711"
MEAL = "45 g pompoenpitten met kwark"
PAGE_MEAL = "twee sneetjes roggebrood met pindakaas"
NOTE = "rugpijn na het tillen van de kratten"
PAGE_NOTE = "stijf na de fietstocht"


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def captured() -> Iterator[list[logging.LogRecord]]:
    """Every record of every logger, at DEBUG, while the test runs."""
    root = logging.getLogger()
    handler = _Capture()
    old_level = root.level
    quiet = {
        name: logger.level
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger) and logger.level > logging.DEBUG
    }
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in quiet:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        for name, level in quiet.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture(autouse=True)
def _quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        accounts_module, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def _lines(records: list[logging.LogRecord]) -> list[str]:
    lines = []
    for record in records:
        # both formats `rugwijzer serve` writes: JSON lines, and text at a local terminal
        lines.append(JsonFormatter().format(record))
        lines.append(TextFormatter().format(record))
        # what any other formatter could write: the bare message and its arguments
        lines.append(record.getMessage())
        lines.append(repr(record.args))
    return lines


def test_no_secret_or_health_data_in_any_log_line(
    server_settings: Settings, captured: list[logging.LogRecord]
) -> None:
    secrets = [API_EMAIL, PAGE_EMAIL, PASSWORD, MEAL, PAGE_MEAL, NOTE, PAGE_NOTE]
    app = create_app(server_settings)
    with TestClient(app, base_url=BASE) as api, TestClient(app, base_url=BASE) as browser:
        # over the API, with a bearer token
        assert (
            api.post(
                "/api/v1/auth/register", json={"email": API_EMAIL, "password": PASSWORD}
            ).status_code
            == 202  # the same answer for a new and a taken address
        )
        login = api.post("/api/v1/auth/login", json={"email": API_EMAIL, "password": PASSWORD})
        assert login.status_code == 200
        token = login.json()["token"]
        secrets.append(token)
        bearer = {"authorization": f"Bearer {token}"}
        meal = api.post("/api/v1/me/meals", json={"text": MEAL}, headers=bearer)
        assert meal.status_code == 201, meal.text
        checkin = api.put(
            f"/api/v1/me/checkins/{date.today().isoformat()}",
            json={"pain": 7, "stress": 6, "note": NOTE},
            headers=bearer,
        )
        assert checkin.status_code == 200, checkin.text
        wrong = api.post("/api/v1/auth/login", json={"email": API_EMAIL, "password": "fout"})
        assert wrong.status_code in (401, 422)

        # with the web forms and a session cookie
        form = {"email": PAGE_EMAIL, "password": PASSWORD, "password_again": PASSWORD}
        assert browser.post("/register", data=form, follow_redirects=False).status_code < 400
        logged_in = browser.post(
            "/login", data={"email": PAGE_EMAIL, "password": PASSWORD}, follow_redirects=False
        )
        assert logged_in.status_code == 303, logged_in.text
        cookie = browser.cookies.get("rugwijzer_session")
        assert cookie
        secrets.append(cookie)
        browser.post("/welcome", data={"birth_year": "1975", "sex": "female"})
        assert browser.post("/today/meal", data={"text": PAGE_MEAL}).status_code == 200
        saved = browser.post("/today/checkin", data={"pain": "8", "note": PAGE_NOTE})
        assert saved.status_code == 200

    # the handler the server writes its log with, as `rugwijzer serve` configures it
    assert log_config()["handlers"]["stderr"]["filters"] == ["privacy"]
    written = [record for record in captured if PrivacyFilter().filter(record)]
    dropped = [record for record in captured if record not in written]
    # the result rows: the filter is what keeps them out
    assert any(PAGE_MEAL in record.getMessage() for record in dropped)
    assert any(API_EMAIL in record.getMessage() for record in dropped)
    lines = _lines(written)
    for secret in secrets:
        leaking = [line for line in lines if secret in line]
        assert not leaking, (secret, leaking[:3])
    for line in lines:
        assert '"pain": 7' not in line
        assert "'pain': 7" not in line

    # The capture saw what it had to: a line per request, with its id and route template, and
    # SQLAlchemy's statements (whose parameters are hidden).
    requests = [json.loads(JsonFormatter().format(r)) for r in written if r.name == REQUEST_LOGGER]
    routes = {(entry["method"], entry["route"]) for entry in requests}
    assert ("POST", "/api/v1/me/meals") in routes
    assert ("PUT", "/api/v1/me/checkins/{day}") in routes
    assert ("POST", "/login") in routes
    assert all(len(entry["request_id"]) == 32 for entry in requests)
    texts = [TextFormatter().format(r) for r in written if r.name == REQUEST_LOGGER]
    assert any(re.search(r" INFO  POST /api/v1/me/meals 201 \d+ ms$", text) for text in texts)
    statements = [r for r in written if r.name.startswith("sqlalchemy.engine")]
    assert any("INSERT INTO meal" in r.getMessage() for r in statements)
    assert any("parameters hidden" in r.getMessage() for r in statements)

"""GET /api/v1/me/changes/{id}/effect on SQLite and PostgreSQL: the owner's answer, another
user's change, bad input as problem+json."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rugwijzer.settings import Settings
from rugwijzer.web.app import create_app

TODAY = date.today()
FIRST = TODAY - timedelta(days=27)
STARTED = FIRST + timedelta(days=14)
FIELDS = {
    "verdict",
    "verdict_text",
    "difference",
    "ci_low",
    "ci_high",
    "before_mean",
    "after_mean",
    "days_before",
    "days_after",
    "mic",
    "method",
    "caveats",
    "suggestions",
    "points",
}


def _diary(client: TestClient, headers: dict[str, str] | None = None) -> int:
    """Four weeks of check-ins, pain about 7 and then about 3 from the change on day 15."""
    noise = random.Random(7)
    for index in range(28):
        level = 7 if index < 14 else 3
        pain = min(10, max(0, round(level + noise.gauss(0, 1))))
        day = (FIRST + timedelta(days=index)).isoformat()
        stored = client.put(
            f"/api/v1/me/checkins/{day}", json={"pain": pain, "stress": 5}, headers=headers
        )
        assert stored.status_code == 200, stored.text
    change = client.post(
        "/api/v1/me/changes",
        json={"description": "magnesiumcitraat", "started_on": STARTED.isoformat()},
        headers=headers,
    )
    assert change.status_code == 201, change.text
    change_id: int = change.json()["id"]
    return change_id


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def test_the_owner_gets_the_answer(local: TestClient) -> None:
    change_id = _diary(local)
    response = local.get(f"/api/v1/me/changes/{change_id}/effect")
    assert response.status_code == 200, response.text
    view = response.json()
    assert set(view) >= FIELDS
    assert view["change_id"] == change_id
    assert view["description"] == "magnesiumcitraat"
    assert view["outcome"] == "pain"
    assert view["verdict"] == "improved"
    assert view["ci_high"] < 0
    assert (view["days_before"], view["days_after"]) == (14, 14)
    assert view["change_date"] == STARTED.isoformat()
    assert view["end_date"] == TODAY.isoformat()
    assert view["verdict_text"]["code"] == "effect.improved"
    assert view["verdict_text"]["text"].startswith("Better after the change: pain")
    assert len(view["points"]) == 28


def test_the_language_comes_from_lang_or_accept_language(local: TestClient) -> None:
    change_id = _diary(local)
    url = f"/api/v1/me/changes/{change_id}/effect"
    dutch = local.get(url, headers={"accept-language": "nl-NL,nl;q=0.9,en;q=0.5"}).json()
    assert dutch["verdict_text"]["text"].startswith("Beter na de verandering: pijn")
    assert dutch["outcome_name"] == "pijn"
    assert dutch["method"].startswith("Verschil tussen de gemiddelden")
    asked = local.get(url + "?lang=en", headers={"accept-language": "nl"}).json()
    assert asked["verdict_text"]["text"].startswith("Better after the change")


def test_another_outcome(local: TestClient) -> None:
    change_id = _diary(local)
    view = local.get(f"/api/v1/me/changes/{change_id}/effect?outcome=stress").json()
    assert view["outcome"] == "stress"
    assert view["verdict"] == "no_important_change"  # stress stayed at 5


def test_bad_input_is_a_problem(local: TestClient) -> None:
    change_id = _diary(local)
    bad_outcome = _problem(local.get(f"/api/v1/me/changes/{change_id}/effect?outcome=mood"), 422)
    assert bad_outcome["code"] == "form.invalid_fields"
    assert bad_outcome["errors"][0]["loc"] == ["query", "outcome"]
    _problem(local.get(f"/api/v1/me/changes/{change_id}/effect?lang=de"), 422)
    _problem(local.get("/api/v1/me/changes/0/effect"), 422)
    missing = _problem(local.get(f"/api/v1/me/changes/{change_id + 1}/effect"), 404)
    assert missing["code"] == "entry.change_not_found"


@pytest.fixture
def server(server_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(server_settings), base_url="http://127.0.0.1") as client:
        yield client


def _login(client: TestClient, email: str) -> dict[str, str]:
    password = "correct horse battery"
    registered = client.post("/api/v1/auth/register", json={"email": email, "password": password})
    assert registered.status_code == 202, registered.text
    login = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    return {"authorization": f"Bearer {login.json()['token']}"}


def test_another_users_change_is_not_found(server: TestClient) -> None:
    alice = _login(server, "alice@example.org")
    bob = _login(server, "bob@example.org")
    change_id = _diary(server, alice)
    url = f"/api/v1/me/changes/{change_id}/effect"
    assert server.get(url, headers=alice).json()["verdict"] == "improved"
    refused = _problem(server.get(url, headers=bob), 404)
    assert "magnesiumcitraat" not in str(refused)
    _problem(server.get(url), 401)

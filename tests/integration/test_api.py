"""The REST API on SQLite and PostgreSQL: local mode, server mode, authorization, bad input."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from rugwijzer.settings import Settings
from rugwijzer.web.app import create_app
from tests.integration.user_rows import ONE_OF_EACH, others_rows, owned_by

TODAY = date.today().isoformat()


@pytest.fixture
def server(server_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(server_settings), base_url="http://127.0.0.1") as client:
        yield client


def _problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status
    return body  # type: ignore[no-any-return]


def _login(
    client: TestClient, email: str, password: str = "correct horse battery", role: str | None = None
) -> dict[str, str]:
    assert (
        client.post(
            "/api/v1/auth/register", json={"email": email, "password": password}
        ).status_code
        == 202
    )
    if role:  # promote through the service: there is no public way to become a practitioner
        accounts = client.app.state.accounts  # type: ignore[attr-defined]
        from sqlalchemy import select

        from rugwijzer.store.engine import transaction
        from rugwijzer.store.models import User

        with transaction(accounts.sessions) as session:
            session.scalar(select(User).where(User.email == email)).role = role
    token = client.post("/api/v1/auth/login", json={"email": email, "password": password}).json()[
        "token"
    ]
    return {"authorization": f"Bearer {token}"}


def test_local_mode_diary_flow(local: TestClient) -> None:
    assert (
        local.put("/api/v1/me/profile", json={"birth_year": 1975, "sex": "female"}).status_code
        == 200
    )
    meal = local.post(
        "/api/v1/me/meals", json={"text": "2 sneetjes volkorenbrood met pindakaas", "lang": "nl"}
    )
    assert meal.status_code == 201
    assert local.post("/api/v1/me/supplements", json={"elemental_mg": 100}).status_code == 201
    assert (
        local.put(f"/api/v1/me/checkins/{TODAY}", json={"pain": 6, "stress": 7}).status_code == 200
    )
    assert (
        local.post("/api/v1/me/changes", json={"description": "started magnesium"}).status_code
        == 201
    )
    day = local.get(f"/api/v1/me/days/{TODAY}").json()
    # USDA SR24 per 100 g: whole-wheat bread (18075) 82 mg, smooth peanut butter (16098) 154 mg;
    # 2 slices of 35 g (household_measures_nl.toml) with the Dutch portion of peanut butter on
    # each, 15 g (data/portions_nl.toml)
    bread_with_peanut_butter = 2 * 35 * 82 / 100 + 2 * 15 * 154 / 100
    assert day["totals"]["magnesium_mg"]["amount"] == pytest.approx(
        bread_with_peanut_butter, abs=0.1
    )
    # Gezondheidsraad 2018 (the EFSA AI): 300 mg for adult women
    assert day["targets"]["magnesium"]["value"] == 300
    page = local.get("/api/v1/me/entries/meal", params={"limit": 1}).json()
    assert page["total"] == 1
    assert len(page["items"]) == 1
    exported = local.get("/api/v1/me/export").json()
    assert len(exported["meals"]) == 1
    archive = zipfile.ZipFile(
        BytesIO(local.get("/api/v1/me/export", params={"format": "zip"}).content)
    )
    assert {"rugwijzer-export.json", "meals.csv", "checkins.csv"} <= set(archive.namelist())
    assert local.delete("/api/v1/me").status_code == 204
    assert local.get("/api/v1/me/export").json()["meals"] == []
    assert local.post("/api/v1/me/import", json=exported).status_code == 200
    assert len(local.get("/api/v1/me/export").json()["meals"]) == 1


def test_local_mode_has_no_accounts(local: TestClient) -> None:
    problem = _problem(
        local.post("/api/v1/auth/login", json={"email": "a@b.nl", "password": "x" * 12}), 404
    )
    assert "server mode" in str(problem["detail"])


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("put", f"/api/v1/me/checkins/{TODAY}", {"pain": 11}),
        ("put", "/api/v1/me/checkins/2999-01-01", {"pain": 3}),
        ("put", f"/api/v1/me/checkins/{TODAY}", {"note": "x" * 10_000_000}),
        ("put", f"/api/v1/me/checkins/{TODAY}", {"pain": 3, "mood": "sad"}),
        ("post", "/api/v1/me/meals", {"text": "5000 kg spinazie"}),
        ("post", "/api/v1/me/meals", {"text": ""}),
        ("post", "/api/v1/me/supplements", {"elemental_mg": 6000}),
        ("put", "/api/v1/me/profile", {"sex": "other"}),
        (
            "post",
            "/api/v1/me/changes",
            {"description": "x", "started_on": "2026-11-10", "ended_on": "2026-11-01"},
        ),
    ],
)
def test_bad_input_is_422_and_writes_nothing(
    local: TestClient, method: str, path: str, body: dict[str, object]
) -> None:
    before = local.get("/api/v1/me/export").json()
    problem = _problem(getattr(local, method)(path, json=body), 422)
    assert problem["detail"]
    after = local.get("/api/v1/me/export").json()
    before.pop("exported_at")
    after.pop("exported_at")
    assert after == before


def test_malformed_json_is_422_problem(local: TestClient) -> None:
    response = local.post(
        "/api/v1/me/meals", content=b"{not json", headers={"content-type": "application/json"}
    )
    problem = _problem(response, 422)
    assert problem["errors"]


def test_server_mode_needs_login(server: TestClient) -> None:
    assert _problem(server.get("/api/v1/me/export"), 401)["title"] == "Not authenticated"
    response = server.get("/api/v1/me/export", headers={"authorization": "Bearer nonsense"})
    assert _problem(response, 401)["status"] == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_register_login_logout_and_password_change(server: TestClient) -> None:
    headers = _login(server, "anna@example.org")
    assert server.get("/api/v1/me", headers=headers).json()["role"] == "user"
    taken = server.post(
        "/api/v1/auth/register", json={"email": "anna@example.org", "password": "x" * 12}
    )
    assert taken.status_code == 202  # the same answer as for a new address (test_rate_limits)
    _problem(
        server.post("/api/v1/auth/register", json={"email": "not-an-email", "password": "x" * 12}),
        422,
    )
    _problem(
        server.post("/api/v1/auth/register", json={"email": "b@example.org", "password": "short"}),
        422,
    )
    second = server.post(
        "/api/v1/auth/login",
        json={"email": "anna@example.org", "password": "correct horse battery"},
    )
    other = {"authorization": f"Bearer {second.json()['token']}"}
    assert "httponly" in second.headers["set-cookie"].lower()
    assert "secure" in second.headers["set-cookie"].lower()
    changed = server.post(
        "/api/v1/auth/password",
        json={"current_password": "correct horse battery", "new_password": "a new long password"},
        headers=headers,
    )
    assert changed.status_code == 204
    _problem(server.get("/api/v1/me", headers=other), 401)  # the other session ended
    assert server.get("/api/v1/me", headers=headers).status_code == 200
    assert server.post("/api/v1/auth/logout", headers=headers).status_code == 204
    _problem(server.get("/api/v1/me", headers=headers), 401)


def test_login_is_rate_limited(server: TestClient) -> None:
    server.post(
        "/api/v1/auth/register", json={"email": "c@example.org", "password": "right password!"}
    )
    for _ in range(3):
        _problem(
            server.post(
                "/api/v1/auth/login", json={"email": "c@example.org", "password": "wrong password"}
            ),
            401,
        )
    limited = _problem(
        server.post(
            "/api/v1/auth/login", json={"email": "c@example.org", "password": "right password!"}
        ),
        429,
    )
    assert limited["detail"]


def test_users_cannot_see_each_others_data(server: TestClient) -> None:
    alice = _login(server, "alice@example.org")
    bob = _login(server, "bob@example.org")
    meal = server.post("/api/v1/me/meals", json={"text": "een banaan"}, headers=alice).json()
    change = server.post(
        "/api/v1/me/changes", json={"description": "new chair"}, headers=alice
    ).json()
    _problem(server.delete(f"/api/v1/me/entries/meal/{meal['id']}", headers=bob), 404)
    _problem(
        server.patch(f"/api/v1/me/changes/{change['id']}", json={"ended_on": TODAY}, headers=bob),
        404,
    )
    assert server.get("/api/v1/me/entries/meal", headers=bob).json()["total"] == 0
    assert server.get("/api/v1/me/export", headers=bob).json()["meals"] == []
    assert server.get(f"/api/v1/me/days/{TODAY}", headers=bob).json()["meals"] == []
    assert server.get("/api/v1/me/export", headers=alice).json()["meals"][0]["text"] == "een banaan"


def test_practitioner_sees_only_with_a_grant(server: TestClient) -> None:
    client_headers = _login(server, "client@example.org")
    practitioner = _login(server, "fysio@example.org", role="practitioner")
    client_id = server.get("/api/v1/me", headers=client_headers).json()["user_id"]
    server.post("/api/v1/me/meals", json={"text": "een banaan"}, headers=client_headers)
    _problem(server.get(f"/api/v1/clients/{client_id}/export", headers=practitioner), 404)
    _problem(
        server.get(f"/api/v1/clients/{client_id}/export", headers=client_headers), 404
    )  # not a practitioner
    grant = server.post(
        "/api/v1/me/grants",
        json={"practitioner_email": "fysio@example.org"},
        headers=client_headers,
    )
    assert grant.status_code == 201
    assert server.get("/api/v1/clients", headers=practitioner).json() == [
        {"user_id": client_id, "email": "client@example.org"}
    ]
    shared = server.get(f"/api/v1/clients/{client_id}/export", headers=practitioner)
    assert shared.status_code == 200
    assert len(shared.json()["meals"]) == 1
    assert (
        server.delete(f"/api/v1/me/grants/{grant.json()['id']}", headers=client_headers).status_code
        == 204
    )
    _problem(server.get(f"/api/v1/clients/{client_id}/export", headers=practitioner), 404)


def test_deleting_an_account_removes_everything(
    server: TestClient, migrated_engine: Engine
) -> None:
    # Dora is a practitioner with a diary of her own, so grants name her both ways.
    headers = _login(server, "dora@example.org", role="practitioner")
    second_session = server.post(
        "/api/v1/auth/login",
        json={"email": "dora@example.org", "password": "correct horse battery"},
    )
    assert second_session.status_code == 200
    failed = server.post(
        "/api/v1/auth/login", json={"email": "dora@example.org", "password": "not her password"}
    )
    assert failed.status_code == 401
    client = _login(server, "eve@example.org")
    _login(server, "fysio@example.org", role="practitioner")
    dora = server.get("/api/v1/me", headers=headers).json()["user_id"]
    for method, path, body in (
        ("PUT", "/api/v1/me/profile", {"birth_year": 1975, "sex": "female"}),
        ("POST", "/api/v1/me/meals", {"text": "een banaan"}),
        ("POST", "/api/v1/me/supplements", {"elemental_mg": 100}),
        ("PUT", f"/api/v1/me/checkins/{TODAY}", {"pain": 4}),
        ("POST", "/api/v1/me/changes", {"description": "new chair"}),
        ("POST", "/api/v1/me/triage", {"age": 40}),
        ("POST", "/api/v1/me/grants", {"practitioner_email": "fysio@example.org"}),
    ):
        assert server.request(method, path, json=body, headers=headers).status_code in (200, 201)
    granted = server.post(
        "/api/v1/me/grants", json={"practitioner_email": "dora@example.org"}, headers=client
    )
    assert granted.status_code == 201
    assert (
        server.post("/api/v1/me/meals", json={"text": "30 g amandelen"}, headers=client).status_code
        == 201
    )
    meal_ids = [
        m["id"] for m in server.get("/api/v1/me/entries/meal", headers=headers).json()["items"]
    ]
    before = owned_by(migrated_engine, dora, "dora@example.org")
    assert {table: len(rows) for table, rows in before.items()} == {
        **ONE_OF_EACH,
        "sessions": 2,
        "access_grants": 2,  # hers to the physiotherapist, and Eve's to her
        "login_attempts": 3,  # two logins and the failed one
        "audit_events": 3,  # the same three in the access audit
        "api_request_counts": 1,  # her API requests of this minute
    }
    others = others_rows(migrated_engine, dora, "dora@example.org")

    assert server.delete("/api/v1/me", headers=headers).status_code == 204

    # Read in the database by her id (her email for the login attempts, her meals' ids for the
    # items): no row of any table is left.
    left = owned_by(migrated_engine, dora, "dora@example.org", meal_ids=meal_ids)
    assert {table: rows for table, rows in left.items() if rows} == {}
    assert others_rows(migrated_engine, dora, "dora@example.org") == others
    _problem(server.get("/api/v1/me", headers=headers), 401)
    _problem(
        server.post(
            "/api/v1/auth/login",
            json={"email": "dora@example.org", "password": "correct horse battery"},
        ),
        401,
    )


def test_openapi_and_closed_cors(local: TestClient) -> None:
    spec = local.get("/api/v1/openapi.json").json()
    assert "/api/v1/me/meals" in spec["paths"]
    response = local.options(
        "/api/v1/me/meals",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )
    assert "access-control-allow-origin" not in response.headers


def test_server_mode_refuses_a_weak_secret(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="secret"):
        Settings(data_dir=tmp_path, mode="server", secret_key="changethis")
    with pytest.raises(ValueError, match="secret"):
        Settings(data_dir=tmp_path, mode="server")


def test_triage_and_screen_results_are_kept(local: TestClient) -> None:
    stored = local.post("/api/v1/me/triage", json={"age": 40, "saddle_numbness": True})
    assert stored.status_code == 201
    assert stored.json()["urgency"] == "emergency"
    screen = local.post("/api/v1/me/screen", json={"symptoms": ["cramps"]})
    assert screen.status_code == 201
    assessments = local.get("/api/v1/me/export").json()["assessments"]
    assert [a["kind"] for a in assessments] == ["triage", "screen"]
    assert assessments[0]["answers"] == {"age": 40, "saddle_numbness": True}
    _problem(local.post("/api/v1/me/triage", json={"mood": True}), 422)


def test_edit_a_meal(local: TestClient) -> None:
    meal = local.post("/api/v1/me/meals", json={"text": "een banaan"}).json()
    edited = local.put(
        f"/api/v1/me/meals/{meal['id']}", json={"text": "30 gram amandelen", "lang": "nl"}
    )
    assert edited.status_code == 200
    assert [item["food_id"] for item in edited.json()["items"]] == ["sr24:12061"]
    assert len(local.get("/api/v1/me/export").json()["meals"]) == 1
    _problem(local.put("/api/v1/me/meals/999999", json={"text": "een banaan"}), 404)
    _problem(local.put(f"/api/v1/me/meals/{meal['id']}", json={"text": "qwerty"}), 422)


def test_a_stored_red_flag_heads_the_day(local: TestClient) -> None:
    assert local.get(f"/api/v1/me/days/{TODAY}").json()["red_flag"] is None
    local.post("/api/v1/me/triage", json={"age": 40, "bladder_or_bowel_change": True})
    flag = local.get(f"/api/v1/me/days/{TODAY}").json()["red_flag"]
    assert flag["urgency"] == "emergency"
    assert flag["reasons"][0]["group"] == "cauda_equina"


def test_correct_a_meal_item_through_the_api(local: TestClient) -> None:
    meal = local.post("/api/v1/me/meals", json={"text": "50 g chocolade", "lang": "nl"}).json()
    item_url = f"/api/v1/me/meals/{meal['id']}/items/0"
    assert meal["items"][0]["alternatives"][1]["food_id"] == "sr24:19904"
    chosen = local.patch(item_url, json={"food_id": "sr24:19904"})
    assert chosen.status_code == 200
    # USDA SR24 per 100 g: dark chocolate 70-85% (19904) 228 mg, 60-69% (19903) 176 mg
    assert chosen.json()["items"][0]["nutrients"]["magnesium_mg"] == pytest.approx(50 * 228 / 100)
    both = local.patch(item_url, json={"food_id": "sr24:19903", "grams": 20})
    assert both.json()["items"][0]["nutrients"]["magnesium_mg"] == pytest.approx(20 * 176 / 100)
    _problem(local.patch(item_url, json={}), 422)
    _problem(local.patch(item_url, json={"grams": 0}), 422)
    _problem(local.patch(item_url, json={"food_id": "sr24:00000", "grams": 30}), 422)
    _problem(local.patch(f"/api/v1/me/meals/{meal['id']}/items/3", json={"grams": 30}), 404)
    _problem(local.patch(f"/api/v1/me/meals/{meal['id'] + 1}/items/0", json={"grams": 30}), 404)
    stored = local.get(f"/api/v1/me/days/{meal['eaten_on']}").json()["meals"][0]["items"][0]
    assert (stored["food_id"], stored["grams"]) == ("sr24:19903", 20.0)

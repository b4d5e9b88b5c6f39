"""Server mode in the browser: register, log in and out, change the password, practitioner access.

Runs on SQLite and PostgreSQL. The client talks HTTPS because server-mode cookies are Secure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from rugwijzer.content import render
from rugwijzer.settings import Settings
from rugwijzer.web.app import create_app
from tests.factories import app_client
from tests.html_text import attribute, text
from tests.integration.user_rows import ONE_OF_EACH, owned_by

PASSWORD = "correct horse battery"
BASE = "https://rugwijzer.test"


@pytest.fixture
def server(server_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(server_settings), base_url=BASE) as client:
        yield client


def _browser(server: TestClient) -> TestClient:
    """A second browser on the same app (its own cookie jar)."""
    return TestClient(server.app, base_url=BASE)


def _register(client: TestClient, email: str, password: str = PASSWORD) -> None:
    """Register, then log in from the page the registration leads to (it answers the same for
    a taken address, so it cannot sign anyone in by itself)."""
    response = client.post(
        "/register",
        data={"email": email, "password": password, "password_again": password},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/login?next=/welcome&registered=true"
    assert "set-cookie" not in response.headers
    response = client.post(
        "/login",
        data={"email": email, "password": password, "next": "/welcome"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/welcome"
    cookie = response.headers["set-cookie"]
    assert "rugwijzer_session=" in cookie
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "samesite=lax" in cookie.lower()


def _start(client: TestClient, email: str) -> None:
    _register(client, email)
    client.post("/welcome", data={"birth_year": "1970", "sex": "female"})


def test_pages_need_a_login_and_come_back_after_it(server: TestClient) -> None:
    for path in ("/today", "/trends", "/settings", "/welcome", "/supplements", "/screen"):
        response = server.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"] == f"/login?next={path}"
    home = server.get("/", follow_redirects=False)  # what Rugwijzer is, then an account
    assert home.status_code == 200
    assert attribute(home.text, "a#start", "href") == "/register"
    assert 'href="/login"' in home.text
    assert "in je eigen account" in home.text
    # A form posted without a session changes nothing and asks for a login.
    posted = server.post("/today/meal", data={"text": "een banaan"}, follow_redirects=False)
    assert posted.headers["location"] == "/login?next=/today"
    # Warning signs can be checked by anyone, signed in or not; nothing is kept.
    checked = server.post("/triage", data={"age": "50", "saddle_numbness": "yes"})
    assert checked.status_code == 200
    assert attribute(checked.text, "section.result", "class") == "result emergency"
    assert text(checked.text, "section.result p") == render("triage.emergency", "nl")["text"]
    foods = server.get("/foods", params={"q": "amandelen"})
    assert foods.status_code == 200  # the food search is public
    assert 'href="/login"' in foods.text
    assert 'href="/today"' not in foods.text

    _register(server, "anna@example.org")
    server.post("/logout")
    login = server.get("/login", params={"next": "/trends"})
    assert 'name="next" value="/trends"' in login.text
    signed_in = server.post(
        "/login",
        data={"email": "anna@example.org", "password": PASSWORD, "next": "/trends"},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/trends"


def test_login_refuses_a_foreign_next_target(server: TestClient) -> None:
    _register(server, "anna@example.org")
    server.post("/logout")
    for target in (
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
    ):
        page = server.get("/login", params={"next": target})
        assert 'name="next" value="/"' in page.text
        response = server.post(
            "/login",
            data={"email": "anna@example.org", "password": PASSWORD, "next": target},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/"
        server.post("/logout")


def test_register_first_run_meal_and_logout(server: TestClient) -> None:
    _start(server, "anna@example.org")
    server.post("/today/meal", data={"text": "30 g amandelen"})
    today = server.get("/today")
    assert today.status_code == 200
    assert "amandelen" in today.text
    assert 'action="/logout"' in today.text
    settings = server.get("/settings")
    assert "anna@example.org" in settings.text
    assert "op deze server" in settings.text  # not "stays on this computer"

    server.post("/logout")
    assert server.get("/today", follow_redirects=False).status_code == 303
    # The old cookie value is dead on the server too, not only deleted in this browser.
    assert server.get("/api/v1/me").status_code == 401


def test_each_account_sees_only_its_own_diary(server: TestClient) -> None:
    _start(server, "anna@example.org")
    server.post("/today/meal", data={"text": "30 g pompoenpitten"})
    with _browser(server) as other:
        _start(other, "bram@example.org")
        # The meal's own words (the gap planner on Today may suggest pumpkin seeds to anyone).
        assert "30 g pompoenpitten" not in other.get("/today").text
        assert other.get("/api/v1/me/export").json()["meals"] == []
    assert "30 g pompoenpitten" in server.get("/today").text


@pytest.mark.parametrize(
    ("email", "password", "again", "message"),
    [
        ("anna@example.org", "short", "short", "Een wachtwoord heeft 10 tot 256 tekens."),
        ("anna@example.org", PASSWORD, PASSWORD + "!", "De twee wachtwoorden zijn niet gelijk."),
        ("not an email", PASSWORD, PASSWORD, "Vul een geldig e-mailadres in."),
    ],
)
def test_registration_errors_are_explained(
    server: TestClient, email: str, password: str, again: str, message: str
) -> None:
    with _browser(server) as first:
        _register(first, "anna@example.org")
    response = server.post(
        "/register", data={"email": email, "password": password, "password_again": again}
    )
    assert response.status_code == 422
    assert message in response.text
    assert "rugwijzer_session" not in response.headers.get("set-cookie", "")
    assert f'value="{email}"' in response.text  # what was typed stays


def test_wrong_password_then_rate_limit(server: TestClient) -> None:
    _register(server, "anna@example.org")
    server.post("/logout")
    server.cookies.set("rugwijzer_lang", "en")
    for _attempt in range(3):
        wrong = server.post("/login", data={"email": "anna@example.org", "password": "nope nope"})
        assert wrong.status_code == 401
        assert "Wrong email or password." in wrong.text
    limited = server.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    assert limited.status_code == 429
    assert "Too many failed attempts. Try again in 15 minutes." in limited.text
    assert limited.headers["retry-after"] == "900"


def test_change_password(server: TestClient) -> None:
    _start(server, "anna@example.org")
    with _browser(server) as laptop:
        laptop.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
        assert laptop.get("/today", follow_redirects=False).status_code == 200

        wrong = server.post(
            "/settings/password",
            data={
                "current_password": "not it at all",
                "password": "a new long password",
                "password_again": "a new long password",
            },
        )
        assert wrong.status_code == 422
        assert "Het huidige wachtwoord klopt niet." in wrong.text
        differ = server.post(
            "/settings/password",
            data={
                "current_password": PASSWORD,
                "password": "a new long password",
                "password_again": "another long password",
            },
        )
        assert differ.status_code == 422
        changed = server.post(
            "/settings/password",
            data={
                "current_password": PASSWORD,
                "password": "a new long password",
                "password_again": "a new long password",
            },
        )
        assert changed.status_code == 200
        assert "Je wachtwoord is gewijzigd." in changed.text
        # This browser stays signed in; the other session has ended.
        assert laptop.get("/today", follow_redirects=False).status_code == 303
    server.post("/logout")
    old = server.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    assert old.status_code == 401
    new = server.post(
        "/login",
        data={"email": "anna@example.org", "password": "a new long password"},
        follow_redirects=False,
    )
    assert new.status_code == 303


def test_practitioner_access_from_grant_to_withdrawal(
    server: TestClient, server_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rugwijzer.cli.main import app as cli
    from rugwijzer.services.app import reset

    with _browser(server) as physio:
        _register(physio, "fysio@example.org")
        assert physio.get("/clients").status_code == 404  # not a practitioner (yet)
        # The operator promotes the account from the command line.
        monkeypatch.setenv("RUGWIJZER_DATABASE_URL", server_settings.effective_database_url)
        reset()
        try:
            promoted = CliRunner().invoke(
                cli, ["accounts", "set-role", "fysio@example.org", "practitioner"]
            )
            missing = CliRunner().invoke(
                cli, ["accounts", "set-role", "nobody@example.org", "practitioner"]
            )
        finally:
            reset()
        assert promoted.exit_code == 0, promoted.output
        assert missing.exit_code == 1
        assert "no account" in missing.stderr.lower()

        _start(server, "anna@example.org")
        server.post("/today/meal", data={"text": "30 g amandelen"})
        unknown = server.post("/settings/grants", data={"practitioner_email": "x@example.org"})
        assert unknown.status_code == 422
        assert "Er is geen zorgverlener met dit e-mailadres" in unknown.text
        server.post("/settings/grants", data={"practitioner_email": "fysio@example.org"})
        settings = server.get("/settings")
        assert "fysio@example.org" in settings.text

        clients = physio.get("/clients")
        assert clients.status_code == 200
        assert "anna@example.org" in clients.text
        assert 'href="/clients"' in clients.text  # in the practitioner's navigation
        client_id = server.get("/api/v1/me").json()["user_id"]
        shared = physio.get(f"/clients/{client_id}/export")
        assert shared.status_code == 200
        assert shared.json()["meals"][0]["text"] == "30 g amandelen"

        grant_id = server.get("/api/v1/me/grants").json()[0]["id"]
        server.post(f"/settings/grants/{grant_id}/revoke")
        assert "Geen enkele zorgverlener kan je dagboek zien." in server.get("/settings").text
        assert physio.get(f"/clients/{client_id}/export").status_code == 404
        assert "anna@example.org" not in physio.get("/clients").text
        again = server.post(f"/settings/grants/{grant_id}/revoke")
        assert again.status_code == 404


def test_delete_everything_removes_the_account(server: TestClient, migrated_engine: Engine) -> None:
    _start(server, "anna@example.org")
    anna = server.get("/api/v1/me").json()["user_id"]
    server.post("/today/meal", data={"text": "30 g amandelen"})
    server.post("/today/supplement", data={"label": "magnesium (as citrate) 100 mg"})
    server.post("/today/checkin", data={"pain": "4"})
    server.post("/trends/change", data={"description": "nieuwe stoel"})
    server.post("/triage", data={"age": "40"})
    meal_ids = [m["id"] for m in server.get("/api/v1/me/entries/meal").json()["items"]]
    before = owned_by(migrated_engine, anna, "anna@example.org")
    assert {table: len(rows) for table, rows in before.items() if rows} == {
        **ONE_OF_EACH,
        "sessions": 1,
        "login_attempts": 1,
        "audit_events": 1,  # her login (at registration)
        "api_request_counts": 1,  # the API requests above (pages are not counted)
    }
    deleted = server.post("/settings/delete", data={"confirm": "on"}, follow_redirects=False)
    assert deleted.status_code == 303
    assert deleted.headers["location"] == "/register"
    # Nothing of hers is left in any table: read by her id, her email and her meals' ids.
    left = owned_by(migrated_engine, anna, "anna@example.org", meal_ids=meal_ids)
    assert {table: rows for table, rows in left.items() if rows} == {}
    assert server.get("/today", follow_redirects=False).status_code == 303
    gone = server.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    assert gone.status_code == 401
    _register(server, "anna@example.org")  # the address is free again


def test_account_pages_do_not_exist_in_local_mode(tmp_path: Path) -> None:
    with app_client(Settings(data_dir=tmp_path)) as local:
        for path in ("/login", "/register", "/clients"):
            assert local.get(path).status_code == 404, path
        assert 'action="/logout"' not in local.get("/foods").text


def test_ids_beyond_the_database_range_are_refused_not_a_server_error(server: TestClient) -> None:
    _start(server, "anna@example.org")
    too_big = 2**31
    for response in (
        server.post(f"/settings/grants/{too_big}/revoke"),
        server.post(f"/today/meal/{too_big}/item/0", data={"grams": "10"}),
        server.post("/today/meal/1/item/100000", data={"grams": "10"}),
        server.post(f"/trends/change/{too_big}/end"),
    ):
        assert response.status_code == 422, response.text

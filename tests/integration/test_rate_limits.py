"""Rate limits on registration and on the API per user, kept in the database (issue 16, part 6),
and a registration that answers the same for a new and a taken address. On SQLite and
PostgreSQL: the limits must hold across processes, so they live in `login_attempts`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import false, func, select

from rugwijzer.errors import RateLimitedError
from rugwijzer.services import accounts as accounts_module
from rugwijzer.services.accounts import AccountService
from rugwijzer.settings import Settings
from rugwijzer.store.engine import transaction
from rugwijzer.store.models import ApiRequestCount, LoginAttempt, User
from rugwijzer.web.app import create_app

PASSWORD = "correct horse battery"
START = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server(server_settings: Settings, clock: Clock) -> Iterator[TestClient]:
    settings = server_settings.model_copy(
        update={"registrations_per_window": 4, "api_requests_per_minute": 5}
    )
    with TestClient(create_app(settings), base_url="https://rugwijzer.test") as client:
        client.app.state.accounts.now = clock  # type: ignore[attr-defined]
        yield client


def _accounts(client: TestClient) -> AccountService:
    service: AccountService = client.app.state.accounts  # type: ignore[attr-defined]
    return service


def _rows(client: TestClient, prefix: str) -> int:
    with transaction(_accounts(client).sessions) as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(LoginAttempt)
                .where(LoginAttempt.key.startswith(prefix))
            )
            or 0
        )


def _api_count(client: TestClient) -> int | None:
    """The requests counted in the (only) user's current minute."""
    with transaction(_accounts(client).sessions) as session:
        return session.scalar(select(ApiRequestCount.requests))


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    return body


def _token(client: TestClient, email: str) -> dict[str, str]:
    _accounts(client).register(email, PASSWORD)
    login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    return {"authorization": f"Bearer {login.json()['token']}"}


# --- registration does not tell who has an account -------------------------------------------


def test_the_api_answers_a_taken_address_as_a_new_one(server: TestClient) -> None:
    for lang in ("en", "nl"):
        headers = {"accept-language": lang}
        new = server.post(
            "/api/v1/auth/register",
            json={"email": f"new-{lang}@example.org", "password": PASSWORD},
            headers=headers,
        )
        taken = server.post(
            "/api/v1/auth/register",
            json={"email": f"NEW-{lang}@example.org", "password": "another password!"},
            headers=headers,
        )
        assert new.status_code == taken.status_code == 202
        assert new.json() == taken.json()
        assert new.json()["code"] == "security.registration_received"
        assert new.headers.get("set-cookie") is None
        assert taken.headers.get("set-cookie") is None
    # the account is the first one's: the second registration changed nothing
    first = {"email": "new-en@example.org", "password": PASSWORD}
    assert server.post("/api/v1/auth/login", json=first).status_code == 200
    second = {"email": "new-en@example.org", "password": "another password!"}
    assert server.post("/api/v1/auth/login", json=second).status_code == 401
    with transaction(_accounts(server).sessions) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 2


def test_the_register_page_answers_a_taken_address_as_a_new_one(server: TestClient) -> None:
    answers = []
    for email in ("anna@example.org", "Anna@Example.org"):
        response = server.post(
            "/register",
            data={"email": email, "password": PASSWORD, "password_again": PASSWORD},
            follow_redirects=False,
        )
        answers.append((response.status_code, response.headers.get("location")))
        assert "set-cookie" not in response.headers
    assert answers[0] == answers[1] == (303, "/login?next=/welcome&registered=true")
    server.cookies.set("rugwijzer_lang", "en")
    page = server.get("/login?next=/welcome&registered=true")
    assert "If this email address had no account yet, it has one now" in page.text
    assert "If this email address" not in server.get("/login").text


def test_bad_input_is_refused_alike_for_new_and_taken_addresses(server: TestClient) -> None:
    _accounts(server).register("anna@example.org", PASSWORD)
    for email in ("anna@example.org", "bert@example.org"):
        short = server.post("/api/v1/auth/register", json={"email": email, "password": "short"})
        assert _problem(short, 422, "account.password_length")["params"]["minimum"] == 10


# --- the registration limit ------------------------------------------------------------------


def test_registrations_from_one_address_are_limited(server: TestClient, clock: Clock) -> None:
    for n in range(4):
        answer = server.post(
            "/api/v1/auth/register", json={"email": f"u{n}@example.org", "password": PASSWORD}
        )
        assert answer.status_code == 202
    limited = server.post(
        "/api/v1/auth/register", json={"email": "u9@example.org", "password": PASSWORD}
    )
    body = _problem(limited, 429, "security.registration_rate_limited")
    assert limited.headers["retry-after"] == "3600"
    assert body["params"] == {"minutes": 60}
    with transaction(_accounts(server).sessions) as session:  # nothing was made
        assert session.scalar(select(User.id).where(User.email == "u9@example.org")) is None
    page = server.post(
        "/register",
        data={"email": "u9@example.org", "password": PASSWORD, "password_again": PASSWORD},
        headers={"accept": "text/html"},
    )
    assert page.status_code == 429
    assert page.headers["retry-after"] == "3600"
    clock.advance(3601)  # the window has passed
    again = server.post(
        "/api/v1/auth/register", json={"email": "u9@example.org", "password": PASSWORD}
    )
    assert again.status_code == 202


def test_registrations_of_one_email_are_limited_from_any_address(server: TestClient) -> None:
    accounts = _accounts(server)
    for n in range(4):
        accounts.request_registration("anna@example.org", PASSWORD, client=f"10.0.0.{n}")
    with pytest.raises(RateLimitedError):
        accounts.request_registration("ANNA@example.org", PASSWORD, client="10.0.0.99")
    # another address from a fresh client is not held up by anna's
    accounts.request_registration("bert@example.org", PASSWORD, client="10.0.0.100")
    # the email is stored only as a keyed hash
    with transaction(accounts.sessions) as session:
        keys = session.scalars(select(LoginAttempt.key)).all()
    assert keys
    assert not any("anna" in key for key in keys)


# --- the API limit per user ------------------------------------------------------------------


def test_api_requests_are_limited_per_user(server: TestClient, clock: Clock) -> None:
    anna = _token(server, "anna@example.org")
    bert = _token(server, "bert@example.org")
    for _ in range(5):
        assert server.get("/api/v1/me", headers=anna).status_code == 200
        clock.advance(1)
    limited = server.get("/api/v1/me", headers=anna)
    body = _problem(limited, 429, "security.api_rate_limited")
    assert limited.headers["retry-after"] == "55"  # the first request leaves the window then
    assert body["params"] == {"seconds": 55}
    assert body["title"] == "Too many requests"
    assert server.get("/api/v1/me", headers=bert).status_code == 200  # per user
    # anonymous API routes and the user's web pages are not counted
    assert server.get("/api/v1/foods", params={"q": "amandelen"}).status_code == 200
    clock.advance(50)
    dutch = server.get("/api/v1/me", headers={**anna, "accept-language": "nl"})
    assert dutch.headers["retry-after"] == "5"
    assert "Te veel verzoeken" in _problem(dutch, 429, "security.api_rate_limited")["detail"]
    clock.advance(5)  # a new minute: five requests are free again
    for _ in range(5):
        assert server.get("/api/v1/me", headers=anna).status_code == 200
    assert server.get("/api/v1/me", headers=anna).status_code == 429


def test_refused_api_requests_are_not_counted(server: TestClient, clock: Clock) -> None:
    anna = _token(server, "anna@example.org")
    for _ in range(5):
        assert server.get("/api/v1/me", headers=anna).status_code == 200
    for _ in range(3):
        assert server.get("/api/v1/me", headers=anna).status_code == 429
    assert _api_count(server) == 5
    clock.advance(59.5)
    refused = server.get("/api/v1/me", headers=anna)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"  # rounded up, never 0


def test_the_api_count_is_one_row_per_user_and_goes_with_the_account(
    server: TestClient, clock: Clock
) -> None:
    anna = _token(server, "anna@example.org")
    for _ in range(5):
        assert server.get("/api/v1/me", headers=anna).status_code == 200
    clock.advance(120)
    for _ in range(4):
        assert server.get("/api/v1/me", headers=anna).status_code == 200
    assert _api_count(server) == 4  # this minute's requests, in the one row
    with transaction(_accounts(server).sessions) as session:
        assert session.scalar(select(func.count()).select_from(ApiRequestCount)) == 1
    assert _rows(server, "api:") == 0  # no row per request any more
    server.post("/api/v1/auth/register", json={"email": "anna@example.org", "password": PASSWORD})
    assert _rows(server, "register:") == 2
    assert server.delete("/api/v1/me", headers=anna).status_code == 204
    with transaction(_accounts(server).sessions) as session:
        assert session.scalar(select(func.count()).select_from(ApiRequestCount)) == 0
    assert _rows(server, "register:email:") == 0  # the client address's count stays


def test_an_address_registered_at_the_same_moment_elsewhere_is_answered_alike(
    server: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts = _accounts(server)
    accounts.register("anna@example.org", PASSWORD)
    real_select = accounts_module.select

    def select_missing_the_other_process(*columns: Any) -> Any:
        # The existence check sees no account, as when another process commits it in between
        query = real_select(*columns)
        return query.where(false()) if columns == (User.id,) else query

    monkeypatch.setattr(accounts_module, "select", select_missing_the_other_process)
    accounts.request_registration("anna@example.org", "another password!")  # no error
    monkeypatch.undo()
    with transaction(accounts.sessions) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1


# --- pruning ------------------------------------------------------------------------------------


def test_attempts_outside_every_window_are_pruned_but_not_the_api_counts(
    server: TestClient, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Logins and registrations prune the attempts that left the largest window (here the
    registrations' hour, not the logins' quarter); the API count is a row per user that
    starts again each minute, never pruned."""
    monkeypatch.setattr(accounts_module, "ATTEMPT_PRUNE_EVERY", 1)  # prune at every attempt
    accounts = _accounts(server)
    assert accounts.attempts_kept_for == timedelta(minutes=60)
    anna = _token(server, "anna@example.org")  # one successful login: email: and client:
    assert server.get("/api/v1/me", headers=anna).status_code == 200
    wrong = {"email": "anna@example.org", "password": "not the password"}

    def attempt_both() -> None:
        assert server.post("/api/v1/auth/login", json=wrong).status_code == 401
        server.post(
            "/api/v1/auth/register", json={"email": "bob@example.org", "password": PASSWORD}
        )

    attempt_both()
    counts = {prefix: _rows(server, prefix) for prefix in ("email:", "client:", "register:")}
    assert counts == {"email:": 2, "client:": 2, "register:": 2}

    clock.advance(30 * 60)  # out of the login window, still inside the registrations'
    attempt_both()
    assert _rows(server, "email:") == 3
    assert _rows(server, "register:") == 4

    clock.advance(31 * 60)  # the first attempts are 61 minutes old, the second 31
    attempt_both()
    assert _rows(server, "email:") == 2
    assert _rows(server, "client:") == 2
    assert _rows(server, "register:") == 4

    clock.advance(24 * 60 * 60)
    assert accounts.prune_attempts() == 8  # what `rugwijzer db prune` runs
    assert _rows(server, "email:") + _rows(server, "register:") == 0
    assert _api_count(server) == 1


def test_attempts_are_pruned_only_now_and_then(
    server: TestClient, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts_module, "ATTEMPT_PRUNE_EVERY", 8)
    pruned: list[int] = []
    accounts = _accounts(server)
    prune = accounts.prune_attempts

    def counted_prune() -> int:
        pruned.append(prune())
        return pruned[-1]

    accounts.prune_attempts = counted_prune  # type: ignore[method-assign]
    wrong = {"email": "anna@example.org", "password": "not the password"}
    for _ in range(5):  # rows 1 to 10: the 8th is the only multiple of 8
        assert server.post("/api/v1/auth/login", json=wrong).status_code == 401
        clock.advance(3600)  # out of every window: the rate limit lets each one through
    # at the 4th attempt: the 1st and 2nd, two rows each (the 3rd is exactly an hour old)
    assert pruned == [4]

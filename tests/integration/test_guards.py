"""Request guards: cross-site writes are refused; local mode answers only to loopback names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rugwijzer.settings import Settings
from rugwijzer.web.guards import is_loopback_host
from tests.factories import TEST_SECRET, app_client


def _app(tmp_path: Path, **overrides: object) -> TestClient:
    settings = Settings(data_dir=tmp_path, **overrides)  # type: ignore[arg-type]
    return app_client(settings, "http://127.0.0.1:8000")


@pytest.fixture
def local(tmp_path: Path) -> Iterator[TestClient]:
    with _app(tmp_path) as client:
        client.post("/welcome", data={"birth_year": "1980", "sex": "male"})
        client.post("/today/meal", data={"text": "30 g amandelen"})
        yield client


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1:8000", True),
        ("localhost", True),
        ("LOCALHOST:8000", True),
        ("app.localhost:8000", True),
        ("[::1]:8000", True),
        ("127.5.0.1", True),
        ("evil.example:8000", False),
        ("192.168.1.5:8000", False),
        ("", False),
        ("[::1", False),
    ],
)
def test_loopback_hosts(host: str, expected: bool) -> None:
    assert is_loopback_host(host) is expected


def _meal_count(client: TestClient) -> int:
    return len(client.get("/api/v1/me/export").json()["meals"])


def test_a_form_posted_from_another_site_changes_nothing(local: TestClient) -> None:
    for headers in (
        {"sec-fetch-site": "cross-site", "origin": "https://evil.example"},
        {"sec-fetch-site": "same-site", "origin": "http://other.localhost:8000"},
        {"origin": "https://evil.example"},  # an older browser without Sec-Fetch-Site
        {"origin": "null"},
    ):
        refused = local.post(
            "/settings/delete", data={"confirm": "on"}, headers=headers, follow_redirects=False
        )
        assert refused.status_code == 403, headers
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["title"] == "Cross-site request refused"
        assert refused.json()["code"] == "security.cross_site_refused"
    assert _meal_count(local) == 1
    # the refusal speaks the reader's language, like every problem
    dutch = local.post(
        "/settings/delete",
        data={"confirm": "on"},
        headers={"sec-fetch-site": "cross-site", "accept-language": "nl-NL,nl;q=0.9"},
    )
    assert (
        dutch.json()["detail"]
        == "Deze wijziging kwam van een andere website en is niet uitgevoerd."
    )
    assert _meal_count(local) == 1


def test_same_origin_forms_and_plain_clients_pass(local: TestClient) -> None:
    same_origin = local.post(
        "/today/meal",
        data={"text": "een banaan"},
        headers={"sec-fetch-site": "same-origin", "origin": "http://127.0.0.1:8000"},
        follow_redirects=False,
    )
    assert same_origin.status_code == 303
    typed_url = local.post(
        "/today/meal", data={"text": "een appel"}, headers={"sec-fetch-site": "none"}
    )
    assert typed_url.status_code == 200
    old_browser = local.post(
        "/today/meal",
        data={"text": "een peer"},
        headers={"origin": "http://127.0.0.1:8000"},
        follow_redirects=False,
    )
    assert old_browser.status_code == 303
    assert _meal_count(local) == 4  # the client without browser headers (curl, scripts) too


def test_reading_from_another_site_is_still_allowed(local: TestClient) -> None:
    # A link from elsewhere must open the app; only changes are refused.
    page = local.get("/today", headers={"sec-fetch-site": "cross-site"})
    assert page.status_code == 200


def test_local_mode_refuses_a_foreign_host_name(local: TestClient) -> None:
    # DNS rebinding: a hostile name that resolves to 127.0.0.1 gets nothing, not even reads.
    rebound = local.get("/api/v1/me/export", headers={"host": "evil.example:8000"})
    assert rebound.status_code == 421
    assert rebound.json()["status"] == 421
    assert rebound.json()["code"] == "security.local_host_only"
    assert rebound.json()["detail"] == (
        "Rugwijzer in local mode answers only to localhost and 127.0.0.1."
    )
    assert local.get("/api/v1/me/export", headers={"host": "localhost:8000"}).status_code == 200


def test_server_mode_serves_any_host_and_trusts_configured_origins(tmp_path: Path) -> None:
    with _app(
        tmp_path,
        mode="server",
        secret_key=TEST_SECRET,
        cors_origins=["https://app.example"],
    ) as client:
        register = {"email": "a@example.org", "password": "a long enough password"}
        assert (
            client.post(
                "/api/v1/auth/register", json=register, headers={"host": "rugwijzer.example"}
            ).status_code
            == 202
        )
        trusted = client.post(
            "/api/v1/auth/login",
            json=register,
            headers={"origin": "https://app.example", "sec-fetch-site": "cross-site"},
        )
        assert trusted.status_code == 200
        untrusted = client.post(
            "/api/v1/auth/login",
            json=register,
            headers={"origin": "https://evil.example", "sec-fetch-site": "cross-site"},
        )
        assert untrusted.status_code == 403

"""Security headers on every response (pages, API, static files, errors, the aids widget) and
no inline script or style in any page we render (issue 16, part 6).

The headers come from one middleware (web/guards.py `SecurityHeaders`); no database work is
involved, so these tests run on SQLite only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rugwijzer.settings import Settings
from rugwijzer.web.guards import PAGE_POLICY, REFERRER_POLICY
from tests.factories import TEST_SECRET, app_client

TEMPLATES = Path(__file__).parents[2] / "src" / "rugwijzer" / "web" / "templates"
SHOP = "https://shop.example.nl"
AIDS = {"pain_weeks": "3", "sitting_hours_per_day": "8", "work": "desk", "goal": "relief"}

#: Every page a browser can open in local mode (GET), filled in where a form answers.
LOCAL_PAGES = [
    "/",
    "/welcome",
    "/today",
    "/trends?days=7",
    "/supplements",
    "/stress",
    "/stress?pace=8",
    "/foods?q=amandelen",
    "/triage",
    "/screen",
    "/settings",
    "/faq",
    "/claims",
    "/articles",
    "/articles/magnesium_in_the_body",
    "/aids?pain_weeks=3&sitting_hours_per_day=8&work=desk&goal=relief",
    "/plan?gap_mg=200",
    "/no-such-page",
]
SERVER_PAGES = ["/login", "/register"]


def _directives(policy: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {part[0]: (part[1] if len(part) > 1 else "") for part in parts}


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("headers"), embed_origins=[SHOP])
    with app_client(settings) as client:
        client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
        client.post("/today/meal", data={"text": "30 g amandelen"})
        yield client


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("headers-server"),
        mode="server",
        secret_key=TEST_SECRET,
        host="0.0.0.0",
    )
    with app_client(settings) as client:
        yield client


def assert_page_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-security-policy"] == PAGE_POLICY
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == REFERRER_POLICY
    assert headers["x-content-type-options"] == "nosniff"


def test_the_page_policy_allows_no_inline_script_or_style_and_no_framing() -> None:
    directives = _directives(PAGE_POLICY)
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in PAGE_POLICY


@pytest.mark.parametrize("path", LOCAL_PAGES)
def test_every_page_carries_the_headers(local: TestClient, path: str) -> None:
    response = local.get(path, headers={"accept": "text/html"})
    assert response.status_code in (200, 404), path
    assert_page_headers(response)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/foods?q=amandelen"),
        ("GET", "/api/v1/me/export"),
        ("GET", "/api/v1/openapi.json"),
        ("GET", "/api/v1/no-such-route"),
        ("POST", "/api/v1/meals/parse"),  # 422: no body
        ("GET", "/healthz"),
        ("GET", "/static/site.css"),
        ("GET", "/static/today.js"),
        ("GET", "/static/no-such-file.js"),
        ("GET", "/embed/aids/theme.css"),
    ],
)
def test_api_static_and_errors_carry_the_headers(local: TestClient, method: str, path: str) -> None:
    response = local.request(method, path)
    assert_page_headers(response)


def test_a_refusal_of_the_guard_carries_the_headers(local: TestClient) -> None:
    refused = local.get("/today", headers={"host": "evil.example"})
    assert refused.status_code == 421
    assert_page_headers(refused)


def test_server_mode_pages_carry_the_headers(server: TestClient) -> None:
    for path in SERVER_PAGES:
        assert_page_headers(server.get(path))
    assert_page_headers(server.post("/api/v1/auth/login", json={"email": "a", "password": "b"}))


def test_the_widget_keeps_its_own_policy(local: TestClient) -> None:
    for query in ({}, AIDS):
        response = local.get("/embed/aids", params=query)
        assert response.status_code == 200
        directives = _directives(response.headers["content-security-policy"])
        assert directives["frame-ancestors"] == SHOP  # the configured shop may frame it
        assert "script-src" not in directives
        assert directives["default-src"] == "'none'"
        assert "x-frame-options" not in response.headers  # it would forbid the shop's frame
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-content-type-options"] == "nosniff"
        # one value per header: the middleware adds none beside the widget's own
        for name in ("content-security-policy", "referrer-policy", "x-content-type-options"):
            assert len(response.headers.get_list(name)) == 1


def test_no_page_loads_anything_from_another_site(local: TestClient) -> None:
    # Rugwijzer works offline: no Swagger UI page (it loads from a CDN), the API is described
    # by its OpenAPI document.
    assert local.get("/api/v1/docs").status_code == 404
    assert local.get("/api/v1/openapi.json").status_code == 200


_INLINE = [
    (re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "an inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "an event-handler attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: URL"),
]


def inline_code(html: str) -> list[str]:
    """What in `html` the page policy would block: inline script, inline style, handlers."""
    return [label for pattern, label in _INLINE if pattern.search(html)]


def test_the_scan_finds_inline_code() -> None:
    assert inline_code('<p>x</p><script src="/static/today.js" defer></script>') == []
    assert inline_code("<script>alert(1)</script>") == ["an inline <script>"]
    assert inline_code('<section style="--breath: 6s">') == ["a style attribute"]
    assert inline_code('<button onclick="go()">') == ["an event-handler attribute"]
    assert inline_code("<style>p{}</style>") == ["a <style> element"]


@pytest.mark.parametrize("path", LOCAL_PAGES)
def test_no_rendered_page_holds_inline_code(local: TestClient, path: str) -> None:
    for lang in ("nl", "en"):
        local.get(f"/lang/{lang}")
        html = local.get(path, headers={"accept": "text/html"}).text
        assert inline_code(html) == [], (path, lang)


def test_no_server_page_or_widget_holds_inline_code(server: TestClient, local: TestClient) -> None:
    for path in SERVER_PAGES:
        assert inline_code(server.get(path).text) == [], path
    assert inline_code(local.get("/embed/aids", params=AIDS).text) == []


def test_no_page_template_holds_inline_code() -> None:
    # report.html is printed to PDF by WeasyPrint (never served as a page): its style sheet stays.
    for template in sorted(TEMPLATES.glob("*.html")):
        if template.name == "report.html":
            continue
        assert inline_code(template.read_text(encoding="utf-8")) == [], template.name

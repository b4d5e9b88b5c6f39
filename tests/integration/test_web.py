"""The web app and API: health, landing page, food endpoints, problem+json errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rugwijzer.settings import Settings
from tests.factories import app_client
from tests.html_text import texts


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with app_client(Settings(data_dir=tmp_path_factory.mktemp("web"))) as test_client:
        yield test_client


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["foods"] == 8858


def test_foods_page_in_dutch_and_english(client: TestClient) -> None:
    dutch = client.get("/foods")
    assert dutch.status_code == 200
    assert '<html lang="nl">' in dutch.text
    assert "Zoek een voedingsmiddel" in dutch.text
    client.cookies.set("rugwijzer_lang", "en")
    english = client.get("/foods")
    client.cookies.clear()
    assert '<html lang="en">' in english.text
    assert "Search a food" in english.text


def test_foods_search_without_javascript(client: TestClient) -> None:
    page = client.get("/foods", params={"q": "amandelen"})
    first_row = texts(page.text, "tbody tr")[0]
    # USDA SR24 12061 "Nuts, almonds": 268 mg magnesium per 100 g
    assert first_row == "amandelen Nuts, almonds (USDA SR24 12061) 268"
    assert "<script" not in page.text


def test_foods_page_escapes_the_query(client: TestClient) -> None:
    page = client.get("/foods", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in page.text


def test_page_loads_nothing_from_the_internet(client: TestClient) -> None:
    page = client.get("/foods").text
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page
    assert client.get("/static/site.css").status_code == 200


def test_api_search_and_detail(client: TestClient) -> None:
    rows = client.get("/api/v1/foods", params={"q": "almonds", "lang": "en", "limit": 2}).json()
    assert rows[0]["id"] == "sr24:12061"
    detail = client.get("/api/v1/foods/sr24:12061").json()
    assert detail["per_100g"]["magnesium_mg"]["amount"] == 268.0


def test_api_errors_are_problem_json(client: TestClient) -> None:
    missing = client.get("/api/v1/foods/sr24:99999")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["status"] == 404
    blank = client.get("/api/v1/foods", params={"q": "   "})
    assert blank.status_code == 422
    assert blank.headers["content-type"] == "application/problem+json"
    too_long = client.get("/api/v1/foods", params={"q": "x" * 5000})
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["loc"] == ["query", "q"]
    bad_limit = client.get("/api/v1/foods", params={"q": "appel", "limit": 0})
    assert bad_limit.status_code == 422


def test_openapi_is_served(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/foods" in spec["paths"]


BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_browsers_get_error_pages_and_the_api_keeps_problem_json(client: TestClient) -> None:
    page = client.get("/no-such-page", headers=BROWSER)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Niet gevonden</h1>" in page.text
    assert "Deze pagina of invoer bestaat niet, of is niet van jou." in page.text
    assert 'href="/"' in page.text
    missing_item = client.post("/today/meal/9999/item/0", data={"grams": "10"}, headers=BROWSER)
    assert missing_item.status_code == 404
    assert "<h1>Niet gevonden</h1>" in missing_item.text
    client.cookies.set("rugwijzer_lang", "en")
    english = client.get("/no-such-page", headers=BROWSER)
    client.cookies.clear()
    assert "<h1>Not found</h1>" in english.text
    for response in (
        client.get("/api/v1/no-such-thing", headers=BROWSER),  # the API never answers with HTML
        client.get("/no-such-page"),  # a client that does not ask for HTML
    ):
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


# What gives away a path of this repository or a working file: the issue #11 report found
# "shared/facts/magnesium.md" cited on /stress.
REPOSITORY_PATH = re.compile(r"shared/|src/rugwijzer|rugwijzer/(?:data|content)/|\.md\b|\.toml\b")


def test_no_repository_path_on_a_page_or_in_an_api_answer(tmp_path: Path) -> None:
    with app_client(Settings(data_dir=tmp_path)) as fresh:
        profile = {"birth_year": 1975, "sex": "female", "medicines": ["levothyroxine"]}
        assert fresh.put("/api/v1/me/profile", json=profile).status_code == 200
        fresh.post("/api/v1/me/meals", json={"text": "30 g amandelen met een banaan"})
        fresh.post("/api/v1/me/supplements", json={"label": "magnesium (as citrate) 300 mg"})
        fresh.put(f"/api/v1/me/checkins/{date.today()}", json={"pain": 5})
        fresh.post("/triage", data={"age": "40", "fever": "yes"})
        supplement = {"label": "magnesium (as oxide) 400 mg"}
        answers = [
            fresh.get("/api/v1/foods", params={"q": "amandelen"}),
            fresh.get("/api/v1/foods/sr24:12061"),
            fresh.post("/api/v1/meals/parse", json={"text": "2 sneetjes volkorenbrood"}),
            fresh.post("/api/v1/supplements/elemental", json={"form": "lactate", "compound_mg": 1}),
            fresh.post("/api/v1/triage", json={"age": 40, "fever": True}),
            fresh.post("/api/v1/screen", json={}),
            fresh.get("/api/v1/me/profile"),
            fresh.get(f"/api/v1/me/days/{date.today()}"),
            fresh.get("/api/v1/me/export"),
            fresh.post("/api/v1/me/screen", json={}),
        ]
        for reference in ("nih", "efsa", "nl"):
            answers.append(
                fresh.post(
                    "/api/v1/targets", json={"age": 30, "sex": "female", "reference": reference}
                )
            )
            answers.append(
                fresh.post(
                    "/api/v1/supplements/check",
                    json={
                        "profile": {"age": 30, "sex": "female", "medicines": ["Tivicay"]},
                        "supplements": [supplement],
                        "reference": reference,
                    },
                )
            )
        for lang in ("nl", "en"):
            fresh.get(f"/lang/{lang}")
            for path in ("/today", "/trends", "/supplements", "/stress", "/foods?q=amandelen"):
                answers.append(fresh.get(path))
            answers.append(fresh.post("/supplements", data=supplement))
    for answer in answers:
        assert answer.status_code in (200, 201), (answer.url, answer.text[:300])
        assert not REPOSITORY_PATH.search(answer.text), (
            answer.url,
            REPOSITORY_PATH.findall(answer.text),
        )


def test_the_repository_path_check_catches_the_old_citation() -> None:
    assert REPOSITORY_PATH.search("Rugwijzer facts sheet on magnesium (shared/facts/magnesium.md)")
    assert REPOSITORY_PATH.search("see src/rugwijzer/data/reference_values_magnesium.toml")
    assert not REPOSITORY_PATH.search("https://www.mdpi.com/2072-6643/9/5/429")

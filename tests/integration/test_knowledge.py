"""The knowledge base through the API, the command line and the pages."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rugwijzer.cli.main import app as cli
from rugwijzer.content import articles, claims, faq
from rugwijzer.fooddb.database import default_food_database
from tests.html_text import text, texts

runner = CliRunner()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_faq_api_answers_in_both_languages(local: TestClient, lang: str) -> None:
    answer = local.get("/api/v1/faq", params={"lang": lang})
    assert answer.status_code == 200
    items = answer.json()
    assert [item["id"] for item in items] == list(faq())
    for item in items:
        assert item["question"] == faq()[item["id"]].question[lang]
        assert item["answer"]
        assert item["grade"] in {"A", "B", "C", "D"}
        assert item["sources"]
        assert all({"id", "title", "url"} <= set(source) for source in item["sources"])
    one = local.get("/api/v1/faq/daily_need", params={"lang": lang}).json()
    assert one["id"] == "daily_need"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_claims_api_gives_each_claim_a_verdict(local: TestClient, lang: str) -> None:
    items = local.get("/api/v1/claims", params={"lang": lang}).json()
    assert [item["id"] for item in items] == list(claims())
    for item in items:
        assert item["verdict"] == claims()[item["id"]].verdict
        assert item["claim"] == claims()[item["id"]].claim[lang]
        assert item["explanation"]
        assert item["sources"]


@pytest.mark.parametrize("path", ["/api/v1/faq/no_such_question", "/api/v1/claims/no_such_claim"])
def test_an_unknown_id_is_404(local: TestClient, path: str) -> None:
    answer = local.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"].startswith("knowledge.")


@pytest.mark.parametrize("path", ["/api/v1/faq", "/api/v1/claims"])
def test_an_unknown_language_is_422(local: TestClient, path: str) -> None:
    answer = local.get(path, params={"lang": "de"})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("command", ["faq", "claims"])
def test_the_command_line_gives_json_and_text(command: str) -> None:
    items = json.loads(runner.invoke(cli, [command, "--lang", "en", "--json"]).stdout)
    source = faq() if command == "faq" else claims()
    assert [item["id"] for item in items] == list(source)
    dutch = runner.invoke(cli, [command, "--lang", "nl"])
    assert dutch.exit_code == 0
    assert "Bewijsniveau" in dutch.stdout
    unknown = runner.invoke(cli, [command, "--id", "no_such_item"])
    assert unknown.exit_code == 1
    assert "no_such_item" in unknown.stderr
    assert runner.invoke(cli, [command, "--lang", "de"]).exit_code == 2


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_pages_show_every_item_with_its_sources(local: TestClient, lang: str) -> None:
    local.get(f"/lang/{lang}")
    page = local.get("/faq").text
    for item in faq().values():
        assert f'id="{item.id}"' in page
    assert 'href="/faq"' in local.get("/today").text
    claims_page = local.get("/claims").text
    for claim in claims().values():
        assert f'id="{claim.id}"' in claims_page


# --- articles -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_articles_api_lists_and_gives_each_article(local: TestClient, lang: str) -> None:
    listed = local.get("/api/v1/articles", params={"lang": lang}).json()
    assert [item["id"] for item in listed] == list(articles())
    for item in listed:
        whole = local.get(f"/api/v1/articles/{item['id']}", params={"lang": lang})
        assert whole.status_code == 200
        body = whole.json()
        assert body["title"] == articles()[item["id"]].title[lang]
        points = [point for section in body["sections"] for point in section["points"]]
        assert points
        for point in points:
            assert point["grade"] in {"A", "B", "C", "D"}
            assert point["sources"]
            assert all(source["url"].startswith("https://") for source in point["sources"])


def test_an_unknown_article_is_404(local: TestClient) -> None:
    answer = local.get("/api/v1/articles/no_such_article")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "knowledge.article_not_found"
    assert local.get("/api/v1/articles", params={"lang": "de"}).status_code == 422
    page = local.get("/articles/no_such_article", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]


def test_the_food_table_is_computed_from_the_food_data(local: TestClient) -> None:
    food_first = articles()["food_first"]
    body = local.get("/api/v1/articles/food_first", params={"lang": "nl"}).json()
    assert len(body["foods"]) == len(food_first.foods)
    database = default_food_database()
    amounts = []
    for row in body["foods"]:
        food = database.get(row["food_id"])
        assert food.name_nl  # everyday foods with a Dutch name
        assert row["name"] == food.name_nl
        expected = food.magnesium_mg_per_100g * row["grams"] / 100
        assert row["magnesium_mg"] == pytest.approx(expected)
        amounts.append(row["magnesium_mg"])
    assert amounts == sorted(amounts, reverse=True)  # most magnesium first
    assert [s["id"] for s in body["foods_sources"]] == ["usda-sr24"]


def test_the_articles_on_the_command_line() -> None:
    listed = json.loads(runner.invoke(cli, ["articles", "--lang", "en", "--json"]).stdout)
    assert [item["id"] for item in listed] == list(articles())
    one = runner.invoke(cli, ["articles", "--id", "food_first", "--lang", "nl"])
    assert one.exit_code == 0
    assert articles()["food_first"].title["nl"] in one.stdout
    assert "Magnesium per gewone portie" in one.stdout
    assert "Bewijsniveau" in one.stdout
    whole = json.loads(runner.invoke(cli, ["articles", "--id", "deficiency", "--json"]).stdout)
    assert whole["id"] == "deficiency"
    unknown = runner.invoke(cli, ["articles", "--id", "no_such_article"])
    assert unknown.exit_code == 1
    assert "no_such_article" in unknown.stderr
    assert runner.invoke(cli, ["articles", "--lang", "de"]).exit_code == 2


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_article_pages_show_every_point_with_grade_and_sources(
    local: TestClient, lang: str
) -> None:
    local.get(f"/lang/{lang}")
    index = local.get("/articles").text
    assert 'href="/articles"' in local.get("/today").text  # in the menu
    for item in articles().values():
        assert f'href="/articles/{item.id}"' in index
        page = local.get(f"/articles/{item.id}").text
        assert text(page, "main h1") == item.title[lang]
        shown = texts(page, "div.point p.cite")
        expected = sum(len(section.points) for section in item.sections)
        assert len(shown) == expected
        assert all(("niveau " if lang == "nl" else "grade ") in cite for cite in shown)
    deficiency = local.get("/articles/deficiency").text
    assert 'href="/screen"' in deficiency
    assert 'href="/stress"' in local.get("/articles/stress_and_back_pain").text

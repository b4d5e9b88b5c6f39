"""The knowledge base through the API, the command line and the pages."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rugwijzer.cli.main import app as cli
from rugwijzer.content import claims, faq

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

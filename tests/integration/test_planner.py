"""The gap planner through its shells: `rugwijzer plan` (tables, JSON, exit codes), POST
/api/v1/plan on SQLite and PostgreSQL (a gap given, today's gap from a diary with meals, 422
problems for bad input), the /plan page and the card on Today."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rugwijzer.cli.main import app
from tests.html_text import text

runner = CliRunner()


def _profile_and_meal(client: TestClient) -> float:
    """A profile with a target and a meal today; today's gap as the day view gives it."""
    sent = client.put("/api/v1/me/profile", json={"birth_year": 1980, "sex": "female"})
    assert sent.status_code == 200, sent.text
    logged = client.post("/api/v1/me/meals", json={"text": "2 boterhammen met kaas"})
    assert logged.status_code == 201, logged.text
    day = client.get(f"/api/v1/me/days/{date.today().isoformat()}").json()
    gap = day["targets"]["magnesium_gap_mg"]
    assert gap > 0
    return float(gap)


# --- command line -------------------------------------------------------------------------------


@pytest.mark.usefixtures("cli_environment")
def test_the_command_prints_a_plan_with_its_sources() -> None:
    result = runner.invoke(app, ["plan", "--gap-mg", "200", "--exclude", "noten", "--lang", "nl"])
    assert result.exit_code == 0, result.output
    assert "Tekort: 200 mg magnesium; budget: 400 kcal" in result.output
    assert "Weggelaten: noten" in result.output
    assert "opscheplepel" in result.output
    assert "USDA SR24" in result.output
    assert "Mogelijkheid 1" in result.output
    assert "handje" not in result.output  # no nuts


@pytest.mark.usefixtures("cli_environment")
def test_the_command_answers_in_json() -> None:
    result = runner.invoke(
        app,
        ["plan", "--gap-mg", "150", "--exclude", "vegan", "--kcal-max", "300", "--json"],
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["feasible"] is True
    assert answer["needed"] is True
    assert answer["exclusions"] == ["vegan"]
    assert answer["kcal_max"] == 300
    assert answer["total_magnesium_mg"] >= 150
    assert answer["total_kcal"] <= 300
    assert {"food", "portion", "grams", "magnesium_mg", "kcal"} <= set(answer["items"][0])
    assert set(answer["items"][0]["food"]) == {"id", "name_en", "name_nl"}
    assert answer["items"][0]["portion"]
    assert 1 <= len(answer["alternatives"]) <= 3
    for plan in answer["alternatives"]:
        assert plan["total_magnesium_mg"] >= 150
        assert plan["total_kcal"] <= 300


@pytest.mark.usefixtures("cli_environment")
def test_no_gap_needs_no_plan_and_is_no_error() -> None:
    result = runner.invoke(app, ["plan", "--gap-mg", "0", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "No plan needed" in result.output


@pytest.mark.usefixtures("cli_environment")
def test_an_impossible_plan_says_what_would_help() -> None:
    result = runner.invoke(app, ["plan", "--gap-mg", "400", "--kcal-max", "50", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "No plan fits." in result.output
    assert "would be enough" in result.output
    answer = json.loads(
        runner.invoke(app, ["plan", "--gap-mg", "400", "--kcal-max", "50", "--json"]).output
    )
    assert answer["feasible"] is False
    assert answer["items"] == []
    assert answer["hints"]


@pytest.mark.usefixtures("cli_environment")
@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--gap-mg", "6000"], "5,000"),
        (["--gap-mg", "200", "--kcal-max", "-5"], "negative"),
        (["--gap-mg", "200", "--exclude", "kaviaar"], "kaviaar"),
        ([], "profile"),  # no gap given and no target to compute it
    ],
)
def test_bad_input_exits_with_2(arguments: list[str], words: str) -> None:
    result = runner.invoke(app, ["plan", *arguments])
    assert result.exit_code == 2, result.output
    assert words in result.output


@pytest.mark.usefixtures("cli_environment")
def test_without_a_gap_the_command_plans_for_today() -> None:
    profile = ["profile", "set", "--birth-year", "1980", "--sex", "female"]
    assert runner.invoke(app, profile).exit_code == 0
    assert runner.invoke(app, ["log", "meal", "een boterham met kaas"]).exit_code == 0
    today = json.loads(runner.invoke(app, ["today", "--json"]).output)
    gap = today["targets"]["magnesium_gap_mg"]
    answer = json.loads(runner.invoke(app, ["plan", "--json"]).output)
    assert answer["gap_mg"] == gap
    assert answer["total_magnesium_mg"] >= gap


# --- API ----------------------------------------------------------------------------------------


def test_the_api_plans_for_a_gap_given(local: TestClient) -> None:
    response = local.post(
        "/api/v1/plan?lang=en",
        json={"gap_mg": 250, "exclude": ["vegan", "gluten"], "kcal_max": 350},
    )
    assert response.status_code == 200, response.text
    plan = response.json()
    assert plan["feasible"] is True
    assert plan["gap_mg"] == 250
    assert plan["total_magnesium_mg"] >= 250
    assert plan["total_kcal"] <= 350
    words = " ".join(item["portion"] for item in plan["items"])
    assert words.startswith(("a ", "an ", "two ", "three "))
    assert all(item["portion_source"] for item in plan["items"])
    assert "USDA SR24" in plan["sources"]


def test_the_api_plans_for_todays_gap_from_the_diary(local: TestClient) -> None:
    gap = _profile_and_meal(local)
    response = local.post("/api/v1/plan", json={})
    assert response.status_code == 200, response.text
    plan = response.json()
    assert plan["gap_mg"] == gap
    assert plan["needed"] is True
    assert plan["total_magnesium_mg"] >= gap
    assert plan["total_kcal"] <= 400


def test_the_api_says_when_no_plan_is_needed(local: TestClient) -> None:
    response = local.post("/api/v1/plan", json={"gap_mg": 0})
    assert response.status_code == 200
    assert response.json()["needed"] is False
    assert response.json()["hints"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"gap_mg": 5001}, "plan.gap_too_large"),
        ({"gap_mg": 200, "kcal_max": -1}, "plan.kcal_negative"),
        ({"gap_mg": 1e300}, "plan.gap_too_large"),  # too large to write out: still a 422
        ({"gap_mg": 200, "kcal_max": -1e300}, "plan.kcal_negative"),
        ({"gap_mg": 200, "exclude": ["kaviaar"]}, "plan.unknown_exclusion"),
        ({}, "plan.no_target"),  # no profile: no target to compute today's gap
        ({"gap_mg": "veel"}, None),
        ({"gap": 200}, None),  # an unknown field
    ],
)
def test_the_api_refuses_bad_input(
    local: TestClient, body: dict[str, Any], code: str | None
) -> None:
    response = local.post("/api/v1/plan", json=body, headers={"accept-language": "nl"})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    if code is not None:
        assert problem["code"] == code
        assert problem["detail"]


# --- pages --------------------------------------------------------------------------------------


def test_the_plan_page_shows_the_plan_and_alternatives(local: TestClient) -> None:
    page = local.get("/plan", params={"gap_mg": "250", "exclude": ["noten", "lactose"]})
    assert page.status_code == 200
    assert text(page.text, "#plan-title") in ("Je plan", "Your plan")
    first = text(page.text, "#plan-first")
    assert "opscheplepel" in first or "serving spoon" in first
    assert "handje" not in first  # no nuts
    assert text(page.text, "#plan-alternative-1")
    assert 'value="noten" checked' in page.text
    assert "USDA SR24" in text(page.text, "details.sources")


def test_the_plan_page_shows_an_error_for_a_bad_word(local: TestClient) -> None:
    page = local.get("/plan", params={"foods": "kaviaar", "gap_mg": "100"})
    assert page.status_code == 422
    assert "kaviaar" in text(page.text, "p.error")


def test_today_shows_how_to_close_the_gap(local: TestClient) -> None:
    gap = _profile_and_meal(local)
    page = local.get("/today")
    assert page.status_code == 200
    assert 'id="gap-plan"' in page.text
    assert 'id="gap-plan-first"' in page.text
    assert 'href="/plan"' in page.text
    assert gap > 0


def test_the_profiles_diet_exclusions_shape_the_card_and_the_first_visit(
    local: TestClient,
) -> None:
    _profile_and_meal(local)
    sent = local.put(
        "/api/v1/me/profile",
        json={"diet_exclusions": ["veganistisch", "geen noten en soja", "iets raars"]},
    )
    assert sent.status_code == 200, sent.text
    today = local.get("/today", headers={"accept-language": "nl"})
    card = text(today.text, "#gap-plan")
    assert "veganistisch, noten, soja" in card
    assert "iets raars" not in card
    first = local.get("/plan")
    assert 'value="veganistisch" checked' in first.text
    assert 'value="noten" checked' in first.text
    assert 'value="soja" checked' in first.text
    # a submitted form is taken as it is
    chosen = local.get("/plan", params={"exclude": "soja", "gap_mg": "100"})
    assert 'value="veganistisch" checked' not in chosen.text
    assert 'value="soja" checked' in chosen.text

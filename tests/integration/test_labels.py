"""Supplement labels as Dutch and English packs write them, through every shell that accepts a
label: the API (the diary on SQLite and PostgreSQL, and the stateless check), the CLI (check
and log) and the pages (the supplement check and Today)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rugwijzer.cli.main import app as cli_app
from rugwijzer.services.app import reset
from tests.html_text import text, texts

runner = CliRunner()
YEAR = date.today().year
ADULT = {"age": 45, "sex": "female"}  # EU upper limit for supplements: 250 mg
#: Magnesium citrate is 11.3-16.2 % magnesium (hydrogen citrate to anhydrous trimagnesium
#: dicitrate, from the formulas): 400 mg of it is 45.3-64.7 mg magnesium.
CITRATE_400 = [45.3, 64.7]


def _flat(output: str) -> str:
    return " ".join(output.split())


# --- API: the diary (SQLite and PostgreSQL) ------------------------------------------------------


def test_api_logs_a_dutch_label_with_its_reading(local: TestClient) -> None:
    logged = local.post(
        "/api/v1/me/supplements",
        params={"lang": "nl"},
        json={"label": "Magnesiumcitraat 400 mg\n1 capsule per dag"},
    )
    assert logged.status_code == 201, logged.text
    body = logged.json()
    reading = body["label_reading"]
    assert reading["amount_basis"] == "unstated"
    assert reading["amount_mg"] == 400
    assert reading["elemental_mg"] == 400
    assert reading["elemental_if_compound_mg"] == CITRATE_400
    assert reading["counted_mg"] == 400
    assert reading["servings_per_day"] == 1
    assert reading["forms"] == [
        "citrate_trimagnesium_anhydrous",
        "citrate_trimagnesium_nonahydrate",
        "citrate_hydrogen",
    ]
    assert reading["notes"][0].startswith("Het etiket zegt niet of 400 mg het magnesium is")
    assert reading["convention"]["sources"]
    assert body["elemental_mg"] == 400
    assert body["servings"] == 1
    # the diary keeps the higher figure and says how it was found
    (stored,) = local.get("/api/v1/me/export").json()["supplements"]
    assert stored["elemental_mg"] == 400
    assert stored["how"]["code"] == "label.how"


def test_api_two_tablets_counts_the_higher_reading_and_the_labels_servings(
    local: TestClient,
) -> None:
    logged = local.post(
        "/api/v1/me/supplements",
        json={"label": "2 tablets magnesium 250 mg; 4 tablets a day"},
    )
    assert logged.status_code == 201, logged.text
    body = logged.json()
    assert body["label_reading"]["units_per_serving"] == 2
    assert body["label_reading"]["elemental_if_other_units_mg"] == 500
    assert body["elemental_mg"] == 500  # per serving of two tablets, the higher reading
    assert body["servings"] == 2  # four tablets a day, two a serving
    # a number the user gives wins, and the reading says so
    given = local.post(
        "/api/v1/me/supplements",
        params={"lang": "en"},
        json={"label": "2 tablets magnesium 250 mg; 4 tablets a day", "servings_per_day": 1},
    )
    assert given.json()["servings"] == 1
    assert given.json()["label_reading"]["notes"][-1] == (
        "Servings a day: you gave 1, the label says 2; your number is used."
    )


def test_api_refuses_a_label_without_an_amount_and_stores_nothing(local: TestClient) -> None:
    refused = local.post(
        "/api/v1/me/supplements",
        json={"label": "magnesiumbisglycinaat"},
        headers={"accept-language": "nl"},
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["code"] == "label.form_no_amount"
    assert (
        "bijvoorbeeld ‘magnesium (als bisglycinaat) 100 mg; 1 capsule per dag’"
        in (problem["detail"])
    )
    assert local.get("/api/v1/me/export").json()["supplements"] == []


# --- API: the stateless check ----------------------------------------------------------------


def _api_check(local_client: TestClient, label: str, lang: str = "en") -> dict[str, Any]:
    response = local_client.post(
        "/api/v1/supplements/check",
        json={
            "profile": ADULT,
            "supplements": [{"label": label}],
            "reference": "efsa",
            "lang": lang,
        },
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.fixture
def web(tmp_path: Path) -> Iterator[TestClient]:
    from rugwijzer.settings import Settings
    from tests.factories import app_client

    with app_client(Settings(data_dir=tmp_path)) as client:
        client.post("/welcome", data={"birth_year": str(YEAR - 45), "sex": "female"})
        yield client


def test_api_check_counts_the_elemental_reading_of_a_compound_name(web: TestClient) -> None:
    # 300 mg as magnesium is over the 250 mg limit; as magnesium citrate it is 34-48 mg.
    view = _api_check(web, "Magnesiumcitraat 300 mg")
    assert view["total_elemental_mg"] == 300
    assert view["over_limit_mg"] == 50
    (supplement,) = view["supplements"]
    reading = supplement["label_reading"]
    assert reading["elemental_if_compound_mg"][1] < 250
    assert reading["counted_mg"] == 300
    assert reading["notes"][-1] == (
        "The upper-limit check counts the higher figure: 300 mg elemental magnesium per serving."
    )


def test_api_check_keeps_the_old_format_as_it_was(web: TestClient) -> None:
    view = _api_check(web, "magnesium (as citrate) 200 mg")
    (supplement,) = view["supplements"]
    assert supplement["how"] == "label: 200 mg elemental magnesium per serving (as citrate)"
    assert supplement["label_reading"]["amount_basis"] == "elemental"
    assert supplement["label_reading"]["ambiguous"] is False


# --- pages -------------------------------------------------------------------------------------


def test_the_supplement_page_shows_how_a_dutch_label_was_read(web: TestClient) -> None:
    page = web.post("/supplements", data={"label": "2 tabletten magnesium 250 mg"}).text
    assert text(page, "#label-reading-taken") == (
        "250 mg elementair magnesium per 2 (tabletten of capsules)"
    )
    assert text(page, "#label-reading-other-units") == "500 mg"
    assert text(page, "#label-reading-counted") == "500 mg"
    assert text(page, "#supplement-total").startswith(
        "Elementair magnesium uit supplementen: 500 mg per dag"
    )
    notes = texts(page, "#label-reading .notes p")
    assert any(note.startswith("‘2 tabletten … 250 mg’ kan 250 mg") for note in notes)


def test_the_supplement_page_shows_both_figures_in_english(web: TestClient) -> None:
    web.get("/lang/en")
    page = web.post("/supplements", data={"label": "magnesium glycerophosphate 250 mg"}).text
    assert text(page, "#label-reading-taken") == "250 mg elemental magnesium"
    assert text(page, "#label-reading-compound") == "31.3 mg"
    assert text(page, "#label-reading-counted") == "250 mg"


def test_today_logs_a_label_and_says_how_it_was_counted(local: TestClient) -> None:
    local.post("/welcome", data={"birth_year": str(YEAR - 45), "sex": "female"})
    logged = local.post(
        "/today/supplement", data={"label": "magnesium glycerofosfaat 250 mg; 2 x per dag 1 tablet"}
    )
    assert logged.status_code == 200, logged.text  # followed to Today
    how = texts(logged.text, "small.how")
    assert len(how) == 1
    assert how[0].startswith("etiket: 250 mg elementair magnesium per portie geteld; Het etiket")
    assert "31,3 mg magnesium" in how[0]
    (stored,) = local.get("/api/v1/me/export").json()["supplements"]
    assert stored["servings"] == 2  # from the label: the servings field was left empty


# --- CLI ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("cli_environment")
def test_cli_check_shows_the_reading_and_both_figures(tmp_path: Path) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({**ADULT, "language": "en"}))
    supplements = tmp_path / "supplements.json"
    supplements.write_text(json.dumps([{"label": "400 mg magnesium citrate"}]))
    args = ["supplement", "check", "--profile", str(profile), "--supplements", str(supplements)]
    result = runner.invoke(cli_app, args)
    assert result.exit_code == 0, result.output
    flat = _flat(result.stdout)
    assert "Label read as 400 mg elemental magnesium per serving; counted: 400 mg" in flat
    assert "If the amount is the compound: 45.3-64.7 mg" in flat
    as_json = json.loads(runner.invoke(cli_app, [*args, "--json"]).stdout)
    assert as_json["supplements"][0]["label_reading"]["elemental_if_compound_mg"] == CITRATE_400


@pytest.mark.usefixtures("cli_environment")
def test_cli_check_refuses_an_unreadable_label_with_exit_2(tmp_path: Path) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({**ADULT, "language": "nl"}))
    supplements = tmp_path / "supplements.json"
    supplements.write_text(json.dumps([{"label": "1 capsule per dag"}]))
    result = runner.invoke(
        cli_app,
        ["supplement", "check", "--profile", str(profile), "--supplements", str(supplements)],
    )
    assert result.exit_code == 2
    assert "‘1 capsule per dag’ noemt geen hoeveelheid magnesium" in _flat(result.output)


@pytest.fixture
def cli_diary(
    migrated_engine: object, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("RUGWIJZER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RUGWIJZER_DATABASE_URL", database_url)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    reset()
    yield
    reset()


def test_cli_log_shows_how_an_ambiguous_label_was_read(cli_diary: None) -> None:
    result = runner.invoke(
        cli_app, ["log", "supplement", "--label", "2 tablets magnesium 250 mg; 2 tablets daily"]
    )
    assert result.exit_code == 0, result.output
    flat = _flat(result.stdout)
    assert flat.startswith("Logged 2 tablets magnesium 250 mg; 2 tablets daily: 500 mg elemental")
    assert "If the amount is for 1 (tablets or capsules): 500 mg" in flat
    as_json = runner.invoke(
        cli_app,
        ["log", "supplement", "--label", "magnesium 100 mg", "--servings", "3", "--json"],
    )
    assert json.loads(as_json.stdout)["servings"] == 3

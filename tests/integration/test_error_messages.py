"""Errors from below the shells reach the reader in their language: the pages write them in the
page's language (HTML-escaped), the API adds the code and its parameters to problem+json."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rugwijzer.settings import Settings
from tests.factories import app_client
from tests.html_text import text, texts

ERROR = 'p.error[role="alert"]'


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with app_client(Settings(data_dir=tmp_path)) as test_client:
        test_client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
        yield test_client


def _in_english(client: TestClient) -> None:
    client.get("/lang/en")


def test_an_unreadable_label_is_explained_in_dutch_with_an_example_that_works(
    client: TestClient,
) -> None:
    refused = client.post("/today/supplement", data={"label": "vitamine C 100 mg"})
    assert refused.status_code == 422
    said = text(refused.text, ERROR)
    assert said == (
        "De etiketregel ‘vitamine C 100 mg’ is niet te lezen; schrijf hem zoals op het etiket, "
        "bijvoorbeeld ‘magnesium (als citraat) 200 mg’."
    )
    # the example in the message is one the parser reads
    example = said.rsplit("‘", 1)[1].rstrip("’.")
    assert client.post("/today/supplement", data={"label": example}).status_code == 200
    _in_english(client)
    english = client.post("/supplements", data={"label": "vitamin C 100 mg"})
    assert english.status_code == 422
    assert text(english.text, ERROR).startswith("Cannot read the label line ‘vitamin C 100 mg’")


def test_an_implausible_dose_is_refused_in_dutch_with_a_decimal_comma_free_total(
    client: TestClient,
) -> None:
    refused = client.post(
        "/today/supplement", data={"label": "magnesium (als citraat) 2500 mg", "servings": "2,5"}
    )
    assert refused.status_code == 422
    assert text(refused.text, ERROR) == (
        "6.250 mg elementair magnesium per dag is geen geloofwaardige dosis (meer dan 5.000 mg); "
        "kijk de hoeveelheden nog eens na (supplement 1)."
    )
    assert client.get("/api/v1/me/export").json()["supplements"] == []


def test_a_dose_over_the_upper_limit_is_a_dutch_warning(client: TestClient) -> None:
    # A label gives elemental magnesium: 400 mg is 150 mg over the 250 mg for supplements.
    checked = client.post("/supplements", data={"label": "magnesium (als oxide) 400 mg"})
    assert checked.status_code == 200
    warnings = texts(checked.text, "section.result ul li")
    assert warnings[0].startswith("Je supplementen geven 400 mg magnesium per dag, 150 mg boven")
    logged = client.post(
        "/today/supplement", data={"label": "magnesium (als oxide) 400 mg"}, follow_redirects=True
    )
    assert logged.status_code == 200
    assert text(logged.text, 'p.warning[role="alert"]').startswith(
        "Dit is meer dan de bovengrens voor supplementen"
    )


def test_form_errors_are_codes_written_in_the_page_language(client: TestClient) -> None:
    refused = client.post("/today/supplement", data={"label": "x", "servings": "twee"})
    assert text(refused.text, ERROR) == "Het aantal porties moet een getal zijn."
    empty = client.post("/today/checkin", data={})
    assert text(empty.text, ERROR) == "Een check-in heeft minstens één antwoord nodig."
    _in_english(client)
    refused = client.post("/today/supplement", data={"label": "x", "servings": "two"})
    assert text(refused.text, ERROR) == "The servings must be a number."
    deleted = client.post("/settings/delete", data={})
    assert text(deleted.text, ERROR) == "Tick the box to confirm."


def test_what_the_user_typed_is_escaped_in_the_message(client: TestClient) -> None:
    refused = client.post("/today/supplement", data={"label": "<b>magnesium</b>"})
    assert refused.status_code == 422
    assert "&lt;b&gt;magnesium&lt;/b&gt;" in refused.text
    assert "<b>magnesium</b>" not in refused.text


def test_an_error_page_shows_the_error_in_the_page_language(client: TestClient) -> None:
    html = {"accept": "text/html"}
    # Local mode has no accounts: the login page is "not found", and the page says why.
    dutch = client.get("/login", headers=html)
    assert dutch.status_code == 404
    assert text(dutch.text, ERROR) == (
        "Accounts bestaan alleen als Rugwijzer als server draait (server mode)."
    )
    _in_english(client)
    english = client.get("/login", headers=html)
    assert text(english.text, ERROR) == "Accounts exist only in server mode."
    # Starlette's own 404 (no such route) has no message of its own: the page explains it.
    missing = client.get("/no-such-page", headers=html)
    assert missing.status_code == 404
    assert 'role="alert"' not in missing.text


def test_problems_carry_code_and_params_and_speak_dutch_on_request(client: TestClient) -> None:
    body = {"profile": {"age": 45, "sex": "male"}, "supplements": [{"label": "vitamin C"}]}
    english = client.post("/api/v1/supplements/check", json=body)
    assert english.status_code == 422
    problem = english.json()
    assert problem["code"] == "supplement.label_unreadable"
    assert problem["params"] == {"text": "vitamin C"}
    assert problem["detail"].startswith("Cannot read the label line ‘vitamin C’")
    dutch = client.post(
        "/api/v1/supplements/check", json=body, headers={"accept-language": "nl-NL,nl;q=0.9"}
    ).json()
    assert dutch["code"] == problem["code"]
    assert dutch["detail"].startswith("De etiketregel ‘vitamin C’ is niet te lezen")
    prefers_english = client.post(
        "/api/v1/supplements/check", json=body, headers={"accept-language": "en;q=1, nl;q=0.5"}
    ).json()
    assert prefers_english["detail"] == problem["detail"]

    too_much = client.post(
        "/api/v1/me/supplements", json={"elemental_mg": 2000, "servings_per_day": 3}
    ).json()
    assert too_much["code"] == "supplement.entry_dose_implausible"
    assert too_much["params"] == {"number": 1, "total": 6000, "maximum": 5000}

    missing = client.get("/api/v1/foods/sr24:99999", headers={"accept-language": "nl"}).json()
    assert (missing["code"], missing["params"]) == ("food.not_found", {"food_id": "sr24:99999"})
    assert missing["detail"] == "Voedingsmiddel ‘sr24:99999’ niet gevonden."

    invalid = client.post("/api/v1/targets", json={"age": "old"}).json()
    assert (invalid["code"], invalid["params"]) == ("form.invalid_fields", {})
    assert invalid["errors"]


def test_unknown_forms_name_the_known_ones_as_english_text(client: TestClient) -> None:
    body = {"form": "unobtainium", "compound_mg": 100}
    problem = client.post("/api/v1/supplements/elemental", json=body).json()
    assert problem["code"] == "supplement.form_unknown"
    assert problem["params"]["form"] == "unobtainium"
    assert problem["params"]["known"]["lang"] == "en"
    assert "citrate" in problem["params"]["known"]["foreign"]
    _in_english(client)
    page = client.post("/supplements", data={"form": "unobtainium", "compound_mg": "100"})
    client.get("/lang/nl")
    dutch = client.post("/supplements", data={"form": "unobtainium", "compound_mg": "100"})
    assert "Onbekende magnesiumvorm ‘unobtainium’" in text(dutch.text, ERROR)
    assert '<span lang="en">' in dutch.text.split('role="alert"', 1)[1].split("</p>", 1)[0]
    assert '<span lang="en">' not in page.text.split('role="alert"', 1)[1].split("</p>", 1)[0]

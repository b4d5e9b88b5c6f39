"""The server-rendered pages without a browser: first run, triage, today, language, settings."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from scripts.update_catalogues import extracted_messages

from rugwijzer.content import render as render_statement
from rugwijzer.settings import Settings
from rugwijzer.store.engine import make_engine
from rugwijzer.web.i18n import catalogue_messages, format_day
from rugwijzer.web.rendering import TEMPLATES
from tests.factories import app_client
from tests.html_text import attribute, cited_text, text, texts
from tests.integration.user_rows import ONE_OF_EACH, owned_by

MAGNESIUM_TODAY = 'section[aria-labelledby="mg-title"] p'
SUPPLEMENTS_TODAY = 'section[aria-labelledby="supplement-title"]'
AI = "(adequate inname, AI)"  # the kind of target, written out in Dutch
# Magnesium per 100 g in USDA SR24, the bundled food data (by NDB number).
MG_PER_100G = {
    "18075 whole-wheat bread": 82,
    "16098 peanut butter, smooth, salted": 154,
    "12061 almonds": 268,
    "19120 milk chocolate": 63,
    "19904 dark chocolate 70-85%": 228,
}
# A slice of Dutch bread is 35 g (household_measures_nl.toml), with the Dutch portion of peanut
# butter on each slice, 15 g (data/portions_nl.toml).
BREAD_WITH_PEANUT_BUTTER_MG = round(
    2 * 35 * MG_PER_100G["18075 whole-wheat bread"] / 100
    + 2 * 15 * MG_PER_100G["16098 peanut butter, smooth, salted"] / 100
)  # 57.4 + 46.2 = 103.6


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with app_client(Settings(data_dir=tmp_path)) as test_client:
        yield test_client


def test_first_visit_explains_rugwijzer_before_any_form(client: TestClient) -> None:
    first = client.get("/", follow_redirects=False)
    assert first.status_code == 200
    main = first.text.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    assert "<form" not in main
    assert "<input" not in main
    lead = text(first.text, "p#what")
    assert "magnesium" in lead
    assert "rugpijn" in lead
    assert text(first.text, "main h1").startswith("Rugwijzer")
    # what it is not, and where the data stays
    assert "geen diagnose" in main
    assert "op deze computer" in main
    assert attribute(first.text, "a#start", "href") == "/welcome"
    english = client.get("/lang/en?next=/").text
    assert "magnesium" in text(english, "p#what")
    assert "not make a diagnosis" in english


def test_first_run_then_today(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).status_code == 200  # the home page
    saved = client.post(
        "/welcome", data={"birth_year": "1975", "sex": "female"}, follow_redirects=False
    )
    assert saved.headers["location"] == "/triage"
    assert client.get("/", follow_redirects=False).headers["location"] == "/today"
    today = client.get("/today")
    assert "Vandaag" in today.text
    # Gezondheidsraad 2018 (adopting EFSA 2015): 300 mg a day for adult women, an AI
    assert text(today.text, MAGNESIUM_TODAY) == f"0 mg van 300 mg {AI}"
    assert '<abbr title="adequate inname">AI</abbr>' in today.text
    assert float(attribute(today.text, 'section[aria-labelledby="mg-title"] meter', "max")) == 300


def test_log_a_dutch_meal_and_see_the_total_change(client: TestClient) -> None:
    client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
    before = client.get("/today").text
    assert text(before, MAGNESIUM_TODAY) == f"0 mg van 300 mg {AI}"
    added = client.post(
        "/today/meal",
        data={"text": "2 sneetjes volkorenbrood met pindakaas"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    after = client.get("/today").text
    assert text(after, MAGNESIUM_TODAY) == f"{BREAD_WITH_PEANUT_BUTTER_MG} mg van 300 mg {AI}"
    assert "volkorenbrood" in after
    assert "pindakaas" in after
    failed = client.post("/today/meal", data={"text": "qwerty"})
    assert failed.status_code == 422
    assert 'role="alert"' in failed.text


def test_check_in(client: TestClient) -> None:
    saved = client.post(
        "/today/checkin",
        data={
            "pain": "6",
            "stress": "7",
            "sleep_quality": "4",
            "stiffness": "8",
            "cramps": "yes",
            "aid_worn": "lendenkussen",
            "aid_category": "lumbar_cushion",
            "minutes_active": "30",
            "note": "lang gezeten",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    stored = client.get("/api/v1/me/export").json()["checkins"][0]
    assert stored | {"day": None} == {
        "day": None,
        "pain": 6,
        "pain_locations": [],
        "stress": 7,
        "sleep_quality": 4,
        "stiffness": 8,
        "cramps": True,
        "minutes_active": 30,
        "aid_worn": "lendenkussen",
        "aid_category": "lumbar_cushion",
        "note": "lang gezeten",
    }
    page = client.get("/today").text
    assert re.search(r'<input id="stiffness" [^>]*value="8">', page)
    assert 'name="cramps" value="yes" checked' in page
    assert ">lang gezeten</textarea>" in page
    assert '<option value="lumbar_cushion" selected>' in page
    # An empty field is "not recorded", never 0; "no cramps" is recorded as such.
    client.post("/today/checkin", data={"pain": "3", "cramps": "no"})
    stored = client.get("/api/v1/me/export").json()["checkins"][0]
    assert (stored["pain"], stored["stress"], stored["cramps"]) == (3, None, False)
    for bad, message in (
        ({"pain": "11"}, "Pijn: geef een heel getal van 0 tot 10."),
        ({"stiffness": "veel"}, "Stijfheid: geef een heel getal van 0 tot 10."),
        ({"minutes_active": "2000"}, "van 0 tot 1.440."),
    ):
        refused = client.post("/today/checkin", data=bad)
        assert refused.status_code == 422
        assert message in refused.text
    assert client.get("/api/v1/me/export").json()["checkins"][0]["pain"] == 3


def test_a_red_flag_stays_on_top_of_every_page(client: TestClient) -> None:
    answers = {"age": "50", "saddle_numbness": "yes", "fever": "no"}
    result = client.post("/triage", data=answers)
    assert result.status_code == 200
    assert attribute(result.text, "section.result", "class") == "result emergency"
    assert (
        text(result.text, "section.result p") == render_statement("triage.emergency", "nl")["text"]
    )
    for path in ("/today", "/foods", "/settings"):
        page = client.get(path).text
        assert 'class="red-flag"' in page
        assert page.index('class="red-flag"') < page.index("<main")
    acknowledged = client.post("/red-flag/acknowledge", follow_redirects=False)
    assert acknowledged.headers["location"] == "/today"
    assert 'class="red-flag"' not in client.get("/today").text
    client.post("/triage", data={"age": "40", "fever": "yes"})
    assert 'class="red-flag"' in client.get("/today").text  # a new flag shows again
    client.post("/triage", data={"age": "40"})
    assert 'class="red-flag"' not in client.get("/today").text


def test_language_switch(client: TestClient) -> None:
    switched = client.get("/lang/en", params={"next": "/today"}, follow_redirects=False)
    assert switched.headers["location"] == "/today"
    assert "Today" in client.get("/today").text
    assert (
        client.get("/lang/en", params={"next": "//evil.example"}, follow_redirects=False).headers[
            "location"
        ]
        == "/"
    )


def test_export_and_delete_everything(client: TestClient, tmp_path: Path) -> None:
    client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
    client.post("/today/meal", data={"text": "een banaan"})
    client.post("/today/supplement", data={"label": "magnesium (as citrate) 100 mg"})
    client.post("/today/checkin", data={"pain": "4"})
    client.post("/trends/change", data={"description": "nieuwe stoel"})
    client.post("/triage", data={"age": "40"})
    assert len(client.get("/api/v1/me/export").json()["meals"]) == 1
    user = client.app.state.local_user_id  # type: ignore[attr-defined]
    meal_ids = [m["id"] for m in client.get("/api/v1/me/entries/meal").json()["items"]]
    engine = make_engine(Settings(data_dir=tmp_path).effective_database_url)
    try:
        filled = owned_by(engine, user)
        assert {table: len(rows) for table, rows in filled.items() if rows} == ONE_OF_EACH
        assert client.post("/settings/delete", data={}).status_code == 422
        assert owned_by(engine, user) == filled  # not confirmed: nothing deleted
        done = client.post("/settings/delete", data={"confirm": "on"}, follow_redirects=False)
        assert done.headers["location"] == "/welcome"
        # Local mode starts a new, empty diary at once; the old user's rows are all gone (read
        # in the database by its id and its meals' ids, not through the new user's export).
        new_user = client.app.state.local_user_id  # type: ignore[attr-defined]
        left = owned_by(engine, user, meal_ids=meal_ids)
        user_rows = left.pop("users")
        assert {table: rows for table, rows in left.items() if rows} == {}
        # The local user's id is fixed: the one row under it is the new diary's user.
        assert new_user == user
        assert [json.loads(row)["id"] for row in user_rows] == [user]
    finally:
        engine.dispose()
    assert client.get("/api/v1/me/export").json()["meals"] == []


def test_every_page_text_is_in_both_catalogues() -> None:
    messages = extracted_messages()
    assert len(messages) > 40
    for lang in ("nl", "en"):
        catalogue = catalogue_messages(lang)
        missing = [m for m in messages if not catalogue.get(m)]
        assert missing == [], (lang, missing)


def test_trends_chart_from_real_diary_data(client: TestClient) -> None:
    client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
    client.post("/today/meal", data={"text": "30 gram amandelen"})
    client.post("/today/checkin", data={"pain": "6", "stress": "7"})
    client.post("/api/v1/me/changes", json={"description": "magnesium citraat"})
    page = client.get("/trends", params={"days": 7})
    assert page.status_code == 200
    # magnesium, pain and stress, and the change's before and after (did it help?)
    assert page.text.count("<svg") == 3
    assert page.text.count('class="chart effect-chart"') == 1
    today_label = format_day(date.today(), "nl", "d MMM")  # e.g. "29 nov"
    # 30 g almonds × 268 mg/100 g (USDA SR24 12061) = 80.4 mg
    assert f"<title>{today_label}: Magnesium 80</title>" in page.text
    assert f"<title>{today_label}: Pijn 6</title>" in page.text
    long_day = format_day(date.today(), "nl")
    assert f'<time datetime="{date.today().isoformat()}">{long_day}</time>: magnesium' in page.text
    assert 'class="mark"><title>magnesium citraat</title>' in page.text
    assert "<caption>" in page.text
    assert '<th scope="row">' in page.text
    assert client.get("/trends", params={"days": 12345}).status_code == 200  # falls back to 30


def test_supplement_advisor_uses_the_profile(client: TestClient) -> None:
    assert "profiel" in client.get("/supplements").text
    client.post(
        "/welcome", data={"birth_year": "1975", "sex": "female", "medicines": "doxycycline"}
    )
    page = client.post(
        "/supplements", data={"label": "magnesium (as citrate) 200 mg", "servings": "2"}
    )
    assert page.status_code == 200
    # 2 × 200 mg elemental; the Dutch upper limit for supplements is the EU one, 250 mg (SCF 2001)
    total, advice = texts(page.text, 'section[aria-labelledby="check-title"] p')[:2]
    assert total == "Elementair magnesium uit supplementen: 400 mg per dag; bovengrens: 250 mg"
    assert " ".join(advice.split()) == cited_text("info.max_supplement", "nl", limit=250.0)[0]
    assert texts(page.text, "li strong") == ["doxycycline"]
    bad = client.post("/supplements", data={"form": "kryptonite", "compound_mg": "100"})
    assert bad.status_code == 422
    client.post("/welcome", data={"birth_year": "1990", "sex": "female", "pregnant": "on"})
    pregnant = client.post("/supplements", data={"label": "magnesium (as citrate) 100 mg"})
    assert 'data-statement="stop.pregnancy"' in pregnant.text  # see test_hard_stops.py


def test_breathing_page(client: TestClient) -> None:
    page = client.get("/stress", params={"pace": 6})
    # 6 breaths a minute: a breath of 10 s, set by a class in site.css (no inline style)
    assert 'class="card breathing pace-6"' in page.text
    assert ".pace-6 { --breath: 10s; }" in client.get("/static/site.css").text
    assert 'id="pause"' in page.text
    assert "niveau D" in page.text
    assert "niveau C" in page.text
    assert "<script" not in page.text


def test_context_nutrients_and_import(client: TestClient, tmp_path: Path) -> None:
    client.post(
        "/welcome",
        data={"birth_year": "1975", "sex": "female", "diet_exclusions": "gluten\nnoten"},
    )
    assert client.get("/api/v1/me/profile").json()["diet_exclusions"] == ["gluten", "noten"]
    client.post("/today/meal", data={"text": "een glas halfvolle melk"})
    today = client.get("/today").text
    assert "Kalium" in today
    assert "Vitamine D" in today
    calcium_today, calcium_target = texts(today, "table.context td")[:2]
    # a glass (150 ml, 150 g) of 1% milk × 125 mg calcium/100 g (USDA SR24 01175) = 187.5 mg
    assert calcium_today == "188 mg"
    # Gezondheidsraad 2018: 1,100 mg for women of 51 to 70, in the Dutch number format
    assert calcium_target == "1.100 mg"
    exported = client.get("/api/v1/me/export").content
    client.post("/settings/delete", data={"confirm": "on"})
    restored = client.post(
        "/settings/import",
        files={"file": ("export.json", exported, "application/json")},
        follow_redirects=False,
    )
    assert restored.status_code == 303
    assert len(client.get("/api/v1/me/export").json()["meals"]) == 1
    bad = client.post("/settings/import", files={"file": ("x.json", b"{oops", "application/json")})
    assert bad.status_code == 422


def test_log_a_supplement_on_today_with_its_elemental_amount(client: TestClient) -> None:
    client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
    added = client.post(
        "/today/supplement",
        data={"label": "magnesium (als citraat) 150 mg", "servings": "2"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = client.get("/today").text
    assert "2 × 150 mg = <strong>300 mg</strong> elementair magnesium" in page
    assert "Magnesium uit supplementen: <strong>300 mg</strong>" in page
    assert 'bovengrens voor supplementen: <span id="supplement-limit">250 mg</span>' in page
    assert "Dit is meer dan de bovengrens" in page
    assert "<strong>0 mg</strong> van" in page  # food total stays food only
    for bad in ({"label": "qwerty"}, {"label": "magnesium 100 mg", "servings": "twee"}):
        refused = client.post("/today/supplement", data=bad)
        assert refused.status_code == 422
        assert 'role="alert"' in refused.text
    assert client.get("/today").text.count(" × ") == 1
    client.post(
        "/today/supplement", data={"label": "magnesium (as glycinate) 100 mg", "servings": "0,5"}
    )
    assert "0,5 × 100 mg = <strong>50 mg</strong>" in client.get("/today").text


def test_correct_the_grams_of_an_item_on_today(client: TestClient) -> None:
    client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
    client.post("/today/meal", data={"text": "2 sneetjes volkorenbrood met pindakaas"})
    page = client.get("/today").text
    assert 'aria-label="Gram volkorenbrood' in page
    assert text(page, MAGNESIUM_TODAY) == f"{BREAD_WITH_PEANUT_BUTTER_MG} mg van 300 mg {AI}"
    corrected = client.post("/today/meal/1/item/0", data={"grams": "140"}, follow_redirects=False)
    assert corrected.status_code == 303
    corrected_mg = round(
        140 * MG_PER_100G["18075 whole-wheat bread"] / 100
        + 2 * 15 * MG_PER_100G["16098 peanut butter, smooth, salted"] / 100
    )  # 114.8 + 46.2
    assert text(client.get("/today").text, MAGNESIUM_TODAY) == f"{corrected_mg} mg van 300 mg {AI}"
    for bad in ("0", "veel", "20000"):
        refused = client.post("/today/meal/1/item/0", data={"grams": bad})
        assert refused.status_code == 422
        assert 'role="alert"' in refused.text
    assert client.post("/today/meal/1/item/9", data={"grams": "10"}).status_code == 404
    assert text(client.get("/today").text, MAGNESIUM_TODAY) == f"{corrected_mg} mg van 300 mg {AI}"


def test_choose_an_alternative_food_on_today(client: TestClient) -> None:
    client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
    client.post("/today/meal", data={"text": "50 g chocolade"})
    page = client.get("/today").text
    assert 'action="/today/meal/1/item/0/food"' in page
    assert 'aria-label="Voedingsmiddel voor “50 g chocolade”"' in page
    assert '<option value="sr24:19904">extra pure chocolade, 70-85% cacao</option>' in page
    # milk chocolate, as first understood: 50 g × 63 mg/100 g = 31.5 mg
    assert text(page, MAGNESIUM_TODAY) == f"32 mg van 300 mg {AI}"
    chosen = client.post(
        "/today/meal/1/item/0/food", data={"food_id": "sr24:19904"}, follow_redirects=False
    )
    assert chosen.status_code == 303
    page = client.get("/today").text
    dark_mg = round(50 * MG_PER_100G["19904 dark chocolate 70-85%"] / 100)
    assert text(page, MAGNESIUM_TODAY) == f"{dark_mg} mg van 300 mg {AI}"
    assert '<option value="sr24:19120">melkchocolade</option>' in page  # the way back
    refused = client.post("/today/meal/1/item/0/food", data={"food_id": "sr24:nope"})
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text
    assert (
        client.post("/today/meal/1/item/5/food", data={"food_id": "sr24:19120"}).status_code == 404
    )
    assert text(client.get("/today").text, MAGNESIUM_TODAY) == f"{dark_mg} mg van 300 mg {AI}"


def test_items_without_alternatives_offer_no_choice(client: TestClient) -> None:
    client.post("/today/meal", data={"text": "30 g amandelen"})
    assert "/item/0/food" not in client.get("/today").text


def test_record_and_end_a_change_on_trends(client: TestClient) -> None:
    client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
    today = date.today()
    week_ago = (today - timedelta(days=6)).isoformat()
    recorded = client.post(
        "/trends/change",
        data={"description": "magnesiumcitraat 200 mg", "started_on": week_ago, "days": "7"},
        follow_redirects=False,
    )
    assert recorded.status_code == 303
    assert recorded.headers["location"] == "/trends?days=7"
    page = client.get("/trends", params={"days": 7}).text
    assert 'class="mark"><title>magnesiumcitraat 200 mg</title>' in page  # on the time axis
    change = client.get("/api/v1/me/export").json()["changes"][0]
    assert change == {
        "description": "magnesiumcitraat 200 mg",
        "started_on": week_ago,
        "ended_on": None,
        "aid_category": None,
    }
    change_id = client.get("/api/v1/me/entries/change").json()["items"][0]["id"]
    ended = client.post(
        f"/trends/change/{change_id}/end", data={"days": "7"}, follow_redirects=False
    )
    assert ended.status_code == 303
    assert client.get("/api/v1/me/export").json()["changes"][0]["ended_on"] == today.isoformat()
    assert f"/trends/change/{change_id}/end" not in client.get("/trends").text

    for data, message in (
        ({"description": "  "}, "Beschrijf wat je hebt veranderd."),
        ({"description": "x", "started_on": "gisteren"}, "Geef de begindatum als datum."),
        (
            {"description": "x", "started_on": (today + timedelta(days=1)).isoformat()},
            "De begindatum kan niet in de toekomst liggen.",
        ),
    ):
        refused = client.post("/trends/change", data=data)
        assert refused.status_code == 422
        assert message in refused.text
    assert len(client.get("/api/v1/me/export").json()["changes"]) == 1
    assert client.post("/trends/change/999/end").status_code == 404


def test_language_and_reference_values_in_settings(client: TestClient) -> None:
    page = client.get("/settings").text
    assert "Vul je profiel in om referentiewaarden te kiezen." in page
    client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
    assert 'value="nl" selected' in client.get("/settings").text  # Dutch default
    saved = client.post(
        "/settings/preferences",
        data={"language": "en", "reference": "nih"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert "rugwijzer_lang=en" in saved.headers["set-cookie"]
    page = client.get("/settings").text
    assert '<html lang="en">' in page
    assert "Your choices have been saved." not in page  # only right after saving
    assert "Your choices have been saved." in client.get(saved.headers["location"]).text
    assert 'value="nih" selected' in page
    assert client.get("/api/v1/me/profile").json()["reference"] == "nih"
    # NIH (IOM 1997): 320 mg for women of 31 and over, an RDA; NL and EFSA: 300 mg (AI)
    assert (
        text(client.get("/today").text, MAGNESIUM_TODAY)
        == "0 mg of 320 mg (recommended dietary allowance, RDA)"
    )
    # Unknown values change nothing.
    client.post("/settings/preferences", data={"language": "fr", "reference": "usda"})
    assert client.get("/api/v1/me/profile").json()["reference"] == "nih"
    assert '<html lang="en">' in client.get("/settings").text


def test_first_run_asks_the_language_and_explains_mistakes(client: TestClient) -> None:
    page = client.get("/welcome").text
    assert 'name="language" value="nl" checked' in page
    assert '<option value="nl" selected>' in page  # Dutch reference values for Dutch users
    for data, message in (
        ({"sex": "female"}, "Geef je geboortejaar, bijvoorbeeld 1975."),
        ({"birth_year": "negentien", "sex": "female"}, "Geef je geboortejaar"),
        ({"birth_year": "1975"}, "Kies vrouw of man: de streefwaarden verschillen."),
    ):
        refused = client.post("/welcome", data=data)
        assert refused.status_code == 422
        assert message in refused.text
        assert refused.headers["content-type"].startswith("text/html")
    assert client.get("/api/v1/me/profile").json() is None  # nothing half-written
    saved = client.post(
        "/welcome",
        data={"birth_year": "1975", "sex": "male", "language": "en", "reference": "nih"},
        follow_redirects=False,
    )
    assert saved.headers["location"] == "/triage"
    assert "rugwijzer_lang=en" in saved.headers["set-cookie"]
    assert client.get("/api/v1/me/profile").json()["language"] == "en"
    assert '<html lang="en">' in client.get("/triage").text


def test_a_food_the_data_lacks_is_said_and_not_counted(client: TestClient) -> None:
    client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
    unknown = client.post("/today/meal", data={"text": "qwerty"})
    assert "Geen voedingsmiddel herkend in “qwerty”." in unknown.text
    only_missing = client.post("/today/meal", data={"text": "een glas havermelk"})
    assert only_missing.status_code == 422
    assert "“een glas havermelk” staat niet in de voedingsgegevens (USDA SR24)" in only_missing.text
    client.post("/today/meal", data={"text": "havermout 40 g met een glas havermelk"})
    page = client.get("/today").text
    assert "Niet in de voedingsgegevens (USDA SR24), dus niet meegeteld: een glas havermelk" in page
    assert "Niet begrepen:" not in page
    # the oats only (40 g × 138 mg/100 g)
    assert text(page, MAGNESIUM_TODAY) == f"55 mg van 300 mg {AI}"


def test_parts_in_another_language_are_marked(client: TestClient) -> None:
    client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
    # A food without a Dutch name keeps its USDA name, marked English on the Dutch page.
    client.post("/today/meal", data={"text": "30 g almond oil"})
    client.post("/today/meal", data={"text": "30 g amandelen"})
    today = client.get("/today").text
    assert texts(today, 'ul.meals li span[lang="en"]') == ["Oil, almond"]
    assert "<li>amandelen: 30 g" in today  # a Dutch name is not marked
    # The source of the upper limit (English) is marked too.
    client.post("/today/supplement", data={"label": "magnesium (als citraat) 100 mg"})
    limit = texts(client.get("/today").text, f'{SUPPLEMENTS_TODAY} p span[lang="en"]')
    assert limit[0].startswith("EFSA/SCF upper level of 250 mg/day from supplements")
    # The foods page: the USDA name column is English; the Dutch name is the page's.
    foods = client.get("/foods", params={"q": "amandelen"}).text
    assert texts(foods, "tbody tr td")[:2] == ["amandelen", "Nuts, almonds (USDA SR24 12061)"]
    assert texts(foods, 'tbody tr td span[lang="en"]')[0] == "Nuts, almonds"
    # Cited source titles carry their language where it is not the page's.
    checked = client.post("/supplements", data={"label": "magnesium (als citraat) 400 mg"}).text
    titles = texts(checked, '#supplement-advice a[lang="en"]')
    assert titles[0].startswith("Dietary Reference Intakes for Calcium, Phosphorus, Magnesium")
    # Portions are written in the page's language; English parts are no longer marked.
    client.get("/lang/en")
    english = client.post("/supplements", data={"label": "magnesium (as citrate) 400 mg"}).text
    assert 'lang="en"' not in english.split("<body>")[1].replace('hreflang="en"', "")
    assert 'lang="nl"' not in english.split('class="result"')[1]
    assert "Nuts, almonds, a handful: 67 mg" in texts(english, "section.result li")
    assert 'lang="en"' not in client.get("/foods", params={"q": "almonds"}).text.split("<main")[1]


def test_dutch_source_titles_are_marked_on_english_pages() -> None:
    (nhg,) = [s for s in render_statement("triage.none", "en")["sources"] if "NHG" in s["title"]]
    page = TEMPLATES.env.from_string(
        '{% from "_statements.html" import cited with context %}{{ cited(item) }}'
    ).render(item=render_statement("triage.none", "en"), lang="en", _=lambda s: s)
    assert f'<a href="{nhg["url"]}" lang="nl">{nhg["title"]}</a>' in page
    assert 'href="https://www.nice.org.uk/guidance/ng59">' in page  # English: not marked


def test_numbers_and_target_kinds_in_the_page_language(client: TestClient) -> None:
    client.post("/welcome", data={"birth_year": "1975", "sex": "female", "reference": "nih"})
    today = client.get("/today").text
    # NIH: 320 mg for women of 31 and over, an RDA: the Dutch term is "aanbevolen hoeveelheid"
    assert text(today, MAGNESIUM_TODAY) == "0 mg van 320 mg (aanbevolen hoeveelheid, ADH)"
    assert attribute(today, f"{MAGNESIUM_TODAY} abbr", "title") == "aanbevolen hoeveelheid"
    # 60 s / 8 breaths = 7.5 s a breath, with a decimal comma
    assert "Eén ademhaling duurt 7,5 seconden." in client.get("/stress", params={"pace": 8}).text
    client.get("/lang/en")
    assert "One breath takes 7.5 seconds." in client.get("/stress", params={"pace": 8}).text


def test_the_screen_page_uses_the_diary_and_keeps_the_result(client: TestClient) -> None:
    client.post("/welcome", data={"birth_year": "1950", "sex": "female"})
    first = client.get("/screen")
    assert first.status_code == 200
    # no meals yet: the intake is not counted, and the page says why
    assert "niet meegeteld" in text(first.text, 'section[aria-labelledby="diary-title"] ul')
    today = date.today()
    for back in range(3):
        day = (today - timedelta(days=back)).isoformat()
        client.post("/api/v1/me/meals", json={"text": "een banaan", "date": day, "lang": "nl"})
    intake = client.get("/screen").text
    listed = texts(intake, 'section[aria-labelledby="diary-title"] li')
    assert listed[0].startswith("Magnesium uit eten: gemiddeld")
    assert "over de 3 dagen met maaltijden" in listed[0]
    assert listed[1] == "Je streefwaarde: 300 mg per dag."
    assert listed[2].startswith("Leeftijd: ")
    done = client.post("/screen", data={"symptoms": ["cramps", "stiffness"]})
    assert done.status_code == 200
    # a banana a day is far below the target, and at 65+ older age counts: not "low"
    assert text(done.text, "#result-title") in {"Risico: matig", "Risico: verhoogd"}
    assert "stijve spieren" in text(done.text, "section#result")  # names, never keys
    assert "stiffness" not in text(done.text, "section#result")
    kept = client.get("/api/v1/me/export").json()["assessments"]
    assert [entry["kind"] for entry in kept] == ["screen"]
    assert kept[0]["answers"]["symptoms"] == ["cramps", "stiffness"]
    assert kept[0]["answers"]["intake_mg"] > 0
    refused = client.post("/screen", data={"symptoms": "no_such_symptom"})
    assert refused.status_code == 422
    assert text(refused.text, "p.error")
    assert len(client.get("/api/v1/me/export").json()["assessments"]) == 1

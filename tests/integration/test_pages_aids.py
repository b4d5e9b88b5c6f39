"""The aids page (/aids): the form, what the evidence favours most before any aid, per category
the recommendation with its reason, grade and sources, products only after the evidence (never
for a lumbar support), and a warning sign leading with the referral and no products."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rugwijzer.domain.aids import CATEGORIES
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message
from rugwijzer.settings import Settings
from tests.factories import TEST_SECRET, app_client
from tests.html_text import language_runs, other_language, text, texts

ANSWERS = {"pain_weeks": "3", "sitting_hours_per_day": "8", "work": "desk", "goal": "relief"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with app_client(Settings(data_dir=tmp_path)) as test_client:
        yield test_client


def _main(page: str) -> str:
    return page.split('<main id="main">', 1)[1].split("</main>", 1)[0]


def _card(page: str, category: str) -> str:
    start = page.index(f'id="aid-{category}"')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_page_speaks_its_language_with_and_without_answers(
    client: TestClient, lang: str
) -> None:
    client.get(f"/lang/{lang}")
    empty = client.get("/aids")
    assert empty.status_code == 200
    assert f'<html lang="{lang}">' in empty.text
    assert 'id="favoured"' in empty.text  # the evidence's favourites, even before answers
    assert 'id="aid-' not in empty.text
    assert 'href="/articles/ergonomic_aids"' in empty.text
    menu = "Hulpmiddelen" if lang == "nl" else "Aids"
    assert f'<a href="/aids" aria-current="page">{menu}</a>' in empty.text
    page = client.get("/aids", params=ANSWERS)
    assert page.status_code == 200
    found = [
        run
        for run, marked in language_runs(page.text)
        if marked in ("", lang) and other_language(run, lang)
    ]
    assert found == []
    assert [f"aid-{c}" for c in CATEGORIES] == [
        part.split('"')[0] for part in page.text.split('id="')[1:] if part.startswith("aid-")
    ][::2]  # each card's id, then its heading's id
    weeks = "3 weken" if lang == "nl" else "3 weeks"
    assert weeks in _card(page.text, "heat_wrap")
    price = "€\u00a012,50" if lang == "nl" else "€12.50"
    assert price in _card(page.text, "heat_wrap")  # the hot-water bottle, in the locale
    assert ("voorbeeld" if lang == "nl" else "example") in _card(page.text, "heat_wrap")


def test_the_evidence_comes_before_the_aids_and_products_after_their_evidence(
    client: TestClient,
) -> None:
    client.get("/lang/en")
    page = client.get("/aids", params=ANSWERS).text
    main = _main(page)
    assert main.index('id="favoured"') < main.index('id="aids"')
    recommendations = {
        category: text(page, f"section#aid-{category} p.verdict") for category in CATEGORIES
    }
    assert recommendations["heat_wrap"] == "Worth considering"
    assert recommendations["lumbar_support"] == "Not recommended"
    for category in CATEGORIES:
        card = _card(page, category)
        assert card.index('class="because"') < card.index('class="evidence"')
        assert card.index('class="evidence"') < card.index('class="cite"')  # grade, sources
        if 'class="products"' in card:
            assert card.index('class="cite"') < card.index('class="products"')
    assert 'class="products"' not in _card(page, "lumbar_support")
    assert "data-sku" not in _card(page, "lumbar_support")
    assert texts(page, "section#aid-heat_wrap .products li a") == [
        "Example: hot-water bottle with cover",
        "Example: heat wrap for the lower back",
    ]


@pytest.mark.parametrize("goal", ["relief", "prevention"])
def test_a_lumbar_support_never_gets_a_product(client: TestClient, goal: str) -> None:
    for weeks in ("1", "30"):
        page = client.get("/aids", params={**ANSWERS, "goal": goal, "pain_weeks": weeks}).text
        card = _card(page, "lumbar_support")
        assert 'data-recommendation="not_recommended"' in card
        assert "data-sku" not in card


def test_a_stored_red_flag_leads_and_no_product_is_shown(client: TestClient) -> None:
    client.get("/lang/en")
    client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
    client.post("/triage", data={"age": "40", "fever": "yes"})
    page = client.get("/aids", params=ANSWERS).text
    main = _main(page)
    referral = render_message(Message.of(Code.AIDS_BECAUSE_RED_FLAG), "en")
    assert main.index('id="referral"') < main.index("<form")
    assert texts(page, "section#referral p")[0] == referral
    assert "data-sku" not in page
    assert 'data-recommendation="consider"' not in page
    assert main.index('id="favoured"') < main.index('id="aids"')  # the evidence still first
    without_answers = _main(client.get("/aids").text)
    assert without_answers.index('id="referral"') < without_answers.index("<form")
    client.post("/red-flag/acknowledge")  # read: the page may show products again
    again = client.get("/aids", params=ANSWERS).text
    assert 'id="referral"' not in again
    assert "data-sku" in again


def test_wrong_answers_are_said_on_the_page(client: TestClient) -> None:
    client.get("/lang/nl")
    page = client.get("/aids", params={**ANSWERS, "sitting_hours_per_day": "30"})
    assert page.status_code == 422
    assert "sitting_hours_per_day" in text(page.text, "main p.error")
    assert 'value="30"' in page.text  # what was typed stays in the form
    assert 'id="aid-' not in page.text
    comma = client.get("/aids", params={**ANSWERS, "pain_weeks": "2,5"})
    assert comma.status_code == 200
    assert "2,5 weken" in comma.text


def test_the_page_is_public_in_server_mode(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, mode="server", secret_key=TEST_SECRET)
    with app_client(settings, "https://rugwijzer.test") as stranger:
        page = stranger.get("/aids", params=ANSWERS, follow_redirects=False)
        assert page.status_code == 200
        assert 'href="/aids"' in page.text  # in the signed-out menu too
        assert 'id="referral"' not in page.text
        assert "data-sku" not in page.text  # server mode: no sample catalogue

"""Trends answers "did it help?" for each change: the verdict in plain words, the difference with
its interval, caveats and the chart, in Dutch or English, on the outcome chosen."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rugwijzer.settings import Settings
from tests.factories import app_client
from tests.html_text import language_runs, other_language, texts

TODAY = date.today()
FIRST = TODAY - timedelta(days=27)
EFFECTS = 'section[aria-labelledby="effects-title"]'


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with app_client(Settings(data_dir=tmp_path)) as test_client:
        test_client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
        yield test_client


def _diary(client: TestClient) -> None:
    """Four weeks of check-ins, pain about 7 and then about 3 from the change on day 15;
    stress stays at 5."""
    noise = random.Random(11)
    for index in range(28):
        pain = min(10, max(0, round((7 if index < 14 else 3) + noise.gauss(0, 1))))
        day = (FIRST + timedelta(days=index)).isoformat()
        stored = client.put(f"/api/v1/me/checkins/{day}", json={"pain": pain, "stress": 5})
        assert stored.status_code == 200, stored.text
    started = (FIRST + timedelta(days=14)).isoformat()
    client.post("/trends/change", data={"description": "magnesiumcitraat", "started_on": started})


def _unmarked_foreign(page: str, lang: str) -> list[str]:
    return [
        text
        for text, marked in language_runs(page)
        if marked in ("", lang) and other_language(text, lang)
    ]


def test_trends_says_in_dutch_whether_a_change_helped(client: TestClient) -> None:
    _diary(client)
    page = client.get("/trends", params={"days": 30}).text
    shown = " ".join(texts(page, EFFECTS))
    assert "Heeft het geholpen?" in shown
    assert "magnesiumcitraat" in shown
    assert "Beter na de verandering: pijn is " in shown
    assert "Verschil (erna − ervoor): -" in shown
    assert "Ervoor: gemiddeld " in shown
    assert "over 14 ingevulde dagen" in shown
    assert "Kleinste verandering die ertoe doet (MIC): 2 punten" in shown
    assert "Hoe dit is berekend" in shown
    # the chart below the figures, named after the change, its description the verdict
    article = page[page.index('<article class="effect"') :]
    assert article.index("Kleinste verandering die ertoe doet") < article.index("<svg")
    assert "<title>magnesiumcitraat: pijn ervoor en erna</title>" in article
    assert "<desc>Beter na de verandering: pijn is " in article
    assert _unmarked_foreign(page, "nl") == []


def test_trends_says_it_in_english_too(client: TestClient) -> None:
    _diary(client)
    client.get("/lang/en")
    page = client.get("/trends", params={"days": 30}).text
    shown = " ".join(texts(page, EFFECTS))
    assert "Did it help?" in shown
    assert "Better after the change: pain improved by " in shown
    assert "Difference (after − before): -" in shown
    assert "Before: mean " in shown
    assert "<title>magnesiumcitraat: pain before and after</title>" in page
    assert _unmarked_foreign(page, "en") == []


def test_another_outcome_is_chosen_by_a_link(client: TestClient) -> None:
    _diary(client)
    page = client.get("/trends", params={"days": 30, "outcome": "stress"}).text
    shown = " ".join(texts(page, EFFECTS))
    assert "Geen belangrijke verandering: het verschil in stress" in shown
    assert 'href="/trends?days=30&amp;outcome=stress" aria-current="page">Stress' in page
    # the period links keep the outcome
    assert 'href="/trends?days=7&amp;outcome=stress"' in page
    unknown = client.get("/trends", params={"days": 30, "outcome": "mood"})
    assert unknown.status_code == 200
    assert "Beter na de verandering: pijn" in unknown.text  # pain, as without a choice


def test_a_new_change_has_too_little_data_with_its_caveats(client: TestClient) -> None:
    client.post("/today/checkin", data={"pain": "6"})
    client.post("/trends/change", data={"description": "nieuwe stoel"})
    page = client.get("/trends", params={"days": 7}).text
    shown = " ".join(texts(page, EFFECTS))
    # today's check-in is the first day after the change; there is none before it
    assert "Te weinig gegevens voor een oordeel: 0 ingevulde dagen voor de start en 1 erna" in shown
    assert "Kanttekeningen" in shown
    assert "Verschil (erna − ervoor)" not in shown  # no difference without data to compare
    assert _unmarked_foreign(page, "nl") == []


def test_without_changes_trends_says_how_to_start(client: TestClient) -> None:
    shown = " ".join(texts(client.get("/trends").text, EFFECTS))
    assert "Nog geen verandering in deze periode" in shown


def test_at_most_ten_changes_are_judged(client: TestClient) -> None:
    for index in range(12):
        started = (TODAY - timedelta(days=20 - index)).isoformat()
        client.post("/trends/change", data={"description": f"stap {index}", "started_on": started})
    page = client.get("/trends", params={"days": 30}).text
    assert page.count('<article class="effect"') == 10
    assert page.count('class="chart effect-chart"') == 10
    shown = " ".join(texts(page, EFFECTS))
    assert "stap 11" in shown  # the newest first
    assert "stap 1 " not in shown
    assert "2 oudere veranderingen worden hier niet beoordeeld." in shown

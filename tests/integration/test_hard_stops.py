"""Every hard stop on every surface that shows supplement information.

For kidney disease (or an eGFR below 30 where the input carries one), heart-rhythm problems,
pregnancy and a child under 4, each surface shows the stop and "no dose, see your doctor"
(statements stop.* and info.no_dose, with their grade and sources) and never an upper limit beside
them, nor a dose. Without a stop the same surfaces show the upper limit (the negative control).

Web pages are read as HTML elements (by id and data-statement), never as number substrings.
Surfaces with a database run on SQLite and PostgreSQL (the `database_url` fixture).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rugwijzer.cli.main import app as cli_app
from rugwijzer.content import render, statements
from rugwijzer.services.app import reset
from rugwijzer.settings import Settings
from tests.factories import app_client
from tests.html_text import cited_text

YEAR = date.today().year
#: The EU (SCF 2001) upper limit for supplemental magnesium from 4 years, which the Dutch
#: reference uses too (docs/safety.md): what the negative control must show.
EU_UPPER_LIMIT_MG = 250
#: The US (IOM 1997) upper limit for supplemental magnesium from 9 years.
US_UPPER_LIMIT_MG = 350

#: Stored profiles, one per hard stop (the stored profile has no eGFR; see JSON_PROFILES).
STORED_PROFILES: dict[str, dict[str, Any]] = {
    "stop.kidney": {"birth_year": YEAR - 50, "sex": "male", "kidney_disease": True},
    "stop.heart_rhythm": {"birth_year": YEAR - 60, "sex": "male", "heart_rhythm_problems": True},
    "stop.pregnancy": {"birth_year": YEAR - 30, "sex": "female", "pregnant": True},
    "stop.young_child": {"birth_year": YEAR - 3, "sex": "female"},
}
NO_STOP_PROFILE: dict[str, Any] = {"birth_year": YEAR - 50, "sex": "female"}

#: Profiles as the CLI file and the API body take them: the same stops, and eGFR below 30.
JSON_PROFILES: dict[str, tuple[str, dict[str, Any]]] = {
    "kidney": ("stop.kidney", {"age": 50, "sex": "male", "kidney_disease": True}),
    "egfr_29": ("stop.kidney", {"age": 50, "sex": "male", "egfr": 29.9}),
    "heart_rhythm": (
        "stop.heart_rhythm",
        {"age": 60, "sex": "male", "heart_rhythm_problems": True},
    ),
    "pregnancy": ("stop.pregnancy", {"age": 30, "sex": "female", "pregnant": True}),
    "young_child": ("stop.young_child", {"age": 3.9, "sex": "female"}),
}
NO_STOP_JSON = {"age": 50, "sex": "female", "egfr": 30}  # 30 is moderate, not severe

SUPPLEMENT = {"label": "magnesium (as citrate) 100 mg"}
STOP_KEYS = sorted(STORED_PROFILES)


# --- reading pages ----------------------------------------------------------------------------


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text_parts: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self.text_parts).split())


class Elements(HTMLParser):
    """Elements with an id or a data-statement, with their whole text and the links inside."""

    VOID = frozenset({"input", "meta", "link", "br", "img", "hr", "source", "col", "wbr"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, Element] = {}
        self.statements: list[Element] = []
        self._open: list[tuple[str, Element | None]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        element = Element(tag, values)
        if "id" in values:
            self.by_id[values["id"]] = element
        if "data-statement" in values:
            self.statements.append(element)
        if tag == "a":
            for _, open_element in self._open:
                if open_element is not None:
                    open_element.links.append(values.get("href", ""))
        if tag not in self.VOID:
            recorded = "id" in values or "data-statement" in values
            self._open.append((tag, element if recorded else None))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, element in self._open:
            if element is not None:
                element.text_parts.append(data)


def assert_page_stops(html: str, stop: str) -> Elements:
    """The page shows `stop` and "no dose" with sources in #supplement-stops, and no limit."""
    page = Elements(html)
    block = page.by_id["supplement-stops"]
    assert block.attrs["role"] == "alert"
    shown = {element.attrs["data-statement"]: element for element in page.statements}
    stop_text, stop_urls = cited_text(stop)
    assert shown[stop].text == f"Stop {stop_text}"
    assert shown[stop].links == stop_urls
    no_dose_text, no_dose_urls = cited_text("info.no_dose")
    assert shown["info.no_dose"].text == no_dose_text
    assert shown["info.no_dose"].links == no_dose_urls
    assert [key for key in shown if key.startswith("stop.")] == [stop]
    assert "supplement-limit" not in page.by_id  # no upper limit beside a stop
    assert "info.max_supplement" not in shown  # and no dose
    return page


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def stateless(tmp_path: Path) -> Iterator[TestClient]:
    """The app for the stateless tools (they read no diary; the app wants a schema all the same)."""
    with app_client(Settings(data_dir=tmp_path)) as client:
        yield client


def _profile(client: TestClient, values: dict[str, Any]) -> None:
    response = client.put("/api/v1/me/profile", json={**values, "language": "nl"})
    assert response.status_code == 200, response.text


# --- the Today page and its form ----------------------------------------------------------------


@pytest.mark.parametrize("stop", STOP_KEYS)
def test_today_page_shows_the_stop_and_no_limit(local: TestClient, stop: str) -> None:
    _profile(local, STORED_PROFILES[stop])
    assert local.post("/api/v1/me/supplements", json=SUPPLEMENT).status_code == 201
    page = assert_page_stops(local.get("/today").text, stop)
    assert page.by_id["supplement-label"].attrs["aria-describedby"] == "supplement-stops"


@pytest.mark.parametrize("stop", STOP_KEYS)
def test_today_supplement_form_logs_and_then_shows_the_stop(local: TestClient, stop: str) -> None:
    _profile(local, STORED_PROFILES[stop])
    logged = local.post("/today/supplement", data={"label": SUPPLEMENT["label"], "servings": "2"})
    assert logged.history[0].status_code == 303  # logging stays allowed: it is the diary
    assert local.get("/api/v1/me/entries/supplement").json()["total"] == 1
    assert_page_stops(logged.text, stop)
    # a failed entry renders Today with its error, the stop still there
    failed = local.post("/today/supplement", data={"label": "nonsense"})
    assert failed.status_code == 422
    assert_page_stops(failed.text, stop)


def test_today_without_a_stop_shows_the_upper_limit(local: TestClient) -> None:
    _profile(local, NO_STOP_PROFILE)
    local.post("/today/supplement", data={"label": SUPPLEMENT["label"]})
    page = Elements(local.get("/today").text)
    assert "supplement-stops" not in page.by_id
    assert page.by_id["supplement-limit"].text == f"{EU_UPPER_LIMIT_MG} mg"


# --- the Supplements page -----------------------------------------------------------------------


@pytest.mark.parametrize("stop", STOP_KEYS)
def test_supplements_page_shows_the_stop_before_and_after_a_check(
    local: TestClient, stop: str
) -> None:
    _profile(local, STORED_PROFILES[stop])
    assert_page_stops(local.get("/supplements").text, stop)
    checked = local.post("/supplements", data={"form": "oxide", "compound_mg": "400"})
    assert checked.status_code == 200
    page = assert_page_stops(checked.text, stop)
    # the total is still shown (it is what the user typed), without the limit after it
    assert page.by_id["supplement-total"].text == (
        "Elementair magnesium uit supplementen: 241,2 mg per dag"  # 400 mg MgO × 60.30 %
    )
    assert "supplement-advice" not in page.by_id


def test_supplements_page_without_a_stop_shows_the_upper_limit(local: TestClient) -> None:
    _profile(local, NO_STOP_PROFILE)
    assert "supplement-stops" not in Elements(local.get("/supplements").text).by_id
    page = Elements(local.post("/supplements", data={"label": SUPPLEMENT["label"]}).text)
    assert "supplement-stops" not in page.by_id
    assert page.by_id["supplement-limit"].text == f"{EU_UPPER_LIMIT_MG} mg"
    assert page.by_id["supplement-advice"].attrs["data-statement"] == "info.max_supplement"


# --- the diary API --------------------------------------------------------------------------------


def assert_json_stops(advice: dict[str, Any], stop: str, lang: str = "nl") -> None:
    """A supplement_advice or check view: the stop and "no dose", with sources; no limit."""
    assert [item["key"] for item in advice["hard_stops"]] == [stop]
    assert advice["hard_stops"][0] == render(stop, lang)
    assert advice["advice"] == render("info.no_dose", lang)
    assert advice["dose_may_be_suggested"] is False
    assert advice["max_supplemental_mg"] is None
    assert advice["supplement_upper_limit_mg"] is None
    assert advice["upper_limit"] is None


@pytest.mark.parametrize("stop", STOP_KEYS)
def test_logging_a_supplement_answers_with_the_stop(local: TestClient, stop: str) -> None:
    _profile(local, STORED_PROFILES[stop])
    response = local.post("/api/v1/me/supplements", json={"elemental_mg": 300})
    assert response.status_code == 201
    body = response.json()
    assert body["elemental_mg"] == 300  # logged all the same
    assert_json_stops(body["supplement_advice"], stop)
    assert body["supplement_advice"]["total_elemental_mg"] == 300
    english = local.post("/api/v1/me/supplements", params={"lang": "en"}, json=SUPPLEMENT)
    assert_json_stops(english.json()["supplement_advice"], stop, "en")


@pytest.mark.parametrize("stop", STOP_KEYS)
def test_the_day_view_gives_the_stop_instead_of_the_upper_limit(
    local: TestClient, stop: str
) -> None:
    _profile(local, STORED_PROFILES[stop])
    local.post("/api/v1/me/supplements", json=SUPPLEMENT)
    day = local.get(f"/api/v1/me/days/{date.today().isoformat()}").json()
    assert day["targets"]["supplement_upper_limit"] is None
    assert_json_stops(day["supplement_advice"], stop)


def test_the_diary_api_without_a_stop_gives_the_upper_limit(local: TestClient) -> None:
    _profile(local, NO_STOP_PROFILE)
    advice = local.post("/api/v1/me/supplements", json={"elemental_mg": 100}).json()[
        "supplement_advice"
    ]
    assert advice["hard_stops"] == []
    assert advice["supplement_upper_limit_mg"] == EU_UPPER_LIMIT_MG
    assert advice["max_supplemental_mg"] == EU_UPPER_LIMIT_MG
    assert advice["advice"] == render("info.max_supplement", "nl", limit=EU_UPPER_LIMIT_MG)
    day = local.get(f"/api/v1/me/days/{date.today().isoformat()}").json()
    assert day["targets"]["supplement_upper_limit"]["value"] == EU_UPPER_LIMIT_MG
    assert day["supplement_advice"] == advice


# --- the stateless API tools ----------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(JSON_PROFILES))
def test_api_supplement_check_gives_the_stop(stateless: TestClient, case: str) -> None:
    stop, profile = JSON_PROFILES[case]
    response = stateless.post(
        "/api/v1/supplements/check",
        json={"profile": profile, "supplements": [SUPPLEMENT], "lang": "en"},
    )
    assert response.status_code == 200, response.text
    assert_json_stops(response.json(), stop, "en")


def test_api_supplement_check_without_a_stop_gives_the_upper_limit(stateless: TestClient) -> None:
    view = stateless.post(
        "/api/v1/supplements/check",
        json={"profile": NO_STOP_JSON, "supplements": [SUPPLEMENT], "reference": "nih"},
    ).json()
    assert view["hard_stops"] == []
    assert view["supplement_upper_limit_mg"] == US_UPPER_LIMIT_MG
    assert view["max_supplemental_mg"] == US_UPPER_LIMIT_MG
    assert view["advice"]["key"] == "info.max_supplement"


def test_api_elemental_tool_has_no_profile_so_no_dose_and_no_limit(stateless: TestClient) -> None:
    view = stateless.post(
        "/api/v1/supplements/elemental", json={"form": "oxide", "compound_mg": 400}
    ).json()
    assert sorted(view) == ["compound_mg", "elemental_mg", "elemental_range_mg", "exact", "forms"]


# --- the CLI --------------------------------------------------------------------------------------

runner = CliRunner()


def _flat(text: str) -> str:
    """CLI output with Rich's line wrapping undone."""
    return " ".join(text.split())


def _cli_cited(key: str, lang: str) -> str:
    statement = render(key, lang)
    ids = ", ".join(source["id"] for source in statement["sources"])
    return _flat(f"{statement['text']} [grade {statement['grade']}; {ids}]")


def assert_cli_stops(output: str, stop: str, lang: str) -> None:
    flat = _flat(output)
    assert f"STOP {_cli_cited(stop, lang)}" in flat
    assert _cli_cited("info.no_dose", lang) in flat
    assert re.search(r"upper limit (—|\d)", flat) is None  # the CLI's "upper limit 250 mg"
    max_supplement = statements()["info.max_supplement"]
    assert (max_supplement.en if lang == "en" else max_supplement.nl).split("{")[0] not in flat


@pytest.mark.parametrize("case", sorted(JSON_PROFILES))
def test_cli_supplement_check_gives_the_stop(tmp_path: Path, case: str) -> None:
    stop, profile = JSON_PROFILES[case]
    profile_file = tmp_path / "profile.json"
    profile_file.write_text(json.dumps({**profile, "language": "en"}), encoding="utf-8")
    supplements_file = tmp_path / "supplements.json"
    supplements_file.write_text(json.dumps([SUPPLEMENT]), encoding="utf-8")
    arguments = [
        "supplement",
        "check",
        "--profile",
        str(profile_file),
        "--supplements",
        str(supplements_file),
    ]
    text = runner.invoke(cli_app, arguments)
    assert text.exit_code == 0, text.output
    assert_cli_stops(text.stdout, stop, "en")
    as_json = runner.invoke(cli_app, [*arguments, "--json"])
    assert_json_stops(json.loads(as_json.stdout), stop, "en")


def test_cli_supplement_check_without_a_stop_gives_the_upper_limit(tmp_path: Path) -> None:
    profile_file = tmp_path / "profile.json"
    profile_file.write_text(json.dumps({**NO_STOP_JSON, "language": "en"}), encoding="utf-8")
    supplements_file = tmp_path / "supplements.json"
    supplements_file.write_text(json.dumps([SUPPLEMENT]), encoding="utf-8")
    arguments = ["supplement", "check", "--profile", str(profile_file)]
    result = runner.invoke(
        cli_app, [*arguments, "--supplements", str(supplements_file), "--reference", "efsa"]
    )
    flat = _flat(result.stdout)
    assert f"upper limit {EU_UPPER_LIMIT_MG} mg (efsa)" in flat
    assert "STOP" not in flat


@pytest.fixture
def cli_diary(
    migrated_engine: object, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The CLI's local diary on the test database."""
    monkeypatch.setenv("RUGWIJZER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RUGWIJZER_DATABASE_URL", database_url)
    reset()
    yield
    reset()


def _cli_profile(values: dict[str, Any]) -> None:
    options = ["profile", "set", "--birth-year", str(values["birth_year"])]
    options += ["--sex", values["sex"], "--language", "en"]
    if values.get("kidney_disease"):
        options.append("--kidney-disease")
    if values.get("heart_rhythm_problems"):
        options.append("--heart-rhythm-problems")
    if values.get("pregnant"):
        options.append("--pregnant")
    result = runner.invoke(cli_app, options)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("stop", STOP_KEYS)
def test_cli_log_supplement_logs_and_gives_the_stop(cli_diary: None, stop: str) -> None:
    _cli_profile(STORED_PROFILES[stop])
    text = runner.invoke(cli_app, ["log", "supplement", "--label", SUPPLEMENT["label"]])
    assert text.exit_code == 0, text.output
    assert _flat(text.stdout).startswith("Logged magnesium (as citrate) 100 mg: 100 mg elemental")
    assert_cli_stops(text.stdout, stop, "en")
    as_json = runner.invoke(cli_app, ["log", "supplement", "--elemental-mg", "50", "--json"])
    assert_json_stops(json.loads(as_json.stdout)["supplement_advice"], stop, "en")
    today = runner.invoke(cli_app, ["today"])
    assert_cli_stops(today.stdout, stop, "en")


def test_cli_log_supplement_without_a_stop_says_nothing_of_a_stop(cli_diary: None) -> None:
    _cli_profile(NO_STOP_PROFILE)
    text = runner.invoke(cli_app, ["log", "supplement", "--label", SUPPLEMENT["label"]])
    assert _flat(text.stdout) == "Logged magnesium (as citrate) 100 mg: 100 mg elemental magnesium"
    as_json = runner.invoke(cli_app, ["log", "supplement", "--elemental-mg", "50", "--json"])
    advice = json.loads(as_json.stdout)["supplement_advice"]
    assert advice["reference"] == "nih"  # an English profile's default
    assert advice["supplement_upper_limit_mg"] == US_UPPER_LIMIT_MG
    assert advice["total_elemental_mg"] == 150

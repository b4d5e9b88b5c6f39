"""The language probe of issue #11: a Dutch user meets no English sentence, an English user no
Dutch one, outside an element marked with the other language (WCAG 2.2 SC 3.1.2).

The app runs in local mode with a profile in the page's language, a diary with meals, a
supplement over the upper limit, a check-in, a change and a warning sign. Then every form is sent
with something wrong in it, and every page of the menu is read (the menu is taken from the page
itself, so a new page cannot be left out); in server mode the account forms and a
practitioner's menu as well. Each run of text is judged by small stop-word lists
(tests/html_text.py): three words or more in which the other language's stop words clearly
outnumber the page's is a violation, reported with its text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rugwijzer.settings import Settings
from tests.factories import TEST_SECRET, app_client
from tests.html_text import language_runs, other_language

#: What a Dutch and an English user type.
TYPED = {
    "nl": {
        "meal": "2 sneetjes volkorenbrood met pindakaas",
        "choice": "50 g chocolade",
        "implausible": "5000 kg spinazie",
        "not_in_data": "een glas havermelk",
        "supplement": "magnesium (als citraat) 300 mg",
        "over_limit": "magnesium (als citraat) 400 mg",
        "medicine": "ciprofloxacine",
        "change": "elke avond een wandeling",
        "search": "amandelen",
    },
    "en": {
        "meal": "2 slices of wholemeal bread with peanut butter",
        "choice": "50 g chocolate",
        "implausible": "5000 kg spinach",
        "not_in_data": "a glass of oat milk",
        "supplement": "magnesium (as citrate) 300 mg",
        "over_limit": "magnesium (as citrate) 400 mg",
        "medicine": "ciprofloxacin",
        "change": "a walk every evening",
        "search": "almonds",
    },
}


@dataclass(frozen=True)
class Probe:
    """A request that shows a page: a form sent with a mistake, or a page read."""

    method: str
    path: str
    data: dict[str, str] = field(default_factory=dict)
    upload: bytes | None = None  # a file for the import form
    typed: str = ""  # a key of TYPED to send as the form's first field

    def send(self, client: TestClient, lang: str) -> tuple[int, str]:
        data = dict(self.data)
        if self.typed:
            name, key = self.typed.split("=")
            data[name] = TYPED[lang][key]
        page = {"accept": "text/html"}  # as a browser asks (errors come as pages, not JSON)
        if self.method == "GET":
            response = client.get(self.path, params=data or None, headers=page)
        elif self.upload is not None:
            files = {"file": ("export.json", self.upload, "application/json")}
            response = client.post(self.path, files=files, headers=page)
        else:
            response = client.post(self.path, data=data, headers=page)
        return response.status_code, response.text


#: Every page form, sent with the mistake a user makes (or a warning the check gives).
FORMS = {
    "implausible meal": Probe("POST", "/today/meal", typed="text=implausible"),
    "unknown food": Probe("POST", "/today/meal", {"text": "xyzzy"}),
    "food not in the data": Probe("POST", "/today/meal", typed="text=not_in_data"),
    "grams not a number": Probe("POST", "/today/meal/1/item/0", {"grams": "veel"}),
    "unknown food choice": Probe("POST", "/today/meal/1/item/0/food", {"food_id": "sr24:nope"}),
    "unreadable label on Today": Probe("POST", "/today/supplement", {"label": "qwerty"}),
    "servings not a number": Probe(
        "POST", "/today/supplement", {"label": "magnesium 100 mg", "servings": "twee"}
    ),
    "unreadable label in the advisor": Probe("POST", "/supplements", {"label": "qwerty"}),
    "unknown form in the advisor": Probe(
        "POST", "/supplements", {"form": "kryptonite", "compound_mg": "100"}
    ),
    "dose over the upper limit": Probe("POST", "/supplements", typed="label=over_limit"),
    "implausible dose": Probe(
        "POST", "/supplements", {"label": "magnesium 900 mg", "servings": "20"}
    ),
    "pain 11": Probe("POST", "/today/checkin", {"pain": "11"}),
    "stiffness in words": Probe("POST", "/today/checkin", {"stiffness": "veel"}),
    "empty check-in": Probe("POST", "/today/checkin"),
    "change without a description": Probe("POST", "/trends/change", {"description": " "}),
    "change in the future": Probe(
        "POST", "/trends/change", {"description": "x", "started_on": "2999-01-01"}
    ),
    "profile without a year of birth": Probe("POST", "/welcome", {"sex": "female"}),
    "profile without sex": Probe("POST", "/welcome", {"birth_year": "1975"}),
    "warning signs: impossible age": Probe("POST", "/triage", {"age": "200"}),
    "import of a broken file": Probe("POST", "/settings/import", upload=b"{oops"),
    "import of another JSON file": Probe("POST", "/settings/import", upload=b'{"a": 1}'),
    "delete without the tick": Probe("POST", "/settings/delete"),
    "end a change that does not exist": Probe("POST", "/trends/change/999/end"),
    "food search without a match": Probe("GET", "/foods", {"q": "xyzzy"}),
    "aids: weeks in words": Probe(
        "GET",
        "/aids",
        {"pain_weeks": "veel", "sitting_hours_per_day": "8", "work": "desk", "goal": "relief"},
    ),
    "report over too long a period": Probe(
        "GET", "/report.pdf", {"from": "2020-01-01", "to": "2023-01-01"}
    ),
    "report without dates": Probe("GET", "/report.pdf", {"from": "", "to": ""}),
    "plan: unknown exclusion": Probe("GET", "/plan", {"foods": "kaviaar"}),
    "plan: gap too large": Probe("GET", "/plan", {"gap_mg": "9000"}),
}

#: The pages of the menu (test_the_probe_covers_the_whole_menu checks this against the menu
#: the pages show), with the pages they link to and an unknown address.
PAGES = {
    "/today": Probe("GET", "/today"),
    "/trends": Probe("GET", "/trends", {"days": "7"}),
    "/supplements": Probe("GET", "/supplements"),
    "/stress": Probe("GET", "/stress"),
    "/foods": Probe("GET", "/foods", typed="q=search"),
    "/triage": Probe("GET", "/triage"),
    "/settings": Probe("GET", "/settings"),
    "/welcome": Probe("GET", "/welcome"),
    "/faq": Probe("GET", "/faq"),
    "/claims": Probe("GET", "/claims"),
    "/articles": Probe("GET", "/articles"),
    "an article": Probe("GET", "/articles/magnesium_in_the_body"),
    "/aids": Probe(
        "GET",
        "/aids",
        {"pain_weeks": "3", "sitting_hours_per_day": "8", "work": "desk", "goal": "relief"},
    ),
    "/screen": Probe("POST", "/screen", {"symptoms": "cramps"}),
    "/plan": Probe("GET", "/plan", {"gap_mg": "200", "exclude": "noten"}),
    "not found": Probe("GET", "/no-such-page"),
}


def _cases(probes: dict[str, Probe]) -> list[Any]:
    cases = []
    for lang in TYPED:
        for name in probes:
            cases.append(pytest.param(lang, name, id=f"{lang}-{name}"))
    return cases


@pytest.fixture(scope="module")
def diaries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestClient]]:
    """One filled-in diary per language, each in its own app (local mode)."""
    clients: dict[str, TestClient] = {}
    with ExitStack() as running:
        for lang, typed in TYPED.items():
            settings = Settings(data_dir=tmp_path_factory.mktemp(f"probe-{lang}"))
            client = running.enter_context(app_client(settings))
            clients[lang] = client
            client.get(f"/lang/{lang}")
            client.post(
                "/welcome",
                data={
                    "birth_year": "1975",
                    "sex": "female",
                    "language": lang,
                    "medicines": typed["medicine"],
                },
            )
            client.post("/triage", data={"age": "40", "fever": "yes"})  # a red flag on top
            for meal in (typed["meal"], typed["choice"]):
                client.post("/today/meal", data={"text": meal})
            client.post("/today/supplement", data={"label": typed["supplement"]})
            client.post("/today/checkin", data={"pain": "6", "stress": "7", "cramps": "yes"})
            client.post("/trends/change", data={"description": typed["change"]})
        yield clients


def violations(page: str, lang: str) -> list[str]:
    """The runs of text on `page` (in `lang`) that read as the other language unmarked."""
    return [
        text
        for text, marked in language_runs(page)
        if marked in ("", lang) and other_language(text, lang)
    ]


@pytest.mark.parametrize(("lang", "form"), _cases(FORMS))
def test_form_errors_speak_the_page_language(
    diaries: dict[str, TestClient], lang: str, form: str
) -> None:
    status, page = FORMS[form].send(diaries[lang], lang)
    assert status in (200, 404, 422), (form, status)
    assert f'<html lang="{lang}">' in page
    assert violations(page, lang) == []


@pytest.mark.parametrize(("lang", "path"), _cases(PAGES))
def test_every_page_speaks_the_page_language(
    diaries: dict[str, TestClient], lang: str, path: str
) -> None:
    status, page = PAGES[path].send(diaries[lang], lang)
    assert status == (404 if path == "not found" else 200)
    assert f'<html lang="{lang}">' in page
    assert violations(page, lang) == []


class _MenuLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.in_menu = False
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "nav" and self.in_menu is False and not self.links:
            self.in_menu = True
        elif tag == "a" and self.in_menu and values.get("href"):
            self.links.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.in_menu = False


@pytest.mark.parametrize("lang", list(TYPED))
def test_the_probe_covers_the_whole_menu(diaries: dict[str, TestClient], lang: str) -> None:
    menu = _MenuLinks()
    menu.feed(diaries[lang].get("/today").text)
    pages = {link.split("?")[0] for link in menu.links if not link.startswith("/lang/")}
    assert "/today" in pages
    assert pages <= set(PAGES), f"menu pages the probe does not read: {pages - set(PAGES)}"


def test_the_probe_sees_an_unmarked_sentence_and_accepts_a_marked_one() -> None:
    page = (
        '<html lang="nl"><body><p>Je hebt vandaag <strong>300 mg</strong> gegeten.</p>'
        "<p>cannot read the label line; expected e.g. a number</p>"
        '<p>Bron: <a lang="en">The Effects of Magnesium on the Stress of the Day</a></p>'
        "<script>var the = 'and of the';</script></body></html>"
    )
    assert violations(page, "nl") == ["cannot read the label line; expected e.g. a number"]
    english = (
        '<html lang="en"><p>Food of the day</p><p>Dit is niet de voeding van de dag</p>'
        '<p lang="nl">Dit is de Nederlandse titel van een bron</p></html>'
    )
    assert violations(english, "en") == ["Dit is niet de voeding van de dag"]


PASSWORD = "correct horse battery"
#: Server mode: the account forms, signed out and signed in as a practitioner.
ACCOUNT_FORMS = {
    "wrong password": ("/login", {"email": "fysio@example.org", "password": "wrong"}),
    "short password": (
        "/register",
        {"email": "a@example.org", "password": "kort", "password_again": "kort"},
    ),
    "passwords differ": (
        "/register",
        {"email": "a@example.org", "password": PASSWORD, "password_again": PASSWORD + "!"},
    ),
    "not an email address": (
        "/register",
        {"email": "nope", "password": PASSWORD, "password_again": PASSWORD},
    ),
}
SIGNED_IN_FORMS = {
    "unknown practitioner": ("/settings/grants", {"practitioner_email": "nobody@example.org"}),
    "wrong current password": (
        "/settings/password",
        {"current_password": "x", "password": PASSWORD, "password_again": PASSWORD},
    ),
}


@pytest.mark.parametrize("lang", list(TYPED))
def test_server_mode_pages_and_forms_speak_the_page_language(
    tmp_path_factory: pytest.TempPathFactory, lang: str
) -> None:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("server"), mode="server", secret_key=TEST_SECRET
    )
    found: dict[str, list[str]] = {}
    with app_client(settings, "https://rugwijzer.test") as client:
        client.app.state.accounts.register(  # type: ignore[attr-defined]
            "fysio@example.org", PASSWORD, role="practitioner"
        )
        client.get(f"/lang/{lang}")
        page = {"accept": "text/html"}
        for path in ("/login", "/register", "/login?registered=true"):
            found[path] = violations(client.get(path, headers=page).text, lang)
        for name, (path, data) in ACCOUNT_FORMS.items():
            answer = client.post(path, data=data, headers=page)
            assert answer.status_code in (401, 422), name
            found[name] = violations(answer.text, lang)
        client.post("/login", data={"email": "fysio@example.org", "password": PASSWORD})
        menu = _MenuLinks()
        menu.feed(client.get("/today").text)
        for link in menu.links:
            if not link.startswith("/lang/"):
                found[link] = violations(client.get(link, headers=page).text, lang)
        assert "/clients" in found
        for name, (path, data) in SIGNED_IN_FORMS.items():
            answer = client.post(path, data=data, headers=page)
            assert answer.status_code == 422, name
            found[name] = violations(answer.text, lang)
    assert {where: runs for where, runs in found.items() if runs} == {}

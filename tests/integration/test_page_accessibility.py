"""Structural accessibility checks on every page, in both languages.

These catch the regressions a screen-reader user would hit first: a form control
without a name, a page without one main landmark or heading, an image without text.
Colour contrast and focus order are checked in the browser tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rugwijzer.settings import Settings
from tests.factories import TEST_SECRET, app_client

PAGES = [
    "/welcome",
    "/triage",
    "/today",
    "/trends",
    "/stress",
    "/supplements",
    "/foods",
    "/settings",
    "/aids?pain_weeks=3&sitting_hours_per_day=8&work=desk&goal=relief",
    "/plan?exclude=noten&kcal_max=300",
]
UNNAMED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class PageOutline:
    lang: str | None = None
    main_count: int = 0
    h1_count: int = 0
    label_targets: set[str] = field(default_factory=set)
    open_labels: int = 0
    controls: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    controls_inside_label: int = 0
    images_without_text: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)


class OutlineParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.outline = PageOutline()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        outline = self.outline
        if attributes.get("id"):
            outline.ids.append(str(attributes["id"]))
        if tag == "html":
            outline.lang = attributes.get("lang")
        elif tag == "main":
            outline.main_count += 1
        elif tag == "h1":
            outline.h1_count += 1
        elif tag == "label":
            outline.open_labels += 1
            if attributes.get("for"):
                outline.label_targets.add(str(attributes["for"]))
        elif tag in {"input", "select", "textarea"}:
            if tag == "input" and attributes.get("type") in UNNAMED_INPUT_TYPES:
                return
            if outline.open_labels:
                outline.controls_inside_label += 1
                return
            outline.controls.append((tag, attributes))
        elif tag == "img" and attributes.get("alt") is None:
            outline.images_without_text.append(str(attributes.get("src")))
        elif tag == "svg" and not (
            attributes.get("aria-hidden") == "true"
            or attributes.get("aria-label")
            or attributes.get("aria-labelledby")
        ):
            outline.images_without_text.append("svg")

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.outline.open_labels:
            self.outline.open_labels -= 1


def outline_of(html: str) -> PageOutline:
    parser = OutlineParser()
    parser.feed(html)
    parser.close()
    return parser.outline


def unnamed_controls(outline: PageOutline) -> list[str]:
    unnamed = []
    for tag, attributes in outline.controls:
        if attributes.get("aria-label") or attributes.get("aria-labelledby"):
            continue
        if attributes.get("id") in outline.label_targets:
            continue
        unnamed.append(f"<{tag} name={attributes.get('name')!r}>")
    return unnamed


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with app_client(Settings(data_dir=tmp_path)) as test_client:
        test_client.post("/welcome", data={"birth_year": "1975", "sex": "female"})
        test_client.post("/today/meal", data={"text": "30 gram amandelen"})
        test_client.post("/today/checkin", data={"pain": "6", "stress": "7"})
        yield test_client


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_landmarks_names_and_text_alternatives(
    client: TestClient, path: str, language: str
) -> None:
    client.get(f"/lang/{language}")
    response = client.get(path, params={"q": "amandelen"} if path == "/foods" else None)
    assert_accessible_outline(response.text, response.status_code, language)


def assert_accessible_outline(html: str, status_code: int, language: str) -> None:
    assert status_code == 200
    outline = outline_of(html)
    assert outline.lang == language
    assert outline.main_count == 1
    assert outline.h1_count == 1
    assert unnamed_controls(outline) == []
    assert outline.images_without_text == []
    assert len(outline.ids) == len(set(outline.ids)), "duplicate id attributes"


def test_the_checker_notices_an_unlabelled_control() -> None:
    outline = outline_of(
        '<html lang="nl"><main><h1>x</h1><label for="a">A</label><input id="a" name="a">'
        '<input id="b" name="b"><label>C <input name="c"></label><svg></svg></main></html>'
    )
    assert unnamed_controls(outline) == ["<input name='b'>"]
    assert outline.controls_inside_label == 1
    assert outline.images_without_text == ["svg"]


SERVER_PAGES = ["/login", "/register", "/settings", "/clients", "/today"]


@pytest.fixture
def practitioner(tmp_path: Path) -> Iterator[TestClient]:
    with app_client(
        Settings(data_dir=tmp_path, mode="server", secret_key=TEST_SECRET), "https://rugwijzer.test"
    ) as test_client:
        accounts = test_client.app.state.accounts  # type: ignore[attr-defined]
        accounts.register("fysio@example.org", "correct horse battery", role="practitioner")
        accounts.register("anna@example.org", "correct horse battery")
        client_id = accounts.login("anna@example.org", "correct horse battery")[1]
        accounts.grant(client_id, "fysio@example.org")
        yield test_client


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("path", SERVER_PAGES)
def test_server_mode_pages_signed_out_and_in(
    practitioner: TestClient, path: str, language: str
) -> None:
    practitioner.get(f"/lang/{language}")
    if path not in ("/login", "/register"):
        practitioner.post(
            "/login", data={"email": "fysio@example.org", "password": "correct horse battery"}
        )
    response = practitioner.get(path)
    assert_accessible_outline(response.text, response.status_code, language)

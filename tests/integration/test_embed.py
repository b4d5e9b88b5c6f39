"""The aids widget for shops (/embed/aids), without a browser, on SQLite and PostgreSQL: who may
frame it and that nothing else may be framed, the language, the shop's branding and logo, a red
flag leading with no products, bad answers, and that nothing of the answers is stored.

The browser test (tests/e2e/test_embed.py) shows Chromium framing it from an allowed origin and
refusing it from another."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from rugwijzer.settings import Settings
from rugwijzer.web.app import create_app
from rugwijzer.web.embed import WARNING_SIGNS
from tests.factories import TEST_SECRET, app_client
from tests.html_text import attribute, language_runs, other_language, text, texts
from tests.integration.test_page_accessibility import assert_accessible_outline
from tests.integration.user_rows import everything

SHOP = "https://shop.example.nl"
OTHER_SHOP = "https://kliniek.example.org:8443"
ANSWERS = {"pain_weeks": "2", "sitting_hours_per_day": "8", "work": "desk", "goal": "relief"}
#: What a browser sends when a page on another site loads the widget into an iframe.
FRAMED_FROM_ANOTHER_SITE = {
    "sec-fetch-site": "cross-site",
    "sec-fetch-mode": "navigate",
    "sec-fetch-dest": "iframe",
    "referer": f"{SHOP}/rugadvies",
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24  # the signature is all the test needs
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings), base_url="http://127.0.0.1")


@pytest.fixture
def settings(migrated_engine: Engine, database_url: str, tmp_path: Path) -> Settings:
    """Local mode, framed by two shops, with a name and a yellow."""
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        embed_origins=[SHOP, f"{OTHER_SHOP}/"],
        shop_name="Rug & Co",
        shop_colour="#FFCC00",
    )


@pytest.fixture
def widget(settings: Settings) -> Iterator[TestClient]:
    with _client(settings) as client:
        yield client


def _advice(client: TestClient, **answers: str) -> Any:
    return client.get("/embed/aids", params={**ANSWERS, **answers})


def _verdicts(page: str) -> dict[str, str]:
    """Category id → the recommendation (the class of its block)."""
    found = {}
    for chunk in page.split('<article class="aid ')[1:]:
        recommendation = chunk.split('"', 1)[0]
        category = chunk.split('aria-labelledby="aid-', 1)[1].split('"', 1)[0]
        found[category] = recommendation
    return found


# --- framing ------------------------------------------------------------------------------------


def test_the_widget_may_be_framed_by_the_configured_origins_only(widget: TestClient) -> None:
    page = widget.get("/embed/aids", params={"lang": "nl"}, headers=FRAMED_FROM_ANOTHER_SITE)
    assert page.status_code == 200  # a GET from an iframe on another site passes the guard
    policy = page.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["frame-ancestors"] == f"{SHOP} {OTHER_SHOP}"  # trailing slash gone
    # strict for itself: nothing runs, everything it loads comes from Rugwijzer
    assert directives["default-src"] == "'none'"
    assert "script-src" not in directives
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert "x-frame-options" not in page.headers  # it would contradict frame-ancestors
    assert "set-cookie" not in page.headers  # no cookie needed, none set
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "<script" not in page.text
    assert " style=" not in page.text
    assert "<style" not in page.text


def test_without_embed_origins_no_site_may_frame_it(tmp_path: Path) -> None:
    with app_client(Settings(data_dir=tmp_path)) as client:
        page = client.get("/embed/aids")
    assert page.headers["content-security-policy"].endswith("; frame-ancestors 'none'")
    assert "x-frame-options" not in page.headers


@pytest.fixture
def plain(tmp_path: Path) -> Iterator[TestClient]:
    """SQLite only: the headers do not depend on the database."""
    with app_client(Settings(data_dir=tmp_path, embed_origins=[SHOP])) as client:
        yield client


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/today",
        "/triage",
        "/settings",
        "/foods?q=amandelen",
        "/api/v1/foods?q=amandelen",
        "/api/v1/me/export",
        "/static/site.css",
        "/static/embed.css",
        "/healthz",
        "/no-such-page",
        "/embed/aids/logo",  # 404: no logo set
    ],
)
def test_every_other_response_refuses_to_be_framed(plain: TestClient, path: str) -> None:
    response = plain.get(path, headers=FRAMED_FROM_ANOTHER_SITE)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy.split("; ")
    assert response.headers["x-frame-options"] == "DENY"


def test_refusals_of_the_guard_refuse_framing_too(plain: TestClient) -> None:
    refused = plain.get("/today", headers={"host": "evil.example"})
    assert refused.status_code == 421
    assert refused.headers["x-frame-options"] == "DENY"
    refused = plain.post("/settings/delete", data={"confirm": "on"}, headers={"origin": SHOP})
    assert refused.status_code == 403
    assert refused.headers["x-frame-options"] == "DENY"


def test_in_local_mode_only_loopback_names_are_served_the_widget(plain: TestClient) -> None:
    assert plain.get("/embed/aids", headers={"host": "shop.example.nl"}).status_code == 421


def test_server_mode_signed_out_in_a_frame_and_no_diary_shown(
    migrated_engine: Engine, database_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url=database_url,
        mode="server",
        secret_key=TEST_SECRET,
        embed_origins=[SHOP],
    )
    with TestClient(create_app(settings), base_url="https://rugwijzer.test") as client:
        accounts = client.app.state.accounts  # type: ignore[attr-defined]
        accounts.register("anna@example.org", "correct horse battery")
        client.post(
            "/login", data={"email": "anna@example.org", "password": "correct horse battery"}
        )
        client.post("/triage", data={"fever": "yes"})  # a red flag in her diary
        signed_in = client.get("/today")
        assert 'class="red-flag"' in signed_in.text
        page = client.get(
            "/embed/aids", params={**ANSWERS, "lang": "en"}, headers=FRAMED_FROM_ANOTHER_SITE
        )
        assert page.status_code == 200
        assert 'class="red-flag"' not in page.text  # no diary, no menu, no banner
        assert "<nav" not in page.text
        assert "set-cookie" not in page.headers
        client.cookies.clear()
        assert client.get("/embed/aids", params=ANSWERS).status_code == 200  # signed out too


# --- language -----------------------------------------------------------------------------------


def test_dutch_by_default_english_on_request(widget: TestClient) -> None:
    dutch = widget.get("/embed/aids")
    assert attribute(dutch.text, "html", "lang") == "nl"
    assert text(dutch.text, "h1") == "Hulpmiddelen bij rugpijn: advies voor bezoekers van Rug & Co"
    english = widget.get("/embed/aids", params={"lang": "en"})
    assert attribute(english.text, "html", "lang") == "en"
    assert text(english.text, "h1") == "Aids for back pain: advice for visitors of Rug & Co"
    # the other language, with the same answers
    link = attribute(_advice(widget, lang="nl").text, "header a.lang", "href")
    assert link.startswith("/embed/aids?lang=en&")
    assert "pain_weeks=2" in link


def test_the_installations_default_language(
    migrated_engine: Engine, database_url: str, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=database_url, default_language="en")
    with _client(settings) as client:
        assert attribute(client.get("/embed/aids").text, "html", "lang") == "en"


@pytest.mark.parametrize("lang", ["fr", "NL", "<b>x</b>"])
def test_an_unknown_language_is_a_clear_422_inside_the_frame(widget: TestClient, lang: str) -> None:
    page = widget.get("/embed/aids", params={**ANSWERS, "lang": lang})
    assert page.status_code == 422
    assert attribute(page.text, "html", "lang") == "nl"
    shown = lang.replace("<", "&lt;").replace(">", "&gt;")
    assert f"De widget is er in nl, en; ‘{shown}’ hoort daar niet bij." in page.text
    assert "<b>x" not in page.text
    assert "article" not in page.text  # no advice in a language nobody asked for
    # still the widget's own page, so the shop sees the problem in its frame
    assert f"frame-ancestors {SHOP}" in page.headers["content-security-policy"]


# --- the advice ---------------------------------------------------------------------------------


def test_the_advice_in_order_with_products_after_the_evidence(widget: TestClient) -> None:
    page = _advice(widget, lang="en").text
    assert page.index('class="favoured"') < page.index('<article class="aid')
    verdicts = _verdicts(page)
    assert verdicts["heat_wrap"] == "consider"  # acute pain, relief (Cochrane CD004750)
    assert verdicts["lumbar_support"] == "not_recommended"  # NICE NG59
    assert verdicts["posture_corrector"] != "consider"
    heat = page.split('aria-labelledby="aid-heat_wrap"', 1)[1].split("</article>", 1)[0]
    # the reason from the answers, then the evidence with its grade and sources, then products
    assert "grade" in heat
    assert "cochrane" in heat.lower()
    assert heat.index('class="cite"') < heat.index('class="products"')
    assert "Example: hot-water bottle with cover" in heat  # the sample catalogue, local mode
    assert "(example)" in heat
    assert 'target="_top"' in heat  # a product opens in the shop's own window
    assert texts(page, "#aid-heat_wrap .verdict") == ["worth considering"]


@pytest.mark.parametrize("goal", ["relief", "prevention"])
@pytest.mark.parametrize("weeks", ["0", "3", "30"])
def test_a_lumbar_support_never_shows_a_product(widget: TestClient, goal: str, weeks: str) -> None:
    page = _advice(widget, goal=goal, pain_weeks=weeks).text
    brace = page.split('aria-labelledby="aid-lumbar_support"', 1)[1].split("</article>", 1)[0]
    assert _verdicts(page)["lumbar_support"] == "not_recommended"
    assert "products" not in brace
    assert "shop.example.org/rugbrace" not in page  # the sample brace, nowhere


def test_a_red_flag_leads_and_suppresses_every_product(widget: TestClient) -> None:
    page = _advice(widget, saddle_numbness="yes", fever="no").text
    referral = page.index('class="referral"')
    assert referral < page.index('class="advice"') < page.index("<form")
    assert text(page, "#referral-title") == "Spoed: zoek nu hulp"
    assert "ga eerst naar een arts" in page
    assert "caudasyndroom" in page  # the reason the triage found
    assert set(_verdicts(page).values()) <= {"see_professional", "not_recommended"}
    assert 'class="products"' not in page
    assert "Voorbeeld:" not in page
    # the answers stay in the form to be changed
    assert 'name="saddle_numbness" value="yes" checked' in page
    assert 'name="fever" value="no" checked' in page


def test_a_no_answer_is_no_red_flag(widget: TestClient) -> None:
    page = _advice(widget, **dict.fromkeys(WARNING_SIGNS, "no")).text
    assert 'class="referral"' not in page
    assert _verdicts(page)["heat_wrap"] == "consider"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"pain_weeks": "veel"}, "pain_weeks"),
        ({"sitting_hours_per_day": "25"}, "sitting_hours_per_day"),
        ({"work": "astronaut"}, "work"),
        ({"fever": "misschien"}, "fever"),
    ],
)
def test_bad_answers_are_named_and_no_advice_is_given(
    widget: TestClient, answers: dict[str, str], expected: str
) -> None:
    page = _advice(widget, **answers)
    assert page.status_code == 422
    assert expected in text(page.text, "p.error")
    assert "<article" not in page.text
    assert '<details class="answers" open>' in page.text  # the form, open to correct


def test_answers_filled_in_beforehand_only_fill_in_the_form(widget: TestClient) -> None:
    page = widget.get("/embed/aids", params={"sitting_hours_per_day": "8", "work": "desk"})
    assert page.status_code == 200
    assert 'class="error"' not in page.text
    assert "<article" not in page.text
    assert '<details class="answers" open>' in page.text
    assert 'name="sitting_hours_per_day" type="number"' in page.text
    assert 'value="8"' in page.text
    assert '<option value="desk" selected>' in page.text


def test_a_decimal_comma_is_read(widget: TestClient) -> None:
    page = _advice(widget, pain_weeks="2,5", sitting_hours_per_day="7,5")
    assert page.status_code == 200
    assert 'value="2,5"' in page.text


def test_the_widget_stores_nothing(widget: TestClient, migrated_engine: Engine) -> None:
    before = everything(migrated_engine)
    for answers in ({}, {"fever": "yes"}, {"lang": "en"}, {"pain_weeks": "x"}):
        _advice(widget, **answers)
    widget.get("/embed/aids/theme.css")
    assert everything(migrated_engine) == before


# --- accessibility ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("answers", [{}, ANSWERS, {**ANSWERS, "major_trauma": "yes"}])
def test_landmarks_names_and_text_alternatives(
    widget: TestClient, lang: str, answers: dict[str, str]
) -> None:
    page = widget.get("/embed/aids", params={**answers, "lang": lang})
    assert_accessible_outline(page.text, page.status_code, lang)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_sentence_in_the_other_language(widget: TestClient, lang: str) -> None:
    """The language probe of issue #11 on the widget: with the advice, a red flag and an
    error, no run of text reads as the other language unless it is marked so."""
    for answers in ({**ANSWERS, "major_trauma": "yes"}, ANSWERS, {"pain_weeks": "x"}):
        page = widget.get("/embed/aids", params={**answers, "lang": lang}).text
        wrong = [
            run
            for run, marked in language_runs(page)
            if marked in ("", lang) and other_language(run, lang)
        ]
        assert wrong == [], (lang, answers)


# --- branding -----------------------------------------------------------------------------------


def test_the_shops_colour_with_readable_text(widget: TestClient) -> None:
    theme = widget.get("/embed/aids/theme.css")
    assert theme.headers["content-type"].startswith("text/css")
    assert theme.text == ":root { --shop: #ffcc00; --on-shop: #000000; }\n"  # black on yellow


def test_without_a_shop_name_or_logo(
    migrated_engine: Engine, database_url: str, tmp_path: Path
) -> None:
    with _client(Settings(data_dir=tmp_path, database_url=database_url)) as client:
        page = client.get("/embed/aids", params={"lang": "en"}).text
        assert text(page, "h1") == "Aids for back pain: what the evidence says"
        assert "<img" not in page
        assert client.get("/embed/aids/logo").status_code == 404
        assert client.get("/embed/aids/theme.css").text == (
            ":root { --shop: #0b6e4f; --on-shop: #ffffff; }\n"
        )


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        ("logo.png", PNG, "image/png"),
        ("logo.JPG", b"\xff\xd8\xff\xe0", "image/jpeg"),
        ("logo.svg", SVG, "image/svg+xml"),
    ],
)
def test_the_logo_is_served_with_its_type_and_without_scripts(
    migrated_engine: Engine,
    database_url: str,
    tmp_path: Path,
    name: str,
    content: bytes,
    media_type: str,
) -> None:
    logo = tmp_path / name
    logo.write_bytes(content)
    settings = Settings(
        data_dir=tmp_path, database_url=database_url, shop_logo=logo, shop_name="Rug & Co"
    )
    with _client(settings) as client:
        served = client.get("/embed/aids/logo", headers=FRAMED_FROM_ANOTHER_SITE)
        assert served.status_code == 200
        assert served.content == content
        assert served.headers["content-type"] == media_type
        assert served.headers["x-content-type-options"] == "nosniff"
        policy = served.headers["content-security-policy"]
        assert "default-src 'none'" in policy
        assert "sandbox" in policy
        assert "script-src" not in policy
        page = client.get("/embed/aids").text
        assert attribute(page, "img.logo", "src") == "/embed/aids/logo"
        assert attribute(page, "img.logo", "alt") == ""  # the name is written next to it
        logo.unlink()
        assert client.get("/embed/aids/logo").status_code == 404  # the file went away
        assert "<img" not in client.get("/embed/aids").text  # and no broken image

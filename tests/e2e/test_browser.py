"""End to end in a real browser (Debian's Chromium through Playwright): first run with the
warning-sign check, log a Dutch meal and see the total change, check in, switch language,
download the export, delete everything.

Skips with the reason when Playwright or Chromium is missing (install: apt-get install chromium).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NoReturn

import httpx
import pytest
from scripts.local_server import local_server

from rugwijzer.content import render
from rugwijzer.web.i18n import format_day

CHROMIUM = os.environ.get("RUGWIJZER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    log = tmp_path / "serve.log"
    try:
        with local_server(tmp_path / "data", log=log) as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


def _missing(reason: str) -> NoReturn:
    # CI sets RUGWIJZER_REQUIRE_BROWSER=1: there the browser suite may not silently skip.
    if os.environ.get("RUGWIJZER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required here: {reason}")
    pytest.skip(reason)


def _browser_page(javascript: bool, color_scheme: str = "light") -> Iterator[Any]:
    try:
        from playwright import sync_api as playwright_api
    except ImportError:
        _missing("Playwright is not installed")
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).is_file():
        _missing(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            accept_downloads=True,
            java_script_enabled=javascript,
            color_scheme=color_scheme,
        )
        page = context.new_page()
        # Chromium reports what the Content-Security-Policy blocked on the console: no script,
        # style or fetch of ours may be (a refused frame is what tests/e2e/test_embed.py wants)
        refused: list[str] = []

        def note_refusal(message: Any) -> None:
            text = str(message.text)
            if "Content Security Policy" in text and "frame-ancestors" not in text:
                refused.append(text)

        page.on("console", note_refusal)
        try:
            yield page
        finally:
            context.close()
            browser.close()
        assert refused == [], "the Content-Security-Policy blocked something on a page"


@pytest.fixture
def page() -> Iterator[Any]:
    yield from _browser_page(javascript=True)


@pytest.fixture
def page_without_javascript() -> Iterator[Any]:
    yield from _browser_page(javascript=False)


def test_first_run_meal_checkin_language_export_delete(base_url: str, page: Any) -> None:
    p = page
    p.goto(base_url)  # a first visit: what Rugwijzer does, before any form
    assert p.locator("main form").count() == 0
    assert "magnesium" in p.inner_text("#what")
    p.click("#start")
    assert p.url.endswith("/welcome")
    p.fill("#birth_year", "1975")
    p.check("input[name=sex][value=female]")
    p.click("button[type=submit]")
    assert p.url.endswith("/triage")
    p.click("button[type=submit]")
    assert "Geen alarmsignalen" in p.inner_text("main")

    p.goto(f"{base_url}/today")
    assert "0 mg" in p.inner_text("#mg-title + p")
    p.fill("#text", "2 sneetjes volkorenbrood met pindakaas en een banaan")
    p.wait_for_selector("#meal-preview li")  # the live preview, before anything is saved
    assert "pindakaas" in p.inner_text("#meal-preview")
    # where the day's bar would move to, before anything is saved
    assert "Vandaag met deze maaltijd: 139 mg van 300 mg" in p.inner_text("#meal-preview")
    projected = p.evaluate("() => document.querySelector('#meal-preview meter').value")
    # 2 slices of 35 g (57.4 mg), 15 g of peanut butter on each (46.2), a Dutch banana of 130 g
    # (35.1): the Dutch portions (data/portions_nl.toml)
    assert projected == pytest.approx(138.7)
    p.click("form[action='/today/meal'] button")
    assert "139 mg" in p.inner_text("#mg-title + p")
    assert "pindakaas" in p.inner_text("ul.meals")

    p.fill("#supplement-label", "magnesium (als citraat) 100 mg")
    p.fill("#supplement-servings", "1.5")
    p.click("form[action='/today/supplement'] button")
    assert "1,5 × 100 mg = 150 mg" in p.inner_text("#supplement-title + ul")
    assert "139 mg" in p.inner_text("#mg-title + p")  # the food total stays food only

    p.fill("#pain", "6")
    p.fill("#stress", "7")
    p.click("form[action='/today/checkin'] button")
    assert p.input_value("#pain") == "6"

    p.goto(f"{base_url}/trends?days=7")
    assert p.locator("svg.chart circle.magnesium").count() == 1
    assert p.locator("svg.chart circle.pain").count() == 1
    assert p.locator("table tbody tr").count() == 7

    p.click("a[hreflang=en]")
    assert p.inner_text("h1") == "Trends"

    p.goto(f"{base_url}/settings")
    with p.expect_download() as download_info:
        p.click("a[href='/api/v1/me/export']")
    exported = json.loads(Path(download_info.value.path()).read_text())
    assert exported["meals"][0]["text"] == "2 sneetjes volkorenbrood met pindakaas en een banaan"
    assert exported["checkins"][0]["pain"] == 6
    assert exported["supplements"][0]["elemental_mg"] == 100
    assert exported["supplements"][0]["servings"] == 1.5

    p.check("input[name=confirm]")
    p.click("button.danger")
    assert p.url.endswith("/welcome")
    assert httpx.get(f"{base_url}/api/v1/me/export").json()["meals"] == []


def test_a_red_flag_heads_every_page(base_url: str, page: Any) -> None:
    p = page
    p.goto(f"{base_url}/triage")
    p.check("input[name=saddle_numbness][value=yes]")
    p.click("button[type=submit]")
    for path in ("/today", "/foods", "/settings"):
        p.goto(f"{base_url}{path}")
        banner = p.locator(".red-flag")
        assert banner.is_visible()
        advice = banner.locator("p").first.inner_text()
        assert advice == render("triage.emergency", "nl")["text"]


def test_logging_a_meal_and_checking_in_work_without_javascript(
    base_url: str, page_without_javascript: Any
) -> None:
    p = page_without_javascript
    p.goto(f"{base_url}/today")
    p.fill("#text", "30 gram amandelen")
    p.click("form[action='/today/meal'] button")
    assert "80 mg" in p.inner_text("#mg-title + p")
    assert p.inner_text("#meal-preview") == ""
    p.fill("#pain", "4")
    p.click("form[action='/today/checkin'] button")
    assert p.input_value("#pain") == "4"


SERVER_SECRET = "e2e-secret-0123456789-abcdefghijklmnopqrstuv"


@pytest.fixture
def server_url(tmp_path: Path) -> Iterator[str]:
    log = tmp_path / "serve.log"
    settings = {"RUGWIJZER_MODE": "server", "RUGWIJZER_SECRET_KEY": SERVER_SECRET}
    try:
        with local_server(tmp_path / "data", log=log, extra_env=settings) as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


def test_server_mode_register_log_out_and_back_in(server_url: str, page: Any) -> None:
    p = page
    p.goto(f"{server_url}/today")
    assert "/login?next=/today" in p.url
    p.click("main a[href='/register']")
    p.fill("#email", "anna@example.org")
    p.fill("#password", "correct horse battery")
    p.fill("#password_again", "correct horse battery")
    p.click("main button[type=submit]")
    # registration answers alike for new and taken addresses, so it signs nobody in: log in
    assert p.url.endswith("/login?next=/welcome&registered=true")
    assert "Had dit e-mailadres nog geen account" in p.inner_text("main")
    p.fill("#email", "anna@example.org")
    p.fill("#password", "correct horse battery")
    p.click("main button[type=submit]")
    assert p.url.endswith("/welcome")  # signed in: the session cookie works in the browser
    p.fill("#birth_year", "1980")
    p.check("input[name=sex][value=male]")
    p.click("main button[type=submit]")
    p.goto(f"{server_url}/today")
    p.fill("#text", "30 gram amandelen")
    p.click("form[action='/today/meal'] button")
    assert "80 mg" in p.inner_text("#mg-title + p")

    p.click("form[action='/logout'] button")
    assert p.url.endswith("/login")
    p.goto(f"{server_url}/trends")
    assert "/login?next=/trends" in p.url
    p.fill("#email", "anna@example.org")
    p.fill("#password", "wrong password!")
    p.click("main button[type=submit]")
    assert "Onjuist e-mailadres of wachtwoord." in p.inner_text("main")
    p.fill("#password", "correct horse battery")
    p.click("main button[type=submit]")
    assert p.url.endswith("/trends")
    p.goto(f"{server_url}/today")
    assert "80 mg" in p.inner_text("#mg-title + p")
    for path in ("/today", "/settings"):  # with the log-out button in the navigation
        p.goto(f"{server_url}{path}")
        assert p.evaluate(CONTRAST_PROBLEMS_JS) == [], path


def test_choose_an_alternative_food(base_url: str, page: Any) -> None:
    p = page
    p.goto(f"{base_url}/today")
    p.fill("#text", "50 g chocolade")
    p.wait_for_selector("#meal-preview li")
    assert "pure chocolade" in p.inner_text("#meal-preview")  # offered before saving, too
    p.click("form[action='/today/meal'] button")
    assert "32 mg" in p.inner_text("#mg-title + p")
    p.fill("#text", "een glas havermelk")
    p.wait_for_function(
        "() => document.querySelector('#meal-preview').textContent.includes('havermelk')"
    )
    assert "Niet in de voedingsgegevens (USDA SR24), dus niet meegeteld: een glas havermelk" in (
        p.inner_text("#meal-preview")
    )
    # A food without a Dutch name keeps its USDA name, marked English (language of parts).
    p.fill("#text", "30 g almond oil")
    p.wait_for_selector("#meal-preview span[lang=en]")
    assert p.inner_text("#meal-preview span[lang=en]") == "Oil, almond"
    p.select_option("select[name=food_id]", "sr24:19904")
    p.click("form[action$='/food'] button")
    assert "114 mg" in p.inner_text("#mg-title + p")
    assert "extra pure chocolade" in p.inner_text("ul.meals")


# Every visible piece of text against what is really behind it, as the browser computed both:
# WCAG 2.2 AA asks 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
CONTRAST_PROBLEMS_JS = """
() => {
  const parse = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
  const channel = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const dark = matchMedia("(prefers-color-scheme: dark)").matches;
  const canvas = dark ? {r: 18, g: 18, b: 18, a: 1} : {r: 255, g: 255, b: 255, a: 1};
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), canvas);
  };
  const problems = [];
  for (const element of document.querySelectorAll("body *")) {
    if (element.closest("svg, .visually-hidden, .skip, script, style, option")) continue;
    const text = Array.from(element.childNodes)
      .filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent.trim()).join("");
    if (!text || !element.getClientRects().length) continue;
    const style = getComputedStyle(element);
    if (style.visibility === "hidden" || Number(style.opacity) === 0) continue;
    const bg = background(element);
    const fg = over(parse(style.color), bg);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const found = ratio(fg, bg);
    if (found < (large ? 3 : 4.5)) {
      problems.push(`${element.tagName.toLowerCase()} "${text.slice(0, 40)}": ${found.toFixed(2)}`);
    }
  }
  return problems;
}
"""

CONTRAST_PAGES = [
    "/today",
    "/trends",
    "/supplements",
    "/stress",
    "/foods?q=amandelen",
    "/triage",
    "/settings",
    "/welcome",
    "/screen",
    "/articles",
    "/articles/food_first",
    "/faq",
    "/claims",
    "/aids?pain_weeks=3&sitting_hours_per_day=8&work=desk&goal=relief",
    "/plan?gap_mg=250&exclude=noten",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_readable_text_in_light_and_dark_mode(base_url: str, scheme: str) -> None:
    with httpx.Client(base_url=f"{base_url}/api/v1") as api:
        api.put("/me/profile", json={"birth_year": 1975, "sex": "female"})
        api.post("/me/meals", json={"text": "50 g chocolade met 5000 g spinazie", "lang": "nl"})
        api.post("/me/supplements", json={"label": "magnesium (als citraat) 400 mg"})  # > UL
        api.post("/me/triage", json={"age": 50, "fever": True})  # a red flag on every page
    for page in _browser_page(javascript=True, color_scheme=scheme):
        for path in CONTRAST_PAGES:
            page.goto(f"{base_url}{path}")
            assert page.locator(".red-flag").count() == 1
            assert page.evaluate(CONTRAST_PROBLEMS_JS) == [], (scheme, path)
        # The checker itself notices faint text (so an empty list above means something).
        page.evaluate(
            "() => { const p = document.createElement('p'); p.textContent = 'faint';"
            " p.style.color = getComputedStyle(document.body).color.replace(')', ', 0.3)')"
            ".replace('rgb(', 'rgba('); document.querySelector('main').append(p); }"
        )
        problems = page.evaluate(CONTRAST_PROBLEMS_JS)
        assert len(problems) == 1
        assert problems[0].startswith('p "faint": ')
        page.goto(f"{base_url}/today")
        page.keyboard.press("Tab")  # the skip link comes first and becomes visible
        focused = page.evaluate(
            "() => { const e = document.activeElement; const s = getComputedStyle(e);"
            " return [e.className, s.outlineStyle, parseFloat(s.outlineWidth),"
            " e.getBoundingClientRect().left >= 0]; }"
        )
        assert focused == ["skip", "solid", 3.0, True], scheme


def test_what_a_screen_reader_is_given(base_url: str, page: Any) -> None:
    """The accessibility tree Chromium hands to screen readers: landmarks, headings, and a
    name for every control, meter, chart and table that Today and Trends show."""
    with httpx.Client(base_url=f"{base_url}/api/v1") as api:
        api.put("/me/profile", json={"birth_year": 1975, "sex": "female"})
        api.post("/me/meals", json={"text": "50 g chocolade", "lang": "nl"})
        api.post("/me/triage", json={"age": 50, "fever": True})
    page.goto(f"{base_url}/today")
    tree = page.locator("body").aria_snapshot()
    for expected in (
        '- link "Naar de inhoud"',
        "- banner:",
        '- navigation "Hoofdmenu":',
        "- 'alert \"Alarmsignalen bij je laatste check: Dringend",  # the red flag, first
        "- main:",
        '- heading "Vandaag" [level=1]',
        '- meter "Magnesium ten opzichte van je streefwaarde"',
        '- table "Ter vergelijking"',
        '- textbox "Beschrijf een maaltijd in je eigen woorden"',
        '- spinbutton "Gram melkchocolade": "50"',
        '- combobox "Voedingsmiddel voor “50 g chocolade”"',
        '- option "extra pure chocolade, 70-85% cacao"',
        '- textbox "Wat staat er op het etiket?"',
        '- spinbutton "Pijn (0-10)"',
        '- group "Krampen vandaag?"',
        '- spinbutton "Stijfheid (0-10)"',
        "- contentinfo:",
    ):
        assert expected in tree, expected
    assert tree.index("- 'alert") < tree.index("- main:")

    today = date.today()
    with httpx.Client(base_url=f"{base_url}/api/v1") as api:
        for back in range(20):  # more points than the chart labels: values show on focus
            day = (today - timedelta(days=back)).isoformat()
            api.put(f"/me/checkins/{day}", json={"pain": 3 + back % 5})
    page.goto(f"{base_url}/trends?days=30")
    tree = page.locator("body").aria_snapshot()
    day_label = format_day(today, "nl", "d MMM")
    for expected in (
        '- navigation "Periode":',
        '- group "Magnesium uit voeding en supplementen (mg)":',
        f'img "{day_label}: Magnesium 32"',  # (food 31.5 mg, the chart shows whole mg)
        '- group "Pijn en stress (0-10)":',
        f'img "{day_label}: Pijn 3"',
        '- table "De waarden achter de grafieken"',
        '- columnheader "Magnesium uit voeding (mg)"',
    ):
        assert expected in tree, expected
    assert "■" not in tree  # the legend's colour squares are not read out
    assert "tick" not in tree

    # With 20 pain points the values are not all printed; focus shows the exact one.
    point = page.locator("svg.chart g.point").filter(has=page.locator("circle.pain")).last
    value = point.locator("text")
    assert not value.is_visible()
    point.focus()
    assert value.is_visible()
    assert value.text_content() == "3"


def test_did_it_help_on_trends_and_the_report_from_settings(
    base_url: str, page: Any, tmp_path: Path
) -> None:
    # six weeks of check-ins, pain 3 points lower for the last three: recorded by the API,
    # the change through the Trends form as a user would
    today = date.today()
    start = today - timedelta(days=20)
    with httpx.Client(base_url=f"{base_url}/api/v1") as api:
        for offset in range(-21, 21):
            day = start + timedelta(days=offset)
            pain = (6 if offset % 2 else 7) - (3 if offset >= 0 else 0)
            answer = api.put(f"/me/checkins/{day.isoformat()}", json={"pain": pain, "stress": 4})
            assert answer.status_code == 200, answer.text
    p = page
    p.goto(f"{base_url}/trends?days=90")
    p.fill("#description", "magnesiumcitraat 200 mg")
    p.fill("#started_on", start.isoformat())
    p.click("form[action='/trends/change'] button")
    effect = p.locator("article.effect").first
    assert (
        effect.locator(".verdict")
        .inner_text()
        .startswith("Beter na de verandering: pijn is 3 punten verbeterd")
    )
    chart = effect.locator("svg.effect-chart")
    assert chart.is_visible()
    assert chart.get_attribute("aria-label")
    # the report for the GP, in Dutch, from Settings
    p.goto(f"{base_url}/settings")
    p.fill("#report-from", (start - timedelta(days=21)).isoformat())
    p.fill("#report-to", today.isoformat())
    with p.expect_download() as download_info:
        p.click("form[action='/report.pdf'] button[type=submit]")
    pdf = tmp_path / "rapport.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "magnesiumcitraat 200 mg" in text
    assert "Beter na de verandering" in text


@pytest.mark.parametrize("width", [390, 1280])
def test_questions_and_claims_read_well_on_a_phone_and_a_laptop(base_url: str, width: int) -> None:
    for page in _browser_page(javascript=True):
        page.set_viewport_size({"width": width, "height": 900})
        for path, first in (("/faq", "#deficiency_symptoms"), ("/claims", "#enzymes_300")):
            page.goto(f"{base_url}{path}")
            assert page.locator(first).is_visible()
            # nothing wider than the screen: no sideways scrolling to read an answer
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
            assert page.locator("section.card").count() >= 10
        # the menu leads to the questions
        page.goto(f"{base_url}/foods")
        page.click("nav a[href='/faq']")
        assert page.url.endswith("/faq")


@pytest.mark.parametrize("width", [390, 1280])
def test_home_start_today_and_an_article_on_a_phone_and_a_laptop(base_url: str, width: int) -> None:
    for page in _browser_page(javascript=True):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base_url)
        assert "magnesium" in page.inner_text("#what")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("#start").is_visible()
        page.click("#start")
        page.fill("#birth_year", "1980")
        page.check("input[name=sex][value=male]")
        page.click("main button[type=submit]")
        page.goto(base_url)  # a returning user lands on Today
        assert page.url.endswith("/today")
        assert page.locator("main meter").count() >= 1
        page.click("nav a[href='/articles']")
        page.click("a[href='/articles/food_first']")
        assert page.locator("main table tbody tr").count() >= 8
        assert page.locator("div.point").count() >= 3
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        page.click("main a[href='/foods']")
        assert page.url.endswith("/foods")

"""End to end in a real browser (Debian's Chromium through Playwright): first run with the
warning-sign check, log a Dutch meal and see the total change, check in, switch language,
download the export, delete everything.

Skips with the reason when Playwright or Chromium is missing (install: apt-get install chromium).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import httpx
import pytest
from scripts.local_server import local_server

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


def _browser_page(javascript: bool) -> Iterator[Any]:
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
        )
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


@pytest.fixture
def page() -> Iterator[Any]:
    yield from _browser_page(javascript=True)


@pytest.fixture
def page_without_javascript() -> Iterator[Any]:
    yield from _browser_page(javascript=False)


def test_first_run_meal_checkin_language_export_delete(base_url: str, page: Any) -> None:
    p = page
    p.goto(base_url)
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
    p.click("form[action='/today/meal'] button")
    assert "138 mg" in p.inner_text("#mg-title + p")
    assert "pindakaas" in p.inner_text("ul.meals")

    p.fill("#supplement-label", "magnesium (als citraat) 100 mg")
    p.fill("#supplement-servings", "1.5")
    p.click("form[action='/today/supplement'] button")
    assert "1,5 × 100 mg = 150 mg" in p.inner_text("#supplement-title + ul")
    assert "138 mg" in p.inner_text("#mg-title + p")  # the food total stays food only

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
        assert "112" in banner.inner_text()


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


def test_choose_an_alternative_food(base_url: str, page: Any) -> None:
    p = page
    p.goto(f"{base_url}/today")
    p.fill("#text", "50 g chocolade")
    p.wait_for_selector("#meal-preview li")
    assert "pure chocolade" in p.inner_text("#meal-preview")  # offered before saving, too
    p.click("form[action='/today/meal'] button")
    assert "32 mg" in p.inner_text("#mg-title + p")
    p.select_option("select[name=food_id]", "sr24:19904")
    p.click("form[action$='/food'] button")
    assert "114 mg" in p.inner_text("#mg-title + p")
    assert "extra pure chocolade" in p.inner_text("ul.meals")

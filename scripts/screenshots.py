"""Take the README screenshots with Debian's Chromium, in light mode at 390x844 (a phone) and
1280x800 (a laptop): the home page as a new visitor sees it (before the profile exists), then
Today, Trends, an article and the questions, from a diary filled with a week of example entries.

Run from the repository root: .venv/bin/python -m scripts.screenshots (writes docs/screenshots,
or the folder in RUGWIJZER_SCREENSHOTS).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import httpx
from playwright.sync_api import Browser, sync_playwright

from scripts.local_server import local_server

OUT = Path(
    os.environ.get(
        "RUGWIJZER_SCREENSHOTS", Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    )
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = ((390, 844), (1280, 800))
#: (file name, address) of the pages shot once the diary is filled
DIARY_PAGES = (
    ("today", "/today"),
    ("trends", "/trends?days=7"),
    ("article", "/articles/magnesium_in_the_body"),
    ("faq", "/faq"),
)
MEALS = [
    "havermout 40 g met 200 ml halfvolle melk en een banaan",
    "2 sneetjes volkorenbrood met pindakaas",
    "een handje amandelen",
    "150 g zalm met 200 g gekookte aardappelen en 150 g broccoli",
]


def shoot(browser: Browser, base: str, pages: Sequence[tuple[str, str]]) -> None:
    """Each page at each size, light mode, as OUT/<name>-<width>x<height>.png."""
    for width, height in SIZES:
        page = browser.new_page(viewport={"width": width, "height": height}, color_scheme="light")
        for name, path in pages:
            page.goto(base + path)
            page.screenshot(path=str(OUT / f"{name}-{width}x{height}.png"))
        page.close()


def fill_diary(api: httpx.Client) -> None:
    """A profile and a week of meals and check-ins, with one change three days ago."""
    api.put("/me/profile", json={"birth_year": 1975, "sex": "female"})
    today = date.today()
    for back in range(6, -1, -1):
        day = (today - timedelta(days=back)).isoformat()
        for meal in MEALS[: 2 + back % 3]:
            api.post("/me/meals", json={"text": meal, "date": day, "lang": "nl"})
        api.put(f"/me/checkins/{day}", json={"pain": 3 + (back * 3) % 5, "stress": 2 + back % 4})
    api.post(
        "/me/changes",
        json={
            "description": "magnesiumglycerofosfaat",
            "started_on": (today - timedelta(days=3)).isoformat(),
        },
    )


def main() -> None:
    data = Path(tempfile.mkdtemp(prefix="rugwijzer-shots-"))
    OUT.mkdir(parents=True, exist_ok=True)
    with local_server(data) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        shoot(browser, base, [("home", "/")])  # a first visit: no profile yet
        with httpx.Client(base_url=f"{base}/api/v1", timeout=30) as api:
            fill_diary(api)
        shoot(browser, base, DIARY_PAGES)
        browser.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()

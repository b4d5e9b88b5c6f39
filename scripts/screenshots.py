"""Take the README screenshots (Today and Trends at 390x844 and 1280x800) with Debian's
Chromium, from a diary filled with a week of example entries.

Run from the repository root: .venv/bin/python -m scripts.screenshots (writes docs/screenshots).
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from scripts.local_server import local_server

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MEALS = [
    "havermout 40 g met 200 ml halfvolle melk en een banaan",
    "2 sneetjes volkorenbrood met pindakaas",
    "een handje amandelen",
    "150 g zalm met 200 g gekookte aardappelen en 150 g broccoli",
]


def main() -> None:
    data = Path(tempfile.mkdtemp(prefix="rugwijzer-shots-"))
    with local_server(data) as base:
        api = httpx.Client(base_url=f"{base}/api/v1", timeout=30)
        api.put("/me/profile", json={"birth_year": 1975, "sex": "female"})
        today = date.today()
        for back in range(6, -1, -1):
            day = (today - timedelta(days=back)).isoformat()
            for meal in MEALS[: 2 + back % 3]:
                api.post("/me/meals", json={"text": meal, "date": day, "lang": "nl"})
            api.put(
                f"/me/checkins/{day}", json={"pain": 3 + (back * 3) % 5, "stress": 2 + back % 4}
            )
        api.post(
            "/me/changes",
            json={
                "description": "magnesiumglycerofosfaat",
                "started_on": (today - timedelta(days=3)).isoformat(),
            },
        )
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            for width, height in ((390, 844), (1280, 800)):
                page = browser.new_page(viewport={"width": width, "height": height})
                for name, path in (("today", "/today"), ("trends", "/trends?days=7")):
                    page.goto(base + path)
                    page.screenshot(path=str(OUT / f"{name}-{width}x{height}.png"))
                page.close()
            browser.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()

"""The layout in a real browser (Debian's Chromium): every page fits a 390 px phone without
sideways scrolling, forms put each label above its field (two columns where there is room), and
the magnesium meter is the first and largest thing on Today.

Skips like test_browser.py when Playwright or Chromium is missing.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.test_browser import _browser_page, base_url  # noqa: F401 (a fixture)

PAGES = [
    "/",
    "/welcome",
    "/today",
    "/trends?days=7",
    "/supplements",
    "/stress",
    "/foods?q=amandelen",
    "/triage",
    "/screen",
    "/settings",
    "/articles",
    "/faq",
    "/claims",
    "/aids?pain_weeks=3&sitting_hours_per_day=8&work=desk&goal=relief",
    "/plan?gap_mg=250&exclude=noten",
]

# For each .field of each grid form: is its label above its field and no wider than the form?
FIELDS_JS = """
() => Array.from(document.querySelectorAll("form.form-grid .field")).map((field) => {
  const label = field.querySelector("label"), box = field.querySelector("input, select, textarea");
  if (!label || !box) return null;
  const l = label.getBoundingClientRect(), b = box.getBoundingClientRect();
  const form = field.closest("form").getBoundingClientRect();
  return {id: box.id, above: l.bottom <= b.top + 1, inside: b.right <= form.right + 1,
          top: Math.round(b.top), left: Math.round(b.left)};
}).filter(Boolean)
"""


@pytest.mark.parametrize("width", [390, 1280])
def test_every_page_fits_the_screen_and_labels_sit_above_fields(base_url: str, width: int) -> None:  # noqa: F811
    with httpx.Client(base_url=f"{base_url}/api/v1") as api:
        api.put("/me/profile", json={"birth_year": 1975, "sex": "female"})
        api.post("/me/meals", json={"text": "2 sneetjes volkorenbrood met pindakaas", "lang": "nl"})
        api.post("/me/supplements", json={"label": "magnesium (als citraat) 100 mg"})
    for page in _browser_page(javascript=True):
        page.set_viewport_size({"width": width, "height": 900})
        for path in PAGES:
            page.goto(f"{base_url}{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
            for field in page.evaluate(FIELDS_JS):
                assert field["above"], (path, width, field)
                assert field["inside"], (path, width, field)


def _field_boxes(page: Any) -> dict[str, dict[str, int]]:
    return {field["id"]: field for field in page.evaluate(FIELDS_JS)}


@pytest.mark.parametrize("width", [390, 1280])
def test_short_fields_pair_up_and_long_ones_take_the_row(base_url: str, width: int) -> None:  # noqa: F811
    with httpx.Client(base_url=f"{base_url}/api/v1") as api:
        api.put("/me/profile", json={"birth_year": 1975, "sex": "female"})
    for page in _browser_page(javascript=True):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base_url}/today")
        boxes = _field_boxes(page)
        # pain and stress (0-10) side by side on a phone as on a laptop
        assert boxes["pain"]["top"] == boxes["stress"]["top"]
        assert boxes["pain"]["left"] < boxes["stress"]["left"]
        # the note takes a row of its own
        assert boxes["note"]["top"] > boxes["minutes_active"]["top"]
        assert boxes["note"]["left"] == boxes["pain"]["left"]
        page.goto(f"{base_url}/welcome")
        boxes = _field_boxes(page)
        medicines, exclusions = boxes["medicines"], boxes["diet_exclusions"]
        if width == 390:  # one column on a phone
            assert medicines["left"] == exclusions["left"]
            assert medicines["top"] < exclusions["top"]
        else:  # two on a laptop
            assert medicines["top"] == exclusions["top"]
            assert medicines["left"] < exclusions["left"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_magnesium_meter_leads_today(base_url: str, scheme: str) -> None:  # noqa: F811
    with httpx.Client(base_url=f"{base_url}/api/v1") as api:
        api.put("/me/profile", json={"birth_year": 1975, "sex": "female"})
        api.post("/me/meals", json={"text": "een handje amandelen", "lang": "nl"})
    for page in _browser_page(javascript=True, color_scheme=scheme):
        for width, height in ((390, 844), (1280, 800)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{base_url}/today")
            meter = page.locator("section[aria-labelledby='mg-title'] meter")
            figure = page.locator("#mg-title + p strong")
            box, main = meter.bounding_box(), page.locator("main").bounding_box()
            assert box is not None
            assert main is not None
            assert box["width"] >= 0.6 * main["width"], width  # wide
            assert box["height"] >= 24, width  # and tall
            assert box["y"] + box["height"] <= height, width  # seen without scrolling
            size = float(figure.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
            assert size >= 32, width  # the day's figure is the largest text below the title
            # the meal box follows on the first screen of a laptop
            if width == 1280:
                text_box = page.locator("#text").bounding_box()
                assert text_box is not None
                assert text_box["y"] + text_box["height"] <= height

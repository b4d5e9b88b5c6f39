"""The aids widget in a shop's iframe, in a real browser (Debian's Chromium through Playwright).

Two small "shop" sites run on other loopback ports than Rugwijzer (other origins, as a shop's
site is): one is in RUGWIJZER_EMBED_ORIGINS, the other is not. From the first the widget renders
in its frame, with the shop's colour and logo, and its form works inside the frame; from the
second Chromium refuses the frame (CSP frame-ancestors), and no other page of Rugwijzer may be
framed by either.

Skips with the reason when Playwright or Chromium is missing (install: apt-get install chromium).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlencode

import pytest
from scripts.local_server import LOOPBACK, local_server

from tests.e2e.test_browser import CONTRAST_PROBLEMS_JS, _browser_page

SHOP_NAME = "Rugshop"
SHOP_COLOUR = "#ffcc00"  # yellow: the text on it must turn black
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="24" viewBox="0 0 80 24">'
    '<rect width="80" height="24" fill="#1f4e99"/></svg>'
)
ANSWERS = {
    "lang": "nl",
    "pain_weeks": "2",
    "sitting_hours_per_day": "8",
    "work": "desk",
    "goal": "relief",
}


class _ShopHandler(BaseHTTPRequestHandler):
    """A shop's page: its own heading and Rugwijzer's pages in iframes (paths from `frames`)."""

    frames: ClassVar[dict[str, str]] = {}  # iframe id → address; set per server

    def do_GET(self) -> None:  # the name http.server calls
        iframes = "".join(
            f'<iframe id="{frame_id}" title="{frame_id}" src="{src}" width="390" height="700">'
            "</iframe>"
            for frame_id, src in self.frames.items()
        )
        body = f"<!doctype html><title>{SHOP_NAME}</title><h1>{SHOP_NAME}</h1>{iframes}".encode()
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet


@dataclass
class Shop:
    """A shop's site on its own loopback port."""

    server: ThreadingHTTPServer
    handler: type[_ShopHandler]

    @property
    def origin(self) -> str:
        return f"http://{LOOPBACK}:{self.server.server_address[1]}"


@pytest.fixture
def shops() -> Iterator[tuple[Shop, Shop]]:
    """Two shops: (allowed, other). Each gets its own handler class for its frames."""
    started = []
    for _ in range(2):
        handler = type("Handler", (_ShopHandler,), {"frames": {}})
        server = ThreadingHTTPServer((LOOPBACK, 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(Shop(server, handler))
    try:
        yield started[0], started[1]
    finally:
        for shop in started:
            shop.server.shutdown()
            shop.server.server_close()


@pytest.fixture
def rugwijzer(tmp_path: Path, shops: tuple[Shop, Shop]) -> Iterator[str]:
    """Rugwijzer with the first shop's origin allowed to frame the widget, and its branding."""
    allowed, _ = shops
    logo = tmp_path / "logo.svg"
    logo.write_text(LOGO, encoding="utf-8")
    environment = {
        "RUGWIJZER_EMBED_ORIGINS": json.dumps([allowed.origin]),
        "RUGWIJZER_SHOP_NAME": SHOP_NAME,
        "RUGWIJZER_SHOP_COLOUR": SHOP_COLOUR,
        "RUGWIJZER_SHOP_LOGO": str(logo),
    }
    try:
        with local_server(
            tmp_path / "data", log=tmp_path / "serve.log", extra_env=environment
        ) as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def page() -> Iterator[Any]:
    yield from _browser_page(javascript=True)


def _widget(rugwijzer: str, **answers: str) -> str:
    return f"{rugwijzer}/embed/aids?{urlencode({**ANSWERS, **answers})}"


def _frame_url(page: Any, selector: str) -> str:
    """Where the iframe's document came from (Chromium's error page for a refused frame)."""
    url: str = page.locator(selector).element_handle().content_frame().url
    return url


def _watch_console(page: Any) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    return messages


def test_the_widget_renders_in_a_frame_on_an_allowed_shop(
    rugwijzer: str, shops: tuple[Shop, Shop], page: Any
) -> None:
    allowed, _ = shops
    allowed.handler.frames = {"advice": _widget(rugwijzer), "today": f"{rugwijzer}/today"}
    console = _watch_console(page)
    page.goto(allowed.origin)
    frame = page.frame_locator("#advice")
    assert frame.locator("h1").inner_text() == (
        f"Hulpmiddelen bij rugpijn: advies voor bezoekers van {SHOP_NAME}"
    )
    assert frame.locator("#aid-heat_wrap .verdict").inner_text() == "het overwegen waard"
    assert frame.locator("#aid-lumbar_support .verdict").inner_text() == "niet aanbevolen"
    # the shop's colour with black text on it (yellow), from the widget's own style sheets
    band = frame.locator("header.shop")
    assert band.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 204, 0)"
    assert band.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    # the logo, served by Rugwijzer, loads under the widget's img-src 'self'
    assert frame.locator("img.logo").evaluate("e => e.complete && e.naturalWidth") == 80
    assert not [m for m in console if "Content Security Policy" in m and "/embed/" in m]
    # Rugwijzer's other pages stay out of frames, also on an allowed shop
    page.wait_for_timeout(200)
    assert _frame_url(page, "#today").startswith("chrome-error://")
    assert page.frame_locator("#today").locator("nav").count() == 0
    assert any("frame-ancestors 'none'" in m for m in console), console

    # the form works inside the frame (a GET to Rugwijzer; no cookie needed)
    frame.locator("details.answers > summary").click()
    frame.locator("input[name=major_trauma][value=yes]").check()
    frame.locator("form.questions button[type=submit]").click()
    frame.locator(".referral").wait_for()
    assert frame.locator("#referral-title").inner_text() == "Spoed: zoek nu hulp"
    assert frame.locator(".products").count() == 0
    assert page.url == f"{allowed.origin}/"  # the shop's page stayed where it was


def test_the_widget_is_refused_on_a_shop_that_is_not_allowed(
    rugwijzer: str, shops: tuple[Shop, Shop], page: Any
) -> None:
    _, other = shops
    other.handler.frames = {"advice": _widget(rugwijzer)}
    console = _watch_console(page)
    page.goto(other.origin)
    page.wait_for_timeout(200)
    # not the widget: Chromium's own error page in its place
    assert _frame_url(page, "#advice").startswith("chrome-error://")
    assert page.frame_locator("#advice").locator("header.shop").count() == 0
    refusals = [m for m in console if "frame-ancestors" in m]
    assert refusals, console
    assert other.origin not in refusals[0]
    # the same address opened on its own still works: only framing is refused
    page.goto(_widget(rugwijzer))
    assert page.locator("h1").inner_text().startswith("Hulpmiddelen bij rugpijn")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_widget_has_readable_text_in_the_frame(
    rugwijzer: str, shops: tuple[Shop, Shop], scheme: str
) -> None:
    allowed, _ = shops
    allowed.handler.frames = {
        "advice": _widget(rugwijzer, lang="en"),
        "red-flag": _widget(rugwijzer, fever="yes"),
        "error": _widget(rugwijzer, pain_weeks="many"),
    }
    for page in _browser_page(javascript=True, color_scheme=scheme):
        page.goto(allowed.origin)
        for frame_id in allowed.handler.frames:
            frame = page.frame_locator(f"#{frame_id}")
            frame.locator("h1").wait_for()
            problems = frame.locator("html").evaluate(f"_ => ({CONTRAST_PROBLEMS_JS})()")
            assert problems == [], (scheme, frame_id)
        # the checker notices faint text inside a frame too (so the empty lists mean something)
        faint = page.frame_locator("#advice").locator("h1")
        faint.evaluate("e => { e.style.color = 'rgba(0, 0, 0, 0.2)'; }")
        problems = faint.evaluate(f"_ => ({CONTRAST_PROBLEMS_JS})()")
        assert len(problems) == 1
        assert problems[0].startswith('h1 "Aids for back pain')

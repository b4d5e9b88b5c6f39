"""The aids widget's pure parts: which warning signs it asks, the text colour on the shop's
colour, the settings it refuses, and the access log without answers."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import ValidationError

from rugwijzer.domain.triage import QUESTIONS, Urgency, triage
from rugwijzer.settings import Settings
from rugwijzer.web.embed import (
    WARNING_SIGNS,
    QueryFreeAccessLog,
    contrast_ratio,
    readable_text_colour,
)

SHOP = "https://shop.example.nl"


def test_the_widget_asks_every_sign_that_alone_is_urgent() -> None:
    alone_urgent = {
        q.key
        for q in QUESTIONS
        if q.kind == "yes_no" and triage({q.key: True}).urgency >= Urgency.URGENT
    }
    assert set(WARNING_SIGNS) == alone_urgent


def test_the_access_log_keeps_no_answers() -> None:
    def logged(path: str) -> str:
        record = logging.LogRecord(
            "uvicorn.access",
            logging.INFO,
            __file__,
            1,
            '%s - "%s %s HTTP/%s" %d',
            ("127.0.0.1:5000", "GET", path, "1.1", 200),
            None,
        )
        assert QueryFreeAccessLog().filter(record)
        return record.getMessage()

    assert (
        logged("/embed/aids?lang=nl&fever=yes") == '127.0.0.1:5000 - "GET /embed/aids HTTP/1.1" 200'
    )
    assert "q=amandelen" in logged("/foods?q=amandelen")  # other pages as before


@pytest.mark.parametrize(
    ("colour", "text_colour"),
    [
        ("#ffcc00", "#000000"),
        ("#0b6e4f", "#ffffff"),
        ("#1f4e99", "#ffffff"),
        ("#ffffff", "#000000"),
    ],
)
def test_black_or_white_text_by_contrast(colour: str, text_colour: str) -> None:
    assert readable_text_colour(colour) == text_colour


def test_any_shop_colour_gets_text_readable_at_aa() -> None:
    steps = range(0, 256, 17)
    for red in steps:
        for green in steps:
            for blue in steps:
                colour = f"#{red:02x}{green:02x}{blue:02x}"
                assert contrast_ratio(readable_text_colour(colour), colour) >= 4.5, colour


@pytest.mark.parametrize("name", ["logo.gif", "logo.html", "logo"])
def test_a_logo_that_is_not_png_jpeg_or_svg_is_refused_at_start(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValidationError, match="PNG, JPEG or SVG"):
        Settings(data_dir=tmp_path, shop_logo=tmp_path / name)


@pytest.mark.parametrize(
    "origin",
    [
        "shop.example.nl",
        "https://shop.example.nl/embed",
        "https://shop.example.nl; script-src *",
        "https://shop.example.nl https://evil.example",
        "'self'",
        "*",
        "ftp://shop.example.nl",
    ],
)
def test_an_embed_origin_must_be_an_origin(tmp_path: Path, origin: str) -> None:
    with pytest.raises(ValidationError, match="RUGWIJZER_EMBED_ORIGINS"):
        Settings(data_dir=tmp_path, embed_origins=[origin])


def test_embed_origins_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "RUGWIJZER_EMBED_ORIGINS", f'["{SHOP}/", "http://127.0.0.1:8001", "https://*.example.org"]'
    )
    settings = Settings(data_dir=tmp_path)
    assert settings.embed_origins == [SHOP, "http://127.0.0.1:8001", "https://*.example.org"]

"""Printing the report: nothing is fetched while rendering (no network, no file outside the
package), the parts in another language are marked, and a long, busy diary stays within six
pages. The diary is built through the services on SQLite with a fixed clock."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from rugwijzer.domain.diary import ChangeInput, CheckInInput
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.i18n import format_day
from rugwijzer.services.diary import Diary, open_diary
from rugwijzer.store.engine import make_engine, make_session_factory, transaction
from rugwijzer.store.migrate import upgrade
from rugwijzer.store.models import Assessment
from rugwijzer.web import report as report_module
from rugwijzer.web.report import (
    WEB_FOLDER,
    PackageOnlyFetcher,
    RefusedURLError,
    print_pdf,
    report_html,
    report_pdf,
)
from tests.html_text import language_runs, other_language
from tests.pdf_text import pdf_pages, pdf_text

TODAY = date(2026, 11, 30)


@pytest.fixture
def diary(tmp_path: Path, food_db: FoodDatabase) -> Iterator[Diary]:
    engine = make_engine(f"sqlite:///{tmp_path / 'rugwijzer.db'}")
    upgrade(engine)
    yield open_diary(make_session_factory(engine), food_db, today=lambda: TODAY)
    engine.dispose()


def _fill(diary: Diary, days: int, changes: list[tuple[int, str]], checks: int = 1) -> int:
    """A profile, a check-in every day for `days` days up to today, a meal and a supplement
    every other day, `changes` (day offset, description), and `checks` warning-sign checks
    (the last finds a fever, every third one before it none)."""
    user = diary.profiles.ensure_local_user()
    diary.profiles.set_profile(
        user, {"birth_year": 1968, "sex": "female", "medicines": ["omeprazol"]}
    )
    first = TODAY - timedelta(days=days - 1)
    for offset in range(days):
        day = first + timedelta(days=offset)
        diary.entries.check_in(
            user, CheckInInput(day=day, pain=3 + offset % 5, stress=2 + offset % 4)
        )
        if offset % 2 == 0:
            diary.entries.log_meal(user, "30 g amandelen", day=day, lang="nl")
            diary.entries.log_supplement(user, {"name": "citraat", "elemental_mg": 150}, day=day)
    for offset, description in changes:
        diary.entries.record_change(user, ChangeInput(description, first + timedelta(days=offset)))
    urgent = {
        "urgency": "urgent",
        "advice": {"key": "triage.urgent"},
        "reasons": [{"key": "fever"}],
        "unknown": [],
    }
    nothing = {"urgency": "none", "advice": {"key": "triage.none"}, "reasons": [], "unknown": []}
    for number in range(checks):
        found = number == checks - 1 or number % 3
        answers = {"age": 58, "fever": bool(found)}
        check = diary.entries.record_assessment(
            user, "triage", answers, urgent if found else nothing
        )
        # the database stamps a check with its own clock; put it on TODAY like everything
        # else here, a second apart in the order recorded (after midnight it fell outside)
        with transaction(diary.reports.sessions) as session:
            session.execute(
                update(Assessment)
                .where(Assessment.id == check)
                .values(
                    created_at=datetime.combine(TODAY, time(12), UTC) + timedelta(seconds=number)
                )
            )
    return user


# --- nothing is fetched ---------------------------------------------------------------------


def test_the_fetcher_reads_only_files_of_the_package() -> None:
    fetcher = PackageOnlyFetcher()
    template = WEB_FOLDER / "templates" / "report.html"
    assert fetcher.path_of(template.as_uri()) == template
    for url in (
        "http://example.org/style.css",
        "https://example.org/font.woff2",
        "ftp://example.org/x.png",
        "data:text/css,body{}",
        "file:///etc/passwd",
        (WEB_FOLDER / ".." / ".." / ".." / "pyproject.toml").resolve().as_uri(),
        (WEB_FOLDER / "no-such-file.css").as_uri(),
        "file://example.org" + str(template),  # a file on another host
    ):
        with pytest.raises(RefusedURLError):
            fetcher(url)
    assert len(fetcher.refused) == 8


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every attempt to reach the network is recorded and fails."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("the network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def test_the_trap_catches_a_request(no_network: list[Any]) -> None:
    with pytest.raises(OSError, match="network is off"):
        urllib.request.urlopen("http://example.org/", timeout=1)
    assert no_network


def test_printing_refuses_what_a_document_links_to(no_network: list[Any]) -> None:
    stylesheet = (WEB_FOLDER / "static" / "site.css").as_uri()
    html = f"""<!doctype html><html lang="en"><head>
      <link rel="stylesheet" href="https://example.org/remote.css">
      <link rel="stylesheet" href="{stylesheet}">
      <style>@import url("http://example.org/imported.css");
        @font-face {{ font-family: Remote; src: url("https://example.org/remote.woff2"); }}
        body {{ font-family: Remote, "DejaVu Sans"; background: url("file:///etc/hostname"); }}
      </style></head>
      <body><p>Words to print.</p><img src="http://example.org/pixel.png" alt="pixel">
      <object data="https://example.org/page.html"></object></body></html>"""
    asked: list[str] = []

    class Recording(PackageOnlyFetcher):
        def __call__(self, url: str) -> Any:
            asked.append(url)
            return super().__call__(url)

    fetcher = Recording()
    pdf = print_pdf(html, fetcher)
    assert "Words to print." in pdf_text(pdf)
    assert no_network == []
    assert stylesheet in asked
    assert set(fetcher.refused) >= {
        "https://example.org/remote.css",
        "http://example.org/imported.css",
        "https://example.org/remote.woff2",
        "file:///etc/hostname",
        "http://example.org/pixel.png",
    }
    assert stylesheet not in fetcher.refused  # the package's own file was read


def test_a_report_fetches_nothing(
    diary: Diary, no_network: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = _fill(diary, 42, [(21, '<img src="http://example.org/track.png"> nieuwe stoel')])
    asked: list[str] = []

    class Recording(PackageOnlyFetcher):
        def __call__(self, url: str) -> Any:
            asked.append(url)
            return super().__call__(url)

    monkeypatch.setattr(report_module, "PackageOnlyFetcher", Recording)
    view = diary.reports.report(user, TODAY - timedelta(days=41), TODAY, lang="nl")
    text = pdf_text(report_pdf(view))
    assert '<img src="http://example.org/track.png"> nieuwe stoel' in text  # shown, not loaded
    assert asked == []
    assert no_network == []


# --- languages and length -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_report_speaks_its_language_and_marks_the_other(diary: Diary, lang: str) -> None:
    user = _fill(diary, 42, [(21, "magnesium 's avonds" if lang == "nl" else "a new chair")])
    html = report_html(diary.reports.report(user, TODAY - timedelta(days=41), TODAY, lang=lang))
    assert f'<html lang="{lang}">' in html
    assert "<script" not in html
    unmarked = [
        text
        for text, marked in language_runs(html)
        if marked in ("", lang) and other_language(text, lang)
    ]
    assert unmarked == []
    if lang == "nl":  # the English source titles and the target's source are marked
        assert any(marked == "en" for _text, marked in language_runs(html))


def test_two_busy_years_fit_on_six_pages(diary: Diary) -> None:
    changes = [
        (offset, f"verandering {number}") for number, offset in enumerate(range(18, 731, 18))
    ]
    user = _fill(diary, 731, changes, checks=30)
    view = diary.reports.report(user, TODAY - timedelta(days=730), TODAY, lang="nl")
    assert len(view.effects) == len(changes) == 40
    assert [check.urgency for check in view.warning_signs] == ["urgent"] * 5
    assert view.warning_signs_left_out == 25
    assert view.trend.block_days == 28
    pdf = report_pdf(view)
    assert 1 <= pdf_pages(pdf) <= 6
    text = pdf_text(pdf)
    # the oldest 8 left out, 24 in a line each, the 8 most recent in full, 4 with a chart
    first = TODAY - timedelta(days=730)
    for number, (offset, description) in enumerate(changes):
        started = format_day(first + timedelta(days=offset), "nl", "medium")
        listed = f"{description} {started} "  # a line of the table
        assert (listed in text) == (8 <= number < 32), description
        assert description in text or number < 8
    assert "8 veranderingen daarvoor zijn weggelaten." in text
    assert "Eerdere veranderingen in deze periode, in het kort" in text
    assert text.count("Gemiddelde pijn ervoor:") == 8
    assert report_html(view).count('class="chart effect-chart"') == 4


def test_a_check_from_before_the_period_is_shown_as_such(diary: Diary) -> None:
    user = _fill(diary, 42, [])
    earlier = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    with transaction(diary.reports.sessions) as session:
        session.execute(update(Assessment).values(created_at=earlier))
    view = diary.reports.report(user, TODAY - timedelta(days=41), TODAY, lang="nl")
    (check,) = view.warning_signs
    assert (check.recorded_on, check.in_period, check.urgency) == (earlier.date(), False, "urgent")
    text = pdf_text(report_pdf(view))
    assert "Controle van 1 juni 2026 (vóór deze periode): Dringend: neem vandaag contact op" in text
    before = diary.reports.report(user, date(2026, 5, 1), date(2026, 5, 31), lang="nl")
    assert before.warning_signs == []  # a check after the period is not in it


def test_printing_hands_the_freed_memory_back(monkeypatch: pytest.MonkeyPatch) -> None:
    # WeasyPrint's heaps are trimmed once the PDF is out, inside the print lock
    released: list[bool] = []
    monkeypatch.setattr(
        report_module, "release_freed_memory", lambda: released.append(True) or True
    )
    pdf = print_pdf("<html><body><p>Trimmed.</p></body></html>")
    assert "Trimmed." in pdf_text(pdf)
    assert released == [True]

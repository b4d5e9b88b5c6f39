"""Printing the report: nothing is fetched while rendering (no network, no file outside the
package), the parts in another language are marked, and a long, busy diary stays within six
pages. The diary is built through the services on SQLite with a fixed clock."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from rugwijzer.domain.diary import ChangeInput, CheckInInput
from rugwijzer.errors import UnavailableError
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.i18n import format_day
from rugwijzer.messages import Code
from rugwijzer.services.diary import Diary, open_diary
from rugwijzer.store.engine import make_engine, make_session_factory, transaction
from rugwijzer.store.migrate import upgrade
from rugwijzer.store.models import Assessment
from rugwijzer.web import pdf_printer
from rugwijzer.web.pdf_printer import (
    WEB_FOLDER,
    PackageOnlyFetcher,
    Printer,
    PrintFailedError,
    RefusedURLError,
    print_here,
    print_pdf,
)
from rugwijzer.web.report import PRINT_RETRY_AFTER_SECONDS, report_html, report_pdf
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
    pdf = print_here(html, fetcher)
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
    # printed here, as the child prints it: with the package-only fetcher it makes itself
    user = _fill(diary, 42, [(21, '<img src="http://example.org/track.png"> nieuwe stoel')])
    asked: list[str] = []

    class Recording(PackageOnlyFetcher):
        def __call__(self, url: str) -> Any:
            asked.append(url)
            return super().__call__(url)

    monkeypatch.setattr(pdf_printer, "PackageOnlyFetcher", Recording)
    view = diary.reports.report(user, TODAY - timedelta(days=41), TODAY, lang="nl")
    text = pdf_text(print_here(report_html(view)))
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


# --- printing in a child process ------------------------------------------------------------


def test_a_report_prints_in_a_child_and_the_app_never_loads_weasyprint(diary: Diary) -> None:
    user = _fill(diary, 42, [(21, "nieuwe stoel")])
    view = diary.reports.report(user, TODAY - timedelta(days=41), TODAY, lang="nl")
    assert "nieuwe stoel" in pdf_text(report_pdf(view))
    # in a fresh interpreter, as a worker is: the PDF comes back, WeasyPrint stays out
    program = (
        "import sys\n"
        "from rugwijzer.web.pdf_printer import print_pdf\n"
        "pdf = print_pdf('<html><body><p>Uit een eigen proces.</p></body></html>')\n"
        "sys.stdout.buffer.write(pdf)\n"
        "sys.exit(3 if 'weasyprint' in sys.modules else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert "Uit een eigen proces." in pdf_text(done.stdout)


@pytest.fixture
def printer(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], Printer]]:
    """Puts a printer whose child runs `program` in the app's place; stops its ready child."""
    made: list[Printer] = []

    def make(program: str) -> Printer:
        made.append(Printer([sys.executable, "-c", program]))
        monkeypatch.setattr(pdf_printer, "PRINTER", made[-1])
        return made[-1]

    yield make
    for each in made:
        each.close()


#: A child that answers with its process id as the document, after its own warm-up.
PID_PRINTER = "import os, sys; sys.stdin.read(); sys.stdout.write(f'%PDF-{os.getpid()}')"


def test_the_next_document_goes_to_the_child_made_ready(
    printer: Callable[[str], Printer],
) -> None:
    made = printer(PID_PRINTER)
    first = print_pdf("<p>Een.</p>")
    ready = made._ready
    assert ready is not None
    assert ready.poll() is None  # started, waiting for its document
    assert print_pdf("<p>Twee.</p>") == f"%PDF-{ready.pid}".encode()
    assert first != f"%PDF-{ready.pid}".encode()
    # a ready child that died is not used: a new one prints
    assert made._ready is not None
    made._ready.kill()
    made._ready.wait()
    assert print_pdf("<p>Drie.</p>").startswith(b"%PDF-")
    waiting = made._ready
    made.close()
    assert waiting is not None
    assert waiting.poll() is not None  # stopped, not left behind
    assert made._ready is None


@pytest.mark.parametrize(
    ("program", "reason"),
    [
        ("import sys; sys.stdin.read(); sys.exit(3)", "exited with status 3"),
        ("import os, signal; os.kill(os.getpid(), signal.SIGKILL)", "exited with status -9"),
        ("import sys; sys.stdin.read(); print('<html>')", "something other than a PDF"),
    ],
)
def test_a_child_without_a_pdf_is_a_failed_print(
    printer: Callable[[str], Printer], program: str, reason: str
) -> None:
    printer(program)
    with pytest.raises(PrintFailedError, match=reason):
        print_pdf("<p>Niet gedrukt.</p>")


def test_a_child_that_hangs_is_stopped(printer: Callable[[str], Printer]) -> None:
    printer("import time; time.sleep(30)")
    with pytest.raises(PrintFailedError, match=r"no PDF within 0\.5 s"):
        print_pdf("<p>Niet gedrukt.</p>", timeout_s=0.5)


def test_a_failed_print_is_worth_another_try_and_says_nothing_of_the_diary(
    diary: Diary, printer: Callable[[str], Printer], caplog: pytest.LogCaptureFixture
) -> None:
    user = _fill(diary, 14, [])
    view = diary.reports.report(user, TODAY - timedelta(days=13), TODAY, lang="nl")
    printer("import sys; sys.stderr.write(sys.stdin.read()); sys.exit(1)")
    with pytest.raises(UnavailableError) as raised:
        report_pdf(view)
    assert raised.value.message.code is Code.REPORT_PRINT_FAILED
    assert raised.value.retry_after_seconds == PRINT_RETRY_AFTER_SECONDS
    # the child's stderr (here: the whole document) is not passed on
    assert [record.getMessage() for record in caplog.records] == [
        "report not printed: the printer exited with status 1"
    ]

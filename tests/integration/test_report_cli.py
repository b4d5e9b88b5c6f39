"""The report's acceptance test: a six-week diary built through the command line, the report
asked for in Dutch and in English, and the facts found in the PDF's text (pdftotext)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rugwijzer.cli.main import app
from rugwijzer.i18n import catalogue_messages, format_day
from tests.pdf_text import pdf_fonts, pdf_pages, pdf_text

runner = CliRunner()

TODAY = date.today()
START = TODAY - timedelta(days=41)  # six weeks, today included
CHANGE_DAY = 21  # the change starts on the 22nd day
CHANGE = "magnesiumcitraat elke avond"
MEAL = "2 sneetjes volkorenbrood met pindakaas"
# USDA SR24 per 100 g: whole-wheat bread (18075) 82 mg, smooth peanut butter (16098) 154 mg;
# 2 slices of 35 g (household_measures_nl.toml) with the Dutch portion of peanut butter on each
# slice, 15 g (data/portions_nl.toml)
MEAL_MG = 2 * 35 * 82 / 100 + 2 * 15 * 154 / 100


def pain_on(day: int) -> int:
    """6 and 7 in turn before the change, 3 and 4 after it."""
    if day < CHANGE_DAY:
        return 7 if day % 2 == 0 else 6
    return 3 if day % 2 == 1 else 4


def _ok(*arguments: str) -> None:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 0, (arguments, result.output)


@pytest.fixture(scope="module")
def six_weeks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A diary of six weeks: a check-in every day, a meal every third day, from day 22 on a
    change and a supplement of 100 mg a day. Built once; every test reads it. The command line
    meets it as a newcomer would (an English locale, its own data folder), as `cli_environment`
    arranges for a single test."""
    monkeypatch = pytest.MonkeyPatch()
    from rugwijzer.services.app import reset

    data = tmp_path_factory.mktemp("report-cli")
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.setenv("RUGWIJZER_DATA_DIR", str(data / "diary"))
    monkeypatch.delenv("RUGWIJZER_DATABASE_URL", raising=False)
    reset()
    _ok("init")
    _ok("profile", "set", "--birth-year", "1975", "--sex", "female", "--language", "nl")
    for offset in range(42):
        day = (START + timedelta(days=offset)).isoformat()
        stress = "5" if offset < CHANGE_DAY else "4"
        _ok("checkin", "--date", day, "--pain", str(pain_on(offset)), "--stress", stress)
        if offset % 3 == 0:
            _ok("log", "meal", MEAL, "--lang", "nl", "--date", day)
        if offset >= CHANGE_DAY:
            _ok("log", "supplement", "--elemental-mg", "100", "--name", "citraat", "--date", day)
    _ok("change", CHANGE, "--start", (START + timedelta(days=CHANGE_DAY)).isoformat())
    yield data
    reset()
    monkeypatch.undo()


def _report(data: Path, lang: str) -> bytes:
    out = data / f"report-{lang}.pdf"
    period = ["--from", START.isoformat(), "--to", TODAY.isoformat()]
    result = runner.invoke(app, ["report", *period, "--out", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    assert str(out) in result.stdout.replace("\n", "")
    return out.read_bytes()


def _means() -> tuple[float, float]:
    before = [pain_on(day) for day in range(CHANGE_DAY)]
    after = [pain_on(day) for day in range(CHANGE_DAY, 42)]
    return sum(before) / len(before), sum(after) / len(after)


def _magnesium() -> tuple[float, float, float]:
    """Food, supplements and their total, mean a day over the days with meals."""
    meal_days = [day for day in range(42) if day % 3 == 0]
    supplements = [100.0 if day >= CHANGE_DAY else 0.0 for day in meal_days]
    food = MEAL_MG
    supplement = sum(supplements) / len(meal_days)
    return food, supplement, food + supplement


def _number(value: float, lang: str, digits: int = 0) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def test_the_dutch_report_states_the_facts(six_weeks: Path) -> None:
    pdf = _report(six_weeks, "nl")
    assert pdf.startswith(b"%PDF")
    assert 1 <= pdf_pages(pdf) <= 6
    text = pdf_text(pdf)
    # the period
    assert f"Periode: {format_day(START, 'nl')} – {format_day(TODAY, 'nl')} (42 dagen)" in text
    # magnesium against the target: Gezondheidsraad 2018 (the EFSA AI), 300 mg for adult women
    food, supplement, total = _magnesium()
    assert f"Uit voeding, gemiddeld per dag {_number(food, 'nl')} mg" in text
    assert f"Uit supplementen, gemiddeld per dag {_number(supplement, 'nl')} mg" in text
    percent = _number(100 * total / 300, "nl")
    assert (
        f"{_number(total, 'nl')} mg tegenover een streefwaarde van 300 mg (AI): "
        f"{percent} % van de streefwaarde" in text
    )
    assert "Dagen met ingevulde maaltijden 14 van 42" in text
    # the change, its verdict in Dutch, and the pain figures
    assert CHANGE in text
    improved = catalogue_messages("nl")["effect.improved"].split("{")[0].strip()
    assert improved == "Beter na de verandering:"
    assert improved in text
    before, after = _means()
    assert (
        f"Gemiddelde pijn ervoor: {_number(before, 'nl', 1)} (21 dagen); "
        f"erna: {_number(after, 'nl', 1)} (21 dagen)." in text
    )
    first_week = [pain_on(day) for day in range(7)]
    last = START + timedelta(days=6)
    week = f"{format_day(START, 'nl', 'medium')} – {format_day(last, 'nl', 'medium')}"
    assert f"{week} 7 {_number(sum(first_week) / 7, 'nl', 1)} 5,0" in text
    # no English sentence slipped in
    assert "Better after the change" not in text
    assert "Period:" not in text


def test_the_english_report_states_the_same_facts(six_weeks: Path) -> None:
    pdf = _report(six_weeks, "en")
    text = pdf_text(pdf)
    assert f"Period: {format_day(START, 'en')} – {format_day(TODAY, 'en')} (42 days)" in text
    food, _supplement, total = _magnesium()
    assert f"From food, mean a day {_number(food, 'en')} mg" in text
    percent = _number(100 * total / 300, "en")
    assert (
        f"{_number(total, 'en')} mg against a target of 300 mg (AI): {percent} % of the target"
        in text
    )
    assert CHANGE in text
    assert "Better after the change:" in text
    before, after = _means()
    assert (
        f"Mean pain before: {_number(before, 'en', 1)} (21 days); "
        f"after: {_number(after, 'en', 1)} (21 days)." in text
    )
    assert "Beter na de verandering" not in text


def test_the_report_embeds_its_fonts(six_weeks: Path) -> None:
    fonts = pdf_fonts(_report(six_weeks, "nl"))
    assert fonts
    assert all(embedded for _name, embedded in fonts), fonts


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--from", "2026-02-30"], "not a date"),
        (["--from", "2024-01-01", "--to", "2023-12-31"], "ends before it starts"),
        (["--from", "2020-01-01", "--to", "2022-01-01"], "at most 731 days"),
    ],
)
def test_a_wrong_period_is_an_error_with_exit_code_2(
    six_weeks: Path, options: list[str], message: str
) -> None:
    out = six_weeks / "wrong.pdf"
    result = runner.invoke(app, ["report", *options, "--out", str(out), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()

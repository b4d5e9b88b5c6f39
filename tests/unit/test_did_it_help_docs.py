"""docs/did-it-help.md states the analysis' rules as the code applies them: every verdict, the
thresholds, the CSV columns and the sources with their addresses. A changed constant fails here
until the page says the new value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rugwijzer.content import sources, statements
from rugwijzer.domain import progress
from rugwijzer.domain.progress import Outcome, Verdict

PAGE = Path(__file__).resolve().parents[2] / "docs" / "did-it-help.md"
METHOD_SOURCES = ("farrar-2001", "whitney-vonkorff-1992", "cent-2015", "ahrq-nof1-2014")


def _page() -> str:
    return PAGE.read_text(encoding="utf-8")


def _section(title: str) -> str:
    text = _page()
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


@pytest.mark.parametrize("verdict", list(Verdict))
def test_every_verdict_has_a_row_with_its_code(verdict: Verdict) -> None:
    rows = [line for line in _section("The five verdicts").splitlines() if line.startswith("| **")]
    assert any(f"(`{verdict.value}`)" in row for row in rows)


def test_the_thresholds_are_the_code_s() -> None:
    page = " ".join(_page().split())  # the wrapping of lines does not matter
    assert progress.BASELINE_DAYS_MAX == 84
    assert "at most 12 weeks (84 days)" in page
    assert f"fewer than {progress.MIN_DAYS_PER_PHASE} recorded days before" in page
    assert f"shorter than {progress.SHORT_PHASE_DAYS} days" in page
    assert f"more than {progress.MISSING_SHARE_CAVEAT:.0%} of the days" in page.replace(" %", "%")
    assert f"the last {progress.FLARE_WINDOW_DAYS} days before the change" in page
    assert f"max({progress.FLARE_POINTS} points, {progress.FLARE_SPREADS} × spread)" in page
    assert f"at least {progress.TREND_MIN_POINTS} points over the baseline" in page
    assert f"more than {progress.MORE_DAYS_MAX} days would be needed" in page
    assert f"MIC = min({progress.MIC_POINTS:g}, {progress.MIC_SHARE:g} × the before mean)" in page
    assert progress.minimal_important_change(6) == pytest.approx(1.8)
    assert "With an average pain of 6 before, that is 1.8 points" in page


def test_the_csv_example_has_a_day_column_and_every_outcome() -> None:
    section = _section("A diary from a file")
    (header,) = re.findall(r"```csv\n([^\n]+)\n", section)
    assert header.split(",") == ["day", *(outcome.value for outcome in Outcome)]
    assert "--outcome pain|stress|sleep_quality|stiffness" in section


@pytest.mark.parametrize("source_id", METHOD_SOURCES)
def test_every_source_of_the_method_is_listed_with_its_address(source_id: str) -> None:
    source = sources()[source_id]
    listed = _section("Sources")
    assert f"<{source.url}>" in listed
    assert source.year in listed
    assert f"`{source_id}`" in listed


def test_the_statement_cites_the_sources_the_page_names() -> None:
    statement = statements()["effect.important_change"]
    assert statement.sources == ("farrar-2001", "whitney-vonkorff-1992")
    assert f"grade {statement.grade}" in _section("Sources")

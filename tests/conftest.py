"""Shared fixtures: the bundled food database, the USDA source file, the acceptance cases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rugwijzer.fooddb.database import FoodDatabase, bundled_food_database

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
_SR24_CANDIDATES = (
    REPO / ".cache/cronometer/usr/share/cronometer/usda_sr24.jar",
    Path("/usr/share/cronometer/usda_sr24.jar"),
)


@pytest.fixture(scope="session")
def food_db() -> FoodDatabase:
    """The bundled food database (loaded once per test session, as in the app), without any
    NEVO data the developer may have imported into their own data directory."""
    return bundled_food_database()


@pytest.fixture(scope="session")
def sr24_jar() -> Path:
    """Debian's USDA SR24 jar; the test is skipped with the reason when it is not here."""
    configured = os.environ.get("RUGWIJZER_SR24_JAR")
    candidates = ((Path(configured),) if configured else ()) + _SR24_CANDIDATES
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    pytest.skip(
        "USDA SR24 source not found: run scripts/fetch_sr24.sh .cache/cronometer "
        "(needs apt-get) or set RUGWIJZER_SR24_JAR"
    )


def cases_file(name: str) -> Path:
    """An acceptance-case file: ../shared/cases when present (the project's shared folder),
    else the copy kept in tests/fixtures/cases."""
    shared = REPO.parent / "shared" / "cases" / name
    return shared if shared.is_file() else FIXTURES / "cases" / name


def read_cases(name: str) -> list[list[str]]:
    """Rows of a tab-separated case file, without comments and blank lines."""
    rows = []
    for line in cases_file(name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows

"""`rugwijzer foods import-nevo` through the CLI runner: import, search, meals, show, remove,
and a refused file (nothing written)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rugwijzer.cli.main import app
from rugwijzer.fooddb.database import reload_food_database
from tests.conftest import FIXTURES

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("cli_environment")
NEVO_SMALL = FIXTURES / "nevo" / "nevo_small.csv"


def _nevo_file() -> Path:
    return Path(os.environ["RUGWIJZER_DATA_DIR"]) / "foods_nevo.json"


@pytest.fixture
def imported(cli_environment: None) -> Iterator[None]:
    """NEVO imported into the test's own data directory (never the developer's)."""
    result = runner.invoke(app, ["foods", "import-nevo", str(NEVO_SMALL)])
    assert result.exit_code == 0, result.output
    yield
    reload_food_database()


def _search(query: str, *extra: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["foods", "search", query, "--json", "--limit", "5", *extra])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_import_reports_and_writes_the_data_file() -> None:
    result = runner.invoke(app, ["foods", "import-nevo", str(NEVO_SMALL)])
    try:
        assert result.exit_code == 0, result.output
        assert "Imported 17 NEVO foods (NEVO-Online 2025 9.0)" in result.stdout
        assert "Traces read as 0: 3" in result.stdout
        assert _nevo_file().is_file()
    finally:
        reload_food_database()


def test_import_json() -> None:
    result = runner.invoke(app, ["foods", "import-nevo", str(NEVO_SMALL), "--json"])
    try:
        assert result.exit_code == 0, result.output
        view = json.loads(result.stdout)
        assert view["provenance"]["dataset"] == "NEVO-online"
        assert view["provenance"]["food_count"] == 17
        assert view["provenance"]["source_file"] == "nevo_small.csv"
        assert view["foods_per_100_ml"] == 1
        assert view["path"] == str(_nevo_file())
    finally:
        reload_food_database()


@pytest.mark.usefixtures("imported")
def test_dutch_search_ranks_nevo_first() -> None:
    rows = _search("volkorenbrood", "--lang", "nl")
    assert rows[0]["id"] == "nevo:2401"
    assert rows[0]["source"] == {
        "dataset": "NEVO-online",
        "source_id": "2401",
        "licence": rows[0]["source"]["licence"],  # type: ignore[index]
        "release": "NEVO-Online 2025 9.0",
    }
    assert "RIVM" in rows[0]["source"]["licence"]  # type: ignore[index]
    assert "sr24:18075" in [row["id"] for row in rows]


@pytest.mark.usefixtures("imported")
def test_english_search_keeps_sr24_first() -> None:
    assert _search("banana", "--lang", "en")[0]["id"] == "sr24:09040"


@pytest.mark.usefixtures("imported")
def test_meal_with_nevo_foods_totals_right() -> None:
    result = runner.invoke(
        app,
        [
            "meal",
            "parse",
            "100 g volkorenbrood en 200 g halfvolle melk",
            "--lang",
            "nl",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert [item["food"]["id"] for item in view["items"]] == ["nevo:2401", "nevo:300"]
    assert view["items"][0]["food"]["source"]["dataset"] == "NEVO-online"
    # fixture: 75 mg Mg and 226 kcal per 100 g bread, 11 mg and 46 kcal per 100 g milk
    assert view["totals"]["magnesium_mg"]["amount"] == pytest.approx(75 + 2 * 11)
    assert view["totals"]["energy_kcal"]["amount"] == pytest.approx(226 + 2 * 46)


@pytest.mark.usefixtures("imported")
def test_show_names_nevo_code_and_release() -> None:
    result = runner.invoke(app, ["foods", "show", "nevo:1801"])
    assert result.exit_code == 0, result.output
    assert "NEVO-online 1801" in result.stdout
    assert "Release: NEVO-Online 2025 9.0" in result.stdout
    detail = json.loads(runner.invoke(app, ["foods", "show", "nevo:1801", "--json"]).stdout)
    assert detail["per_100g"]["vitamin_d_iu"]["amount"] == pytest.approx(328.0)  # 8,2 µg
    assert detail["measures"] == []


@pytest.mark.usefixtures("imported")
def test_remove_goes_back_to_sr24() -> None:
    result = runner.invoke(app, ["foods", "import-nevo", "--remove"])
    assert result.exit_code == 0, result.output
    assert "Removed the imported NEVO data" in result.stdout
    assert not _nevo_file().exists()
    assert _search("volkorenbrood", "--lang", "nl")[0]["id"] == "sr24:18075"
    again = runner.invoke(app, ["foods", "import-nevo", "--remove"])
    assert again.exit_code == 0
    assert "There is no imported NEVO data" in again.stdout


def test_without_the_file_search_is_sr24_only() -> None:
    rows = _search("volkorenbrood", "--lang", "nl")
    assert rows[0]["id"] == "sr24:18075"
    assert all(str(row["id"]).startswith("sr24:") for row in rows)


def test_bad_value_exits_2_names_the_line_and_writes_nothing(tmp_path: Path) -> None:
    lines = NEVO_SMALL.read_text(encoding="utf-8-sig").splitlines()
    header = [h.strip('"') for h in lines[0].split("|")]
    fields = lines[3].split("|")
    fields[header.index("K (mg)")] = "veel"
    lines[3] = "|".join(fields)
    bad = tmp_path / "NEVO2025_v9.0.csv"
    bad.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(app, ["foods", "import-nevo", str(bad)])
    assert result.exit_code == 2
    assert "Nothing was imported" in result.stderr
    assert "Line 4, column K (mg): ‘veel’ is not a number." in result.stderr
    assert not _nevo_file().exists()


def test_missing_column_exits_2(tmp_path: Path) -> None:
    text = NEVO_SMALL.read_text(encoding="utf-8").replace('"CA (mg)"', '"CAL (mg)"')
    bad = tmp_path / "nevo.csv"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["foods", "import-nevo", str(bad)])
    assert result.exit_code == 2
    assert "CA (mg)" in result.stderr
    assert not _nevo_file().exists()


def test_file_or_remove_is_required() -> None:
    result = runner.invoke(app, ["foods", "import-nevo"])
    assert result.exit_code == 2
    both = runner.invoke(app, ["foods", "import-nevo", str(NEVO_SMALL), "--remove"])
    assert both.exit_code == 2
    assert not _nevo_file().exists()


@pytest.mark.usefixtures("imported")
@pytest.mark.parametrize(
    ("text", "food_id", "grams"),
    [
        ("een banaan", "nevo:151", 130.0),  # RIVM Portie-online, by the Dutch name "Banaan"
        ("een portie havermout", "nevo:610", 40.0),  # Consumentenbond 2024
        ("2 sneetjes volkorenbrood", "nevo:2401", 70.0),  # the household measure, as for SR24
        ("een plak goudse kaas", "nevo:511", 20.0),
        ("een stukje pure chocolade", "nevo:1450", 5.0),
    ],
)
def test_imported_foods_get_dutch_portions_by_their_dutch_name(
    text: str, food_id: str, grams: float
) -> None:
    result = runner.invoke(app, ["meal", "parse", text, "--lang", "nl", "--json"])
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.stdout)["items"]
    assert (item["food"]["id"], item["grams"]) == (food_id, grams)

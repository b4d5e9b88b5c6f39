"""The command line, through Typer's runner (the same code path as the console script)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rugwijzer.cli.main import app
from tests.conftest import FIXTURES

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("cli_environment")


def test_search_json_rows() -> None:
    result = runner.invoke(
        app, ["foods", "search", "amandelen", "--lang", "nl", "--json", "--limit", "3"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert 1 <= len(rows) <= 3
    first = rows[0]
    assert {"id", "name_en", "name_nl", "source", "magnesium_mg_per_100g", "score"} <= set(first)
    assert first["name_en"] == "Nuts, almonds"
    assert first["source"] == {
        "dataset": "USDA SR24",
        "source_id": "12061",
        "licence": "Public domain (U.S. Government work, USDA Agricultural Research Service)",
        "release": "USDA National Nutrient Database for Standard Reference, Release 24 (2011)",
    }
    assert first["magnesium_mg_per_100g"] == 268.0


def test_search_table_output() -> None:
    result = runner.invoke(app, ["foods", "search", "almonds"])
    assert result.exit_code == 0
    assert "Nuts, almonds" in result.stdout


def test_english_row_has_null_dutch_name_when_none() -> None:
    result = runner.invoke(app, ["foods", "search", "Agutuk", "--json"])
    rows = json.loads(result.stdout)
    assert rows
    assert rows[0]["name_nl"] is None


@pytest.mark.parametrize("query", ["", "   ", "\t"])
def test_blank_query_exits_2(query: str) -> None:
    result = runner.invoke(app, ["foods", "search", query])
    assert result.exit_code == 2
    assert "empty" in result.stderr


def test_huge_query_is_an_error_in_bounded_time() -> None:
    started = time.perf_counter()
    result = runner.invoke(app, ["foods", "search", "x" * 100_000])
    assert result.exit_code == 2
    assert "characters" in result.stderr
    assert time.perf_counter() - started < 5


def test_control_characters_do_not_crash() -> None:
    result = runner.invoke(app, ["foods", "search", "\x1bamandelen\x07\x00", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["name_en"] == "Nuts, almonds"
    result = runner.invoke(app, ["foods", "search", "\x01\x02"])
    assert result.exit_code == 2


def test_no_match_is_not_an_error() -> None:
    result = runner.invoke(app, ["foods", "search", "qqqqzzzz", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_bad_language_and_limit_are_usage_errors() -> None:
    assert runner.invoke(app, ["foods", "search", "appel", "--lang", "fr"]).exit_code == 2
    assert runner.invoke(app, ["foods", "search", "appel", "--limit", "0"]).exit_code == 2


def test_show_json_has_all_nutrients_and_measures() -> None:
    result = runner.invoke(app, ["foods", "show", "12061", "--json"])
    assert result.exit_code == 0, result.output
    detail = json.loads(result.stdout)
    assert detail["id"] == "sr24:12061"
    assert detail["per_100g"]["magnesium_mg"]["amount"] == 268.0
    assert detail["per_100g"]["magnesium_mg"]["unit"] == "mg"
    assert any(m["name"].startswith("oz") and m["grams"] == 28.35 for m in detail["measures"])
    assert any(m["name_nl"] == "handje" for m in detail["dutch_measures"])


def test_show_reports_missing_values_as_missing() -> None:
    result = runner.invoke(app, ["foods", "show", "sr24:01188", "--json"])
    detail = json.loads(result.stdout)
    missing = [k for k, v in detail["per_100g"].items() if v["amount"] is None]
    assert "magnesium_mg" in missing  # this cheese sauce has no magnesium value in SR24
    table = runner.invoke(app, ["foods", "show", "sr24:01188"])
    assert table.exit_code == 0
    assert "no value" in table.stdout


def test_unknown_id_exits_1() -> None:
    result = runner.invoke(app, ["foods", "show", "sr24:99999"])
    assert result.exit_code == 1
    assert "not found" in result.stderr


def test_import_fdc_and_use_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "fdc.json"
    result = runner.invoke(
        app, ["foods", "import-fdc", str(FIXTURES / "fdc_sr_legacy"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("RUGWIJZER_FOOD_DATA_FILE", str(out))
    from rugwijzer.settings import get_settings

    get_settings.cache_clear()
    try:
        rows = json.loads(runner.invoke(app, ["foods", "search", "almonds", "--json"]).stdout)
    finally:
        get_settings.cache_clear()
    assert rows[0]["id"] == "fdc:170567"
    assert rows[0]["source"]["dataset"] == "USDA FDC SR Legacy"


def test_import_fdc_bad_folder_exits_3(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["foods", "import-fdc", str(tmp_path), "--out", str(tmp_path / "x.json")]
    )
    assert result.exit_code == 3
    assert "missing" in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_init_creates_private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "data"
    monkeypatch.setenv("RUGWIJZER_DATA_DIR", str(target))
    from rugwijzer.settings import get_settings

    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["init"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0
    assert target.is_dir()
    assert target.stat().st_mode & 0o077 == 0


def test_version() -> None:
    from rugwijzer import __version__

    assert runner.invoke(app, ["version"]).stdout.strip() == __version__

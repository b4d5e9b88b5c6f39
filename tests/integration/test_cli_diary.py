"""The local diary through the CLI: init, log, check in, today, week, export, import, delete."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rugwijzer.cli.main import app
from rugwijzer.services.app import diary_service, engine
from tests.integration.user_rows import owned_by

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("cli_environment")


def test_the_first_command_prepares_the_diary_by_itself(data_dir: Path) -> None:
    assert not data_dir.exists()
    logged = runner.invoke(app, ["log", "meal", "30 g amandelen"])
    assert logged.exit_code == 0, logged.output
    assert (data_dir / "rugwijzer.db").is_file()
    assert data_dir.stat().st_mode & 0o777 == 0o700  # private to this user
    assert runner.invoke(app, ["today"]).exit_code == 0


def test_an_old_schema_is_not_changed_unasked(data_dir: Path) -> None:
    from rugwijzer.store.migrate import current_revision, upgrade

    data_dir.mkdir()
    upgrade(engine(), "0004")
    result = runner.invoke(app, ["today"])
    assert result.exit_code == 3
    assert "rugwijzer db upgrade" in result.stderr
    assert current_revision(engine()) == "0004"


def test_rugwijzer_on_its_own_says_what_to_do_first() -> None:
    result = runner.invoke(app, ["--lang", "nl"])
    assert result.exit_code == 0
    assert "magnesium" in result.stdout
    assert 'rugwijzer log meal "2 sneetjes volkorenbrood met pindakaas"' in result.stdout
    assert "Geen diagnose" in result.stdout


def test_a_day_in_the_diary(data_dir: Path) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert (data_dir / "rugwijzer.db").is_file()
    assert (
        runner.invoke(app, ["profile", "set", "--birth-year", "1975", "--sex", "female"]).exit_code
        == 0
    )
    logged = runner.invoke(app, ["log", "meal", "2 sneetjes volkorenbrood met pindakaas", "--json"])
    assert logged.exit_code == 0, logged.output
    assert len(json.loads(logged.stdout)["items"]) == 2
    assert runner.invoke(app, ["log", "supplement", "--elemental-mg", "100"]).exit_code == 0
    assert (
        runner.invoke(app, ["checkin", "--pain", "6", "--stress", "7", "--cramps"]).exit_code == 0
    )
    assert runner.invoke(app, ["change", "started magnesium"]).exit_code == 0
    today = json.loads(runner.invoke(app, ["today", "--json"]).stdout)
    # USDA SR24 per 100 g: whole-wheat bread (18075) 82 mg, smooth peanut butter (16098) 154 mg;
    # 2 slices of 35 g (household_measures_nl.toml) with the Dutch portion of peanut butter on
    # each, 15 g (data/portions_nl.toml)
    bread_with_peanut_butter = 2 * 35 * 82 / 100 + 2 * 15 * 154 / 100
    assert today["totals"]["magnesium_mg"]["amount"] == pytest.approx(
        bread_with_peanut_butter, abs=0.1
    )
    # Gezondheidsraad 2018 (the EFSA AI): 300 mg for adult women
    assert today["targets"]["magnesium"]["value"] == 300
    assert today["checkin"]["pain"] == 6
    assert today["supplement_magnesium_mg"] == 100
    week = json.loads(runner.invoke(app, ["week", "--json"]).stdout)
    assert week["days"][-1]["day"] == date.today().isoformat()
    assert week["changes"][0]["description"] == "started magnesium"
    assert runner.invoke(app, ["week"]).exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["checkin", "--pain", "11"],
        ["checkin", "--pain", "3", "--date", "2999-01-01"],
        ["checkin", "--pain", "3", "--date", "yesterday"],
        ["log", "meal", "qwerty"],
        ["log", "supplement", "--elemental-mg", "-5"],
        ["change", "x", "--start", "2026-11-10", "--end", "2026-11-01"],
        ["checkin", "--pain", "3", "--aid-category", "magic_belt"],
        ["change", "rugbrace", "--aid-category", "brace"],
        ["profile", "set", "--sex", "other"],
        ["delete-everything"],
    ],
)
def test_bad_input_exits_2(data_dir: Path, args: list[str]) -> None:
    runner.invoke(app, ["init"])
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output


def test_a_check_in_and_a_change_name_the_aid_category(data_dir: Path) -> None:
    runner.invoke(app, ["init"])
    checked = runner.invoke(
        app, ["checkin", "--pain", "4", "--aid", "warmtebandage", "--aid-category", "heat_wrap"]
    )
    assert checked.exit_code == 0, checked.output
    changed = runner.invoke(
        app, ["change", "warmtebandage", "--aid-category", "heat_wrap", "--json"]
    )
    assert changed.exit_code == 0, changed.output
    assert json.loads(changed.stdout)["aid_category"] == "heat_wrap"
    today = json.loads(runner.invoke(app, ["today", "--json"]).stdout)
    assert (today["checkin"]["aid_worn"], today["checkin"]["aid_category"]) == (
        "warmtebandage",
        "heat_wrap",
    )
    refused = runner.invoke(app, ["checkin", "--pain", "5", "--aid-category", "magic_belt"])
    assert refused.exit_code == 2
    assert "magic_belt" in refused.output


def test_export_import_delete(data_dir: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["init"])
    runner.invoke(app, ["log", "meal", "een banaan"])
    runner.invoke(app, ["checkin", "--pain", "4"])
    out = tmp_path / "export.json"
    assert runner.invoke(app, ["export", "--out", str(out)]).exit_code == 0
    first = json.loads(out.read_text())
    assert len(first["meals"]) == 1
    assert len(first["checkins"]) == 1
    assert runner.invoke(app, ["import", str(out)]).exit_code == 2  # not empty
    user = diary_service().profiles.ensure_local_user()
    meal_ids = [meal.id for meal in diary_service().entries.list_entries(user, "meal").items]
    filled = owned_by(engine(), user)
    assert {table: len(rows) for table, rows in filled.items() if rows} == {
        "users": 1,
        "meal_entries": 1,
        "meal_items": 1,
        "checkins": 1,
    }
    assert runner.invoke(app, ["delete-everything", "--yes"]).exit_code == 0
    # Read in the database by the deleted user's id and its meal's id: nothing is left.
    left = owned_by(engine(), user, meal_ids=meal_ids)
    assert {table: rows for table, rows in left.items() if rows} == {}
    assert json.loads(runner.invoke(app, ["export"]).stdout)["meals"] == []
    assert runner.invoke(app, ["import", str(out)]).exit_code == 0
    again = json.loads(runner.invoke(app, ["export"]).stdout)
    first.pop("exported_at")
    again.pop("exported_at")
    assert again == first
    archive = tmp_path / "export.zip"
    assert runner.invoke(app, ["export", "--out", str(archive)]).exit_code == 0
    import zipfile

    names = set(zipfile.ZipFile(archive).namelist())
    assert {"rugwijzer-export.json", "meals.csv", "checkins.csv", "changes.csv"} <= names
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert runner.invoke(app, ["import", str(broken)]).exit_code == 2


def test_a_saved_red_flag_comes_first_in_today(data_dir: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["init"])
    answers = tmp_path / "answers.json"
    answers.write_text('{"age": 50, "saddle_numbness": true}')
    saved = runner.invoke(app, ["triage", "--answers", str(answers), "--save", "--json"])
    assert saved.exit_code == 0, saved.output
    today = json.loads(runner.invoke(app, ["today", "--json"]).stdout)
    assert today["red_flag"]["urgency"] == "emergency"
    text = runner.invoke(app, ["today"]).stdout
    assert text.lstrip().startswith("EMERGENCY")
    calm = tmp_path / "calm.json"
    calm.write_text('{"age": 40, "fever": false}')
    runner.invoke(app, ["triage", "--answers", str(calm), "--save"])
    assert json.loads(runner.invoke(app, ["today", "--json"]).stdout)["red_flag"] is None

"""The command line speaks Dutch or English: `--lang`, then the profile, then the locale, else
English; its errors too. JSON output stays the same in every language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rugwijzer.cli.main import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("cli_environment")
DUTCH_LOCALE = {"LANG": "nl_NL.UTF-8"}


def _words(text: str) -> str:
    """Output with Rich's line wrapping undone."""
    return " ".join(text.split())


def test_english_by_default() -> None:
    result = runner.invoke(app, ["foods", "search", "amandelen", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "Foods matching 'amandelen'" in result.stdout
    assert "Voedingsmiddelen" not in result.stdout


@pytest.mark.parametrize(
    "arguments",
    [
        ["--lang", "nl", "foods", "show", "12061"],  # the global option
        ["foods", "search", "amandelen", "--lang", "nl"],  # a command's own --lang
    ],
)
def test_dutch_with_lang_nl(arguments: list[str]) -> None:
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert any(word in result.stdout for word in ("Huishoudelijke maten", "Voedingsmiddelen bij"))
    assert "Household measures" not in result.stdout
    assert "Foods matching" not in result.stdout


def test_numbers_follow_the_language() -> None:
    dutch = _words(runner.invoke(app, ["--lang", "nl", "foods", "show", "12061"]).stdout)
    english = _words(runner.invoke(app, ["foods", "show", "12061"]).stdout)
    # USDA SR24 12061 (almonds): 21.22 g protein per 100 g
    assert re.search(r"Eiwit │ +21,22 │ g", dutch)
    assert re.search(r"Protein │ +21.22 │ g", english)


def test_dutch_with_a_dutch_locale_and_lc_all_wins() -> None:
    arguments = ["foods", "search", "amandelen", "--limit", "1"]
    dutch = runner.invoke(app, arguments, env=DUTCH_LOCALE)
    assert "Voedingsmiddelen bij 'amandelen'" in dutch.stdout
    english = runner.invoke(app, arguments, env={"LC_ALL": "C.UTF-8", **DUTCH_LOCALE})
    assert "Foods matching 'amandelen'" in english.stdout
    assert (
        "Foods matching"
        in runner.invoke(app, ["--lang", "en", *arguments], env=DUTCH_LOCALE).stdout
    )


def test_json_is_the_same_in_every_language() -> None:
    arguments = ["foods", "search", "amandelen", "--json"]
    english = json.loads(runner.invoke(app, arguments).stdout)
    dutch = json.loads(runner.invoke(app, ["--lang", "nl", *arguments], env=DUTCH_LOCALE).stdout)
    assert dutch == english


def test_a_dutch_profile_makes_the_diary_dutch() -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    profile = ["profile", "set", "--birth-year", "1975", "--sex", "female", "--language", "nl"]
    assert runner.invoke(app, profile).exit_code == 0
    saved = runner.invoke(app, ["checkin", "--pain", "3", "--date", "2026-11-24"])
    assert saved.stdout.strip() == "Check-in opgeslagen voor 24 november 2026"
    today = _words(runner.invoke(app, ["today", "--date", "2026-11-24"]).stdout)
    assert "mg magnesium uit voeding, van 300 mg" in today
    assert "pijn 3, stress —" in today
    assert "Verandering" in _words(runner.invoke(app, ["change", "gestart met magnesium"]).stdout)
    week = runner.invoke(app, ["week", "--end", "2026-11-24"])
    assert "Mg voeding mg" in week.stdout
    # the option still comes first, and the locale does not overrule the profile
    english = runner.invoke(app, ["--lang", "en", "today", "--date", "2026-11-24"])
    assert "pain 3, stress —" in english.stdout
    with_locale = runner.invoke(app, ["today"], env={"LANG": "en_GB.UTF-8"})
    assert "uit voeding" in with_locale.stdout


def test_an_english_profile_beats_a_dutch_locale() -> None:
    runner.invoke(app, ["init"])
    runner.invoke(app, ["profile", "set", "--language", "en"])
    saved = runner.invoke(app, ["checkin", "--pain", "3", "--date", "2026-11-24"], env=DUTCH_LOCALE)
    assert saved.stdout.strip() == "Check-in saved for 24 November 2026"


def test_without_a_diary_the_choice_creates_none(tmp_path: Path) -> None:
    result = runner.invoke(app, ["foods", "search", "qqqqzzzz"], env=DUTCH_LOCALE)
    assert result.stdout.strip() == "Geen voedingsmiddel gevonden bij 'qqqqzzzz'."
    assert not (tmp_path / "cli-data").exists()


def test_errors_in_dutch(tmp_path: Path) -> None:
    broken = tmp_path / "antwoorden.json"
    broken.write_text("{kapot", encoding="utf-8")
    bad_json = runner.invoke(app, ["--lang", "nl", "screen", "--answers", str(broken)])
    assert bad_json.exit_code == 2
    assert _words(bad_json.stderr) == f"Fout: {broken} is geen geldige JSON (regel 1, kolom 2)"
    missing = runner.invoke(
        app, ["triage", "--answers", str(tmp_path / "nergens.json")], env=DUTCH_LOCALE
    )
    assert missing.exit_code == 2
    assert "bestaat niet" in missing.stderr
    both = runner.invoke(app, ["triage", "--lang", "nl"])
    assert _words(both.stderr) == "Fout: geef óf --answers BESTAND óf --interactive"
    # the meal's own message is the meal parser's; the prefix and the exit code are the CLI's
    meal = runner.invoke(app, ["--lang", "nl", "meal", "parse", "5000 kg spinazie"])
    assert meal.exit_code == 2
    assert meal.stderr.startswith("Fout: ")


def test_errors_in_english(tmp_path: Path) -> None:
    broken = tmp_path / "answers.json"
    broken.write_text("{broken", encoding="utf-8")
    result = runner.invoke(app, ["screen", "--answers", str(broken)])
    assert result.exit_code == 2
    assert _words(result.stderr) == f"Error: {broken} is not valid JSON (line 1, column 2)"


def test_diary_errors_follow_the_profile() -> None:
    runner.invoke(app, ["init"])
    runner.invoke(app, ["profile", "set", "--language", "nl"])
    result = runner.invoke(app, ["checkin", "--pain", "3", "--date", "gisteren"])
    assert result.exit_code == 2
    assert _words(result.stderr) == "Fout: geen datum (JJJJ-MM-DD): gisteren"
    refused = runner.invoke(app, ["delete-everything"])
    assert refused.exit_code == 2
    assert "voeg --yes toe" in refused.stderr


def test_statements_follow_the_language_of_the_command_line(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"age": 50, "saddle_numbness": true}', encoding="utf-8")
    dutch = _words(
        runner.invoke(app, ["triage", "--answers", str(answers)], env=DUTCH_LOCALE).stdout
    )
    assert dutch.startswith("SPOED: ")
    assert "Niet beantwoord:" in dutch
    english = _words(runner.invoke(app, ["triage", "--answers", str(answers)]).stdout)
    assert english.startswith("EMERGENCY: ")
    assert "Not answered:" in english
    # the command's own --lang still chooses the statements' language
    assert runner.invoke(
        app, ["triage", "--answers", str(answers), "--lang", "nl"]
    ).stdout.startswith("SPOED")


def test_an_export_that_cannot_be_written_is_an_error_and_leaves_nothing(tmp_path: Path) -> None:
    runner.invoke(app, ["init"])
    target = tmp_path / "no-such-folder" / "export.json"
    result = runner.invoke(app, ["--lang", "nl", "export", "--out", str(target)])
    assert result.exit_code == 2
    assert _words(result.stderr).startswith(f"Fout: kan {target} niet schrijven: ")
    assert not target.parent.exists()

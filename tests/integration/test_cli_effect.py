"""`rugwijzer effect`: did it help? On a file of check-ins and on a change in the diary built
through the command line; every bad input a message and exit code 2, never a traceback."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rugwijzer.cli.main import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("cli_environment")

START = date(2026, 3, 1)
CHANGE = START + timedelta(days=28)
#: Every field the issue asks the JSON answer to carry.
JSON_FIELDS = {
    "verdict",
    "difference",
    "ci_low",
    "ci_high",
    "before_mean",
    "after_mean",
    "days_before",
    "days_after",
    "mic",
    "method",
    "caveats",
}


def _pain(index: int, change_at: int, noise: random.Random) -> int:
    """Pain about 7 before the change and about 3 after it."""
    level = 7 if index < change_at else 3
    return min(10, max(0, round(level + noise.gauss(0, 1))))


@pytest.fixture
def step_down(tmp_path: Path) -> Path:
    """Four weeks of pain around 7, then four weeks around 3 (the change on day 29)."""
    noise = random.Random(3)
    rows = ["day,pain,stress"]
    rows += [f"{START + timedelta(days=i)},{_pain(i, 28, noise)},5" for i in range(56)]
    path = tmp_path / "diary.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _file_args(path: Path, *more: str) -> list[str]:
    return ["effect", "--checkins", str(path), "--change-date", CHANGE.isoformat(), *more]


def test_a_step_down_in_a_file_is_improved(step_down: Path) -> None:
    result = runner.invoke(app, _file_args(step_down, "--json"))
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert set(answer) >= JSON_FIELDS
    assert answer["verdict"] == "improved"
    assert answer["ci_high"] < 0
    assert answer["difference"] <= -answer["mic"]
    assert (answer["days_before"], answer["days_after"]) == (28, 28)
    assert answer["before_mean"] > answer["after_mean"]
    assert answer["method"].startswith("Difference between the phase means")
    for caveat in answer["caveats"]:
        assert set(caveat) == {"code", "params", "text"}


def test_the_plain_answer_speaks_dutch_with_dutch_numbers(step_down: Path) -> None:
    result = runner.invoke(app, _file_args(step_down, "--lang", "nl"))
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Beter na de verandering: pijn is " in text
    assert "Verschil (erna − ervoor): -" in text
    assert "Ervoor: gemiddeld " in text
    assert "over 28 ingevulde dagen" in text
    assert "Kleinste verandering die ertoe doet (MIC): 2 punten" in text
    assert "Methode: Verschil tussen de gemiddelden" in text
    assert "29 maart 2026" in text  # the first day after, as Dutch readers write it
    view = json.loads(runner.invoke(app, _file_args(step_down, "--json")).stdout)
    # the mean before with a decimal comma
    assert f"{view['before_mean']:.1f}".replace(".", ",") in text
    assert "Before" not in text
    assert "points" not in text


def test_the_global_language_option_works_too(step_down: Path) -> None:
    dutch = runner.invoke(app, ["--lang", "nl", *_file_args(step_down)])
    assert dutch.exit_code == 0, dutch.output
    assert "Beter na de verandering" in dutch.stdout
    english = runner.invoke(app, _file_args(step_down))
    assert english.exit_code == 0, english.output
    assert "Better after the change" in english.stdout
    assert "Before: mean " in english.stdout


def test_another_outcome_and_an_end_date(step_down: Path) -> None:
    end = CHANGE + timedelta(days=13)
    result = runner.invoke(
        app,
        _file_args(step_down, "--end-date", end.isoformat(), "--outcome", "stress", "--json"),
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["outcome"] == "stress"
    assert answer["days_after"] == 14
    assert answer["verdict"] == "no_important_change"  # stress stayed at 5


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


CHANGE_DAY = "2026-03-02"
BAD_FILES = {
    "no day column": ("date,pain\n2026-03-01,4\n", "no 'day' column"),
    "bad date": ("day,pain\n2026-03-01,4\n01/03/2026,5\n", "line 3: '01/03/2026' is not a date"),
    "out of range": ("day,pain\n2026-03-01,4\n2026-03-02,12\n", "line 3, column 'pain': 12"),
    "not a number": ("day,pain\n2026-03-01,veel\n", "line 2, column 'pain': 'veel'"),
    "duplicate day": ("day,pain\n2026-03-01,4\n2026-03-01,5\n", "already on line 2"),
    "no pain column": ("day,stress\n2026-03-01,4\n2026-03-02,5\n", "no 'pain' column"),
    "no rows": ("day,pain\n", "has no check-ins"),
    "change date outside": ("day,pain\n2026-02-01,4\n2026-02-02,5\n", "outside the recorded"),
    "not UTF-8": (b"day,pain\n2026-03-01,4\xff\n", "not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_exits_2_with_a_message(data_dir: Path, tmp_path: Path, case: str) -> None:
    content, words = BAD_FILES[case]
    path = _write(tmp_path, "bad.csv", content)
    result = runner.invoke(app, ["effect", "--checkins", str(path), "--change-date", CHANGE_DAY])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("Error: ")
    assert str(path) in result.stderr or "change date" in result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["effect"], "give either --change ID"),
        (
            ["effect", "--change", "1", "--checkins", "{file}", "--change-date", CHANGE_DAY],
            "not both",
        ),
        (["effect", "--checkins", "{file}"], "needs --change-date"),
        (["effect", "--checkins", "{file}", "--change-date", "1 maart"], "not a date"),
        (
            [
                "effect",
                "--checkins",
                "{file}",
                "--change-date",
                CHANGE_DAY,
                "--end-date",
                "2026-03-01",
            ],
            "lies before the change date",
        ),
        (["effect", "--checkins", "{missing}", "--change-date", CHANGE_DAY], "does not exist"),
        (
            ["effect", "--checkins", "{file}", "--change-date", CHANGE_DAY, "--outcome", "mood"],
            "mood",
        ),
        (["effect", "--change", "1", "--change-date", CHANGE_DAY], "go with --checkins"),
        (["effect", "--change", "0"], "--change"),
    ],
)
def test_bad_options_exit_2_with_a_message(
    data_dir: Path, tmp_path: Path, args: list[str], words: str
) -> None:
    good = _write(tmp_path, "good.csv", "day,pain\n2026-03-01,4\n2026-03-02,5\n")
    filled = [a.format(file=good, missing=tmp_path / "missing.csv") for a in args]
    result = runner.invoke(app, filled)
    assert result.exit_code == 2, result.output
    assert words in result.stderr
    assert "Traceback" not in result.output


def test_errors_speak_dutch_when_asked(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.csv", "day,pain\n2026-03-01,4\n2026-03-02,12\n")
    args = ["effect", "--checkins", str(path), "--change-date", CHANGE_DAY, "--lang", "nl"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Fout: ")
    assert "regel 3, kolom 'pain': 12 ligt buiten 0 tot en met 10" in result.stderr


def test_a_change_in_the_diary_built_through_the_command_line(data_dir: Path) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    today = date.today()
    first = today - timedelta(days=27)
    noise = random.Random(5)
    for index in range(28):
        day = first + timedelta(days=index)
        pain = str(_pain(index, 14, noise))
        checked = runner.invoke(app, ["checkin", "--date", day.isoformat(), "--pain", pain])
        assert checked.exit_code == 0, checked.output
    started = (first + timedelta(days=14)).isoformat()
    recorded = runner.invoke(
        app, ["change", "magnesiumcitraat 200 mg", "--start", started, "--json"]
    )
    assert recorded.exit_code == 0, recorded.output
    change_id = str(json.loads(recorded.stdout)["id"])

    answer = runner.invoke(app, ["effect", "--change", change_id, "--json"])
    assert answer.exit_code == 0, answer.output
    view = json.loads(answer.stdout)
    assert set(view) >= JSON_FIELDS
    assert view["verdict"] == "improved"
    assert view["change_id"] == int(change_id)
    assert view["description"] == "magnesiumcitraat 200 mg"
    assert (view["days_before"], view["days_after"]) == (14, 14)

    plain = runner.invoke(app, ["effect", "--change", change_id, "--lang", "nl"])
    assert plain.exit_code == 0, plain.output
    assert f"Verandering {change_id}: magnesiumcitraat 200 mg" in plain.stdout
    assert "Beter na de verandering: pijn" in plain.stdout

    unknown = runner.invoke(app, ["effect", "--change", "999"])
    assert unknown.exit_code == 1  # an id that names nothing: not found, as elsewhere
    assert "change 999 not found" in unknown.stderr

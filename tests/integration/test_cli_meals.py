"""`rugwijzer meal parse`, `rugwijzer targets` and `rugwijzer day` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rugwijzer.cli.main import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("cli_environment")


def test_meal_parse_json() -> None:
    result = runner.invoke(
        app,
        [
            "meal",
            "parse",
            "2 sneetjes volkorenbrood met pindakaas en een banaan",
            "--lang",
            "nl",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert [item["food"]["id"] for item in view["items"]] == [
        "sr24:18075",
        "sr24:16098",
        "sr24:09040",
    ]
    first = view["items"][0]
    assert first["text"] == "2 sneetjes volkorenbrood"
    assert first["grams"] == 70.0
    assert first["grams_derivation"]["code"] == "meal.times"
    assert "snee" in first["grams_derivation"]["text"]
    assert first["food"]["source"]["dataset"] == "USDA SR24"
    assert view["totals"]["magnesium_mg"]["amount"] == pytest.approx(138.5, abs=0.5)
    assert view["unparsed"] == []


def test_meal_parse_table_shows_unparsed() -> None:
    result = runner.invoke(app, ["meal", "parse", "een banaan en blablabla"])
    assert result.exit_code == 0
    assert "Not understood" in result.stdout
    assert "blablabla" in result.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("qwerty zxcvb", "no food recognised"),
        ("5000 kg spinazie", "not a plausible"),
        ("-3 appels", "negative"),
    ],
)
def test_meal_parse_bad_input_exits_2(text: str, message: str) -> None:
    result = runner.invoke(app, ["meal", "parse", "--", text])
    assert result.exit_code == 2
    assert message in result.stderr


def test_targets_json() -> None:
    result = runner.invoke(
        app, ["targets", "--age", "35", "--sex", "female", "--reference", "nih", "--json"]
    )
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert view["magnesium_mg"] == 320
    assert view["magnesium_kind"] == "RDA"
    assert view["supplement_upper_limit_mg"] == 350
    assert view["magnesium"]["source"].startswith("IOM 1997")
    assert view["context"]["calcium_mg"]["value"] == 1000
    assert view["context"]["potassium_mg"]["value"] == 2600
    assert view["context"]["vitamin_d_ug"]["value"] == 15
    assert all(view["context"][k]["source"] for k in view["context"])


def test_targets_defaults_to_dutch_values_with_the_adult_value_in_pregnancy() -> None:
    result = runner.invoke(
        app, ["targets", "--age", "30", "--sex", "female", "--pregnant", "--json"]
    )
    view = json.loads(result.stdout)
    assert view["reference"] == "nl"
    # Issue #10: the conflicting 300/280 rows from retail sites are gone; the Health Council's
    # adult value (300 mg, the EFSA AI in pregnancy too) applies, with a note saying so.
    assert view["magnesium"]["value"] == 300
    assert view["magnesium"]["conflict"] == []
    english = json.loads(
        runner.invoke(
            app, ["targets", "--age", "30", "--sex", "male", "--lang", "en", "--json"]
        ).stdout
    )
    assert english["reference"] == "nih"
    child = json.loads(
        runner.invoke(
            app, ["targets", "--age", "2", "--sex", "male", "--reference", "efsa", "--json"]
        ).stdout
    )
    assert child["supplement_upper_limit_mg"] is None


@pytest.mark.parametrize(
    "args",
    [
        ["--age", "-1", "--sex", "female"],
        ["--age", "131", "--sex", "male"],
        ["--age", "30", "--sex", "male", "--pregnant"],
        ["--age", "30", "--sex", "other"],
        ["--age", "abc", "--sex", "male"],
    ],
)
def test_targets_bad_input(args: list[str]) -> None:
    result = runner.invoke(app, ["targets", *args])
    assert result.exit_code == 2


def _files(tmp_path: Path, profile: str, meals: str) -> list[str]:
    (tmp_path / "profile.json").write_text(profile, encoding="utf-8")
    (tmp_path / "meals.txt").write_text(meals, encoding="utf-8")
    return [
        "day",
        "--profile",
        str(tmp_path / "profile.json"),
        "--meals",
        str(tmp_path / "meals.txt"),
    ]


def test_day_summary(tmp_path: Path) -> None:
    args = _files(
        tmp_path,
        '{"age": 45, "sex": "female", "language": "nl"}',
        "2 sneetjes volkorenbrood met pindakaas\n"
        "een banaan, 30 g amandelen\n"
        "250 ml halfvolle melk\n",
    )
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    magnesium = view["magnesium"]
    assert view["reference"] == "nl"
    assert magnesium["target"]["value"] == 300
    assert magnesium["intake"] == pytest.approx(57.4 + 49.3 + 31.9 + 80.4 + 27.5, abs=1)
    assert magnesium["gap"] == pytest.approx(300 - magnesium["intake"], abs=0.2)
    assert magnesium["top_foods"][0]["food"]["id"] == "sr24:12061"
    # Calcium from USDA SR24 per 100 g: whole-wheat bread 107 mg, peanut butter 43, banana 5,
    # almonds 264, 1% milk 125; the grams of each as for the magnesium above.
    calcium = 70 * 1.07 + 32 * 0.43 + 118 * 0.05 + 30 * 2.64 + 250 * 1.25
    assert view["calcium_magnesium_ratio"]["value"] == pytest.approx(
        calcium / magnesium["intake"], abs=0.01
    )
    assert "geen doel" in view["calcium_magnesium_ratio"]["note"]  # not a target, in Dutch
    assert set(view["context"]) == {"calcium_mg", "potassium_mg", "vitamin_d_ug"}
    table = runner.invoke(app, args)
    assert table.exit_code == 0
    assert "Magnesium vandaag" in table.stdout  # the profile's language is Dutch


@pytest.mark.parametrize(
    ("profile", "meals", "message"),
    [
        ("{not json", "een banaan", "not valid JSON"),
        ('{"age": 45}', "een banaan", "sex"),
        ('{"age": 200, "sex": "male"}', "een banaan", "age"),
        ('{"age": 45, "sex": "male", "weight": 80}', "een banaan", "unknown profile field"),
        ('{"age": 45, "sex": "male"}', "\n\n", "no meals"),
        ('{"age": 45, "sex": "male"}', "qwerty", "no food recognised"),
    ],
)
def test_day_bad_input(tmp_path: Path, profile: str, meals: str, message: str) -> None:
    result = runner.invoke(app, _files(tmp_path, profile, meals))
    assert result.exit_code == 2
    assert message in result.stderr


def test_day_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["day", "--profile", str(tmp_path / "nope.json"), "--meals", str(tmp_path / "x.txt")]
    )
    assert result.exit_code == 2
    assert "cannot read" in result.stderr

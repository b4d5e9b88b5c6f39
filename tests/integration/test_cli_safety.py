"""`rugwijzer supplement`, `rugwijzer screen` and `rugwijzer triage` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rugwijzer.cli.main import app
from rugwijzer.content import render
from rugwijzer.domain.triage import QUESTIONS

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("cli_environment")
BOOLEAN_KEYS = [q.key for q in QUESTIONS if q.kind == "yes_no"]
DUTCH = {"LANG": "nl_NL.UTF-8"}


def _write(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def test_elemental_exact_json() -> None:
    result = runner.invoke(
        app, ["supplement", "elemental", "--form", "oxide", "--compound-mg", "400", "--json"]
    )
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert view["exact"] is True
    assert view["elemental_mg"] == pytest.approx(241.2)
    form = view["forms"][0]
    assert form["formula"] == "MgO"
    assert form["published_percent"] == 60.3
    assert form["absorption"]["grade"]
    assert form["absorption"]["sources"]


def test_elemental_ambiguous_gives_a_range_and_asks() -> None:
    result = runner.invoke(
        app, ["supplement", "elemental", "--form", "citrate", "--compound-mg", "500", "--json"]
    )
    view = json.loads(result.stdout)
    assert view["exact"] is False
    assert view["elemental_mg"] is None
    # From the formulas with IUPAC standard atomic weights: the lowest is magnesium hydrogen
    # citrate MgC6H6O7, the highest anhydrous trimagnesium dicitrate Mg3(C6H5O7)2.
    mg, c, h, o = 24.305, 12.011, 1.008, 15.999
    low = round(500 * mg / (mg + 6 * c + 6 * h + 7 * o), 1)
    high = round(500 * 3 * mg / (3 * mg + 12 * c + 10 * h + 14 * o), 1)
    assert view["elemental_range_mg"] == [low, high]
    assert len(view["forms"]) == 3
    assert view["message"]["sources"]
    text = runner.invoke(
        app, ["supplement", "elemental", "--form", "citrate", "--compound-mg", "500"]
    )
    assert text.stdout.splitlines()[0] == (
        f"'citrate' can mean several compounds: {low}-{high} mg elemental magnesium"
    )


@pytest.mark.parametrize(
    "args",
    [["--form", "kryptonite", "--compound-mg", "100"], ["--form", "oxide", "--compound-mg", "-1"]],
)
def test_elemental_bad_input(args: list[str]) -> None:
    result = runner.invoke(app, ["supplement", "elemental", *args])
    assert result.exit_code == 2


def _check(  # type: ignore[no-untyped-def]
    tmp_path: Path, profile: str, supplements: str, *extra: str, env: dict[str, str] | None = None
):
    return runner.invoke(
        app,
        [
            "supplement",
            "check",
            "--profile",
            _write(tmp_path, "profile.json", profile),
            "--supplements",
            _write(tmp_path, "supplements.json", supplements),
            *extra,
        ],
        env=env,
    )


def test_check_nih_adult_over_the_limit(tmp_path: Path) -> None:
    result = _check(
        tmp_path,
        '{"age": 45, "sex": "male", "medicines": ["doxycycline"], "food_magnesium_mg": 250,'
        ' "language": "nl"}',
        '[{"label": "magnesium (as citrate) 200 mg", "servings_per_day": 2}]',
        "--reference",
        "nih",
        "--json",
    )
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert view["total_elemental_mg"] == 400
    assert view["supplement_upper_limit_mg"] == 350
    assert view["over_limit_mg"] == 50
    assert view["max_supplemental_mg"] == 350
    assert {w["key"] for w in view["warnings"]} >= {"warn.over_limit", "warn.split_dose"}
    assert view["interactions"][0]["class"] == "tetracyclines"
    assert "4 tot 6 uur" in view["interactions"][0]["text"]  # in the profile's language
    assert view["food_first"]["gap_mg"] == 170
    assert view["food_first"]["suggestions"][0]["magnesium_mg"] > 100


def test_check_eu_limit_and_food_never_counts(tmp_path: Path) -> None:
    result = _check(
        tmp_path,
        '{"age": 45, "sex": "female", "food_magnesium_mg": 900, "language": "en"}',
        '[{"form": "bisglycinate", "compound_mg": 1000}]',
        "--reference",
        "efsa",
        "--json",
    )
    view = json.loads(result.stdout)
    assert view["supplement_upper_limit_mg"] == 250
    assert view["total_elemental_mg"] == pytest.approx(141.0, abs=0.1)
    assert view["over_limit_mg"] is None  # 900 mg from food is never counted
    assert view["food_first"]["gap_mg"] == 0


def test_check_pregnancy_and_kidney_disease_give_no_dose(tmp_path: Path) -> None:
    for profile in (
        '{"age": 30, "sex": "female", "pregnant": true}',
        '{"age": 60, "sex": "male", "egfr": 22}',
        '{"age": 60, "sex": "male", "heart_rhythm_problems": true}',
        '{"age": 3, "sex": "male"}',
    ):
        view = json.loads(_check(tmp_path, profile, '[{"elemental_mg": 100}]', "--json").stdout)
        assert view["hard_stops"], profile
        assert view["dose_may_be_suggested"] is False
        assert view["max_supplemental_mg"] is None
        assert view["advice"]["key"] == "info.no_dose"


@pytest.mark.parametrize(("env", "lang", "grade"), [({}, "en", "grade"), (DUTCH, "nl", "niveau")])
def test_check_text_output(tmp_path: Path, env: dict[str, str], lang: str, grade: str) -> None:
    result = _check(
        tmp_path,
        '{"age": 30, "sex": "female", "pregnant": true}',
        '[{"elemental_mg": 100}]',
        env=env,
    )
    assert result.exit_code == 0
    # Rich wraps long lines: compare the words
    words = " ".join(result.stdout.split())
    assert f"STOP {render('stop.pregnancy', lang)['text']} [{grade} " in words
    assert f"{render('info.no_dose', lang)['text']} [{grade} " in words


@pytest.mark.parametrize(
    ("profile", "supplements", "message"),
    [
        ('{"age": 45, "sex": "male"}', '[{"elemental_mg": 6000}]', "not a plausible"),
        ('{"age": 45, "sex": "male"}', '[{"elemental_mg": -100}]', "more than zero"),
        (
            '{"age": 45, "sex": "male"}',
            '[{"form": "unobtainium", "compound_mg": 100}]',
            "Unknown magnesium form",
        ),
        ('{"age": 45, "sex": "male"}', '[{"elemental_mg": 100, "colour": "red"}]', "unknown field"),
        ('{"age": 45, "sex": "male"}', "{oops", "not valid JSON"),
        ('{"age": 45, "sex": "male", "egfr": "low"}', '[{"elemental_mg": 100}]', "egfr"),
        (
            '{"age": 45, "sex": "male", "shoe_size": 44}',
            '[{"elemental_mg": 100}]',
            "unknown profile field",
        ),
        ('{"age": 45, "sex": "male"}', '[{"label": "vitamin C 100 mg"}]', "Cannot read the label"),
        (
            '{"age": 45, "sex": "male"}',
            '[{"elemental_mg": 2000, "servings_per_day": 3}]',
            "not a plausible",
        ),
    ],
)
def test_check_bad_input(tmp_path: Path, profile: str, supplements: str, message: str) -> None:
    result = _check(tmp_path, profile, supplements)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_screen_json(tmp_path: Path) -> None:
    answers = _write(
        tmp_path,
        "screen.json",
        '{"symptoms": ["cramps", "fatigue", "stiffness"], "risk_groups": ["type2_diabetes"],'
        ' "age": 70, "intake_mg": 140, "target_mg": 300}',
    )
    result = runner.invoke(app, ["screen", "--answers", answers, "--lang", "en", "--json"])
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert view["level"] == "elevated"
    # Stiffness is not on the NIH list: since issue #10 it has its own reason and no point.
    assert [reason["key"] for reason in view["reasons"]] == [
        "screen.low_intake",
        "screen.risk_group",
        "screen.risk_group",
        "screen.symptoms",
        "screen.symptoms_not_nih",
    ]
    assert view["points"] == 4
    keys = {note["key"] for note in view["notes"]}
    assert {
        "screen.not_diagnosis",
        "screen.serum_poor_marker",
        "screen.ask_gp",
        "screen.cramps_evidence",
    } <= keys
    assert all(reason["sources"] for reason in view["reasons"])


def test_screen_bad_input(tmp_path: Path) -> None:
    answers = _write(tmp_path, "screen.json", '{"symptoms": ["headache"]}')
    result = runner.invoke(app, ["screen", "--answers", answers])
    assert result.exit_code == 2


def test_triage_json(tmp_path: Path) -> None:
    answers = _write(
        tmp_path,
        "answers.json",
        '{"age": 67, "pain_weeks": 3, "saddle_numbness": true, "history_of_cancer": true}',
    )
    result = runner.invoke(app, ["triage", "--answers", answers, "--lang", "nl", "--json"])
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert view["urgency"] == "emergency"
    assert view["advice"]["key"] == "triage.emergency"
    assert view["advice"]["text"] == render("triage.emergency", "nl")["text"]
    assert view["reasons"][0]["group"] == "cauda_equina"
    assert view["duration_class"] == "acute"
    assert "fever" in view["unknown"]
    assert {"urgency", "reasons", "duration_class", "unknown"} <= set(view)


def test_triage_english_and_no_flags(tmp_path: Path) -> None:
    keys = [
        "not_improving",
        "bladder_or_bowel_change",
        "saddle_numbness",
        "leg_weakness_progressive",
        "recent_back_surgery",
        "sudden_severe_pain_unchanged_by_position",
        "fever",
        "iv_drug_use",
        "immunosuppressed",
        "recent_infection",
        "major_trauma",
        "minor_trauma_with_osteoporosis_or_steroids",
        "history_of_cancer",
        "unexplained_weight_loss",
        "night_pain_not_relieved_by_rest",
        "morning_stiffness_over_30_min_improving_with_exercise",
        "leg_pain_below_knee",
    ]
    answers = json.dumps({"age": 35, "pain_weeks": 20, **dict.fromkeys(keys, False)})
    result = runner.invoke(
        app, ["triage", "--answers", _write(tmp_path, "a.json", answers), "--lang", "en", "--json"]
    )
    view = json.loads(result.stdout)
    assert view["urgency"] == "none"
    assert view["duration_class"] == "chronic"
    assert view["unknown"] == []
    assert view["advice"]["key"] == "triage.none"


def test_triage_interactive() -> None:
    # age, weeks, then 17 yes/no questions in QUESTIONS order: only "fever" is yes, and the
    # last one (leg pain below the knee) is left unanswered
    replies = ["50", "2", "n", "n", "n", "n", "n", "n", "j"] + ["n"] * 9 + [""]
    result = runner.invoke(
        app, ["triage", "--interactive", "--json"], input="\n".join(replies) + "\n"
    )
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout[result.stdout.index("{") :])
    assert view["urgency"] == "urgent"
    assert [reason["key"] for reason in view["reasons"]] == ["fever"]
    assert view["unknown"] == ["leg_pain_below_knee"]


def test_triage_interactive_asks_every_question_and_recent_back_surgery_raises_urgency() -> None:
    # every question is asked in order; yes only to the recent back operation
    replies = ["35", "1"] + ["j" if q.key == "recent_back_surgery" else "n" for q in QUESTIONS[2:]]
    result = runner.invoke(
        app,
        ["triage", "--interactive", "--lang", "en", "--json"],
        input="\n".join(replies) + "\n",
    )
    assert result.exit_code == 0, result.output
    prompts = result.stdout[: result.stdout.index("{")]
    assert [q.en for q in QUESTIONS if q.en in prompts] == [q.en for q in QUESTIONS]
    assert "Have you had an operation or another procedure on your back" in prompts
    view = json.loads(result.stdout[result.stdout.index("{") :])
    assert view["urgency"] == "urgent"
    assert [reason["key"] for reason in view["reasons"]] == ["recent_back_surgery"]
    assert view["unknown"] == []


def test_triage_json_input_takes_recent_back_surgery(tmp_path: Path) -> None:
    calm = {"age": 35, "pain_weeks": 1, **dict.fromkeys(BOOLEAN_KEYS, False)}
    after_surgery = {**calm, "recent_back_surgery": True}
    views = []
    for name, answers in (("calm.json", calm), ("surgery.json", after_surgery)):
        result = runner.invoke(
            app, ["triage", "--answers", _write(tmp_path, name, json.dumps(answers)), "--json"]
        )
        assert result.exit_code == 0, result.output
        views.append(json.loads(result.stdout))
    assert [view["urgency"] for view in views] == ["none", "urgent"]
    assert views[1]["reasons"][0]["sources"][0]["id"] == "nhg-m54-2017"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"fever": "yes"}', "true, false or null"),
        ('{"mood": true}', "Unknown answer key"),
    ],
)
def test_triage_bad_input(tmp_path: Path, content: str, message: str) -> None:
    result = runner.invoke(app, ["triage", "--answers", _write(tmp_path, "a.json", content)])
    assert result.exit_code == 2
    assert message in result.stderr


def test_triage_needs_exactly_one_mode() -> None:
    assert runner.invoke(app, ["triage"]).exit_code == 2

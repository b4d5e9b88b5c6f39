from __future__ import annotations

import pytest

from rugwijzer.domain.screen import ScreenAnswers, parse_screen, screen
from rugwijzer.errors import InvalidInputError


def _answers(**kwargs: object) -> ScreenAnswers:
    return parse_screen(kwargs)


def test_low_when_nothing_points_to_risk() -> None:
    result = screen(_answers(age=40, intake_mg=320, target_mg=300))
    assert result.level == "low"
    assert result.reasons == ()


def test_symptoms_alone_stay_low() -> None:
    # Three NIH-listed signs (irritability, used here before issue #10, is not on the NIH list).
    result = screen(_answers(symptoms=["cramps", "fatigue", "weakness"]))
    assert result.level == "low"
    assert result.points == 1


def test_signs_not_on_the_nih_list_are_named_as_such_and_not_counted() -> None:
    result = screen(_answers(symptoms=["cramps", "fatigue", "stiffness", "irritability"]))
    assert result.points == 0
    assert result.reasons == (
        ("screen.symptoms", {"symptoms": ["cramps", "fatigue"]}),
        ("screen.symptoms_not_nih", {"symptoms": ["irritability", "stiffness"]}),
    )


def test_moderate_and_elevated() -> None:
    assert screen(_answers(intake_mg=120, target_mg=300)).level == "moderate"
    elevated = screen(
        _answers(intake_mg=120, target_mg=300, risk_groups=["proton_pump_inhibitor", "diuretic"])
    )
    assert elevated.level == "elevated"
    keys = [key for key, _ in elevated.reasons]
    assert keys.count("screen.risk_group") == 2
    assert "screen.low_intake" in keys


def test_older_age_counts_as_a_risk_group() -> None:
    result = screen(_answers(age=70))
    assert ("screen.risk_group", {"group": "older_age"}) in result.reasons


def test_numbness_and_palpitations_go_to_the_gp() -> None:
    result = screen(_answers(symptoms=["palpitations", "numbness_or_tingling"]))
    assert set(result.see_gp_symptoms) == {"palpitations", "numbness_or_tingling"}


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"symptoms": "cramps"},
        {"symptoms": ["headache"]},
        {"risk_groups": ["smoking"]},
        {"age": -1},
        {"intake_mg": "lots"},
        {"mood": "low"},
    ],
)
def test_bad_screen_input(data: object) -> None:
    with pytest.raises(InvalidInputError):
        parse_screen(data)

"""`ProfileInput`: the one validation of profile fields, with codes for every error."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code
from rugwijzer.services.profile_input import CheckProfileInput, ProfileInput, age_on

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ([1975], Code.PROFILE_NOT_OBJECT),
        ({"weight": 80}, Code.PROFILE_UNKNOWN_FIELD),
        ({"age": 45}, Code.PROFILE_UNKNOWN_FIELD),  # a stored profile keeps the year of birth
        ({"birth_year": 1889}, Code.PROFILE_BIRTH_YEAR),
        ({"birth_year": 2027}, Code.PROFILE_BIRTH_YEAR),  # after the year of the clock
        ({"birth_year": "1975"}, Code.PROFILE_BIRTH_YEAR),
        ({"birth_year": True}, Code.PROFILE_BIRTH_YEAR),
        ({"sex": "other"}, Code.PROFILE_SEX),
        ({"pregnant": "yes"}, Code.PROFILE_YES_NO),
        ({"kidney_disease": 1}, Code.PROFILE_YES_NO),
        ({"medicines": "omeprazol"}, Code.PROFILE_NAMES),
        ({"medicines": ["  "]}, Code.PROFILE_NAMES),
        ({"diet_exclusions": ["x" * 101]}, Code.PROFILE_NAMES),
        ({"medicines": ["a"] * 51}, Code.PROFILE_NAMES),
        ({"language": "de"}, Code.PROFILE_LANGUAGE),
        ({"reference": "who"}, Code.PROFILE_REFERENCE),
        ({"sex": "male", "pregnant": True}, Code.PROFILE_PREGNANCY_SEX),
        ({"sex": None, "lactating": True}, Code.PROFILE_PREGNANCY_SEX),
        ({"pregnant": True, "lactating": True}, Code.PROFILE_PREGNANT_AND_LACTATING),
    ],
)
def test_every_problem_is_a_code(values: Any, code: Code) -> None:
    with pytest.raises(InvalidInputError) as caught:
        ProfileInput.parse(values, today=TODAY)
    assert caught.value.message.code == code


def test_errors_carry_their_parameters() -> None:
    with pytest.raises(InvalidInputError) as caught:
        ProfileInput.parse({"birth_year": 2030}, today=TODAY)
    assert dict(caught.value.message.params) == {"earliest": "1890", "latest": "2026"}
    with pytest.raises(InvalidInputError) as caught:
        ProfileInput.parse({"shoe_size": 44, "weight": 80})
    assert caught.value.message.params["fields"] == ("shoe_size", "weight")
    assert "birth_year" in caught.value.message.params["known"]  # type: ignore[operator]


def test_only_given_fields_count_and_names_are_trimmed() -> None:
    checked = ProfileInput.parse({"birth_year": 1975, "medicines": [" omeprazol "]}, today=TODAY)
    assert checked.given() == {"birth_year": 1975, "medicines": ["omeprazol"]}
    # Pregnancy without the sex at hand is left to the stored profile (an update).
    assert ProfileInput.parse({"pregnant": True}).given() == {"pregnant": True}


def test_forms_may_require_fields() -> None:
    for values, code in (
        ({"sex": "female"}, Code.PROFILE_BIRTH_YEAR_NEEDED),
        ({"birth_year": 1975, "sex": None}, Code.PROFILE_SEX_NEEDED),
    ):
        with pytest.raises(InvalidInputError) as caught:
            ProfileInput.parse(values, today=TODAY, needed=("birth_year", "sex"))
        assert caught.value.message.code == code


def test_pydantic_reports_the_same_codes() -> None:
    """The API validates the body itself: the error's type is the code, its context the
    parameters."""
    with pytest.raises(ValidationError) as caught:
        ProfileInput.model_validate({"reference": "who"})
    (error,) = caught.value.errors()
    assert error["type"] == Code.PROFILE_REFERENCE.value
    assert error["ctx"] == {"choices": ("nih", "efsa", "nl")}


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"sex": "male"}, Code.PROFILE_AGE_NEEDED),
        ({"age": 45}, Code.PROFILE_SEX),
        ({"age": 200, "sex": "male"}, Code.PROFILE_AGE),
        ({"age": float("nan"), "sex": "male"}, Code.PROFILE_AGE),
        ({"age": 45, "sex": "male", "egfr": "low"}, Code.PROFILE_EGFR),
        ({"age": 45, "sex": "male", "egfr": 250}, Code.PROFILE_EGFR),
        ({"age": 45, "sex": "male", "food_magnesium_mg": -1}, Code.PROFILE_FOOD_MAGNESIUM),
        ({"age": 45, "sex": "male", "birth_year": 1980}, Code.PROFILE_UNKNOWN_FIELD),
    ],
)
def test_a_check_profile_has_an_age(values: dict[str, Any], code: Code) -> None:
    with pytest.raises(InvalidInputError) as caught:
        CheckProfileInput.parse(values)
    assert caught.value.message.code == code


def test_a_check_profile_takes_ints_for_numbers() -> None:
    checked = CheckProfileInput.parse({"age": 45, "sex": "female", "egfr": 25})
    assert (checked.age, checked.egfr) == (45.0, 25.0)


def test_age_on_a_day() -> None:
    assert age_on(1975, TODAY) == 51.0
    assert age_on(2030, TODAY) == 0.0

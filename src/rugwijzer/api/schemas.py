"""Request bodies of the API, with their limits (violations answer 422 problem+json)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rugwijzer.domain.aids import CATEGORIES
from rugwijzer.domain.diary import NOTE_MAX_CHARACTERS
from rugwijzer.domain.meals import MAX_ITEM_GRAMS
from rugwijzer.domain.triage import MAX_AGE_YEARS, MAX_PAIN_WEEKS, question
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code

__all__ = [
    "ChangeCreate",
    "ChangeUpdate",
    "CheckInPut",
    "Credentials",
    "GrantCreate",
    "MealCreate",
    "PasswordChange",
    "SupplementCreate",
    "TriageAnswers",
]

Score = Field(default=None, ge=0, le=10)
AidCategory = Field(
    default=None,
    max_length=40,
    description="The aid's catalogue category, for 'did it help': "
    + ", ".join(CATEGORIES)
    + ' (null or "" for none).',
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Credentials(_Strict):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=256)


class PasswordChange(_Strict):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=10, max_length=256)


class MealCreate(_Strict):
    text: str = Field(min_length=1, max_length=2000)
    date: dt.date | None = None
    lang: Literal["nl", "en"] | None = None


class MealItemPatch(_Strict):
    """Correct one item of a logged meal: its grams, its food, or both."""

    grams: float | None = Field(default=None, gt=0, le=MAX_ITEM_GRAMS)
    food_id: str | None = Field(default=None, min_length=1, max_length=40)

    @model_validator(mode="after")
    def _something_to_change(self) -> MealItemPatch:
        if self.grams is None and self.food_id is None:
            # An InvalidInputError is a ValueError: pydantic lists it among the invalid fields.
            raise InvalidInputError(Code.FORM_GRAMS_OR_FOOD)
        return self


class SupplementCreate(_Strict):
    date: dt.date | None = None
    name: str | None = Field(default=None, max_length=200)
    label: str | None = Field(default=None, max_length=300)
    form: str | None = Field(default=None, max_length=100)
    compound_mg: float | None = Field(default=None, gt=0, le=100_000)
    elemental_mg: float | None = Field(default=None, gt=0, le=5000)
    servings_per_day: float = Field(default=1.0, gt=0, le=100)


class CheckInPut(_Strict):
    pain: int | None = Score
    stress: int | None = Score
    sleep_quality: int | None = Score
    stiffness: int | None = Score
    cramps: bool | None = None
    minutes_active: int | None = Field(default=None, ge=0, le=1440)
    aid_worn: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=NOTE_MAX_CHARACTERS)
    pain_locations: list[str] = Field(default_factory=list, max_length=20)
    aid_category: str | None = AidCategory


class ChangeCreate(_Strict):
    description: str = Field(min_length=1, max_length=500)
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    aid_category: str | None = AidCategory


class ChangeUpdate(_Strict):
    """The fields sent change; the others stay as they are."""

    ended_on: dt.date | None = Field(default=None, description="The last day of the change.")
    aid_category: str | None = Field(
        default=None,
        max_length=40,
        description="The aid's catalogue category (" + ", ".join(CATEGORIES) + '); null or "" '
        "clears it.",
    )


class GrantCreate(_Strict):
    practitioner_email: str = Field(min_length=3, max_length=320)


def _asked(key: str) -> str:
    return question(key).en


def _yes_no(key: str) -> Any:
    return Field(default=None, description=f"{_asked(key)} true = yes, false = no, null = unknown.")


class TriageAnswers(BaseModel):
    """The red-flag answers: every key optional; an unknown key is refused. Strict types, so
    "yes" or 1 is not taken for true. The keys are `ANSWER_KEYS` (a test keeps them equal)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    age: float | None = Field(
        default=None, ge=0, le=MAX_AGE_YEARS, allow_inf_nan=False, description=_asked("age")
    )
    pain_weeks: float | None = Field(
        default=None,
        ge=0,
        le=MAX_PAIN_WEEKS,
        allow_inf_nan=False,
        description=_asked("pain_weeks"),
    )
    not_improving: bool | None = _yes_no("not_improving")
    bladder_or_bowel_change: bool | None = _yes_no("bladder_or_bowel_change")
    saddle_numbness: bool | None = _yes_no("saddle_numbness")
    leg_weakness_progressive: bool | None = _yes_no("leg_weakness_progressive")
    recent_back_surgery: bool | None = _yes_no("recent_back_surgery")
    sudden_severe_pain_unchanged_by_position: bool | None = _yes_no(
        "sudden_severe_pain_unchanged_by_position"
    )
    fever: bool | None = _yes_no("fever")
    iv_drug_use: bool | None = _yes_no("iv_drug_use")
    immunosuppressed: bool | None = _yes_no("immunosuppressed")
    recent_infection: bool | None = _yes_no("recent_infection")
    major_trauma: bool | None = _yes_no("major_trauma")
    minor_trauma_with_osteoporosis_or_steroids: bool | None = _yes_no(
        "minor_trauma_with_osteoporosis_or_steroids"
    )
    history_of_cancer: bool | None = _yes_no("history_of_cancer")
    unexplained_weight_loss: bool | None = _yes_no("unexplained_weight_loss")
    night_pain_not_relieved_by_rest: bool | None = _yes_no("night_pain_not_relieved_by_rest")
    morning_stiffness_over_30_min_improving_with_exercise: bool | None = _yes_no(
        "morning_stiffness_over_30_min_improving_with_exercise"
    )
    leg_pain_below_knee: bool | None = _yes_no("leg_pain_below_knee")

    def sent(self) -> dict[str, bool | float | None]:
        """Only the answers the client sent (an absent key and null both mean unknown)."""
        return self.model_dump(exclude_unset=True)

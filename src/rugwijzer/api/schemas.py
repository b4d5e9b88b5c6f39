"""Request bodies of the API, with their limits (violations answer 422 problem+json)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rugwijzer.domain.diary import NOTE_MAX_CHARACTERS
from rugwijzer.domain.meals import MAX_ITEM_GRAMS

__all__ = [
    "ChangeCreate",
    "ChangeEnd",
    "CheckInPut",
    "Credentials",
    "GrantCreate",
    "MealCreate",
    "PasswordChange",
    "ProfileUpdate",
    "SupplementCreate",
]

Score = Field(default=None, ge=0, le=10)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Credentials(_Strict):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=256)


class PasswordChange(_Strict):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=10, max_length=256)


class ProfileUpdate(_Strict):
    birth_year: int | None = Field(default=None, ge=1890, le=2100)
    sex: Literal["female", "male"] | None = None
    pregnant: bool | None = None
    lactating: bool | None = None
    kidney_disease: bool | None = None
    heart_rhythm_problems: bool | None = None
    medicines: list[str] | None = Field(default=None, max_length=50)
    diet_exclusions: list[str] | None = Field(default=None, max_length=50)
    language: Literal["nl", "en"] | None = None
    reference: Literal["nih", "efsa", "nl"] | None = None


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
            raise ValueError("send grams, food_id or both")
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


class ChangeCreate(_Strict):
    description: str = Field(min_length=1, max_length=500)
    started_on: dt.date | None = None
    ended_on: dt.date | None = None


class ChangeEnd(_Strict):
    ended_on: dt.date


class GrantCreate(_Strict):
    practitioner_email: str = Field(min_length=3, max_length=320)

"""The deficiency-risk screen from the diary: the symptoms and risk groups a person ticks, with
the age from the profile and the magnesium from the food in the diary over the last two weeks.

The web page uses this; the CLI and the API take the same answers as JSON (`domain.screen`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from pydantic import Field

from rugwijzer.domain.screen import parse_screen
from rugwijzer.services.diary import Diary
from rugwijzer.services.profile_input import age_on
from rugwijzer.services.safety import screen_view
from rugwijzer.services.views import ScreenView, View

__all__ = [
    "SCREEN_MIN_LOGGED_DAYS",
    "SCREEN_PERIOD_DAYS",
    "DiaryScreenView",
    "ScreenIntake",
    "run_diary_screen",
    "screen_intake",
]

#: The food intake counted: the mean over the days with meals in the last two weeks, and only
#: with at least three such days (one day says little about the usual intake).
SCREEN_PERIOD_DAYS = 14
SCREEN_MIN_LOGGED_DAYS = 3


class ScreenIntake(View):
    """What the diary tells the screen."""

    period_days: int = Field(description="How many days back the diary was read.")
    logged_days: int = Field(description="Days with at least one meal in that period.")
    food_magnesium_mg: float | None = Field(
        description="Mean magnesium from food on the days with meals; null with too few days."
    )
    target_mg: float | None
    age_years: int | None


class DiaryScreenView(View):
    """The screen's result with the diary figures it used, and the id it is kept under."""

    id: int
    intake: ScreenIntake
    result: ScreenView


def screen_intake(diary: Diary, user_id: int) -> ScreenIntake:
    """Age, target and the usual magnesium from food, as far as the diary knows them."""
    today = diary.today()
    period = diary.summaries.period(user_id, today - timedelta(days=SCREEN_PERIOD_DAYS - 1), today)
    logged = [d.magnesium_food_mg for d in period.days if d.magnesium_food_mg is not None]
    targets = diary.summaries.day(user_id).targets
    profile = diary.profiles.profile(user_id)
    birth_year = profile.birth_year if profile else None
    return ScreenIntake(
        period_days=SCREEN_PERIOD_DAYS,
        logged_days=len(logged),
        food_magnesium_mg=round(sum(logged) / len(logged), 1)
        if len(logged) >= SCREEN_MIN_LOGGED_DAYS
        else None,
        target_mg=float(targets.magnesium["value"]) if targets else None,
        age_years=int(age_on(birth_year, today)) if birth_year else None,
    )


def run_diary_screen(
    diary: Diary,
    user_id: int,
    symptoms: Iterable[str],
    risk_groups: Iterable[str],
    lang: str,
) -> DiaryScreenView:
    """Screen with the diary's figures, keep the result with its answers, and return it.
    Unknown symptom or risk-group names are an `InvalidInputError` (nothing is kept)."""
    intake = screen_intake(diary, user_id)
    answers: dict[str, Any] = {
        "symptoms": sorted(set(symptoms)),
        "risk_groups": sorted(set(risk_groups)),
    }
    if intake.age_years is not None:
        answers["age"] = intake.age_years
    if intake.food_magnesium_mg is not None and intake.target_mg is not None:
        answers["intake_mg"] = intake.food_magnesium_mg
        answers["target_mg"] = intake.target_mg
    result = screen_view(parse_screen(answers), lang)
    entry_id = diary.entries.record_assessment(user_id, "screen", answers, result.to_json())
    return DiaryScreenView(id=entry_id, intake=intake, result=result)

"""Summaries of a diary: a day against the targets, a period day by day, the red flag.

Every public method is one transaction (they only read).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session, joinedload

from rugwijzer.domain.nutrients import NUTRIENTS, VITAMIN_D_IU_PER_UG, Nutrient
from rugwijzer.domain.supplements import SupplementIntake
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code
from rugwijzer.services.diary_views import (
    Amount,
    DayTargets,
    DayView,
    NutrientTotal,
    PeriodDay,
    PeriodView,
    RedFlagView,
    change_view,
    checkin_view,
    meal_view,
    profile_view,
    supplement_view,
)
from rugwijzer.services.profile import DiaryPart
from rugwijzer.services.safety import (
    check_inputs_from_profile,
    stored_supplement_advice,
)
from rugwijzer.services.targets import target_view, targets_for
from rugwijzer.store import queries
from rugwijzer.store.engine import transaction
from rugwijzer.store.meal_text import how_message
from rugwijzer.store.models import MealEntry, Profile, SupplementEntry, User

__all__ = [
    "MAX_PERIOD_DAYS",
    "SummaryService",
    "day_supplement_advice",
    "latest_red_flag",
    "read_day",
    "totals",
]

MAX_PERIOD_DAYS = 366
_RED_FLAG_URGENCIES = ("emergency", "urgent", "soon")


def latest_red_flag(session: Session, user_id: int) -> RedFlagView | None:
    """The newest stored triage result, when it found a reason to see a doctor and the user
    has not acknowledged it yet."""
    latest = queries.latest_triage(session, user_id)
    if (
        latest is None
        or latest.acknowledged_at is not None
        or latest.result.get("urgency") not in _RED_FLAG_URGENCIES
    ):
        return None
    return RedFlagView(
        urgency=latest.result["urgency"],
        advice=latest.result.get("advice"),
        reasons=latest.result.get("reasons", []),
        recorded_at=latest.created_at,
    )


def day_supplement_advice(
    profile: Profile | None, on: date, rows: Sequence[SupplementEntry], lang: str | None
) -> Any:
    """The stored profile's supplement advice for the day's logged supplements (None while the
    profile lacks a year of birth or a sex)."""
    intakes = [
        SupplementIntake(row.name, row.elemental_mg, row.servings, how_message(row.how))
        for row in rows
    ]
    stored = profile_view(profile) if profile else None
    return stored_supplement_advice(stored, on, intakes, lang=lang)


def totals(meals: Sequence[MealEntry]) -> dict[str, NutrientTotal | Amount]:
    """Totals from the stored snapshots; food without a value is counted, never taken as zero.
    Amounts keep two decimals, so a page that rounds them once shows what a sum by hand gives."""
    found: dict[str, NutrientTotal | Amount] = {}
    items = [item for meal in meals for item in meal.items]
    exact: dict[str, float] = {}
    for info in NUTRIENTS:
        key = info.nutrient.value
        exact[key] = sum(float(item.nutrients[key]) for item in items if key in item.nutrients)
        without = sum(item.grams for item in items if key not in item.nutrients)
        found[key] = NutrientTotal(
            amount=round(exact[key], 2), unit=info.unit, grams_without_value=round(without, 1)
        )
    vitamin_d_ug = exact[Nutrient.VITAMIN_D_IU.value] / VITAMIN_D_IU_PER_UG
    found["vitamin_d_ug"] = Amount(amount=round(vitamin_d_ug, 2), unit="µg")
    return found


def read_day(
    session: Session, user_id: int, on: date, lang: str | None
) -> tuple[DayView, Profile | None]:
    """The day as `SummaryService.day` shows it, read in the caller's transaction, and the
    stored profile it was measured against (Today needs it for the planner too)."""
    # the profile comes in the same query: Today asks for this on every view
    user = queries.user(session, user_id, joinedload(User.profile))
    meals = queries.meals_on(session, user_id, on)
    supplements = queries.supplements_between(session, user_id, on, on)
    checkin = queries.checkin_on(session, user_id, on)
    day_totals = totals(meals)
    advice = day_supplement_advice(user.profile, on, supplements, lang)
    view = DayView(
        # Red flags come before everything else the day shows.
        red_flag=latest_red_flag(session, user_id),
        day=on,
        meals=[meal_view(meal) for meal in meals],
        supplements=[supplement_view(row) for row in supplements],
        checkin=checkin_view(checkin) if checkin else None,
        totals=day_totals,
        supplement_magnesium_mg=_supplement_mg(supplements),
        targets=_day_targets(user.profile, on, day_totals["magnesium_mg"].amount, advice),
        supplement_advice=advice,
    )
    return view, user.profile


def _supplement_mg(rows: Sequence[SupplementEntry]) -> float:
    return round(sum(row.elemental_mg * row.servings for row in rows), 1)


class SummaryService(DiaryPart):
    """What a diary adds up to."""

    def day(self, user_id: int, day: date | None = None, *, lang: str | None = None) -> DayView:
        """The day's meals, supplements and check-in with totals against the targets, and the
        supplement advice (hard stops first) in `lang` (default: the profile's language)."""
        with transaction(self.sessions, autocommit=True) as session:  # it only reads
            return read_day(session, user_id, day or self.today(), lang)[0]

    def period(self, user_id: int, start: date, end: date) -> PeriodView:
        """Day by day from `start` to `end`: magnesium from food and supplements, pain, stress."""
        if end < start:
            raise InvalidInputError(Code.PERIOD_ENDS_BEFORE_START)
        if (end - start).days > MAX_PERIOD_DAYS:
            raise InvalidInputError(Code.PERIOD_TOO_LONG, days=MAX_PERIOD_DAYS)
        with transaction(self.sessions) as session:
            queries.user(session, user_id)
            meals = queries.meals_between(session, user_id, start, end)
            supplements = queries.supplements_between(session, user_id, start, end)
            checkins = {
                row.day: row for row in queries.checkins_between(session, user_id, start, end)
            }
            changes = queries.changes_until(session, user_id, end)
            days = []
            for offset in range((end - start).days + 1):
                cursor = start + timedelta(days=offset)
                day_meals = [meal for meal in meals if meal.eaten_on == cursor]
                checkin = checkins.get(cursor)
                days.append(
                    PeriodDay(
                        day=cursor,
                        magnesium_food_mg=totals(day_meals)["magnesium_mg"].amount
                        if day_meals
                        else None,
                        magnesium_supplements_mg=_supplement_mg(
                            [row for row in supplements if row.taken_on == cursor]
                        ),
                        pain=checkin.pain if checkin else None,
                        stress=checkin.stress if checkin else None,
                    )
                )
            return PeriodView(
                start=start,
                end=end,
                days=days,
                changes=[
                    change_view(row)
                    for row in changes
                    if row.ended_on is None or row.ended_on >= start
                ],
            )

    def red_flag(self, user_id: int) -> RedFlagView | None:
        """The newest stored triage result when it found a reason to see a doctor."""
        with transaction(self.sessions) as session:
            return latest_red_flag(session, user_id)


def _day_targets(
    profile: Profile | None, on: date, food_mg: float, advice: Any
) -> DayTargets | None:
    """The day's magnesium against the targets of the stored profile (None without a year of
    birth or a sex)."""
    inputs = check_inputs_from_profile(profile_view(profile) if profile else None, on)
    if inputs is None:
        return None
    target_profile, _flags, reference = inputs
    targets = targets_for(target_profile, reference)
    target = targets.magnesium.value
    return DayTargets(
        reference=reference,
        magnesium=target_view(targets.magnesium),
        context={
            "calcium_mg": target_view(targets.calcium),
            "potassium_mg": target_view(targets.potassium),
            "vitamin_d_ug": target_view(targets.vitamin_d),
        },
        # None under a hard stop: the advice says why
        supplement_upper_limit=advice["upper_limit"],
        magnesium_gap_mg=None if target is None else round(max(0.0, target - food_mg), 1),
        magnesium_percent_of_target=None if not target else round(100 * food_mg / target, 1),
    )

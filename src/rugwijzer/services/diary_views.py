"""What the diary services return: typed views of profiles, entries, days, periods and exports.

The API declares them as response models and the templates read them (Jinja's `x["key"]`
falls back to attributes). A "record" is an entry as an export holds it; its "view" adds the
database id, which means nothing outside this database. Dates are `date`s in Python and
"YYYY-MM-DD" in JSON.

Some fields hold what other services build (a target, the supplement advice, a triage result,
a meal item's grams derivation): they are typed loosely here and keep the shape those give.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from rugwijzer.domain.aids import Category
from rugwijzer.services.meal_items import item_view
from rugwijzer.services.views import LabelReadingView
from rugwijzer.store.meal_text import how_message
from rugwijzer.store.models import Change, CheckIn, MealEntry, Profile, SupplementEntry

__all__ = [
    "AccessRecord",
    "Amount",
    "AssessmentRecord",
    "ChangeRecord",
    "ChangeView",
    "CheckInRecord",
    "CheckInView",
    "DayTargets",
    "DayView",
    "EntryPage",
    "ExportDocument",
    "FoodChoice",
    "ImportCounts",
    "MealItemView",
    "MealRecord",
    "MealView",
    "NutrientTotal",
    "PeriodDay",
    "PeriodView",
    "ProfileView",
    "RecordedAid",
    "RedFlagView",
    "StoredAssessment",
    "SupplementLogged",
    "SupplementRecord",
    "SupplementView",
    "UnparsedWords",
    "change_view",
    "checkin_view",
    "meal_view",
    "profile_view",
    "supplement_view",
]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class ProfileView(_View):
    """The stored profile."""

    birth_year: int | None
    sex: Literal["female", "male"] | None
    pregnant: bool
    lactating: bool
    kidney_disease: bool
    heart_rhythm_problems: bool
    medicines: list[str]
    diet_exclusions: list[str]
    language: Literal["nl", "en"]
    reference: Literal["nih", "efsa", "nl"] | None


class FoodChoice(_View):
    """Another food that fits an item's words (one to choose instead)."""

    food_id: str
    name_en: str
    name_nl: str | None = None


class MealItemView(_View):
    """One understood item of a meal with the nutrient values stored for it.

    `grams_derivation` tells how the grams were found (its shape is the meal items'); keys the
    meal items add later are kept."""

    model_config = ConfigDict(frozen=True, extra="allow")

    text: str
    food_id: str
    food_name_en: str
    food_name_nl: str | None
    dataset: str
    grams: float
    grams_derivation: Any
    nutrients: dict[str, float]
    alternatives: list[FoodChoice]


class UnparsedWords(_View):
    """Words of a meal that were not understood, and why (its shape is the meal items')."""

    model_config = ConfigDict(frozen=True, extra="allow")

    text: str
    reason: Any = None


class MealRecord(_View):
    """A meal as the user wrote it, with what was understood."""

    eaten_on: date
    text: str
    #: the language the text was read in
    language: str | None
    unparsed: list[UnparsedWords]
    items: list[MealItemView]


class MealView(MealRecord):
    """A stored meal."""

    id: int


class SupplementRecord(_View):
    """A supplement taken on a day."""

    taken_on: date
    name: str
    form_key: str | None
    compound_mg: float | None
    elemental_mg: float
    servings: float
    how: dict[str, Any]  # how the elemental amount was counted: a message {code, params}


class SupplementView(SupplementRecord):
    """A stored supplement."""

    id: int


class SupplementLogged(SupplementView):
    """A supplement just logged, with the day's advice for the stored profile (None while the
    profile lacks a year of birth or a sex)."""

    supplement_advice: Any
    #: how the label was read, when the supplement was given as a label
    label_reading: LabelReadingView | None = None


class CheckInRecord(_View):
    """How a day went."""

    day: date
    pain: int | None
    pain_locations: list[str]
    stress: int | None
    sleep_quality: int | None
    stiffness: int | None
    cramps: bool | None
    minutes_active: int | None
    aid_worn: str | None
    note: str | None
    #: the catalogue category of the aid used (`rugwijzer.domain.aids.CATEGORIES`); exports
    #: from before it existed leave it out
    aid_category: Category | None = None


class CheckInView(CheckInRecord):
    """A stored check-in."""

    id: int


class ChangeRecord(_View):
    """Something the user changed, from a day until an optional day."""

    description: str
    started_on: date
    ended_on: date | None
    #: when the change is an aid: its catalogue category (exports from before leave it out)
    aid_category: Category | None = None


class ChangeView(ChangeRecord):
    """A stored change."""

    id: int


class RecordedAid(_View):
    """An aid category the check-ins name that no change is about yet: from when, how often."""

    category: Category
    first_day: date
    days: int


class AssessmentRecord(_View):
    """A triage or screen result with the answers it came from."""

    kind: Literal["triage", "screen"]
    answers: dict[str, Any]
    result: dict[str, Any]
    created_at: datetime | None
    acknowledged_at: datetime | None


class StoredAssessment(BaseModel):
    """A triage or screen result as shown (see the triage and screen views) with the id it
    is kept under in the diary."""

    model_config = ConfigDict(extra="allow")

    id: int


class EntryPage(_View):
    """A page of entries of one kind, newest first."""

    items: list[MealView] | list[SupplementView] | list[CheckInView] | list[ChangeView]
    total: int
    limit: int
    offset: int


class RedFlagView(_View):
    """The newest triage result that found a reason to see a doctor, until acknowledged."""

    urgency: Literal["emergency", "urgent", "soon"]
    advice: Any
    reasons: list[Any]
    recorded_at: datetime | None


class Amount(_View):
    """An amount with its unit."""

    amount: float
    unit: str


class NutrientTotal(Amount):
    """A day's total of a nutrient from the stored snapshots, and the grams of food that had
    no value for it (never counted as zero)."""

    grams_without_value: float


class DayTargets(_View):
    """The day's magnesium against the profile's targets."""

    reference: str
    magnesium: Any
    context: dict[str, Any]
    #: None under a hard stop: the advice says why
    supplement_upper_limit: Any
    magnesium_gap_mg: float | None
    magnesium_percent_of_target: float | None


class DayView(_View):
    """A day: meals, supplements, check-in, totals, targets and the supplement advice, with
    the red flag first."""

    red_flag: RedFlagView | None
    day: date
    meals: list[MealView]
    supplements: list[SupplementView]
    checkin: CheckInView | None
    totals: dict[str, NutrientTotal | Amount]
    supplement_magnesium_mg: float
    targets: DayTargets | None
    supplement_advice: Any


class PeriodDay(_View):
    """One day of a period: magnesium from food (None without meals) and supplements, pain,
    stress."""

    day: date
    magnesium_food_mg: float | None
    magnesium_supplements_mg: float
    pain: int | None
    stress: int | None


class PeriodView(_View):
    """Day by day over a period, with the changes that were going on."""

    start: date
    end: date
    days: list[PeriodDay]
    changes: list[ChangeView]


class AccessRecord(_View):
    """One read of the user's data by a practitioner (the access audit, issue #16):
    `resource` is a code ("export", "report.pdf"); the email is None once that practitioner's
    account is deleted."""

    occurred_at: datetime
    practitioner_email: str | None
    resource: str


class ExportDocument(_View):
    """Everything of one user: the export file (its `format` names the layout).

    `access_log` came after the format's first version; it is additive, so the format stays
    "rugwijzer-export/1", and an import ignores it (a log of reads elsewhere is no diary data
    and must not be forged into this installation's audit)."""

    format: str
    exported_by: str
    exported_at: datetime
    profile: ProfileView | None
    meals: list[MealRecord]
    supplements: list[SupplementRecord]
    checkins: list[CheckInRecord]
    changes: list[ChangeRecord]
    assessments: list[AssessmentRecord]
    access_log: list[AccessRecord] = []

    def to_json(self) -> str:
        """The export file's text."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2)


class ImportCounts(_View):
    """How many entries of each kind an import restored."""

    meals: int
    supplements: int
    checkins: int
    changes: int
    assessments: int


# --- from rows ----------------------------------------------------------------------------------


def profile_view(profile: Profile) -> ProfileView:
    """A stored profile as shown."""
    return ProfileView.model_validate(
        {key: getattr(profile, key) for key in ProfileView.model_fields}
    )


def meal_view(meal: MealEntry) -> MealView:
    """A stored meal with its items."""
    return MealView(
        id=meal.id,
        eaten_on=meal.eaten_on,
        text=meal.text,
        language=meal.language,
        unparsed=[UnparsedWords.model_validate(part) for part in meal.unparsed],
        items=[MealItemView.model_validate(item_view(item)) for item in meal.items],
    )


def new_meal_view(
    meal_id: int,
    *,
    eaten_on: date,
    text: str,
    language: str | None,
    unparsed: list[dict[str, Any]],
    items: list[dict[str, Any]],
) -> MealView:
    """A meal just stored, from the values written (no read back): the same view as
    `meal_view` of its row."""
    return MealView(
        id=meal_id,
        eaten_on=eaten_on,
        text=text,
        language=language,
        unparsed=[UnparsedWords.model_validate(part) for part in unparsed],
        items=[
            MealItemView.model_validate({k: v for k, v in item.items() if k != "position"})
            for item in items
        ],
    )


def supplement_view(row: SupplementEntry) -> SupplementView:
    """A stored supplement."""
    fields = {key: getattr(row, key) for key in SupplementView.model_fields if key != "how"}
    return SupplementView.model_validate({**fields, "how": how_message(row.how).to_json()})


def checkin_view(row: CheckIn) -> CheckInView:
    """A stored check-in."""
    return CheckInView.model_validate(
        {
            **{key: getattr(row, key) for key in CheckInView.model_fields},
            "pain_locations": list(row.pain_locations or []),
        }
    )


def change_view(row: Change) -> ChangeView:
    """A stored change."""
    return ChangeView.model_validate(row, from_attributes=True)

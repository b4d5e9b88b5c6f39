"""Diary inputs, validated before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

from rugwijzer.domain.aids import CATEGORIES
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code, Message

__all__ = [
    "NOTE_MAX_CHARACTERS",
    "ChangeInput",
    "CheckInInput",
    "check_aid_category",
    "check_day",
]

NOTE_MAX_CHARACTERS = 2000
#: Diary days before this are typos, not history.
EARLIEST_DAY = date(1900, 1, 1)


_WHAT = {
    "date": Code.ENTRY_THE_DATE,
    "start date": Code.ENTRY_THE_START_DATE,
    "end date": Code.ENTRY_THE_END_DATE,
}
#: The check-in scores by field, as the errors name them.
_SCORE_FIELDS = {
    "pain": Code.ENTRY_FIELD_PAIN,
    "stress": Code.ENTRY_FIELD_STRESS,
    "sleep_quality": Code.ENTRY_FIELD_SLEEP,
    "stiffness": Code.ENTRY_FIELD_STIFFNESS,
}
MAX_MINUTES_ACTIVE = 1440  # a whole day
MAX_AID_CHARACTERS = 200
MAX_CHANGE_CHARACTERS = 500


def check_day(
    day: date, *, today: date, what: Literal["date", "start date", "end date"] = "date"
) -> date:
    """A diary day: not before 1900 and not after tomorrow (time zones differ)."""
    if day < EARLIEST_DAY:
        raise InvalidInputError(
            Code.ENTRY_DAY_TOO_EARLY, what=Message.of(_WHAT[what]), day=day.isoformat()
        )
    if day > today + timedelta(days=1):
        raise InvalidInputError(
            Code.ENTRY_DAY_IN_FUTURE, what=Message.of(_WHAT[what]), day=day.isoformat()
        )
    return day


def check_aid_category(category: str | None) -> str | None:
    """An aid category of the catalogue (`rugwijzer.domain.aids.CATEGORIES`), or None for none
    (an empty or blank value is none); `InvalidInputError` for any other."""
    if category is None or not category.strip():
        return None
    if category.strip() not in CATEGORIES:
        raise InvalidInputError(
            Code.ENTRY_UNKNOWN_AID_CATEGORY, category=category[:60], known=CATEGORIES
        )
    return category.strip()


def _scale(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        shown: int | str = value if type(value) is int else str(value)  # numbers as numbers
        raise InvalidInputError(
            Code.ENTRY_SCORE_RANGE, field=Message.of(_SCORE_FIELDS[name]), value=shown
        )
    return value


@dataclass(frozen=True, slots=True)
class CheckInInput:
    """A daily check-in: scores 0-10, cramps yes/no, minutes active, aid worn, a short note.

    `aid_worn` is the aid in the user's own words; `aid_category` the catalogue category it
    belongs to (one of `rugwijzer.domain.aids.CATEGORIES`), which lets an aid be analysed as a
    change."""

    day: date
    pain: int | None = None
    stress: int | None = None
    sleep_quality: int | None = None
    stiffness: int | None = None
    cramps: bool | None = None
    minutes_active: int | None = None
    aid_worn: str | None = None
    note: str | None = None
    pain_locations: tuple[str, ...] = field(default=())
    aid_category: str | None = None

    def validated(self, *, today: date) -> CheckInInput:
        """This check-in (an empty aid category as none), or `InvalidInputError` naming the
        first problem."""
        check_day(self.day, today=today)
        category = check_aid_category(self.aid_category)
        for name in _SCORE_FIELDS:
            _scale(name, getattr(self, name))
        if self.minutes_active is not None and (
            isinstance(self.minutes_active, bool)
            or not 0 <= self.minutes_active <= MAX_MINUTES_ACTIVE
        ):
            raise InvalidInputError(Code.ENTRY_MINUTES_RANGE, maximum=MAX_MINUTES_ACTIVE)
        if self.note is not None and len(self.note) > NOTE_MAX_CHARACTERS:
            raise InvalidInputError(Code.ENTRY_NOTE_TOO_LONG, maximum=NOTE_MAX_CHARACTERS)
        if self.aid_worn is not None and len(self.aid_worn) > MAX_AID_CHARACTERS:
            raise InvalidInputError(Code.ENTRY_AID_TOO_LONG, maximum=MAX_AID_CHARACTERS)
        if any(not location.strip() or len(location) > 60 for location in self.pain_locations):
            raise InvalidInputError(Code.ENTRY_PAIN_LOCATIONS)
        if (
            all(
                getattr(self, name) is None
                for name in (
                    "pain",
                    "stress",
                    "sleep_quality",
                    "stiffness",
                    "cramps",
                    "minutes_active",
                    "aid_worn",
                    "note",
                )
            )
            and not self.pain_locations
            and category is None
        ):
            raise InvalidInputError(Code.ENTRY_CHECKIN_EMPTY)
        return self if category == self.aid_category else replace(self, aid_category=category)


@dataclass(frozen=True, slots=True)
class ChangeInput:
    """Something that changed, from a start date, until an optional end date; `aid_category`
    when the change is an aid of the catalogue (one of `rugwijzer.domain.aids.CATEGORIES`)."""

    description: str
    started_on: date
    ended_on: date | None = None
    aid_category: str | None = None

    def validated(self, *, today: date) -> ChangeInput:
        """This change (an empty aid category as none), or `InvalidInputError`."""
        category = check_aid_category(self.aid_category)
        if not self.description.strip():
            raise InvalidInputError(Code.ENTRY_CHANGE_EMPTY)
        if len(self.description) > MAX_CHANGE_CHARACTERS:
            raise InvalidInputError(Code.ENTRY_CHANGE_TOO_LONG, maximum=MAX_CHANGE_CHARACTERS)
        check_day(self.started_on, today=today, what="start date")
        if self.ended_on is not None:
            check_day(self.ended_on, today=today, what="end date")
            if self.ended_on < self.started_on:
                raise InvalidInputError(Code.ENTRY_CHANGE_ENDS_BEFORE_START)
        return self if category == self.aid_category else replace(self, aid_category=category)

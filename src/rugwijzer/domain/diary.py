"""Diary inputs, validated before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from rugwijzer.errors import InvalidInputError

__all__ = ["NOTE_MAX_CHARACTERS", "ChangeInput", "CheckInInput", "check_day"]

NOTE_MAX_CHARACTERS = 2000
#: Diary days before this are typos, not history.
EARLIEST_DAY = date(1900, 1, 1)


def check_day(day: date, *, today: date, what: str = "date") -> date:
    """A diary day: not before 1900 and not after tomorrow (time zones differ)."""
    if day < EARLIEST_DAY:
        raise InvalidInputError(f"the {what} {day.isoformat()} is too far in the past")
    if day > today + timedelta(days=1):
        raise InvalidInputError(f"the {what} {day.isoformat()} is in the future")
    return day


def _scale(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise InvalidInputError(f"{name} must be a whole number from 0 to 10, not {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class CheckInInput:
    """A daily check-in: scores 0-10, cramps yes/no, minutes active, aid worn, a short note."""

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

    def validated(self, *, today: date) -> CheckInInput:
        """This check-in, or `InvalidInputError` naming the first problem."""
        check_day(self.day, today=today)
        for name in ("pain", "stress", "sleep_quality", "stiffness"):
            _scale(name, getattr(self, name))
        if self.minutes_active is not None and (
            isinstance(self.minutes_active, bool) or not 0 <= self.minutes_active <= 1440
        ):
            raise InvalidInputError("minutes active must be from 0 to 1440")
        if self.note is not None and len(self.note) > NOTE_MAX_CHARACTERS:
            raise InvalidInputError(f"the note is longer than {NOTE_MAX_CHARACTERS} characters")
        if self.aid_worn is not None and len(self.aid_worn) > 200:
            raise InvalidInputError("the aid name is longer than 200 characters")
        if any(not location.strip() or len(location) > 60 for location in self.pain_locations):
            raise InvalidInputError("pain locations must be short names")
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
        ):
            raise InvalidInputError("a check-in needs at least one answer")
        return self


@dataclass(frozen=True, slots=True)
class ChangeInput:
    """Something that changed, from a start date, until an optional end date."""

    description: str
    started_on: date
    ended_on: date | None = None

    def validated(self, *, today: date) -> ChangeInput:
        """This change, or `InvalidInputError`."""
        if not self.description.strip():
            raise InvalidInputError("describe the change")
        if len(self.description) > 500:
            raise InvalidInputError("the description is longer than 500 characters")
        check_day(self.started_on, today=today, what="start date")
        if self.ended_on is not None:
            check_day(self.ended_on, today=today, what="end date")
            if self.ended_on < self.started_on:
                raise InvalidInputError("the end date is before the start date")
        return self

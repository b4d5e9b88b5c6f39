"""Did it help? on the diary (SQLite and PostgreSQL): the service reads the user's own check-ins
and changes, and nobody else's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from rugwijzer.domain.diary import ChangeInput, CheckInInput
from rugwijzer.domain.progress import Outcome, Verdict
from rugwijzer.errors import InvalidInputError, NotFoundError
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.messages import Code
from rugwijzer.services.diary import Diary, open_diary
from rugwijzer.store.engine import make_session_factory

TODAY = date(2026, 11, 24)
START = TODAY - timedelta(days=27)


@pytest.fixture
def diary(migrated_engine: Engine, food_db: FoodDatabase) -> Diary:
    return open_diary(make_session_factory(migrated_engine), food_db, today=lambda: TODAY)


def _six_weeks(diary: Diary, user: int, *, drop: int = 3, skip_every: int = 0) -> None:
    """Pain 6/7 alternating for four weeks, then `drop` points lower from START to TODAY;
    sleep the other way round."""
    for offset in range(-28, 28):
        day = START + timedelta(days=offset)
        if skip_every and offset % skip_every == 0:
            continue
        pain = (6 if offset % 2 else 7) - (drop if offset >= 0 else 0)
        diary.entries.check_in(
            user, CheckInInput(day=day, pain=pain, stress=5, sleep_quality=10 - pain)
        )


def test_a_change_that_helped(diary: Diary) -> None:
    user = diary.profiles.create_user(email="a@example.org")
    _six_weeks(diary, user)
    change = diary.entries.record_change(user, ChangeInput("magnesiumcitraat 200 mg", START))
    view = diary.effects.effect(user, change.id, lang="nl")
    assert view.verdict is Verdict.IMPROVED
    assert view.change_id == change.id
    assert view.description == "magnesiumcitraat 200 mg"
    assert view.days_before == 28
    assert view.days_after == 28
    assert view.difference == pytest.approx(-3.0, abs=0.05)
    assert view.verdict_text.text.startswith("Beter na de verandering: pijn")
    assert view.outcome_name == "pijn"
    assert len(view.points) == 56
    assert view.rolling_mean
    # sleep quality went up: better too, though the number rose
    sleep = diary.effects.effect(user, change.id, Outcome.SLEEP_QUALITY, lang="en")
    assert sleep.verdict is Verdict.IMPROVED
    assert sleep.difference == pytest.approx(3.0, abs=0.05)
    # stress did not move
    stress = diary.effects.effect(user, change.id, Outcome.STRESS, lang="en")
    assert stress.verdict is Verdict.NO_IMPORTANT_CHANGE


def test_the_after_phase_ends_when_the_change_ended(diary: Diary) -> None:
    user = diary.profiles.create_user(email="b@example.org")
    _six_weeks(diary, user)
    change = diary.entries.record_change(
        user, ChangeInput("brace", START, START + timedelta(days=13))
    )
    view = diary.effects.effect(user, change.id, lang="en")
    assert view.end_date == START + timedelta(days=13)
    assert view.days_after == 14


def test_overlapping_changes_are_named(diary: Diary) -> None:
    user = diary.profiles.create_user(email="c@example.org")
    _six_weeks(diary, user)
    first = diary.entries.record_change(user, ChangeInput("magnesium", START))
    diary.entries.record_change(user, ChangeInput("new chair", START + timedelta(days=5)))
    view = diary.effects.effect(user, first.id, lang="en")
    assert [other.description for other in view.other_changes] == ["new chair"]
    assert Code.EFFECT_OVERLAPPING_CHANGES.value in [c.code for c in view.caveats]


def test_missing_days_stay_missing(diary: Diary) -> None:
    user = diary.profiles.create_user(email="d@example.org")
    _six_weeks(diary, user, skip_every=3)
    change = diary.entries.record_change(user, ChangeInput("walks", START))
    view = diary.effects.effect(user, change.id, lang="en")
    assert view.days_before + view.days_after == len(view.points) == 37
    assert view.before_mean is not None
    assert view.before_mean > 6


def test_a_new_change_has_too_little_data(diary: Diary) -> None:
    user = diary.profiles.create_user(email="e@example.org")
    _six_weeks(diary, user)
    change = diary.entries.record_change(user, ChangeInput("yoga", TODAY - timedelta(days=2)))
    view = diary.effects.effect(user, change.id, lang="en")
    assert view.verdict is Verdict.TOO_LITTLE_DATA
    assert view.days_after == 3
    assert view.difference is None


def test_another_users_change_is_not_found(diary: Diary) -> None:
    owner = diary.profiles.create_user(email="f@example.org")
    other = diary.profiles.create_user(email="g@example.org")
    _six_weeks(diary, owner)
    change = diary.entries.record_change(owner, ChangeInput("magnesium", START))
    with pytest.raises(NotFoundError):
        diary.effects.effect(other, change.id, lang="en")
    # and the other user's list of effects does not include it
    assert diary.effects.effects(other, START - timedelta(days=90), TODAY, lang="en") == []


def test_effects_of_a_period_oldest_first(diary: Diary) -> None:
    user = diary.profiles.create_user(email="h@example.org")
    _six_weeks(diary, user)
    diary.entries.record_change(user, ChangeInput("later", START + timedelta(days=10)))
    diary.entries.record_change(user, ChangeInput("first", START))
    diary.entries.record_change(user, ChangeInput("long ago", START - timedelta(days=200)))
    views = diary.effects.effects(user, START - timedelta(days=30), TODAY, lang="en")
    assert [view.description for view in views] == ["first", "later"]
    with pytest.raises(InvalidInputError) as error:
        diary.effects.effects(user, TODAY, START, lang="en")
    assert error.value.message.code is Code.PERIOD_ENDS_BEFORE_START

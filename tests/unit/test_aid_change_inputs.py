"""Did it help, for aids: the aid category of a check-in and a change is one of the catalogue's
(or none), and the analysis of an aid says what the check-ins tell about its use."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rugwijzer.domain.aids import CATEGORIES
from rugwijzer.domain.diary import ChangeInput, CheckInInput, check_aid_category
from rugwijzer.domain.progress import analyse_effect, with_aid_use
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code, Message

TODAY = date(2026, 11, 30)
START = TODAY - timedelta(days=21)


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_catalogue_category_is_accepted(category: str) -> None:
    assert check_aid_category(category) == category
    checkin = CheckInInput(day=TODAY, aid_category=category).validated(today=TODAY)
    assert checkin.aid_category == category
    change = ChangeInput("x", START, aid_category=category).validated(today=TODAY)
    assert change.aid_category == category


@pytest.mark.parametrize("empty", [None, "", "  "])
def test_an_empty_category_is_none(empty: str | None) -> None:
    assert check_aid_category(empty) is None
    checkin = CheckInInput(day=TODAY, pain=3, aid_category=empty).validated(today=TODAY)
    assert checkin.aid_category is None
    assert ChangeInput("x", START, aid_category=empty).validated(today=TODAY).aid_category is None


def test_a_check_in_of_only_an_empty_category_is_empty() -> None:
    with pytest.raises(InvalidInputError) as refused:
        CheckInInput(day=TODAY, aid_category="").validated(today=TODAY)
    assert refused.value.message.code is Code.ENTRY_CHECKIN_EMPTY


@pytest.mark.parametrize("unknown", ["brace", "Heat_wrap", "lumbar support", "x" * 100])
def test_an_unknown_category_is_refused_with_its_code(unknown: str) -> None:
    for attempt in (
        lambda: CheckInInput(day=TODAY, pain=3, aid_category=unknown).validated(today=TODAY),
        lambda: ChangeInput("x", START, aid_category=unknown).validated(today=TODAY),
    ):
        with pytest.raises(InvalidInputError) as refused:
            attempt()
        message = refused.value.message
        assert message.code is Code.ENTRY_UNKNOWN_AID_CATEGORY
        assert message.params["category"] == unknown[:60]
        assert message.params["known"] == CATEGORIES


def _days(first: int, last: int) -> list[date]:
    return [START + timedelta(days=offset) for offset in range(first, last + 1)]


def test_the_aid_named_before_the_start_is_a_caveat() -> None:
    analysis = analyse_effect(
        [
            (day, float((6 if i % 2 else 7) - (3 if day >= START else 0)))
            for i, day in enumerate(_days(-21, 20))
        ],
        START,
        START + timedelta(days=20),
    )
    recorded: dict[date, str | None] = dict.fromkeys(_days(-21, 20))
    recorded.update(dict.fromkeys(_days(-4, 20), "heat_wrap"))
    # an aid of another kind before does not count as this one
    recorded[START - timedelta(days=10)] = "office_chair"
    aid = with_aid_use(analysis, "heat_wrap", recorded)
    added = [m for m in aid.caveats if m not in analysis.caveats]
    assert added == [
        Message.of(
            Code.EFFECT_AID_USED_BEFORE,
            aid=Message.of(Code.AIDS_CATEGORY_HEAT_WRAP),
            days=4,
        )
    ]
    assert Message.of(Code.EFFECT_SUGGEST_AID_PERIODS) in aid.suggestions
    assert Message.of(Code.EFFECT_SUGGEST_STOP_AND_RESTART) not in aid.suggestions
    # the verdict and its numbers are the analysis's own
    assert (aid.verdict, aid.difference, aid.ci_low) == (
        analysis.verdict,
        analysis.difference,
        analysis.ci_low,
    )


def test_the_aid_named_on_few_days_after_the_start_is_a_caveat() -> None:
    analysis = analyse_effect(
        [(day, 5.0 + (i % 2)) for i, day in enumerate(_days(-21, 20))],
        START,
        START + timedelta(days=20),
    )
    recorded: dict[date, str | None] = dict.fromkeys(_days(-21, 20))
    recorded.update(dict.fromkeys(_days(0, 9), "lumbar_support"))  # 10 of 21 days
    aid = with_aid_use(analysis, "lumbar_support", recorded)
    assert [m for m in aid.caveats if m not in analysis.caveats] == [
        Message.of(
            Code.EFFECT_AID_NOT_USED_AFTER,
            aid=Message.of(Code.AIDS_CATEGORY_LUMBAR_SUPPORT),
            days=10,
            recorded=21,
        )
    ]
    # half the days or more: no caveat
    recorded[START + timedelta(days=10)] = "lumbar_support"
    assert with_aid_use(analysis, "lumbar_support", recorded).caveats == analysis.caveats


def test_a_diary_that_never_names_an_aid_gets_only_the_suggestion() -> None:
    analysis = analyse_effect(
        [(day, 5.0 + (i % 2)) for i, day in enumerate(_days(-21, 20))],
        START,
        START + timedelta(days=20),
    )
    aid = with_aid_use(analysis, "heat_wrap", dict.fromkeys(_days(-21, 20)))
    assert aid.caveats == analysis.caveats
    assert aid.suggestions[-1] == Message.of(Code.EFFECT_SUGGEST_AID_PERIODS)

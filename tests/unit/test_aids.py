"""Ergonomic aids: the advice rules per category and situation, and the catalogue file."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest

from rugwijzer.domain.aids import (
    CATALOGUE_COLUMNS,
    CATEGORIES,
    advise,
    parse_aid_answers,
    parse_catalogue_csv,
)
from rugwijzer.errors import InvalidInputError, InvalidRowsError
from rugwijzer.messages import Code

WEEKS = [0, 1, 6, 11.9, 12, 26, 300]
HOURS = [0, 2, 5.9, 6, 8, 12, 24]
SITUATIONS = list(itertools.product(WEEKS, HOURS, ["desk", "manual", "standing", "other"]))


def _answers(**changes: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "pain_weeks": 3,
        "sitting_hours_per_day": 8,
        "work": "desk",
        "goal": "relief",
    }
    answers.update(changes)
    return answers


def _recommendations(**changes: Any) -> dict[str, str]:
    advice = advise(parse_aid_answers(_answers(**changes)))
    assert [item.category for item in advice.items] == list(CATEGORIES)
    return {item.category: item.recommendation for item in advice.items}


@pytest.mark.parametrize("goal", ["relief", "prevention"])
@pytest.mark.parametrize(("weeks", "hours", "work"), SITUATIONS)
def test_a_lumbar_support_or_a_posture_corrector_is_never_suggested(
    goal: str, weeks: float, hours: float, work: str
) -> None:
    found = _recommendations(pain_weeks=weeks, sitting_hours_per_day=hours, work=work, goal=goal)
    assert found["lumbar_support"] == "not_recommended"  # NICE NG59: do not offer
    assert found["posture_corrector"] != "consider"
    # only heat, and only for relief of acute or subacute pain, is worth considering
    considered = {category for category, value in found.items() if value == "consider"}
    assert considered == ({"heat_wrap"} if goal == "relief" and weeks < 12 else set())


@pytest.mark.parametrize("weeks", [0, 1, 4, 11.9])
def test_heat_is_worth_considering_for_relief_of_acute_pain(weeks: float) -> None:
    assert _recommendations(pain_weeks=weeks, goal="relief")["heat_wrap"] == "consider"
    assert _recommendations(pain_weeks=weeks, goal="prevention")["heat_wrap"] == "no_evidence"
    assert _recommendations(pain_weeks=weeks + 12, goal="relief")["heat_wrap"] == "no_evidence"


@pytest.mark.parametrize(
    "triage",
    [
        {"saddle_numbness": True},  # emergency
        {"fever": True},  # urgent
        {"age": 55, "pain_weeks": 2},  # new pain over 50: soon
        {"unexplained_weight_loss": True},
    ],
)
@pytest.mark.parametrize("goal", ["relief", "prevention"])
def test_a_warning_sign_suppresses_every_suggestion(triage: dict[str, Any], goal: str) -> None:
    advice = advise(parse_aid_answers(_answers(goal=goal, pain_weeks=2, triage=triage)))
    assert advice.red_flag
    assert {item.recommendation for item in advice.items} <= {
        "see_professional",
        "not_recommended",
    }
    assert all(item.because[0].code is Code.AIDS_BECAUSE_RED_FLAG for item in advice.items)


def test_no_warning_sign_is_no_red_flag() -> None:
    advice = advise(parse_aid_answers(_answers(triage={"fever": False, "age": 40})))
    assert not advice.red_flag
    assert advise(parse_aid_answers(_answers())).red_flag is False


def test_every_choice_is_explained_from_the_answers() -> None:
    advice = advise(parse_aid_answers(_answers(pain_weeks=3, sitting_hours_per_day=8)))
    reasons = {item.category: item.because for item in advice.items}
    heat = [message.code for message in reasons["heat_wrap"]]
    assert heat == [Code.AIDS_BECAUSE_ACUTE, Code.AIDS_BECAUSE_GOAL_RELIEF]
    desk = reasons["sit_stand_desk"][0]
    assert desk.code is Code.AIDS_BECAUSE_SITS_MUCH
    assert desk.params["hours"] == 8
    little = advise(parse_aid_answers(_answers(sitting_hours_per_day=2))).items[3].because[0]
    assert little.code is Code.AIDS_BECAUSE_SITS_LITTLE


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ([], Code.AIDS_ANSWERS_NOT_OBJECT),
        (_answers(colour="red"), Code.AIDS_UNKNOWN_FIELDS),
        ({"pain_weeks": 3}, Code.AIDS_MISSING_FIELDS),
        (_answers(pain_weeks=-1), Code.AIDS_NUMBER_RANGE),
        (_answers(pain_weeks="3"), Code.AIDS_NUMBER_RANGE),
        (_answers(pain_weeks=True), Code.AIDS_NUMBER_RANGE),
        (_answers(sitting_hours_per_day=25), Code.AIDS_NUMBER_RANGE),
        (_answers(work="office"), Code.AIDS_UNKNOWN_CHOICE),
        (_answers(goal="cure"), Code.AIDS_UNKNOWN_CHOICE),
        (_answers(triage={"no_such_question": True}), Code.TRIAGE_UNKNOWN_KEYS),
    ],
)
def test_bad_answers_are_refused_with_a_code(data: Any, code: Code) -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_aid_answers(data)
    assert refused.value.message.code is code


# --- the catalogue file -------------------------------------------------------------------------

HEADER = ",".join(CATALOGUE_COLUMNS)
GOOD = "HW-1,Warmtebandage,Heat wrap,heat_wrap,19.95,https://shop.example.org/hw,Warm"


def test_a_good_catalogue_is_read() -> None:
    products = parse_catalogue_csv(
        f"\ufeff{HEADER}\n{GOOD}\nCH-1,Stoel,Chair,office_chair,299,http://x.nl/c,\n"
    )
    assert [p.sku for p in products] == ["HW-1", "CH-1"]
    assert products[0].price_eur == Decimal("19.95")
    semicolons = parse_catalogue_csv(
        "sku;name_nl;name_en;category;price_eur;url;description\n"
        "HW-1;Warmtebandage;Heat wrap;heat_wrap;19,95;https://shop.example.org/hw;Warm\n"
    )
    assert semicolons[0].price_eur == Decimal("19.95")


def test_every_problem_is_reported_with_its_line_and_nothing_is_read() -> None:
    text = "\n".join(
        [
            HEADER,
            GOOD,  # line 2: good
            "BR-1,Brace,Brace,back_belt,39.95,https://x.nl/b,",  # 3: unknown category
            "BR-2,Brace,Brace,lumbar_support,-5,https://x.nl/b,",  # 4: negative price
            "BR-3,Brace,Brace,lumbar_support,5,ftp://x.nl/b,",  # 5: not http(s)
            "HW-1,Kruik,Bottle,heat_wrap,12,https://x.nl/k,",  # 6: duplicate SKU
            "BR-4,,Brace,lumbar_support,5,https://x.nl/b,",  # 7: no Dutch name
        ]
    )
    with pytest.raises(InvalidRowsError) as refused:
        parse_catalogue_csv(text)
    found = [(p.params["line"], p.code) for p in refused.value.problems]
    assert found == [
        (3, Code.AIDS_IMPORT_UNKNOWN_CATEGORY),
        (4, Code.AIDS_IMPORT_BAD_PRICE),
        (5, Code.AIDS_IMPORT_BAD_URL),
        (6, Code.AIDS_IMPORT_DUPLICATE_SKU),
        (7, Code.AIDS_IMPORT_BAD_NAME),
    ]
    assert refused.value.message.params["count"] == 5


def test_a_missing_column_or_an_empty_file_is_refused() -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_catalogue_csv(
            "sku,name_nl,name_en,category,url,description\nA,a,a,heat_wrap,https://x.nl,\n"
        )
    assert refused.value.message.code is Code.AIDS_IMPORT_MISSING_COLUMNS
    assert refused.value.message.params["columns"] == ("price_eur",)
    for empty in ("", f"{HEADER}\n"):
        with pytest.raises(InvalidInputError):
            parse_catalogue_csv(empty)

from __future__ import annotations

import itertools

import pytest

from rugwijzer.domain.triage import (
    ANSWER_KEYS,
    QUESTIONS,
    Urgency,
    duration_class,
    parse_answers,
    triage,
)
from rugwijzer.errors import InvalidInputError

BOOLEAN_KEYS = [q.key for q in QUESTIONS if q.kind == "yes_no"]
EMERGENCY_FLAGS = [
    "bladder_or_bowel_change",
    "saddle_numbness",
    "leg_weakness_progressive",
    "sudden_severe_pain_unchanged_by_position",
    "major_trauma",
]


def _all_no(**answers: object) -> dict[str, object]:
    base: dict[str, object] = dict.fromkeys(BOOLEAN_KEYS, False)
    base.update({"age": 35.0, "pain_weeks": 2.0})
    base.update(answers)
    return base


@pytest.mark.parametrize(
    ("answers", "urgency", "group"),
    [
        ({"bladder_or_bowel_change": True}, Urgency.EMERGENCY, "cauda_equina"),
        ({"saddle_numbness": True}, Urgency.EMERGENCY, "cauda_equina"),
        ({"leg_weakness_progressive": True}, Urgency.EMERGENCY, "cauda_equina"),
        (
            {"sudden_severe_pain_unchanged_by_position": True, "age": 65.0},
            Urgency.EMERGENCY,
            "aortic_aneurysm",
        ),
        (
            {"sudden_severe_pain_unchanged_by_position": True, "age": 30.0},
            Urgency.EMERGENCY,
            "aortic_aneurysm",
        ),
        ({"fever": True}, Urgency.URGENT, "infection"),
        ({"iv_drug_use": True}, Urgency.SOON, "infection"),
        ({"immunosuppressed": True}, Urgency.SOON, "infection"),
        ({"recent_infection": True}, Urgency.SOON, "infection"),
        ({"major_trauma": True}, Urgency.EMERGENCY, "fracture"),
        ({"minor_trauma_with_osteoporosis_or_steroids": True}, Urgency.URGENT, "fracture"),
        ({"history_of_cancer": True}, Urgency.SOON, "cancer"),
        ({"unexplained_weight_loss": True}, Urgency.SOON, "cancer"),
        ({"night_pain_not_relieved_by_rest": True}, Urgency.SOON, "cancer"),
        ({"age": 60.0, "pain_weeks": 1.0}, Urgency.SOON, "cancer"),
        ({"age": 17.0, "pain_weeks": 1.0}, Urgency.SOON, "cancer"),
        (
            {"morning_stiffness_over_30_min_improving_with_exercise": True},
            Urgency.SOON,
            "inflammatory",
        ),
        ({"leg_pain_below_knee": True, "pain_weeks": 8.0}, Urgency.SOON, "nerve_root"),
    ],
)
def test_each_red_flag_group_alone(
    answers: dict[str, object], urgency: Urgency, group: str
) -> None:
    result = triage(_all_no(**answers))
    assert result.urgency == urgency
    assert group in {reason.group for reason in result.reasons}
    assert all(reason.sources for reason in result.reasons)


@pytest.mark.parametrize(
    ("answers", "urgency"),
    [
        ({"fever": True, "iv_drug_use": True}, Urgency.URGENT),
        ({"history_of_cancer": True, "unexplained_weight_loss": True}, Urgency.URGENT),
        ({"history_of_cancer": True, "age": 70.0, "pain_weeks": 1.0}, Urgency.URGENT),
        ({"fever": True, "saddle_numbness": True}, Urgency.EMERGENCY),
        (
            {"iv_drug_use": True, "morning_stiffness_over_30_min_improving_with_exercise": True},
            Urgency.SOON,
        ),
    ],
)
def test_combinations(answers: dict[str, object], urgency: Urgency) -> None:
    assert triage(_all_no(**answers)).urgency == urgency


def test_no_flags_means_self_care() -> None:
    result = triage(_all_no())
    assert result.urgency == Urgency.NONE
    assert result.reasons == ()
    assert result.unknown == ()


def test_leg_pain_alone_is_not_a_red_flag() -> None:
    assert triage(_all_no(leg_pain_below_knee=True)).urgency == Urgency.NONE


def test_missing_answers_are_unknown_and_listed() -> None:
    result = triage({"age": 40.0})
    assert result.urgency == Urgency.NONE
    assert set(result.unknown) == set(ANSWER_KEYS) - {"age"}
    assert result.duration_class is None


def test_an_emergency_cannot_be_lowered_by_any_other_answer() -> None:
    others = list(BOOLEAN_KEYS)
    for values in itertools.product((True, False), repeat=len(others)):
        answers: dict[str, object] = dict(zip(others, values, strict=True))
        if not any(answers[flag] for flag in EMERGENCY_FLAGS):
            continue
        for age, weeks in ((18.0, 1.0), (45.0, 8.0), (80.0, 30.0)):
            answers.update(age=age, pain_weeks=weeks)
            assert triage(answers).urgency == Urgency.EMERGENCY, answers


def test_urgency_never_drops_when_an_answer_turns_yes() -> None:
    for key in BOOLEAN_KEYS:
        for other in BOOLEAN_KEYS:
            before = triage(_all_no(**{key: True})).urgency
            after = triage(_all_no(**{key: True, other: True})).urgency
            assert after >= before, (key, other)


@pytest.mark.parametrize(
    ("weeks", "klass"),
    [
        (0, "acute"),
        (5.9, "acute"),
        (6, "subacute"),
        (12, "subacute"),
        (12.1, "chronic"),
        (None, None),
    ],
)
def test_duration_class(weeks: float | None, klass: str | None) -> None:
    assert duration_class(weeks) == klass


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "JSON object"),
        ({"headache": True}, "unknown answer key"),
        ({"fever": "yes"}, "true, false or null"),
        ({"age": 200}, "between 0 and 130"),
        ({"pain_weeks": -1}, "between 0 and 5200"),
        ({"age": "forty"}, "must be a number"),
        ({"age": True}, "must be a number"),
    ],
)
def test_bad_answers(data: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_answers(data)


def test_questions_exist_in_both_languages() -> None:
    assert [q.key for q in QUESTIONS] == list(ANSWER_KEYS)
    assert len(ANSWER_KEYS) == 19
    for question in QUESTIONS:
        assert question.nl.strip()
        assert question.en.strip()
        assert question.nl != question.en

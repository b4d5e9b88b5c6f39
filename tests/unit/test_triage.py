from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _reasons(answers: dict[str, object]) -> list[str]:
    return [reason.key for reason in triage(answers).reasons]


@pytest.mark.parametrize(
    ("answers", "urgency", "group"),
    [
        ({"bladder_or_bowel_change": True}, Urgency.EMERGENCY, "cauda_equina"),
        ({"saddle_numbness": True}, Urgency.EMERGENCY, "cauda_equina"),
        ({"leg_weakness_progressive": True}, Urgency.EMERGENCY, "cauda_equina"),
        ({"recent_back_surgery": True}, Urgency.URGENT, "cauda_equina"),
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
        ({"pain_weeks": 8.0, "not_improving": True}, Urgency.SOON, "cancer"),
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
        ({"headache": True}, "Unknown answer key"),
        ({"fever": "yes"}, "true, false or null"),
        ({"age": 200}, "between 0 and 130"),
        ({"pain_weeks": -1}, "between 0 and 5,200"),
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


# --- recent back surgery (NHG M54 cauda equina criterion) ---------------------------------------


def test_recent_back_surgery_raises_the_urgency_to_urgent_on_its_own() -> None:
    assert triage(_all_no()).urgency == Urgency.NONE
    result = triage(_all_no(recent_back_surgery=True))
    assert result.urgency == Urgency.URGENT
    assert [reason.key for reason in result.reasons] == ["recent_back_surgery"]
    assert result.reasons[0].sources == ("nhg-m54-2017",)


@pytest.mark.parametrize(
    "sign", ["bladder_or_bowel_change", "saddle_numbness", "leg_weakness_progressive"]
)
def test_recent_back_surgery_with_a_cauda_equina_sign_is_named_with_the_emergency(
    sign: str,
) -> None:
    without = triage(_all_no(**{sign: True}))
    with_surgery = triage(_all_no(**{sign: True, "recent_back_surgery": True}))
    assert without.urgency == with_surgery.urgency == Urgency.EMERGENCY
    assert [reason.key for reason in without.reasons] == [sign]
    assert [reason.key for reason in with_surgery.reasons] == [
        sign,
        "cauda_equina_after_back_surgery",
        "recent_back_surgery",
    ]


def test_recent_back_surgery_unknown_or_no_adds_nothing() -> None:
    for value in (False, None):
        assert _reasons(_all_no(recent_back_surgery=value)) == []
        assert _reasons(_all_no(saddle_numbness=True, recent_back_surgery=value)) == [
            "saddle_numbness"
        ]


# --- age and duration boundaries (just below, at, just above) ------------------------------------


@pytest.mark.parametrize(
    ("age", "flagged"),
    [
        (0.0, True),
        (19.0, True),
        (19.9, True),
        (20.0, False),
        (20.1, False),
        (21.0, False),
        (35.0, False),
        (49.0, False),
        (49.9, False),
        (50.0, False),
        (50.1, True),
        (51.0, True),
        (130.0, True),
        (None, False),
    ],
)
def test_new_pain_age_boundaries(age: float | None, flagged: bool) -> None:
    """New pain (1 week) under 20 or over 50 (NHS pathway: 'over age 50', 'younger than 20')."""
    result = triage(_all_no(age=age, pain_weeks=1.0))
    assert [reason.key for reason in result.reasons] == (["age_new_pain"] if flagged else [])
    assert result.urgency == (Urgency.SOON if flagged else Urgency.NONE)


@pytest.mark.parametrize(
    ("weeks", "flagged"),
    [(0.0, True), (5.9, True), (6.0, False), (6.1, False), (52.0, False), (None, True)],
)
@pytest.mark.parametrize("age", [19.0, 60.0])
def test_new_pain_duration_boundary_and_unknown_duration(
    age: float, weeks: float | None, flagged: bool
) -> None:
    """'New' is under 6 weeks; an unknown duration counts as new (the safe side)."""
    answers = _all_no(age=age, pain_weeks=weeks, not_improving=False)
    assert _reasons(answers) == (["age_new_pain"] if flagged else [])


@pytest.mark.parametrize("age", [19.0, 35.0, 60.0, None])
@pytest.mark.parametrize(
    ("weeks", "not_improving", "flagged"),
    [
        (3.9, True, False),
        (3.9, None, False),
        (4.0, True, True),
        (4.0, None, True),
        (4.0, False, False),
        (4.1, True, True),
        (4.1, None, True),
        (4.1, False, False),
        (30.0, None, True),
        (None, True, False),
        (None, None, False),
    ],
)
def test_no_improvement_after_four_weeks_at_any_age(
    age: float | None, weeks: float | None, not_improving: bool | None, flagged: bool
) -> None:
    """Flagged from 4 weeks unless the pain is said to be getting better (unknown = not better)."""
    answers = _all_no(age=age, pain_weeks=weeks, not_improving=not_improving)
    assert ("no_improvement" in _reasons(answers)) is flagged


def test_no_improvement_counts_as_a_cancer_sign() -> None:
    answers = _all_no(pain_weeks=10.0, not_improving=True, history_of_cancer=True)
    assert triage(answers).urgency == Urgency.URGENT
    assert _reasons(answers) == ["cancer_signs_combined", "history_of_cancer", "no_improvement"]


def test_over_50_new_pain_and_not_improving_between_4_and_6_weeks_is_two_flags() -> None:
    answers = _all_no(age=60.0, pain_weeks=5.0, not_improving=True)
    assert _reasons(answers) == ["age_new_pain", "no_improvement"]
    # neither is a sign on its own merits (cancer history, weight loss, night pain): still soon
    assert triage(answers).urgency == Urgency.SOON


@pytest.mark.parametrize(
    ("weeks", "flagged"), [(5.9, False), (6.0, True), (6.1, True), (None, False)]
)
def test_leg_pain_below_the_knee_duration_boundary(weeks: float | None, flagged: bool) -> None:
    answers = _all_no(leg_pain_below_knee=True, pain_weeks=weeks, not_improving=False)
    assert _reasons(answers) == (["leg_pain_lasting"] if flagged else [])


@pytest.mark.parametrize("age", [39.0, 40.0, 41.0, None])
def test_sudden_severe_pain_is_an_emergency_at_any_age_around_40(age: float | None) -> None:
    """NHG names age over 40 for a ruptured aneurysm; Rugwijzer does not lower it below 40."""
    result = triage(_all_no(age=age, sudden_severe_pain_unchanged_by_position=True))
    assert result.urgency == Urgency.EMERGENCY
    assert _reasons(_all_no(age=age, sudden_severe_pain_unchanged_by_position=True)) == [
        "sudden_severe_pain_unchanged_by_position"
    ]


@pytest.mark.parametrize(
    ("weeks", "klass"),
    [
        (5.99, "acute"),
        (6.01, "subacute"),
        (11.99, "subacute"),
        (12.01, "chronic"),
        (5200, "chronic"),
    ],
)
def test_duration_class_around_the_boundaries(weeks: float, klass: str) -> None:
    """Acute under 6 weeks, subacute 6 to 12, chronic over 12 (beroepsziekten.nl)."""
    assert duration_class(weeks) == klass
    assert triage({"pain_weeks": weeks}).duration_class == klass


# --- unknown answers mixed with yes and no ------------------------------------------------------


def test_unknown_answers_mixed_with_yes_and_no() -> None:
    answers: dict[str, object] = {
        "age": None,
        "pain_weeks": 2.0,
        "fever": None,
        "iv_drug_use": True,
        "saddle_numbness": False,
        "recent_back_surgery": None,
        "history_of_cancer": True,
        "unexplained_weight_loss": None,
    }
    result = triage(answers)
    assert result.urgency == Urgency.SOON
    assert [reason.key for reason in result.reasons] == ["iv_drug_use", "history_of_cancer"]
    answered = {"pain_weeks", "iv_drug_use", "saddle_numbness", "history_of_cancer"}
    assert result.unknown == tuple(key for key in ANSWER_KEYS if key not in answered)
    assert result.duration_class == "acute"


def test_an_unknown_answer_is_never_more_urgent_than_yes_nor_less_than_no_example() -> None:
    # fever unknown with an infection risk: not the fever flags; fever yes: urgent
    base = _all_no(iv_drug_use=True)
    assert [triage({**base, "fever": v}).urgency for v in (False, None, True)] == [
        Urgency.SOON,
        Urgency.SOON,
        Urgency.URGENT,
    ]
    # not_improving unknown after 8 weeks counts as not improving (the safe side)
    base = _all_no(pain_weeks=8.0)
    assert [triage({**base, "not_improving": v}).urgency for v in (False, None, True)] == [
        Urgency.NONE,
        Urgency.SOON,
        Urgency.SOON,
    ]


ANSWER_VALUE = st.sampled_from([True, False, None])
AGES = st.one_of(
    st.none(),
    st.sampled_from([0.0, 19.9, 20.0, 20.1, 39.9, 40.0, 40.1, 49.9, 50.0, 50.1, 130.0]),
    st.floats(min_value=0, max_value=130, allow_nan=False),
)
WEEKS = st.one_of(
    st.none(),
    st.sampled_from([0.0, 3.9, 4.0, 4.1, 5.9, 6.0, 6.1, 11.9, 12.0, 12.1, 5200.0]),
    st.floats(min_value=0, max_value=5200, allow_nan=False),
)


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, object]:
    """Any answers: each yes/no key true, false, null or left out; age and weeks likewise."""
    answers: dict[str, object] = {}
    for key in BOOLEAN_KEYS:
        if draw(st.booleans()):
            answers[key] = draw(ANSWER_VALUE)
    if draw(st.booleans()):
        answers["age"] = draw(AGES)
    if draw(st.booleans()):
        answers["pain_weeks"] = draw(WEEKS)
    return answers


@settings(max_examples=300, deadline=None)
@given(answers=answer_sets(), key=st.sampled_from(BOOLEAN_KEYS))
def test_unknown_lies_between_no_and_yes(answers: dict[str, object], key: str) -> None:
    """For every yes/no question and any other answers: no <= unknown <= yes in urgency."""
    no, unknown, yes = (triage({**answers, key: v}).urgency for v in (False, None, True))
    assert no <= unknown <= yes, (key, answers)
    # and leaving a question out is the same as answering "unknown"
    left_out = {k: v for k, v in answers.items() if k != key}
    assert triage(left_out).urgency == unknown


# --- an emergency is never lowered ---------------------------------------------------------------

#: The keys whose answer feeds a combined rule or an extra reason next to an emergency; they
#: range over every true/false/unknown combination, the others over Hypothesis examples.
INTERACTING = [
    "recent_back_surgery",
    "fever",
    "iv_drug_use",
    "history_of_cancer",
    "not_improving",
    "leg_pain_below_knee",
]
EDGE_AGES = [None, 0.0, 19.9, 20.0, 40.0, 50.0, 50.1, 130.0]
EDGE_WEEKS = [None, 0.0, 4.0, 5.9, 6.0, 12.0, 12.1, 5200.0]


@pytest.mark.parametrize("emergency", EMERGENCY_FLAGS)
def test_an_emergency_is_never_lowered_by_interacting_answers(emergency: str) -> None:
    others = [key for key in BOOLEAN_KEYS if key != emergency]
    checked = 0
    for values in itertools.product((True, False, None), repeat=len(INTERACTING)):
        answers: dict[str, object] = dict.fromkeys(others, None)
        answers.update(zip(INTERACTING, values, strict=True))
        answers[emergency] = True
        for age, weeks in itertools.product(EDGE_AGES, EDGE_WEEKS):
            answers.update(age=age, pain_weeks=weeks)
            result = triage(answers)
            assert result.urgency == Urgency.EMERGENCY, answers
            assert result.reasons[0].urgency == Urgency.EMERGENCY, answers
            checked += 1
    assert checked == 3 ** len(INTERACTING) * len(EDGE_AGES) * len(EDGE_WEEKS)


@settings(max_examples=400, deadline=None)
@given(answers=answer_sets(), emergency=st.sampled_from(EMERGENCY_FLAGS))
def test_an_emergency_is_never_lowered_by_any_answers(
    answers: dict[str, object], emergency: str
) -> None:
    result = triage({**answers, emergency: True})
    assert result.urgency == Urgency.EMERGENCY, answers
    assert emergency in {reason.key for reason in result.reasons}


def test_the_emergency_flags_are_exactly_the_emergency_questions() -> None:
    """Guards the list above: a new emergency question must join the tests."""
    alone = {key: triage({key: True}).urgency for key in BOOLEAN_KEYS}
    assert sorted(k for k, u in alone.items() if u == Urgency.EMERGENCY) == sorted(EMERGENCY_FLAGS)

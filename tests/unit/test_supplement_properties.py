"""Properties of the supplement check over many profiles and supplement sets (Hypothesis).

For any age, sex, life stage, reference system, health flags and set of supplements:
- the most Rugwijzer says is fine from supplements never exceeds the upper limit, and is nothing
  at all under a hard stop or where no limit is set;
- "over the limit" is exactly total - limit when the total is above it, and absent otherwise;
- the hard stops are exactly those the rules name (kidney disease or eGFR < 30, heart-rhythm
  problems, pregnancy, under 4 years);
- the rendered advice agrees: under a stop it is "no dose" and shows no limit.
And an ambiguous form (a name that can mean several hydrates) counts at its highest elemental
amount, derived here from the catalogue's forms of that group times the compound milligrams.

Derandomized with modest example counts, so the suite stays fast and gives the same examples on
every run.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rugwijzer.domain.references import MAX_AGE_YEARS, REFERENCE_SYSTEMS, Profile
from rugwijzer.domain.supplements import (
    MAX_DAILY_ELEMENTAL_MG,
    HealthFlags,
    SupplementIntake,
    check_supplements,
)
from rugwijzer.errors import InvalidInputError
from rugwijzer.reference_data import medicine_interactions, supplement_catalogue
from rugwijzer.services.safety import intakes_from_json, supplement_advice
from rugwijzer.services.targets import targets_for

CATALOGUE = supplement_catalogue()
FORMS_BY_GROUP: dict[str, list[Any]] = {}
for _form in CATALOGUE.forms:
    FORMS_BY_GROUP.setdefault(_form.group, []).append(_form)
#: Groups with several hydrates or salts: their group name is ambiguous.
AMBIGUOUS_GROUPS = sorted(group for group, forms in FORMS_BY_GROUP.items() if len(forms) > 1)
#: Other names users write for those groups (Dutch, with "magnesium"), with the group they mean.
_OTHER_NAMES = {
    "magnesium citrate": "citrate",
    "magnesiumcitraat": "citrate",
    "citraat": "citrate",
    "magnesium chloride": "chloride",
    "magnesiumchloride": "chloride",
    "magnesium sulfate": "sulfate",
    "magnesium sulphate": "sulfate",
    "sulphate": "sulfate",
    "magnesiumsulfaat": "sulfate",
    "malaat": "malate",
    "gluconaat": "gluconate",
    "aspartaat": "aspartate",
}
AMBIGUOUS_NAMES = {group: group for group in AMBIGUOUS_GROUPS} | {
    name: group for name, group in _OTHER_NAMES.items() if group in AMBIGUOUS_GROUPS
}

PROPERTY_SETTINGS = settings(max_examples=100, derandomize=True, deadline=None)

ages = st.one_of(
    st.integers(min_value=0, max_value=int(MAX_AGE_YEARS)).map(float),  # the band edges
    st.floats(min_value=0, max_value=MAX_AGE_YEARS, allow_nan=False),
)


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    age = draw(ages)
    sex = draw(st.sampled_from(["female", "male"]))
    stage = draw(st.sampled_from([None, "pregnant", "lactating"]))
    if sex != "female" or age < 10:  # pregnancy and lactation need a woman of at least 10
        stage = None
    return Profile(age, sex, pregnant=stage == "pregnant", lactating=stage == "lactating")  # type: ignore[arg-type]


health_flags = st.builds(
    HealthFlags,
    kidney_disease=st.booleans(),
    egfr_ml_min=st.one_of(st.none(), st.floats(min_value=0, max_value=200, allow_nan=False)),
    heart_rhythm_problems=st.booleans(),
)

compound_mg = st.floats(min_value=1, max_value=2000, allow_nan=False)
servings = st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0])
supplement_entries = st.one_of(
    st.fixed_dictionaries(
        {
            "form": st.sampled_from([form.key for form in CATALOGUE.forms]),
            "compound_mg": compound_mg,
        }
    ),
    st.fixed_dictionaries(
        {"form": st.sampled_from(sorted(AMBIGUOUS_NAMES)), "compound_mg": compound_mg}
    ),
    st.fixed_dictionaries({"elemental_mg": st.floats(min_value=1, max_value=1000)}),
).flatmap(lambda entry: st.fixed_dictionaries({"servings_per_day": servings}).map(entry.__or__))


def _stops(profile: Profile, flags: HealthFlags) -> set[str]:
    """The hard stops as docs/safety.md states them."""
    stops = set()
    if flags.kidney_disease or (flags.egfr_ml_min is not None and flags.egfr_ml_min < 30):
        stops.add("stop.kidney")
    if flags.heart_rhythm_problems:
        stops.add("stop.heart_rhythm")
    if profile.pregnant:
        stops.add("stop.pregnancy")
    if profile.age_years < 4:
        stops.add("stop.young_child")
    return stops


def _total(intakes: list[SupplementIntake]) -> float:
    return sum(intake.elemental_mg_per_serving * intake.servings_per_day for intake in intakes)


@PROPERTY_SETTINGS
@given(
    profile=profiles(),
    flags=health_flags,
    reference=st.sampled_from(sorted(REFERENCE_SYSTEMS)),
    entries=st.lists(supplement_entries, max_size=4),
)
def test_advice_never_exceeds_the_upper_limit(
    profile: Profile, flags: HealthFlags, reference: str, entries: list[dict[str, Any]]
) -> None:
    intakes = intakes_from_json(entries)
    limit = targets_for(profile, reference).supplement_upper_limit
    total = _total(intakes)
    if total > MAX_DAILY_ELEMENTAL_MG:
        with pytest.raises(InvalidInputError):
            check_supplements(profile, flags, intakes, limit, medicine_interactions())
        return
    result = check_supplements(profile, flags, intakes, limit, medicine_interactions())
    stops = _stops(profile, flags)
    assert set(result.hard_stops) == stops
    assert result.dose_may_be_suggested is (not stops)
    if stops or limit.value is None:
        assert result.max_supplemental_mg is None
    else:
        assert result.max_supplemental_mg == limit.value
    if limit.value is not None and total > limit.value:
        assert result.over_limit_mg == round(total - limit.value, 1)
        assert "warn.over_limit" in result.warnings
    else:
        assert result.over_limit_mg is None
        assert "warn.over_limit" not in result.warnings
    assert result.total_elemental_mg == round(total, 1)


@PROPERTY_SETTINGS
@given(
    profile=profiles(),
    flags=health_flags,
    reference=st.sampled_from(sorted(REFERENCE_SYSTEMS)),
    entries=st.lists(supplement_entries, max_size=1),  # one entry is at most 5,000 mg
    lang=st.sampled_from(["nl", "en"]),
)
def test_rendered_advice_shows_no_limit_under_a_stop(
    profile: Profile,
    flags: HealthFlags,
    reference: str,
    entries: list[dict[str, Any]],
    lang: str,
) -> None:
    intakes = intakes_from_json(entries)
    _, targets, view = supplement_advice(profile, flags, intakes, reference=reference, lang=lang)
    limit = targets.supplement_upper_limit.value
    if _stops(profile, flags):
        assert view["advice"]["key"] == "info.no_dose"
        assert view["supplement_upper_limit_mg"] is None
        assert view["upper_limit"] is None
        assert view["max_supplemental_mg"] is None
    elif limit is None:
        assert view["advice"]["key"] == "info.no_dose"
        assert view["max_supplemental_mg"] is None
    else:
        assert view["advice"]["key"] == "info.max_supplement"
        assert view["max_supplemental_mg"] == view["supplement_upper_limit_mg"] == limit


def test_there_are_ambiguous_forms_to_test() -> None:
    # citrate (3 salts) and chloride (anhydrous, hexahydrate) at least: the properties below
    # would be empty without them
    assert {"citrate", "chloride"} <= set(AMBIGUOUS_GROUPS)
    assert len(FORMS_BY_GROUP["citrate"]) == 3


@PROPERTY_SETTINGS
@given(
    name=st.sampled_from(sorted(AMBIGUOUS_NAMES)),
    mg=compound_mg,
    count=servings,
)
def test_an_ambiguous_form_counts_at_its_highest_elemental_amount(
    name: str, mg: float, count: float
) -> None:
    candidates = [mg * form.magnesium_fraction for form in FORMS_BY_GROUP[AMBIGUOUS_NAMES[name]]]
    highest, lowest = max(candidates), min(candidates)
    assert highest > lowest  # really ambiguous
    (intake,) = intakes_from_json([{"form": name, "compound_mg": mg, "servings_per_day": count}])
    assert intake.elemental_mg_per_serving == round(highest, 3)
    assert intake.elemental_range_mg == (lowest, highest)
    assert intake.form is None  # no single form is assumed
    profile = Profile(40, "female")
    limit = targets_for(profile, "nih").supplement_upper_limit
    result = check_supplements(profile, HealthFlags(), [intake], limit, medicine_interactions())
    assert result.total_elemental_mg == round(round(highest, 3) * count, 1)
    assert "warn.ambiguous_form" in result.warnings


def test_a_citrate_of_unknown_hydrate_counts_as_the_anhydrous_trimagnesium_salt() -> None:
    # 3 Mg / (3 Mg + 2 C6H5O7) with IUPAC atomic weights: 72.915 / 451.113 = 16.163 %, the
    # highest of the citrates (nonahydrate 11.89 %, hydrogen citrate 11.34 %)
    magnesium = 3 * 24.305
    citrate = 2 * (6 * 12.011 + 5 * 1.008 + 7 * 15.999)
    expected = 500 * magnesium / (magnesium + citrate)
    (intake,) = intakes_from_json([{"form": "magnesium citrate", "compound_mg": 500}])
    assert intake.elemental_mg_per_serving == pytest.approx(expected, abs=0.001)
    assert expected == pytest.approx(80.82, abs=0.01)

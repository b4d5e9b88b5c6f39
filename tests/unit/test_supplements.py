from __future__ import annotations

import pytest

from rugwijzer.domain.references import Profile
from rugwijzer.domain.supplements import (
    HealthFlags,
    SupplementIntake,
    check_supplements,
    magnesium_fraction,
    molar_mass,
    parse_label_line,
)
from rugwijzer.errors import InvalidInputError
from rugwijzer.reference_data import medicine_interactions, supplement_catalogue
from rugwijzer.services.targets import targets_for

CATALOGUE = supplement_catalogue()

# Published cross-checks (facts sheet, section 3): these must be met to 0.1 percentage point.
PUBLISHED = {
    "oxide": 60.3,
    "hydroxide": 41.7,
    "carbonate": 28.8,
    "chloride_anhydrous": 25.5,
    "chloride_hexahydrate": 11.96,
    "citrate_trimagnesium_anhydrous": 16.16,
    "citrate_trimagnesium_nonahydrate": 11.89,
    "citrate_hydrogen": 11.3,
    "lactate": 12.01,
    "lactate_dihydrate": 10.19,
    "gluconate_dihydrate": 5.39,
    "bisglycinate": 14.1,
    "malate": 15.5,
    "malate_trihydrate": 11.6,
    "taurate": 8.9,
    "threonate": 8.3,
    "sulfate_anhydrous": 20.1,
    "sulfate_heptahydrate": 9.86,
    "glycerophosphate": 12.50,
    "orotate": 7.2,
    "aspartate": 8.5,
    "pidolate": 8.66,
}
REQUIRED_GROUPS = {
    "oxide",
    "hydroxide",
    "carbonate",
    "chloride",
    "citrate",
    "lactate",
    "gluconate",
    "bisglycinate",
    "malate",
    "taurate",
    "threonate",
    "sulfate",
    "glycerophosphate",
    "orotate",
    "aspartate",
    "pidolate",
}


@pytest.mark.parametrize(("key", "published"), sorted(PUBLISHED.items()))
def test_elemental_fraction_matches_the_published_cross_check(key: str, published: float) -> None:
    (form,) = [f for f in CATALOGUE.forms if f.key == key]
    assert abs(100 * form.magnesium_fraction - published) <= 0.1
    assert form.published_percent == published
    assert form.published_sources


def test_every_required_form_is_there_with_graded_notes() -> None:
    assert {form.group for form in CATALOGUE.forms} >= REQUIRED_GROUPS
    for form in CATALOGUE.forms:
        for note in (form.absorption, form.tolerance):
            assert note.grade in {"A", "B", "C", "D"}
            assert note.sources
            assert note.en
            assert note.nl


@pytest.mark.parametrize(
    ("formula", "mass"),
    [("MgO", 40.304), ("Mg(OH)2", 58.319), ("Mg3(C6H5O7)2·9H2O", 613.25), ("MgSO4.7H2O", 246.47)],
)
def test_molar_mass(formula: str, mass: float) -> None:
    assert molar_mass(formula) == pytest.approx(mass, abs=0.01)


@pytest.mark.parametrize("formula", ["MgX", "Mg(OH", "Mg)2(", "mgo", "H2O", ""])
def test_bad_formulas(formula: str) -> None:
    with pytest.raises(InvalidInputError):
        magnesium_fraction(formula)


def test_elemental_exact_and_ambiguous() -> None:
    oxide = CATALOGUE.elemental("magnesium oxide", 400)
    assert oxide.exact
    # MgO: 24.305 g/mol of magnesium in 40.304 (IUPAC standard atomic weights)
    assert oxide.low_mg == pytest.approx(400 * 24.305 / 40.304, abs=0.1)
    citrate = CATALOGUE.elemental("citrate", 500)
    assert not citrate.exact
    assert {f.key for f in citrate.forms} == {
        "citrate_trimagnesium_anhydrous",
        "citrate_trimagnesium_nonahydrate",
        "citrate_hydrogen",
    }
    assert citrate.low_mg == pytest.approx(500 * 0.1134, abs=0.1)
    assert citrate.high_mg == pytest.approx(500 * 0.1616, abs=0.1)
    assert CATALOGUE.elemental("trimagnesium dicitrate nonahydrate", 500).exact
    assert not CATALOGUE.elemental("Magnesiumcitraat", 500).exact
    # magnesium bisglycinate Mg(C2H4NO2)2
    bisglycinate = 24.305 + 2 * (2 * 12.011 + 4 * 1.008 + 14.007 + 2 * 15.999)
    assert CATALOGUE.elemental("bisglycinaat", 1000).low_mg == pytest.approx(
        1000 * 24.305 / bisglycinate, abs=0.1
    )


@pytest.mark.parametrize(
    ("name", "amount"), [("unobtainium", 100), ("oxide", -5), ("oxide", 0), ("", 10)]
)
def test_elemental_bad_input(name: str, amount: float) -> None:
    with pytest.raises(InvalidInputError):
        CATALOGUE.elemental(name, amount)


@pytest.mark.parametrize(
    ("line", "form", "mg"),
    [
        ("magnesium (as citrate) 200 mg", "citrate", 200.0),
        ("Magnesium (als bisglycinaat) 150 mg", "bisglycinaat", 150.0),
        ("Magnesium 100 mg (as oxide)", "oxide", 100.0),
        ("Each tablet: Magnesium (as magnesium glycinate) 120,5 mg", "magnesium glycinate", 120.5),
    ],
)
def test_label_lines_are_already_elemental(line: str, form: str, mg: float) -> None:
    assert parse_label_line(line) == (form, mg)


@pytest.mark.parametrize("line", ["vitamin C 200 mg", "magnesium (as citrate) -5 mg", ""])
def test_bad_label_lines(line: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_label_line(line)


def _check(
    age: float,
    mg: float,
    reference: str,
    *,
    pregnant: bool = False,
    flags: HealthFlags | None = None,
):  # type: ignore[no-untyped-def]
    profile = Profile(age, "female", pregnant=pregnant)
    intake = SupplementIntake("x", mg, 1.0, "given")
    limit = targets_for(profile, reference).supplement_upper_limit
    return check_supplements(
        profile, flags or HealthFlags(), [intake], limit, medicine_interactions()
    )


@pytest.mark.parametrize(
    ("age", "reference", "limit"),
    [
        (40, "nih", 350),
        (40, "efsa", 250),
        (40, "nl", 250),
        (6, "nih", 110),
        (2, "nih", 65),
        (12, "nih", 350),
        (6, "efsa", 250),
        (3, "efsa", None),
        (0.5, "nih", None),
    ],
)
def test_upper_limit_by_system_and_age(age: float, reference: str, limit: float | None) -> None:
    result = _check(age, 100, reference)
    assert result.upper_limit.value == limit


def test_over_the_limit_is_reported_and_never_suggested() -> None:
    nih = _check(40, 400, "nih")
    assert nih.over_limit_mg == 50
    assert "warn.over_limit" in nih.warnings
    assert nih.max_supplemental_mg == 350
    eu = _check(40, 300, "efsa")
    assert eu.over_limit_mg == 50
    assert _check(40, 250, "efsa").over_limit_mg is None
    assert "warn.split_dose" in eu.warnings


def test_pregnancy_keeps_the_limit_but_suggests_no_dose() -> None:
    for reference, limit in (("nih", 350), ("efsa", 250)):
        result = _check(30, 100, reference, pregnant=True)
        assert result.upper_limit.value == limit
        assert "stop.pregnancy" in result.hard_stops
        assert result.max_supplemental_mg is None
        assert not result.dose_may_be_suggested


@pytest.mark.parametrize(
    ("flags", "stop"),
    [
        (HealthFlags(kidney_disease=True), "stop.kidney"),
        (HealthFlags(egfr_ml_min=25), "stop.kidney"),
        (HealthFlags(heart_rhythm_problems=True), "stop.heart_rhythm"),
    ],
)
def test_hard_stops(flags: HealthFlags, stop: str) -> None:
    result = _check(50, 100, "nih", flags=flags)
    assert stop in result.hard_stops
    assert result.max_supplemental_mg is None


def test_moderate_kidney_function_is_no_hard_stop_and_young_children_are() -> None:
    assert _check(50, 100, "nih", flags=HealthFlags(egfr_ml_min=45)).hard_stops == ()
    assert "stop.young_child" in _check(3, 50, "nih").hard_stops


@pytest.mark.parametrize(
    ("age", "stops"),
    [
        (3.99, ("stop.young_child",)),  # just under 4: no EU upper limit, UK products not for them
        (4.0, ()),  # from the fourth birthday the EU upper limit applies (SCF 2001)
        (4.01, ()),
    ],
)
def test_the_young_child_stop_ends_at_four_years(age: float, stops: tuple[str, ...]) -> None:
    assert _check(age, 50, "efsa").hard_stops == stops


@pytest.mark.parametrize(
    ("mg", "split", "diarrhoea"),
    [
        (1.0, True, False),  # any supplement: split the dose (BfR 2017)
        (250.0, True, False),  # exactly the EU limit: not over it
        (250.1, True, True),  # over the limit: diarrhoea becomes more likely (SCF 2001)
    ],
)
def test_split_dose_and_diarrhoea_warnings(mg: float, split: bool, diarrhoea: bool) -> None:
    # The intake has no form, so only the amount can raise the diarrhoea warning.
    warnings = _check(40, mg, "efsa").warnings
    assert ("warn.split_dose" in warnings) is split
    assert ("warn.diarrhoea" in warnings) is diarrhoea


def test_no_supplement_gives_no_dose_warnings() -> None:
    profile = Profile(40, "female")
    limit = targets_for(profile, "efsa").supplement_upper_limit
    result = check_supplements(profile, HealthFlags(), [], limit, medicine_interactions())
    assert result.warnings == ()
    assert result.total_elemental_mg == 0


def test_absurd_daily_dose_is_an_error() -> None:
    with pytest.raises(InvalidInputError, match="plausible"):
        _check(40, 5001, "nih")


@pytest.mark.parametrize(
    ("medicine", "interaction"),
    [
        ("Doxycycline 100 mg", "tetracyclines"),
        ("ciprofloxacine", "quinolones"),
        ("Ciprofloxacin", "quinolones"),
        ("Avelox", "moxifloxacin"),
        ("levofloxacine", "levofloxacin"),
        ("Euthyrox", "levothyroxine"),
        ("alendroninezuur", "bisphosphonates"),
        # Integrase inhibitors have a rule per medicine since issue #10 (was one class rule).
        ("dolutegravir", "dolutegravir"),
        ("Juluca", "rilpivirine_dolutegravir"),
        ("dolutegravir/rilpivirine", "rilpivirine_dolutegravir"),
        ("Isentress", "raltegravir"),
        ("Biktarvy", "bictegravir"),
        ("elvitegravir", "integrase_inhibitors"),
        ("omeprazol", "proton_pump_inhibitors"),
        ("furosemide", "loop_thiazide_diuretics"),
        ("spironolacton", "potassium_sparing_diuretics"),
    ],
)
def test_interactions(medicine: str, interaction: str) -> None:
    result = _check(50, 100, "nih", flags=HealthFlags(medicines=(medicine,)))
    assert [hit.key for _, hit in result.interactions] == [interaction]
    advice = result.interactions[0][1].advice
    assert advice.sources
    assert advice.nl
    assert advice.en


def test_unknown_medicine_is_flagged_not_ignored() -> None:
    result = _check(50, 100, "nih", flags=HealthFlags(medicines=("paracetamol",)))
    assert result.unmatched_medicines == ("paracetamol",)
    assert "warn.unknown_medicine" in result.warnings

"""Supplement labels as typed from Dutch, Belgian and English packs (domain/labels.py).

The cases are in tests/fixtures/cases/labels.tsv; the expected figures there were worked out by
hand from the formulas (e.g. magnesium glycerophosphate MgC3H7O6P: 24.305 / 194.36 = 12.5 %, so
250 mg of it is 31.3 mg magnesium)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from rugwijzer.domain.labels import AmountBasis, LabelReading, read_label
from rugwijzer.domain.references import Profile
from rugwijzer.domain.supplements import HealthFlags
from rugwijzer.errors import InvalidInputError
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message
from rugwijzer.reference_data import supplement_catalogue
from rugwijzer.services.safety import intakes_from_json, label_reading_view, supplement_advice

CATALOGUE = supplement_catalogue()
CASES = Path(__file__).parents[1] / "fixtures" / "cases" / "labels.tsv"


def _cases() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _number(value: str) -> float | None:
    return None if value == "-" else float(value)


def _form(reading: LabelReading) -> str:
    if reading.form is not None:
        return reading.form.key
    groups = {form.group for form in reading.forms}
    return groups.pop() if len(groups) == 1 else "-"


def _alternative(reading: LabelReading) -> str:
    if reading.elemental_if_compound_mg is not None:
        low, high = (round(value, 1) for value in reading.elemental_if_compound_mg)
        return f"{low}" if low == high else f"{low}-{high}"
    if reading.elemental_if_other_units_mg is not None:
        return f"{round(reading.elemental_if_other_units_mg, 1)}"
    return "-"


def _shown(value: str) -> str:
    return value if value == "-" or "-" in value else f"{float(value)}"


@pytest.mark.parametrize("case", _cases(), ids=lambda case: f"{case['lang']}:{case['text']}")
def test_label_cases(case: dict[str, str]) -> None:
    reading = read_label(case["text"].replace("\\n", "\n"), CATALOGUE)
    assert _form(reading) == case["form"]
    expected_mg = _number(case["elemental_mg"])
    if expected_mg is None:
        assert reading.elemental_mg is None
    else:
        assert reading.elemental_mg == pytest.approx(expected_mg, abs=0.05)
    assert _alternative(reading) == _shown(case["alternative_mg"])
    assert reading.units_per_serving == _number(case["units"])
    assert reading.servings_per_day == _number(case["servings"])
    counted = _number(case["counted_mg"])
    if counted is None:
        assert reading.counted_mg is None
    else:
        assert reading.counted_mg == pytest.approx(counted, abs=0.05)
    basis = None if case["basis"] == "-" else AmountBasis(case["basis"])
    assert reading.amount_basis is basis


def test_the_cases_cover_every_form_in_both_languages() -> None:
    cases = _cases()
    assert {case["lang"] for case in cases} == {"nl", "en"}
    for lang in ("nl", "en"):
        mine = [case for case in cases if case["lang"] == lang]
        assert any(case["basis"] == "unstated" for case in mine)  # compound name by the amount
        assert any(case["form"] == "glycerophosphate" for case in mine)
        assert any(case["form"] == "bisglycinate" and case["elemental_mg"] == "-" for case in mine)
        assert any(case["units"] == "2" and case["alternative_mg"] != "-" for case in mine)
        assert any(case["servings"] != "-" and case["elemental_mg"] == "-" for case in mine)
        assert any("\\n" in case["text"] for case in mine)


def _example(message: Message, lang: str) -> str:
    """The last ‘quoted’ example in a rendered message."""
    return re.findall(r"‘([^’]+)’", render_message(message, lang))[-1]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_unreadable_label_says_so_in_the_readers_language_with_an_example_that_reads(
    lang: str,
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        read_label("vitamine C 100 mg", CATALOGUE)
    assert refused.value.message.code is Code.SUPPLEMENT_LABEL_UNREADABLE
    said = render_message(refused.value.message, lang)
    assert said.startswith(
        "De etiketregel ‘vitamine C 100 mg’" if lang == "nl" else "Cannot read the label line"
    )
    example = _example(refused.value.message, lang)
    assert example == (
        "magnesium (als citraat) 200 mg" if lang == "nl" else "magnesium (as citrate) 200 mg"
    )
    assert read_label(example, CATALOGUE).counted_mg == 200


@pytest.mark.parametrize("text", ["x", "nonsense", "", "vitamin C 200 mg", "200 mg"])
def test_labels_without_magnesium_are_unreadable(text: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        read_label(text, CATALOGUE)
    assert refused.value.message.code is Code.SUPPLEMENT_LABEL_UNREADABLE


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("magnesiumbisglycinaat", Code.LABEL_FORM_NO_AMOUNT),
        ("1 capsule per dag", Code.LABEL_NO_AMOUNT),
    ],
)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_dose_needs_an_amount_and_the_example_given_reads(
    text: str, code: Code, lang: str
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        intakes_from_json([{"label": text}])
    assert refused.value.message.code is code
    said = render_message(refused.value.message, lang)
    assert ("milligrammen" if lang == "nl" else "milligrams") in said
    example = _example(refused.value.message, lang)
    (intake,) = intakes_from_json([{"label": example}])
    assert intake.elemental_mg_per_serving == 100
    assert intake.servings_per_day == 1
    assert intake.form is not None
    assert intake.form.key == "bisglycinate"


def test_the_form_catalogue_names_glycerophosphate_and_bisglycinate_in_both_languages() -> None:
    for name in (
        "magnesium glycerofosfaat",
        "magnesiumglycerofosfaat",
        "glycerofosfaat",
        "magnesium glycerophosphate",
    ):
        assert [form.key for form in CATALOGUE.resolve(name)] == ["glycerophosphate"]
    for name in ("magnesium bisglycinaat", "magnesiumbisglycinaat", "magnesium bisglycinate"):
        assert [form.key for form in CATALOGUE.resolve(name)] == ["bisglycinate"]


def _check(label: str) -> tuple[float, float | None, tuple[str, ...]]:
    """Total counted, mg over the EU limit (250 mg), warnings: for an adult, one label."""
    intakes = intakes_from_json([{"label": label}])
    result, _, _ = supplement_advice(
        Profile(45, "female"), HealthFlags(), intakes, reference="efsa", lang="en"
    )
    return result.total_elemental_mg, result.over_limit_mg, result.warnings


def test_the_upper_limit_counts_the_higher_reading_of_a_compound_name() -> None:
    # As elemental magnesium 300 mg (over 250); as magnesium citrate 34-48 mg (well under).
    reading = read_label("Magnesiumcitraat 300 mg", CATALOGUE)
    assert reading.elemental_if_compound_mg is not None
    assert reading.elemental_if_compound_mg[1] < 250 < reading.elemental_mg  # type: ignore[operator]
    total, over, warnings = _check("Magnesiumcitraat 300 mg")
    assert total == 300
    assert over == 50
    assert "warn.over_limit" in warnings


def test_the_upper_limit_counts_the_higher_reading_of_tablets_before_the_amount() -> None:
    # 200 mg for two tablets (under 250) or 200 mg each: 400 mg for the two (over 250).
    total, over, warnings = _check("2 tabletten magnesium 200 mg")
    assert total == 400
    assert over == 150
    assert "warn.over_limit" in warnings
    # said per two tablets, it is 200 mg: no warning
    total, over, warnings = _check("per 2 tabletten: magnesium 200 mg")
    assert (total, over) == (200, None)
    assert "warn.over_limit" not in warnings


def test_servings_a_day_from_the_label_and_the_users_number_wins() -> None:
    (from_label,) = intakes_from_json(
        [{"label": "magnesium (als citraat) 100 mg; 2 x per dag 1 tablet"}]
    )
    assert from_label.servings_per_day == 2
    assert from_label.elemental_mg_per_day == 200
    (given,) = intakes_from_json(
        [{"label": "magnesium (als citraat) 100 mg; 2 x per dag 1 tablet", "servings_per_day": 1}]
    )
    assert given.servings_per_day == 1
    assert given.label_reading is not None
    assert given.label_reading.notes[-1].code is Code.LABEL_NOTE_SERVINGS_GIVEN
    view = label_reading_view(given.label_reading, "nl")
    assert (
        view.notes[-1]
        == "Porties per dag: jij gaf 1 op, het etiket zegt 2; jouw aantal wordt gebruikt."
    )


def test_per_two_tablets_and_two_tablets_a_day_is_one_serving() -> None:
    (intake,) = intakes_from_json(
        [{"label": "per 2 tabletten: magnesium 250 mg\n4 tabletten per dag"}]
    )
    assert intake.servings_per_day == 2
    assert intake.elemental_mg_per_day == 500


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("magnesium 6000 mg", Code.LABEL_AMOUNT_IMPLAUSIBLE),
        ("magnesium 6 g", Code.LABEL_AMOUNT_IMPLAUSIBLE),
        ("magnesium 0 mg", Code.SUPPLEMENT_AMOUNT_NOT_POSITIVE),
        ("magnesium 100 mg; magnesium 200 mg", Code.LABEL_SEVERAL_AMOUNTS),
        ("magnesium 100 mg; 1 tablet per dag; 2 tabletten per dag", Code.LABEL_SEVERAL_DOSES),
        ("magnesium (als kryptoniet) 100 mg", Code.SUPPLEMENT_FORM_UNKNOWN),
    ],
)
def test_bad_labels_are_errors(text: str, code: Code) -> None:
    with pytest.raises(InvalidInputError) as refused:
        read_label(text, CATALOGUE)
    assert refused.value.message.code is code


def test_an_implausible_day_from_the_labels_own_numbers_is_refused() -> None:
    with pytest.raises(InvalidInputError) as refused:
        intakes_from_json([{"label": "magnesium (als citraat) 2000 mg; 3 tabletten per dag"}])
    assert refused.value.message.code is Code.SUPPLEMENT_ENTRY_DOSE_IMPLAUSIBLE


def test_the_old_label_format_is_said_as_before() -> None:
    (intake,) = intakes_from_json([{"label": "magnesium (as citrate) 200 mg"}])
    assert intake.how == Message.of(Code.SUPPLEMENT_HOW_LABEL, elemental=200.0, form="citrate")
    assert intake.elemental_mg_per_serving == 200
    assert intake.servings_per_day == 1


def test_an_ambiguous_label_says_which_reading_and_shows_both_figures_in_dutch() -> None:
    view = label_reading_view(read_label("Magnesiumcitraat 400 mg", CATALOGUE), "nl")
    assert view.amount_basis == "unstated"
    assert view.elemental_mg == 400
    assert view.elemental_if_compound_mg == [45.3, 64.7]
    assert view.counted_mg == 400
    assert view.ambiguous
    assert view.notes[0].startswith("Het etiket zegt niet of 400 mg het magnesium is")
    assert "45,3-64,7 mg magnesium" in view.notes[0]
    assert view.notes[-1].startswith(
        "De controle tegen de bovengrens telt het hoogste getal: 400 mg"
    )
    assert {source.id for source in view.convention.sources} >= {"eu-2002-46", "eu-1169-2011"}


def test_two_tablets_says_which_reading_and_shows_both_figures_in_english() -> None:
    view = label_reading_view(read_label("2 tablets magnesium 250 mg", CATALOGUE), "en")
    assert (view.elemental_mg, view.elemental_if_other_units_mg, view.counted_mg) == (250, 500, 500)
    assert view.units_per_serving == 2
    assert view.notes[1] == (
        "‘2 tablets … 250 mg’ can mean 250 mg for the 2 together or for each one. Read as 250 mg "
        "per 2 tablets, because EU labels give amounts per portion for daily use; if it is for "
        "each one, it is 500 mg per 2 tablets."
    )


def test_words_that_are_not_used_are_named() -> None:
    reading = read_label("magnesium 200 mg, zink 10 mg, vegan", CATALOGUE)
    assert reading.elemental_mg == 200
    ignored = [
        note.params["text"] for note in reading.notes if note.code is Code.LABEL_NOTE_IGNORED
    ]
    assert ignored == ["zink 10 mg", "vegan"]

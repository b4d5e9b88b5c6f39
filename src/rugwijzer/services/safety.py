"""Supplements, the deficiency-risk screen and red-flag triage as typed views."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from rugwijzer.domain.labels import AmountBasis, LabelReading, read_label
from rugwijzer.domain.references import Profile
from rugwijzer.domain.screen import RISK_GROUPS, SYMPTOMS, ScreenAnswers, screen
from rugwijzer.domain.supplements import (
    MAX_DAILY_ELEMENTAL_MG,
    ElementalAmount,
    FormCatalogue,
    GradedNote,
    HealthFlags,
    SupplementCheck,
    SupplementForm,
    SupplementIntake,
    check_supplements,
)
from rugwijzer.domain.triage import TriageResult, Urgency
from rugwijzer.errors import InvalidInputError
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message
from rugwijzer.reference_data import medicine_interactions, supplement_catalogue
from rugwijzer.services.diary_views import ProfileView
from rugwijzer.services.foods import food_ref
from rugwijzer.services.profile_input import CheckProfileInput, age_on
from rugwijzer.services.targets import (
    TargetSet,
    default_reference,
    profile_from_mapping,
    target_view,
    targets_for,
)
from rugwijzer.services.views import (
    CheckedSupplement,
    CitedNote,
    CitedStatement,
    ElementalView,
    FoodFirstSuggestion,
    FoodFirstView,
    InteractionView,
    LabelReadingView,
    ScreenView,
    SupplementAdviceView,
    SupplementCheckView,
    SupplementFormView,
    TriageReason,
    TriageView,
    cited_sources,
    cited_statement,
)

__all__ = [
    "check_from_json",
    "check_inputs_from_profile",
    "elemental_view",
    "food_first",
    "health_flags_from_mapping",
    "intakes_from_json",
    "label_reading_view",
    "screen_view",
    "stored_supplement_advice",
    "supplement_advice",
    "supplement_check_view",
    "triage_view",
]

#: Everyday foods rich in magnesium for "food first" (NDB numbers), with a portion that people
#: eat: (ndb, the portion as a household measure, grams).
_FOOD_FIRST = (
    ("12014", Message.of(Code.PORTION_HANDFUL), 25.0),  # pumpkin seeds
    ("12061", Message.of(Code.PORTION_HANDFUL), 25.0),  # almonds
    ("18075", Message.of(Code.PORTION_TWO_SLICES), 70.0),  # whole-wheat bread
    ("16015", Message.of(Code.PORTION_SERVING_SPOON, grams=50), 50.0),  # black beans, cooked
    ("11458", Message.of(Code.PORTION_SERVING, grams=100), 100.0),  # spinach, cooked
    ("19904", Message.of(Code.PORTION_PIECES, count=2, grams=20), 20.0),  # dark chocolate 70-85%
    ("09040", Message.of(Code.PORTION_ONE_PIECE), 118.0),  # banana
)


def _note(note: GradedNote, lang: str) -> CitedNote:
    return CitedNote(text=note.text(lang), grade=note.grade, sources=cited_sources(note.sources))


def _form(form: SupplementForm, lang: str) -> SupplementFormView:
    return SupplementFormView(
        key=form.key,
        name=form.name_nl if lang == "nl" else form.name_en,
        formula=form.formula,
        molar_mass_g_per_mol=round(form.molar_mass, 2),
        elemental_percent=round(100 * form.magnesium_fraction, 2),
        published_percent=form.published_percent,
        published_sources=cited_sources(form.published_sources),
        absorption=_note(form.absorption, lang),
        tolerance=_note(form.tolerance, lang),
    )


def elemental_view(amount: ElementalAmount, lang: str) -> ElementalView:
    """Elemental magnesium for a compound amount, or the range and candidates if ambiguous."""
    return ElementalView(
        compound_mg=amount.compound_mg,
        exact=amount.exact,
        elemental_mg=round(amount.low_mg, 1) if amount.exact else None,
        elemental_range_mg=[round(amount.low_mg, 1), round(amount.high_mg, 1)],
        forms=[_form(form, lang) for form in amount.forms],
        message=None if amount.exact else cited_statement("warn.ambiguous_form", lang),
    )


def health_flags_from_mapping(data: dict[str, Any]) -> tuple[HealthFlags, float | None]:
    """The supplement-check fields of a profile mapping, validated (`CheckProfileInput`)."""
    checked = CheckProfileInput.parse(data)
    return (
        HealthFlags(
            kidney_disease=bool(checked.kidney_disease),
            egfr_ml_min=checked.egfr,
            heart_rhythm_problems=bool(checked.heart_rhythm_problems),
            medicines=tuple(checked.medicines or ()),
        ),
        checked.food_magnesium_mg,
    )


_INTAKE_KEYS = {"name", "label", "form", "compound_mg", "elemental_mg", "servings_per_day"}


def _positive(entry: dict[str, Any], key: str, index: int) -> float:
    value = entry[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError(Code.SUPPLEMENT_ENTRY_NOT_NUMBER, number=index + 1, field=key)
    if value <= 0:
        raise InvalidInputError(Code.SUPPLEMENT_ENTRY_NOT_POSITIVE, number=index + 1, field=key)
    return float(value)


def intakes_from_json(data: object) -> list[SupplementIntake]:
    """Supplements from JSON: a list of {"name", "label": "magnesium (as citrate) 200 mg"} or
    {"form", "compound_mg"} or {"elemental_mg"}, each with optional "servings_per_day"."""
    if isinstance(data, dict) and "supplements" in data:
        data = data["supplements"]
    if not isinstance(data, list):
        raise InvalidInputError(Code.SUPPLEMENTS_NOT_A_LIST)
    catalogue = supplement_catalogue()
    intakes: list[SupplementIntake] = []
    for index, entry in enumerate(data):
        if not isinstance(entry, dict):
            raise InvalidInputError(Code.SUPPLEMENT_ENTRY_NOT_OBJECT, number=index + 1)
        unknown = sorted(set(entry) - _INTAKE_KEYS)
        if unknown:
            raise InvalidInputError(
                Code.SUPPLEMENT_ENTRY_UNKNOWN_FIELDS, number=index + 1, fields=tuple(unknown)
            )
        given_servings = (
            _positive(entry, "servings_per_day", index) if "servings_per_day" in entry else None
        )
        servings = given_servings or 1.0
        name = str(
            entry.get("name")
            or entry.get("label")
            or entry.get("form")
            or f"supplement {index + 1}"
        )
        form: SupplementForm | None = None
        span: tuple[float, float] | None = None
        reading: LabelReading | None = None
        if "label" in entry:
            reading, elemental, servings, how = _from_label(
                str(entry["label"]), catalogue, given_servings
            )
            form = reading.form
            if reading.amount_basis is AmountBasis.COMPOUND and reading.elemental_if_compound_mg:
                low, high = reading.elemental_if_compound_mg
                span = (low, high) if round(low, 1) != round(high, 1) else None
        elif "elemental_mg" in entry:
            elemental = _positive(entry, "elemental_mg", index)
            how = Message.of(Code.SUPPLEMENT_HOW_GIVEN, elemental=elemental)
            if "form" in entry:
                forms = catalogue.resolve(str(entry["form"]))
                form = forms[0] if len(forms) == 1 else None
        elif "form" in entry and "compound_mg" in entry:
            amount = catalogue.elemental(str(entry["form"]), _positive(entry, "compound_mg", index))
            if amount.exact:
                form = amount.forms[0]
                elemental = amount.low_mg
                percent = 100 * form.magnesium_fraction
                how = Message.of(
                    Code.SUPPLEMENT_HOW_COMPOUND,
                    compound=amount.compound_mg,
                    form=str(entry["form"]),  # as the user named it, in their language
                    percent=round(percent, 2),
                )
            else:
                # Unknown hydrate: count the highest value, so the check errs on the safe side.
                elemental = amount.high_mg
                span = (amount.low_mg, amount.high_mg)
                how = Message.of(
                    Code.SUPPLEMENT_HOW_AMBIGUOUS,
                    compound=amount.compound_mg,
                    low=round(amount.low_mg),
                    high=round(amount.high_mg),
                )
        else:
            raise InvalidInputError(Code.SUPPLEMENT_ENTRY_NO_AMOUNT, number=index + 1)
        if elemental * servings > MAX_DAILY_ELEMENTAL_MG:
            raise InvalidInputError(
                Code.SUPPLEMENT_ENTRY_DOSE_IMPLAUSIBLE,
                number=index + 1,
                total=round(elemental * servings),
                maximum=round(MAX_DAILY_ELEMENTAL_MG),
            )
        intakes.append(
            SupplementIntake(name, round(elemental, 3), servings, how, form, span, reading)
        )
    return intakes


#: The notes that say how an ambiguous label was read, most telling first (for `how`).
_READING_CODES = (
    Code.LABEL_NOTE_UNITS_LEADING,
    Code.LABEL_NOTE_UNITS_UNSTATED,
    Code.LABEL_NOTE_UNSTATED_RANGE,
    Code.LABEL_NOTE_UNSTATED,
    Code.LABEL_NOTE_COMPOUND_RANGE,
    Code.LABEL_NOTE_COMPOUND,
    Code.LABEL_NOTE_COMPOUND_SEEN,
    Code.LABEL_NOTE_ELEMENTAL,
)


def _from_label(
    text: str, catalogue: FormCatalogue, given_servings: float | None
) -> tuple[LabelReading, float, float, Message]:
    """A label line as an intake: the reading, elemental mg per serving counted (the higher
    reading), servings a day (the user's number wins over the label's) and how it was found."""
    reading = read_label(text, catalogue)
    counted = reading.counted_mg
    if counted is None:
        if reading.forms:
            raise InvalidInputError(Code.LABEL_FORM_NO_AMOUNT, form=reading.form_words or text)
        raise InvalidInputError(Code.LABEL_NO_AMOUNT, text=text)
    servings = given_servings or reading.servings_per_day or 1.0
    if (
        given_servings is not None
        and reading.servings_per_day is not None
        and round(given_servings, 3) != round(reading.servings_per_day, 3)
    ):
        note = Message.of(
            Code.LABEL_NOTE_SERVINGS_GIVEN, given=given_servings, label=reading.servings_per_day
        )
        reading = dataclasses.replace(reading, notes=(*reading.notes, note))
    plain = (
        reading.amount_basis is AmountBasis.ELEMENTAL
        and not reading.ambiguous
        and reading.form_words is not None
        and reading.units_per_serving is None
    )
    if plain:
        # "magnesium (as citrate) 200 mg": said as it always was
        how = Message.of(Code.SUPPLEMENT_HOW_LABEL, elemental=counted, form=reading.form_words)
    else:
        # the one or two notes that say how the label was read, most telling first
        telling = [note for code in _READING_CODES for note in reading.notes if note.code is code]
        if len(telling) >= 2 and telling[1].code is not Code.LABEL_NOTE_ELEMENTAL:
            how = Message.of(
                Code.LABEL_HOW_TWO, elemental=round(counted, 1), reading=telling[0], also=telling[1]
            )
        else:
            main = telling[0] if telling else Message.of(Code.LABEL_NOTE_ELEMENTAL, amount=counted)
            how = Message.of(Code.LABEL_HOW, elemental=round(counted, 1), reading=main)
    return reading, counted, servings, how


def label_reading_view(reading: LabelReading, lang: str) -> LabelReadingView:
    """How a label was read, with the notes in `lang` and the labelling rule's sources."""

    def mg(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    compound = reading.elemental_if_compound_mg
    return LabelReadingView(
        text=reading.text,
        form=reading.form.key if reading.form else None,
        form_name=reading.form_words,
        forms=[form.key for form in reading.forms],
        amount_mg=reading.amount_mg,
        amount_basis=reading.amount_basis.value if reading.amount_basis else None,
        elemental_mg=mg(reading.elemental_mg),
        elemental_if_compound_mg=[round(compound[0], 1), round(compound[1], 1)]
        if compound
        else None,
        units_per_serving=reading.units_per_serving,
        other_units_per_serving=reading.other_units_per_serving,
        elemental_if_other_units_mg=mg(reading.elemental_if_other_units_mg),
        counted_mg=mg(reading.counted_mg),
        servings_per_day=reading.servings_per_day,
        ambiguous=reading.ambiguous,
        notes=[render_message(note, lang) for note in reading.notes],
        convention=cited_statement("info.label_elemental", lang),
    )


def food_first(database: FoodDatabase, gap_mg: float | None, lang: str) -> FoodFirstView:
    """How much of the gap everyday foods can close, per portion."""
    suggestions: list[FoodFirstSuggestion] = []
    for ndb, portion, grams in _FOOD_FIRST:
        food = database.get(ndb)
        value = food.magnesium_mg_per_100g
        if value is None:
            continue
        magnesium = value * grams / 100
        suggestions.append(
            FoodFirstSuggestion(
                food=food_ref(food),
                portion=render_message(portion, lang),
                grams=grams,
                magnesium_mg=round(magnesium, 1),
                share_of_gap_percent=round(100 * magnesium / gap_mg, 1) if gap_mg else None,
            )
        )
    suggestions.sort(key=lambda s: -s.magnesium_mg)
    return FoodFirstView(
        gap_mg=gap_mg,
        message=cited_statement("info.food_first", lang),
        suggestions=suggestions,
    )


def supplement_advice(
    profile: Profile,
    flags: HealthFlags,
    intakes: Sequence[SupplementIntake],
    *,
    reference: str,
    lang: str,
) -> tuple[SupplementCheck, TargetSet, SupplementAdviceView]:
    """The part of the supplement check that every surface shows: the hard stops, the advice
    and the upper limit, rendered with sources.

    Under a hard stop the advice is "no dose, see your doctor" and the upper limit is left out
    (`upper_limit` and `supplement_upper_limit_mg` are None): the general limit is set for
    healthy people, so beside a stop it would read as a personal allowance."""
    targets = targets_for(profile, reference)
    result = check_supplements(
        profile, flags, intakes, targets.supplement_upper_limit, medicine_interactions()
    )
    limit = targets.supplement_upper_limit.value
    shown_limit = None if result.hard_stops else limit
    advice = (
        cited_statement("info.max_supplement", lang, limit=limit)
        if result.max_supplemental_mg is not None
        else cited_statement("info.no_dose", lang)
    )
    return (
        result,
        targets,
        SupplementAdviceView(
            reference=reference,
            total_elemental_mg=result.total_elemental_mg,
            supplement_upper_limit_mg=shown_limit,
            upper_limit=None
            if result.hard_stops
            else target_view(targets.supplement_upper_limit, lang),
            over_limit_mg=result.over_limit_mg,
            dose_may_be_suggested=result.dose_may_be_suggested,
            max_supplemental_mg=result.max_supplemental_mg,
            advice=advice,
            hard_stops=[cited_statement(key, lang) for key in result.hard_stops],
        ),
    )


def check_inputs_from_profile(
    stored: ProfileView | None, on: date
) -> tuple[Profile, HealthFlags, str] | None:
    """The supplement check's inputs from a stored profile (as `ProfileService.profile` gives
    it): age on `on`, sex, pregnancy, kidney disease, heart-rhythm problems, medicines and the
    reference system. None while the year of birth or the sex is missing."""
    if stored is None or stored.birth_year is None or stored.sex is None:
        return None
    profile = Profile(
        age_on(stored.birth_year, on),
        stored.sex,
        pregnant=stored.pregnant,
        lactating=stored.lactating,
    )
    flags = HealthFlags(
        kidney_disease=stored.kidney_disease,
        heart_rhythm_problems=stored.heart_rhythm_problems,
        medicines=tuple(stored.medicines),
    )
    reference = stored.reference or default_reference(stored.language)
    return profile, flags, reference


def stored_supplement_advice(
    stored: ProfileView | None,
    on: date,
    intakes: Sequence[SupplementIntake],
    *,
    lang: str | None = None,
) -> SupplementAdviceView | None:
    """`supplement_advice` for a stored profile and the supplements of day `on`; None while
    the profile lacks a year of birth or a sex. `lang` defaults to the profile's language."""
    inputs = check_inputs_from_profile(stored, on)
    if stored is None or inputs is None:
        return None
    profile, flags, reference = inputs
    language = lang or stored.language
    if sum(intake.elemental_mg_per_day for intake in intakes) > MAX_DAILY_ELEMENTAL_MG:
        # An implausible day (each entry was checked, their sum was not) must not hide the
        # hard stops: they do not depend on the amounts.
        intakes = ()
    return supplement_advice(profile, flags, intakes, reference=reference, lang=language)[2]


def supplement_check_view(
    database: FoodDatabase,
    profile: Profile,
    flags: HealthFlags,
    food_magnesium_mg: float | None,
    intakes: list[SupplementIntake],
    *,
    reference: str,
    lang: str,
) -> SupplementCheckView:
    """The daily supplement check, rendered with sources."""
    result, targets, advice = supplement_advice(
        profile, flags, intakes, reference=reference, lang=lang
    )
    limit = targets.supplement_upper_limit.value
    messages: list[CitedStatement] = []
    for key in result.warnings:
        if key == "warn.over_limit":
            messages.append(
                cited_statement(
                    key,
                    lang,
                    total=result.total_elemental_mg,
                    over=result.over_limit_mg,
                    limit=limit,
                )
            )
        elif key == "warn.unknown_medicine":
            messages.append(
                cited_statement(key, lang, medicines=", ".join(result.unmatched_medicines))
            )
        else:
            messages.append(cited_statement(key, lang))
    gap = None
    if targets.magnesium.value is not None and food_magnesium_mg is not None:
        gap = round(max(0.0, targets.magnesium.value - food_magnesium_mg), 1)
    return SupplementCheckView(
        **dict(advice),
        warnings=messages,
        interactions=[
            InteractionView(
                medicine=medicine, class_=hit.key, kind=hit.kind, **dict(_note(hit.advice, lang))
            )
            for medicine, hit in result.interactions
        ],
        supplements=[
            CheckedSupplement(
                name=intake.name,
                elemental_mg_per_serving=intake.elemental_mg_per_serving,
                servings_per_day=intake.servings_per_day,
                elemental_mg_per_day=round(intake.elemental_mg_per_day, 1),
                how=render_message(intake.how, lang),
                elemental_range_mg=list(intake.elemental_range_mg)
                if intake.elemental_range_mg
                else None,
                form=_form(intake.form, lang) if intake.form else None,
                label_reading=label_reading_view(intake.label_reading, lang)
                if intake.label_reading
                else None,
            )
            for intake in result.intakes
        ],
        food_first=food_first(database, gap, lang),
        notes=[cited_statement("info.upper_limit_food", lang)],
    )


def check_from_json(
    database: FoodDatabase,
    profile_data: object,
    supplements_data: object,
    *,
    reference: str | None = None,
    lang: str | None = None,
) -> SupplementCheckView:
    """The supplement check for a profile and supplements given as JSON (the CLI's files and
    the API's body): {"age", "sex", "pregnant", "kidney_disease", "egfr", …} and a list."""
    profile, profile_reference, language = profile_from_mapping(profile_data)
    # profile_from_mapping has refused anything but a JSON object
    flags, food_mg = health_flags_from_mapping(cast(dict[str, Any], profile_data))
    intakes = intakes_from_json(supplements_data)
    chosen_lang = lang or language or "nl"
    system = reference or profile_reference or default_reference(chosen_lang)
    return supplement_check_view(
        database, profile, flags, food_mg, intakes, reference=system, lang=chosen_lang
    )


def screen_view(answers: ScreenAnswers, lang: str) -> ScreenView:
    """The deficiency-risk screen with each reason and the honest notes."""
    result = screen(answers)
    position = 0 if lang == "nl" else 1
    reasons: list[CitedStatement] = []
    for key, params in result.reasons:
        if key == "screen.risk_group":
            group = str(params["group"])
            reasons.append(cited_statement(key, lang, group=RISK_GROUPS[group][position]))
        elif key in ("screen.symptoms", "screen.symptoms_not_nih"):
            names = [SYMPTOMS[s][position] for s in params["symptoms"]]  # type: ignore[attr-defined]
            reasons.append(cited_statement(key, lang, symptoms=", ".join(names)))
        else:
            reasons.append(cited_statement(key, lang, **params))
    notes = [
        cited_statement(k, lang)
        for k in ("screen.not_diagnosis", "screen.serum_poor_marker", "screen.ask_gp")
    ]
    if "cramps" in answers.symptoms:
        notes.append(cited_statement("screen.cramps_evidence", lang))
    return ScreenView(
        level=result.level,
        points=result.points,
        reasons=reasons,
        see_gp_for=[SYMPTOMS[s][position] for s in result.see_gp_symptoms],
        notes=notes,
    )


_URGENCY_MESSAGE = {
    Urgency.EMERGENCY: "triage.emergency",
    Urgency.URGENT: "triage.urgent",
    Urgency.SOON: "triage.soon",
    Urgency.NONE: "triage.none",
}


def triage_view(result: TriageResult, lang: str) -> TriageView:
    """The triage answer: urgency with advice, reasons with sources, duration, unknowns."""
    notes = [cited_statement("triage.not_diagnosis", lang)]
    if result.unknown:
        notes.append(cited_statement("triage.unknown", lang))
    return TriageView(
        urgency=result.urgency.label,
        advice=cited_statement(_URGENCY_MESSAGE[result.urgency], lang),
        reasons=[
            TriageReason(
                key=flag.key,
                group=flag.group,
                urgency=flag.urgency.label,
                text=flag.nl if lang == "nl" else flag.en,
                # Red flags rest on clinical guidelines (consensus), grade D in our scale.
                grade="D",
                sources=cited_sources(flag.sources),
            )
            for flag in result.reasons
        ],
        duration_class=result.duration_class,
        duration_source=cited_sources(["duration-classes"]),
        unknown=list(result.unknown),
        notes=notes,
    )

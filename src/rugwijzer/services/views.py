"""Typed view models: what the services answer, the API declares as `response_model` and the
web templates read.

Each model serialises (`model_dump(by_alias=True)`, FastAPI's default) to the JSON shape the
API has always had; a key that is not a Python name ("class") is a field with a
`serialization_alias`. Views are frozen: a shell that adds something (the id of a stored
triage) builds its own answer from `to_json()`.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rugwijzer.content import cite, render
from rugwijzer.domain.references import Sex
from rugwijzer.domain.screen import Level
from rugwijzer.domain.triage import Group

__all__ = [
    "AccountView",
    "CheckedSupplement",
    "CitedNote",
    "CitedSource",
    "CitedStatement",
    "ClientView",
    "ConflictingTargetView",
    "ContextTargets",
    "DutchMeasureView",
    "ElementalView",
    "FoodDetailView",
    "FoodFirstSuggestion",
    "FoodFirstView",
    "FoodGroupView",
    "FoodRef",
    "FoodSearchRow",
    "FoodSourceView",
    "GrantView",
    "InteractionView",
    "LabelReadingView",
    "LoginAnswer",
    "MeasureView",
    "NutrientAmountView",
    "RegistrationAnswer",
    "ScreenView",
    "SupplementAdviceView",
    "SupplementCheckView",
    "SupplementFormView",
    "TargetProfileView",
    "TargetView",
    "TargetsView",
    "TriageReason",
    "TriageView",
    "View",
    "WhoAmI",
    "cited_sources",
    "cited_statement",
]


class View(BaseModel):
    """Base of every view model: frozen, no unknown fields, JSON through `to_json()`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def to_json(self) -> dict[str, Any]:
        """The view as the API sends it: JSON types, keys by their JSON names."""
        return self.model_dump(mode="json", by_alias=True)

    # Read access by JSON key, for readers written against the former dict views (parts of
    # the CLI and the diary that other branches of issue #11 are rewriting at the same time);
    # new code reads attributes, which strict typing checks. Remove once no reader needs it.
    def __getitem__(self, key: str) -> Any:
        """The field whose JSON key is `key` (`view["class"]` reads `view.class_`)."""
        try:
            return getattr(self, _field_names(type(self))[key])
        except KeyError:
            raise KeyError(key) from None

    def get(self, key: str, default: Any = None) -> Any:
        """`self[key]`, or `default` for a key the view does not have."""
        names = _field_names(type(self))
        return getattr(self, names[key]) if key in names else default

    def items(self) -> list[tuple[str, Any]]:
        """(JSON key, value) of every field."""
        return [(key, getattr(self, name)) for key, name in _field_names(type(self)).items()]


@cache
def _field_names(model: type[View]) -> dict[str, str]:
    """JSON key → attribute name of a view model's fields."""
    return {(info.serialization_alias or name): name for name, info in model.model_fields.items()}


# --- sources and cited statements ---------------------------------------------------------------


class CitedSource(View):
    """A primary source as shown to users: title, organisation, year and web address, and the
    language its title is written in (pages mark it when it differs from theirs)."""

    id: str
    title: str
    organisation: str
    year: str
    url: str
    lang: str = Field(description='The language of the title: "en" or "nl".')


class CitedNote(View):
    """A statement in the reader's language with its evidence grade (A-D) and its sources."""

    text: str
    grade: str
    sources: list[CitedSource]


class CitedStatement(View):
    """A statement from content/statements.toml: its key, the text, grade and sources."""

    key: str
    text: str
    grade: str
    sources: list[CitedSource]


def cited_sources(source_ids: tuple[str, ...] | list[str]) -> list[CitedSource]:
    """The sources with these ids (an unknown id is a `DataError`)."""
    return [CitedSource.model_validate(source) for source in cite(source_ids)]


def cited_statement(key: str, lang: str, **params: object) -> CitedStatement:
    """Statement `key` in `lang` with its parameters filled in, its grade and its sources."""
    return CitedStatement.model_validate(render(key, lang, **params))


# --- foods ----------------------------------------------------------------------------------------


class FoodSourceView(View):
    """Where a food record comes from: the dataset, its id there (NDB number, NEVO code), its
    licence and the dataset's release (e.g. "NEVO-online 2025 9.0")."""

    dataset: str
    source_id: str
    licence: str
    release: str = ""


class FoodSearchRow(View):
    """One search result, best first: names, group, source, magnesium and score."""

    id: str
    name_en: str
    name_nl: str | None
    group: str
    source: FoodSourceView
    magnesium_mg_per_100g: float | None
    score: float
    matched_name: str


class FoodGroupView(View):
    """A food group by code, with its English and Dutch name."""

    code: str
    name_en: str
    name_nl: str


class NutrientAmountView(View):
    """One nutrient per 100 g; `amount` is None where the source has no value (never zero)."""

    amount: float | None
    unit: str
    name_en: str
    name_nl: str


class MeasureView(View):
    """A household measure of the source: `amount` × `name` weighs `grams`."""

    amount: float
    name: str
    grams: float


class DutchMeasureView(View):
    """A Dutch household measure that applies to the food, with how its grams were found."""

    name_nl: str
    words: list[str]
    grams: float
    derivation: dict[str, Any] = Field(
        description="How the grams were found: a message {code, params}."
    )
    basis: str
    source: str


class FoodDetailView(View):
    """Everything about one food: names, group, source, nutrients per 100 g, measures."""

    id: str
    name_en: str
    name_nl: str | None
    synonyms_nl: list[str]
    synonyms_en: list[str]
    mapping_note: str | None
    group: FoodGroupView
    source: FoodSourceView
    #: by nutrient key, e.g. "magnesium_mg"
    per_100g: dict[str, NutrientAmountView]
    measures: list[MeasureView]
    dutch_measures: list[DutchMeasureView]


# --- targets --------------------------------------------------------------------------------------


class ConflictingTargetView(View):
    """Another value a source gives for the same target."""

    value: float
    source: str


class TargetView(View):
    """One reference value with its kind (RDA, AI, UL…), system, source and notes; `value` is
    None where the system sets none (the notes say why)."""

    value: float | None
    unit: str
    kind: str | None
    system: str
    source: str
    status: str
    notes: list[str]
    conflict: list[ConflictingTargetView]


class ContextTargets(View):
    """The targets shown beside magnesium."""

    calcium_mg: TargetView
    potassium_mg: TargetView
    vitamin_d_ug: TargetView


class TargetProfileView(View):
    """The profile the targets were looked up for."""

    age: float
    sex: Sex
    pregnant: bool
    lactating: bool


class TargetsView(View):
    """The targets of a profile in one reference system."""

    reference: str
    reference_name: str
    profile: TargetProfileView
    magnesium_mg: float | None
    magnesium_kind: str | None
    magnesium: TargetView
    supplement_upper_limit_mg: float | None
    supplement_upper_limit: TargetView
    context: ContextTargets


# --- supplements ----------------------------------------------------------------------------------


class SupplementFormView(View):
    """A magnesium compound: formula, elemental share, absorption and tolerance, cited."""

    key: str
    name: str
    formula: str
    molar_mass_g_per_mol: float
    elemental_percent: float
    published_percent: float | None
    published_sources: list[CitedSource]
    absorption: CitedNote
    tolerance: CitedNote


class ElementalView(View):
    """Elemental magnesium in an amount of a compound; for an ambiguous name the range over the
    candidate forms and a `message` saying so (the key is absent for an exact answer)."""

    compound_mg: float
    exact: bool
    elemental_mg: float | None
    elemental_range_mg: list[float]
    forms: list[SupplementFormView]
    message: CitedStatement | None = Field(default=None, exclude_if=lambda value: value is None)


class SupplementAdviceView(View):
    """What every surface shows of the supplement check: hard stops, advice, upper limit.

    Under a hard stop `upper_limit` and `supplement_upper_limit_mg` are None: beside a stop the
    general limit would read as a personal allowance."""

    reference: str
    total_elemental_mg: float
    supplement_upper_limit_mg: float | None
    upper_limit: TargetView | None
    over_limit_mg: float | None
    dose_may_be_suggested: bool
    max_supplemental_mg: float | None
    advice: CitedStatement
    hard_stops: list[CitedStatement]


class InteractionView(View):
    """A medicine the user takes that interacts with magnesium, and what to do (a cited note)."""

    medicine: str
    class_: str = Field(serialization_alias="class")
    kind: str
    text: str
    grade: str
    sources: list[CitedSource]


class LabelReadingView(View):
    """How a label line was read: the form, the amount and what it stands for, both figures
    where the label can be read two ways, and the figure counted against the upper limit.
    Milligrams are elemental magnesium per serving (`units_per_serving` tablets or capsules)
    unless named otherwise."""

    text: str
    #: the form's catalogue key when the label names exactly one
    form: str | None
    #: the form's name as the label wrote it
    form_name: str | None
    #: every catalogue form the name can mean (several for "citraat": a range)
    forms: list[str]
    #: the number on the label, in mg
    amount_mg: float | None
    #: what the number stands for: elemental, compound, or unstated (not said)
    amount_basis: Literal["elemental", "compound", "unstated"] | None
    #: elemental magnesium per serving, as read (the reading taken)
    elemental_mg: float | None
    #: [low, high] elemental magnesium if the number is the compound
    elemental_if_compound_mg: list[float] | None
    units_per_serving: float | None
    #: the other number of units the amount may be for, and the figure per serving then
    other_units_per_serving: float | None
    elemental_if_other_units_mg: float | None
    #: elemental magnesium per serving counted against the upper limit (the higher reading)
    counted_mg: float | None
    #: servings a day as the label says (None: not said)
    servings_per_day: float | None
    #: True when the label can be read in more than one way (both figures are given)
    ambiguous: bool
    #: which reading was taken and why, in the language asked for
    notes: list[str]
    #: the labelling rule behind the reading, with its sources
    convention: CitedStatement


class CheckedSupplement(View):
    """One supplement as counted: elemental magnesium per serving and per day, and how."""

    name: str
    elemental_mg_per_serving: float
    servings_per_day: float
    elemental_mg_per_day: float
    how: str
    #: low and high for a form of unknown hydrate (the high one is counted)
    elemental_range_mg: list[float] | None
    form: SupplementFormView | None
    #: how the label was read, when the supplement was given as a label line
    label_reading: LabelReadingView | None = None


class FoodRef(View):
    """A food named in an answer: id, names and source."""

    id: str
    name_nl: str | None
    name_en: str
    source: FoodSourceView


class FoodFirstSuggestion(View):
    """An everyday portion of a magnesium-rich food and its share of the gap."""

    food: FoodRef
    portion: str
    grams: float
    magnesium_mg: float
    share_of_gap_percent: float | None


class FoodFirstView(View):
    """How much of the day's magnesium gap everyday foods can close."""

    gap_mg: float | None
    message: CitedStatement
    suggestions: list[FoodFirstSuggestion]


class SupplementCheckView(SupplementAdviceView):
    """The full daily supplement check: the advice with warnings, interactions, each
    supplement, food first and notes."""

    warnings: list[CitedStatement]
    interactions: list[InteractionView]
    supplements: list[CheckedSupplement]
    food_first: FoodFirstView
    notes: list[CitedStatement]


# --- screen and triage ----------------------------------------------------------------------------


class ScreenView(View):
    """The deficiency-risk screen: level and points, each reason, and the honest notes."""

    level: Level
    points: int
    reasons: list[CitedStatement]
    see_gp_for: list[str]
    notes: list[CitedStatement]


class TriageReason(View):
    """A warning sign the answers showed, with its urgency, grade and sources."""

    key: str
    group: Group
    urgency: str
    text: str
    grade: str
    sources: list[CitedSource]


class TriageView(View):
    """The red-flag triage: urgency with advice, reasons, duration class, unanswered
    questions, notes. Never a diagnosis."""

    urgency: str
    advice: CitedStatement
    reasons: list[TriageReason]
    duration_class: Literal["acute", "subacute", "chronic"] | None
    duration_source: list[CitedSource]
    unknown: list[str]
    notes: list[CitedStatement]


# --- accounts -------------------------------------------------------------------------------------


class AccountView(View):
    """An account: its id, email and role."""

    user_id: int
    email: str | None
    role: str


class WhoAmI(View):
    """The signed-in user's id and role."""

    user_id: int
    role: str


class RegistrationAnswer(View):
    """The answer to a registration, the same for a new and an already registered address:
    the message's code and its text in the request's language."""

    code: str
    detail: str


class LoginAnswer(View):
    """A bearer token for API clients (browsers get the same token as a cookie)."""

    token: str
    token_type: str = "bearer"
    user_id: int


class GrantView(View):
    """A practitioner's access to the user's diary."""

    id: int
    practitioner_email: str | None
    revoked: bool


class ClientView(View):
    """A user who granted the practitioner access."""

    user_id: int
    email: str | None

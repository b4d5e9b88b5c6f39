"""Magnesium supplements: elemental magnesium per form, the daily check against the upper limit,
interactions with medicines, and the situations where Rugwijzer suggests no dose at all.

The elemental fraction of a form is computed from its chemical formula, so every number can be
checked by hand; the published cross-checks travel with the form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rugwijzer.domain.references import Profile, Target
from rugwijzer.domain.text import fold
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code, Foreign, Message

if TYPE_CHECKING:
    from rugwijzer.domain.labels import LabelReading

__all__ = [
    "ATOMIC_WEIGHTS",
    "MAX_DAILY_ELEMENTAL_MG",
    "ElementalAmount",
    "FormCatalogue",
    "GradedNote",
    "HealthFlags",
    "Interaction",
    "SupplementCheck",
    "SupplementForm",
    "SupplementIntake",
    "check_supplements",
    "magnesium_fraction",
    "molar_mass",
    "parse_label_line",
]

#: IUPAC conventional atomic weights (g/mol), as used in the facts sheet, section 3.
ATOMIC_WEIGHTS: Mapping[str, float] = {
    "H": 1.008,
    "C": 12.011,
    "N": 14.007,
    "O": 15.999,
    "P": 30.974,
    "S": 32.06,
    "Cl": 35.45,
    "Mg": 24.305,
}
#: Over this much elemental magnesium a day from supplements is not a dose but an error.
MAX_DAILY_ELEMENTAL_MG = 5000.0
#: Reports of toxicity start around 5,000 mg/day from laxatives and antacids (NIH ODS).


def _count_at(formula: str, index: int) -> tuple[int, int]:
    end = index
    while end < len(formula) and formula[end].isdigit():
        end += 1
    return (int(formula[index:end]) if end > index else 1), end


def _group(formula: str, index: int) -> tuple[dict[str, int], int]:
    """Parse atoms and bracketed groups from `index` up to a closing bracket or the end."""
    counts: dict[str, int] = {}

    def add(element: str, count: int) -> None:
        counts[element] = counts.get(element, 0) + count

    while index < len(formula):
        char = formula[index]
        if char == ")":
            return counts, index
        if char == "(":
            inner, index = _group(formula, index + 1)
            if index >= len(formula) or formula[index] != ")":
                raise InvalidInputError(Code.SUPPLEMENT_FORMULA_BRACKETS, formula=formula)
            multiplier, index = _count_at(formula, index + 1)
            for element, count in inner.items():
                add(element, count * multiplier)
            continue
        if not char.isupper():
            raise InvalidInputError(Code.SUPPLEMENT_FORMULA_UNREADABLE, formula=formula)
        symbol = char
        index += 1
        if index < len(formula) and formula[index].islower():
            symbol += formula[index]
            index += 1
        if symbol not in ATOMIC_WEIGHTS:
            raise InvalidInputError(
                Code.SUPPLEMENT_FORMULA_ELEMENT, element=symbol, formula=formula
            )
        count, index = _count_at(formula, index)
        add(symbol, count)
    return counts, index


def _counts(formula: str) -> dict[str, int]:
    """Atom counts of one formula part without hydrate dots, e.g. "Mg3(C6H5O7)2"."""
    counts, index = _group(formula, 0)
    if index != len(formula) or not counts:
        raise InvalidInputError(Code.SUPPLEMENT_FORMULA_BRACKETS, formula=formula)
    return counts


def atom_counts(formula: str) -> dict[str, int]:
    """Atom counts of a formula with hydrate parts: "MgCl2·6H2O" → Mg 1, Cl 2, H 12, O 6."""
    total: dict[str, int] = {}
    for part in re.split(r"[·.]", formula.replace(" ", "")):
        match = re.match(r"^(\d+)(.*)$", part)
        factor, body = (int(match.group(1)), match.group(2)) if match else (1, part)
        for element, count in _counts(body).items():
            total[element] = total.get(element, 0) + factor * count
    return total


def molar_mass(formula: str) -> float:
    """Molar mass in g/mol from the formula and the conventional atomic weights."""
    return sum(ATOMIC_WEIGHTS[element] * count for element, count in atom_counts(formula).items())


def magnesium_fraction(formula: str) -> float:
    """Mass fraction of magnesium (0..1) in the compound."""
    counts = atom_counts(formula)
    if not counts.get("Mg"):
        raise InvalidInputError(Code.SUPPLEMENT_FORMULA_NO_MAGNESIUM, formula=formula)
    return counts["Mg"] * ATOMIC_WEIGHTS["Mg"] / molar_mass(formula)


@dataclass(frozen=True, slots=True)
class GradedNote:
    """A statement in Dutch and English with its evidence grade (A-D) and source ids."""

    en: str
    nl: str
    grade: str
    sources: tuple[str, ...]

    def text(self, lang: str) -> str:
        """The statement in `lang` ("nl" or "en")."""
        return self.nl if lang == "nl" else self.en


@dataclass(frozen=True, slots=True)
class SupplementForm:
    """A magnesium compound with its formula, elemental fraction and notes."""

    key: str
    group: str
    names: tuple[str, ...]
    name_en: str
    name_nl: str
    formula: str
    absorption: GradedNote
    tolerance: GradedNote
    published_percent: float | None = None
    published_sources: tuple[str, ...] = ()

    @property
    def molar_mass(self) -> float:
        """g/mol, computed from the formula."""
        return molar_mass(self.formula)

    @property
    def magnesium_fraction(self) -> float:
        """Elemental magnesium per gram of compound, computed from the formula."""
        return magnesium_fraction(self.formula)

    def elemental_mg(self, compound_mg: float) -> float:
        """Elemental magnesium in `compound_mg` of this compound."""
        return compound_mg * self.magnesium_fraction


@dataclass(frozen=True, slots=True)
class ElementalAmount:
    """Elemental magnesium for a compound amount: one value for an exact form, or a range over
    the salts an ambiguous name can mean (then `forms` lists them)."""

    compound_mg: float
    forms: tuple[SupplementForm, ...]
    low_mg: float
    high_mg: float

    @property
    def exact(self) -> bool:
        """True when the name named exactly one compound."""
        return len(self.forms) == 1


class FormCatalogue:
    """All known forms, found by key, name or group name."""

    def __init__(self, forms: Sequence[SupplementForm]) -> None:
        self.forms = tuple(forms)
        self._by_name: dict[str, SupplementForm] = {}
        self._by_group: dict[str, list[SupplementForm]] = {}
        for form in self.forms:
            for name in (form.key, form.name_en, form.name_nl, *form.names):
                self._by_name.setdefault(_name_key(name), form)
            self._by_group.setdefault(form.group, []).append(form)

    def resolve(self, name: str) -> tuple[SupplementForm, ...]:
        """The form(s) a name can mean: one for an exact name, several for a group name such as
        "citrate". Raises `InvalidInputError` for an unknown name."""
        key = _name_key(name)
        if not key:
            raise InvalidInputError(Code.SUPPLEMENT_FORM_EMPTY)
        group = self._by_group.get(key) or self._by_group.get(_GROUP_ALIASES.get(key, ""))
        if group and len(group) > 1:
            return tuple(group)
        if key in self._by_name:
            return (self._by_name[key],)
        if group:
            return tuple(group)
        # The group keys are English words (Dutch names are understood too, see _GROUP_ALIASES).
        known = Foreign(", ".join(sorted({form.group for form in self.forms})))
        raise InvalidInputError(Code.SUPPLEMENT_FORM_UNKNOWN, form=name, known=known)

    def elemental(self, name: str, compound_mg: float) -> ElementalAmount:
        """Elemental magnesium in `compound_mg` of the named compound (a range if ambiguous)."""
        _check_amount(compound_mg)
        forms = self.resolve(name)
        values = [form.elemental_mg(compound_mg) for form in forms]
        return ElementalAmount(compound_mg, forms, min(values), max(values))


_GROUP_ALIASES = {
    "sulphate": "sulfate",
    "glycinate": "bisglycinate",
    "citraat": "citrate",
    "chloride": "chloride",
    "sulfaat": "sulfate",
    "lactaat": "lactate",
    "gluconaat": "gluconate",
    "malaat": "malate",
    "aspartaat": "aspartate",
    "magnesium citrate": "citrate",
    "magnesiumcitraat": "citrate",
    "magnesium chloride": "chloride",
    "magnesiumchloride": "chloride",
    "magnesium sulfate": "sulfate",
    "magnesium sulphate": "sulfate",
    "magnesiumsulfaat": "sulfate",
    # A bare "lactate", "carbonate" or "orotate" can be the anhydrous salt or its common hydrate
    # (basic carbonate for carbonate), so it gives the range, never one of them.
    "magnesium lactate": "lactate",
    "magnesiumlactaat": "lactate",
    "magnesium carbonate": "carbonate",
    "magnesiumcarbonaat": "carbonate",
    "carbonaat": "carbonate",
    "magnesium orotate": "orotate",
    "magnesiumorotaat": "orotate",
    "orotaat": "orotate",
}


def _name_key(name: str) -> str:
    return fold(name).replace("magnesium ", "magnesium ").strip()


def _check_amount(value: float) -> None:
    if not isinstance(value, int | float) or value != value:  # NaN
        raise InvalidInputError(Code.SUPPLEMENT_AMOUNT_NOT_NUMBER)
    if value <= 0:
        raise InvalidInputError(Code.SUPPLEMENT_AMOUNT_NOT_POSITIVE, amount=value)


_LABEL = re.compile(
    r"magnesium\s*\(\s*(?:as|als)\s+(?P<form>[^)]+?)\s*\)\s*[:=]?\s*(?P<mg>\d+(?:[.,]\d+)?)\s*mg"
    r"|magnesium\s*[:=]?\s*(?P<mg2>\d+(?:[.,]\d+)?)\s*mg\s*\(\s*(?:as|als)\s+(?P<form2>[^)]+?)\s*\)",
    re.IGNORECASE,
)


def parse_label_line(text: str) -> tuple[str, float]:
    """Read a supplement label line: "magnesium (as citrate) 200 mg" → ("citrate", 200.0).
    By the US and EU labelling convention that number is already elemental magnesium."""
    match = _LABEL.search(text)
    if match is None:
        # The catalogue's example is one this parser reads ("as" in English, "als" in Dutch).
        raise InvalidInputError(Code.SUPPLEMENT_LABEL_UNREADABLE, text=text)
    form = match.group("form") or match.group("form2")
    amount = float((match.group("mg") or match.group("mg2")).replace(",", "."))
    _check_amount(amount)
    return form.strip(), amount


@dataclass(frozen=True, slots=True)
class SupplementIntake:
    """One supplement as taken: elemental magnesium per serving, servings a day, and how the
    elemental amount was found (a message: the shells write it in the reader's language)."""

    name: str
    elemental_mg_per_serving: float
    servings_per_day: float
    how: Message
    form: SupplementForm | None = None
    elemental_range_mg: tuple[float, float] | None = None
    #: how the label was read, when the amount came from a label line
    label_reading: LabelReading | None = None

    @property
    def elemental_mg_per_day(self) -> float:
        """Elemental magnesium a day from this supplement."""
        return self.elemental_mg_per_serving * self.servings_per_day


@dataclass(frozen=True, slots=True)
class Interaction:
    """A medicine class that interacts with magnesium, with what to do.

    `overrides` names interactions this one replaces for the same medicine: a combination
    product (dolutegravir/rilpivirine) has its own rule, not that of its single component."""

    key: str
    kind: str
    names: tuple[str, ...]
    advice: GradedNote
    overrides: tuple[str, ...] = ()

    def matches(self, medicine: str) -> bool:
        """Whether `medicine` (as the user wrote it) belongs to this class."""
        words = fold(medicine)
        return any(
            name == words or name in words.split() or words.startswith(name) for name in self.names
        )


@dataclass(frozen=True, slots=True)
class HealthFlags:
    """What the supplement check needs to know beyond age and sex."""

    kidney_disease: bool = False
    egfr_ml_min: float | None = None
    heart_rhythm_problems: bool = False
    medicines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SupplementCheck:
    """The daily check: total against the limit, hard stops, warnings and interactions.

    `hard_stops` and `warnings` are message keys (rendered with sources by the content layer);
    when there is any hard stop, Rugwijzer suggests no dose at all."""

    intakes: tuple[SupplementIntake, ...]
    total_elemental_mg: float
    upper_limit: Target
    over_limit_mg: float | None
    hard_stops: tuple[str, ...]
    warnings: tuple[str, ...]
    interactions: tuple[tuple[str, Interaction], ...]
    unmatched_medicines: tuple[str, ...] = field(default=())

    @property
    def dose_may_be_suggested(self) -> bool:
        """False when a hard stop sends the user to a doctor first."""
        return not self.hard_stops

    @property
    def max_supplemental_mg(self) -> float | None:
        """The most Rugwijzer would ever say is fine from supplements: the upper limit, or
        nothing at all when a hard stop applies or no limit is set for this age."""
        if self.hard_stops or self.upper_limit.value is None:
            return None
        return self.upper_limit.value


#: eGFR below this (ml/min/1.73 m²) is severe renal impairment: licensed oral magnesium is
#: contraindicated (Magnaspartate SmPC; Diasporal leaflet).
SEVERE_RENAL_EGFR = 30.0
#: The EU upper limit does not cover children under 4; UK products are not for them either.
MIN_AGE_FOR_SELF_CARE = 4.0
#: Forms reported more often to cause diarrhoea (NIH ODS wording, unverified).
_DIARRHOEA_FORMS = frozenset(
    {"oxide", "carbonate", "chloride", "gluconate", "sulfate", "hydroxide"}
)


def check_supplements(
    profile: Profile,
    flags: HealthFlags,
    intakes: Sequence[SupplementIntake],
    upper_limit: Target,
    interactions: Sequence[Interaction],
) -> SupplementCheck:
    """Check a day's supplements for `profile`. Only supplemental magnesium is compared with the
    upper limit; food never is."""
    total = sum(intake.elemental_mg_per_day for intake in intakes)
    if total > MAX_DAILY_ELEMENTAL_MG:
        raise InvalidInputError(
            Code.SUPPLEMENT_DOSE_IMPLAUSIBLE,
            total=round(total),
            maximum=round(MAX_DAILY_ELEMENTAL_MG),
        )
    hard_stops: list[str] = []
    if flags.kidney_disease or (
        flags.egfr_ml_min is not None and flags.egfr_ml_min < SEVERE_RENAL_EGFR
    ):
        hard_stops.append("stop.kidney")
    if flags.heart_rhythm_problems:
        hard_stops.append("stop.heart_rhythm")
    if profile.pregnant:
        hard_stops.append("stop.pregnancy")
    if profile.age_years < MIN_AGE_FOR_SELF_CARE:
        hard_stops.append("stop.young_child")
    warnings: list[str] = []
    limit = upper_limit.value
    over = None
    if limit is None:
        warnings.append("warn.no_upper_limit")
    elif total > limit:
        over = round(total - limit, 1)
        warnings.append("warn.over_limit")
    if total > 0:
        warnings.append("warn.split_dose")
        if any(i.form is not None and i.form.group in _DIARRHOEA_FORMS for i in intakes) or (
            limit is not None and total > limit
        ):
            warnings.append("warn.diarrhoea")
    if any(intake.elemental_range_mg for intake in intakes):
        warnings.append("warn.ambiguous_form")
    found: list[tuple[str, Interaction]] = []
    unmatched: list[str] = []
    for medicine in flags.medicines:
        hits = [interaction for interaction in interactions if interaction.matches(medicine)]
        replaced = {key for hit in hits for key in hit.overrides}
        hits = [hit for hit in hits if hit.key not in replaced]
        found.extend((medicine, hit) for hit in hits)
        if not hits:
            unmatched.append(medicine)
    if unmatched:
        warnings.append("warn.unknown_medicine")
    return SupplementCheck(
        intakes=tuple(intakes),
        total_elemental_mg=round(total, 1),
        upper_limit=upper_limit,
        over_limit_mg=over,
        hard_stops=tuple(hard_stops),
        warnings=tuple(warnings),
        interactions=tuple(found),
        unmatched_medicines=tuple(unmatched),
    )

"""Reference targets for a profile, as domain objects and JSON-ready views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rugwijzer.domain.references import REFERENCE_SYSTEMS, Profile, Target, lookup_target
from rugwijzer.errors import DataError, InvalidInputError
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Foreign, Message
from rugwijzer.reference_data import load_reference_data

__all__ = [
    "TargetSet",
    "default_reference",
    "profile_from_mapping",
    "target_view",
    "targets_for",
    "targets_view",
]

_PROFILE_KEYS = {
    "age",
    "sex",
    "pregnant",
    "lactating",
    "reference",
    "language",
    # used by the supplement check
    "kidney_disease",
    "egfr",
    "heart_rhythm_problems",
    "medicines",
    "food_magnesium_mg",
}


def profile_from_mapping(data: object) -> tuple[Profile, str | None, str | None]:
    """A profile from JSON-like data: {"age": 45, "sex": "female", "pregnant": false,
    "lactating": false, "reference": "nl", "language": "nl"} → (profile, reference, language).
    Raises `InvalidInputError` naming what is wrong."""
    if not isinstance(data, dict):
        raise InvalidInputError("the profile must be a JSON object")
    unknown = sorted(set(data) - _PROFILE_KEYS)
    if unknown:
        raise InvalidInputError(
            f"unknown profile field(s): {', '.join(unknown)}; "
            f"known: {', '.join(sorted(_PROFILE_KEYS))}"
        )
    age = data.get("age")
    if isinstance(age, bool) or not isinstance(age, int | float):
        raise InvalidInputError("the profile needs 'age', a number of years")
    sex = data.get("sex")
    if sex not in ("female", "male"):
        raise InvalidInputError("the profile needs 'sex': 'female' or 'male'")
    flags = {}
    for key in ("pregnant", "lactating"):
        value = data.get(key, False)
        if not isinstance(value, bool):
            raise InvalidInputError(f"'{key}' must be true or false")
        flags[key] = value
    reference = data.get("reference")
    if reference is not None and reference not in REFERENCE_SYSTEMS:
        raise InvalidInputError(f"'reference' must be one of {', '.join(REFERENCE_SYSTEMS)}")
    language = data.get("language")
    if language is not None and language not in ("nl", "en"):
        raise InvalidInputError("'language' must be 'nl' or 'en'")
    profile = Profile(float(age), sex, pregnant=flags["pregnant"], lactating=flags["lactating"])
    return profile, reference, language


#: What the supplemental upper limit counts, shown with it.
UPPER_LIMIT_NOTE = Message.of(Code.TARGET_UPPER_LIMIT_SCOPE)


@dataclass(frozen=True, slots=True)
class TargetSet:
    """A profile's targets in one reference system."""

    reference: str
    profile: Profile
    magnesium: Target
    supplement_upper_limit: Target
    calcium: Target
    potassium: Target
    vitamin_d: Target


def default_reference(lang: str | None) -> str:
    """Dutch users get the Dutch Health Council values, everyone else the NIH values."""
    return "nl" if lang == "nl" else "nih"


def targets_for(profile: Profile, reference: str) -> TargetSet:
    """All targets of `profile` in `reference` ("nih", "efsa" or "nl")."""
    if reference not in REFERENCE_SYSTEMS:
        raise InvalidInputError(
            Code.TARGET_UNKNOWN_REFERENCE, reference=reference, known=tuple(REFERENCE_SYSTEMS)
        )
    data = load_reference_data()

    def lookup(nutrient: str) -> Target:
        table = data.table(nutrient, reference)
        if table is None:
            detail = Foreign(f"no {nutrient} table for reference {reference!r}")
            raise DataError(Code.DATA_CORRUPT, detail=detail)
        return lookup_target(table, profile)

    limit_table = data.upper_limits.get(reference)
    if limit_table is None:
        detail = Foreign(f"no supplemental upper limit for reference {reference!r}")
        raise DataError(Code.DATA_CORRUPT, detail=detail)
    return TargetSet(
        reference=reference,
        profile=profile,
        magnesium=lookup("magnesium_mg"),
        # The upper limit is the same in pregnancy and lactation; look it up by age alone.
        supplement_upper_limit=lookup_target(limit_table, Profile(profile.age_years, profile.sex)),
        calcium=lookup("calcium_mg"),
        potassium=lookup("potassium_mg"),
        vitamin_d=lookup("vitamin_d_ug"),
    )


def target_view(target: Target, lang: str = "en") -> dict[str, Any]:
    """One target with its kind, source and notes (written in `lang`)."""
    return {
        "value": target.value,
        "unit": target.unit,
        "kind": target.kind,
        "system": target.system,
        "source": target.source,
        "status": target.status,
        "notes": [render_message(note, lang) for note in target.notes],
        "conflict": [{"value": c.value, "source": c.source} for c in target.conflict],
    }


def targets_view(targets: TargetSet, lang: str = "en") -> dict[str, Any]:
    """The `rugwijzer targets` answer, its notes written in `lang`."""
    profile = targets.profile
    limit = targets.supplement_upper_limit
    return {
        "reference": targets.reference,
        "reference_name": REFERENCE_SYSTEMS[targets.reference],
        "profile": {
            "age": profile.age_years,
            "sex": profile.sex,
            "pregnant": profile.pregnant,
            "lactating": profile.lactating,
        },
        "magnesium_mg": targets.magnesium.value,
        "magnesium_kind": targets.magnesium.kind,
        "magnesium": target_view(targets.magnesium, lang),
        "supplement_upper_limit_mg": limit.value,
        "supplement_upper_limit": {
            **target_view(limit, lang),
            "notes": [render_message(note, lang) for note in (UPPER_LIMIT_NOTE, *limit.notes)],
        },
        "context": {
            "calcium_mg": target_view(targets.calcium, lang),
            "potassium_mg": target_view(targets.potassium, lang),
            "vitamin_d_ug": target_view(targets.vitamin_d, lang),
        },
    }

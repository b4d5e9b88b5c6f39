"""Reference targets for a profile, as domain objects and JSON-ready views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from rugwijzer.domain.references import REFERENCE_SYSTEMS, Profile, Sex, Target, lookup_target
from rugwijzer.errors import DataError, InvalidInputError
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Foreign, Message
from rugwijzer.reference_data import load_reference_data
from rugwijzer.services.profile_input import CheckProfileInput
from rugwijzer.services.views import (
    ConflictingTargetView,
    ContextTargets,
    TargetProfileView,
    TargetsView,
    TargetView,
)

__all__ = [
    "TargetSet",
    "context_targets",
    "default_reference",
    "profile_from_mapping",
    "target_view",
    "targets_for",
    "targets_view",
]


def profile_from_mapping(data: object) -> tuple[Profile, str | None, str | None]:
    """A profile from JSON-like data: {"age": 45, "sex": "female", "pregnant": false,
    "lactating": false, "reference": "nl", "language": "nl"} → (profile, reference, language).
    Raises `InvalidInputError` naming what is wrong (`CheckProfileInput` validates it)."""
    checked = CheckProfileInput.parse(data)
    profile = Profile(
        # parse() has made sure that the age and the sex are there
        cast(float, checked.age),
        cast(Sex, checked.sex),
        pregnant=bool(checked.pregnant),
        lactating=bool(checked.lactating),
    )
    return profile, checked.reference, checked.language


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


def target_view(target: Target, lang: str = "en") -> TargetView:
    """One target with its kind, source and notes (written in `lang`)."""
    return TargetView(
        value=target.value,
        unit=target.unit,
        kind=target.kind,
        system=target.system,
        source=target.source,
        status=target.status,
        notes=[render_message(note, lang) for note in target.notes],
        conflict=[ConflictingTargetView(value=c.value, source=c.source) for c in target.conflict],
    )


def context_targets(targets: TargetSet, lang: str = "en") -> ContextTargets:
    """The targets shown beside magnesium: calcium, potassium and vitamin D."""
    return ContextTargets(
        calcium_mg=target_view(targets.calcium, lang),
        potassium_mg=target_view(targets.potassium, lang),
        vitamin_d_ug=target_view(targets.vitamin_d, lang),
    )


def targets_view(targets: TargetSet, lang: str = "en") -> TargetsView:
    """The `rugwijzer targets` answer, its notes written in `lang`."""
    profile = targets.profile
    limit = targets.supplement_upper_limit
    limit_view = target_view(limit, lang)
    return TargetsView(
        reference=targets.reference,
        reference_name=REFERENCE_SYSTEMS[targets.reference],
        profile=TargetProfileView(
            age=profile.age_years,
            sex=profile.sex,
            pregnant=profile.pregnant,
            lactating=profile.lactating,
        ),
        magnesium_mg=targets.magnesium.value,
        magnesium_kind=targets.magnesium.kind,
        magnesium=target_view(targets.magnesium, lang),
        supplement_upper_limit_mg=limit.value,
        supplement_upper_limit=limit_view.model_copy(
            update={
                "notes": [render_message(note, lang) for note in (UPPER_LIMIT_NOTE, *limit.notes)]
            }
        ),
        context=context_targets(targets, lang),
    )

"""Reference intakes (targets) by age, sex, pregnancy and lactation, in three systems.

Tables are data (see `rugwijzer.reference_data`); this module only looks values up. Where a
system gives no value, the target is None with the reason; where its sources disagree, the
higher value is used as the target and every value is shown with its source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code, Foreign, Message

__all__ = [
    "MAX_AGE_YEARS",
    "REFERENCE_SYSTEMS",
    "SYSTEM_SHORT_NAMES",
    "ConflictingValue",
    "Profile",
    "ReferenceRow",
    "ReferenceTable",
    "Target",
    "lookup_target",
]

Sex = Literal["female", "male"]
LifeStage = Literal["pregnancy", "lactation"]
SystemName = Literal["nih", "efsa", "nl"]

REFERENCE_SYSTEMS: dict[str, str] = {
    "nih": "US National Academies (IOM/NASEM) as used by the NIH Office of Dietary Supplements",
    "efsa": "European Food Safety Authority (EFSA)",
    "nl": "Gezondheidsraad (Dutch Health Council) and Voedingscentrum",
}
MAX_AGE_YEARS = 130.0
#: The youngest age for which pregnancy or lactation is accepted.
MIN_PREGNANCY_AGE_YEARS = 10
#: How the notes name a system: the organisations' own short names, the same in every language.
SYSTEM_SHORT_NAMES: dict[str, str] = {"nih": "NIH", "efsa": "EFSA", "nl": "Gezondheidsraad"}


@dataclass(frozen=True, slots=True)
class Profile:
    """Who the targets are for. Raises `InvalidInputError` for an impossible profile."""

    age_years: float
    sex: Sex
    pregnant: bool = False
    lactating: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.age_years <= MAX_AGE_YEARS:
            raise InvalidInputError(
                Code.TARGET_AGE_OUT_OF_RANGE, maximum=round(MAX_AGE_YEARS), age=self.age_years
            )
        if self.sex not in ("female", "male"):
            raise InvalidInputError(Code.TARGET_SEX_UNKNOWN, sex=str(self.sex))
        if (self.pregnant or self.lactating) and self.sex != "female":
            raise InvalidInputError(Code.TARGET_PREGNANCY_NEEDS_FEMALE)
        if (self.pregnant or self.lactating) and self.age_years < MIN_PREGNANCY_AGE_YEARS:
            raise InvalidInputError(
                Code.TARGET_PREGNANCY_NEEDS_AGE, minimum=MIN_PREGNANCY_AGE_YEARS
            )
        if self.pregnant and self.lactating:
            raise InvalidInputError(Code.TARGET_PREGNANT_AND_LACTATING)

    @property
    def life_stage(self) -> LifeStage | None:
        """Pregnancy or lactation, if either."""
        if self.pregnant:
            return "pregnancy"
        if self.lactating:
            return "lactation"
        return None


@dataclass(frozen=True, slots=True)
class ReferenceRow:
    """One value of a table: for ages [age_from, age_to), a sex ("any" for both) and an
    optional life stage. `source` is set where the row's source differs from its table's."""

    age_from: float
    age_to: float
    sex: Literal["female", "male", "any"]
    value: float
    kind: str | None = None
    life_stage: LifeStage | None = None
    source: str | None = None

    def matches(self, profile: Profile, life_stage: LifeStage | None) -> bool:
        """Whether this row applies to `profile` at `life_stage`."""
        return (
            (
                self.age_from <= profile.age_years < self.age_to
                or (profile.age_years == MAX_AGE_YEARS and self.age_to == MAX_AGE_YEARS)
            )
            and self.sex in ("any", profile.sex)
            and self.life_stage == life_stage
        )


@dataclass(frozen=True, slots=True)
class ReferenceTable:
    """A reference table of one nutrient in one system, with its source."""

    nutrient: str
    system: str
    kind: str
    unit: str
    source: str
    status: str
    rows: tuple[ReferenceRow, ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ConflictingValue:
    """One of several values that sources give for the same group."""

    value: float
    source: str


@dataclass(frozen=True, slots=True)
class Target:
    """A looked-up reference value, or None with the reason in `notes` (messages)."""

    nutrient: str
    system: str
    value: float | None
    unit: str
    kind: str | None
    source: str
    status: str
    notes: tuple[Message, ...] = field(default=())
    conflict: tuple[ConflictingValue, ...] = field(default=())


def lookup_target(table: ReferenceTable, profile: Profile) -> Target:
    """The value of `table` for `profile`.

    Pregnancy and lactation use their own rows; where the system sets none for that age,
    the value for non-pregnant women applies and a note says so."""
    # A table's own note is the curator's record of its sources, kept in English.
    notes = [Message.of(Code.TARGET_TABLE_NOTE, note=Foreign(table.note))] if table.note else []
    system = SYSTEM_SHORT_NAMES.get(table.system, table.system)
    stage = profile.life_stage
    rows: Sequence[ReferenceRow] = [r for r in table.rows if r.matches(profile, stage)]
    if not rows and stage is not None:
        rows = [r for r in table.rows if r.matches(profile, None)]
        if rows:
            code = (
                Code.TARGET_NO_PREGNANCY_VALUE
                if stage == "pregnancy"
                else Code.TARGET_NO_LACTATION_VALUE
            )
            notes.append(Message.of(code, system=system))
    if not rows:
        notes.append(Message.of(Code.TARGET_NO_VALUE, system=system))
        return Target(
            table.nutrient,
            table.system,
            None,
            table.unit,
            None,
            table.source,
            table.status,
            tuple(notes),
        )
    values = sorted({r.value for r in rows})
    chosen = max(rows, key=lambda r: r.value)
    conflict: tuple[ConflictingValue, ...] = ()
    if len(values) > 1:
        conflict = tuple(ConflictingValue(r.value, r.source or table.source) for r in rows)
        notes.append(
            Message.of(
                Code.TARGET_SOURCES_DISAGREE,
                lowest=values[0],
                highest=values[-1],
                unit=table.unit,
            )
        )
    return Target(
        nutrient=table.nutrient,
        system=table.system,
        value=chosen.value,
        unit=table.unit,
        kind=chosen.kind or table.kind,
        source=table.source if conflict else (chosen.source or table.source),
        status=table.status,
        notes=tuple(notes),
        conflict=conflict,
    )

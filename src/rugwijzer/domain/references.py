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

__all__ = [
    "MAX_AGE_YEARS",
    "REFERENCE_SYSTEMS",
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
                f"age must be between 0 and {MAX_AGE_YEARS:g} years, not {self.age_years:g}"
            )
        if self.sex not in ("female", "male"):
            raise InvalidInputError(f"sex must be 'female' or 'male', not {self.sex!r}")
        if (self.pregnant or self.lactating) and self.sex != "female":
            raise InvalidInputError("pregnancy and lactation apply to the female sex only")
        if (self.pregnant or self.lactating) and self.age_years < 10:
            raise InvalidInputError("pregnancy and lactation need an age of at least 10 years")
        if self.pregnant and self.lactating:
            raise InvalidInputError("choose pregnant or lactating, not both")

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
    """A looked-up reference value, or None with the reason in `notes`."""

    nutrient: str
    system: str
    value: float | None
    unit: str
    kind: str | None
    source: str
    status: str
    notes: tuple[str, ...] = field(default=())
    conflict: tuple[ConflictingValue, ...] = field(default=())


def lookup_target(table: ReferenceTable, profile: Profile) -> Target:
    """The value of `table` for `profile`.

    Pregnancy and lactation use their own rows; where the system sets none for that age,
    the value for non-pregnant women applies and a note says so."""
    notes: list[str] = [table.note] if table.note else []
    stage = profile.life_stage
    rows: Sequence[ReferenceRow] = [r for r in table.rows if r.matches(profile, stage)]
    if not rows and stage is not None:
        rows = [r for r in table.rows if r.matches(profile, None)]
        if rows:
            notes.append(
                f"{table.system}: no separate value for {stage} at this age; "
                "the value for women who are not pregnant or lactating applies"
            )
    if not rows:
        notes.append(f"{table.system} sets no value for this age and sex")
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
        listed = " vs ".join(f"{v:g}" for v in values)
        notes.append(
            f"sources disagree ({listed} {table.unit}); the higher value is used as the target"
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

"""Reference tables reproduced exactly: every age band, sex, pregnancy and lactation.

The expected values are typed here from the facts sheet (shared/facts/magnesium.md, sections 1
and 2), independently of the data files the app reads.
"""

from __future__ import annotations

import pytest

from rugwijzer.domain.references import Profile, ReferenceRow, ReferenceTable, lookup_target
from rugwijzer.errors import InvalidInputError
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message
from rugwijzer.reference_data import load_reference_data

DATA = load_reference_data()

# (age, sex, life stage) → value; None = no value set. Ages probe each band.
NIH = [
    (0.2, "female", None, 30),
    (0.7, "male", None, 75),
    (2, "male", None, 80),
    (6, "female", None, 130),
    (11, "male", None, 240),
    (16, "male", None, 410),
    (16, "female", None, 360),
    (25, "male", None, 400),
    (25, "female", None, 310),
    (40, "male", None, 420),
    (40, "female", None, 320),
    (60, "male", None, 420),
    (80, "female", None, 320),
    (16, "female", "pregnancy", 400),
    (25, "female", "pregnancy", 350),
    (40, "female", "pregnancy", 360),
    (16, "female", "lactation", 360),
    (25, "female", "lactation", 310),
    (40, "female", "lactation", 320),
    (18.99, "male", None, 410),
    (19, "male", None, 400),
    (30.99, "female", None, 310),
    (31, "female", None, 320),
    (130, "male", None, 420),
]
EFSA = [
    (0.2, "male", None, None),
    (0.7, "female", None, 80),
    (2, "male", None, 170),
    (5, "female", None, 230),
    (9.9, "male", None, 230),
    (10, "male", None, 300),
    (12, "female", None, 250),
    (17.9, "female", None, 250),
    (18, "male", None, 350),
    (18, "female", None, 300),
    (70, "male", None, 350),
    (30, "female", "pregnancy", 300),
    (30, "female", "lactation", 300),
    (16, "female", "pregnancy", 250),
]
NL = [
    (0.3, "male", None, None),
    (0.6, "female", None, 80),
    (1.5, "male", None, 85),
    (3, "female", None, 120),
    (7, "male", None, 200),
    (12, "female", None, 280),
    (15, "male", None, 350),
    (15, "female", None, 280),
    (20, "male", None, 350),
    (20, "female", None, 300),
    (90, "female", None, 300),
    (30, "female", "pregnancy", 300),
    (30, "female", "lactation", 300),
]
UPPER = [
    ("nih", 0.5, None),
    ("nih", 2, 65),
    ("nih", 6, 110),
    ("nih", 9, 350),
    ("nih", 40, 350),
    ("efsa", 3, None),
    ("efsa", 4, 250),
    ("efsa", 40, 250),
    ("nl", 3.9, None),
    ("nl", 4, 250),
    ("nl", 70, 250),
]


def _profile(age: float, sex: str, stage: str | None) -> Profile:
    return Profile(age, sex, pregnant=stage == "pregnancy", lactating=stage == "lactation")  # type: ignore[arg-type]


@pytest.mark.parametrize(("system", "rows"), [("nih", NIH), ("efsa", EFSA), ("nl", NL)])
def test_magnesium_tables(
    system: str, rows: list[tuple[float, str, str | None, int | None]]
) -> None:
    table = DATA.table("magnesium_mg", system)
    assert table is not None
    for age, sex, stage, expected in rows:
        target = lookup_target(table, _profile(age, sex, stage))
        assert target.value == expected, (system, age, sex, stage)


def test_kinds() -> None:
    nih = DATA.table("magnesium_mg", "nih")
    assert nih is not None
    assert lookup_target(nih, Profile(0.3, "male")).kind == "AI"
    assert lookup_target(nih, Profile(30, "male")).kind == "RDA"
    efsa = DATA.table("magnesium_mg", "efsa")
    assert efsa is not None
    assert lookup_target(efsa, Profile(30, "male")).kind == "AI"


def test_a_conflict_between_sources_is_shown_not_hidden() -> None:
    # The Dutch 300/280 pregnancy rows (retail sites) are gone since issue #10; the mechanism stays,
    # so it is tested on a table of its own.
    table = ReferenceTable(
        nutrient="magnesium_mg",
        system="test",
        kind="AI",
        unit="mg",
        source="table source",
        status="V",
        rows=(
            ReferenceRow(18, 130, "female", 300, life_stage="pregnancy", source="first"),
            ReferenceRow(18, 130, "female", 280, life_stage="pregnancy", source="second"),
        ),
    )
    target = lookup_target(table, _profile(30, "female", "pregnancy"))
    assert target.value == 300
    assert [(c.value, c.source) for c in target.conflict] == [(300, "first"), (280, "second")]
    assert (
        Message.of(Code.TARGET_SOURCES_DISAGREE, lowest=280.0, highest=300.0, unit="mg")
        in target.notes
    )
    assert "Bronnen verschillen (280 tot 300 mg)" in render_message(target.notes[-1], "nl")


def test_efsa_pregnancy_says_it_uses_the_non_pregnant_value() -> None:
    table = DATA.table("magnesium_mg", "efsa")
    assert table is not None
    target = lookup_target(table, _profile(30, "female", "pregnancy"))
    assert Message.of(Code.TARGET_NO_PREGNANCY_VALUE, system="EFSA") in target.notes


@pytest.mark.parametrize(("system", "age", "expected"), UPPER)
def test_supplemental_upper_limits(system: str, age: float, expected: int | None) -> None:
    assert lookup_target(DATA.upper_limits[system], Profile(age, "female")).value == expected


def test_every_table_has_a_source_and_context_tables_exist() -> None:
    for system in ("nih", "efsa", "nl"):
        for nutrient in ("magnesium_mg", "calcium_mg", "potassium_mg", "vitamin_d_ug"):
            table = DATA.table(nutrient, system)
            assert table is not None, (nutrient, system)
            assert table.source.strip()
            assert table.status in {"V", "V2", "U"}


@pytest.mark.parametrize(
    ("age", "sex", "pregnant", "lactating"),
    [
        (-1, "female", False, False),
        (131, "male", False, False),
        (30, "male", True, False),
        (30, "other", False, False),
        (8, "female", True, False),
        (30, "female", True, True),
    ],
)
def test_impossible_profiles_are_errors(
    age: float, sex: str, pregnant: bool, lactating: bool
) -> None:
    with pytest.raises(InvalidInputError):
        Profile(age, sex, pregnant=pregnant, lactating=lactating)  # type: ignore[arg-type]

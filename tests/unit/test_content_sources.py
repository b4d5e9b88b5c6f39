"""Every health statement with its grade and primary sources, and the content corrections of
issue #10 pinned to the source each one comes from."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from rugwijzer.content import render, sources, statements
from rugwijzer.domain.references import Profile
from rugwijzer.domain.screen import ScreenAnswers, screen
from rugwijzer.domain.supplements import HealthFlags, check_supplements
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message
from rugwijzer.reference_data import (
    load_reference_data,
    medicine_interactions,
    supplement_catalogue,
)
from rugwijzer.services.safety import intakes_from_json
from rugwijzer.services.targets import targets_for

PACKAGE = Path(str(resources.files("rugwijzer")))
# Sites that are not primary sources: retail and supplement shops, press aggregators, document
# mirrors, drug-leaflet aggregators and source code.
NOT_PRIMARY = (
    "docslib.org",
    "eurekalert.org",
    "rxreasoner.com",
    "medpill.info",
    "metacpan.org",
    "github.com",
    "nutribites.nl",
    "metagenics.nl",
    "gezondheidsnet.nl",
    "vitakruid.nl",
    "magnesium-brein.nl",
    "welingelichtekringen.nl",
    "drugs.com",
)


def _data(name: str) -> dict[str, Any]:
    return tomllib.loads((PACKAGE / "data" / name).read_text(encoding="utf-8"))


def _graded_notes() -> list[tuple[str, str, tuple[str, ...]]]:
    """(where, grade, source ids) of every statement and every graded note in the data files."""
    found = [(f"statement {s.key}", s.grade, s.sources) for s in statements().values()]
    for form in supplement_catalogue().forms:
        for what, note in (("absorption", form.absorption), ("tolerance", form.tolerance)):
            found.append((f"form {form.key} {what}", note.grade, note.sources))
        if form.published_sources:
            found.append((f"form {form.key} published %", "B", form.published_sources))
    for interaction in medicine_interactions():
        found.append(
            (f"interaction {interaction.key}", interaction.advice.grade, interaction.advice.sources)
        )
    return found


def test_every_statement_and_note_has_a_grade_and_primary_sources(
    capsys: pytest.CaptureFixture[str],
) -> None:
    known = sources()
    listing = _graded_notes()
    problems = []
    for where, grade, ids in listing:
        if grade not in {"A", "B", "C", "D"}:
            problems.append(f"{where}: grade {grade!r}")
        if not ids:
            problems.append(f"{where}: no source")
        problems.extend(f"{where}: unknown source {i}" for i in ids if i not in known)
    with capsys.disabled():
        print(f"\n{len(listing)} graded statements and notes:")
        for where, grade, ids in listing:
            print(f"  {grade}  {where}: {', '.join(ids)}")
    assert problems == []
    assert len(listing) > len(statements())  # the data-file notes are in the listing too


@pytest.mark.parametrize("source_id", sorted(sources()))
def test_every_source_has_a_specific_address_title_organisation_and_year(source_id: str) -> None:
    source = sources()[source_id]
    address = urlparse(source.url)
    assert address.scheme == "https", source.url
    assert address.netloc, source.url
    # A home page is not specific: there must be a path or query beyond "/".
    assert address.path.strip("/") or address.query, f"{source_id}: {source.url} is a home page"
    assert not any(site in address.netloc for site in NOT_PRIMARY), source.url
    assert source.title.strip()
    assert source.organisation.strip()
    assert re.fullmatch(r"(19|20)\d\d|n\.d\.", source.year), source.year
    assert "shared/" not in source.title
    assert "/work/" not in source.url
    if not source.verified:
        assert source.note, f"{source_id}: unverified without a note on what was checked"


def test_the_source_check_fails_on_a_home_page() -> None:
    home = urlparse("https://www.ars.usda.gov/")
    assert not (home.path.strip("/"))
    assert not (home.query)


def test_primary_sources_replace_the_secondary_ones_of_issue_10() -> None:
    known = sources()
    assert known["scf-2001"].url.startswith("https://www.efsa.europa.eu/")
    assert known["scf-2001"].year == "2006"
    assert known["magnaspartate-smpc"].url.startswith("https://www.medicines.org.uk/emc/")
    assert known["bfr-2017"].url.startswith("https://www.bfr.bund.de/en/press_information/2017/50/")
    assert "local NHS pathway" in known["nhs-cks-red-flags"].title
    assert known["usda-sr24"].url.endswith("seqNo115=272030")
    assert known["duration-classes"].url.endswith("/beroepsziekten/aspecifieke-lage-rugklachten")
    assert "mineralutils" not in known
    assert "rugwijzer-facts" not in known
    assert "levothyroxine-antacids" not in known


def test_render_gives_the_source_organisation_and_year() -> None:
    (cited,) = render("warn.ambiguous_form", "en")["sources"][:1]
    assert cited == {
        "id": "molecules-2020",
        "title": "Molecules 2020;25(14):3172, Table 3: magnesium content of salts (PMC7397051)",
        "organisation": "Molecules (MDPI)",
        "year": "2020",
        "url": "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7397051/",
        "lang": "en",
    }


# Words that give away a citation of this repository or its working files instead of a
# publication: the issue #11 report found "Rugwijzer facts sheet on magnesium
# (shared/facts/magnesium.md)" cited as a source.
INTERNAL = re.compile(r"rugwijzer|facts sheet|shared/|/work/|src/|\.md\b", re.IGNORECASE)


@pytest.mark.parametrize("source_id", sorted(sources()))
def test_no_source_is_this_repository_or_an_internal_file(source_id: str) -> None:
    source = sources()[source_id]
    for field in (source.title, source.url, source.organisation, source.note):
        assert not INTERNAL.search(field), (source_id, field)


def test_the_internal_file_check_catches_the_old_citation() -> None:
    assert INTERNAL.search("Rugwijzer facts sheet on magnesium (shared/facts/magnesium.md)")
    assert not INTERNAL.search("https://www.mdpi.com/2072-6643/9/5/429")


def test_a_source_title_carries_its_language() -> None:
    known = sources()
    dutch = {s.id for s in known.values() if s.language == "nl"}
    assert {"nhg-m54-2017", "kngf-2021", "duration-classes", "moxifloxacin-smpc"} <= dutch
    assert {s.language for s in known.values()} == {"en", "nl"}
    assert known["nice-ng59"].language == "en"
    cited = render("triage.urgent", "en")["sources"]
    assert [(s["id"], s["lang"]) for s in cited] == [
        ("nhs-cks-red-flags", "en"),
        ("nhg-m54-2017", "nl"),
        ("kngf-2021", "nl"),
    ]


def test_numbers_in_statements_follow_the_locale() -> None:
    over = {"total": 1234.5, "over": 984.5, "limit": 250}
    assert render("warn.over_limit", "nl", **over)["text"].startswith(
        "Je supplementen geven 1.234,5 mg magnesium per dag, 984,5 mg boven de bovengrens van"
        " 250 mg"
    )
    assert render("warn.over_limit", "en", **over)["text"].startswith(
        "Your supplements give 1,234.5 mg magnesium a day, 984.5 mg above the upper limit of 250 mg"
    )


# --- B.1 medicine interactions -------------------------------------------------------------------


def _advice(medicine: str) -> list[tuple[str, str]]:
    profile = Profile(40, "female")
    targets = targets_for(profile, "nl")
    result = check_supplements(
        profile,
        HealthFlags(medicines=(medicine,)),
        [],
        targets.supplement_upper_limit,
        medicine_interactions(),
    )
    return [(hit.key, hit.advice.en) for _, hit in result.interactions]


def test_integrase_inhibitor_rules_differ_per_medicine() -> None:
    (dolutegravir,) = _advice("Tivicay")
    (juluca,) = _advice("dolutegravir/rilpivirine")
    (raltegravir,) = _advice("raltegravir")
    (bictegravir,) = _advice("Biktarvy")
    (other,) = _advice("cabotegravir")
    assert dolutegravir[0] == "dolutegravir"
    assert "2 hours before or 6 hours after magnesium" in dolutegravir[1]
    assert juluca[0] == "rilpivirine_dolutegravir"
    assert "4 hours before or 6 hours after magnesium" in juluca[1]
    assert raltegravir[0] == "raltegravir"
    assert "not recommended with it, even when taken at a different time of day" in raltegravir[1]
    assert bictegravir[0] == "bictegravir"
    assert "on an empty stomach at least 2 hours before magnesium" in bictegravir[1]
    assert other[0] == "integrase_inhibitors"
    assert "Ask your pharmacist which rule applies" in other[1]
    by_key = {i.key: i.advice.sources for i in medicine_interactions()}
    assert by_key["dolutegravir"] == ("tivicay-epar",)
    assert by_key["rilpivirine_dolutegravir"] == ("juluca-epar",)
    assert by_key["raltegravir"] == ("isentress-epar",)
    assert by_key["bictegravir"] == ("biktarvy-epar",)


def test_quinolone_spacing_uses_the_european_product_information() -> None:
    ((moxi_key, moxi),) = _advice("moxifloxacine")
    ((levo_key, levo),) = _advice("Tavanic")
    assert moxi_key == "moxifloxacin"
    assert "magnesium at least 4 hours before or 2 hours after the antibiotic" in moxi
    assert "(European product information)" in moxi
    assert levo_key == "levofloxacin"
    assert "no magnesium from 2 hours before until 2 hours after the antibiotic" in levo
    assert "(European product information)" in levo
    by_key = {i.key: i for i in medicine_interactions()}
    assert by_key["moxifloxacin"].advice.sources == ("moxifloxacin-smpc",)
    assert by_key["levofloxacin"].advice.sources == ("levofloxacin-smpc",)
    assert "farmacotherapeutischkompas.nl" in sources()["moxifloxacin-smpc"].url
    # The US label values (moxifloxacin 4 h before / 8 h after) are gone.
    assert all("8 hours" not in i.advice.en for i in medicine_interactions())


def test_levothyroxine_spacing_cites_the_product_information_and_says_it_is_unverified() -> None:
    (entry,) = [
        e for e in _data("medicine_interactions.toml")["interaction"] if e["key"] == "levothyroxine"
    ]
    assert entry["sources"] == ["levothyroxine-smpc"]
    assert entry["verified"] is False
    assert "not yet checked against the Dutch product information" in entry["en"]
    assert "nog niet gecontroleerd aan de Nederlandse productinformatie" in entry["nl"]
    assert sources()["levothyroxine-smpc"].verified is False


# --- B.3 reference values ------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["pregnancy", "lactation"])
def test_dutch_pregnancy_and_lactation_show_the_adult_value_without_retail_sources(
    stage: str,
) -> None:
    profile = Profile(30, "female", pregnant=stage == "pregnancy", lactating=stage == "lactation")
    target = targets_for(profile, "nl").magnesium
    assert target.value == 300  # Gezondheidsraad 2018 adult AI for women (= EFSA AI in pregnancy)
    assert target.conflict == ()
    assert target.source.startswith("Gezondheidsraad (Health Council of the Netherlands)")
    no_value = (
        Code.TARGET_NO_PREGNANCY_VALUE if stage == "pregnancy" else Code.TARGET_NO_LACTATION_VALUE
    )
    assert Message.of(no_value, system="Gezondheidsraad") in target.notes
    assert "covers adults only" in " ".join(render_message(n, "en") for n in target.notes)
    table = load_reference_data().table("magnesium_mg", "nl")
    assert table is not None
    shown = " ".join([table.source, table.note or ""] + [r.source or "" for r in table.rows])
    assert not any(site in shown for site in NOT_PRIMARY)
    assert all(row.life_stage is None for row in table.rows)


@pytest.mark.parametrize(
    ("age", "sex", "value"),
    [
        (1.5, "male", 85),
        (5, "female", 120),
        (8, "male", 200),
        (12, "female", 280),
        (16, "female", 280),
        (16, "male", 350),
    ],
)
def test_dutch_child_values_are_labelled_as_nordic(age: float, sex: str, value: int) -> None:
    target = targets_for(Profile(age, sex), "nl").magnesium  # type: ignore[arg-type]
    assert target.value == value
    assert target.source.startswith("Nordic Nutrition Recommendations 2012 (NNR 2012)")


# --- B.4 and B.5 statements ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "grade"),
    [
        ("screen.not_diagnosis", "D"),
        ("warn.ambiguous_form", "C"),
        ("stop.kidney", "C"),
        ("screen.serum_poor_marker", "C"),
    ],
)
def test_grades_no_longer_overclaim(key: str, grade: str) -> None:
    assert statements()[key].grade == grade


def test_ambiguous_form_cites_the_fraction_tables_and_states_the_assumption() -> None:
    statement = statements()["warn.ambiguous_form"]
    assert statement.sources == ("molecules-2020", "molecules-2021")
    assert "the highest value is counted against the upper limit" in statement.en
    assert "de hoogste waarde telt mee voor de bovengrens" in statement.nl


def test_split_dose_is_sourced_and_says_nothing_about_food() -> None:
    statement = statements()["warn.split_dose"]
    assert statement.sources == ("bfr-2017", "fine-1991")
    assert "food" not in statement.en
    assert "eten" not in statement.nl


def test_diarrhoea_restart_advice_cites_the_magnaspartate_smpc_as_information() -> None:
    statement = statements()["warn.diarrhoea"]
    assert "magnaspartate-smpc" in statement.sources
    assert "The product information of a licensed magnesium medicine says to pause it" in (
        statement.en
    )
    assert "stop dan even" not in statement.nl


def test_cramps_evidence_says_what_the_review_found_per_group() -> None:
    statement = statements()["screen.cramps_evidence"]
    assert statement.sources == ("cochrane-cramps-2020",)
    assert statement.en == (
        "Magnesium for cramps (Cochrane review of 11 trials, 2020): in older adults with ordinary "
        "night cramps (about 5 trials) it is unlikely to help in a way you would notice; in "
        "pregnancy (5 trials) the results conflict; one small trial in liver cirrhosis allows no "
        "conclusion."
    )


def test_upper_limit_covers_water_and_fortified_foods_in_the_eu() -> None:
    statement = statements()["info.upper_limit_food"]
    assert "in the EU also magnesium salts added to water and fortified foods" in statement.en
    assert "in de EU ook magnesiumzouten die aan water of verrijkte voedingsmiddelen" in (
        statement.nl
    )


def test_signs_outside_the_nih_list_are_marked_as_the_articles_claim() -> None:
    result = screen(ScreenAnswers(frozenset({"stiffness", "nausea"}), frozenset()))
    assert ("screen.symptoms_not_nih", {"symptoms": ["stiffness"]}) in result.reasons
    text = render("screen.symptoms_not_nih", "en", symptoms="stiff muscles")["text"]
    assert text.startswith("Not on the NIH list of signs of low magnesium: stiff muscles.")
    assert "stiffness" not in statements()["screen.not_diagnosis"].en


@pytest.mark.parametrize(
    "key",
    [
        "carbonate",
        "chloride_anhydrous",
        "chloride_hexahydrate",
        "gluconate",
        "gluconate_dihydrate",
        "carbonate_basic",
    ],
)
def test_diarrhoea_prone_forms_cite_nih_without_unverified(key: str) -> None:
    (form,) = [f for f in supplement_catalogue().forms if f.key == key]
    assert form.tolerance.sources == ("ods-magnesium",)
    assert form.tolerance.grade == "C"
    assert form.tolerance.en == "Among the forms most often reported to cause diarrhoea (NIH)."
    assert "verifi" not in form.tolerance.en + form.tolerance.nl


@pytest.mark.parametrize(
    ("key", "percent"),
    [("lactate_dihydrate", 10.19), ("carbonate_basic", 25.02), ("orotate_dihydrate", 6.56)],
)
def test_common_hydrates_exist(key: str, percent: float) -> None:
    (form,) = [f for f in supplement_catalogue().forms if f.key == key]
    # Hand check: n(Mg) × 24.305 / M, e.g. lactate dihydrate 24.305 / 238.48 = 10.19 %.
    assert 100 * form.magnesium_fraction == pytest.approx(percent, abs=0.005)


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        ("lactate", 10.19, 12.01),
        ("magnesium lactate", 10.19, 12.01),
        ("carbonaat", 25.02, 28.83),
        ("magnesium carbonate", 25.02, 28.83),
    ],
)
def test_a_bare_lactate_or_carbonate_gets_the_range_and_counts_the_highest(
    name: str, low: float, high: float
) -> None:
    amount = supplement_catalogue().elemental(name, 1000)
    assert not amount.exact
    assert (amount.low_mg, amount.high_mg) == (
        pytest.approx(10 * low, abs=0.05),
        pytest.approx(10 * high, abs=0.05),
    )
    (intake,) = intakes_from_json([{"form": name, "compound_mg": 1000}])
    assert intake.elemental_mg_per_serving == pytest.approx(10 * high, abs=0.05)
    assert intake.elemental_range_mg is not None


# --- B.7 household measures ----------------------------------------------------------------------


def test_plak_kaas_is_20_g_and_kopje_125_ml_from_dutch_sources() -> None:
    measures = {m["key"]: m for m in _data("household_measures_nl.toml")["measure"]}
    assert measures["plak_kaas"]["grams"] == 20
    assert "ZuivelNL" in measures["plak_kaas"]["source"]
    assert "Voedingscentrum" in measures["plak_kaas"]["source"]
    assert measures["kopje"]["millilitres"] == 125
    assert "'Factsheet Cafeïne', Voedingscentrum" in measures["kopje"]["source"]


# --- B.8 Dutch wording ---------------------------------------------------------------------------


def _shipped_text() -> str:
    parts = [
        (PACKAGE / folder / name).read_text(encoding="utf-8")
        for folder, name in [
            ("content", "statements.toml"),
            ("data", "supplement_forms.toml"),
            ("data", "medicine_interactions.toml"),
            ("i18n", "nl.po"),
            ("i18n", "en.po"),
            ("web/templates", "today.html"),
            ("web/templates", "supplements.html"),
        ]
    ]
    return "\n".join(parts)


@pytest.mark.parametrize(
    "wording",
    [
        "maagzuurremmer",
        "samengaat met",
        "na elkaar",
        "veilige bovengrens",
        "safe upper limit",
        "Neem minder",
        "Take less",
        "Neem vandaag niets meer",
        "Take no more today",
        "begin opnieuw met een lagere dosis",
        "mogelijk effect",
    ],
)
def test_old_wording_is_gone(wording: str) -> None:
    assert wording not in _shipped_text()


def test_new_dutch_wording() -> None:
    (hydroxide,) = [f for f in supplement_catalogue().forms if f.key == "hydroxide"]
    assert "maagzuurbinder" in hydroxide.absorption.nl
    assert "mogelijk gunstig effect" in statements()["stress.magnesium"].nl
    assert "wisselwerking heeft met" in statements()["warn.unknown_medicine"].nl
    assert "zelfzorg is meestal voldoende" in statements()["triage.none"].nl
    bisphosphonates = next(i for i in medicine_interactions() if i.key == "bisphosphonates")
    assert "met minstens 2 uur ertussen" in bisphosphonates.advice.nl
    over = render("warn.over_limit", "nl", total=400, over=150, limit=250)["text"]
    assert over.endswith(
        "Boven de bovengrens wordt diarree waarschijnlijker; overleg met je arts of apotheker "
        "over de hoeveelheid."
    )


def test_the_package_names_no_working_file_of_the_repository() -> None:
    """`grep -rn "shared/" src/` finds nothing: the shared folder holds working notes, not
    sources, and is not shipped."""
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("*"))
        if path.is_file() and path.suffix in {".py", ".toml", ".html", ".po", ".js", ".css", ".txt"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "shared/" in line
    ]
    assert found == []

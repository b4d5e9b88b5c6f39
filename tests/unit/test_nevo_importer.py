"""The NEVO-online reader (fooddb/nevo.py) on a small file in NEVO's layout, and the food
database with NEVO foods beside SR24."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from rugwijzer.domain.nutrients import Nutrient
from rugwijzer.errors import InvalidInputError, InvalidRowsError
from rugwijzer.fooddb.database import (
    FoodDatabase,
    bundled_food_database,
    default_food_database,
    load_food_database,
    reload_food_database,
)
from rugwijzer.fooddb.datafile import Provenance
from rugwijzer.fooddb.nevo import (
    NEVO_NUTRIENT_COLUMNS,
    import_nevo_file,
    nevo_data_file,
    read_nevo_file,
    remove_nevo_data_file,
)
from rugwijzer.i18n import render_message
from tests.conftest import FIXTURES
from tests.factories import make_food

NEVO_SMALL = FIXTURES / "nevo" / "nevo_small.csv"
_TEST_PROVENANCE = Provenance("test", "1", "test", "test licence", "-", "-", "test", "sr24", 2)


def _lines() -> list[str]:
    return NEVO_SMALL.read_text(encoding="utf-8-sig").splitlines()


def _write(tmp_path: Path, lines: list[str], name: str = "NEVO2025_v9.0.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _set_field(line: str, header: str, column: str, value: str) -> str:
    names = [h.strip('"') for h in header.split("|")]
    fields = line.split("|")
    fields[names.index(column)] = value
    return "|".join(fields)


@pytest.fixture(scope="module")
def nevo_database(tmp_path_factory: pytest.TempPathFactory) -> FoodDatabase:
    data_dir = tmp_path_factory.mktemp("nevo-data")
    import_nevo_file(NEVO_SMALL, data_dir)
    return load_food_database(extra_files=[nevo_data_file(data_dir)])


def test_reads_every_food_with_decimal_commas_and_units() -> None:
    nevo = read_nevo_file(NEVO_SMALL)
    assert len(nevo.records) == 17
    assert nevo.release == "NEVO-Online 2025 9.0"
    by_code = {r.source_id: r for r in nevo.records}
    bread = by_code["2401"]
    assert bread.name_nl == "Brood volkoren gem"
    assert bread.name_en == "Bread wholemeal average"
    assert bread.group_code == "18"  # Brood → SR "Baked products"
    assert bread.measures == ()  # NEVO has no household measures
    assert bread.per_100g[Nutrient.MAGNESIUM_MG] == 75.0
    assert bread.per_100g[Nutrient.WATER_G] == 41.5  # "41,5"
    salmon = by_code["1801"]
    assert salmon.per_100g[Nutrient.VITAMIN_D_IU] == pytest.approx(8.2 * 40)  # µg → IU
    assert salmon.synonyms_nl == ("Zalm",)
    assert salmon.group_code == "15"


def test_empty_is_missing_and_a_trace_is_zero() -> None:
    by_code = {r.source_id: r for r in read_nevo_file(NEVO_SMALL).records}
    olive_oil = by_code["1602"]
    assert Nutrient.MAGNESIUM_MG not in olive_oil.per_100g  # empty field: no value
    assert olive_oil.per_100g[Nutrient.SODIUM_MG] == 0.0  # "sp": a trace
    assert by_code["300"].per_100g[Nutrient.IRON_MG] == 0.0
    assert read_nevo_file(NEVO_SMALL).traces == 3


def test_groups_without_one_sr_counterpart_are_other() -> None:
    by_code = {r.source_id: r for r in read_nevo_file(NEVO_SMALL).records}
    assert by_code["2001"].group_code == "other"  # Vlees en gevogelte: beef, pork, poultry
    assert by_code["4400"].group_code == "other"  # Vleesvervangers en zuivelvervangers


def test_per_100_ml_foods_are_read_as_per_100_g_with_a_note() -> None:
    nevo = read_nevo_file(NEVO_SMALL)
    cola = next(r for r in nevo.records if r.source_id == "3301")
    assert cola.note is not None
    assert "100 ml" in cola.note
    assert nevo.per_100_ml == 1


def test_every_tracked_nutrient_has_a_nevo_column() -> None:
    assert {nutrient for nutrient, _, _ in NEVO_NUTRIENT_COLUMNS.values()} == set(Nutrient)


def test_missing_column_names_it_and_writes_nothing(tmp_path: Path) -> None:
    lines = _lines()
    lines[0] = lines[0].replace('"MG (mg)"', '"MGX (mg)"')
    path = _write(tmp_path, lines)
    data_dir = tmp_path / "data"
    with pytest.raises(InvalidInputError) as caught:
        import_nevo_file(path, data_dir)
    assert "MG (mg)" in str(caught.value)
    assert not nevo_data_file(data_dir).exists()


def test_missing_code_column_is_named(tmp_path: Path) -> None:
    lines = _lines()
    lines[0] = lines[0].replace('"NEVO-code"', '"Code"')
    with pytest.raises(InvalidInputError, match="NEVO-code"):
        read_nevo_file(_write(tmp_path, lines))


def test_non_numeric_value_names_line_and_column_and_writes_nothing(tmp_path: Path) -> None:
    lines = _lines()
    lines[4] = _set_field(lines[4], lines[0], "MG (mg)", "veel")
    path = _write(tmp_path, lines)
    data_dir = tmp_path / "data"
    with pytest.raises(InvalidRowsError) as caught:
        import_nevo_file(path, data_dir)
    assert not nevo_data_file(data_dir).exists()
    [problem] = caught.value.problems
    text = render_message(problem, "en")
    assert "Line 5" in text
    assert "MG (mg)" in text
    assert "veel" in text
    assert "Regel 5, kolom MG (mg)" in render_message(problem, "nl")


def test_every_bad_line_is_listed(tmp_path: Path) -> None:
    lines = _lines()
    lines[2] = _set_field(lines[2], lines[0], "CA (mg)", "12.5.1")
    lines[3] = _set_field(lines[3], lines[0], "NEVO-code", "151")  # the code on line 3
    lines[6] = _set_field(lines[6], lines[0], "ENERCC (kcal)", "5000")  # over 950 kcal
    lines[8] = lines[8] + "|extra"
    with pytest.raises(InvalidRowsError) as caught:
        read_nevo_file(_write(tmp_path, lines))
    texts = [render_message(p, "en") for p in caught.value.problems]
    assert len(texts) == 4, texts
    assert texts[0].startswith("Line 3, column CA (mg)")
    assert texts[1].startswith("Line 4, column NEVO-code")
    assert "already on line 3" in texts[1]
    assert texts[2].startswith("Line 7, column ENERCC (kcal)")
    assert texts[3].startswith("Line 9:")


def test_a_bad_file_leaves_the_previous_import(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    import_nevo_file(NEVO_SMALL, data_dir)
    before = nevo_data_file(data_dir).read_bytes()
    lines = _lines()
    lines[1] = _set_field(lines[1], lines[0], "K (mg)", "n/a")
    with pytest.raises(InvalidRowsError):
        import_nevo_file(_write(tmp_path, lines), data_dir)
    assert nevo_data_file(data_dir).read_bytes() == before


def test_release_from_file_name_when_there_is_no_version_column(tmp_path: Path) -> None:
    lines = _lines()
    lines[0] = lines[0].replace('"NEVO-versie/NEVO-version"', '"Versie"')
    nevo = read_nevo_file(_write(tmp_path, lines, name="NEVO2023_8.0.csv"))
    assert nevo.release == "NEVO-online 2023 8.0"


def test_a_file_that_is_not_nevo_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="NEVO-code"):
        read_nevo_file(path)


def test_data_file_carries_provenance_and_remove_deletes_it(tmp_path: Path) -> None:
    provenance, _ = import_nevo_file(NEVO_SMALL, tmp_path)
    assert provenance.dataset == "NEVO-online"
    assert provenance.publisher.startswith("RIVM")
    assert provenance.source_file == "nevo_small.csv"
    assert len(provenance.source_sha256) == 64
    document = json.loads(nevo_data_file(tmp_path).read_text(encoding="utf-8"))
    bread = next(f for f in document["foods"] if f["id"] == "nevo:2401")
    assert bread["name_nl"] == "Brood volkoren gem"
    assert bread["measures"] == []
    assert remove_nevo_data_file(tmp_path) is True
    assert remove_nevo_data_file(tmp_path) is False


def test_nevo_foods_sit_beside_sr24(nevo_database: FoodDatabase, food_db: FoodDatabase) -> None:
    assert len(nevo_database) == len(food_db) + 17
    bread = nevo_database.get("nevo:2401")
    assert bread.source.dataset == "NEVO-online"
    assert bread.source.source_id == "2401"
    assert bread.source.release == "NEVO-Online 2025 9.0"
    assert nevo_database.get("12061").id == "sr24:12061"  # bare ids stay SR24's


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("volkorenbrood", "nevo:2401"),
        ("halfvolle melk", "nevo:300"),
        ("goudse kaas", "nevo:511"),
        ("amandelen", "nevo:702"),
        ("witbrood", "nevo:2402"),
    ],
)
def test_dutch_text_prefers_nevo(nevo_database: FoodDatabase, query: str, expected: str) -> None:
    hits = nevo_database.search(query, lang="nl", limit=5)
    assert hits[0].food.id == expected
    assert any(h.food.id.startswith("sr24:") for h in hits)  # SR24 still found
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_dutch_name_without_lang_prefers_nevo(nevo_database: FoodDatabase) -> None:
    hit = nevo_database.search("volkorenbrood", limit=1)[0]
    assert hit.food.id == "nevo:2401"
    # The index's word-order alias never shows: the food's own name does.
    assert hit.matched_name == "Brood volkoren gem"
    assert hit.food.synonyms_nl == ()


def test_english_text_keeps_sr24_first(nevo_database: FoodDatabase) -> None:
    assert nevo_database.search("banana", lang="en", limit=1)[0].food.id == "sr24:09040"
    assert nevo_database.search("almonds", limit=1)[0].food.id == "sr24:12061"


def test_without_nevo_search_is_unchanged(food_db: FoodDatabase) -> None:
    assert not food_db.has_nevo
    assert food_db.search("volkorenbrood", lang="nl", limit=1)[0].food.id == "sr24:18075"


def _equal_pair(nevo_group: str) -> FoodDatabase:
    """An SR24 food and a NEVO food with the same names: they match any query equally."""
    sr24 = dataclasses.replace(
        make_food("05062", "Chicken breast", group="05", name_nl="kipfilet"), id="sr24:05062"
    )
    nevo = dataclasses.replace(
        make_food("2001", "Chicken breast", group=nevo_group, name_nl="kipfilet"),
        id="nevo:2001",
    )
    return FoodDatabase([sr24, nevo], _TEST_PROVENANCE)


@pytest.mark.parametrize("nevo_group", ["05", "other"])
def test_an_equal_match_goes_to_nevo_in_dutch_and_to_sr24_in_english(nevo_group: str) -> None:
    database = _equal_pair(nevo_group)
    assert [h.food.id for h in database.search("kipfilet", lang="nl")] == [
        "nevo:2001",
        "sr24:05062",
    ]
    assert database.search("chicken breast", lang="en")[0].food.id == "sr24:05062"


def test_the_process_database_follows_import_and_removal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rugwijzer.settings import get_settings

    monkeypatch.setenv("RUGWIJZER_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        assert default_food_database() is bundled_food_database()
        import_nevo_file(NEVO_SMALL, tmp_path)  # no reload call: the next use notices
        with_nevo = default_food_database()
        assert with_nevo.has_nevo
        assert default_food_database() is with_nevo  # loaded once
        assert bundled_food_database().has_nevo is False
        remove_nevo_data_file(tmp_path)
        assert default_food_database() is bundled_food_database()
    finally:
        reload_food_database()
        get_settings.cache_clear()


def test_a_windows_1252_copy_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "NEVO2025_v9.0.csv"
    path.write_bytes(NEVO_SMALL.read_text(encoding="utf-8-sig").encode("cp1252"))
    assert read_nevo_file(path).records == read_nevo_file(NEVO_SMALL).records

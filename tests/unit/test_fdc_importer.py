from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rugwijzer.domain.nutrients import Nutrient
from rugwijzer.errors import ImportFormatError
from rugwijzer.fooddb.database import load_food_database
from rugwijzer.fooddb.fdc import import_fdc_folder, read_fdc_folder
from tests.conftest import FIXTURES

FDC = FIXTURES / "fdc_sr_legacy"


def test_reads_sr_legacy_layout() -> None:
    dataset, records = read_fdc_folder(FDC)
    assert dataset == "USDA FDC SR Legacy"
    by_id = {r.source_id: r for r in records}
    almonds = by_id["170567"]
    assert almonds.ndb == "12061"
    assert almonds.group_code == "12"
    assert almonds.per_100g[Nutrient.MAGNESIUM_MG] == 270.0
    assert Nutrient.IRON_MG not in almonds.per_100g
    assert [(m.name, m.grams) for m in almonds.measures] == [
        ("cup, whole", 143.0),
        ("oz (23 whole kernels)", 28.35),
    ]
    spinach = by_id["168462"]
    assert [(m.name, m.grams) for m in spinach.measures] == [("cup", 30.0)]
    banana = by_id["173944"]
    assert banana.ndb == "09040"  # NDB numbers are zero-padded to five digits
    assert banana.per_100g[Nutrient.VITAMIN_D_IU] == pytest.approx(4.0)  # 0.1 µg × 40
    assert Nutrient.MAGNESIUM_MG not in by_id["999001"].per_100g  # missing, not zero
    assert by_id["999001"].group_code == "11"


def test_import_writes_a_loadable_data_file_with_dutch_names(tmp_path: Path) -> None:
    out = tmp_path / "fdc.json"
    provenance = import_fdc_folder(FDC, out)
    assert provenance.food_count == 4
    assert provenance.id_prefix == "fdc"
    database = load_food_database(out)
    almonds = database.get("fdc:170567")
    assert almonds.source.dataset == "USDA FDC SR Legacy"
    assert almonds.name_nl is not None  # Dutch names follow the NDB number
    assert database.search("almonds", limit=1)[0].food.id == "fdc:170567"


def test_missing_column_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "fdc"
    shutil.copytree(FDC, folder)
    text = (folder / "food_nutrient.csv").read_text().replace('"amount"', '"amt"', 1)
    (folder / "food_nutrient.csv").write_text(text)
    with pytest.raises(ImportFormatError, match="amount"):
        read_fdc_folder(folder)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "fdc"
    shutil.copytree(FDC, folder)
    (folder / "food_portion.csv").unlink()
    with pytest.raises(ImportFormatError, match=r"food_portion\.csv"):
        read_fdc_folder(folder)


def test_bad_number_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "fdc"
    shutil.copytree(FDC, folder)
    text = (folder / "food_nutrient.csv").read_text().replace('"270"', '"lots"')
    (folder / "food_nutrient.csv").write_text(text)
    with pytest.raises(ImportFormatError, match="not a number"):
        read_fdc_folder(folder)

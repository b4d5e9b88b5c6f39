from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from rugwijzer.domain.nutrients import Nutrient
from rugwijzer.errors import DataError, ImportFormatError
from rugwijzer.fooddb.sr24 import parse_food_xml, read_sr24_jar

ALMONDS = (
    b'<food uid="12061" name="Nuts, almonds">'
    b'<measure amount="1.0" name="cup, whole" grams="143.0"/>'
    b'<nutrient amount="575.0" name="Energy"/><nutrient amount="268.0" name="Magnesium"/>'
    b'<nutrient amount="0.0" name="Vitamin D"/><nutrient amount="1.5" name="Copper"/></food>'
)


def test_parse_keeps_tracked_nutrients_and_leaves_missing_missing() -> None:
    record = parse_food_xml(ALMONDS, ndb="12061")
    assert record.name_en == "Nuts, almonds"
    assert record.group_code == "12"
    assert record.per_100g[Nutrient.MAGNESIUM_MG] == 268.0
    assert record.per_100g[Nutrient.VITAMIN_D_IU] == 0.0  # a real zero stays zero
    assert Nutrient.CALCIUM_MG not in record.per_100g  # absent stays absent
    assert record.measures[0].grams == 143.0


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"<food", ImportFormatError),
        (b'<food uid="99999" name="x"/>', ImportFormatError),
        (b'<food uid="12061" name="x"><nutrient amount="-3" name="Magnesium"/></food>', DataError),
        (b'<food uid="12061" name="x"><nutrient amount="250" name="Protein"/></food>', DataError),
        (b'<food uid="12061" name="x"><nutrient amount="abc" name="Protein"/></food>', DataError),
        (
            b'<food uid="12061" name="x"><measure amount="1" name="cup" grams="0"/></food>',
            DataError,
        ),
    ],
)
def test_parse_rejects_malformed_or_implausible_input(
    content: bytes, error: type[Exception]
) -> None:
    with pytest.raises(error):
        parse_food_xml(content, ndb="12061")


def test_read_jar_in_ndb_order_with_progress(tmp_path: Path) -> None:
    jar = tmp_path / "usda_sr24.jar"
    with zipfile.ZipFile(jar, "w") as archive:
        archive.writestr("usda_sr24/12061.xml", ALMONDS)
        archive.writestr("usda_sr24/09040.xml", b'<food uid="09040" name="Bananas, raw"/>')
        archive.writestr("usda_sr24/foods.index", "12061|Nuts, almonds\n")
    seen: list[tuple[int, int]] = []
    records = list(read_sr24_jar(jar, on_progress=lambda done, total: seen.append((done, total))))
    assert [r.source_id for r in records] == ["09040", "12061"]
    assert seen == [(1, 2), (2, 2)]


def test_read_jar_rejects_a_non_zip_file(tmp_path: Path) -> None:
    bogus = tmp_path / "x.jar"
    bogus.write_text("not a zip")
    with pytest.raises(ImportFormatError):
        list(read_sr24_jar(bogus))

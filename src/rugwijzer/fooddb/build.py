"""Build the bundled food data file from USDA SR24 (Debian's cronometer package)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rugwijzer import __version__
from rugwijzer.errors import DataError
from rugwijzer.fooddb.datafile import Provenance, write_data_file
from rugwijzer.fooddb.sr24 import (
    SR24_DATASET,
    SR24_FOOD_COUNT,
    SR24_LICENCE,
    file_sha256,
    read_sr24_jar,
)
from rugwijzer.messages import Code, Foreign

__all__ = ["build_sr24_data_file", "sr24_provenance"]


def sr24_provenance(jar: Path, food_count: int) -> Provenance:
    """The provenance record of a data file built from `jar`."""
    return Provenance(
        dataset=SR24_DATASET,
        release="USDA National Nutrient Database for Standard Reference, Release 24 (2011)",
        publisher="U.S. Department of Agriculture, Agricultural Research Service",
        licence=SR24_LICENCE,
        source_file="usr/share/cronometer/usda_sr24.jar in Debian package cronometer",
        source_sha256=file_sha256(jar),
        build_tool=f"rugwijzer {__version__} (rugwijzer foods build)",
        id_prefix="sr24",
        food_count=food_count,
    )


def build_sr24_data_file(
    jar: Path, out: Path, *, on_progress: Callable[[int, int], None] | None = None
) -> Provenance:
    """Read every food of the SR24 jar and write the data file `out`. Refuses to write an
    incomplete file (fewer or more foods than SR24 has)."""
    records = list(read_sr24_jar(jar, on_progress=on_progress))
    if len(records) != SR24_FOOD_COUNT:
        detail = f"{jar}: expected {SR24_FOOD_COUNT} SR24 foods, found {len(records)}"
        raise DataError(Code.DATA_CORRUPT, detail=Foreign(detail))
    provenance = sr24_provenance(jar, len(records))
    write_data_file(out, records, provenance)
    return provenance

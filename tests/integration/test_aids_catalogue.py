"""The aids catalogue in the database (SQLite and PostgreSQL): imports all or nothing, matched
on SKU, the sample catalogue only in local mode, and the advice with the catalogue's products."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from rugwijzer.domain.aids import CATALOGUE_COLUMNS, parse_aid_answers
from rugwijzer.errors import InvalidRowsError, NotFoundError
from rugwijzer.services.aids import AidCatalogue
from rugwijzer.store.engine import make_session_factory

HEADER = ",".join(CATALOGUE_COLUMNS)
FIRST = "\n".join(
    [
        HEADER,
        "HW-1,Warmtebandage,Heat wrap,heat_wrap,19.95,https://shop.example.org/hw,Warm",
        "BR-1,Rugbrace,Back brace,lumbar_support,39.95,https://shop.example.org/br,",
        "CH-1,Bureaustoel,Office chair,office_chair,299,https://shop.example.org/ch,",
    ]
)


@pytest.fixture
def catalogue(migrated_engine: Engine) -> AidCatalogue:
    return AidCatalogue(make_session_factory(migrated_engine), example_when_empty=False)


def test_an_import_is_all_or_nothing(catalogue: AidCatalogue) -> None:
    assert catalogue.products() == []
    done = catalogue.import_csv(FIRST)
    assert (done.added, done.updated, done.removed, done.products) == (3, 0, 0, 3)
    bad = FIRST.replace("HW-1,", "HW-2,") + "\nXX-1,Iets,Thing,unknown_kind,5,https://x.nl,"
    with pytest.raises(InvalidRowsError) as refused:
        catalogue.import_csv(bad)
    assert [p.params["line"] for p in refused.value.problems] == [5]
    assert sorted(p.sku for p in catalogue.products()) == ["BR-1", "CH-1", "HW-1"]  # untouched
    again = catalogue.import_csv(FIRST.replace("19.95", "17.50"))
    assert (again.added, again.updated) == (0, 3)
    heat = next(p for p in catalogue.products() if p.sku == "HW-1")
    assert str(heat.price_eur) == "17.50"
    replaced = catalogue.import_csv(
        f"{HEADER}\nHW-1,Warmtebandage,Heat wrap,heat_wrap,17.50,https://shop.example.org/hw,",
        replace=True,
    )
    assert (replaced.removed, replaced.products) == (2, 1)
    catalogue.delete("HW-1")
    assert catalogue.products() == []
    with pytest.raises(NotFoundError):
        catalogue.delete("HW-1")


def test_the_sample_catalogue_shows_only_until_one_is_imported(migrated_engine: Engine) -> None:
    local = AidCatalogue(make_session_factory(migrated_engine), example_when_empty=True)
    assert local.products()
    assert all(product.example for product in local.products())
    local.import_csv(FIRST)
    assert not any(product.example for product in local.products())


def test_products_follow_the_evidence(catalogue: AidCatalogue) -> None:
    catalogue.import_csv(FIRST)
    answers = parse_aid_answers(
        {"pain_weeks": 2, "sitting_hours_per_day": 8, "work": "desk", "goal": "relief"}
    )
    view = catalogue.advice(answers, "en").to_json()
    products = {item["category"]: [p["sku"] for p in item["products"]] for item in view["items"]}
    assert products["heat_wrap"] == ["HW-1"]
    assert products["lumbar_support"] == []  # not recommended: never a product
    assert products["office_chair"] == ["CH-1"]  # no evidence: shown after the evidence
    keys = list(view["items"][0])
    assert keys.index("reason") < keys.index("products")
    flagged = parse_aid_answers(
        {
            "pain_weeks": 2,
            "sitting_hours_per_day": 8,
            "work": "desk",
            "goal": "relief",
            "triage": {"fever": True},
        }
    )
    red = catalogue.advice(flagged, "nl").to_json()
    assert red["red_flag"] is True
    assert red["referral"]
    assert all(item["products"] == [] for item in red["items"])

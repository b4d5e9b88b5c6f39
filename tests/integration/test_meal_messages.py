"""Meal messages end to end: stored as codes, converted from older English sentences by the
migration and by the import of older exports, and shown in the reader's language."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient

from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message
from rugwijzer.store.engine import make_engine
from rugwijzer.store.meal_text import message_from_text
from rugwijzer.store.migrate import alembic_config, current_revision, head_revision, upgrade

#: An export written by Rugwijzer before messages had codes (English sentences for how the
#: grams were found and why words were not understood): nine meals with a corrected item, a
#: chosen food, a food the data lacks and words not understood.
OLD_EXPORT = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "export_before_message_codes.json").read_text(
        encoding="utf-8"
    )
)
OLD_DERIVATIONS = [item["grams_derivation"] for m in OLD_EXPORT["meals"] for item in m["items"]]
OLD_REASONS = [u["reason"] for m in OLD_EXPORT["meals"] for u in m["unparsed"]]
#: A sentence no version of Rugwijzer wrote: kept as it is.
UNKNOWN = "1 appel (ingevoerd met een oudere versie)"

_ITEMS = sa.table(
    "meal_items",
    *(sa.column(name) for name in ("id", "meal_id", "position", "text", "food_id")),
    *(sa.column(name) for name in ("food_name_en", "food_name_nl", "dataset", "grams")),
    sa.column("grams_derivation", sa.Text()),
    sa.column("nutrients", sa.JSON()),
    sa.column("alternatives", sa.JSON()),
)
_MEALS = sa.table(
    "meal_entries",
    *(sa.column(name) for name in ("id", "user_id", "text", "language")),
    sa.column("eaten_on", sa.Date()),
    sa.column("unparsed", sa.JSON()),
)


def _store_old_rows(engine: sa.Engine) -> None:
    """The old export's meals as rows of a database at revision 0004 (before codes)."""
    with engine.begin() as connection:
        connection.execute(sa.text("insert into users (id, role) values (1, 'user')"))
        item_id = 0
        for meal_id, meal in enumerate(OLD_EXPORT["meals"], start=1):
            connection.execute(
                _MEALS.insert().values(
                    id=meal_id,
                    user_id=1,
                    eaten_on=date.fromisoformat(meal["eaten_on"]),
                    text=meal["text"],
                    language=meal["language"],
                    unparsed=meal["unparsed"],
                )
            )
            for position, item in enumerate(meal["items"]):
                item_id += 1
                values = {key: item[key] for key in ("text", "food_id", "food_name_en")}
                values |= {key: item[key] for key in ("food_name_nl", "dataset", "grams")}
                values |= {key: item[key] for key in ("grams_derivation", "nutrients")}
                connection.execute(
                    _ITEMS.insert().values(
                        id=item_id,
                        meal_id=meal_id,
                        position=position,
                        alternatives=item["alternatives"],
                        **values,
                    )
                )
        connection.execute(
            _ITEMS.insert().values(
                id=item_id + 1,
                meal_id=1,
                position=99,
                text="een appel",
                food_id="sr24:09003",
                food_name_en="Apples, raw, with skin",
                food_name_nl="appel",
                dataset="USDA SR24",
                grams=182.0,
                grams_derivation=UNKNOWN,
                nutrients={},
                alternatives=[],
            )
        )


def _stored(engine: sa.Engine, derivation_type: sa.types.TypeEngine[Any]) -> tuple[list[Any], ...]:
    items = sa.table("meal_items", sa.column("id"), sa.column("grams_derivation", derivation_type))
    with engine.connect() as connection:
        derivations = connection.execute(
            sa.select(items.c.grams_derivation).order_by(items.c.id)
        ).scalars()
        unparsed = connection.execute(sa.select(_MEALS.c.unparsed).order_by(_MEALS.c.id)).scalars()
        return list(derivations), [u["reason"] for entries in unparsed for u in entries]


def test_the_migration_turns_stored_sentences_into_codes_and_back(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0004")
        _store_old_rows(engine)
        upgrade(engine)
        derivations, reasons = _stored(engine, sa.JSON())
        expected = [message_from_text(text).to_json() for text in OLD_DERIVATIONS]
        assert derivations == [*expected, Message.of(Code.LEGACY_TEXT, text=UNKNOWN).to_json()]
        # every sentence the older version wrote was understood; only the unknown one is text
        assert Code.LEGACY_TEXT.value not in {d["code"] for d in expected}
        assert derivations[0] == Message.of(Code.MEAL_CORRECTED, grams=105.0, was=70.0).to_json()
        assert {reason["code"] for reason in reasons} == {
            Code.MEAL_NO_FOOD_RECOGNISED.value,
            Code.MEAL_NOT_IN_FOOD_DATA.value,
            Code.MEAL_AMOUNT_WITHOUT_FOOD.value,
            Code.MEAL_NOT_UNDERSTOOD.value,
        }

        command.downgrade(alembic_config(engine), "0004")
        texts, old_reasons = _stored(engine, sa.Text())
        assert texts[-1] == UNKNOWN
        # the English sentences again, numbers as the catalogue writes them (28.35 for 28.3495)
        assert texts[:-1] == [render_message(message_from_text(t), "en") for t in OLD_DERIVATIONS]
        assert sum(old != new for old, new in zip(texts, OLD_DERIVATIONS, strict=False)) == 2
        assert old_reasons == OLD_REASONS

        upgrade(engine)  # and up again
        assert current_revision(engine) == head_revision()
        assert [d["code"] for d in _stored(engine, sa.JSON())[0]] == [
            d["code"] for d in derivations
        ]
    finally:
        engine.dispose()


def test_an_export_from_before_codes_still_imports(local: TestClient) -> None:
    imported = local.post("/api/v1/me/import", json=OLD_EXPORT)
    assert imported.status_code == 200, imported.text
    meals = local.get("/api/v1/me/export").json()["meals"]
    derivations = [item["grams_derivation"] for meal in meals for item in meal["items"]]
    assert derivations == [message_from_text(text).to_json() for text in OLD_DERIVATIONS]
    assert Code.LEGACY_TEXT.value not in {d["code"] for d in derivations}
    chosen = derivations[OLD_DERIVATIONS.index("50 g; food chosen by you, grams kept")]
    assert chosen == {
        "code": "meal.food_chosen",
        "params": {"how": {"code": "meal.grams", "params": {"quantity": 50.0, "unit": "g"}}},
    }
    reasons = [u["reason"] for meal in meals for u in meal["unparsed"]]
    assert reasons == [message_from_text(text).to_json() for text in OLD_REASONS]


def test_a_dutch_page_shows_the_dutch_derivation_with_the_usda_measure_in_english(
    local: TestClient,
) -> None:
    logged = local.post(
        "/today/meal",
        data={"text": "2 sneetjes volkorenbrood en een perzik"},
        follow_redirects=False,
    )
    assert logged.status_code == 303
    dutch = local.get("/today").text
    assert '<html lang="nl">' in dutch
    assert "2 × snee (brood) = 35 g (schatting)" in dutch
    # No Dutch figure for a peach: its USDA measure, in English inside the Dutch sentence.
    assert '1 × USDA-maat ‘<span lang="en">medium (2-2/3&#34; dia)</span>’ (150 g)' in dutch
    local.cookies.set("rugwijzer_lang", "en")
    english = local.get("/today").text
    assert '<html lang="en">' in english
    assert '2 × <span lang="nl">snee (brood)</span> = 35 g (estimate)' in english
    assert "1 × USDA measure 'medium (2-2/3&#34; dia)' (150 g)" in english


def test_a_dutch_typical_portion_names_its_source_in_the_readers_language(
    local: TestClient,
) -> None:
    logged = local.post("/today/meal", data={"text": "een banaan"}, follow_redirects=False)
    assert logged.status_code == 303
    dutch = local.get("/today").text
    assert "1 × banaan = 130 g, volgens RIVM (2026)" in dutch
    local.cookies.set("rugwijzer_lang", "en")
    english = local.get("/today").text
    assert (
        '1 × <span lang="nl">banaan</span> = 130 g, according to <span lang="nl">RIVM (2026)</span>'
        in english
    )


def test_the_parse_api_renders_messages_in_the_requests_language(local: TestClient) -> None:
    dutch = local.post("/api/v1/meals/parse", json={"text": "een perzik, 1 l cola", "lang": "nl"})
    assert dutch.status_code == 200, dutch.text
    peach, cola = dutch.json()["items"]
    how = peach["grams_derivation"]
    assert how["code"] == "meal.times"
    assert how["params"]["how"]["params"]["measure"] == {
        "foreign": 'medium (2-2/3" dia)',
        "lang": "en",
    }
    assert how["text"] == '1 × USDA-maat ‘medium (2-2/3" dia)’ (150 g)'
    assert peach["portion_source"] is None
    assert cola["grams_derivation"]["text"].startswith("1.000 ml via USDA-maat")
    english = local.post("/api/v1/meals/parse", json={"text": "one medium banana"}).json()
    assert english["items"][0]["grams_derivation"]["text"] == (
        "1 × USDA measure 'medium (7\" to 7-7/8\" long)' (118 g)"
    )
    # Dutch words without a weight: the Dutch piece, with its source, in the reader's language.
    banana = local.post("/api/v1/meals/parse", json={"text": "een banaan"}).json()["items"][0]
    assert banana["grams"] == 130
    assert banana["grams_derivation"]["text"] == "1 × banaan = 130 g, according to RIVM (2026)"
    assert banana["portion_source"]["organisation"] == "RIVM"
    assert banana["portion_source"]["url"].startswith("https://")
    schema = local.get("/api/v1/openapi.json").json()["paths"]["/api/v1/meals/parse"]["post"]
    assert "$ref" in schema["responses"]["200"]["content"]["application/json"]["schema"]

"""Migrations and the diary service on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select
from sqlalchemy import text as sql_text

from rugwijzer.domain.diary import ChangeInput, CheckInInput
from rugwijzer.errors import InvalidInputError, NotFoundError
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.messages import Code, Message
from rugwijzer.services.diary import Diary, open_diary
from rugwijzer.store.engine import make_engine, make_session_factory
from rugwijzer.store.migrate import MIGRATIONS, current_revision, head_revision, upgrade
from rugwijzer.store.models import Base, CheckIn, MealEntry, MealItemRow, SupplementEntry
from tests.integration.user_rows import ONE_OF_EACH, others_rows, owned_by

TODAY = date(2026, 11, 24)


@pytest.fixture
def diary(migrated_engine: Engine, food_db: FoodDatabase) -> Diary:
    return open_diary(make_session_factory(migrated_engine), food_db, today=lambda: TODAY)


def _count(engine: Engine, model: type) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(model)).scalar_one())


def test_migration_chain_is_linear() -> None:
    script = ScriptDirectory(str(MIGRATIONS))
    heads = script.get_heads()
    assert len(heads) == 1
    revisions = list(script.walk_revisions())
    assert sum(1 for r in revisions if r.down_revision is None) == 1
    for revision in revisions:
        assert not isinstance(revision.down_revision, tuple | list), revision.revision


def test_upgrade_from_empty_reaches_head_and_matches_the_models(migrated_engine: Engine) -> None:
    assert current_revision(migrated_engine) == head_revision()
    with migrated_engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_log_meal_keeps_a_snapshot(diary: Diary, migrated_engine: Engine) -> None:
    user = diary.profiles.ensure_local_user()
    meal = diary.entries.log_meal(user, "2 sneetjes volkorenbrood met pindakaas", lang="nl")
    assert [item.food_id for item in meal.items] == ["sr24:18075", "sr24:16098"]
    assert meal.items[0].nutrients["magnesium_mg"] == pytest.approx(57.4)
    assert meal.items[0].dataset == "USDA SR24"
    day = diary.summaries.day(user, TODAY)
    # 2 slices of 35 g, and 15 g of peanut butter on each (the Dutch portion)
    assert day.totals["magnesium_mg"].amount == pytest.approx(57.4 + 46.2, abs=0.1)
    assert _count(migrated_engine, MealItemRow) == 2


def test_history_is_not_rewritten_by_new_food_data(
    diary: Diary, migrated_engine: Engine, food_db: FoodDatabase
) -> None:
    user = diary.profiles.ensure_local_user()
    diary.entries.log_meal(user, "30 gram amandelen", lang="nl")
    before = diary.summaries.day(user, TODAY).totals["magnesium_mg"].amount
    # A later data release: the same id with other values.
    from rugwijzer.domain.nutrients import Nutrient, NutrientAmounts
    from rugwijzer.fooddb.datafile import Provenance
    from rugwijzer.fooddb.records import FoodRecord

    almonds = food_db.get("sr24:12061")
    newer = FoodDatabase.from_records(
        [
            FoodRecord(
                "12061",
                almonds.name_en,
                "12",
                NutrientAmounts({Nutrient.MAGNESIUM_MG: 1.0}),
                almonds.measures,
                "12061",
            )
        ],
        Provenance("USDA SR24", "newer", "p", "public domain", "f", "0" * 64, "t", "sr24", 1),
    )
    later = open_diary(diary.entries.sessions, newer, today=lambda: TODAY)
    assert later.summaries.day(user, TODAY).totals["magnesium_mg"].amount == before


@pytest.mark.parametrize(
    ("checkin", "message"),
    [
        (CheckInInput(day=TODAY, pain=11), "Pain"),
        (CheckInInput(day=date(2999, 1, 1), pain=3), "future"),
        (CheckInInput(day=TODAY, note="x" * 10_000_000), "longer than"),
        (CheckInInput(day=TODAY), "at least one"),
        (CheckInInput(day=TODAY, minutes_active=5000), "minutes"),
    ],
)
def test_bad_checkins_store_nothing(
    diary: Diary, migrated_engine: Engine, checkin: CheckInInput, message: str
) -> None:
    user = diary.profiles.ensure_local_user()
    with pytest.raises(InvalidInputError, match=message):
        diary.entries.check_in(user, checkin)
    assert _count(migrated_engine, CheckIn) == 0


def test_one_checkin_a_day_updates(diary: Diary, migrated_engine: Engine) -> None:
    user = diary.profiles.ensure_local_user()
    diary.entries.check_in(user, CheckInInput(day=TODAY, pain=6, stress=7))
    diary.entries.check_in(user, CheckInInput(day=TODAY, pain=4, stress=5, cramps=True))
    assert _count(migrated_engine, CheckIn) == 1
    assert diary.summaries.day(user, TODAY).checkin.pain == 4


def test_failed_meal_leaves_nothing(diary: Diary, migrated_engine: Engine) -> None:
    user = diary.profiles.ensure_local_user()
    for text in ("5000 kg spinazie", "qwerty", ""):
        with pytest.raises(InvalidInputError):
            diary.entries.log_meal(user, text)
    assert _count(migrated_engine, MealEntry) == 0


def test_a_meal_for_a_user_that_is_gone_is_not_found_and_stores_nothing(
    diary: Diary, migrated_engine: Engine
) -> None:
    user = diary.profiles.ensure_local_user()
    diary.portability.delete_everything(user)  # e.g. the account was deleted a moment ago
    with pytest.raises(NotFoundError) as raised:
        diary.entries.log_meal(user, "een banaan", lang="nl")
    assert raised.value.message.code is Code.PROFILE_USER_NOT_FOUND
    assert _count(migrated_engine, MealEntry) == 0
    assert _count(migrated_engine, MealItemRow) == 0


def test_a_logged_meal_reads_back_as_it_was_answered(diary: Diary) -> None:
    user = diary.profiles.ensure_local_user()
    answered = diary.entries.log_meal(user, "een banaan en 30 g amandelen en qwerty", lang="nl")
    (stored,) = diary.summaries.day(user, TODAY).meals
    assert stored == answered
    assert [item.food_id for item in stored.items] == ["sr24:09040", "sr24:12061"]
    assert [part.text for part in stored.unparsed] == ["qwerty"]


def test_supplements_and_changes(diary: Diary) -> None:
    user = diary.profiles.ensure_local_user()
    diary.entries.log_supplement(
        user, {"label": "magnesium (as citrate) 100 mg", "servings_per_day": 2}
    )
    with pytest.raises(InvalidInputError):
        diary.entries.log_supplement(user, {"elemental_mg": 9000})
    change = diary.entries.record_change(user, ChangeInput("started magnesium citrate", TODAY))
    with pytest.raises(InvalidInputError):
        diary.entries.record_change(user, ChangeInput("x", TODAY, date(2026, 1, 1)))
    assert diary.summaries.day(user, TODAY).supplement_magnesium_mg == 200
    week = diary.summaries.period(user, date(2026, 11, 18), TODAY)
    assert len(week.days) == 7
    assert week.days[-1].magnesium_supplements_mg == 200
    assert week.changes[0].id == change.id


def test_users_cannot_touch_each_others_entries(diary: Diary) -> None:
    alice, bob = (
        diary.profiles.create_user(email="a@example.org"),
        diary.profiles.create_user(email="b@example.org"),
    )
    meal = diary.entries.log_meal(alice, "een banaan")
    with pytest.raises(NotFoundError):
        diary.entries.delete_entry(bob, "meal", meal.id)
    assert diary.portability.export(bob).meals == []
    diary.entries.delete_entry(alice, "meal", meal.id)
    assert diary.portability.export(alice).meals == []


def test_export_import_round_trip(
    diary: Diary, migrated_engine: Engine, food_db: FoodDatabase
) -> None:
    user = diary.profiles.ensure_local_user()
    diary.profiles.set_profile(
        user, {"birth_year": 1975, "sex": "female", "medicines": ["omeprazol"]}
    )
    diary.entries.log_meal(user, "2 sneetjes volkorenbrood met pindakaas en blablabla", lang="nl")
    diary.entries.log_supplement(user, {"form": "bisglycinate", "compound_mg": 1000})
    diary.entries.check_in(
        user, CheckInInput(day=TODAY, pain=6, stress=7, note="stijf", pain_locations=("onderrug",))
    )
    diary.entries.record_change(user, ChangeInput("new chair", date(2026, 11, 1), TODAY))
    diary.entries.record_assessment(user, "triage", {"fever": False}, {"urgency": "none"})
    exported = diary.portability.export(user)
    diary.portability.delete_everything(user)
    assert _count(migrated_engine, MealEntry) == 0
    fresh = diary.profiles.ensure_local_user()
    diary.portability.import_(fresh, exported.model_dump(mode="json"))
    again = diary.portability.export(fresh)
    assert again.model_dump(exclude={"exported_at"}) == exported.model_dump(exclude={"exported_at"})


def test_import_is_all_or_nothing(diary: Diary, migrated_engine: Engine) -> None:
    user = diary.profiles.ensure_local_user()
    document = {
        "format": "rugwijzer-export/1",
        "meals": [],
        "supplements": [
            {"taken_on": "2026-11-20", "name": "x", "elemental_mg": 100, "servings": 1}
        ],
        "checkins": [{"day": "2026-11-20", "pain": 11}],
    }
    with pytest.raises(InvalidInputError):
        diary.portability.import_(user, document)
    assert _count(migrated_engine, SupplementEntry) == 0
    with pytest.raises(InvalidInputError, match="not a Rugwijzer export"):
        diary.portability.import_(user, {"format": "other"})


def _fill_diary(diary: Diary, user: int, food: str) -> int:
    """A row in every diary table for this user; the meal's id."""
    diary.profiles.set_profile(user, {"birth_year": 1975, "sex": "female"})
    meal = diary.entries.log_meal(user, food)
    diary.entries.log_supplement(user, {"elemental_mg": 100})
    diary.entries.check_in(user, CheckInInput(day=TODAY, pain=3))
    diary.entries.record_change(user, ChangeInput("new chair", TODAY))
    diary.entries.record_assessment(user, "triage", {"fever": False}, {"urgency": "none"})
    return int(meal.id)


def test_delete_everything(diary: Diary, migrated_engine: Engine) -> None:
    user = diary.profiles.create_user(email="gone@example.org")
    other = diary.profiles.create_user(email="stays@example.org")
    meal_id = _fill_diary(diary, user, "een banaan")
    _fill_diary(diary, other, "30 g amandelen")
    before = owned_by(migrated_engine, user, "gone@example.org")
    assert {table: len(rows) for table, rows in before.items() if rows} == ONE_OF_EACH
    others = others_rows(migrated_engine, user, "gone@example.org")

    diary.portability.delete_everything(user)

    # Read in the database by the deleted user's id (and its meal's id for the items).
    left = owned_by(migrated_engine, user, "gone@example.org", meal_ids=[meal_id])
    assert {table: rows for table, rows in left.items() if rows} == {}
    assert others_rows(migrated_engine, user, "gone@example.org") == others
    with pytest.raises(NotFoundError):
        diary.portability.export(user)


def test_concurrent_writers_lose_no_row(diary: Diary, migrated_engine: Engine) -> None:
    user = diary.profiles.ensure_local_user()
    errors: list[BaseException] = []

    def write(offset: int) -> None:
        try:
            for index in range(20):
                diary.entries.log_supplement(user, {"elemental_mg": 10 + offset + index})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n * 100,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _count(migrated_engine, SupplementEntry) == 80


def test_sqlite_units_of_work_queue_within_a_process(tmp_path: Path) -> None:
    # Nested units of work in one thread must not deadlock on the in-process lock.
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    upgrade(engine)
    factory = make_session_factory(engine)
    from rugwijzer.store.engine import transaction

    with transaction(factory) as outer, transaction(factory) as inner:
        assert outer is not inner
    engine.dispose()


def test_correcting_an_items_grams_scales_its_snapshot(diary: Diary) -> None:
    user = diary.profiles.create_user(email="me@example.org")
    meal = diary.entries.log_meal(user, "2 sneetjes volkorenbrood met pindakaas", lang="nl")
    assert meal.items[0].grams == 70.0
    edited = diary.entries.set_item_grams(user, meal.id, 0, 140.0)  # bread: 4 slices instead of 2
    bread = edited.items[0]
    assert bread.grams == 140.0
    assert bread.nutrients["magnesium_mg"] == pytest.approx(2 * 57.4, abs=0.1)
    assert (
        bread.grams_derivation == Message.of(Code.MEAL_CORRECTED, grams=140.0, was=70.0).to_json()
    )
    assert edited.items[1] == meal.items[1]
    assert diary.summaries.day(user, TODAY).totals["magnesium_mg"].amount == pytest.approx(
        103.6 + 57.4, abs=0.2
    )
    for grams in (0.0, -5.0, float("nan"), 20_000.0):
        with pytest.raises(InvalidInputError):
            diary.entries.set_item_grams(user, meal.id, 0, grams)
    with pytest.raises(NotFoundError):
        diary.entries.set_item_grams(user, meal.id, 7, 10.0)
    other = diary.profiles.create_user(email="someone@example.org")
    with pytest.raises(NotFoundError):
        diary.entries.set_item_grams(other, meal.id, 0, 10.0)
    assert diary.summaries.day(user, TODAY).meals[0].items[0].grams == 140.0


def test_choosing_an_alternative_food_for_an_item(diary: Diary, migrated_engine: Engine) -> None:
    user = diary.profiles.create_user(email="me@example.org")
    meal = diary.entries.log_meal(user, "50 g chocolade met een appel", lang="nl")
    chocolate = meal.items[0]
    assert chocolate.food_id == "sr24:19120"  # milk chocolate: 63 mg per 100 g
    assert [choice.food_id for choice in chocolate.alternatives] == [
        "sr24:19903",
        "sr24:19904",
    ]
    assert chocolate.alternatives[1].name_nl == "extra pure chocolade, 70-85% cacao"

    chosen = diary.entries.choose_item_food(user, meal.id, 0, "sr24:19904").items[0]
    assert chosen.food_id == "sr24:19904"
    assert chosen.food_name_nl == "extra pure chocolade, 70-85% cacao"
    assert chosen.grams == 50.0
    assert chosen.nutrients["magnesium_mg"] == pytest.approx(114.0)  # 228 mg per 100 g
    assert chosen.grams_derivation["code"] == Code.MEAL_FOOD_CHOSEN.value
    # The replaced food is offered in its place, so the choice can be undone.
    assert [c.food_id for c in chosen.alternatives] == ["sr24:19120", "sr24:19903"]
    back = diary.entries.choose_item_food(user, meal.id, 0, "sr24:19120").items[0]
    assert back.nutrients["magnesium_mg"] == pytest.approx(31.5)
    assert back.grams_derivation["code"] == Code.MEAL_FOOD_CHOSEN.value  # said once
    assert back.grams_derivation["params"]["how"] == meal.items[0].grams_derivation

    both = diary.entries.correct_item(user, meal.id, 0, food_id="sr24:19903", grams=20.0).items[0]
    assert (both.food_id, both.grams) == ("sr24:19903", 20.0)
    assert both.nutrients["magnesium_mg"] == pytest.approx(35.2)
    before = diary.summaries.day(user, TODAY).meals
    with pytest.raises(InvalidInputError):  # an unknown food changes nothing
        diary.entries.correct_item(user, meal.id, 0, food_id="sr24:99999", grams=80.0)
    other = diary.profiles.create_user(email="someone@example.org")
    with pytest.raises(NotFoundError):
        diary.entries.choose_item_food(other, meal.id, 0, "sr24:19904")
    assert diary.summaries.day(user, TODAY).meals == before

    exported = diary.portability.export(user)
    assert exported.meals[0].items[0].alternatives[0].food_id == "sr24:19120"
    diary.portability.delete_everything(user)
    restored = diary.profiles.create_user(email="me@example.org")
    diary.portability.import_(restored, exported.model_dump(mode="json"))
    assert diary.summaries.day(restored, TODAY).meals[0].items[0].alternatives == (
        exported.meals[0].items[0].alternatives
    )


def test_items_logged_before_alternatives_existed_get_an_empty_list(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0003")
        with engine.begin() as connection:
            connection.execute(sql_text("insert into users (id, role) values (1, 'user')"))
            connection.execute(
                sql_text(
                    "insert into meal_entries (id, user_id, eaten_on, text, unparsed) "
                    "values (1, 1, '2026-11-20', 'een appel', '[]')"
                )
            )
            connection.execute(
                sql_text(
                    "insert into meal_items (id, meal_id, position, text, food_id, food_name_en,"
                    " dataset, grams, grams_derivation, nutrients) values (1, 1, 0, 'een appel',"
                    " 'sr24:09003', 'Apples, raw, with skin', 'USDA SR24', 182, '1 appel', '{}')"
                )
            )
        upgrade(engine)
        with engine.connect() as connection:
            stored = connection.execute(select(MealItemRow.alternatives)).scalar_one()
        assert stored == []
    finally:
        engine.dispose()


def test_accounts_can_follow_the_local_user_in_one_database(diary: Diary) -> None:
    local = diary.profiles.ensure_local_user()
    assert diary.profiles.ensure_local_user() == local  # idempotent
    account = diary.profiles.create_user(email="later@example.org")
    assert account != local

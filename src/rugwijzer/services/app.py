"""Wiring for the shells: one engine, session factory and set of diary services per process."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine

from rugwijzer.errors import DataError
from rugwijzer.fooddb.database import (
    FoodDatabase,
    default_food_database,
    load_food_database,
    user_food_data_files,
)
from rugwijzer.messages import Code
from rugwijzer.services.accounts import AccountService
from rugwijzer.services.diary import Diary, open_diary
from rugwijzer.services.progress import EffectService
from rugwijzer.services.report import ReportService
from rugwijzer.settings import Settings, get_settings
from rugwijzer.store.engine import make_engine, make_session_factory
from rugwijzer.store.migrate import current_revision, head_revision, upgrade

__all__ = [
    "account_service",
    "configured_food_database",
    "delete_user",
    "diary_service",
    "engine",
    "report_service",
    "require_current_schema",
    "reset",
]


def configured_food_database(settings: Settings | None = None) -> FoodDatabase:
    """The food database the settings ask for: RUGWIJZER_FOOD_DATA_FILE, or the bundled one;
    either with the user's imported NEVO foods beside it when there are any."""
    settings = settings or get_settings()
    if settings.food_data_file:
        return load_food_database(
            settings.food_data_file, extra_files=user_food_data_files(settings.data_dir)
        )
    return default_food_database()


@lru_cache(maxsize=1)
def engine() -> Engine:
    """The process's database engine, from the settings."""
    settings = get_settings()
    return make_engine(settings.effective_database_url, settings.pool_options)


def require_current_schema(db: Engine) -> None:
    """Refuse to work on a database whose schema is not the newest."""
    current, head = current_revision(db), head_revision()
    if current != head:
        raise DataError(Code.DATA_SCHEMA_OUTDATED, current=current or "-", head=head)


def prepared_engine() -> Engine:
    """The configured database with the newest schema. In local mode a database that does not
    exist yet is made first, in its private data folder, so that the first `rugwijzer log meal`
    just works; an existing database is never changed unasked (an old schema is an error that
    says to run `rugwijzer db upgrade`)."""
    settings = get_settings()
    if settings.mode == "local" and settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if current_revision(engine()) is None:
            upgrade(engine())
    require_current_schema(engine())
    return engine()


@lru_cache(maxsize=1)
def diary_service() -> Diary:
    """The diary services over the configured database and food data."""
    return open_diary(
        make_session_factory(prepared_engine()),
        configured_food_database(),
        example_catalogue=get_settings().mode == "local",
    )


@lru_cache(maxsize=1)
def report_service() -> ReportService:
    """The report service over the configured database, without the food database: a report
    reads the nutrient snapshots stored with each meal, so `rugwijzer report` does not load
    the foods (a third of a second)."""
    sessions = make_session_factory(prepared_engine())
    return ReportService(sessions, EffectService(sessions))


def account_service() -> AccountService:
    """The account service over the configured database (for operators' commands)."""
    settings = get_settings()
    return AccountService(
        make_session_factory(prepared_engine()),
        secret_key=settings.secret_key or "",
        session_days=settings.session_days,
        attempts_per_window=settings.login_attempts_per_window,
        window_minutes=settings.login_window_minutes,
        registrations_per_window=settings.registrations_per_window,
        registration_window_minutes=settings.registration_window_minutes,
        api_requests_per_minute=settings.api_requests_per_minute,
    )


def delete_user(diary: Diary, accounts: AccountService | None, user_id: int) -> int | None:
    """Delete a user's account (server mode: sessions, grants, login attempts) and diary.
    In local mode the implicit user is there again at once: its new id is returned."""
    if accounts is not None:
        accounts.delete_account(user_id)
    diary.portability.delete_everything(user_id)
    return diary.profiles.ensure_local_user() if accounts is None else None


def reset() -> None:
    """Forget this process's settings, engine and diary service (closing the engine's
    connections), so the next use reads the environment again. For tests and tools that
    change `RUGWIJZER_*` variables within one process."""
    if engine.cache_info().currsize:
        engine().dispose()
    engine.cache_clear()
    diary_service.cache_clear()
    report_service.cache_clear()
    get_settings.cache_clear()

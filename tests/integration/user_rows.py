"""Read what the database holds, table by table, without going through the services.

The authorization matrix compares snapshots before and after a request; the deletion tests check
that nothing of a deleted user is left. Both read the rows directly, so a service that filters
wrongly cannot hide what it did.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.sql.elements import ColumnElement

from rugwijzer.store.models import (
    AccessGrant,
    ApiRequestCount,
    Assessment,
    AuditEvent,
    Base,
    Change,
    CheckIn,
    LoginAttempt,
    MealEntry,
    MealItemRow,
    Profile,
    SessionToken,
    SupplementEntry,
    User,
)

__all__ = ["Rows", "everything", "others_rows", "owned_by"]

#: table name → its rows, each as sorted JSON of every column (comparable and readable in a diff)
Rows = dict[str, list[str]]


#: Rows per table of a user whose diary holds one of each entry: a profile, a meal of one food,
#: a supplement, a check-in, a change and a triage result.
ONE_OF_EACH = {
    "users": 1,
    "profiles": 1,
    "meal_entries": 1,
    "meal_items": 1,
    "supplement_entries": 1,
    "checkins": 1,
    "changes": 1,
    "assessments": 1,
}
#: Tables of the installation, not of any user (the aids catalogue).
INSTALLATION_TABLES = frozenset({"aid_products"})


def _row_text(mapping: Any) -> str:
    return json.dumps(dict(mapping), default=str, sort_keys=True)


def everything(engine: Engine) -> Rows:
    """Every row of every table of the models."""
    with engine.connect() as connection:
        return {
            table.name: sorted(
                _row_text(row._mapping) for row in connection.execute(_without_counters(table))
            )
            for table in Base.metadata.sorted_tables
            if table.name not in COUNTER_TABLES
        }


#: Rate-limit counters that requests write by themselves (services/accounts.py): a row per
#: registration (`register:…`) in `login_attempts`, and the per-user count of signed-in API
#: requests (table `api_request_counts`). They are bookkeeping, not anybody's data: a snapshot
#: leaves them out, so "reading writes nothing" still compares the data. Deleting an account
#: deletes the user's counters (tests/integration/test_rate_limits.py).
COUNTER_PREFIXES = ("register:",)
COUNTER_TABLES = ("api_request_counts",)


def _without_counters(table: Any) -> Any:
    query = select(table)
    if table.name == LoginAttempt.__tablename__:
        for prefix in COUNTER_PREFIXES:
            query = query.where(~table.c.key.startswith(prefix))
    return query


def _ownership(user_id: int, email: str, meal_ids: Iterable[int]) -> dict[str, Any]:
    """For each table, the condition that picks the rows belonging to (or naming) one user."""
    own_meals = select(MealEntry.id).where(MealEntry.user_id == user_id)
    return {
        "users": User.__table__.c.id == user_id,
        "profiles": Profile.__table__.c.user_id == user_id,
        "meal_entries": MealEntry.__table__.c.user_id == user_id,
        # Items have no user column: those of the user's meals, and of meals the caller knew
        # the user had (after a deletion the meals are gone, orphaned items must not be).
        "meal_items": or_(
            MealItemRow.__table__.c.meal_id.in_(own_meals),
            MealItemRow.__table__.c.meal_id.in_(list(meal_ids)),
        ),
        "supplement_entries": SupplementEntry.__table__.c.user_id == user_id,
        "checkins": CheckIn.__table__.c.user_id == user_id,
        "changes": Change.__table__.c.user_id == user_id,
        "assessments": Assessment.__table__.c.user_id == user_id,
        "sessions": SessionToken.__table__.c.user_id == user_id,
        # Grants both ways: the user's own, and those naming the user as practitioner.
        "access_grants": or_(
            AccessGrant.__table__.c.user_id == user_id,
            AccessGrant.__table__.c.practitioner_id == user_id,
        ),
        "login_attempts": LoginAttempt.__table__.c.key == f"email:{email}",
        "api_request_counts": ApiRequestCount.__table__.c.user_id == user_id,
        # The access audit: events about the user (their logins, role changes, reads of their
        # data) and events where they read someone else's data.
        "audit_events": or_(
            AuditEvent.__table__.c.subject_id == user_id,
            AuditEvent.__table__.c.actor_id == user_id,
        ),
    }


def owned_by(engine: Engine, user_id: int, email: str = "", meal_ids: Iterable[int] = ()) -> Rows:
    """The rows of every table that belong to one user (by id; login attempts by email)."""
    conditions = _ownership(user_id, email, meal_ids)
    missing = {t.name for t in Base.metadata.sorted_tables} - set(conditions) - INSTALLATION_TABLES
    assert not missing, f"say which rows of {sorted(missing)} belong to a user"
    with engine.connect() as connection:
        result: Rows = {}
        for table in Base.metadata.sorted_tables:
            if table.name in INSTALLATION_TABLES:
                continue
            condition: ColumnElement[bool] = conditions[table.name]
            rows = connection.execute(select(table).where(condition))
            result[table.name] = sorted(_row_text(row._mapping) for row in rows)
        return result


def others_rows(engine: Engine, user_id: int, email: str) -> Rows:
    """Every row that does not belong to (or name) this user."""
    mine = owned_by(engine, user_id, email)
    return {
        table: [row for row in rows if row not in set(mine.get(table, []))]
        for table, rows in everything(engine).items()
    }

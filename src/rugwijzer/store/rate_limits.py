"""The per-user API counter (table `api_request_counts`): one upsert per counted request."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import BigInteger, Table, bindparam, case
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from rugwijzer.store.models import ApiRequestCount

__all__ = ["count_api_request"]


def _upsert(dialect: str) -> Any:
    table = cast(Table, ApiRequestCount.__table__)
    upsert = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)
    minute = bindparam("minute", type_=BigInteger())
    return (
        upsert.values(user_id=bindparam("user_id"), minute=minute, requests=1)
        .on_conflict_do_update(
            index_elements=[table.c.user_id],
            set_={
                "minute": minute,
                "requests": case((table.c.minute == minute, table.c.requests + 1), else_=1),
            },
            where=(table.c.minute != minute) | (table.c.requests < bindparam("limit")),
        )
        .returning(table.c.requests)
    )


# Built once per dialect: constructing the statement costs more than running it.
_UPSERTS = {dialect: _upsert(dialect) for dialect in ("postgresql", "sqlite")}


def count_api_request(session: Session, user_id: int, minute: int, limit: int) -> int | None:
    """Count one request of the user in `minute` (minutes since the epoch): the requests of
    that minute so far, this one included; None, counting nothing, when the minute already
    holds `limit`. One statement: the user's row starts again at 1 in a new minute, and the
    update is skipped (no row returned) when the minute is full. Concurrent requests of the
    same user wait for each other on the row, so the count is exact across processes."""
    statement = _UPSERTS[session.get_bind().dialect.name]
    parameters = {"user_id": user_id, "minute": minute, "limit": limit}
    counted: int | None = session.execute(statement, parameters).scalar()
    return counted

"""The access audit (issue #16): who read whose data, and the accounts' logins and role changes.

A practitioner's read of a client is recorded right after the read and before the answer
leaves: if the audit row cannot be written, the read fails too (fail closed), so no client's
data is ever handed out without a trace. Logins and role changes are recorded inside the
transaction that makes them (`rugwijzer.services.accounts`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from rugwijzer.errors import DataError
from rugwijzer.messages import Code
from rugwijzer.services.diary_views import AccessRecord
from rugwijzer.services.views import View
from rugwijzer.store import audit
from rugwijzer.store.engine import transaction

__all__ = ["MAX_EVENTS", "AccountEventView", "AuditService"]

#: The most events one admin request returns (page on with `before`).
MAX_EVENTS = 1000

Result = TypeVar("Result")


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class AccountEventView(View):
    """A login, failed login or role change as admins see it. `email` is the account's (None
    for a failed login of an unknown address: what was typed is never kept); `detail` of a
    role change is "old>new"; `client` is the address the login came from."""

    id: int
    occurred_at: datetime
    event: str
    email: str | None
    detail: str | None
    client: str | None


class AuditService:
    """Record and read the access audit over a session factory."""

    def __init__(
        self, sessions: sessionmaker[Session], *, now: Callable[[], datetime] = _now
    ) -> None:
        self.sessions = sessions
        self.now = now

    def record_read(
        self, practitioner_id: int, client_id: int, resource: audit.ReadResource
    ) -> None:
        """Record that a practitioner read a client's `resource` (a code). Raises whatever
        the database raises: the caller must not hand the data out then."""
        with transaction(self.sessions) as session:
            audit.record(
                session,
                event="read",
                occurred_at=self.now(),
                actor_id=practitioner_id,
                subject_id=client_id,
                resource=resource,
            )

    def audited_read(
        self,
        practitioner_id: int,
        client_id: int,
        resource: audit.ReadResource,
        read: Callable[[], Result],
    ) -> Result:
        """Run `read` (the caller has checked the grant) and record it before returning its
        result. When the record cannot be written the read fails with a `DataError`
        (AUDIT_WRITE_FAILED, a 500 problem) and its result is dropped.

        A read is recorded at most once, even when the connection broke while its row was
        committed and the commit landed unheard: the DataError is answered inside the retry
        of lost reads (`rugwijzer.web.read_retry`), which therefore never runs such a read a
        second time. Keep it so: nothing that can lose a connection may follow the record."""
        result = read()
        try:
            self.record_read(practitioner_id, client_id, resource)
        except SQLAlchemyError as exc:
            raise DataError(Code.AUDIT_WRITE_FAILED) from exc
        return result

    def prune(self, retention_days: int) -> int:
        """Delete the events older than `retention_days` days (RUGWIJZER_AUDIT_RETENTION_DAYS,
        run by `rugwijzer db prune`): reads, logins and role changes alike; how many."""
        with transaction(self.sessions) as session:
            return audit.delete_before(session, self.now() - timedelta(days=retention_days))

    def access_log(self, user_id: int) -> list[AccessRecord]:
        """Who read this user's data, oldest first."""
        with transaction(self.sessions) as session:
            return access_records(session, user_id)

    def account_events(
        self, *, limit: int = 100, before_id: int | None = None
    ) -> list[AccountEventView]:
        """Logins, failed logins and role changes, newest first (for admins)."""
        limit = max(1, min(limit, MAX_EVENTS))
        with transaction(self.sessions) as session:
            rows = audit.account_events(session, limit=limit, before_id=before_id)
            return [
                AccountEventView(
                    id=row.id,
                    occurred_at=_aware(row.occurred_at),
                    event=row.event,
                    email=row.email,
                    detail=row.detail,
                    client=row.client,
                )
                for row in rows
            ]


def access_records(session: Session, user_id: int) -> list[AccessRecord]:
    """The user's access log inside an open session (the export reads it in its own
    transaction)."""
    return [
        AccessRecord(
            occurred_at=_aware(row.occurred_at),
            practitioner_email=row.email,
            resource=row.resource,
        )
        for row in audit.access_log(session, user_id)
    ]

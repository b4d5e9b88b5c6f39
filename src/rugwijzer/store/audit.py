"""The access audit's table: write one event, read a client's access log, read the admins' log.

Every function works inside the caller's session, so a service decides what shares a
transaction with what (a login and its audit row are one unit of work).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, aliased

from rugwijzer.store.models import AuditEvent, User

__all__ = [
    "ACCOUNT_EVENTS",
    "AUDIT_EVENTS",
    "READ_RESOURCES",
    "AuditEventKind",
    "ReadResource",
    "access_log",
    "account_events",
    "delete_about",
    "delete_before",
    "record",
]

#: The kinds of event (the table's check constraint holds the same list).
AuditEventKind = Literal["read", "login", "login_failed", "role_change"]
AUDIT_EVENTS: tuple[str, ...] = get_args(AuditEventKind)
#: What admins see: logins and role changes (not which client a practitioner read).
ACCOUNT_EVENTS = ("login", "login_failed", "role_change")
#: What a practitioner can read of a client: the export (JSON) and the report (PDF).
ReadResource = Literal["export", "report.pdf"]
READ_RESOURCES: tuple[str, ...] = get_args(ReadResource)


def record(
    session: Session,
    *,
    event: AuditEventKind,
    occurred_at: datetime,
    actor_id: int | None = None,
    subject_id: int | None = None,
    resource: str | None = None,
    detail: str | None = None,
    client: str | None = None,
) -> None:
    """Add one audit event to the session (written when the caller's transaction commits)."""
    session.add(
        AuditEvent(
            event=event,
            occurred_at=occurred_at,
            actor_id=actor_id,
            subject_id=subject_id,
            resource=resource,
            detail=detail,
            client=client[:300] if client else None,
        )
    )


def access_log(session: Session, subject_id: int) -> Sequence[Any]:
    """Who read this user's data: rows of (occurred_at, practitioner's email or None when the
    account is gone, resource), oldest first."""
    actor = aliased(User)
    return session.execute(
        select(AuditEvent.occurred_at, actor.email, AuditEvent.resource)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .where(AuditEvent.subject_id == subject_id, AuditEvent.event == "read")
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()


def account_events(session: Session, *, limit: int, before_id: int | None = None) -> Sequence[Any]:
    """Logins, failed logins and role changes, newest first: rows of (id, occurred_at, event,
    the account's email or None, detail, client)."""
    subject = aliased(User)
    query = (
        select(
            AuditEvent.id,
            AuditEvent.occurred_at,
            AuditEvent.event,
            subject.email,
            AuditEvent.detail,
            AuditEvent.client,
        )
        .outerjoin(subject, subject.id == AuditEvent.subject_id)
        .where(AuditEvent.event.in_(ACCOUNT_EVENTS))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return session.execute(query).all()


def delete_about(session: Session, subject_id: int) -> None:
    """Delete every event about this user (the database's cascade does the same; saying it
    here keeps a deletion explicit and independent of SQLite's foreign-key pragma)."""
    session.execute(delete(AuditEvent).where(AuditEvent.subject_id == subject_id))


def delete_before(session: Session, cutoff: datetime) -> int:
    """Delete every event that occurred before `cutoff` (the retention); how many."""
    deleted = session.execute(delete(AuditEvent).where(AuditEvent.occurred_at < cutoff))
    return int(getattr(deleted, "rowcount", 0) or 0)

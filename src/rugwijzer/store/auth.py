"""The session check every signed-in request makes: one prepared-once statement."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from rugwijzer.store.models import SessionToken, User

__all__ = ["SessionUser", "session_user"]


class SessionUser(NamedTuple):
    """A stored session and the role of its user."""

    user_id: int
    revoked: bool
    expires_at: datetime
    role: str


# Built once: constructing a statement costs more than running the cached compiled form.
_SESSION_USER = (
    select(SessionToken.user_id, SessionToken.revoked, SessionToken.expires_at, User.role)
    .join(User, User.id == SessionToken.user_id)
    .where(SessionToken.token_hash == bindparam("token_hash"))
)


def session_user(session: Session, token_hash: str) -> SessionUser | None:
    """The session with this token hash and its user's role (one round trip), or None."""
    found = session.execute(_SESSION_USER, {"token_hash": token_hash}).first()
    return None if found is None else SessionUser(*found)

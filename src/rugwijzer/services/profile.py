"""Users and their profile: what a person tells about themselves, validated once.

`ProfileInput` is the one validation of profile fields. The API takes it as the body of
PUT /me/profile, the web's forms and `rugwijzer profile set` give it their values, and the
one-off checks (`CheckProfileInput`: an age instead of a year of birth) read their JSON profile
with it. Every error is a code with parameters (`Code.PROFILE_…`), also when Pydantic reports
it (the error's type is the code, its context the parameters).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session, sessionmaker

from rugwijzer.services.diary_views import ProfileView, profile_view
from rugwijzer.services.profile_input import (
    EARLIEST_BIRTH_YEAR,
    LOCAL_USER_ID,
    CheckProfileInput,
    ProfileInput,
    age_on,
)
from rugwijzer.store import queries
from rugwijzer.store.engine import transaction
from rugwijzer.store.models import Profile, User

__all__ = [
    "EARLIEST_BIRTH_YEAR",
    "LOCAL_USER_ID",
    "CheckProfileInput",
    "DiaryPart",
    "ProfileInput",
    "ProfileService",
    "age_on",
]


# Profile columns that are never NULL: a None for them leaves the stored value as it is.
_NOT_NULL = frozenset(
    {
        "pregnant",
        "lactating",
        "kidney_disease",
        "heart_rhythm_problems",
        "medicines",
        "diet_exclusions",
        "language",
    }
)


class DiaryPart:
    """What every diary service has: the session factory and the clock."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.sessions = sessions
        self.today = today
        self.now = now or (lambda: datetime.now().astimezone())


class ProfileService(DiaryPart):
    """Users and their profile."""

    def ensure_local_user(self) -> int:
        """The one implicit user of local mode (created on first use)."""
        with transaction(self.sessions) as session:
            if session.get(User, LOCAL_USER_ID) is None:
                session.add(User(id=LOCAL_USER_ID, role="user"))
                session.flush()
                if session.get_bind().dialect.name == "postgresql":
                    # An explicit id does not move PostgreSQL's id sequence; move it past the
                    # local user so that accounts created later in this database get a free id.
                    session.execute(
                        sql_text(
                            "SELECT setval(pg_get_serial_sequence('users', 'id'),"
                            " (SELECT max(id) FROM users))"
                        )
                    )
        return LOCAL_USER_ID

    def create_user(self, *, email: str | None = None, role: str = "user") -> int:
        """A new user (server mode)."""
        with transaction(self.sessions) as session:
            user = User(email=email, role=role)
            session.add(user)
            session.flush()
            return user.id

    def set_profile(
        self,
        user_id: int,
        values: ProfileInput | Mapping[str, Any],
        *,
        needed: tuple[str, ...] = (),
    ) -> ProfileView:
        """Create or update the profile with the fields given (`needed` must be among them);
        unknown fields and impossible values are errors, and nothing changes."""
        given = values.given() if isinstance(values, ProfileInput) else values
        changes = ProfileInput.parse(given, today=self.today(), needed=needed).given()
        with transaction(self.sessions) as session:
            user = queries.user(session, user_id)
            profile = user.profile or Profile(user_id=user_id)
            stored = profile_view(profile).model_dump() if user.profile else {"sex": None}
            # The whole profile after the change must hold together (pregnancy and sex).
            ProfileInput.parse({**stored, **changes}, today=self.today())
            for key, value in changes.items():
                if value is not None or key not in _NOT_NULL:
                    setattr(profile, key, value)
            session.add(profile)
            session.flush()
            return profile_view(profile)

    def profile(self, user_id: int) -> ProfileView | None:
        """The profile, or None when not set."""
        with transaction(self.sessions) as session:
            profile = queries.user(session, user_id).profile
            return profile_view(profile) if profile else None

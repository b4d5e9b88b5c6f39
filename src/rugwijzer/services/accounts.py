"""Accounts for server mode: registration, argon2id passwords, session tokens, rate-limited
login, registration and API use, password change, practitioner access grants, and the
access audit of all of these (`rugwijzer.services.audit`).

Everything lives in the database, so two or more app processes behind a proxy agree on who is
logged in and how many attempts were made. Login and registration attempts share the table
`login_attempts`, told apart by the key's prefix:

* `email:…`, `client:…`: failed logins (per email, per client address);
* `register:email:<hash>`, `register:client:…`: registrations, every attempt (the email as a
  keyed hash: an address someone typed need not belong to anyone with an account).

Rows outside every window count for nothing. Anyone on the internet can add them (a new
address or client makes new keys), so the logins and registrations prune them themselves,
every `ATTEMPT_PRUNE_EVERY`-th row, and the table stays about as large as the windows need
without an operator's cron job (`prune_attempts`, also run by `rugwijzer db prune`).

API requests of a signed-in user are counted per clock minute in `api_request_counts`, one row
per user (`rugwijzer.store.rate_limits`).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from rugwijzer.errors import (
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    RateLimitedError,
)
from rugwijzer.messages import Code
from rugwijzer.services.audit import AuditService
from rugwijzer.services.views import AccountView, ClientView, GrantView
from rugwijzer.store import audit, auth, rate_limits
from rugwijzer.store.engine import transaction
from rugwijzer.store.models import (
    AccessGrant,
    ApiRequestCount,
    AuditEvent,
    LoginAttempt,
    SessionToken,
    User,
)

__all__ = ["ATTEMPT_PRUNE_EVERY", "AccountService"]

#: What an account may be (the database checks the same list).
ROLES = ("user", "practitioner", "admin")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")
# argon2id with the library's defaults (RFC 9106 low-memory profile).
_HASHER = PasswordHasher()
#: Every so many login or registration attempts (by row id), the attempts that have left the
#: largest window are deleted.
ATTEMPT_PRUNE_EVERY = 128

Result = TypeVar("Result")

_log = logging.getLogger(__name__)


@cache
def _dummy_hash() -> str:
    """Verifying against this when the email is unknown keeps the timing the same. Made on
    first use, not on import: hashing takes about 0.2 s that every CLI command would pay."""
    return _HASHER.hash("not a real password")


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class AccountService:
    """Use cases of accounts over a session factory."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        secret_key: str,
        session_days: int = 14,
        attempts_per_window: int = 5,
        window_minutes: int = 15,
        registrations_per_window: int = 10,
        registration_window_minutes: int = 60,
        api_requests_per_minute: int = 0,
        now: Callable[[], datetime] = _now,
    ) -> None:
        self.sessions = sessions
        self._pepper = secret_key.encode()
        self.session_days = session_days
        self.attempts_per_window = attempts_per_window
        self.window = timedelta(minutes=window_minutes)
        self.registrations_per_window = registrations_per_window
        self.registration_window = timedelta(minutes=registration_window_minutes)
        self.api_requests_per_minute = api_requests_per_minute  # 0: no limit
        self.now = now
        #: The access audit over the same database and clock.
        self.audit = AuditService(sessions, now=now)

    def _token_hash(self, token: str) -> str:
        return hashlib.sha256(self._pepper + token.encode()).hexdigest()

    @staticmethod
    def _email(email: str) -> str:
        email = email.strip().lower()
        if not _EMAIL.match(email):
            raise InvalidInputError(Code.ACCOUNT_EMAIL_INVALID)
        return email

    @staticmethod
    def _password(password: str) -> str:
        if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
            raise InvalidInputError(
                Code.ACCOUNT_PASSWORD_LENGTH,
                minimum=MIN_PASSWORD_LENGTH,
                maximum=MAX_PASSWORD_LENGTH,
            )
        return password

    def register(self, email: str, password: str, *, role: str = "user") -> int:
        """A new account; the email must not be taken. For operators (`rugwijzer accounts create`)
        and tests: it says when an address is taken. The public shells use
        `request_registration`, which does not."""
        address = self._email(email)
        hashed = _HASHER.hash(self._password(password))
        if role not in ROLES:
            raise InvalidInputError(Code.ACCOUNT_ROLE_UNKNOWN, role=role)
        with transaction(self.sessions) as session:
            if session.scalar(select(User.id).where(User.email == address)) is not None:
                raise InvalidInputError(Code.ACCOUNT_EXISTS)
            user = User(email=address, password_hash=hashed, role=role)
            session.add(user)
            session.flush()
            return user.id

    def _registration_key(self, address: str) -> str:
        return "register:email:" + hashlib.sha256(self._pepper + address.encode()).hexdigest()

    def request_registration(self, email: str, password: str, *, client: str = "unknown") -> None:
        """Registration as the public sees it (the API and the register page): an account for
        a new address, and for an address that has one already nothing at all, with the same
        answer either way, so nobody learns from it who has an account here. (Rugwijzer sends
        no mail; an installation that does would tell the address's owner here.)

        Refused with `RateLimitedError` after `registrations_per_window` attempts per client
        address or per email address within the window; a bad address or password is an
        `InvalidInputError`, for new and existing addresses alike."""
        address = self._email(email)
        hashed = _HASHER.hash(self._password(password))  # also for a taken address: same time
        keys = [self._registration_key(address), f"register:client:{client[:300]}"]
        with transaction(self.sessions) as session:
            since = self.now() - self.registration_window
            for key in keys:
                if self._count(session, key, since) >= self.registrations_per_window:
                    raise RateLimitedError(
                        int(self.registration_window.total_seconds()),
                        Code.REGISTRATION_RATE_LIMITED,
                    )
            moment = self.now()
            attempts = [LoginAttempt(key=key, attempted_at=moment, succeeded=False) for key in keys]
            session.add_all(attempts)
            session.flush()
        self._maybe_prune_attempts(attempts)
        try:
            with transaction(self.sessions) as session:
                if session.scalar(select(User.id).where(User.email == address)) is None:
                    session.add(User(email=address, password_hash=hashed, role="user"))
        except InvalidInputError as exc:
            # the unique email: the same address registered at the same moment by another
            # process (transaction() turns the IntegrityError into this). It has an account.
            if exc.message.code is not Code.DATA_RULE_BROKEN:
                raise

    @staticmethod
    def _count(session: Session, key: str, since: datetime, *, failures_only: bool = False) -> int:
        """Attempts under `key` since `since` (only the failed ones if `failures_only`)."""
        query = (
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.key == key, LoginAttempt.attempted_at >= since)
        )
        if failures_only:
            query = query.where(LoginAttempt.succeeded.is_(False))
        return session.scalar(query) or 0

    @property
    def attempts_kept_for(self) -> timedelta:
        """How long a login or registration attempt counts: the largest window of the two."""
        return max(self.window, self.registration_window)

    def prune_attempts(self) -> int:
        """Delete the login and registration attempts that have left the largest window; how
        many were deleted."""
        cutoff = self.now() - self.attempts_kept_for
        with transaction(self.sessions) as session:
            deleted = session.execute(
                delete(LoginAttempt).where(LoginAttempt.attempted_at < cutoff)
            )
            return int(getattr(deleted, "rowcount", 0) or 0)

    def _maybe_prune_attempts(self, attempts: list[LoginAttempt]) -> None:
        """Prune after every `ATTEMPT_PRUNE_EVERY`-th attempt row, in a transaction of its own
        after the attempt's (no lock held longer than it takes). Housekeeping that fails is
        logged and does not fail the login: the next prune takes the rows along."""
        if not any(attempt.id % ATTEMPT_PRUNE_EVERY == 0 for attempt in attempts):
            return
        try:
            self.prune_attempts()
        except SQLAlchemyError as exc:
            _log.warning("pruning old login attempts failed (%s)", type(exc).__name__)

    def _count_api_request(self, session: Session, user_id: int) -> None:
        """Count one API request of the user in this minute, or refuse it (`RateLimitedError`,
        retry when the next minute starts) when the minute holds the limit already; a refused
        request is not counted. One statement: an upsert of the user's counter row, which
        starts again at 1 in a new minute, and which changes nothing (returns no row) when the
        minute is full. Whole minutes let a client send up to twice the limit across a
        minute's turn: the limit is a brake on runaway clients, not an exact quota."""
        moment = self.now()
        minute = int(moment.timestamp() // 60)
        counted = rate_limits.count_api_request(
            session, user_id, minute, self.api_requests_per_minute
        )
        if counted is None:
            wait_s = 60 - moment.timestamp() % 60
            raise RateLimitedError(math.ceil(wait_s), Code.API_RATE_LIMITED, in_seconds=True)

    def account(self, user_id: int) -> AccountView:
        """The account's email and role."""
        with transaction(self.sessions) as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFoundError(Code.ACCOUNT_USER_NOT_FOUND, user_id=str(user_id))
            return AccountView(user_id=user.id, email=user.email, role=user.role)

    def set_role(self, email: str, role: str) -> int:
        """Give an existing account another role (an operator's task, e.g. practitioner)."""
        if role not in ROLES:
            raise InvalidInputError(Code.ACCOUNT_ROLE_UNKNOWN, role=role)
        address = self._email(email)
        with transaction(self.sessions) as session:
            user = session.scalar(select(User).where(User.email == address))
            if user is None:
                raise NotFoundError(Code.ACCOUNT_EMAIL_NOT_FOUND, email=address)
            if user.role != role:  # the audit: an operator's command, so no actor account
                audit.record(
                    session,
                    event="role_change",
                    occurred_at=self.now(),
                    subject_id=user.id,
                    detail=f"{user.role}>{role}",
                )
            user.role = role
            return user.id

    def _check_rate(self, session: Session, keys: list[str]) -> None:
        since = self.now() - self.window
        for key in keys:
            if self._count(session, key, since, failures_only=True) >= self.attempts_per_window:
                raise RateLimitedError(int(self.window.total_seconds()))

    def login(self, email: str, password: str, *, client: str = "unknown") -> tuple[str, int]:
        """A new session token for valid credentials (→ token, user id). Failed attempts are
        counted per email and per client; over the limit every attempt is refused."""
        address = email.strip().lower()[:320]
        keys = [f"email:{address}", f"client:{client[:300]}"]
        with transaction(self.sessions) as session:
            self._check_rate(session, keys)
        with transaction(self.sessions) as session:
            user = session.scalar(select(User).where(User.email == address))
            stored = user.password_hash if user and user.password_hash else _dummy_hash()
            try:
                _HASHER.verify(stored, password[:MAX_PASSWORD_LENGTH])
                valid = user is not None and user.password_hash is not None
            except (VerificationError, InvalidHashError):
                valid = False
            moment = self.now()
            attempts = [LoginAttempt(key=key, attempted_at=moment, succeeded=valid) for key in keys]
            session.add_all(attempts)
            session.flush()
            # The audit, in the same transaction: never the password or the token, and for an
            # unknown address nothing of what was typed (it may be a password in the wrong box).
            audit.record(
                session,
                event="login" if valid else "login_failed",
                occurred_at=moment,
                subject_id=user.id if user is not None else None,
                client=client,
            )
            if not valid or user is None:
                failed = True
            else:
                failed = False
                token = secrets.token_urlsafe(32)
                session.add(
                    SessionToken(
                        user_id=user.id,
                        token_hash=self._token_hash(token),
                        created_at=moment,
                        expires_at=moment + timedelta(days=self.session_days),
                    )
                )
                user_id = user.id
        self._maybe_prune_attempts(attempts)
        if failed:
            raise AuthenticationError(Code.ACCOUNT_WRONG_CREDENTIALS)
        return token, user_id

    def authenticate(self, token: str, *, count_api_request: bool = False) -> tuple[int, str]:
        """The user id and role of a valid session token. With `count_api_request`, the call
        is one API request of the user, counted against `api_requests_per_minute` right after
        the check (`RateLimitedError` over the limit)."""
        # a read and at most one upsert: no BEGIN and COMMIT needed around them
        with transaction(self.sessions, autocommit=True) as session:
            found = auth.session_user(session, self._token_hash(token))
            if found is None or found.revoked or _aware(found.expires_at) <= self.now():
                raise AuthenticationError(Code.ACCOUNT_SESSION_EXPIRED)
            if count_api_request and self.api_requests_per_minute:
                self._count_api_request(session, found.user_id)
            return found.user_id, found.role

    def logout(self, token: str) -> None:
        """End one session."""
        with transaction(self.sessions) as session:
            row = session.scalar(
                select(SessionToken).where(SessionToken.token_hash == self._token_hash(token))
            )
            if row is not None:
                row.revoked = True

    def change_password(
        self, user_id: int, current: str, new: str, *, keep_token: str | None = None
    ) -> None:
        """Change the password; every other session of the user ends."""
        self._password(new)
        with transaction(self.sessions) as session:
            user = session.get(User, user_id)
            if user is None or user.password_hash is None:
                raise AuthenticationError(Code.ACCOUNT_NOT_LOGGED_IN)
            try:
                _HASHER.verify(user.password_hash, current[:MAX_PASSWORD_LENGTH])
            except (VerificationError, InvalidHashError) as exc:
                raise AuthenticationError(Code.ACCOUNT_WRONG_PASSWORD) from exc
            user.password_hash = _HASHER.hash(new)
            keep = self._token_hash(keep_token) if keep_token else None
            for row in session.scalars(select(SessionToken).where(SessionToken.user_id == user_id)):
                if row.token_hash != keep:
                    row.revoked = True

    # practitioner access -------------------------------------------------------------------------

    def grant(self, user_id: int, practitioner_email: str) -> GrantView:
        """Let a practitioner see this user's diary."""
        address = self._email(practitioner_email)
        with transaction(self.sessions) as session:
            practitioner = session.scalar(select(User).where(User.email == address))
            if (
                practitioner is None
                or practitioner.role != "practitioner"
                or practitioner.id == user_id
            ):
                raise NotFoundError(Code.ACCOUNT_NO_PRACTITIONER)
            existing = session.scalar(
                select(AccessGrant).where(
                    AccessGrant.user_id == user_id,
                    AccessGrant.practitioner_id == practitioner.id,
                    AccessGrant.revoked_at.is_(None),
                )
            )
            grant = existing or AccessGrant(user_id=user_id, practitioner_id=practitioner.id)
            session.add(grant)
            session.flush()
            return GrantView(id=grant.id, practitioner_email=address, revoked=False)

    def grants(self, user_id: int) -> list[GrantView]:
        """The user's active grants."""
        with transaction(self.sessions) as session:
            rows = session.execute(
                select(AccessGrant.id, User.email)
                .join(User, User.id == AccessGrant.practitioner_id)
                .where(AccessGrant.user_id == user_id, AccessGrant.revoked_at.is_(None))
                .order_by(AccessGrant.id)
            ).all()
            return [
                GrantView(id=gid, practitioner_email=email, revoked=False) for gid, email in rows
            ]

    def revoke(self, user_id: int, grant_id: int) -> None:
        """End a grant; another user's grant id is "not found"."""
        with transaction(self.sessions) as session:
            grant = session.get(AccessGrant, grant_id)
            if grant is None or grant.user_id != user_id or grant.revoked_at is not None:
                raise NotFoundError(Code.ACCOUNT_GRANT_NOT_FOUND, grant_id=str(grant_id))
            grant.revoked_at = self.now()

    def clients(self, practitioner_id: int) -> list[ClientView]:
        """Users who granted this practitioner access."""
        with transaction(self.sessions) as session:
            rows = session.execute(
                select(User.id, User.email)
                .join(AccessGrant, AccessGrant.user_id == User.id)
                .where(
                    AccessGrant.practitioner_id == practitioner_id, AccessGrant.revoked_at.is_(None)
                )
                .order_by(User.id)
            ).all()
            return [ClientView(user_id=uid, email=email) for uid, email in rows]

    def require_access(self, practitioner_id: int, user_id: int) -> None:
        """Raise `NotFoundError` unless the user granted this practitioner access (a missing
        grant looks exactly like a missing user)."""
        with transaction(self.sessions) as session:
            found = session.scalar(
                select(AccessGrant.id).where(
                    AccessGrant.user_id == user_id,
                    AccessGrant.practitioner_id == practitioner_id,
                    AccessGrant.revoked_at.is_(None),
                )
            )
            if found is None:
                raise NotFoundError(Code.ACCOUNT_USER_NOT_FOUND, user_id=str(user_id))

    def read_client(
        self,
        practitioner_id: int,
        client_id: int,
        resource: audit.ReadResource,
        read: Callable[[], Result],
    ) -> Result:
        """A practitioner's read of a client's data: the grant is checked (404 without it),
        `read` runs, and the read is recorded in the access audit before its result is
        returned. A failed audit write fails the read (`AuditService.audited_read`)."""
        self.require_access(practitioner_id, client_id)
        return self.audit.audited_read(practitioner_id, client_id, resource, read)

    def delete_account(self, user_id: int) -> None:
        """Remove sessions, grants and login attempts (the diary service removes the rest)."""
        with transaction(self.sessions) as session:
            user = session.get(User, user_id)
            if user is not None and user.email:
                keys = [f"email:{user.email}", self._registration_key(user.email)]
                session.execute(delete(LoginAttempt).where(LoginAttempt.key.in_(keys)))
            session.execute(delete(ApiRequestCount).where(ApiRequestCount.user_id == user_id))
            session.execute(delete(SessionToken).where(SessionToken.user_id == user_id))
            # The audit: events about the user go with them; events where they read someone
            # else's data stay in that person's log, without a name (the account is gone).
            audit.delete_about(session, user_id)
            session.execute(
                update(AuditEvent).where(AuditEvent.actor_id == user_id).values(actor_id=None)
            )
            session.execute(
                delete(AccessGrant).where(
                    (AccessGrant.user_id == user_id) | (AccessGrant.practitioner_id == user_id)
                )
            )

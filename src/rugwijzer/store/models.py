"""Database tables. Names say what a row is; numeric columns carry their unit in the name.

Meal items keep a snapshot of the nutrient values they were computed with (and the dataset they
came from), so a later food-data update never rewrites a user's history.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "AccessGrant",
    "AidProduct",
    "ApiRequestCount",
    "Assessment",
    "AuditEvent",
    "Base",
    "Change",
    "CheckIn",
    "LoginAttempt",
    "MealEntry",
    "MealItemRow",
    "Profile",
    "SessionToken",
    "SupplementEntry",
    "User",
]

NOTE_MAX_CHARACTERS = 2000


class Base(DeclarativeBase):
    """Base of all tables. Every constraint gets a predictable name, which SQLite's batch
    migrations need to alter it later."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    """A person whose diary this is (local mode has exactly one)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="user")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    profile: Mapped[Profile | None] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("role in ('user', 'practitioner', 'admin')", name="role_known"),
    )


class Profile(Base):
    """What the targets and safety checks need to know about a user."""

    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    birth_year: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(10))
    pregnant: Mapped[bool] = mapped_column(Boolean, default=False)
    lactating: Mapped[bool] = mapped_column(Boolean, default=False)
    kidney_disease: Mapped[bool] = mapped_column(Boolean, default=False)
    heart_rhythm_problems: Mapped[bool] = mapped_column(Boolean, default=False)
    medicines: Mapped[list[Any]] = mapped_column(JSON, default=list)
    diet_exclusions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(2), default="nl")
    reference: Mapped[str | None] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    user: Mapped[User] = relationship(back_populates="profile")

    __table_args__ = (
        CheckConstraint("sex is null or sex in ('female', 'male')", name="sex_known"),
        CheckConstraint(
            "birth_year is null or birth_year between 1890 and 2100", name="birth_year_range"
        ),
        CheckConstraint("language in ('nl', 'en')", name="language_known"),
    )


class MealEntry(Base):
    """A meal as the user wrote it, on a day."""

    __tablename__ = "meal_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    eaten_on: Mapped[date] = mapped_column(Date, index=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(2))
    #: words not understood: [{"text": …, "reason": a message as JSON}, …]
    unparsed: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    items: Mapped[list[MealItemRow]] = relationship(
        back_populates="meal", cascade="all, delete-orphan", order_by="MealItemRow.position"
    )


class MealItemRow(Base):
    """One understood item of a meal, with the nutrient values used at the time."""

    __tablename__ = "meal_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meal_id: Mapped[int] = mapped_column(
        ForeignKey("meal_entries.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    food_id: Mapped[str] = mapped_column(String(40))
    food_name_en: Mapped[str] = mapped_column(String(300))
    food_name_nl: Mapped[str | None] = mapped_column(String(300))
    dataset: Mapped[str] = mapped_column(String(60))
    grams: Mapped[float] = mapped_column(Float)
    #: how the grams were found: a message as JSON (`Message.to_json()`), never a sentence
    grams_derivation: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: nutrient key → amount for these grams (missing nutrients are absent, never 0)
    nutrients: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: other foods that fit the words as well: [{"food_id", "name_en", "name_nl"}, …]
    alternatives: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default="[]"
    )

    meal: Mapped[MealEntry] = relationship(back_populates="items")

    __table_args__ = (CheckConstraint("grams > 0", name="grams_positive"),)


class SupplementEntry(Base):
    """A supplement taken on a day, with its elemental magnesium."""

    __tablename__ = "supplement_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    taken_on: Mapped[date] = mapped_column(Date, index=True)
    name: Mapped[str] = mapped_column(String(200))
    form_key: Mapped[str | None] = mapped_column(String(60))
    compound_mg: Mapped[float | None] = mapped_column(Float)
    elemental_mg: Mapped[float] = mapped_column(Float)
    servings: Mapped[float] = mapped_column(Float, default=1.0)
    how: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint("elemental_mg > 0 and elemental_mg <= 5000", name="elemental_mg_range"),
        CheckConstraint("servings > 0", name="servings_positive"),
    )


class CheckIn(Base):
    """How the day went: one per user per day."""

    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    pain: Mapped[int | None] = mapped_column(Integer)
    pain_locations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    stress: Mapped[int | None] = mapped_column(Integer)
    sleep_quality: Mapped[int | None] = mapped_column(Integer)
    cramps: Mapped[bool | None] = mapped_column(Boolean)
    stiffness: Mapped[int | None] = mapped_column(Integer)
    minutes_active: Mapped[int | None] = mapped_column(Integer)
    aid_worn: Mapped[str | None] = mapped_column(String(200))
    #: The catalogue category of the aid used that day (domain.aids.CATEGORIES), if any.
    aid_category: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    __table_args__ = (
        UniqueConstraint("user_id", "day", name="one_checkin_a_day"),
        CheckConstraint("pain is null or pain between 0 and 10", name="pain_range"),
        CheckConstraint("stress is null or stress between 0 and 10", name="stress_range"),
        CheckConstraint(
            "sleep_quality is null or sleep_quality between 0 and 10", name="sleep_range"
        ),
        CheckConstraint("stiffness is null or stiffness between 0 and 10", name="stiffness_range"),
        CheckConstraint(
            "minutes_active is null or minutes_active between 0 and 1440", name="minutes_range"
        ),
    )


class Change(Base):
    """Something the user changed (started magnesium, a new chair), with dates."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    #: When the change is starting an aid: its catalogue category (domain.aids.CATEGORIES).
    aid_category: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (
        CheckConstraint("ended_on is null or ended_on >= started_on", name="ends_after_start"),
    )


class Assessment(Base):
    """A stored triage or deficiency-screen result with the answers it came from."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    #: When the user confirmed having read a red flag (it then leaves the top of the pages).
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (CheckConstraint("kind in ('triage', 'screen')", name="kind_known"),)


class SessionToken(Base):
    """A login session (server mode). Only a hash of the token is stored."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginAttempt(Base):
    """A login attempt, for rate limiting across app processes (the database is shared)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400), index=True)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)


class ApiRequestCount(Base):
    """A user's signed-in API requests in the current minute, for the per-user API limit that
    every app process shares: one row per user, started again at each new minute. On
    PostgreSQL the table is UNLOGGED (migration 0008): counting a request then writes no WAL
    and waits for no disk flush, and a crash forgets the counts, which only lets a few more
    requests through."""

    __tablename__ = "api_request_counts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: Minutes since 1970-01-01 00:00 UTC: the minute the requests were counted in.
    minute: Mapped[int] = mapped_column(BigInteger)
    requests: Mapped[int] = mapped_column(Integer)


class AccessGrant(Base):
    """A user lets a practitioner see their diary, until they revoke it."""

    __tablename__ = "access_grants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    practitioner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (CheckConstraint("user_id <> practitioner_id", name="not_self"),)


class AidProduct(Base):
    """A product of the ergonomic-aids catalogue that a shop or clinic configures (one
    catalogue per installation; `example` marks the sample that ships for local mode)."""

    __tablename__ = "aid_products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40), index=True)
    price_eur: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    __table_args__ = (CheckConstraint("price_eur >= 0", name="price_not_negative"),)


class AuditEvent(Base):
    """Who did what to whose account, for the access audit (issue #16).

    `event` is one of `AUDIT_EVENTS`. A practitioner's read of a client's data is a "read" with
    the practitioner as actor, the client as subject and a resource code ("export",
    "report.pdf"); a login names its account as subject (a failed login only when the email
    belongs to an account: a typed unknown address, perhaps a password in the wrong field, is
    never stored); a role change names the account and "old>new" as detail. Rows go with their
    subject (a client's "delete everything"); a deleted actor leaves the row with no actor.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    event: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    resource: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(String(60))
    #: The client address of a login (what the login rate limit counts per client).
    client: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (
        CheckConstraint(
            "event in ('read', 'login', 'login_failed', 'role_change')", name="event_known"
        ),
    )

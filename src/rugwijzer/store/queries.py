"""The diary's queries, each filtered by the user whose rows they read.

Every read of a user's rows goes through here, so the filter that keeps users apart is written
once per query and not again in each service. A row of another user is "not found", exactly
like a row that does not exist (nobody learns which ids are taken).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar, cast

from sqlalchemy import (
    Date,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    delete,
    exists,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.interfaces import ORMOption
from sqlalchemy.sql.elements import BindParameter

from rugwijzer.errors import NotFoundError
from rugwijzer.messages import Code
from rugwijzer.store.models import (
    Assessment,
    Change,
    CheckIn,
    MealEntry,
    MealItemRow,
    SupplementEntry,
    User,
)

__all__ = [
    "ENTRY_MODELS",
    "add_meal",
    "aids_in_checkins",
    "assessments_until",
    "changes_about_aid",
    "changes_until",
    "checkin_on",
    "checkins_between",
    "delete_entries",
    "food_ids_between",
    "has_entries",
    "latest_triage",
    "meals_between",
    "meals_on",
    "owned",
    "owned_rows",
    "page",
    "supplements_between",
    "user",
]

#: Every table of diary entries, in the order an export lists them.
ENTRY_MODELS: tuple[type[Any], ...] = (MealEntry, SupplementEntry, CheckIn, Change, Assessment)

_NOT_FOUND = {
    MealEntry: Code.ENTRY_MEAL_NOT_FOUND,
    SupplementEntry: Code.ENTRY_SUPPLEMENT_NOT_FOUND,
    CheckIn: Code.ENTRY_CHECKIN_NOT_FOUND,
    Change: Code.ENTRY_CHANGE_NOT_FOUND,
    Assessment: Code.ENTRY_ASSESSMENT_NOT_FOUND,
}

Row = TypeVar("Row", MealEntry, SupplementEntry, CheckIn, Change, Assessment)


def user(session: Session, user_id: int, *options: ORMOption) -> User:
    """The user, or `NotFoundError`."""
    found = session.get(User, user_id, options=options)
    if found is None:
        raise NotFoundError(Code.PROFILE_USER_NOT_FOUND, user_id=str(user_id))
    return found


def _add_meal() -> Any:
    meals = cast(Table, MealEntry.__table__)
    values = select(
        bindparam("user_id", type_=Integer()),
        bindparam("eaten_on", type_=Date()),
        bindparam("text", type_=Text()),
        bindparam("language", type_=String(2)),
        bindparam("unparsed", type_=meals.c.unparsed.type),
    ).where(exists().where(User.__table__.c.id == bindparam("user_id")))
    columns = ["user_id", "eaten_on", "text", "language", "unparsed"]
    return insert(meals).from_select(columns, values).returning(meals.c.id)


# Built once: logging a meal is the most frequent write, and constructing a statement costs
# more than running its cached compiled form.
_ADD_MEAL = _add_meal()
_ADD_ITEMS = insert(cast(Table, MealItemRow.__table__))


def add_meal(
    session: Session,
    user_id: int,
    *,
    eaten_on: date,
    text: str,
    language: str | None,
    unparsed: list[dict[str, Any]],
    items: Sequence[dict[str, Any]],
) -> int:
    """Store a meal and its items (column values, `position` included); the meal's id. Two
    statements, without loading the user: the meal row is inserted only if the user exists,
    else `NotFoundError` (an account deleted a moment ago), and the items go in one batch."""
    parameters = {
        "user_id": user_id,
        "eaten_on": eaten_on,
        "text": text,
        "language": language,
        "unparsed": unparsed,
    }
    meal_id: int | None = session.execute(_ADD_MEAL, parameters).scalar()
    if meal_id is None:
        raise NotFoundError(Code.PROFILE_USER_NOT_FOUND, user_id=str(user_id))
    session.execute(_ADD_ITEMS, [{**item, "meal_id": meal_id} for item in items])
    return meal_id


def owned(
    session: Session, model: type[Row], entry_id: int, user_id: int, *options: ORMOption
) -> Row:
    """One entry of the user by its id; another user's entry is `NotFoundError` too."""
    row = session.get(model, entry_id, options=options)
    if row is None or row.user_id != user_id:
        raise NotFoundError(_NOT_FOUND[model], entry_id=str(entry_id))
    return row


# The reads every day view makes (the day summary, Today), built once with bind parameters:
# constructing a statement costs more than running its cached compiled form.
_START: BindParameter[date] = bindparam("start", type_=Date())
_END: BindParameter[date] = bindparam("end", type_=Date())
_USER: BindParameter[int] = bindparam("user_id", type_=Integer())
_MEALS_BETWEEN = (
    select(MealEntry)
    .options(selectinload(MealEntry.items))
    .where(MealEntry.user_id == _USER, MealEntry.eaten_on >= _START, MealEntry.eaten_on <= _END)
    .order_by(MealEntry.eaten_on, MealEntry.id)
)
# One day's meals are few: their items come in the same query (a join), not a second one.
_MEALS_ON = (
    select(MealEntry)
    .options(joinedload(MealEntry.items))
    .where(MealEntry.user_id == _USER, MealEntry.eaten_on == bindparam("day", type_=Date()))
    .order_by(MealEntry.id)
)
_SUPPLEMENTS_BETWEEN = (
    select(SupplementEntry)
    .where(
        SupplementEntry.user_id == _USER,
        SupplementEntry.taken_on >= _START,
        SupplementEntry.taken_on <= _END,
    )
    .order_by(SupplementEntry.taken_on, SupplementEntry.id)
)
_CHECKIN_ON = select(CheckIn).where(CheckIn.user_id == _USER, CheckIn.day == bindparam("day"))
_LATEST_TRIAGE = (
    select(Assessment)
    .where(Assessment.user_id == _USER, Assessment.kind == "triage")
    .order_by(Assessment.id.desc())
    .limit(1)
)


def meals_between(session: Session, user_id: int, start: date, end: date) -> Sequence[MealEntry]:
    """The user's meals from `start` to `end` (both included) with their items, in order."""
    period = {"user_id": user_id, "start": start, "end": end}
    return session.scalars(_MEALS_BETWEEN, period).all()


def meals_on(session: Session, user_id: int, day: date) -> Sequence[MealEntry]:
    """The user's meals of `day` with their items, in order (one round trip)."""
    return session.scalars(_MEALS_ON, {"user_id": user_id, "day": day}).unique().all()


def food_ids_between(session: Session, user_id: int, start: date, end: date) -> frozenset[str]:
    """The ids of the foods in the user's meals from `start` to `end` (both included)."""
    return frozenset(
        session.scalars(
            select(MealItemRow.food_id)
            .distinct()
            .join(MealEntry, MealEntry.id == MealItemRow.meal_id)
            .where(
                MealEntry.user_id == user_id,
                MealEntry.eaten_on >= start,
                MealEntry.eaten_on <= end,
            )
        )
    )


def supplements_between(
    session: Session, user_id: int, start: date, end: date
) -> Sequence[SupplementEntry]:
    """The user's supplements taken from `start` to `end` (both included), in order."""
    period = {"user_id": user_id, "start": start, "end": end}
    return session.scalars(_SUPPLEMENTS_BETWEEN, period).all()


def checkins_between(session: Session, user_id: int, start: date, end: date) -> Sequence[CheckIn]:
    """The user's check-ins from `start` to `end` (both included), by day."""
    return session.scalars(
        select(CheckIn)
        .where(CheckIn.user_id == user_id, CheckIn.day >= start, CheckIn.day <= end)
        .order_by(CheckIn.day)
    ).all()


def checkin_on(session: Session, user_id: int, day: date) -> CheckIn | None:
    """The user's check-in of `day` (there is at most one)."""
    return session.scalar(_CHECKIN_ON, {"user_id": user_id, "day": day})


def changes_until(session: Session, user_id: int, end: date) -> Sequence[Change]:
    """The user's changes that started on or before `end`, in the order they were recorded."""
    return session.scalars(
        select(Change)
        .where(Change.user_id == user_id, Change.started_on <= end)
        .order_by(Change.id)
    ).all()


def aids_in_checkins(session: Session, user_id: int) -> list[tuple[str, date, int]]:
    """The aid categories the user's check-ins name: (category, the first day, how many days),
    by first day."""
    rows = session.execute(
        select(CheckIn.aid_category, func.min(CheckIn.day), func.count())
        .where(CheckIn.user_id == user_id, CheckIn.aid_category.is_not(None))
        .group_by(CheckIn.aid_category)
    ).all()
    return sorted(((str(c), first, int(n)) for c, first, n in rows), key=lambda r: (r[1], r[0]))


def changes_about_aid(session: Session, user_id: int, category: str) -> Sequence[Change]:
    """The user's changes that are the aid `category`, in the order they were recorded."""
    return session.scalars(
        select(Change)
        .where(Change.user_id == user_id, Change.aid_category == category)
        .order_by(Change.id)
    ).all()


def latest_triage(session: Session, user_id: int) -> Assessment | None:
    """The user's newest stored triage result."""
    return session.scalar(_LATEST_TRIAGE, {"user_id": user_id})


def assessments_until(session: Session, user_id: int, kind: str, end: date) -> list[Assessment]:
    """The user's stored assessments of `kind` ("triage" or "screen") recorded on or before day
    `end`, oldest first."""
    rows = session.scalars(
        select(Assessment)
        .where(Assessment.user_id == user_id, Assessment.kind == kind)
        .order_by(Assessment.id)
    ).all()
    return [row for row in rows if row.created_at is None or row.created_at.date() <= end]


def owned_rows(session: Session, model: type[Row], user_id: int, order: Any) -> list[Row]:
    """All the user's rows of one table in `order` (meals with their items)."""
    query = select(model).where(model.user_id == user_id).order_by(order)
    if model is MealEntry:
        query = query.options(selectinload(MealEntry.items))
    return list(session.scalars(query).all())


def page(
    session: Session, model: type[Row], user_id: int, newest_first: Any, limit: int, offset: int
) -> tuple[int, list[Row]]:
    """A page of the user's rows of one table, newest first, and how many there are in all."""
    total = session.scalar(select(func.count()).select_from(model).where(model.user_id == user_id))
    query = select(model)
    if model is MealEntry:
        query = query.options(selectinload(MealEntry.items))
    rows = session.scalars(
        query.where(model.user_id == user_id)
        .order_by(newest_first.desc(), model.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return int(total or 0), list(rows)


def has_entries(session: Session, user_id: int) -> bool:
    """Whether the user has any diary entry at all."""
    return any(
        session.scalar(select(model.id).where(model.user_id == user_id).limit(1)) is not None
        for model in ENTRY_MODELS
    )


def delete_entries(session: Session, user_id: int) -> None:
    """Delete every diary entry of the user (the user and profile stay)."""
    for model in ENTRY_MODELS:
        session.execute(delete(model).where(model.user_id == user_id))

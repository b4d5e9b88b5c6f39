"""The diary: log meals, supplements, check-ins and changes; summaries; export, import, delete.

Every public method is one transaction: it commits when it returns and leaves nothing behind
when it raises.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, Literal

from sqlalchemy import delete, func, select
from sqlalchemy import text as sql_text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload, sessionmaker

from rugwijzer import __version__
from rugwijzer.domain.diary import ChangeInput, CheckInInput, check_day
from rugwijzer.domain.foods import Food
from rugwijzer.domain.meals import MAX_ITEM_GRAMS
from rugwijzer.domain.nutrients import NUTRIENTS, VITAMIN_D_IU_PER_UG, Nutrient
from rugwijzer.domain.references import Profile as TargetProfile
from rugwijzer.domain.supplements import SupplementIntake
from rugwijzer.errors import (
    FoodNotFoundError,
    InvalidInputError,
    NotFoundError,
)
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.services.meal_items import (
    correct_grams,
    item_row_from_export,
    item_rows,
    item_view,
    nothing_recognised,
    replace_food,
    unparsed_from_export,
    unparsed_json,
)
from rugwijzer.services.meals import parse_meal_text
from rugwijzer.services.safety import (
    how_column,
    how_message,
    intakes_from_json,
    stored_supplement_advice,
)
from rugwijzer.services.targets import default_reference, target_view, targets_for
from rugwijzer.store.engine import transaction
from rugwijzer.store.models import (
    Assessment,
    Change,
    CheckIn,
    MealEntry,
    Profile,
    SupplementEntry,
    User,
)

__all__ = ["EXPORT_FORMAT", "DiaryService", "export_zip"]

EXPORT_TABLES = ("meals", "supplements", "checkins", "changes", "assessments")


def export_zip(document: dict[str, Any]) -> bytes:
    """An export as a zip: the JSON document, and a CSV file per table (nested values as JSON)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "rugwijzer-export.json", json.dumps(document, ensure_ascii=False, indent=2)
        )
        for table in EXPORT_TABLES:
            rows = document.get(table, [])
            out = io.StringIO()
            if rows:
                writer = csv.DictWriter(out, fieldnames=list(rows[0]))
                writer.writeheader()
                for row in rows:
                    writer.writerow(
                        {
                            key: json.dumps(value, ensure_ascii=False)
                            if isinstance(value, list | dict)
                            else value
                            for key, value in row.items()
                        }
                    )
            archive.writestr(f"{table}.csv", out.getvalue())
    return buffer.getvalue()


EXPORT_FORMAT = "rugwijzer-export/1"
LOCAL_USER_ID = 1
_PROFILE_FIELDS = (
    "birth_year",
    "sex",
    "pregnant",
    "lactating",
    "kidney_disease",
    "heart_rhythm_problems",
    "medicines",
    "diet_exclusions",
    "language",
    "reference",
)


class DiaryService:
    """Use cases of the diary over a session factory and the food database."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        foods: FoodDatabase,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.sessions = sessions
        self.foods = foods
        self.today = today

    # users and profiles ----------------------------------------------------------------------

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

    def _user(self, session: Session, user_id: int, *options: Any) -> User:
        user = session.get(User, user_id, options=options)
        if user is None:
            raise NotFoundError(f"user {user_id} not found")
        return user

    def set_profile(self, user_id: int, values: dict[str, Any]) -> dict[str, Any]:
        """Create or update the profile; unknown fields and impossible values are errors."""
        unknown = sorted(set(values) - set(_PROFILE_FIELDS))
        if unknown:
            raise InvalidInputError(f"unknown profile field(s): {', '.join(unknown)}")
        year = values.get("birth_year")
        if year is not None and (
            isinstance(year, bool)
            or not isinstance(year, int)
            or not 1890 <= year <= self.today().year
        ):
            raise InvalidInputError("birth_year must be a year between 1890 and this year")
        if values.get("sex") not in (None, "female", "male"):
            raise InvalidInputError("sex must be 'female' or 'male'")
        if values.get("language") not in (None, "nl", "en"):
            raise InvalidInputError("language must be 'nl' or 'en'")
        if values.get("reference") not in (None, "nih", "efsa", "nl"):
            raise InvalidInputError("reference must be 'nih', 'efsa' or 'nl'")
        for key in ("pregnant", "lactating", "kidney_disease", "heart_rhythm_problems"):
            if key in values and not isinstance(values[key], bool):
                raise InvalidInputError(f"{key} must be true or false")
        for key in ("medicines", "diet_exclusions"):
            if key in values and (
                not isinstance(values[key], list)
                or not all(isinstance(v, str) and 0 < len(v) <= 100 for v in values[key])
            ):
                raise InvalidInputError(f"{key} must be a list of short names")
        if "language" in values and values["language"] not in ("nl", "en"):
            raise InvalidInputError("language must be 'nl' or 'en'")
        with transaction(self.sessions) as session:
            user = self._user(session, user_id)
            profile = user.profile or Profile(user_id=user_id)
            for key, value in values.items():
                setattr(profile, key, value)
            if profile.sex != "female" and (profile.pregnant or profile.lactating):
                raise InvalidInputError("pregnancy and lactation apply to the female sex only")
            session.add(profile)
            session.flush()
            return _profile_view(profile)

    def profile(self, user_id: int) -> dict[str, Any] | None:
        """The profile, or None when not set."""
        with transaction(self.sessions) as session:
            profile = self._user(session, user_id).profile
            return _profile_view(profile) if profile else None

    # logging -----------------------------------------------------------------------------------

    def log_meal(
        self, user_id: int, text: str, *, day: date | None = None, lang: str | None = None
    ) -> dict[str, Any]:
        """Parse and store a meal with a snapshot of its nutrient values. Nothing is stored
        when no food is recognised."""
        eaten_on = check_day(day or self.today(), today=self.today())
        parsed = parse_meal_text(self.foods, text, lang=lang)
        if not parsed.items:
            raise nothing_recognised(parsed)
        with transaction(self.sessions) as session:
            self._user(session, user_id)
            meal = MealEntry(
                user_id=user_id,
                eaten_on=eaten_on,
                text=text,
                language=lang,
                unparsed=unparsed_json(parsed),
            )
            meal.items.extend(item_rows(parsed))
            session.add(meal)
            session.flush()
            return _meal_view(meal)

    def log_supplement(
        self,
        user_id: int,
        entry: dict[str, Any],
        *,
        day: date | None = None,
        lang: str | None = None,
    ) -> dict[str, Any]:
        """Store a supplement taken (a label line, a form and compound mg, or elemental mg).

        Logging is always allowed (it is the user's diary); the answer carries the day's
        `supplement_advice`, with the hard stops of the stored profile."""
        taken_on = check_day(day or self.today(), today=self.today())
        (intake,) = intakes_from_json([entry])
        with transaction(self.sessions) as session:
            user = self._user(session, user_id, joinedload(User.profile))
            row = SupplementEntry(
                user_id=user_id,
                taken_on=taken_on,
                name=intake.name[:200],
                form_key=intake.form.key if intake.form else None,
                compound_mg=float(entry["compound_mg"]) if "compound_mg" in entry else None,
                elemental_mg=intake.elemental_mg_per_serving,
                servings=intake.servings_per_day,
                how=how_column(intake.how),
            )
            session.add(row)
            session.flush()
            return {
                **_supplement_view(row),
                "supplement_advice": _supplement_advice(
                    user.profile, taken_on, _day_supplements(session, user_id, taken_on), lang
                ),
            }

    def check_in(self, user_id: int, checkin: CheckInInput) -> dict[str, Any]:
        """Record the day's check-in; a second one on the same day updates the first."""
        checkin.validated(today=self.today())
        values = _checkin_columns(checkin)
        with transaction(self.sessions) as session:
            self._user(session, user_id)
            row = session.scalar(
                select(CheckIn).where(CheckIn.user_id == user_id, CheckIn.day == checkin.day)
            )
            if row is None:
                row = CheckIn(user_id=user_id, **values)
                session.add(row)
            else:
                for key, value in values.items():
                    setattr(row, key, value)
            session.flush()
            return _checkin_view(row)

    def record_change(self, user_id: int, change: ChangeInput) -> dict[str, Any]:
        """Record something that changed, with its dates."""
        change.validated(today=self.today())
        with transaction(self.sessions) as session:
            self._user(session, user_id)
            row = Change(
                user_id=user_id,
                description=change.description.strip(),
                started_on=change.started_on,
                ended_on=change.ended_on,
            )
            session.add(row)
            session.flush()
            return _change_view(row)

    def record_assessment(
        self, user_id: int, kind: str, answers: dict[str, Any], result: dict[str, Any]
    ) -> int:
        """Store a triage or screen result with its answers."""
        if kind not in ("triage", "screen"):
            raise InvalidInputError("kind must be 'triage' or 'screen'")
        with transaction(self.sessions) as session:
            self._user(session, user_id)
            row = Assessment(user_id=user_id, kind=kind, answers=answers, result=result)
            session.add(row)
            session.flush()
            return row.id

    # editing and deleting -----------------------------------------------------------------------

    _KINDS: ClassVar[dict[str, type[Any]]] = {
        "meal": MealEntry,
        "supplement": SupplementEntry,
        "checkin": CheckIn,
        "change": Change,
        "assessment": Assessment,
    }

    def delete_entry(self, user_id: int, kind: str, entry_id: int) -> None:
        """Delete one of the user's own entries; another user's id is "not found"."""
        model = self._KINDS.get(kind)
        if model is None:
            raise InvalidInputError(f"unknown entry kind {kind!r}")
        with transaction(self.sessions) as session:
            row = session.get(model, entry_id)
            if row is None or row.user_id != user_id:
                raise NotFoundError(f"{kind} {entry_id} not found")
            session.delete(row)

    def edit_meal(
        self,
        user_id: int,
        meal_id: int,
        text: str,
        *,
        day: date | None = None,
        lang: str | None = None,
    ) -> dict[str, Any]:
        """Replace a meal's text (and day): it is parsed again and gets a new snapshot."""
        parsed = parse_meal_text(self.foods, text, lang=lang)
        if not parsed.items:
            raise nothing_recognised(parsed)
        with transaction(self.sessions) as session:
            meal = session.get(MealEntry, meal_id, options=[selectinload(MealEntry.items)])
            if meal is None or meal.user_id != user_id:
                raise NotFoundError(f"meal {meal_id} not found")
            if day is not None:
                meal.eaten_on = check_day(day, today=self.today())
            meal.text = text
            meal.language = lang
            meal.unparsed = unparsed_json(parsed)
            meal.items.clear()
            session.flush()
            meal.items.extend(item_rows(parsed))
            session.flush()
            return _meal_view(meal)

    def set_item_grams(
        self, user_id: int, meal_id: int, position: int, grams: float
    ) -> dict[str, Any]:
        """Correct the grams of one item of a meal; its nutrients scale with them."""
        return self.correct_item(user_id, meal_id, position, grams=grams)

    def choose_item_food(
        self, user_id: int, meal_id: int, position: int, food_id: str
    ) -> dict[str, Any]:
        """Replace the food of one meal item, say with one of its alternatives."""
        return self.correct_item(user_id, meal_id, position, food_id=food_id)

    def correct_item(
        self,
        user_id: int,
        meal_id: int,
        position: int,
        *,
        food_id: str | None = None,
        grams: float | None = None,
    ) -> dict[str, Any]:
        """Correct one item of a meal in one transaction: another food and/or other grams.

        A new food brings its own nutrient values for the item's grams, and the replaced food
        becomes one of the alternatives. Grams alone scale the item's stored snapshot, so a
        correction never mixes in newer food data."""
        if grams is not None and (not math.isfinite(grams) or not 0 < grams <= MAX_ITEM_GRAMS):
            raise InvalidInputError(f"grams must be more than 0 and at most {MAX_ITEM_GRAMS:g}")
        food: Food | None = None
        if food_id is not None:
            try:
                food = self.foods.get(food_id)
            except FoodNotFoundError as exc:  # the meal exists; the choice is what is wrong
                raise InvalidInputError(f"unknown food id: {food_id!r}") from exc
        with transaction(self.sessions) as session:
            meal = session.get(MealEntry, meal_id, options=[selectinload(MealEntry.items)])
            if meal is None or meal.user_id != user_id:
                raise NotFoundError(f"meal {meal_id} not found")
            item = next((row for row in meal.items if row.position == position), None)
            if item is None:
                raise NotFoundError(f"meal {meal_id} has no item {position}")
            if food is not None and food.id != item.food_id:
                replace_food(item, food)
            if grams is not None and grams != item.grams:
                correct_grams(item, grams)
            session.flush()
            return _meal_view(meal)

    def end_change(self, user_id: int, change_id: int, ended_on: date) -> dict[str, Any]:
        """Set the end date of a change."""
        with transaction(self.sessions) as session:
            row = session.get(Change, change_id)
            if row is None or row.user_id != user_id:
                raise NotFoundError(f"change {change_id} not found")
            ChangeInput(row.description, row.started_on, ended_on).validated(today=self.today())
            row.ended_on = ended_on
            return _change_view(row)

    def delete_everything(self, user_id: int) -> None:
        """Remove the user and every row that belongs to them."""
        with transaction(self.sessions) as session:
            user = self._user(session, user_id)
            for model in (MealEntry, SupplementEntry, CheckIn, Change, Assessment):
                session.execute(delete(model).where(model.user_id == user_id))
            session.delete(user)

    def list_entries(
        self, user_id: int, kind: str, *, limit: int = 50, offset: int = 0
    ) -> dict[str, Any]:
        """A page of the user's entries of one kind, newest first, with the total count."""
        views: dict[str, tuple[Any, Any, Callable[[Any], dict[str, Any]]]] = {
            "meal": (MealEntry, MealEntry.eaten_on, _meal_view),
            "supplement": (SupplementEntry, SupplementEntry.taken_on, _supplement_view),
            "checkin": (CheckIn, CheckIn.day, _checkin_view),
            "change": (Change, Change.started_on, _change_view),
        }
        if kind not in views:
            raise InvalidInputError(f"unknown entry kind {kind!r}")
        if not 1 <= limit <= 100 or offset < 0:
            raise InvalidInputError("limit is 1 to 100 and offset at least 0")
        model, day_column, view = views[kind]
        with transaction(self.sessions) as session:
            self._user(session, user_id)
            total = session.scalar(
                select(func.count()).select_from(model).where(model.user_id == user_id)
            )
            query = select(model)
            if model is MealEntry:
                query = query.options(selectinload(MealEntry.items))
            rows = session.scalars(
                query.where(model.user_id == user_id)
                .order_by(day_column.desc(), model.id.desc())
                .limit(limit)
                .offset(offset)
            ).all()
            return {
                "items": [view(row) for row in rows],
                "total": int(total or 0),
                "limit": limit,
                "offset": offset,
            }

    def acknowledge_red_flag(self, user_id: int) -> None:
        """The user has read the newest red flag: it no longer heads every page."""
        with transaction(self.sessions) as session:
            latest = session.scalar(
                select(Assessment)
                .where(Assessment.user_id == user_id, Assessment.kind == "triage")
                .order_by(Assessment.id.desc())
                .limit(1)
            )
            if latest is not None and latest.acknowledged_at is None:
                latest.acknowledged_at = datetime.now().astimezone()

    def red_flag(self, user_id: int) -> dict[str, Any] | None:
        """The newest stored triage result when it found a reason to see a doctor."""
        with transaction(self.sessions) as session:
            return _latest_red_flag(session, user_id)

    # summaries ---------------------------------------------------------------------------------

    def day(
        self, user_id: int, day: date | None = None, *, lang: str | None = None
    ) -> dict[str, Any]:
        """The day's meals, supplements and check-in with totals against the targets, and the
        supplement advice (hard stops first) in `lang` (default: the profile's language)."""
        on = day or self.today()
        with transaction(self.sessions) as session:
            # the profile comes in the same query: Today asks for this on every view
            user = self._user(session, user_id, joinedload(User.profile))
            meals = session.scalars(
                select(MealEntry)
                .options(selectinload(MealEntry.items))
                .where(MealEntry.user_id == user_id, MealEntry.eaten_on == on)
                .order_by(MealEntry.id)
            ).all()
            supplements = _day_supplements(session, user_id, on)
            checkin = session.scalar(
                select(CheckIn).where(CheckIn.user_id == user_id, CheckIn.day == on)
            )
            profile = user.profile
            totals = _totals(meals)
            view: dict[str, Any] = {
                # Red flags come before everything else the day shows.
                "red_flag": _latest_red_flag(session, user_id),
                "day": on.isoformat(),
                "meals": [_meal_view(meal) for meal in meals],
                "supplements": [_supplement_view(s) for s in supplements],
                "checkin": _checkin_view(checkin) if checkin else None,
                "totals": totals,
                "supplement_magnesium_mg": round(
                    sum(s.elemental_mg * s.servings for s in supplements), 1
                ),
                "targets": None,
                "supplement_advice": _supplement_advice(profile, on, supplements, lang),
            }
            target_profile = _target_profile(profile, on)
            if target_profile is not None and profile is not None:
                reference = profile.reference or default_reference(profile.language)
                targets = targets_for(target_profile, reference)
                food_mg = totals["magnesium_mg"]["amount"]
                target = targets.magnesium.value
                view["targets"] = {
                    "reference": reference,
                    "magnesium": target_view(targets.magnesium),
                    "context": {
                        "calcium_mg": target_view(targets.calcium),
                        "potassium_mg": target_view(targets.potassium),
                        "vitamin_d_ug": target_view(targets.vitamin_d),
                    },
                    # None under a hard stop: the advice says why
                    "supplement_upper_limit": view["supplement_advice"]["upper_limit"],
                    "magnesium_gap_mg": None
                    if target is None
                    else round(max(0.0, target - food_mg), 1),
                    "magnesium_percent_of_target": None
                    if not target
                    else round(100 * food_mg / target, 1),
                }
            return view

    def period(self, user_id: int, start: date, end: date) -> dict[str, Any]:
        """Day by day from `start` to `end`: magnesium from food and supplements, pain, stress."""
        if end < start:
            raise InvalidInputError("the period ends before it starts")
        if (end - start).days > 366:
            raise InvalidInputError("a period is at most a year")
        with transaction(self.sessions) as session:
            self._user(session, user_id)
            meals = session.scalars(
                select(MealEntry)
                .options(selectinload(MealEntry.items))
                .where(
                    MealEntry.user_id == user_id,
                    MealEntry.eaten_on >= start,
                    MealEntry.eaten_on <= end,
                )
            ).all()
            supplements = session.scalars(
                select(SupplementEntry).where(
                    SupplementEntry.user_id == user_id,
                    SupplementEntry.taken_on >= start,
                    SupplementEntry.taken_on <= end,
                )
            ).all()
            checkins = session.scalars(
                select(CheckIn).where(
                    CheckIn.user_id == user_id, CheckIn.day >= start, CheckIn.day <= end
                )
            ).all()
            changes = session.scalars(
                select(Change).where(Change.user_id == user_id, Change.started_on <= end)
            ).all()
            days = []
            cursor = start
            while cursor <= end:
                day_meals = [m for m in meals if m.eaten_on == cursor]
                day_checkin = next((c for c in checkins if c.day == cursor), None)
                days.append(
                    {
                        "day": cursor.isoformat(),
                        "magnesium_food_mg": _totals(day_meals)["magnesium_mg"]["amount"]
                        if day_meals
                        else None,
                        "magnesium_supplements_mg": round(
                            sum(
                                s.elemental_mg * s.servings
                                for s in supplements
                                if s.taken_on == cursor
                            ),
                            1,
                        ),
                        "pain": day_checkin.pain if day_checkin else None,
                        "stress": day_checkin.stress if day_checkin else None,
                    }
                )
                cursor += timedelta(days=1)
            return {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "days": days,
                "changes": [
                    _change_view(c) for c in changes if c.ended_on is None or c.ended_on >= start
                ],
            }

    # data rights ---------------------------------------------------------------------------------

    def export(self, user_id: int) -> dict[str, Any]:
        """Everything of one user, in one JSON-ready document."""
        with transaction(self.sessions) as session:
            user = self._user(session, user_id)

            def rows(model: type[Any], order: Any) -> list[Any]:
                query = select(model).where(model.user_id == user_id).order_by(order)
                if model is MealEntry:
                    query = query.options(selectinload(MealEntry.items))
                return list(session.scalars(query).all())

            return {
                "format": EXPORT_FORMAT,
                "exported_by": f"rugwijzer {__version__}",
                "exported_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                "profile": _profile_view(user.profile) if user.profile else None,
                # Database ids mean nothing outside this database: the export leaves them out.
                "meals": [_without_id(_meal_view(m)) for m in rows(MealEntry, MealEntry.id)],
                "supplements": [
                    _without_id(_supplement_view(s))
                    for s in rows(SupplementEntry, SupplementEntry.id)
                ],
                "checkins": [_without_id(_checkin_view(c)) for c in rows(CheckIn, CheckIn.day)],
                "changes": [_without_id(_change_view(c)) for c in rows(Change, Change.id)],
                "assessments": [
                    {
                        "kind": a.kind,
                        "answers": a.answers,
                        "result": a.result,
                        "created_at": _iso(a.created_at),
                        "acknowledged_at": _iso(a.acknowledged_at),
                    }
                    for a in rows(Assessment, Assessment.id)
                ],
            }

    def import_(self, user_id: int, document: dict[str, Any]) -> dict[str, int]:
        """Restore an export into an empty diary; all or nothing."""
        if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
            raise InvalidInputError(f"not a Rugwijzer export (expected format {EXPORT_FORMAT!r})")
        try:
            with transaction(self.sessions) as session:
                user = self._user(session, user_id)
                for model in (MealEntry, SupplementEntry, CheckIn, Change, Assessment):
                    if (
                        session.scalar(select(model.id).where(model.user_id == user_id).limit(1))
                        is not None
                    ):
                        raise InvalidInputError(
                            "import needs an empty diary; delete everything first"
                        )
                if document.get("profile"):
                    values = {k: v for k, v in document["profile"].items() if k in _PROFILE_FIELDS}
                    session.add(Profile(user_id=user.id, **values))
                for meal in document.get("meals", []):
                    row = MealEntry(
                        user_id=user_id,
                        eaten_on=date.fromisoformat(meal["eaten_on"]),
                        text=meal["text"],
                        language=meal.get("language"),
                        unparsed=unparsed_from_export(meal.get("unparsed", [])),
                    )
                    row.items.extend(
                        item_row_from_export(position, item)
                        for position, item in enumerate(meal["items"])
                    )
                    session.add(row)
                for entry in document.get("supplements", []):
                    session.add(
                        SupplementEntry(
                            user_id=user_id,
                            taken_on=date.fromisoformat(entry["taken_on"]),
                            name=entry["name"],
                            form_key=entry.get("form_key"),
                            compound_mg=entry.get("compound_mg"),
                            elemental_mg=float(entry["elemental_mg"]),
                            servings=float(entry["servings"]),
                            how=how_column(how_message(entry.get("how", ""))),
                        )
                    )
                for entry in document.get("checkins", []):
                    checkin = _checkin_input(entry).validated(today=self.today())
                    session.add(CheckIn(user_id=user_id, **_checkin_columns(checkin)))
                for entry in document.get("changes", []):
                    change = ChangeInput(
                        entry["description"],
                        date.fromisoformat(entry["started_on"]),
                        date.fromisoformat(entry["ended_on"]) if entry.get("ended_on") else None,
                    ).validated(today=self.today())
                    session.add(
                        Change(
                            user_id=user_id,
                            description=change.description,
                            started_on=change.started_on,
                            ended_on=change.ended_on,
                        )
                    )
                for entry in document.get("assessments", []):
                    session.add(
                        Assessment(
                            user_id=user_id,
                            kind=entry["kind"],
                            answers=entry["answers"],
                            result=entry["result"],
                            created_at=datetime.fromisoformat(entry["created_at"]),
                            acknowledged_at=(
                                datetime.fromisoformat(entry["acknowledged_at"])
                                if entry.get("acknowledged_at")
                                else None
                            ),
                        )
                    )
                session.flush()
        except (KeyError, TypeError, ValueError, IntegrityError) as exc:
            if isinstance(exc, InvalidInputError):
                raise
            raise InvalidInputError(f"the export file is damaged or incomplete: {exc!r}") from exc
        return {
            key: len(document.get(key, []))
            for key in ("meals", "supplements", "checkins", "changes", "assessments")
        }


# views -----------------------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


_RED_FLAG_URGENCIES = ("emergency", "urgent", "soon")


def _latest_red_flag(session: Session, user_id: int) -> dict[str, Any] | None:
    """The newest stored triage result, when it found a reason to see a doctor."""
    latest = session.scalar(
        select(Assessment)
        .where(Assessment.user_id == user_id, Assessment.kind == "triage")
        .order_by(Assessment.id.desc())
        .limit(1)
    )
    if (
        latest is None
        or latest.acknowledged_at is not None
        or latest.result.get("urgency") not in _RED_FLAG_URGENCIES
    ):
        return None
    return {
        "urgency": latest.result["urgency"],
        "advice": latest.result.get("advice"),
        "reasons": latest.result.get("reasons", []),
        "recorded_at": _iso(latest.created_at),
    }


def _without_id(view: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in view.items() if key != "id"}


def _checkin_columns(checkin: CheckInInput) -> dict[str, Any]:
    values = asdict(checkin)
    values["pain_locations"] = list(checkin.pain_locations)
    return values


def _checkin_input(entry: dict[str, Any]) -> CheckInInput:
    fields = {k: v for k, v in entry.items() if k not in ("id", "day", "pain_locations")}
    return CheckInInput(
        day=date.fromisoformat(entry["day"]),
        pain_locations=tuple(entry.get("pain_locations", ())),
        **fields,
    )


def _profile_view(profile: Profile) -> dict[str, Any]:
    return {key: getattr(profile, key) for key in _PROFILE_FIELDS}


def _day_supplements(session: Session, user_id: int, on: date) -> list[SupplementEntry]:
    return list(
        session.scalars(
            select(SupplementEntry)
            .where(SupplementEntry.user_id == user_id, SupplementEntry.taken_on == on)
            .order_by(SupplementEntry.id)
        ).all()
    )


def _supplement_advice(
    profile: Profile | None, on: date, rows: list[SupplementEntry], lang: str | None
) -> dict[str, Any] | None:
    """The stored profile's supplement advice for the day's logged supplements."""
    intakes = [
        SupplementIntake(row.name, row.elemental_mg, row.servings, how_message(row.how))
        for row in rows
    ]
    return stored_supplement_advice(
        _profile_view(profile) if profile else None, on, intakes, lang=lang
    )


def _target_profile(profile: Profile | None, on: date) -> TargetProfile | None:
    if profile is None or profile.birth_year is None or profile.sex not in ("female", "male"):
        return None
    age = max(0, on.year - profile.birth_year)
    sex: Literal["female", "male"] = "female" if profile.sex == "female" else "male"
    return TargetProfile(float(age), sex, pregnant=profile.pregnant, lactating=profile.lactating)


def _meal_view(meal: MealEntry) -> dict[str, Any]:
    return {
        "id": meal.id,
        "eaten_on": meal.eaten_on.isoformat(),
        "text": meal.text,
        "language": meal.language,
        "unparsed": meal.unparsed,
        "items": [item_view(item) for item in meal.items],
    }


def _totals(meals: Any) -> dict[str, Any]:
    """Totals from the stored snapshots; food without a value is counted, never taken as zero.
    Amounts keep two decimals, so a page that rounds them once shows what a sum by hand gives."""
    totals: dict[str, Any] = {}
    items = [item for meal in meals for item in meal.items]
    exact: dict[str, float] = {}
    for info in NUTRIENTS:
        key = info.nutrient.value
        exact[key] = sum(float(item.nutrients[key]) for item in items if key in item.nutrients)
        without = sum(item.grams for item in items if key not in item.nutrients)
        totals[key] = {
            "amount": round(exact[key], 2),
            "unit": info.unit,
            "grams_without_value": round(without, 1),
        }
    vitamin_d_ug = exact[Nutrient.VITAMIN_D_IU.value] / VITAMIN_D_IU_PER_UG
    totals["vitamin_d_ug"] = {"amount": round(vitamin_d_ug, 2), "unit": "µg"}
    return totals


def _supplement_view(row: SupplementEntry) -> dict[str, Any]:
    return {
        "id": row.id,
        "taken_on": row.taken_on.isoformat(),
        "name": row.name,
        "form_key": row.form_key,
        "compound_mg": row.compound_mg,
        "elemental_mg": row.elemental_mg,
        "servings": row.servings,
        "how": how_message(row.how).to_json(),
    }


def _checkin_view(row: CheckIn) -> dict[str, Any]:
    return {
        "id": row.id,
        "day": row.day.isoformat(),
        "pain": row.pain,
        "pain_locations": list(row.pain_locations or []),
        "stress": row.stress,
        "sleep_quality": row.sleep_quality,
        "stiffness": row.stiffness,
        "cramps": row.cramps,
        "minutes_active": row.minutes_active,
        "aid_worn": row.aid_worn,
        "note": row.note,
    }


def _change_view(row: Change) -> dict[str, Any]:
    return {
        "id": row.id,
        "description": row.description,
        "started_on": row.started_on.isoformat(),
        "ended_on": _iso(row.ended_on),
    }

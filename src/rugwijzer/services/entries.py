"""Diary entries: log meals, supplements, check-ins, changes and assessments; edit, correct,
list and delete them; acknowledge a red flag.

Every public method is one transaction: it commits when it returns and leaves nothing behind
when it raises. An entry of another user is "not found" (the queries filter by user).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, joinedload, selectinload, sessionmaker

from rugwijzer.domain.aids import CATEGORIES
from rugwijzer.domain.diary import ChangeInput, CheckInInput, check_aid_category, check_day
from rugwijzer.domain.foods import Food
from rugwijzer.domain.meals import MAX_ITEM_GRAMS
from rugwijzer.errors import FoodNotFoundError, InvalidInputError, NotFoundError
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.messages import Code, Message
from rugwijzer.observability.metrics import MEALS_LOGGED
from rugwijzer.services.diary_views import (
    ChangeView,
    CheckInView,
    EntryPage,
    MealView,
    RecordedAid,
    SupplementLogged,
    change_view,
    checkin_view,
    meal_view,
    new_meal_view,
    supplement_view,
)
from rugwijzer.services.meal_items import (
    correct_grams,
    item_rows,
    item_values,
    nothing_recognised,
    replace_food,
    unparsed_json,
)
from rugwijzer.services.meals import parse_meal_text
from rugwijzer.services.profile import DiaryPart
from rugwijzer.services.safety import intakes_from_json, label_reading_view
from rugwijzer.services.summaries import day_supplement_advice
from rugwijzer.store import queries
from rugwijzer.store.engine import transaction
from rugwijzer.store.meal_text import how_column
from rugwijzer.store.models import (
    Assessment,
    Change,
    CheckIn,
    MealEntry,
    SupplementEntry,
    User,
)

__all__ = ["ENTRY_KINDS", "EntryService", "checkin_columns"]

#: The kinds of entry a user can list and delete, and their tables.
ENTRY_KINDS: dict[str, type[Any]] = {
    "meal": MealEntry,
    "supplement": SupplementEntry,
    "checkin": CheckIn,
    "change": Change,
    "assessment": Assessment,
}
MAX_PAGE = 100

# kind → (the day column a page is ordered by, newest first; the view of a row)
_LISTED: dict[str, tuple[Any, Callable[[Any], Any]]] = {
    "meal": (MealEntry.eaten_on, meal_view),
    "supplement": (SupplementEntry.taken_on, supplement_view),
    "checkin": (CheckIn.day, checkin_view),
    "change": (Change.started_on, change_view),
}


def checkin_columns(checkin: CheckInInput) -> dict[str, Any]:
    """A validated check-in as the columns of its row."""
    values = asdict(checkin)
    values["pain_locations"] = list(checkin.pain_locations)
    return values


class EntryService(DiaryPart):
    """Writing and reading the entries of a diary."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        foods: FoodDatabase,
        *,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(sessions, today=today, now=now)
        self.foods = foods

    # logging -----------------------------------------------------------------------------------

    def log_meal(
        self, user_id: int, text: str, *, day: date | None = None, lang: str | None = None
    ) -> MealView:
        """Parse and store a meal with a snapshot of its nutrient values. Nothing is stored
        when no food is recognised."""
        eaten_on = check_day(day or self.today(), today=self.today())
        parsed = parse_meal_text(self.foods, text, lang=lang)
        if not parsed.items:
            raise nothing_recognised(parsed)
        unparsed, items = unparsed_json(parsed), item_values(parsed)
        # Core statements, not an object graph: this is the most frequent write there is
        with transaction(self.sessions) as session:
            meal_id = queries.add_meal(
                session,
                user_id,
                eaten_on=eaten_on,
                text=text,
                language=lang,
                unparsed=unparsed,
                items=items,
            )
        MEALS_LOGGED.inc()  # committed
        return new_meal_view(
            meal_id, eaten_on=eaten_on, text=text, language=lang, unparsed=unparsed, items=items
        )

    def log_supplement(
        self,
        user_id: int,
        entry: dict[str, Any],
        *,
        day: date | None = None,
        lang: str | None = None,
    ) -> SupplementLogged:
        """Store a supplement taken (a label line, a form and compound mg, or elemental mg).

        Logging is always allowed (it is the user's diary); the answer carries the day's
        `supplement_advice`, with the hard stops of the stored profile."""
        taken_on = check_day(day or self.today(), today=self.today())
        (intake,) = intakes_from_json([entry])
        with transaction(self.sessions) as session:
            user = queries.user(session, user_id, joinedload(User.profile))
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
            advice = day_supplement_advice(
                user.profile,
                taken_on,
                queries.supplements_between(session, user_id, taken_on, taken_on),
                lang,
            )
            reading_lang = lang or (user.profile.language if user.profile else None) or "nl"
            reading = (
                label_reading_view(intake.label_reading, reading_lang)
                if intake.label_reading
                else None
            )
            return SupplementLogged(
                **supplement_view(row).model_dump(),
                supplement_advice=advice,
                label_reading=reading,
            )

    def check_in(self, user_id: int, checkin: CheckInInput) -> CheckInView:
        """Record the day's check-in; a second one on the same day updates the first."""
        checkin = checkin.validated(today=self.today())
        values = checkin_columns(checkin)
        with transaction(self.sessions) as session:
            queries.user(session, user_id)
            row = queries.checkin_on(session, user_id, checkin.day)
            if row is None:
                row = CheckIn(user_id=user_id, **values)
                session.add(row)
            else:
                for key, value in values.items():
                    setattr(row, key, value)
            session.flush()
            return checkin_view(row)

    def record_change(self, user_id: int, change: ChangeInput) -> ChangeView:
        """Record something that changed, with its dates (and its aid category, when it is
        an aid)."""
        change = change.validated(today=self.today())
        with transaction(self.sessions) as session:
            queries.user(session, user_id)
            row = Change(
                user_id=user_id,
                description=change.description.strip(),
                started_on=change.started_on,
                ended_on=change.ended_on,
                aid_category=change.aid_category,
            )
            session.add(row)
            session.flush()
            return change_view(row)

    def unanalysed_aids(self, user_id: int) -> list[RecordedAid]:
        """The aid categories the check-ins name that no change is about yet, by first day:
        each can become a change (`analyse_aid`)."""
        with transaction(self.sessions) as session:
            queries.user(session, user_id)
            analysed = {
                row.aid_category for row in queries.changes_until(session, user_id, date.max)
            }
            return [
                RecordedAid.model_validate({"category": category, "first_day": first, "days": n})
                for category, first, n in queries.aids_in_checkins(session, user_id)
                if category not in analysed
            ]

    def analyse_aid(self, user_id: int, category: str, description: str) -> ChangeView:
        """Record the aid `category`, as the check-ins name it, as a change from the first day
        they name it (described as `description`), so that it is analysed like any change.
        When a change is already about this aid, that change (a second click adds nothing).
        `InvalidInputError` for an unknown category or one the check-ins do not name."""
        aid = check_aid_category(category)
        if aid is None:
            raise InvalidInputError(Code.ENTRY_UNKNOWN_AID_CATEGORY, category="", known=CATEGORIES)
        with transaction(self.sessions) as session:
            queries.user(session, user_id)
            existing = queries.changes_about_aid(session, user_id, aid)
            if existing:
                return change_view(existing[0])
            first = next(
                (
                    day
                    for found, day, _n in queries.aids_in_checkins(session, user_id)
                    if found == aid
                ),
                None,
            )
            if first is None:
                raise InvalidInputError(
                    Code.ENTRY_AID_NOT_RECORDED, aid=Message.of(Code(f"aids.category.{aid}"))
                )
            change = ChangeInput(description.strip() or aid, first, None, aid).validated(
                today=self.today()
            )
            row = Change(
                user_id=user_id,
                description=change.description.strip(),
                started_on=change.started_on,
                aid_category=change.aid_category,
            )
            session.add(row)
            session.flush()
            return change_view(row)

    def record_assessment(
        self, user_id: int, kind: str, answers: dict[str, Any], result: dict[str, Any]
    ) -> int:
        """Store a triage or screen result with its answers; its id."""
        if kind not in ("triage", "screen"):
            raise InvalidInputError(Code.ENTRY_ASSESSMENT_KIND)
        with transaction(self.sessions) as session:
            queries.user(session, user_id)
            row = Assessment(user_id=user_id, kind=kind, answers=answers, result=result)
            session.add(row)
            session.flush()
            return row.id

    # editing and deleting -----------------------------------------------------------------------

    def delete_entry(self, user_id: int, kind: str, entry_id: int) -> None:
        """Delete one of the user's own entries; another user's id is "not found"."""
        model = ENTRY_KINDS.get(kind)
        if model is None:
            raise InvalidInputError(Code.ENTRY_UNKNOWN_KIND, kind=kind, kinds=tuple(ENTRY_KINDS))
        with transaction(self.sessions) as session:
            row = queries.owned(session, model, entry_id, user_id)
            session.delete(row)

    def edit_meal(
        self,
        user_id: int,
        meal_id: int,
        text: str,
        *,
        day: date | None = None,
        lang: str | None = None,
    ) -> MealView:
        """Replace a meal's text (and day): it is parsed again and gets a new snapshot."""
        parsed = parse_meal_text(self.foods, text, lang=lang)
        if not parsed.items:
            raise nothing_recognised(parsed)
        with transaction(self.sessions) as session:
            meal = queries.owned(
                session, MealEntry, meal_id, user_id, selectinload(MealEntry.items)
            )
            if day is not None:
                meal.eaten_on = check_day(day, today=self.today())
            meal.text = text
            meal.language = lang
            meal.unparsed = unparsed_json(parsed)
            meal.items.clear()
            session.flush()
            meal.items.extend(item_rows(parsed))
            session.flush()
            return meal_view(meal)

    def set_item_grams(self, user_id: int, meal_id: int, position: int, grams: float) -> MealView:
        """Correct the grams of one item of a meal; its nutrients scale with them."""
        return self.correct_item(user_id, meal_id, position, grams=grams)

    def choose_item_food(self, user_id: int, meal_id: int, position: int, food_id: str) -> MealView:
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
    ) -> MealView:
        """Correct one item of a meal in one transaction: another food and/or other grams.

        A new food brings its own nutrient values for the item's grams, and the replaced food
        becomes one of the alternatives. Grams alone scale the item's stored snapshot, so a
        correction never mixes in newer food data."""
        if grams is not None and (not math.isfinite(grams) or not 0 < grams <= MAX_ITEM_GRAMS):
            raise InvalidInputError(Code.ENTRY_GRAMS, most=MAX_ITEM_GRAMS)
        food: Food | None = None
        if food_id is not None:
            try:
                food = self.foods.get(food_id)
            except FoodNotFoundError as exc:  # the meal exists; the choice is what is wrong
                raise InvalidInputError(Code.ENTRY_UNKNOWN_FOOD, food_id=food_id) from exc
        with transaction(self.sessions) as session:
            meal = queries.owned(
                session, MealEntry, meal_id, user_id, selectinload(MealEntry.items)
            )
            item = next((row for row in meal.items if row.position == position), None)
            if item is None:
                raise NotFoundError(
                    Code.ENTRY_MEAL_ITEM_NOT_FOUND, meal_id=str(meal_id), position=position
                )
            if food is not None and food.id != item.food_id:
                replace_food(item, food)
            if grams is not None and grams != item.grams:
                correct_grams(item, grams)
            session.flush()
            return meal_view(meal)

    def end_change(self, user_id: int, change_id: int, ended_on: date) -> ChangeView:
        """Set the end date of a change."""
        return self.update_change(user_id, change_id, ended_on=ended_on)

    def update_change(
        self,
        user_id: int,
        change_id: int,
        *,
        ended_on: date | None = None,
        aid_category: str | None = None,
    ) -> ChangeView:
        """Set the end date of a change and/or its aid category (`""` clears the category);
        a value of None leaves that field as it is."""
        with transaction(self.sessions) as session:
            row = queries.owned(session, Change, change_id, user_id)
            checked = ChangeInput(
                row.description,
                row.started_on,
                row.ended_on if ended_on is None else ended_on,
                row.aid_category if aid_category is None else aid_category,
            ).validated(today=self.today())
            row.ended_on = checked.ended_on
            row.aid_category = checked.aid_category
            session.flush()
            return change_view(row)

    def list_entries(
        self, user_id: int, kind: str, *, limit: int = 50, offset: int = 0
    ) -> EntryPage:
        """A page of the user's entries of one kind, newest first, with the total count."""
        if kind not in _LISTED:
            raise InvalidInputError(Code.ENTRY_UNKNOWN_KIND, kind=kind, kinds=tuple(_LISTED))
        if not 1 <= limit <= MAX_PAGE or offset < 0:
            raise InvalidInputError(Code.ENTRY_PAGE, most=MAX_PAGE)
        newest_first, view = _LISTED[kind]
        with transaction(self.sessions) as session:
            queries.user(session, user_id)
            total, rows = queries.page(
                session, ENTRY_KINDS[kind], user_id, newest_first, limit, offset
            )
            return EntryPage(
                items=[view(row) for row in rows], total=total, limit=limit, offset=offset
            )

    def acknowledge_red_flag(self, user_id: int) -> None:
        """The user has read the newest red flag: it no longer heads every page."""
        with transaction(self.sessions) as session:
            latest = queries.latest_triage(session, user_id)
            if latest is not None and latest.acknowledged_at is None:
                latest.acknowledged_at = self.now()

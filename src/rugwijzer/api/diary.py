"""The user's own diary: /api/v1/me/…"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from rugwijzer.api.deps import CurrentUser, Diary, EntryId, ItemPosition
from rugwijzer.api.schemas import (
    ChangeCreate,
    ChangeEnd,
    CheckInPut,
    MealCreate,
    MealItemPatch,
    ProfileUpdate,
    SupplementCreate,
    TriageAnswers,
)
from rugwijzer.domain.diary import ChangeInput, CheckInInput
from rugwijzer.domain.screen import parse_screen
from rugwijzer.domain.triage import parse_answers, triage
from rugwijzer.services.diary import export_zip
from rugwijzer.services.safety import screen_view, triage_view

router = APIRouter(prefix="/me", tags=["diary"])
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Kind = Literal["meal", "supplement", "checkin", "change"]
Lang = Literal["nl", "en"]


@router.get("/profile")
def get_profile(user: CurrentUser, diary: Diary) -> dict[str, Any] | None:
    """The profile (null until set)."""
    return diary.profile(user.user_id)


@router.put("/profile")
def put_profile(body: ProfileUpdate, user: CurrentUser, diary: Diary) -> dict[str, Any]:
    """Set profile fields (only those sent change)."""
    return diary.set_profile(user.user_id, body.model_dump(exclude_unset=True))


@router.post("/meals", status_code=201)
def log_meal(body: MealCreate, user: CurrentUser, diary: Diary) -> dict[str, Any]:
    """Log a meal written in plain words."""
    return diary.log_meal(user.user_id, body.text, day=body.date, lang=body.lang)


@router.put("/meals/{meal_id}")
def edit_meal(
    meal_id: EntryId, body: MealCreate, user: CurrentUser, diary: Diary
) -> dict[str, Any]:
    """Change a meal's text (and day); it is understood again."""
    return diary.edit_meal(user.user_id, meal_id, body.text, day=body.date, lang=body.lang)


@router.patch("/meals/{meal_id}/items/{position}")
def correct_meal_item(
    meal_id: EntryId,
    position: ItemPosition,
    body: MealItemPatch,
    user: CurrentUser,
    diary: Diary,
) -> dict[str, Any]:
    """Correct one item of a meal (0 = the first): choose another food (for example one of the
    item's alternatives) and/or set its grams. Nutrients follow; the meal text stays."""
    return diary.correct_item(
        user.user_id, meal_id, position, food_id=body.food_id, grams=body.grams
    )


@router.post("/supplements", status_code=201)
def log_supplement(
    body: SupplementCreate, user: CurrentUser, diary: Diary, lang: Lang | None = None
) -> dict[str, Any]:
    """Log a supplement taken. The answer's `supplement_advice` gives the day's total against
    your profile: under a hard stop (kidney disease, heart-rhythm problems, pregnancy, a child
    under 4) it suggests no dose and sends you to your doctor."""
    entry = body.model_dump(exclude_none=True, exclude={"date"})
    return diary.log_supplement(user.user_id, entry, day=body.date, lang=lang)


@router.put("/checkins/{day}")
def put_checkin(day: date, body: CheckInPut, user: CurrentUser, diary: Diary) -> dict[str, Any]:
    """Record (or replace) the check-in of a day."""
    values = body.model_dump()
    values["pain_locations"] = tuple(values["pain_locations"])
    return diary.check_in(user.user_id, CheckInInput(day=day, **values))


@router.post("/changes", status_code=201)
def record_change(body: ChangeCreate, user: CurrentUser, diary: Diary) -> dict[str, Any]:
    """Record a change (started magnesium, a new chair …)."""
    started = body.started_on or diary.today()
    return diary.record_change(user.user_id, ChangeInput(body.description, started, body.ended_on))


@router.patch("/changes/{change_id}")
def end_change(
    change_id: EntryId, body: ChangeEnd, user: CurrentUser, diary: Diary
) -> dict[str, Any]:
    """Set the end date of a change."""
    return diary.end_change(user.user_id, change_id, body.ended_on)


@router.get("/entries/{kind}")
def list_entries(
    kind: Kind, user: CurrentUser, diary: Diary, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """A page of entries of one kind, newest first."""
    return diary.list_entries(user.user_id, kind, limit=limit, offset=offset)


@router.delete("/entries/{kind}/{entry_id}", status_code=204)
def delete_entry(kind: Kind, entry_id: EntryId, user: CurrentUser, diary: Diary) -> Response:
    """Delete one of your entries."""
    diary.delete_entry(user.user_id, kind, entry_id)
    return Response(status_code=204)


@router.get("/days/{day}")
def get_day(day: date, user: CurrentUser, diary: Diary, lang: Lang | None = None) -> dict[str, Any]:
    """A day: meals, supplements, check-in, totals, targets and the supplement advice."""
    return diary.day(user.user_id, day, lang=lang)


@router.get("/period")
def get_period(start: date, end: date, user: CurrentUser, diary: Diary) -> dict[str, Any]:
    """Day by day: magnesium, pain, stress, and the changes in the period."""
    return diary.period(user.user_id, start, end)


@router.get("/export")
def export(user: CurrentUser, diary: Diary, format: Literal["json", "zip"] = "json") -> Response:
    """Everything you stored: one JSON file, or a zip with that JSON and a CSV per table."""
    document = diary.export(user.user_id)
    body = json.dumps(document, ensure_ascii=False, indent=2)
    if format == "json":
        return Response(
            body,
            media_type="application/json",
            headers={"content-disposition": 'attachment; filename="rugwijzer-export.json"'},
        )
    return Response(
        export_zip(document),
        media_type="application/zip",
        headers={"content-disposition": 'attachment; filename="rugwijzer-export.zip"'},
    )


@router.post("/import")
def import_(document: dict[str, Any], user: CurrentUser, diary: Diary) -> dict[str, int]:
    """Restore an export into your (empty) diary; all or nothing."""
    return diary.import_(user.user_id, document)


@router.post("/triage", status_code=201)
def store_triage(
    body: TriageAnswers, user: CurrentUser, diary: Diary, lang: Literal["nl", "en"] = "nl"
) -> dict[str, Any]:
    """Run the red-flag triage and keep the result with its answers in your diary."""
    answers = parse_answers(body.sent())
    view = triage_view(triage(answers), lang).to_json()
    view["id"] = diary.record_assessment(user.user_id, "triage", answers, view)
    return view


@router.post("/screen", status_code=201)
def store_screen(
    answers: dict[str, Any], user: CurrentUser, diary: Diary, lang: Literal["nl", "en"] = "nl"
) -> dict[str, Any]:
    """Run the deficiency-risk screen and keep the result with its answers in your diary."""
    view = screen_view(parse_screen(answers), lang).to_json()
    view["id"] = diary.record_assessment(user.user_id, "screen", answers, view)
    return view


@router.post("/red-flag/acknowledge", status_code=204)
def acknowledge_red_flag(user: CurrentUser, diary: Diary) -> Response:
    """Confirm you have read the newest red flag; it stops heading every page."""
    diary.acknowledge_red_flag(user.user_id)
    return Response(status_code=204)

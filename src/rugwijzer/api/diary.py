"""The user's own diary: /api/v1/me/…"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from rugwijzer.api.deps import (
    CurrentUser,
    Diary,
    Entries,
    EntryId,
    ItemPosition,
    Portability,
    Profiles,
    Summaries,
)
from rugwijzer.api.problems import problem_language
from rugwijzer.api.schemas import (
    ChangeCreate,
    ChangeUpdate,
    CheckInPut,
    MealCreate,
    MealItemPatch,
    SupplementCreate,
    TriageAnswers,
)
from rugwijzer.domain.diary import ChangeInput, CheckInInput
from rugwijzer.domain.progress import Outcome
from rugwijzer.domain.screen import parse_screen
from rugwijzer.domain.triage import parse_answers, triage
from rugwijzer.services.diary_views import (
    ChangeView,
    CheckInView,
    DayView,
    EntryPage,
    ImportCounts,
    MealView,
    PeriodView,
    ProfileView,
    StoredAssessment,
    SupplementLogged,
)
from rugwijzer.services.portability import export_zip
from rugwijzer.services.profile_input import ProfileInput
from rugwijzer.services.progress import EffectView
from rugwijzer.services.safety import screen_view, triage_view

router = APIRouter(prefix="/me", tags=["diary"])
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Kind = Literal["meal", "supplement", "checkin", "change"]
Lang = Literal["nl", "en"]


@router.get("/profile")
def get_profile(user: CurrentUser, profiles: Profiles) -> ProfileView | None:
    """The profile (null until set)."""
    return profiles.profile(user.user_id)


@router.put("/profile")
def put_profile(body: ProfileInput, user: CurrentUser, profiles: Profiles) -> ProfileView:
    """Set profile fields (only those sent change)."""
    return profiles.set_profile(user.user_id, body)


# The two most frequent requests are `async def` and run their service in the thread pool
# themselves: for a plain `def` route FastAPI also checks the answer in the pool, a second
# wait in the worker's line (RUGWIJZER_WORKER_THREADS) for a check that takes microseconds.


@router.post("/meals", status_code=201)
async def log_meal(body: MealCreate, user: CurrentUser, entries: Entries) -> MealView:
    """Log a meal written in plain words."""
    return await run_in_threadpool(
        partial(entries.log_meal, user.user_id, body.text, day=body.date, lang=body.lang)
    )


@router.put("/meals/{meal_id}")
def edit_meal(meal_id: EntryId, body: MealCreate, user: CurrentUser, entries: Entries) -> MealView:
    """Change a meal's text (and day); it is understood again."""
    return entries.edit_meal(user.user_id, meal_id, body.text, day=body.date, lang=body.lang)


@router.patch("/meals/{meal_id}/items/{position}")
def correct_meal_item(
    meal_id: EntryId,
    position: ItemPosition,
    body: MealItemPatch,
    user: CurrentUser,
    entries: Entries,
) -> MealView:
    """Correct one item of a meal (0 = the first): choose another food (for example one of the
    item's alternatives) and/or set its grams. Nutrients follow; the meal text stays."""
    return entries.correct_item(
        user.user_id, meal_id, position, food_id=body.food_id, grams=body.grams
    )


@router.post("/supplements", status_code=201)
def log_supplement(
    body: SupplementCreate, user: CurrentUser, entries: Entries, lang: Lang | None = None
) -> SupplementLogged:
    """Log a supplement taken. The answer's `supplement_advice` gives the day's total against
    your profile: under a hard stop (kidney disease, heart-rhythm problems, pregnancy, a child
    under 4) it suggests no dose and sends you to your doctor. A `label` is read as Dutch and
    English packs write it; `label_reading` says how (which reading, why, both figures)."""
    entry = body.model_dump(exclude_none=True, exclude={"date"})
    if "servings_per_day" not in body.model_fields_set:
        # not sent: the label's own number a day ("1 capsule per dag") counts, else one
        entry.pop("servings_per_day", None)
    return entries.log_supplement(user.user_id, entry, day=body.date, lang=lang)


@router.put("/checkins/{day}")
def put_checkin(day: date, body: CheckInPut, user: CurrentUser, entries: Entries) -> CheckInView:
    """Record (or replace) the check-in of a day."""
    values = body.model_dump()
    values["pain_locations"] = tuple(values["pain_locations"])
    return entries.check_in(user.user_id, CheckInInput(day=day, **values))


@router.post("/changes", status_code=201)
def record_change(body: ChangeCreate, user: CurrentUser, entries: Entries) -> ChangeView:
    """Record a change (started magnesium, a new chair …)."""
    started = body.started_on or entries.today()
    return entries.record_change(
        user.user_id, ChangeInput(body.description, started, body.ended_on, body.aid_category)
    )


@router.patch("/changes/{change_id}")
def update_change(
    change_id: EntryId, body: ChangeUpdate, user: CurrentUser, entries: Entries
) -> ChangeView:
    """Set the end date of a change and/or its aid category (only the fields sent change;
    `aid_category` null or "" clears it)."""
    aid_category = (body.aid_category or "") if "aid_category" in body.model_fields_set else None
    return entries.update_change(
        user.user_id, change_id, ended_on=body.ended_on, aid_category=aid_category
    )


@router.get("/changes/{change_id}/effect", response_model=EffectView)
def change_effect(
    change_id: EntryId,
    request: Request,
    user: CurrentUser,
    diary: Diary,
    outcome: Outcome = Outcome.PAIN,
    lang: Lang | None = None,
) -> EffectView:
    """Did it help? The days before the change against the days after it (up to its end, or
    today) for one outcome: the verdict in plain words, the difference after minus before with
    its 95 % interval, both phases' means and recorded days, the minimal important change, the
    method, caveats and suggestions, and the daily points for a chart. The language is `lang`,
    else the request's Accept-Language (Dutch or English)."""
    return diary.effects.effect(
        user.user_id, change_id, outcome, lang=lang or problem_language(request)
    )


@router.get("/entries/{kind}")
def list_entries(
    kind: Kind, user: CurrentUser, entries: Entries, limit: Limit = 50, offset: Offset = 0
) -> EntryPage:
    """A page of entries of one kind, newest first."""
    return entries.list_entries(user.user_id, kind, limit=limit, offset=offset)


@router.delete("/entries/{kind}/{entry_id}", status_code=204)
def delete_entry(kind: Kind, entry_id: EntryId, user: CurrentUser, entries: Entries) -> Response:
    """Delete one of your entries."""
    entries.delete_entry(user.user_id, kind, entry_id)
    return Response(status_code=204)


@router.get("/days/{day}")
async def get_day(
    day: date, user: CurrentUser, summaries: Summaries, lang: Lang | None = None
) -> DayView:
    """A day: meals, supplements, check-in, totals, targets and the supplement advice."""
    return await run_in_threadpool(partial(summaries.day, user.user_id, day, lang=lang))


@router.get("/period")
def get_period(start: date, end: date, user: CurrentUser, summaries: Summaries) -> PeriodView:
    """Day by day: magnesium, pain, stress, and the changes in the period."""
    return summaries.period(user.user_id, start, end)


@router.get(
    "/export",
    response_class=Response,
    responses={
        200: {
            "description": "The export file: JSON, or a zip with that JSON and a CSV per table.",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ExportDocument"}},
                "application/zip": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
def export(
    user: CurrentUser, portability: Portability, format: Literal["json", "zip"] = "json"
) -> Response:
    """Everything you stored: one JSON file, or a zip with that JSON and a CSV per table."""
    document = portability.export(user.user_id)
    if format == "json":
        return Response(
            document.to_json(),
            media_type="application/json",
            headers={"content-disposition": 'attachment; filename="rugwijzer-export.json"'},
        )
    return Response(
        export_zip(document),
        media_type="application/zip",
        headers={"content-disposition": 'attachment; filename="rugwijzer-export.zip"'},
    )


@router.post("/import")
def import_(document: dict[str, Any], user: CurrentUser, portability: Portability) -> ImportCounts:
    """Restore an export into your (empty) diary; all or nothing."""
    return portability.import_(user.user_id, document)


@router.post("/triage", status_code=201)
def store_triage(
    body: TriageAnswers, user: CurrentUser, entries: Entries, lang: Literal["nl", "en"] = "nl"
) -> StoredAssessment:
    """Run the red-flag triage and keep the result with its answers in your diary."""
    answers = parse_answers(body.sent())
    view = triage_view(triage(answers), lang).to_json()
    return StoredAssessment(
        id=entries.record_assessment(user.user_id, "triage", answers, view), **view
    )


@router.post("/screen", status_code=201)
def store_screen(
    answers: dict[str, Any], user: CurrentUser, entries: Entries, lang: Literal["nl", "en"] = "nl"
) -> StoredAssessment:
    """Run the deficiency-risk screen and keep the result with its answers in your diary."""
    view = screen_view(parse_screen(answers), lang).to_json()
    return StoredAssessment(
        id=entries.record_assessment(user.user_id, "screen", answers, view), **view
    )


@router.post("/red-flag/acknowledge", status_code=204)
def acknowledge_red_flag(user: CurrentUser, entries: Entries) -> Response:
    """Confirm you have read the newest red flag; it stops heading every page."""
    entries.acknowledge_red_flag(user.user_id)
    return Response(status_code=204)

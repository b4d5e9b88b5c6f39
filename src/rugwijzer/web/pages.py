"""Server-rendered pages: first run, warning signs, today, trends, foods, settings.

Every page works without JavaScript: forms post and redirect. Text goes through the gettext
catalogues; dates and numbers through Babel.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rugwijzer.api.deps import EntryId, ItemPosition
from rugwijzer.content import render as render_statement
from rugwijzer.domain.aids import CATEGORIES as AID_CATEGORIES
from rugwijzer.domain.diary import (
    MAX_MINUTES_ACTIVE,
    NOTE_MAX_CHARACTERS,
    ChangeInput,
    CheckInInput,
)
from rugwijzer.domain.progress import Outcome
from rugwijzer.domain.references import REFERENCE_SYSTEMS
from rugwijzer.domain.screen import NOT_NIH_SYMPTOMS, RISK_GROUPS, SYMPTOMS
from rugwijzer.domain.triage import QUESTIONS, parse_answers, triage
from rugwijzer.errors import InvalidInputError, NoFoodRecognisedError, QueryError
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message
from rugwijzer.services.aids import category_label
from rugwijzer.services.app import delete_user
from rugwijzer.services.diary import Diary
from rugwijzer.services.diary_views import ChangeView, NutrientTotal, ProfileView
from rugwijzer.services.foods import search_rows
from rugwijzer.services.knowledge import (
    ArticleView,
    article,
    article_summaries,
    audited_claims,
    faq_items,
)
from rugwijzer.services.meal_items import unparsed_reason
from rugwijzer.services.progress import EffectView
from rugwijzer.services.safety import (
    check_inputs_from_profile,
    intakes_from_json,
    supplement_check_view,
    triage_view,
)
from rugwijzer.services.screening import SCREEN_MIN_LOGGED_DAYS, run_diary_screen, screen_intake
from rugwijzer.services.targets import default_reference
from rugwijzer.services.views import FoodSearchRow
from rugwijzer.web.account_pages import settings_page
from rugwijzer.web.charts import Series, effect_chart, line_chart
from rugwijzer.web.i18n import LANGUAGES, format_day, format_number, translations
from rugwijzer.web.rendering import (
    SESSION_COOKIE,
    page_lang,
    remember_language,
    render,
    safe_next,
    say_html,
    signed_in_diary,
    urgency_label,
    viewer,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request) -> Response:
    """Returning users go to Today; a first visit gets what Rugwijzer does before any form."""
    who = viewer(request)
    if who is not None and request.app.state.diary.profiles.profile(who.user_id):
        return RedirectResponse("/today", status_code=303)
    lang = page_lang(request)
    _ = translations(lang).gettext
    return render(
        request,
        "home.html",
        _("Rugwijzer: your back, your magnesium, your own evidence"),
        start="/welcome" if who is not None else "/register",
        articles=article_summaries(lang),
    )


@router.get("/lang/{code}")
def switch_language(code: str, request: Request, next: str = "/") -> Response:
    """Switch the interface language (kept in a cookie)."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LANGUAGES:
        remember_language(response, code)
    return response


@router.post("/red-flag/acknowledge")
def acknowledge_red_flag(request: Request) -> Response:
    """The user has read the red flag: it leaves the top of the pages."""
    diary, user = signed_in_diary(request)
    diary.entries.acknowledge_red_flag(user)
    return RedirectResponse("/today", status_code=303)


@router.get("/welcome")
def welcome(request: Request) -> HTMLResponse:
    """First run: the profile in one short form."""
    lang = page_lang(request)
    diary, user = signed_in_diary(request)
    profile = diary.profiles.profile(user) or {
        "reference": default_reference(lang),
        "language": lang,
    }
    return _welcome_page(request, diary, profile)


def _welcome_page(
    request: Request,
    diary: Diary,
    profile: ProfileView | dict[str, Any],
    status_code: int = 200,
    error: str | None = None,
) -> HTMLResponse:
    _ = translations(page_lang(request)).gettext
    return render(
        request,
        "welcome.html",
        _("Welcome"),
        status_code,
        error=error,
        profile=profile,
        references=list(REFERENCE_SYSTEMS.items()),
        this_year=diary.today().year,
    )


@router.post("/welcome")
def save_profile(
    request: Request,
    birth_year: str = Form(""),
    sex: str = Form(""),
    language: str = Form(""),
    reference: str = Form("nl"),
    medicines: str = Form(""),
    diet_exclusions: str = Form(""),
    pregnant: bool = Form(False),
    lactating: bool = Form(False),
    kidney_disease: bool = Form(False),
    heart_rhythm_problems: bool = Form(False),
) -> Response:
    """Store the profile and the language, then ask the warning-sign questions."""
    chosen = language if language in LANGUAGES else page_lang(request)
    diary, user = signed_in_diary(request)
    year = birth_year.strip()
    values: dict[str, Any] = {
        # not a year at all is a year not given (the form asks for it)
        "birth_year": int(year) if year.isdigit() else None,
        "sex": sex or None,
        "reference": reference,
        "medicines": [line.strip() for line in medicines.splitlines() if line.strip()],
        "diet_exclusions": [line.strip() for line in diet_exclusions.splitlines() if line.strip()],
        "pregnant": pregnant,
        "lactating": lactating,
        "kidney_disease": kidney_disease,
        "heart_rhythm_problems": heart_rhythm_problems,
        "language": chosen,
    }
    try:
        diary.profiles.set_profile(user, values, needed=("birth_year", "sex"))
    except InvalidInputError as exc:
        error = render_message(exc.message, page_lang(request))  # the page the error is on
        return _welcome_page(request, diary, {**values, "birth_year": year}, 422, error)
    response = RedirectResponse("/triage", status_code=303)
    remember_language(response, chosen)
    return response


def _questions(lang: str) -> list[dict[str, str]]:
    return [
        {"key": q.key, "kind": q.kind, "text": q.nl if lang == "nl" else q.en} for q in QUESTIONS
    ]


@router.get("/triage")
def triage_page(request: Request) -> HTMLResponse:
    """The warning-sign questions."""
    lang = page_lang(request)
    _ = translations(lang).gettext
    return render(request, "triage.html", _("Warning signs"), questions=_questions(lang))


@router.post("/triage")
async def triage_submit(request: Request) -> HTMLResponse:
    """Check the answers, keep the result, and show it (a red flag then heads every page)."""
    lang = page_lang(request)
    _ = translations(lang).gettext
    form = await request.form()
    raw: dict[str, Any] = {}
    for question in QUESTIONS:
        value = str(form.get(question.key, "") or "").strip()
        if not value:
            continue
        if question.kind == "yes_no":
            raw[question.key] = value == "yes"
        else:
            try:
                raw[question.key] = float(value.replace(",", "."))
            except ValueError:
                raw[question.key] = value  # parse_answers names the problem
    try:
        result = triage_view(triage(parse_answers(raw)), lang)
    except InvalidInputError as exc:
        return render(
            request,
            "triage.html",
            _("Warning signs"),
            422,
            error=exc.message,
            questions=_questions(lang),
        )
    who = viewer(request)
    if who is not None:  # signed out (server mode), the check still runs; nothing is kept
        request.app.state.diary.entries.record_assessment(
            who.user_id, "triage", raw, result.to_json()
        )
    return render(
        request,
        "triage.html",
        _("Warning signs"),
        questions=_questions(lang),
        result=result,
        result_label=urgency_label(result["urgency"], lang),
    )


def _not_in_data(unparsed: dict[str, Any]) -> bool:
    return unparsed_reason(unparsed).code is Code.MEAL_NOT_IN_FOOD_DATA


def _meal_item(item: dict[str, Any], lang: str) -> dict[str, Any]:
    return {**item, "how": say_html(Message.from_json(item["grams_derivation"]), lang)}


def _aid_categories(lang: str) -> list[tuple[str, str]]:
    """The catalogue's aid categories with their names in `lang`, for a select."""
    return [(category, category_label(category, lang)) for category in AID_CATEGORIES]


def _today_context(request: Request, lang: str) -> dict[str, Any]:
    _ = translations(lang).gettext
    diary, user = signed_in_diary(request)
    # the day and, when there is a gap, the first plan for what is left, leaving out what the
    # profile's diet exclusions name (the alternatives and other exclusions are on /plan)
    view, gap_plan = diary.planner.today_with_plan(user, lang)
    advice = view.supplement_advice
    food_mg = view.totals["magnesium_mg"]
    magnesium = food_mg.amount
    targets = view.targets
    target_value = targets.magnesium["value"] if targets else None
    supplement_limit = targets.supplement_upper_limit if targets else None
    return {
        "gap_plan": gap_plan,
        "note_max": NOTE_MAX_CHARACTERS,
        "aid_categories": _aid_categories(lang),
        "red_flag": view.red_flag,
        "day_label": format_day(view.day, lang),
        "meals": [
            {
                **meal,
                "items": [_meal_item(item, lang) for item in meal["items"]],
                "missing": [u["text"] for u in meal["unparsed"] if _not_in_data(u)],
                "unclear": [u["text"] for u in meal["unparsed"] if not _not_in_data(u)],
            }
            for meal in (meal.model_dump() for meal in view.meals)
        ],
        "checkin": view.checkin,
        "magnesium": format_number(magnesium, lang),
        "magnesium_value": magnesium,
        "target": format_number(target_value, lang) if target_value else None,
        "target_value": target_value,
        "target_kind": targets.magnesium["kind"] if targets else None,
        "percent": round(100 * magnesium / target_value) if target_value else None,
        "without_value": isinstance(food_mg, NutrientTotal) and food_mg.grams_without_value > 0,
        "supplements": [
            {
                "name": entry.name,
                "per_serving_mg": format_number(entry.elemental_mg, lang),
                "servings": format_number(entry.servings, lang, optional_digits=2),
                "elemental_mg": format_number(entry.elemental_mg * entry.servings, lang),
                "how": render_message(Message.from_json(entry.how), lang),
            }
            for entry in view.supplements
        ],
        "supplement_mg": format_number(view.supplement_magnesium_mg, lang),
        "supplement_stops": advice["hard_stops"] if advice else [],
        "supplement_advice": advice["advice"] if advice else None,
        "supplement_limit": supplement_limit,
        "supplement_limit_mg": format_number(supplement_limit["value"], lang)
        if supplement_limit and supplement_limit["value"]
        else None,
        "over_supplement_limit": bool(
            supplement_limit
            and supplement_limit["value"]
            and view.supplement_magnesium_mg > supplement_limit["value"]
        ),
        "context": [
            {
                "name": name,
                "intake": format_number(view.totals[key].amount, lang, digits),
                "unit": unit,
                "target": (
                    format_number(targets.context[key]["value"], lang)
                    if targets and targets.context[key]["value"]
                    else "—"
                ),
            }
            for name, key, unit, digits in (
                (_("Calcium"), "calcium_mg", "mg", 0),
                (_("Potassium"), "potassium_mg", "mg", 0),
                (_("Vitamin D"), "vitamin_d_ug", "µg", 1),
            )
        ],
    }


@router.get("/today")
def today(request: Request) -> HTMLResponse:
    """Today's meals, magnesium against the target, and the check-in."""
    lang = page_lang(request)
    _ = translations(lang).gettext
    return render(request, "today.html", _("Today"), **_today_context(request, lang))


def _today_form(request: Request, action: Callable[[Diary, int], object]) -> Response:
    """Run a Today form: back to Today when it worked, Today with the error (422) when not."""
    lang = page_lang(request)
    diary, user = signed_in_diary(request)
    try:
        action(diary, user)
    except InvalidInputError as exc:
        _ = translations(lang).gettext
        return render(
            request,
            "today.html",
            _("Today"),
            422,
            error=exc.message,
            **_today_context(request, lang),
        )
    return RedirectResponse("/today", status_code=303)


def _form_decimal(value: str, field: Code) -> float:
    """A number typed with a decimal comma or point; `field` names it in the error."""
    try:
        return float(value.strip().replace(",", "."))
    except ValueError:
        raise InvalidInputError(Code.FORM_NOT_A_NUMBER, field=Message.of(field)) from None


@router.post("/today/meal")
def add_meal(request: Request, text: str = Form("")) -> Response:
    """Log a meal written in plain words."""
    lang = page_lang(request)

    def log(diary: Diary, user: int) -> object:
        try:
            return diary.entries.log_meal(user, text, lang=lang)
        except NoFoodRecognisedError as exc:
            code = Code.FORM_MEAL_NOT_IN_DATA if exc.not_in_data else Code.FORM_MEAL_NOT_RECOGNISED
            raise InvalidInputError(code, text=text.strip()) from exc

    return _today_form(request, log)


@router.post("/today/meal/{meal_id}/item/{position}")
def correct_grams(
    request: Request, meal_id: EntryId, position: ItemPosition, grams: str = Form("")
) -> Response:
    """Correct the grams of one item of a meal."""

    def correct(diary: Diary, user: int) -> object:
        grams_value = _form_decimal(grams, Code.ENTRY_FIELD_GRAMS)
        return diary.entries.set_item_grams(user, meal_id, position, grams_value)

    return _today_form(request, correct)


@router.post("/today/meal/{meal_id}/item/{position}/food")
def choose_food(
    request: Request, meal_id: EntryId, position: ItemPosition, food_id: str = Form("")
) -> Response:
    """Put another food (one of the item's alternatives) in place of what was understood."""

    def choose(diary: Diary, user: int) -> object:
        return diary.entries.choose_item_food(user, meal_id, position, food_id.strip())

    return _today_form(request, choose)


@router.post("/today/supplement")
def add_supplement(request: Request, label: str = Form(""), servings: str = Form("")) -> Response:
    """Log a supplement taken today from the line on its label. Servings left empty: as the
    label says ("1 capsule per dag"), else one."""

    def log(diary: Diary, user: int) -> object:
        entry: dict[str, Any] = {"label": label}
        if servings.strip():
            entry["servings_per_day"] = _form_decimal(servings, Code.ENTRY_FIELD_SERVINGS)
        return diary.entries.log_supplement(user, entry, lang=page_lang(request))

    return _today_form(request, log)


@router.post("/today/checkin")
async def save_checkin(request: Request) -> Response:
    """Save today's check-in; empty fields stay unrecorded (not zero)."""
    form = await request.form()

    def text(name: str) -> str:
        return str(form.get(name, "") or "").strip()

    def whole_number(name: str, field: Code, highest: int) -> int | None:
        value = text(name)
        if not value:
            return None
        if not value.isdigit() or int(value) > highest:
            raise InvalidInputError(
                Code.FORM_WHOLE_NUMBER, field=Message.of(field), highest=highest
            )
        return int(value)

    def save(diary: Diary, user: int) -> object:
        cramps = text("cramps")
        checkin = CheckInInput(
            day=diary.today(),
            pain=whole_number("pain", Code.ENTRY_FIELD_PAIN, 10),
            stress=whole_number("stress", Code.ENTRY_FIELD_STRESS, 10),
            sleep_quality=whole_number("sleep_quality", Code.ENTRY_FIELD_SLEEP, 10),
            stiffness=whole_number("stiffness", Code.ENTRY_FIELD_STIFFNESS, 10),
            cramps={"yes": True, "no": False}.get(cramps),
            minutes_active=whole_number(
                "minutes_active", Code.ENTRY_FIELD_MINUTES_ACTIVE, MAX_MINUTES_ACTIVE
            ),
            aid_worn=text("aid_worn") or None,
            note=text("note") or None,
            aid_category=text("aid_category") or None,
        )
        return diary.entries.check_in(user, checkin)

    return _today_form(request, save)


def _period(days: int | str) -> int:
    return int(days) if str(days) in ("7", "30", "90") else 30


@router.get("/trends")
def trends(request: Request, days: int = 30, outcome: str = "pain") -> HTMLResponse:
    """Magnesium, pain and stress over 7, 30 or 90 days, with the user's changes marked, and
    for each change whether it helped (pain, or the `outcome` chosen)."""
    return _trends_page(request, _period(days), outcome=_outcome(outcome))


@router.post("/trends/change")
def record_change(
    request: Request,
    description: str = Form(""),
    started_on: str = Form(""),
    aid_category: str = Form(""),
    days: str = Form("30"),
) -> Response:
    """Record something the user changed (a supplement, a chair, daily walks) from a date;
    `aid_category` when it is an aid of the catalogue."""
    span = _period(days)
    diary, user = signed_in_diary(request)
    try:
        try:
            start = date.fromisoformat(started_on.strip()) if started_on.strip() else diary.today()
        except ValueError:
            raise InvalidInputError(Code.FORM_START_DATE_INVALID) from None
        if start > diary.today():
            raise InvalidInputError(Code.FORM_START_DATE_FUTURE)
        if not description.strip():
            raise InvalidInputError(Code.ENTRY_CHANGE_EMPTY)
        diary.entries.record_change(
            user, ChangeInput(description.strip(), start, aid_category=aid_category or None)
        )
    except InvalidInputError as exc:
        return _trends_page(
            request,
            span,
            422,
            error=exc.message,
            description=description,
            aid_category=aid_category,
        )
    return RedirectResponse(f"/trends?days={span}", status_code=303)


@router.post("/trends/change/{change_id}/end")
def end_change(request: Request, change_id: EntryId, days: str = Form("30")) -> Response:
    """The change stopped today (it stays marked where it started)."""
    span = _period(days)
    diary, user = signed_in_diary(request)
    try:
        diary.entries.end_change(user, change_id, diary.today())
    except InvalidInputError as exc:
        return _trends_page(request, span, 422, error=exc.message)
    return RedirectResponse(f"/trends?days={span}", status_code=303)


@router.post("/trends/aid/{category}")
def analyse_aid(request: Request, category: str, days: str = Form("30")) -> Response:
    """Analyse an aid the check-ins name as a change from the first day they name it (one
    click; a change about it already there is kept, not doubled)."""
    span = _period(days)
    lang = page_lang(request)
    diary, user = signed_in_diary(request)
    try:
        label = category_label(category, lang) if category in AID_CATEGORIES else category
        diary.entries.analyse_aid(user, category, label)
    except InvalidInputError as exc:
        return _trends_page(request, span, 422, error=exc.message)
    return RedirectResponse(f"/trends?days={span}", status_code=303)


#: Trends judges at most this many changes (the most recent): each is an analysis and a chart.
MAX_EFFECTS_SHOWN = 10


def _outcome(value: str) -> Outcome:
    """The outcome a query asks for; an unknown one is pain (a page link, not an API)."""
    try:
        return Outcome(value)
    except ValueError:
        return Outcome.PAIN


def _effect_part(view: EffectView, lang: str) -> dict[str, Any]:
    """What Trends shows of one change's answer: the figures as text in the page's language
    (the same words as `rugwijzer effect`)."""
    _ = translations(lang).gettext

    def points(value: float) -> str:
        return format_number(value, lang, 1)

    difference = None
    if view.difference is not None and view.ci_low is not None and view.ci_high is not None:
        difference = _(
            "Difference (after − before): {difference} points, 95 % interval {low} to {high}"
        ).format(
            difference=points(view.difference), low=points(view.ci_low), high=points(view.ci_high)
        )
    phases = [
        _("{phase}: mean {mean} over {days} recorded days").format(
            phase=name, mean="—" if mean is None else points(mean), days=format_number(days, lang)
        )
        for name, mean, days in (
            (_("Before"), view.before_mean, view.days_before),
            (_("After"), view.after_mean, view.days_after),
        )
    ]
    mic = None
    if view.mic is not None:
        mic = _("Smallest change that matters (MIC): {mic} points").format(
            mic=format_number(view.mic, lang, 0, 1)
        )
    return {
        "view": view,
        "started_label": format_day(view.change_date, lang),
        "difference": difference,
        "phases": phases,
        "mic": mic,
        # below the figures: the days and both phases, and the difference against -MIC/0/+MIC
        "chart": effect_chart(
            view,
            lang,
            title=_("{change}: {outcome} before and after").format(
                change=view.description or "", outcome=view.outcome_name
            ),
        ),
    }


def _change_effects(
    diary: Diary, user: int, changes: Sequence[ChangeView], outcome: Outcome, lang: str
) -> list[dict[str, Any]]:
    """Did it help? for the most recent changes on the page, newest first."""
    recent = sorted(changes, key=lambda change: (change.started_on, change.id), reverse=True)
    return [
        _effect_part(diary.effects.effect(user, change.id, outcome, lang=lang), lang)
        for change in recent[:MAX_EFFECTS_SHOWN]
    ]


def _trends_page(
    request: Request,
    span: int,
    status_code: int = 200,
    *,
    outcome: Outcome = Outcome.PAIN,
    **extra: Any,
) -> HTMLResponse:
    lang = page_lang(request)
    _ = translations(lang).gettext
    diary, user = signed_in_diary(request)
    end = diary.today()
    view = diary.summaries.period(user, end - timedelta(days=span - 1), end)
    labels = [row.day.isoformat() for row in view.days]
    day_labels = [format_day(row.day, lang, "d MMM") for row in view.days]
    index_of = {row.day: index for index, row in enumerate(view.days)}
    marks = [
        (index_of[change.started_on], change.description)
        for change in view.changes
        if change.started_on in index_of
    ]
    total = [
        None
        if row.magnesium_food_mg is None and not row.magnesium_supplements_mg
        else round((row.magnesium_food_mg or 0) + row.magnesium_supplements_mg)
        for row in view.days
    ]
    target = diary.summaries.day(user, end).targets
    target_mg = target.magnesium["value"] if target else None
    magnesium_chart = line_chart(
        _("Magnesium from food and supplements (mg)"),
        labels,
        [Series(_("Magnesium"), "magnesium", total)],
        # headroom above the highest point, rounded up to a multiple of 50 mg
        y_max=50
        * math.ceil(1.15 * max([v for v in total if v is not None] + [target_mg or 0, 100]) / 50),
        marks=marks,
        target=target_mg,
        target_label=_("Your target"),
        day_labels=day_labels,
        lang=lang,
    )
    pain_chart = line_chart(
        _("Pain and stress (0-10)"),
        labels,
        [
            Series(_("Pain"), "pain", [row.pain for row in view.days]),
            Series(_("Stress"), "stress", [row.stress for row in view.days]),
        ],
        y_max=10,
        marks=marks,
        day_labels=day_labels,
        lang=lang,
    )
    return render(
        request,
        "trends.html",
        _("Trends"),
        status_code,
        days=span,
        today=diary.today().isoformat(),
        aid_categories=_aid_categories(lang),
        recorded_aids=[
            {
                "category": aid.category,
                "label": category_label(aid.category, lang),
                "text": _("%(aid)s: in %(count)s check-ins, from %(day)s")
                % {
                    "aid": category_label(aid.category, lang),
                    "count": format_number(aid.days, lang),
                    "day": format_day(aid.first_day, lang),
                },
            }
            for aid in diary.entries.unanalysed_aids(user)
        ],
        **extra,
        magnesium_chart=magnesium_chart,
        pain_chart=pain_chart,
        rows=[
            {**row.model_dump(), "day_label": format_day(row.day, lang, "medium")}
            for row in view.days
        ],
        changes=[
            {
                **change.model_dump(),
                "started_label": format_day(change.started_on, lang),
                "ended_label": format_day(change.ended_on, lang) if change.ended_on else None,
                "aid_label": category_label(change.aid_category, lang)
                if change.aid_category
                else None,
            }
            for change in view.changes
        ],
        outcome=outcome.value,
        outcomes=[
            (Outcome.PAIN.value, _("Pain")),
            (Outcome.STRESS.value, _("Stress")),
            (Outcome.SLEEP_QUALITY.value, _("Sleep quality")),
            (Outcome.STIFFNESS.value, _("Stiffness")),
        ],
        effects=_change_effects(diary, user, view.changes, outcome, lang),
        more_changes=_("{count} older changes are not judged here.").format(
            count=format_number(len(view.changes) - MAX_EFFECTS_SHOWN, lang)
        )
        if len(view.changes) > MAX_EFFECTS_SHOWN
        else "",
    )


@router.get("/faq")
def faq_page(request: Request) -> HTMLResponse:
    """Questions people ask about magnesium and back pain, graded and cited."""
    lang = page_lang(request)
    _ = translations(lang).gettext
    return render(request, "faq.html", _("Questions"), items=faq_items(lang))


@router.get("/claims")
def claims_page(request: Request) -> HTMLResponse:
    """The article's claims and what the evidence says of each."""
    lang = page_lang(request)
    _ = translations(lang).gettext
    return render(request, "claims.html", _("The article's claims"), items=audited_claims(lang))


def _article_links(view: ArticleView, lang: str) -> list[dict[str, str]]:
    _ = translations(lang).gettext
    pages = {
        "screen": ("/screen", _("Check your risk of a magnesium shortage")),
        "breathe": ("/stress", _("Breathe: guided slow breathing")),
        "triage": ("/triage", _("Check for warning signs")),
        "supplements": ("/supplements", _("Check your supplements")),
        "foods": ("/foods", _("Look up the magnesium in a food")),
        "today": ("/today", _("Log what you eat today")),
        "trends": ("/trends", _("See your trends and whether a change helped")),
        "faq": ("/faq", _("Questions")),
        "claims": ("/claims", _("The article's claims")),
    }
    return [{"href": pages[link.page][0], "text": pages[link.page][1]} for link in view.links]


@router.get("/articles")
def articles_page(request: Request) -> HTMLResponse:
    """The articles: short, graded and cited."""
    lang = page_lang(request)
    _ = translations(lang).gettext
    return render(request, "articles.html", _("Articles"), items=article_summaries(lang))


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: str) -> HTMLResponse:
    """One article; an unknown id is the 404 page."""
    lang = page_lang(request)
    view = article(article_id, lang, request.app.state.diary.foods)
    return render(
        request,
        "article.html",
        view.title,
        article=view,
        links=_article_links(view, lang),
        any_assumed=any(row.portion_source is None for row in view.foods),
    )


def _screen_choices(lang: str) -> dict[str, Any]:
    _ = translations(lang).gettext
    position = 0 if lang == "nl" else 1
    return {
        "levels": {"low": _("low"), "moderate": _("moderate"), "elevated": _("elevated")},
        "symptoms": [
            {"key": key, "text": names[position], "not_nih": str(key in NOT_NIH_SYMPTOMS)}
            for key, names in SYMPTOMS.items()
        ],
        "risk_groups": [
            {"key": key, "text": names[position]}
            for key, names in RISK_GROUPS.items()
            if key != "older_age"  # from the year of birth in the profile
        ],
    }


@router.get("/screen")
def screen_page(request: Request) -> HTMLResponse:
    """The deficiency-risk screen, with the magnesium from the diary's food."""
    lang = page_lang(request)
    _ = translations(lang).gettext
    diary, user = signed_in_diary(request)
    return render(
        request,
        "screen.html",
        _("Magnesium shortage: a risk check"),
        intake=screen_intake(diary, user),
        min_days=SCREEN_MIN_LOGGED_DAYS,
        ticked=set(),
        **_screen_choices(lang),
    )


@router.post("/screen")
async def screen_submit(request: Request) -> HTMLResponse:
    """Run the screen with the ticked answers, keep the result and show it."""
    lang = page_lang(request)
    _ = translations(lang).gettext
    diary, user = signed_in_diary(request)
    form = await request.form()
    symptoms = [str(v) for v in form.getlist("symptoms")]
    risk_groups = [str(v) for v in form.getlist("risk_groups")]
    context: dict[str, Any] = {
        "min_days": SCREEN_MIN_LOGGED_DAYS,
        "ticked": set(symptoms) | set(risk_groups),
        **_screen_choices(lang),
    }
    title = _("Magnesium shortage: a risk check")
    try:
        done = run_diary_screen(diary, user, symptoms, risk_groups, lang)
    except InvalidInputError as exc:
        intake = screen_intake(diary, user)
        return render(
            request, "screen.html", title, 422, error=exc.message, intake=intake, **context
        )
    return render(request, "screen.html", title, intake=done.intake, result=done.result, **context)


@router.get("/stress")
def stress(request: Request, pace: int = 6) -> HTMLResponse:
    """Guided breathing at a chosen pace, and what is known about stress, graded and cited."""
    lang = page_lang(request)
    _ = translations(lang).gettext
    breaths = pace if pace in (4, 5, 6, 8) else 6
    tips = [
        render_statement(key, lang)
        for key in ("stress.breathing", "stress.magnesium", "stress.vicious_circle")
    ]
    return render(
        request,
        "stress.html",
        _("Breathe"),
        pace=breaths,
        seconds=round(60 / breaths, 1),
        tips=tips,
    )


def _supplement_page(
    request: Request, form: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    lang = page_lang(request)
    _ = translations(lang).gettext
    diary, user = signed_in_diary(request)
    inputs = check_inputs_from_profile(diary.profiles.profile(user), diary.today())
    if inputs is None:
        return render(
            request,
            "supplements.html",
            _("Supplements"),
            status_code,
            error=_("Fill in your profile first: the upper limit and the advice depend on it."),
            form=form,
        )
    profile, flags, reference = inputs
    error: Message | None = None
    intakes = []
    entry = {k: v for k, v in form.items() if v not in (None, "")}
    if entry.get("label") or entry.get("form"):
        try:
            intake: dict[str, Any] = {}
            if entry.get("servings"):
                # left empty: as the label says ("1 capsule per dag"), else one
                intake["servings_per_day"] = _form_decimal(
                    str(entry["servings"]), Code.ENTRY_FIELD_SERVINGS
                )
            if entry.get("label"):
                intake["label"] = entry["label"]
            else:
                intake["form"] = entry["form"]
                intake["compound_mg"] = _form_decimal(
                    str(entry.get("compound_mg") or 0), Code.ENTRY_FIELD_COMPOUND_MG
                )
            intakes = intakes_from_json([intake])
        except InvalidInputError as exc:
            error = exc.message
            status_code = 422
    # Checked without a supplement too: the hard stops head the page before anything is typed.
    check = supplement_check_view(
        diary.foods, profile, flags, None, intakes, reference=reference, lang=lang
    )
    return render(
        request,
        "supplements.html",
        _("Supplements"),
        status_code,
        error=error,
        form=form,
        check=check,
        checked=bool(intakes),
    )


@router.get("/supplements")
def supplements(request: Request) -> HTMLResponse:
    """The supplement advisor with the user's profile."""
    return _supplement_page(request, {})


@router.post("/supplements")
async def supplements_check(request: Request) -> HTMLResponse:
    """Check a supplement: elemental amount, upper limit, interactions, food first."""
    form = await request.form()
    values = {
        key: str(form.get(key, "") or "").strip()
        for key in ("label", "form", "compound_mg", "servings")
    }
    return _supplement_page(request, values)


@router.get("/foods")
def foods(request: Request, q: str = "") -> HTMLResponse:
    """Search the food database."""
    lang = page_lang(request)
    _ = translations(lang).gettext
    rows: list[FoodSearchRow] = []
    error = None
    if q.strip():
        try:
            rows = search_rows(request.app.state.diary.foods, q, lang=lang, limit=10)
        except QueryError as exc:
            error = exc.message
    return render(request, "foods.html", _("Foods"), q=q, rows=rows, error=error)


@router.get("/settings")
def settings(request: Request, changed: str = "") -> HTMLResponse:
    """Export, import and delete everything; in server mode also the account and access."""
    _ = translations(page_lang(request)).gettext
    notice = {
        "password": _("Your password has been changed."),
        "preferences": _("Your choices have been saved."),
    }.get(changed)
    return settings_page(request, notice=notice)


@router.post("/settings/preferences")
def save_preferences(
    request: Request, language: str = Form(""), reference: str = Form("")
) -> Response:
    """The interface language (a cookie) and, with a profile, the reference values."""
    diary, user = signed_in_diary(request)
    chosen = language if language in LANGUAGES else page_lang(request)
    if reference in REFERENCE_SYSTEMS and diary.profiles.profile(user):
        diary.profiles.set_profile(user, {"reference": reference, "language": chosen})
    response = RedirectResponse("/settings?changed=preferences", status_code=303)
    remember_language(response, chosen)
    return response


@router.post("/settings/import")
async def import_export(request: Request) -> Response:
    """Restore a Rugwijzer export into an empty diary."""
    diary, user = signed_in_diary(request)
    async with request.form() as form:  # closes the uploaded file afterwards
        upload = form.get("file")
        raw = None if upload is None or isinstance(upload, str) else await upload.read()
    try:
        if raw is None:
            raise InvalidInputError(Code.FORM_CHOOSE_FILE)
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInputError(Code.FORM_NOT_AN_EXPORT) from exc
        diary.portability.import_(user, document)
    except InvalidInputError as exc:
        return settings_page(request, 422, error=exc.message)
    return RedirectResponse("/today", status_code=303)


@router.post("/settings/delete")
def delete_everything(request: Request, confirm: bool = Form(False)) -> Response:
    """Delete the whole diary (needs the confirmation box)."""
    if not confirm:
        return settings_page(request, 422, error=Message.of(Code.FORM_CONFIRM_DELETE))
    diary, user = signed_in_diary(request)
    local_user = delete_user(diary, request.app.state.accounts, user)
    if local_user is not None:  # local mode: a fresh diary, starting with the profile
        request.app.state.local_user_id = local_user
        return RedirectResponse("/welcome", status_code=303)
    response = RedirectResponse("/register", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response

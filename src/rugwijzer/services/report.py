"""The report for a GP or physiotherapist: one typed view of a user's diary over a period.

`ReportService.report(user_id, start, end, lang=…)` answers a `ReportView`: the profile in
short, the warning-sign checks and their urgency, magnesium against the target, the supplements
against the upper limit, each change that started in the period with its verdict (the "did it
help?" analysis of `rugwijzer.services.progress`), the weekly pain and stress, and the sources.
Text in the view is already in the reader's language; the web's report module draws the charts
and prints it to PDF. A period is at most two years; one that ends before it starts is an error.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session, joinedload, sessionmaker

from rugwijzer.content import render as render_statement
from rugwijzer.content import sources as known_sources
from rugwijzer.domain.references import REFERENCE_SYSTEMS, Profile
from rugwijzer.domain.supplements import HealthFlags, SupplementIntake
from rugwijzer.domain.triage import FLAGS, QUESTIONS
from rugwijzer.errors import InvalidInputError
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code
from rugwijzer.services.diary_views import ChangeView, ProfileView, change_view, profile_view
from rugwijzer.services.profile import DiaryPart
from rugwijzer.services.profile_input import age_on
from rugwijzer.services.progress import EffectService, EffectView
from rugwijzer.services.safety import check_inputs_from_profile, stored_supplement_advice
from rugwijzer.services.summaries import totals
from rugwijzer.services.targets import targets_for
from rugwijzer.services.views import CitedSource, cited_sources
from rugwijzer.store import queries
from rugwijzer.store.engine import transaction
from rugwijzer.store.meal_text import how_message
from rugwijzer.store.models import Assessment, CheckIn, MealEntry, SupplementEntry, User

__all__ = [
    "MAX_REPORT_DAYS",
    "METHOD_SOURCE_IDS",
    "IntakeSummary",
    "ProfileSummary",
    "ReportService",
    "ReportView",
    "SupplementSummary",
    "SupplementTaken",
    "TrendDay",
    "TrendSummary",
    "TrendWeek",
    "WarningSignCheck",
]

#: The longest period a report covers: two years (a leap day included).
MAX_REPORT_DAYS = 731
#: The warning-sign checks that found something, shown at most (the latest).
MAX_FLAGGED_CHECKS = 5
#: Up to this many weeks the trend table has a row a week; beyond, a row per four weeks.
WEEKS_IN_TABLE_MAX = 26
#: Sources of the "did it help?" method, cited when content/sources.toml has them (Farrar et al.
#: 2001 for the smallest important change, Whitney & Von Korff 1992 on regression to the mean,
#: the AHRQ n-of-1 guide and the CENT 2015 statement).
METHOD_SOURCE_IDS = (
    "farrar-2001",
    "whitney-vonkorff-1992",
    "ahrq-nof1-2014",
    "cent-2015",
)
#: What every report cites for its figures: the food data the meals were counted with.
_FOOD_SOURCE_IDS = ("usda-sr24",)
#: The targets' sources by reference system, where content/sources.toml has them.
_TARGET_SOURCE_IDS = {"nih": ("iom-1997", "ods-magnesium"), "efsa": (), "nl": ()}
_URGENCIES = ("emergency", "urgent", "soon", "none")
_QUESTION_TEXT = {question.key: question for question in QUESTIONS}


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class ProfileSummary(_View):
    """Who the report is about, as far as it matters for magnesium and back pain."""

    age: int | None = Field(description="Age in whole years at the end of the period.")
    sex: Literal["female", "male"] | None
    pregnant: bool
    lactating: bool
    kidney_disease: bool
    heart_rhythm_problems: bool
    medicines: list[str]
    reference: str | None = Field(description="The reference system of the targets.")
    reference_name: str | None


class WarningSignCheck(_View):
    """One stored warning-sign (red-flag) check: its urgency and what it found."""

    recorded_on: date | None
    in_period: bool = Field(description="False for the last check before the period.")
    urgency: Literal["emergency", "urgent", "soon", "none"]
    advice: str = Field(description="What to do, in the report's language.")
    reasons: list[str] = Field(description="The warning signs found, in the report's language.")
    questions: int = Field(description="How many questions the check asks.")
    unanswered: list[str] = Field(description="The questions left unanswered.")
    acknowledged: bool


class IntakeSummary(_View):
    """Magnesium over the period: the mean of the days with meals recorded, against the target."""

    days: int = Field(description="Days in the period.")
    days_with_meals: int
    food_mean_mg: float | None = Field(description="Mean a day from food, days with meals.")
    supplement_mean_mg: float | None = Field(
        description="Mean a day from supplements, over the same days."
    )
    total_mean_mg: float | None
    target_mg: float | None
    target_kind: str | None = Field(description="RDA or AI.")
    target_source: str | None = Field(description="Where the target comes from (English).")
    percent_of_target: float | None
    days_below_target: int | None = Field(description="Days with meals under the target.")
    grams_without_value: float = Field(
        description="Grams of food without a magnesium value (not counted as zero)."
    )


class SupplementTaken(_View):
    """One supplement as taken in the period."""

    name: str
    days: int = Field(description="Days it was taken.")
    elemental_mg_per_day: float = Field(description="Elemental magnesium a day it was taken.")
    how: str = Field(description="How the elemental amount was counted.")


class SupplementSummary(_View):
    """Supplemental magnesium a day against the upper limit for supplements."""

    taken: list[SupplementTaken]
    days_with_supplements: int
    mean_mg: float | None = Field(description="Mean a day over the days taken.")
    highest_mg: float | None
    upper_limit_mg: float | None = Field(description="None under a hard stop, or no profile.")
    days_over_limit: int
    hard_stops: list[str] = Field(description="Why no dose is advised, if so.")


class TrendDay(_View):
    """A day's pain and stress (None: not recorded)."""

    day: date
    pain: int | None
    stress: int | None


class TrendWeek(_View):
    """A week of the period, or four in a long period (the last may be shorter): the mean pain
    and stress of its recorded days."""

    first_day: date
    last_day: date
    days_recorded: int
    pain_mean: float | None
    stress_mean: float | None


class TrendSummary(_View):
    """Pain and stress over the period."""

    days_recorded: int
    pain_mean: float | None
    stress_mean: float | None
    block_days: int = Field(description="7, or 28 in a period of more than 26 weeks.")
    weeks: list[TrendWeek]
    days: list[TrendDay]


class ReportView(_View):
    """Everything the report shows, in one language."""

    lang: Literal["nl", "en"]
    start: date
    end: date
    days: int
    made_on: date
    profile: ProfileSummary | None
    warning_signs: list[WarningSignCheck] = Field(
        description="The latest check and the latest five that found a warning sign."
    )
    warning_signs_left_out: int = Field(description="Other checks in the period, not shown.")
    intake: IntakeSummary
    supplements: SupplementSummary
    effects: list[EffectView] = Field(description="Each change that started in the period.")
    earlier_changes: list[ChangeView] = Field(
        description="Changes that started before the period and went on in it."
    )
    trend: TrendSummary
    sources: list[CitedSource]


def check_period(start: date, end: date) -> None:
    """A report's period: it ends on or after its start and covers at most two years."""
    if end < start:
        raise InvalidInputError(Code.PERIOD_ENDS_BEFORE_START)
    if (end - start).days + 1 > MAX_REPORT_DAYS:
        raise InvalidInputError(Code.PERIOD_TOO_LONG, days=MAX_REPORT_DAYS)


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _day_of(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None


class ReportService(DiaryPart):
    """The report's view of a diary."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        effects: EffectService,
        *,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(sessions, today=today, now=now)
        self.effects = effects

    def report(
        self, user_id: int, start: date, end: date, *, lang: str | None = None
    ) -> ReportView:
        """The report of `user_id`'s diary from `start` to `end` (both included) in `lang`
        (default: the profile's language, else Dutch)."""
        check_period(start, end)
        cited: list[str] = []
        with transaction(self.sessions) as session:
            user = queries.user(session, user_id, joinedload(User.profile))
            stored = profile_view(user.profile) if user.profile else None
            chosen = lang or (stored.language if stored else "nl")
            language: Literal["nl", "en"] = "en" if chosen == "en" else "nl"
            meals = queries.meals_between(session, user_id, start, end)
            supplements = queries.supplements_between(session, user_id, start, end)
            checkins = queries.checkins_between(session, user_id, start, end)
            triages = queries.assessments_until(session, user_id, "triage", end)
            earlier = [
                change_view(row)
                for row in queries.changes_until(session, user_id, end)
                if row.started_on < start and (row.ended_on is None or row.ended_on >= start)
            ]
            inputs = check_inputs_from_profile(stored, end)
            profile = None
            if stored is not None:
                reference = inputs[2] if inputs else stored.reference
                profile = ProfileSummary(
                    age=int(age_on(stored.birth_year, end)) if stored.birth_year else None,
                    sex=stored.sex,
                    pregnant=stored.pregnant,
                    lactating=stored.lactating,
                    kidney_disease=stored.kidney_disease,
                    heart_rhythm_problems=stored.heart_rhythm_problems,
                    medicines=list(stored.medicines),
                    reference=reference,
                    reference_name=REFERENCE_SYSTEMS.get(reference) if reference else None,
                )
            warning_signs, left_out = _warning_signs(triages, start, language, cited)
            intake = _intake(meals, supplements, start, end, inputs, cited)
            supplement_summary = _supplements(supplements, stored, end, language, cited)
            trend = _trend(checkins, start, end)
        effects = self.effects.effects(user_id, start, end, lang=language)
        if effects:
            cited.extend(source for source in METHOD_SOURCE_IDS if source in known_sources())
        if meals:
            cited.extend(_FOOD_SOURCE_IDS)
        return ReportView(
            lang=language,
            start=start,
            end=end,
            days=(end - start).days + 1,
            made_on=self.today(),
            profile=profile,
            warning_signs=warning_signs,
            warning_signs_left_out=left_out,
            intake=intake,
            supplements=supplement_summary,
            effects=effects,
            earlier_changes=earlier,
            trend=trend,
            sources=cited_sources(list(dict.fromkeys(cited))),
        )


def _warning_signs(
    triages: Sequence[Assessment], start: date, lang: str, cited: list[str]
) -> tuple[list[WarningSignCheck], int]:
    """The checks recorded in the period (without one, the last check before it): the latest,
    and the latest `MAX_FLAGGED_CHECKS` that found a warning sign; and how many are left out."""
    in_period = [row for row in triages if (_day_of(row.created_at) or start) >= start]
    candidates = in_period or list(triages[-1:])
    flagged = [row for row in candidates if row.result.get("urgency") in _URGENCIES[:3]]
    kept = {row.id for row in flagged[-MAX_FLAGGED_CHECKS:]} | {row.id for row in candidates[-1:]}
    shown = [row for row in candidates if row.id in kept]
    checks = []
    for row in shown:
        result = row.result
        urgency = result.get("urgency")
        if urgency not in _URGENCIES:
            continue  # a result this version cannot read is left out rather than guessed
        advice = result.get("advice") or {}
        if "key" in advice:
            statement = render_statement(advice["key"], lang)
            advice_text = statement["text"]
            cited.extend(source["id"] for source in statement["sources"])
        else:
            advice_text = str(advice.get("text", ""))
        reasons = []
        for reason in result.get("reasons", []):
            flag = FLAGS.get(reason.get("key", ""))
            if flag is not None:
                reasons.append(flag.nl if lang == "nl" else flag.en)
                cited.extend(flag.sources)
            else:
                reasons.append(str(reason.get("text", "")))
        unanswered = [
            (question.nl if lang == "nl" else question.en)
            for key in result.get("unknown", [])
            if (question := _QUESTION_TEXT.get(key)) is not None
        ]
        checks.append(
            WarningSignCheck(
                recorded_on=_day_of(row.created_at),
                in_period=row in in_period,
                urgency=urgency,
                advice=advice_text,
                reasons=reasons,
                questions=len(QUESTIONS),
                unanswered=unanswered,
                acknowledged=row.acknowledged_at is not None,
            )
        )
    return checks, len(candidates) - len(shown)


def _supplement_mg_by_day(supplements: Sequence[SupplementEntry]) -> dict[date, float]:
    found: dict[date, float] = defaultdict(float)
    for row in supplements:
        found[row.taken_on] += row.elemental_mg * row.servings
    return found


def _intake(
    meals: Sequence[MealEntry],
    supplements: Sequence[SupplementEntry],
    start: date,
    end: date,
    inputs: tuple[Profile, HealthFlags, str] | None,
    cited: list[str],
) -> IntakeSummary:
    """Magnesium a day over the days with meals: a day without meals is unknown, not zero."""
    by_day: dict[date, list[MealEntry]] = defaultdict(list)
    for meal in meals:
        by_day[meal.eaten_on].append(meal)
    supplement_mg = _supplement_mg_by_day(supplements)
    food = {day: float(totals(rows)["magnesium_mg"].amount) for day, rows in by_day.items()}
    without = sum(
        item.grams for meal in meals for item in meal.items if "magnesium_mg" not in item.nutrients
    )
    target = None
    if inputs is not None:
        target_profile, _flags, reference = inputs
        target = targets_for(target_profile, reference).magnesium
        cited.extend(_TARGET_SOURCE_IDS.get(reference, ()))
    target_mg = target.value if target is not None else None
    day_totals = [food[day] + supplement_mg.get(day, 0.0) for day in sorted(food)]
    total_mean = _mean(day_totals)
    return IntakeSummary(
        days=(end - start).days + 1,
        days_with_meals=len(food),
        food_mean_mg=_mean(list(food.values())),
        supplement_mean_mg=_mean([supplement_mg.get(day, 0.0) for day in sorted(food)]),
        total_mean_mg=total_mean,
        target_mg=target_mg,
        target_kind=target.kind if target is not None else None,
        target_source=target.source if target is not None else None,
        percent_of_target=round(100 * total_mean / target_mg)
        if total_mean is not None and target_mg
        else None,
        days_below_target=sum(1 for value in day_totals if value < target_mg)
        if target_mg
        else None,
        grams_without_value=round(without, 1),
    )


def _supplements(
    supplements: Sequence[SupplementEntry],
    stored: ProfileView | None,
    end: date,
    lang: str,
    cited: list[str],
) -> SupplementSummary:
    """Each supplement with its elemental magnesium, and the days against the upper limit."""
    by_name: dict[tuple[str, float], list[SupplementEntry]] = defaultdict(list)
    for row in supplements:
        by_name[(row.name, round(row.elemental_mg * row.servings, 1))].append(row)
    taken = [
        SupplementTaken(
            name=name,
            days=len({row.taken_on for row in rows}),
            elemental_mg_per_day=round(
                sum(row.elemental_mg * row.servings for row in rows)
                / len({row.taken_on for row in rows}),
                1,
            ),
            how=_how_text(rows[0], lang),
        )
        for (name, _mg), rows in sorted(by_name.items(), key=lambda item: item[0])
    ]
    per_day = _supplement_mg_by_day(supplements)
    # The advice for the highest day: its hard stops hold on every day, its limit is the same.
    highest_day = max(per_day, key=lambda day: per_day[day]) if per_day else None
    intakes = [
        SupplementIntake(row.name, row.elemental_mg, row.servings, how_message(row.how))
        for row in supplements
        if row.taken_on == highest_day
    ]
    advice = stored_supplement_advice(stored, end, intakes, lang=lang)
    limit = advice.supplement_upper_limit_mg if advice is not None else None
    hard_stops = []
    if advice is not None:
        if supplements:
            cited.extend(source.id for source in advice.advice.sources)
        for stop in advice.hard_stops:
            hard_stops.append(stop.text)
            cited.extend(source.id for source in stop.sources)
    return SupplementSummary(
        taken=taken,
        days_with_supplements=len(per_day),
        mean_mg=_mean(list(per_day.values())),
        highest_mg=round(max(per_day.values()), 1) if per_day else None,
        upper_limit_mg=limit,
        days_over_limit=sum(1 for value in per_day.values() if value > limit) if limit else 0,
        hard_stops=hard_stops,
    )


def _how_text(row: SupplementEntry, lang: str) -> str:
    return render_message(how_message(row.how), lang)


def _trend(checkins: Sequence[CheckIn], start: date, end: date) -> TrendSummary:
    """Weekly means of pain and stress over the recorded days (a missing day is left out); in a
    period of more than 26 weeks, means of four weeks, so the table stays within a page."""
    by_day = {row.day: row for row in checkins}
    count = (end - start).days + 1
    block = 7 if count <= 7 * WEEKS_IN_TABLE_MAX else 28
    weeks = []
    first = start
    while first <= end:
        last = min(first + timedelta(days=block - 1), end)
        rows = [row for day, row in by_day.items() if first <= day <= last]
        weeks.append(
            TrendWeek(
                first_day=first,
                last_day=last,
                days_recorded=len(rows),
                pain_mean=_mean([row.pain for row in rows if row.pain is not None]),
                stress_mean=_mean([row.stress for row in rows if row.stress is not None]),
            )
        )
        first = last + timedelta(days=1)
    return TrendSummary(
        days_recorded=len(checkins),
        pain_mean=_mean([row.pain for row in checkins if row.pain is not None]),
        stress_mean=_mean([row.stress for row in checkins if row.stress is not None]),
        block_days=block,
        weeks=weeks,
        days=[_trend_day(start + timedelta(days=offset), by_day) for offset in range(count)],
    )


def _trend_day(day: date, by_day: dict[date, CheckIn]) -> TrendDay:
    row = by_day.get(day)
    return TrendDay(day=day, pain=row.pain if row else None, stress=row.stress if row else None)

"""Did it help? The before/after analysis (`rugwijzer.domain.progress`) run on the diary or on a
file of check-ins, answered as a typed view that the API, the CLI, Trends and the report read.

`EffectView` carries the verdict and its figures, the caveats and suggestions as messages in the
reader's language, and what a chart needs: the daily points, their 7-day mean, the phases with
their estimates and the user's other changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from rugwijzer.domain.aids import Category
from rugwijzer.domain.progress import (
    BASELINE_DAYS_MAX,
    OUTCOME_CODES,
    EffectAnalysis,
    Outcome,
    PhaseEstimate,
    Verdict,
    analyse_effect,
    rolling_mean,
    with_aid_use,
)
from rugwijzer.errors import InvalidInputError
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message
from rugwijzer.services.message_view import MessageView
from rugwijzer.services.profile import DiaryPart
from rugwijzer.store import queries
from rugwijzer.store.engine import transaction
from rugwijzer.store.models import Change

__all__ = [
    "DayValue",
    "EffectService",
    "EffectView",
    "OtherChangeView",
    "PhaseView",
    "effect_view",
]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class DayValue(_View):
    """A value on a day (a check-in score, or its 7-day mean)."""

    day: date
    value: float


class PhaseView(_View):
    """A phase's level as the model estimates it, with its 95 % interval (points)."""

    first_day: date
    last_day: date
    mean: float
    ci_low: float
    ci_high: float


class OtherChangeView(_View):
    """Another change of the user's that overlaps the period (marked on the chart)."""

    id: int
    description: str
    started_on: date
    ended_on: date | None


class EffectView(_View):
    """The answer to "did it help?" for one change and one outcome."""

    change_id: int | None = Field(description="The diary change (none for a file).")
    description: str | None = Field(description="What was changed, as the user wrote it.")
    aid_category: Category | None = Field(
        default=None,
        description="When the change is an aid: its catalogue category (then the caveats say "
        "whether the check-ins name the aid before and after the start).",
    )
    outcome: Outcome
    outcome_name: str = Field(description="The outcome in the language asked for.")
    change_date: date = Field(description="The first day after the change.")
    end_date: date = Field(description="The last day of the period after.")
    baseline_start: date = Field(description="The first day of the period before.")
    verdict: Verdict
    verdict_text: MessageView = Field(description="The verdict in plain words, with figures.")
    difference: float | None = Field(
        description="After minus before in points (when `trend_adjusted`: after against the "
        "earlier trend carried forward)."
    )
    ci_low: float | None = Field(description="The difference's 95 % interval, low end.")
    ci_high: float | None = Field(description="The difference's 95 % interval, high end.")
    before_mean: float | None = Field(description="The mean of the days before that counted.")
    after_mean: float | None = Field(description="The mean of the days after.")
    days_before: int = Field(description="Recorded days before that counted.")
    days_after: int = Field(description="Recorded days after.")
    mic: float | None = Field(
        description="Minimal important change: the smaller of 2 points and 30 % of the before mean."
    )
    higher_is_worse: bool = Field(description="False for sleep quality (higher is better).")
    method: str = Field(description="How the difference and its interval were found.")
    method_code: str
    autocorrelation: float | None = Field(description="Estimated day-to-day correlation (rho).")
    trend_per_week: float | None = Field(description="A clear earlier trend (points a week).")
    trend_adjusted: bool
    trend_level_at_start: float | None
    flare_days: list[date] = Field(description="Days before left out as a flare.")
    more_days_needed: int | None = Field(
        description="For `uncertain`: about how many more recorded days would settle it."
    )
    more_days_text: MessageView | None
    caveats: list[MessageView]
    suggestions: list[MessageView]
    before: PhaseView | None
    after: PhaseView | None
    points: list[DayValue] = Field(description="Every recorded day of the period.")
    rolling_mean: list[DayValue] = Field(
        description="The 7-day mean of the recorded days, within each phase."
    )
    other_changes: list[OtherChangeView]


def _phase(phase: PhaseEstimate | None) -> PhaseView | None:
    if phase is None:
        return None
    return PhaseView(
        first_day=phase.first_day,
        last_day=phase.last_day,
        mean=phase.mean,
        ci_low=phase.ci_low,
        ci_high=phase.ci_high,
    )


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def effect_view(
    analysis: EffectAnalysis,
    observations: Sequence[tuple[date, float]],
    lang: str,
    *,
    change: Change | None = None,
    other_changes: Sequence[Change] = (),
) -> EffectView:
    """The view of an analysis: its messages rendered in `lang`, with the points for a chart."""
    window = [
        (day, value)
        for day, value in sorted(observations)
        if analysis.baseline_start <= day <= analysis.end
    ]
    more_days = analysis.more_days_message()
    return EffectView(
        change_id=change.id if change else None,
        description=change.description if change else None,
        aid_category=change.aid_category if change else None,  # type: ignore[arg-type]
        outcome=analysis.outcome,
        outcome_name=render_message(Message.of(OUTCOME_CODES[analysis.outcome]), lang),
        change_date=analysis.start,
        end_date=analysis.end,
        baseline_start=analysis.baseline_start,
        verdict=analysis.verdict,
        verdict_text=MessageView.of(analysis.verdict_message(), lang),
        difference=_rounded(analysis.difference),
        ci_low=_rounded(analysis.ci_low),
        ci_high=_rounded(analysis.ci_high),
        before_mean=_rounded(analysis.before_mean),
        after_mean=_rounded(analysis.after_mean),
        days_before=analysis.days_before,
        days_after=analysis.days_after,
        mic=_rounded(analysis.mic),
        higher_is_worse=analysis.outcome.higher_is_worse,
        method=render_message(Message.of(analysis.method), lang),
        method_code=analysis.method.value,
        autocorrelation=_rounded(analysis.autocorrelation),
        trend_per_week=_rounded(analysis.trend_per_week),
        trend_adjusted=analysis.trend_adjusted,
        trend_level_at_start=_rounded(analysis.trend_level_at_start),
        flare_days=list(analysis.flare_days),
        more_days_needed=analysis.more_days_needed,
        more_days_text=MessageView.of(more_days, lang) if more_days else None,
        caveats=[MessageView.of(message, lang) for message in analysis.caveats],
        suggestions=[MessageView.of(message, lang) for message in analysis.suggestions],
        before=_phase(analysis.before),
        after=_phase(analysis.after),
        points=[DayValue(day=day, value=value) for day, value in window],
        # per phase: the mean of the first days after the start does not reach back before it
        rolling_mean=[
            DayValue(day=day, value=round(value, 2))
            for phase in (
                [row for row in window if row[0] < analysis.start],
                [row for row in window if row[0] >= analysis.start],
            )
            for day, value in rolling_mean(phase)
        ],
        other_changes=[
            OtherChangeView(
                id=row.id,
                description=row.description,
                started_on=row.started_on,
                ended_on=row.ended_on,
            )
            for row in other_changes
        ],
    )


def _overlapping(rows: Sequence[Change], change: Change, start: date, end: date) -> list[Change]:
    return [
        row
        for row in rows
        if row.id != change.id
        and row.started_on <= end
        and (row.ended_on is None or row.ended_on >= start)
    ]


class EffectService(DiaryPart):
    """The analysis on a user's diary."""

    def effect(
        self,
        user_id: int,
        change_id: int,
        outcome: Outcome = Outcome.PAIN,
        *,
        lang: str = "en",
    ) -> EffectView:
        """Did change `change_id` help `outcome`? Before: up to 12 weeks of check-ins before it
        started; after: from its start to its end (or today)."""
        with transaction(self.sessions) as session:
            queries.user(session, user_id)
            change = queries.owned(session, Change, change_id, user_id)
            return self._effect(session, user_id, change, outcome, lang)

    def effects(
        self, user_id: int, start: date, end: date, outcome: Outcome = Outcome.PAIN, *, lang: str
    ) -> list[EffectView]:
        """The analysis of every change that started between `start` and `end`, oldest first."""
        if end < start:
            raise InvalidInputError(Code.PERIOD_ENDS_BEFORE_START)
        with transaction(self.sessions) as session:
            queries.user(session, user_id)
            rows = [
                row
                for row in queries.changes_until(session, user_id, end)
                if row.started_on >= start
            ]
            rows.sort(key=lambda row: (row.started_on, row.id))
            return [self._effect(session, user_id, row, outcome, lang) for row in rows]

    def _effect(
        self, session: Session, user_id: int, change: Change, outcome: Outcome, lang: str
    ) -> EffectView:
        today = self.today()
        end = change.ended_on or today
        start = change.started_on
        first = start - timedelta(days=BASELINE_DAYS_MAX)
        checkins = queries.checkins_between(session, user_id, first, end)
        observations = [
            (row.day, float(score))
            for row in checkins
            if (score := getattr(row, outcome.value)) is not None
        ]
        others = _overlapping(queries.changes_until(session, user_id, end), change, first, end)
        analysis = analyse_effect(
            observations,
            start,
            max(end, start),
            outcome=outcome,
            other_changes=[(row.started_on, row.ended_on) for row in others],
        )
        if change.aid_category:
            analysis = with_aid_use(
                analysis, change.aid_category, {row.day: row.aid_category for row in checkins}
            )
        relevant = _overlapping(others, change, analysis.baseline_start, analysis.end)
        return effect_view(analysis, observations, lang, change=change, other_changes=relevant)

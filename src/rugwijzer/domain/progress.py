"""Did it help? An honest before/after verdict on one person's own diary (an n-of-1 analysis).

For one change (started magnesium, a new chair) and one outcome (pain, stress, sleep quality,
stiffness) the days before the change are compared with the days after it:

- Only recorded days count, on their own dates: a missing day is missing, never a zero, and two
  days either side of a gap are not treated as neighbours.
- Consecutive days are not independent. The difference is estimated by a regression with AR(1)
  errors in continuous time (an Ornstein-Uhlenbeck process: days k apart correlate by rho**k),
  fitted by generalised least squares on the recorded days, with rho estimated by restricted
  maximum likelihood (REML). The 95 % interval uses Student's t.
- A trend that was already there gets no credit: the before-trend (Theil-Sen slope, robust to odd
  days) is carried forward when it is clear and runs the way the after phase moved.
- A flare in the last days before the start (well above the usual level) is left out of the
  baseline, so regression to the mean alone cannot make the change look good.
- The minimal important change (MIC) is the smaller of 2 points and 30 % of the before mean
  (Farrar et al., Pain 2001).

Verdicts: `improved` when the whole 95 % interval lies on the better side of 0 and the estimate is
at least the MIC; `worse` the mirror image; `no_important_change` when the whole interval lies
within plus or minus the MIC; `uncertain` otherwise; `too_little_data` with fewer than 7 recorded
days in either phase. These thresholds are Rugwijzer's rule (issue #12, after the sources above and
Whitney & Von Korff, Pain 1992, on regression to the mean), not a validated instrument.

Pure code: numbers in, a frozen result out; the shells render its codes in the reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from statistics import NormalDist
from typing import TYPE_CHECKING

from rugwijzer.messages import Code, Message

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = [
    "BASELINE_DAYS_MAX",
    "MIN_DAYS_PER_PHASE",
    "EffectAnalysis",
    "Outcome",
    "PhaseEstimate",
    "Verdict",
    "analyse_effect",
    "minimal_important_change",
    "rolling_mean",
    "with_aid_use",
]

#: The baseline reaches back at most this many days before the start: older days say little
#: about the level the change met.
BASELINE_DAYS_MAX = 84
#: Fewer recorded days than this in either phase: no verdict.
MIN_DAYS_PER_PHASE = 7
#: A phase shorter than this (in calendar days) is a caveat.
SHORT_PHASE_DAYS = 14
#: More than this share of the days in a phase unrecorded is a caveat.
MISSING_SHARE_CAVEAT = 0.30
#: The last days before the start that are checked for a flare.
FLARE_WINDOW_DAYS = 7
#: A flare: the mean of the last days is this far above the usual level (in points, and in
#: robust standard deviations of the usual days, whichever is larger).
FLARE_POINTS = 1.5
FLARE_SPREADS = 1.5
#: An earlier trend counts when one line through both periods (with a step at the start)
#: finds it at this t (one-sided 10 %: a missed trend would be credited to the change) ...
TREND_BOTH_T = 1.28
#: ... the days before the start lean that way on their own by this many standard errors (a
#: change that works gradually slopes only the days after it) ...
TREND_OWN_SE = 1.0
#: ... and it adds up to at least this many points over the baseline.
TREND_MIN_POINTS = 0.5
#: The two-sided level of the intervals.
CONFIDENCE = 0.95
#: The MIC: the smaller of 2 points and 30 % of the before mean (Farrar et al., Pain 2001).
MIC_POINTS = 2.0
MIC_SHARE = 0.30
#: The largest number of extra days worth suggesting.
MORE_DAYS_MAX = 365
_RHO_MAX = 0.95


class Outcome(StrEnum):
    """What a check-in scores from 0 to 10."""

    PAIN = "pain"
    STRESS = "stress"
    SLEEP_QUALITY = "sleep_quality"
    STIFFNESS = "stiffness"

    @property
    def higher_is_worse(self) -> bool:
        return self is not Outcome.SLEEP_QUALITY


class Verdict(StrEnum):
    IMPROVED = "improved"
    WORSE = "worse"
    NO_IMPORTANT_CHANGE = "no_important_change"
    UNCERTAIN = "uncertain"
    TOO_LITTLE_DATA = "too_little_data"


VERDICT_CODES: dict[Verdict, Code] = {
    Verdict.IMPROVED: Code.EFFECT_IMPROVED,
    Verdict.WORSE: Code.EFFECT_WORSE,
    Verdict.NO_IMPORTANT_CHANGE: Code.EFFECT_NO_IMPORTANT_CHANGE,
    Verdict.UNCERTAIN: Code.EFFECT_UNCERTAIN,
    Verdict.TOO_LITTLE_DATA: Code.EFFECT_TOO_LITTLE_DATA,
}


OUTCOME_CODES: dict[Outcome, Code] = {
    Outcome.PAIN: Code.EFFECT_OUTCOME_PAIN,
    Outcome.STRESS: Code.EFFECT_OUTCOME_STRESS,
    Outcome.SLEEP_QUALITY: Code.EFFECT_OUTCOME_SLEEP_QUALITY,
    Outcome.STIFFNESS: Code.EFFECT_OUTCOME_STIFFNESS,
}


@dataclass(frozen=True, slots=True)
class PhaseEstimate:
    """A phase's level as the model estimates it, with its 95 % interval (points)."""

    first_day: date
    last_day: date
    mean: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True, slots=True)
class EffectAnalysis:
    """The answer to "did it help?" for one change and one outcome.

    `difference` is after minus before in points (negative is lower); for pain, stress and
    stiffness lower is better, for sleep quality higher. When a before-trend was carried forward
    (`trend_adjusted`), `difference` is the after phase against that trend, not the raw
    difference of the means."""

    outcome: Outcome
    start: date
    end: date
    verdict: Verdict
    method: Code
    days_before: int
    days_after: int
    before_mean: float | None
    after_mean: float | None
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    mic: float | None
    autocorrelation: float | None
    before: PhaseEstimate | None
    after: PhaseEstimate | None
    baseline_start: date
    #: Days left out of the baseline because they were a flare.
    flare_days: tuple[date, ...] = ()
    #: The before-trend in points per week (Theil-Sen), when there was a clear one.
    trend_per_week: float | None = None
    trend_adjusted: bool = False
    #: The level the before-trend predicts on the start day (with `trend_per_week`).
    trend_level_at_start: float | None = None
    #: For `uncertain`: how many more recorded days after the start would probably settle it.
    more_days_needed: int | None = None
    caveats: tuple[Message, ...] = ()
    suggestions: tuple[Message, ...] = ()
    #: The daily values used (after the flare was left out), for charts.
    used_days: tuple[date, ...] = field(default=(), repr=False)

    @property
    def verdict_code(self) -> Code:
        return VERDICT_CODES[self.verdict]

    def verdict_message(self) -> Message:
        """The verdict in plain words, with the figures it rests on (one decimal)."""
        code = VERDICT_CODES[self.verdict]
        if self.verdict is Verdict.TOO_LITTLE_DATA:
            return Message.of(
                code, before=self.days_before, after=self.days_after, needed=MIN_DAYS_PER_PHASE
            )
        assert self.difference is not None
        assert self.ci_low is not None
        assert self.ci_high is not None
        assert self.mic is not None
        return Message.of(
            code,
            outcome=Message.of(OUTCOME_CODES[self.outcome]),
            size=round(abs(self.difference), 1),
            difference=round(self.difference, 1),
            low=round(self.ci_low, 1),
            high=round(self.ci_high, 1),
            mic=round(self.mic, 1),
        )

    def more_days_message(self) -> Message | None:
        """For `uncertain`: how many more recorded days would probably settle it."""
        if self.more_days_needed is None:
            return None
        return Message.of(Code.EFFECT_MORE_DAYS, days=self.more_days_needed)


def minimal_important_change(before_mean: float) -> float:
    """The smaller of 2 points and 30 % of the before mean."""
    return min(MIC_POINTS, MIC_SHARE * before_mean)


def rolling_mean(
    observations: Sequence[tuple[date, float]], days: int = 7, min_days: int = 4
) -> list[tuple[date, float]]:
    """The mean of the recorded values in the `days` calendar days up to each recorded day,
    where at least `min_days` of them were recorded (missing days are left out, not zeros)."""
    ordered = sorted(observations)
    result: list[tuple[date, float]] = []
    window: list[tuple[date, float]] = []
    total = 0.0
    first = 0
    for day, value in ordered:
        window.append((day, value))
        total += value
        while window[first][0] <= day - timedelta(days=days):
            total -= window[first][1]
            first += 1
        count = len(window) - first
        if count >= min_days:
            result.append((day, total / count))
    return result


def analyse_effect(
    observations: Sequence[tuple[date, float]],
    start: date,
    end: date | None = None,
    *,
    outcome: Outcome = Outcome.PAIN,
    other_changes: Sequence[tuple[date, date | None]] = (),
) -> EffectAnalysis:
    """Compare the recorded days before `start` with those from `start` to `end` (default: the
    last recorded day). `observations` are (day, value 0-10), one per day; `other_changes` are
    the (start, end) of the user's other changes, for the overlap caveat."""
    ordered = sorted(observations)
    last_day = ordered[-1][0] if ordered else start
    end = end if end is not None else max(last_day, start)
    baseline_start = max(
        start - timedelta(days=BASELINE_DAYS_MAX), ordered[0][0] if ordered else start
    )
    before = [(d, v) for d, v in ordered if baseline_start <= d < start]
    after = [(d, v) for d, v in ordered if start <= d <= end]
    caveats: list[Message] = []
    suggestions: list[Message] = []

    overlapping = sum(
        1
        for other_start, other_end in other_changes
        if other_start <= end and (other_end is None or other_end >= baseline_start)
    )
    if overlapping:
        caveats.append(Message.of(Code.EFFECT_OVERLAPPING_CHANGES, count=overlapping))
        suggestions.append(Message.of(Code.EFFECT_SUGGEST_ONE_AT_A_TIME))

    before_span = (start - baseline_start).days
    after_span = (end - start).days + 1
    for phase_code, span, recorded in (
        (Code.EFFECT_PHASE_BEFORE, before_span, len(before)),
        (Code.EFFECT_PHASE_AFTER, after_span, len(after)),
    ):
        if span and recorded and 1 - recorded / span > MISSING_SHARE_CAVEAT:
            caveats.append(
                Message.of(
                    Code.EFFECT_MANY_DAYS_MISSING,
                    phase=Message.of(phase_code),
                    missing=span - recorded,
                    days=span,
                )
            )
        if span < SHORT_PHASE_DAYS:
            caveats.append(
                Message.of(
                    Code.EFFECT_SHORT_PHASE,
                    phase=Message.of(phase_code),
                    days=span,
                    needed=SHORT_PHASE_DAYS,
                )
            )
    if before_span < SHORT_PHASE_DAYS or len(before) < SHORT_PHASE_DAYS:
        suggestions.append(Message.of(Code.EFFECT_SUGGEST_BASELINE))

    flare = _flare(before, start, outcome.higher_is_worse)
    if flare:
        before = [(d, v) for d, v in before if d not in flare]
        caveats.append(Message.of(Code.EFFECT_FLARE_BEFORE_START, days=len(flare)))

    def plain_mean(rows: Sequence[tuple[date, float]]) -> float | None:
        return sum(v for _, v in rows) / len(rows) if rows else None

    before_mean, after_mean = plain_mean(before), plain_mean(after)
    common = {
        "outcome": outcome,
        "start": start,
        "end": end,
        "method": Code.EFFECT_METHOD_AR1,
        "days_before": len(before),
        "days_after": len(after),
        "before_mean": before_mean,
        "after_mean": after_mean,
        "baseline_start": baseline_start,
        "flare_days": tuple(sorted(flare)),
    }
    if len(before) < MIN_DAYS_PER_PHASE or len(after) < MIN_DAYS_PER_PHASE:
        suggestions.append(Message.of(Code.EFFECT_SUGGEST_KEEP_RECORDING))
        return EffectAnalysis(
            verdict=Verdict.TOO_LITTLE_DATA,
            difference=None,
            ci_low=None,
            ci_high=None,
            mic=None if before_mean is None else minimal_important_change(before_mean),
            autocorrelation=None,
            before=None,
            after=None,
            caveats=tuple(caveats),
            suggestions=tuple(_unique(suggestions)),
            used_days=tuple(d for d, _ in before + after),
            **common,  # type: ignore[arg-type]
        )
    assert before_mean is not None
    assert after_mean is not None

    fit = _fit(before, after, start)
    mic = minimal_important_change(before_mean)
    sign_better = -1.0 if outcome.higher_is_worse else 1.0

    difference, se, df = fit.delta, fit.delta_se, fit.df
    trend = _before_trend(before, after, start, fit.rho)
    trend_adjusted = False
    trend_per_week: float | None = None
    trend_level: float | None = None
    if trend is not None:
        slope, intercept, slope_se = trend
        trend_per_week = slope * 7
        trend_level = intercept
        if math.copysign(1.0, slope) == math.copysign(1.0, fit.delta):
            # Carried forward only as far as it was seen (as many days after the start as the
            # baseline spans) and never beyond the 0-10 scale: a straight line through a year
            # after the start would predict scores nobody can give.
            horizon = start + timedelta(days=max(before_span, MIN_DAYS_PER_PHASE))
            near = [(d, v) for d, v in after if d < horizon]
            adjusted = _fit(before, near, start, rho=fit.rho, slope=slope, level=intercept)
            gap = _mean_day(near, start) - _mean_day(before, start)
            difference, df = adjusted.delta, adjusted.df
            se = math.sqrt(adjusted.delta_se**2 + (gap * slope_se) ** 2)
            trend_adjusted = True
            caveats.append(Message.of(Code.EFFECT_PRE_EXISTING_TREND, per_week=slope * 7))
        else:
            caveats.append(Message.of(Code.EFFECT_TREND_AGAINST, per_week=slope * 7))

    quantile = _t_quantile(df)
    ci_low, ci_high = difference - quantile * se, difference + quantile * se
    verdict = _verdict(difference, ci_low, ci_high, mic, sign_better)
    more_days: int | None = None
    if verdict is Verdict.UNCERTAIN:
        more_days = _more_days_needed(difference, se, mic, quantile, len(before), len(after))
        suggestions.append(Message.of(Code.EFFECT_SUGGEST_KEEP_RECORDING))
    if verdict in (Verdict.IMPROVED, Verdict.UNCERTAIN):
        suggestions.append(Message.of(Code.EFFECT_SUGGEST_STOP_AND_RESTART))
    return EffectAnalysis(
        verdict=verdict,
        difference=difference,
        ci_low=ci_low,
        ci_high=ci_high,
        mic=mic,
        autocorrelation=fit.rho,
        before=PhaseEstimate(
            before[0][0],
            before[-1][0],
            fit.mu,
            fit.mu - quantile * fit.mu_se,
            fit.mu + quantile * fit.mu_se,
        ),
        after=PhaseEstimate(
            after[0][0],
            after[-1][0],
            fit.mu + fit.delta,
            fit.mu + fit.delta - quantile * fit.after_se,
            fit.mu + fit.delta + quantile * fit.after_se,
        ),
        trend_per_week=trend_per_week,
        trend_adjusted=trend_adjusted,
        trend_level_at_start=trend_level,
        more_days_needed=more_days,
        caveats=tuple(caveats),
        suggestions=tuple(_unique(suggestions)),
        used_days=tuple(d for d, _ in before + after),
        **common,  # type: ignore[arg-type]
    )


def with_aid_use(
    analysis: EffectAnalysis, aid_category: str, recorded: Mapping[date, str | None]
) -> EffectAnalysis:
    """The analysis of a change that is an aid (`aid_category`, a catalogue category), with what
    the check-ins say about its use: `recorded` maps each check-in day to the aid category it
    names (None for none).

    An aid is analysed like any other change; on top of that:
    - a caveat when the check-ins name the aid on days of the baseline (it was already in use, so
      "before" is not "without");
    - a caveat when the user names aids in the check-ins but this one on fewer than half of the
      check-in days after the start ("after" is not "with it every day");
    - the suggestion to use it and leave it off in turns (2 weeks each), which replaces the
      general "stop and restart"; a reversal design compares periods with and without the aid
      more fairly than one before and after (AHRQ n-of-1 user's guide, 2014).
    """
    aid = Message.of(Code(f"aids.category.{aid_category}"))
    before = [day for day in recorded if analysis.baseline_start <= day < analysis.start]
    after = [day for day in recorded if analysis.start <= day <= analysis.end]
    caveats = list(analysis.caveats)
    used_before = sum(1 for day in before if recorded[day] == aid_category)
    if used_before:
        caveats.append(Message.of(Code.EFFECT_AID_USED_BEFORE, aid=aid, days=used_before))
    names_aids = any(recorded[day] is not None for day in before + after)
    used_after = sum(1 for day in after if recorded[day] == aid_category)
    if names_aids and after and used_after * 2 < len(after):
        caveats.append(
            Message.of(
                Code.EFFECT_AID_NOT_USED_AFTER, aid=aid, days=used_after, recorded=len(after)
            )
        )
    suggestions = [
        message
        for message in analysis.suggestions
        if message.code is not Code.EFFECT_SUGGEST_STOP_AND_RESTART
    ]
    suggestions.append(Message.of(Code.EFFECT_SUGGEST_AID_PERIODS))
    return replace(analysis, caveats=tuple(caveats), suggestions=tuple(_unique(suggestions)))


def _verdict(
    difference: float, ci_low: float, ci_high: float, mic: float, sign_better: float
) -> Verdict:
    # In "better" units: positive is an improvement, whatever the outcome's direction.
    better, low, high = (
        difference * sign_better,
        *sorted((ci_low * sign_better, ci_high * sign_better)),
    )
    if low > 0 and better >= mic:
        return Verdict.IMPROVED
    if high < 0 and -better >= mic:
        return Verdict.WORSE
    if -mic <= low and high <= mic:
        return Verdict.NO_IMPORTANT_CHANGE
    return Verdict.UNCERTAIN


def _unique(messages: Sequence[Message]) -> list[Message]:
    seen: list[Message] = []
    for message in messages:
        if message not in seen:
            seen.append(message)
    return seen


def _flare(
    before: Sequence[tuple[date, float]], start: date, higher_is_worse: bool
) -> frozenset[date]:
    """The last days before the start when, on average, they were well above (for sleep quality:
    below) the usual level of the older baseline days; empty otherwise.

    One-sided on purpose: people start something when they feel worst, and the scores that
    fall back after a flare must not be credited to the change. An unusually good spell just
    before the start is not looked for: leaving it out would hand the change credit whenever
    scores were already falling (measured: twice the false "improved" under a falling trend),
    so the comparison leans slightly towards "worse" instead (docs/did-it-help.md)."""
    window_start = start - timedelta(days=FLARE_WINDOW_DAYS)
    usual_days = [v for d, v in before if d < window_start]
    recent = [(d, v) for d, v in before if d >= window_start]
    if len(usual_days) < MIN_DAYS_PER_PHASE or len(recent) < 2:
        return frozenset()
    usual = _median(usual_days)
    spread = max(0.5, 1.4826 * _median([abs(v - usual) for v in usual_days]))
    worse = 1.0 if higher_is_worse else -1.0
    threshold = max(FLARE_POINTS, FLARE_SPREADS * spread)
    excess = max(
        worse * (sum(v for _, v in recent[-k:]) / k - usual) for k in range(2, len(recent) + 1)
    )
    return frozenset(d for d, _ in recent) if excess >= threshold else frozenset()


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _mean_day(rows: Sequence[tuple[date, float]], start: date) -> float:
    return sum((d - start).days for d, _ in rows) / len(rows)


@dataclass(frozen=True, slots=True)
class _Fit:
    mu: float
    delta: float
    mu_se: float
    delta_se: float
    after_se: float
    rho: float
    df: int


def _arrays(
    before: Sequence[tuple[date, float]], after: Sequence[tuple[date, float]], start: date
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    import numpy as np

    rows = [*before, *after]
    t = np.array([(d - start).days for d, _ in rows], dtype=np.float64)
    y = np.array([v for _, v in rows], dtype=np.float64)
    after_flag = np.concatenate([np.zeros(len(before)), np.ones(len(after))])
    return t, y, after_flag


def _whiten(
    matrix: NDArray[np.float64], gaps: NDArray[np.float64], rho: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The exact transform of an AR(1) process in continuous time observed at uneven days:
    row i becomes (x_i - rho**g x_{i-1}) / sqrt(1 - rho**(2g)), g the days between them; the
    first row is kept. Returns the transformed rows and the log-determinant term per row."""
    import numpy as np

    phi = rho**gaps
    scale = np.sqrt(1.0 - phi**2)
    whitened = np.empty_like(matrix)
    whitened[0] = matrix[0]
    whitened[1:] = (matrix[1:] - phi[:, None] * matrix[:-1]) / scale[:, None]
    return whitened, np.log(scale)


def _gls(
    design: NDArray[np.float64], y: NDArray[np.float64], gaps: NDArray[np.float64], rho: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], float, float]:
    """Coefficients, their covariance, the REML log-likelihood (up to a constant) and sigma²."""
    import numpy as np

    both = np.column_stack([design, y])
    whitened, log_scale = _whiten(both, gaps, rho)
    x, z = whitened[:, :-1], whitened[:, -1]
    xtx = x.T @ x
    beta = np.linalg.solve(xtx, x.T @ z)
    residual = z - x @ beta
    n, p = x.shape
    dof = max(n - p, 1)
    sigma2 = float(residual @ residual) / dof
    _sign, logdet = np.linalg.slogdet(xtx)
    reml = -0.5 * dof * math.log(max(sigma2, 1e-12)) - float(log_scale.sum()) - 0.5 * logdet
    covariance: NDArray[np.float64] = sigma2 * np.linalg.inv(xtx)
    coefficients: NDArray[np.float64] = np.asarray(beta, dtype=np.float64)
    return coefficients, covariance, reml, sigma2


def _estimate_rho(
    design: NDArray[np.float64], y: NDArray[np.float64], gaps: NDArray[np.float64]
) -> float:
    """The REML estimate of rho in [0, 0.95]: the best of a coarse grid, then a golden-section
    search around it. (Written out rather than taken from SciPy: importing scipy.optimize and
    scipy.stats would add about 75 MB to every app process that shows a verdict.)"""

    def loss(rho: float) -> float:
        return -_gls(design, y, gaps, rho)[2]

    grid = [_RHO_MAX * i / 19 for i in range(20)]
    best = min(grid, key=loss)
    step = _RHO_MAX / 19
    low, high = max(0.0, best - step), min(_RHO_MAX, best + step)
    ratio = (math.sqrt(5) - 1) / 2
    a, b = high - ratio * (high - low), low + ratio * (high - low)
    loss_a, loss_b = loss(a), loss(b)
    while high - low > 1e-3:
        if loss_a <= loss_b:
            high, b, loss_b = b, a, loss_a
            a = high - ratio * (high - low)
            loss_a = loss(a)
        else:
            low, a, loss_a = a, b, loss_b
            b = low + ratio * (high - low)
            loss_b = loss(b)
    middle = (low + high) / 2
    return min((best, middle), key=loss)


def _fit(
    before: Sequence[tuple[date, float]],
    after: Sequence[tuple[date, float]],
    start: date,
    *,
    rho: float | None = None,
    slope: float = 0.0,
    level: float = 0.0,
) -> _Fit:
    """The level before and the step at the start, with AR(1) errors. When a before-trend is
    carried forward, `slope` (points a day) is taken off first, the line through `level` on
    the start day kept within 0-10."""
    import numpy as np

    t, y, after_flag = _arrays(before, after, start)
    if slope:
        y = y - (np.clip(level + slope * t, 0.0, 10.0) - level)
    design = np.column_stack([np.ones_like(t), after_flag])
    gaps = np.diff(t)
    if rho is None:
        # Estimated with a line through each phase, so that a trend is not mistaken for
        # autocorrelation (which would widen every interval and hide the trend).
        rho = _estimate_rho(np.column_stack([design, t, t * after_flag]), y, gaps)
    beta, covariance, _, _ = _gls(design, y, gaps, rho)
    after_variance = covariance[0, 0] + covariance[1, 1] + 2 * covariance[0, 1]
    return _Fit(
        mu=float(beta[0]),
        delta=float(beta[1]),
        mu_se=math.sqrt(max(covariance[0, 0], 0.0)),
        delta_se=math.sqrt(max(covariance[1, 1], 0.0)),
        after_se=math.sqrt(max(after_variance, 0.0)),
        rho=rho,
        df=max(len(y) - 3, 1),
    )


def _before_trend(
    before: Sequence[tuple[date, float]],
    after: Sequence[tuple[date, float]],
    start: date,
    rho: float,
) -> tuple[float, float, float] | None:
    """(slope per day, the before-line's level on the start day, the slope's standard error)
    when the days had a clear trend that was there before the start; None otherwise.

    The slope is a Theil-Sen-type estimate from the slopes between pairs of days within each
    period (robust to odd days; pairs across the start would read a step as a slope), its
    standard error that of one line through both periods with a step at the start, in the
    AR(1) regression. The trend counts as clear when that line finds it (`TREND_BOTH_T`: a
    trend that goes on after the start makes it clearer), the days before the start lean the
    same way on their own (`TREND_OWN_SE`: a change that works gradually slopes only the days
    after it, and must not be held against itself), and it adds up to `TREND_MIN_POINTS`
    over the baseline. The thresholds trade a missed trend (credited to the change) against
    a step taken for a trend (an interval too wide to judge): see docs/did-it-help.md for
    what they gave on simulated diaries."""
    import numpy as np

    t_all, y_all, after_flag = _arrays(before, after[:BASELINE_DAYS_MAX], start)
    n = len(before)
    t, y = t_all[:n], y_all[:n]
    if n < MIN_DAYS_PER_PHASE or np.ptp(y) == 0:
        return None
    own, own_covariance, _, _ = _gls(np.column_stack([np.ones_like(t), t]), y, np.diff(t), rho)
    slope_se = math.sqrt(max(float(own_covariance[1, 1]), 0.0))
    both, both_covariance, _, _ = _gls(
        np.column_stack([np.ones_like(t_all), t_all, after_flag]), y_all, np.diff(t_all), rho
    )
    both_se = math.sqrt(max(float(both_covariance[1, 1]), 0.0))
    # The mean of the middle half of the pairwise slopes within each period (pairs across the
    # start would read a step as a slope): as robust as their median (Theil-Sen) against odd
    # days, but not stuck at 0 when whole-number scores make many pairs tie.
    pairwise = []
    for phase in (slice(0, n), slice(n, len(t_all))):
        tp, yp = t_all[phase], y_all[phase]
        i, j = np.triu_indices(len(tp), k=1)
        pairwise.append((yp[j] - yp[i]) / (tp[j] - tp[i]))
    ordered = np.sort(np.concatenate(pairwise))
    quarter = len(ordered) // 4
    slope = float(ordered[quarter : len(ordered) - quarter].mean())
    intercept = float(np.median(y - slope * t))
    span = float(t[-1] - t[0])
    sign = math.copysign(1.0, slope)
    clear = (
        slope != 0
        and slope_se > 0
        and both_se > 0
        and sign * float(own[1]) / slope_se >= TREND_OWN_SE
        and sign * float(both[1]) / both_se >= TREND_BOTH_T
        and abs(slope) * span >= TREND_MIN_POINTS
    )
    slope_se = both_se
    return (slope, intercept, slope_se) if clear else None


def _t_one_sided(df: int) -> float:
    """Student's t quantile for a one-sided 5 % test (the same expansion as `_t_quantile`)."""
    return _t_expansion(NormalDist().inv_cdf(0.95), df)


def _t_quantile(df: int) -> float:
    """Student's t quantile for the two-sided `CONFIDENCE` level with `df` degrees of freedom,
    by the Cornish-Fisher expansion around the normal quantile (Abramowitz & Stegun 26.7.5;
    within 0.002 of the exact value from 5 degrees of freedom up, tested against SciPy). The
    analysis never has fewer than 10: each phase needs 7 days."""
    return _t_expansion(NormalDist().inv_cdf(0.5 + CONFIDENCE / 2), df)


def _t_expansion(z: float, df: int) -> float:
    v = float(max(df, 5))
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * v**4)
    )


def _more_days_needed(
    difference: float, se: float, mic: float, quantile: float, n_before: int, n_after: int
) -> int | None:
    """Recorded days after the start that would probably settle an uncertain verdict, if the
    estimate stayed where it is and the interval narrowed as with independent days; None when
    more days after the start alone would not do (a longer baseline is needed)."""
    size = abs(difference)
    wanted_se = (size if size >= mic else mic - size) / quantile
    if wanted_se <= 0:
        return None
    factor = se**2 / (1 / n_before + 1 / n_after)
    inverse = wanted_se**2 / factor - 1 / n_before
    if inverse <= 0:
        return None
    more = math.ceil(1 / inverse - n_after)
    return max(more, 1) if more <= MORE_DAYS_MAX else None

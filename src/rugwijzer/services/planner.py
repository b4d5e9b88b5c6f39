"""The gap planner as the shells show it: the plan and its alternatives for a magnesium gap
(given, or today's from the diary), in the reader's language, with the sources of the numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache

from pydantic import Field
from sqlalchemy.orm import Session, sessionmaker

from rugwijzer.domain.planner import (
    DEFAULT_KCAL_MAX,
    MAX_ALTERNATIVES,
    GapPlan,
    Plan,
    PlanItem,
    parse_exclusions,
    plan_gap,
    validate_request,
)
from rugwijzer.errors import InvalidInputError
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.fooddb.plan_foods import plan_candidates
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message
from rugwijzer.services.diary_views import DayView
from rugwijzer.services.profile import DiaryPart
from rugwijzer.services.summaries import SummaryService, read_day
from rugwijzer.services.views import View
from rugwijzer.store import queries
from rugwijzer.store.engine import transaction

__all__ = [
    "FAMILIAR_DAYS",
    "GapPlanView",
    "GapPlanner",
    "PlanFoodView",
    "PlanItemView",
    "PlanView",
    "gap_plan_view",
]

#: Foods logged in the diary in this many days (today included) count as foods the user
#: already eats: the planner's tie-breaker.
FAMILIAR_DAYS = 30


class PlanFoodView(View):
    """The food of a plan item."""

    id: str
    name_en: str
    name_nl: str | None


class PlanItemView(View):
    """Whole portions of one food, with what they bring (from USDA SR24)."""

    food: PlanFoodView
    portion: str = Field(description='The portions in words ("een handje amandelen").')
    portions: int = Field(description="The number of portions.")
    grams: float
    magnesium_mg: float
    kcal: float
    portion_source: str = Field(
        description="Where the weight of the portion comes from: the cited source, or the "
        "assumption and its basis."
    )
    portion_source_lang: str = Field(description='The language of `portion_source` ("nl", "en").')


class PlanView(View):
    """One plan: its items and totals."""

    # `items` in JSON; the attribute has another name because `View.items()` reads fields
    plan_items: list[PlanItemView] = Field(serialization_alias="items")
    total_magnesium_mg: float
    total_kcal: float


class GapPlanView(View):
    """The planner's answer: the first plan (`items` and totals), its alternatives, and what
    it was asked. `needed` is false when there is no gap; `feasible` false when no plan fits,
    and `hints` then say what would help."""

    feasible: bool
    needed: bool
    gap_mg: float
    kcal_max: float
    exclusions: list[str]
    plan_items: list[PlanItemView] = Field(serialization_alias="items")
    total_magnesium_mg: float
    total_kcal: float
    alternatives: list[PlanView]
    hints: list[str] = Field(description="What would help (no plan) or why none is needed.")
    sources: str = Field(description="Where the magnesium and kcal and the portions come from.")


def _item_view(item: PlanItem, lang: str) -> PlanItemView:
    food = item.candidate.food
    return PlanItemView(
        food=PlanFoodView(id=food.id, name_en=food.name_en, name_nl=food.name_nl),
        portion=item.words(lang),
        portions=item.portions,
        grams=round(item.grams, 1),
        magnesium_mg=round(item.magnesium_mg, 1),
        kcal=round(item.kcal, 1),
        portion_source=item.candidate.portion.basis(lang),
        portion_source_lang=item.candidate.portion.basis_lang(lang),
    )


def _plan_view(plan: Plan, lang: str) -> PlanView:
    return PlanView(
        plan_items=[_item_view(item, lang) for item in plan.items],
        total_magnesium_mg=round(plan.magnesium_mg, 1),
        total_kcal=round(plan.kcal, 1),
    )


def gap_plan_view(result: GapPlan, lang: str) -> GapPlanView:
    """The planner's answer in `lang`."""
    first = _plan_view(result.plans[0], lang) if result.plans else None
    return GapPlanView(
        feasible=result.feasible,
        needed=result.needed,
        gap_mg=round(result.gap_mg, 1),
        kcal_max=result.kcal_max,
        exclusions=list(result.exclusions.words),
        plan_items=first.plan_items if first else [],
        total_magnesium_mg=first.total_magnesium_mg if first else 0.0,
        total_kcal=first.total_kcal if first else 0.0,
        alternatives=[_plan_view(plan, lang) for plan in result.plans[1:]],
        hints=[render_message(hint, lang) for hint in result.hints],
        sources=render_message(Message.of(Code.PLAN_NUTRIENT_SOURCE), lang),
    )


def make_plan(
    foods: FoodDatabase,
    gap_mg: float,
    *,
    exclude: Sequence[str] = (),
    kcal_max: float | None = None,
    familiar: Sequence[str] = (),
    lang: str = "nl",
) -> GapPlanView:
    """A plan for `gap_mg` without a diary (the CLI with --gap-mg, the bench)."""
    candidates = plan_candidates(foods)
    budget = DEFAULT_KCAL_MAX if kcal_max is None else kcal_max
    validate_request(gap_mg, budget)
    exclusions = parse_exclusions(exclude, candidates)
    result = plan_gap(
        candidates, gap_mg, kcal_max=budget, exclusions=exclusions, familiar=frozenset(familiar)
    )
    return gap_plan_view(result, lang)


@lru_cache(maxsize=256)
def _cached_plan(
    foods: FoodDatabase,
    gap_mg: float,
    words: tuple[str, ...],
    kcal_max: float,
    familiar: frozenset[str],
    alternatives: int,
) -> GapPlan:
    """`plan_gap` for these inputs, remembered: Today asks again on every visit, and the
    answer depends on nothing else (no user data is in it beyond what the key holds)."""
    candidates = plan_candidates(foods)
    exclusions = parse_exclusions(words, candidates)
    return plan_gap(
        candidates,
        gap_mg,
        kcal_max=kcal_max,
        exclusions=exclusions,
        familiar=familiar,
        alternatives=alternatives,
    )


class GapPlanner(DiaryPart):
    """Plans for a user: the gap given, or today's gap from the diary, with the foods the user
    logged in the last `FAMILIAR_DAYS` days as the tie-breaker."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        foods: FoodDatabase,
        summaries: SummaryService,
        *,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(sessions, today=today, now=now)
        self.foods = foods
        self.summaries = summaries

    def familiar_foods(self, user_id: int) -> frozenset[str]:
        """The ids of the foods in the user's meals of the last `FAMILIAR_DAYS` days."""
        with transaction(self.sessions) as session:
            queries.user(session, user_id)
            return self._familiar(session, user_id)

    def _familiar(self, session: Session, user_id: int) -> frozenset[str]:
        end = self.today()
        start = end - timedelta(days=FAMILIAR_DAYS - 1)
        return queries.food_ids_between(session, user_id, start, end)

    def today_with_plan(self, user_id: int, lang: str) -> tuple[DayView, GapPlanView | None]:
        """Today as the page shows it, and, when there is a gap, the first plan for what is
        left without the foods the profile's diet exclusions name. One transaction reads the
        day, the profile and the familiar foods (Today is the page people open most)."""
        with transaction(self.sessions, autocommit=True) as session:  # it only reads
            day, profile = read_day(session, user_id, self.today(), lang)
            gap = day.targets.magnesium_gap_mg if day.targets else None
            if not gap:
                return day, None
            familiar = self._familiar(session, user_id)
        exclusions = self._recognised_exclusions(profile.diet_exclusions if profile else [])
        plan = self.plan(
            user_id,
            gap_mg=gap,
            exclude=exclusions,
            lang=lang,
            alternatives=0,
            familiar=familiar,
        )
        return day, plan

    def profile_exclusions(self, user_id: int) -> list[str]:
        """The exclusions the planner recognises in the profile's diet exclusions (free text,
        one per line): a line that is an exclusion word or names a candidate food, else each
        of its words that is ("geen noten" → "noten"; "vegan en glutenvrij" → both). Other
        words are passed over: the profile is not the planner's form."""
        with transaction(self.sessions) as session:
            profile = queries.user(session, user_id).profile
            lines = list(profile.diet_exclusions) if profile is not None else []
        return self._recognised_exclusions(lines)

    def _recognised_exclusions(self, lines: Sequence[object]) -> list[str]:
        candidates = plan_candidates(self.foods)
        found: list[str] = []

        def known(word: str) -> bool:
            try:
                parse_exclusions([word], candidates)
            except InvalidInputError:
                return False
            return True

        for line in (str(line).strip() for line in lines):
            words = [line] if known(line) else [w for w in line.split() if known(w)]
            found += [word for word in words if word not in found]
        return found

    def todays_gap(self, user_id: int) -> float:
        """Today's magnesium gap from food against the profile's target, as Today shows it
        (`InvalidInputError` while the profile has no target)."""
        view = self.summaries.day(user_id)
        gap = view.targets.magnesium_gap_mg if view.targets else None
        if gap is None:
            raise InvalidInputError(Code.PLAN_NO_TARGET)
        return float(gap)

    def plan(
        self,
        user_id: int,
        *,
        gap_mg: float | None = None,
        exclude: Sequence[str] = (),
        kcal_max: float | None = None,
        lang: str = "nl",
        alternatives: int = MAX_ALTERNATIVES,
        familiar: frozenset[str] | None = None,
    ) -> GapPlanView:
        """The plan for `gap_mg` (default: today's gap) within `kcal_max` (default
        `DEFAULT_KCAL_MAX`), leaving out `exclude`, with up to `alternatives` others. Bad input
        is `InvalidInputError` before the diary is read."""
        budget = DEFAULT_KCAL_MAX if kcal_max is None else kcal_max
        validate_request(0.0 if gap_mg is None else gap_mg, budget)
        words = tuple(exclude)
        parse_exclusions(words, plan_candidates(self.foods))  # bad words before the diary
        gap = self.todays_gap(user_id) if gap_mg is None else gap_mg
        if familiar is None:
            familiar = self.familiar_foods(user_id)
        result = _cached_plan(self.foods, gap, words, budget, familiar, alternatives)
        return gap_plan_view(result, lang)

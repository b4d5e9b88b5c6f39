"""The gap planner: a few real portions of everyday foods that close the day's magnesium gap,
within the user's exclusions and an energy budget.

It is a small mixed-integer program, solved with `scipy.optimize.milp` (HiGHS):

- `n_i` whole portions of candidate food `i`, 0 ≤ n_i ≤ cap_i (its `max_portions`);
- `y_i` = 1 when food `i` is in the plan: n_i ≤ cap_i · y_i and y_i ≤ n_i (so y_i = 1 exactly
  when at least one portion is taken);
- Σ y_i ≤ `MAX_FOODS` (a plan names at most four foods);
- Σ magnesium_i · n_i ≥ gap, Σ kcal_i · n_i ≤ budget;
- objective: fewest kcal, then the foods the user already eats (see `FAMILIAR_BONUS_KCAL`).

Alternatives are re-solved without the main food (the one bringing the most magnesium) of every
earlier plan. A no-good cut (Σ_{i ∈ S} y_i ≤ |S| − 1 for an earlier plan's food set S) would
also give different plans, but mostly the same plan with its smallest food swapped ("three
spoons of chard and one of spinach", then "three spoons of chard and two of broccoli"), and the
cuts made the program slower to solve. Without the earlier main foods an alternative is built
around another food, which is what a reader who does not fancy chard wants to see.

When no plan fits, the result says so (`feasible=False`) with coded hints carrying numbers: the
budget that would suffice, the most magnesium reachable within the budget, and the exclusion
whose removal helps most.

Magnesium and kcal per portion come from the food data (per 100 g × grams / 100); the portion
sizes and their sources from `data/plan_foods.toml` (loaded by `rugwijzer.fooddb.plan_foods`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from rugwijzer.domain.foods import Food
from rugwijzer.domain.nutrients import Nutrient
from rugwijzer.domain.text import fold, stem, tokens
from rugwijzer.errors import DataError, InvalidInputError
from rugwijzer.messages import Code, Foreign, Message

__all__ = [
    "ALTERNATIVE_REL_GAP",
    "DEFAULT_KCAL_MAX",
    "EXCLUSION_TAGS",
    "MAX_ALTERNATIVES",
    "MAX_FOODS",
    "MAX_GAP_MG",
    "TAGS",
    "Candidate",
    "Exclusions",
    "GapPlan",
    "Plan",
    "PlanItem",
    "PlanPortion",
    "PortionSource",
    "accepted_exclusion_words",
    "candidate",
    "parse_exclusions",
    "plan_gap",
    "validate_request",
]

#: The most foods one plan names: more is a menu, not a suggestion (issue #15).
MAX_FOODS = 4
#: Alternatives offered beside the first plan (issue #15: "up to three").
MAX_ALTERNATIVES = 3
#: The largest gap accepted. A day's magnesium target is a few hundred mg (the highest adult
#: reference is 420 mg); a gap above 5,000 mg is a typing error (issue #15, bad input).
MAX_GAP_MG = 5_000.0
#: The default energy budget for closing the gap: 400 kcal. A product choice, not a health fact:
#: about a fifth of the 2,000 kcal reference intake on EU food labels (Regulation (EU) No
#: 1169/2011, Annex XIII), so the suggestion fits in a snack or a side dish added to the day
#: rather than a second dinner. Users can set their own budget.
DEFAULT_KCAL_MAX = 400.0
#: The largest budget accepted: a full day's energy several times over; more is a typing error.
MAX_KCAL_MAX = 10_000.0
#: The tie-breaker for foods the user already eats (in the diary): a bonus of 0.2 kcal per
#: familiar food in the objective. A plan names at most four foods, so the bonus (at most
#: 0.8 kcal) never outweighs a real difference of a kcal or more: the program still asks for
#: the fewest kcal first, and among plans within a kcal of each other it takes the one with the
#: most familiar foods. A strict lexicographic solve (fewest kcal, then a second solve for the
#: most familiar foods at that kcal) would double the solves for a difference no one can taste.
FAMILIAR_BONUS_KCAL = 0.2
#: Alternatives may cost up to this share more kcal than the best plan without the earlier main
#: foods: HiGHS stops there. The first plan and the hints are exact. Measured on the bench's
#: combinations: p90 37 → 28 ms, p99 63 → 49 ms on a loaded two-core machine.
ALTERNATIVE_REL_GAP = 0.05
#: HiGHS options. `time_limit`: a safety net, the best plan found so far is taken (a solve
#: takes a few milliseconds). `mip_rel_gap` 0: exact (the default stops within 0.01 %, which
#: could cost the tie-breaker its 0.2 kcal). `mip_heuristic_run_feasibility_jump` off: that start-up
#: heuristic costs 10-15 ms per run on this size of program (measured: a two-variable program
#: took 18 ms with it, 1.3 ms without), several times the solve itself. scipy's `milp` does
#: not list these options, so it passes them to HiGHS verbatim (with a warning, silenced where
#: it is called).
_HIGHS_OPTIONS = {
    "time_limit": 2.0,
    "mip_rel_gap": 0.0,
    "mip_heuristic_run_feasibility_jump": False,
    # sub-MIP heuristics: a plan is found by the search at the root anyway (about 10 % faster)
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_rins": False,
}

#: What a candidate food can be tagged with (data/plan_foods.toml).
TAGS = frozenset({"animal", "meat", "fish", "dairy", "egg", "tree_nuts", "peanut", "gluten", "soy"})
#: Tags that make a food animal: the loader adds "animal" to every food with one of them.
ANIMAL_TAGS = frozenset({"meat", "fish", "dairy", "egg"})

#: Exclusion words (folded) → the tags they exclude. Any other word must name a candidate food.
EXCLUSION_TAGS: Mapping[str, frozenset[str]] = {
    word: frozenset(tags)
    for words, tags in (
        (("veganistisch", "vegan", "veganist"), {"animal"}),
        (("vegetarisch", "vegetarian", "vegetariër", "vegetarier"), {"meat", "fish"}),
        (("noten", "nuts", "tree nuts", "notenallergie"), {"tree_nuts"}),
        (("pinda", "pindas", "pinda's", "peanut", "peanuts"), {"peanut"}),
        (("gluten", "glutenvrij", "gluten-free", "gluten free", "glutenfree"), {"gluten"}),
        (("lactose", "lactosevrij", "lactose-free", "zuivel", "dairy"), {"dairy"}),
        (("vis", "fish", "schaaldieren", "shellfish"), {"fish"}),
        (("soja", "soy", "soya"), {"soy"}),
        (("vlees", "meat"), {"meat"}),
        (("eieren", "eggs"), {"egg"}),
    )
    for word in (fold(w) for w in words)
}


@dataclass(frozen=True, slots=True)
class PortionSource:
    """Where a portion weight comes from: a source of the app's one catalogue
    (`content/sources.toml`), by its id, with what a reader sees of it."""

    key: str
    title: str
    organisation: str
    year: str
    url: str
    #: The language of the title and organisation ("nl" or "en"): pages mark it.
    lang: str = "nl"

    def cited(self) -> str:
        """Title, organisation, year and address, as a reader sees them."""
        return f"{self.title}, {self.organisation}, {self.year}, {self.url}"


@dataclass(frozen=True, slots=True)
class PlanPortion:
    """One candidate food as `data/plan_foods.toml` gives it: the NDB number, the portion in
    words (one entry per number of portions, so `max_portions` is their count), the grams of
    one portion, the exclusion tags, and where the grams come from (a source, or an assumption
    with its basis)."""

    ndb: str
    words_nl: tuple[str, ...]
    words_en: tuple[str, ...]
    grams: float
    tags: frozenset[str]
    source: PortionSource | None = None
    assumption_nl: str | None = None
    assumption_en: str | None = None

    @property
    def max_portions(self) -> int:
        """The most portions of this food a plan may name."""
        return len(self.words_nl)

    def words(self, count: int, lang: str) -> str:
        """`count` portions in words, in `lang` ("een handje amandelen")."""
        return (self.words_nl if lang == "nl" else self.words_en)[count - 1]

    def basis(self, lang: str) -> str:
        """Where the grams come from, in `lang`: the cited source or the assumption."""
        if self.source is not None:
            return self.source.cited()
        return (self.assumption_nl if lang == "nl" else self.assumption_en) or ""

    def basis_lang(self, lang: str) -> str:
        """The language `basis(lang)` is written in: the source's, or `lang` (assumptions)."""
        return self.source.lang if self.source is not None else lang


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate food with its portion and what one portion brings (from the food data)."""

    food: Food
    portion: PlanPortion
    magnesium_mg: float
    kcal: float
    #: Folded names and synonyms (Dutch and English), for exclusions by name.
    name_keys: frozenset[str] = field(repr=False)

    @property
    def tags(self) -> frozenset[str]:
        """The exclusion tags."""
        return self.portion.tags


def _keys(text: str) -> set[str]:
    folded = fold(text)
    if not folded:
        return set()
    return {folded, " ".join(stem(t) for t in tokens(text))}


def candidate(food: Food, portion: PlanPortion) -> Candidate:
    """A candidate from a food and its portion: magnesium and kcal per portion from the food's
    per-100 g values. A food without a magnesium or kcal value cannot be planned with
    (`DataError`): missing is not zero."""
    magnesium = food.per_100g.get(Nutrient.MAGNESIUM_MG)
    kcal = food.per_100g.get(Nutrient.ENERGY_KCAL)
    if magnesium is None or kcal is None or not food.name_nl:
        raise DataError(
            Code.PLAN_FOOD_INCOMPLETE, food=Foreign(food.id), name=Foreign(food.name_en)
        )
    names = [food.name_nl, food.name_en, *food.synonyms_nl, *food.synonyms_en]
    # the head of a name ("spinazie" of "spinazie, gekookt"; "beans" of "Beans, black, …")
    names += [food.name_nl.split(",")[0], food.name_en.split(",")[0]]
    keys = set().union(*(_keys(name) for name in names))
    return Candidate(
        food=food,
        portion=portion,
        magnesium_mg=magnesium * portion.grams / 100,
        kcal=kcal * portion.grams / 100,
        name_keys=frozenset(keys),
    )


# --- exclusions ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Exclusions:
    """The user's exclusions: each word as typed with the tags or foods it leaves out."""

    #: (the word as typed, the tags it excludes, the food ids it excludes by name)
    by_word: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        """The exclusion words, as typed."""
        return tuple(word for word, _tags, _ids in self.by_word)

    def excludes(self, item: Candidate) -> bool:
        """Whether any exclusion leaves `item` out."""
        return any((item.tags & tags) or item.food.id in ids for _w, tags, ids in self.by_word)

    def excludes_by(self, item: Candidate, word: str) -> bool:
        """Whether the exclusion `word` leaves `item` out."""
        return any(
            (item.tags & tags) or item.food.id in ids
            for each, tags, ids in self.by_word
            if each == word
        )


#: The exclusion words shown to a user (each also has the variants of `EXCLUSION_TAGS`).
SHOWN_EXCLUSION_WORDS = (
    "veganistisch",
    "vegan",
    "vegetarisch",
    "vegetarian",
    "noten",
    "nuts",
    "pinda",
    "peanut",
    "gluten",
    "glutenvrij",
    "lactose",
    "zuivel",
    "dairy",
    "vis",
    "fish",
    "soja",
    "soy",
    "vlees",
    "meat",
    "eieren",
    "eggs",
)


def accepted_exclusion_words() -> tuple[str, ...]:
    """The exclusion words the planner knows (besides the names of its foods), as shown."""
    return SHOWN_EXCLUSION_WORDS


def parse_exclusions(words: Iterable[str], candidates: Sequence[Candidate]) -> Exclusions:
    """The exclusions for `words`: a category word (`EXCLUSION_TAGS`), or a word that names
    candidate foods (Dutch or English name or synonym, singular or plural), which excludes
    those foods. Blank words are skipped; any other word is `InvalidInputError` listing the
    accepted words."""
    found: list[tuple[str, frozenset[str], frozenset[str]]] = []
    for raw in words:
        word = raw.strip()
        if not word or any(word == seen for seen, _t, _i in found):
            continue
        key = fold(word)
        tags = EXCLUSION_TAGS.get(key)
        if tags is not None:
            found.append((word, tags, frozenset()))
            continue
        keys = _keys(word)
        ids = frozenset(c.food.id for c in candidates if c.name_keys & keys)
        if not ids:
            raise InvalidInputError(
                Code.PLAN_UNKNOWN_EXCLUSION, word=word, accepted=accepted_exclusion_words()
            )
        found.append((word, frozenset(), ids))
    return Exclusions(tuple(found))


# --- plans ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanItem:
    """A number of portions of one candidate food."""

    candidate: Candidate
    portions: int

    @property
    def grams(self) -> float:
        """The grams of all portions."""
        return self.portions * self.candidate.portion.grams

    @property
    def magnesium_mg(self) -> float:
        """The magnesium of all portions."""
        return self.portions * self.candidate.magnesium_mg

    @property
    def kcal(self) -> float:
        """The kcal of all portions."""
        return self.portions * self.candidate.kcal

    def words(self, lang: str) -> str:
        """The portions in words, in `lang`."""
        return self.candidate.portion.words(self.portions, lang)


@dataclass(frozen=True, slots=True)
class Plan:
    """Foods in whole portions that close the gap within the budget."""

    items: tuple[PlanItem, ...]

    @property
    def magnesium_mg(self) -> float:
        """The plan's magnesium."""
        return sum(item.magnesium_mg for item in self.items)

    @property
    def kcal(self) -> float:
        """The plan's kcal."""
        return sum(item.kcal for item in self.items)

    @property
    def food_ids(self) -> frozenset[str]:
        """The foods of the plan."""
        return frozenset(item.candidate.food.id for item in self.items)


@dataclass(frozen=True, slots=True)
class GapPlan:
    """The planner's answer. `needed` is False when there is no gap (nothing to plan, not an
    error); `feasible` is False when no plan fits, and `hints` then say what would help.
    `plans[0]` is the plan, the rest are alternatives."""

    gap_mg: float
    kcal_max: float
    exclusions: Exclusions
    needed: bool
    feasible: bool
    plans: tuple[Plan, ...] = ()
    hints: tuple[Message, ...] = ()


def _check_number(value: float, field_code: Code) -> None:
    if not math.isfinite(value):
        raise InvalidInputError(Code.PLAN_NOT_A_NUMBER, field=Message.of(field_code))


def validate_request(gap_mg: float, kcal_max: float) -> None:
    """Refuse a gap above `MAX_GAP_MG` or a negative (or absurd) budget. The messages do not
    repeat the number typed: an absurd one (1e300) cannot be written out in a locale."""
    _check_number(gap_mg, Code.PLAN_FIELD_GAP)
    _check_number(kcal_max, Code.PLAN_FIELD_KCAL_MAX)
    if gap_mg > MAX_GAP_MG:
        raise InvalidInputError(Code.PLAN_GAP_TOO_LARGE, most=MAX_GAP_MG)
    if kcal_max < 0:
        raise InvalidInputError(Code.PLAN_KCAL_NEGATIVE)
    if kcal_max > MAX_KCAL_MAX:
        raise InvalidInputError(Code.PLAN_KCAL_TOO_LARGE, most=MAX_KCAL_MAX)


class _Program:
    """The mixed-integer programs over the candidates, which HiGHS solves.

    Formulated per option rather than per food: one binary z_(i,c) for "c portions of food i"
    (c = 1 … cap_i), at most one option per food (Σ_c z_(i,c) ≤ 1) and at most `MAX_FOODS`
    options in a plan. That is the program n_i ≤ cap_i · y_i, Σ y_i ≤ 4 of the module docstring
    with n_i = Σ_c c · z_(i,c) and y_i = Σ_c z_(i,c), but its relaxation is tight per food.

    Options that cannot be needed are left out: an option is dominated when options of at
    least `MAX_FOODS` other usable foods each bring
    as much magnesium or more for as few kcal or fewer. A plan holding it uses at most three
    other foods, so one of the dominating foods is free to take its place without losing
    magnesium or adding kcal: a best plan never needs it, for either objective. Options of foods
    the user already eats are kept (the tie-breaker could favour them). About a quarter of the
    options remain.

    """

    def __init__(self, candidates: Sequence[Candidate], familiar: Collection[str]) -> None:
        self.candidates = candidates
        options = [
            (i, n) for i, c in enumerate(candidates) for n in range(1, c.portion.max_portions + 1)
        ]
        self.food = np.array([i for i, _n in options], dtype=np.intp)
        self.count = np.array([n for _i, n in options], dtype=np.intp)
        self.magnesium = np.array([candidates[i].magnesium_mg * n for i, n in options])
        self.kcal = np.array([candidates[i].kcal * n for i, n in options])
        self.familiar = np.array([candidates[i].food.id in familiar for i, _n in options])
        self.bonus = np.where(self.familiar, FAMILIAR_BONUS_KCAL, 0.0)
        self.one_hot = np.zeros((len(options), len(candidates)), dtype=np.int32)
        self.one_hot[np.arange(len(options)), self.food] = 1
        dominates = (self.magnesium[None, :] >= self.magnesium[:, None]) & (
            self.kcal[None, :] <= self.kcal[:, None]
        )
        #: dominates[a, b]: option b is at least as good as option a, and of another food
        self.dominates = dominates & (self.food[None, :] != self.food[:, None])

    def kept(
        self,
        usable: np.ndarray,
        *,
        dominators: np.ndarray | None = None,
        kcal_max: float | None = None,
    ) -> np.ndarray:
        """The indices of the options of `usable` foods (a mask over the candidates) that a
        best plan may need. `dominators`: the foods that may always stand in for
        another (default: the usable ones). `kcal_max`: leave out options with more kcal."""
        allowed = usable[self.food]
        if kcal_max is not None:
            allowed = allowed & (self.kcal <= kcal_max + 1e-9)
        standing_in = allowed if dominators is None else dominators[self.food]
        dominated_by = (self.dominates & standing_in[None, :]).astype(np.int32)
        foods_dominating = (dominated_by @ self.one_hot) > 0
        needed = (foods_dominating.sum(axis=1) < MAX_FOODS) | self.familiar
        return np.flatnonzero(allowed & needed)

    def greedy_kcal(self, usable: np.ndarray, gap_mg: float) -> float | None:
        """The kcal of a quick plan that closes the gap (None when it finds none): the k foods
        with the fewest kcal per mg of magnesium at their most portions (k = 0 … 3), closed by
        the one other food that does it with the fewest kcal; the best of these. Any best plan
        has no more kcal than this, so no option with more (less the tie-breaker's bonus) can
        be in it: the solver never sees those options, which keeps its program small."""
        foods = [self.candidates[int(i)] for i in np.flatnonzero(usable)]
        if not foods:
            return None
        caps = np.array([float(c.portion.max_portions) for c in foods])
        magnesium = np.array([c.magnesium_mg for c in foods])
        kcal = np.array([c.kcal for c in foods])
        order = np.argsort(kcal / magnesium, kind="stable")
        best: float | None = None
        taken_mg = taken_kcal = 0.0
        for k in range(MAX_FOODS):
            rest = order[k:]
            missing = gap_mg - taken_mg
            counts = np.ceil(missing / magnesium[rest] - 1e-9)
            fits = counts <= caps[rest]
            if fits.any():
                closing = float(np.min((counts * kcal[rest])[fits]))
                total = taken_kcal + max(0.0, closing)
                best = total if best is None else min(best, total)
            if k >= order.size:
                break
            taken_mg += caps[order[k]] * magnesium[order[k]]
            taken_kcal += caps[order[k]] * kcal[order[k]]
            if taken_mg >= gap_mg:
                best = taken_kcal if best is None else min(best, taken_kcal)
                break
            if k + 1 >= order.size:
                break
        return best

    def plan(self, chosen: Iterable[int]) -> Plan:
        """The plan of the chosen options, richest in magnesium first."""
        items = [PlanItem(self.candidates[self.food[j]], int(self.count[j])) for j in chosen]
        items.sort(key=lambda item: (-item.magnesium_mg, item.candidate.food.id))
        return Plan(tuple(items))


class _Model:
    """One mixed-integer program under construction: binary variables and linear rows."""

    def __init__(self, program: _Program) -> None:
        self.program = program
        self.cost: list[np.ndarray] = []
        self.size = 0
        self.rows: list[tuple[np.ndarray, np.ndarray, float, float]] = []
        #: Set by a block that cannot be met at all (a gap with no options to meet it).
        self.impossible = False

    def variables(self, cost: np.ndarray) -> np.ndarray:
        """New binary variables with these objective coefficients; their column indices."""
        columns = np.arange(self.size, self.size + cost.size)
        self.cost.append(np.asarray(cost, dtype=float))
        self.size += cost.size
        return columns

    def row(self, columns: np.ndarray, coefs: np.ndarray, lower: float, upper: float) -> None:
        """lower ≤ Σ coefs · x[columns] ≤ upper."""
        self.rows.append((columns, np.asarray(coefs, dtype=float), lower, upper))

    def plan_block(
        self,
        options: np.ndarray,
        *,
        gap_mg: float | None,
        kcal_max: float | None,
        most_magnesium: bool = False,
    ) -> np.ndarray:
        """The variables (column indices) of one plan over `options`: at most one option per
        food, at most `MAX_FOODS` foods, magnesium ≥ gap, kcal ≤ budget; objective fewest kcal
        (familiar foods as tie-breaker) or the most magnesium."""
        p = self.program
        if options.size == 0 and gap_mg is not None and gap_mg > 0:
            self.impossible = True
        # objective: the most magnesium, or the fewest kcal less the familiar-food bonus
        cost = -p.magnesium[options] if most_magnesium else p.kcal[options] - p.bonus[options]
        columns = self.variables(cost)
        food = p.food[options]
        for each in np.unique(food):
            mine = columns[food == each]
            if mine.size > 1:
                self.row(mine, np.ones(mine.size), -np.inf, 1.0)
        self.row(columns, np.ones(columns.size), -np.inf, float(MAX_FOODS))
        if gap_mg is not None:
            self.row(columns, p.magnesium[options], gap_mg, np.inf)
        if kcal_max is not None:
            self.row(columns, p.kcal[options], -np.inf, kcal_max)
        return columns

    def solve(self, rel_gap: float = 0.0) -> np.ndarray | None:
        """The chosen variables (0/1), or None when the program has no solution. `rel_gap`:
        stop at a solution within this share of the best (0: the best)."""
        if self.impossible:
            return None
        if self.size == 0:
            return np.zeros(0, dtype=bool)
        matrix = np.zeros((max(1, len(self.rows)), self.size))
        lower = np.full(matrix.shape[0], -np.inf)
        upper = np.full(matrix.shape[0], np.inf)
        for r, (columns, coefs, low, high) in enumerate(self.rows):
            matrix[r, columns] = coefs
            lower[r], upper[r] = low, high
        with warnings.catch_warnings():
            # scipy warns that it passes HiGHS's own option on as it is; that is the intent
            warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
            result = milp(
                np.concatenate(self.cost),
                constraints=LinearConstraint(csr_array(matrix), lower, upper),
                integrality=np.ones(self.size),
                bounds=Bounds(0, 1),
                options={**_HIGHS_OPTIONS, "mip_rel_gap": rel_gap},
            )
        if result.x is None or result.status not in (0, 1):
            return None
        return np.asarray(result.x > 0.5)


def plan_gap(
    candidates: Sequence[Candidate],
    gap_mg: float,
    *,
    kcal_max: float = DEFAULT_KCAL_MAX,
    exclusions: Exclusions | None = None,
    familiar: Collection[str] = (),
    alternatives: int = MAX_ALTERNATIVES,
) -> GapPlan:
    """Plans that close `gap_mg` within `kcal_max` from the candidates the exclusions leave:
    the best first, then up to `alternatives` others. `familiar`: ids of foods the user
    already eats (the tie-breaker). A gap of 0 or less needs no plan (`needed=False`); a gap
    above `MAX_GAP_MG` or a negative budget is `InvalidInputError`.

    Each alternative is the best plan without the main food (the one bringing the most
    magnesium) of every earlier plan: built around another food, so genuinely different,
    rather than the earlier plan with its smallest food swapped, which is what a no-good cut
    per earlier plan (Σ_{i ∈ S} y_i ≤ |S| − 1) mostly gives."""
    validate_request(gap_mg, kcal_max)
    exclusions = exclusions or Exclusions()
    if gap_mg <= 0:
        return GapPlan(
            gap_mg, kcal_max, exclusions, needed=False, feasible=True,
            hints=(Message.of(Code.PLAN_NOT_NEEDED),),
        )  # fmt: skip
    usable = np.array([not exclusions.excludes(c) for c in candidates], dtype=bool)
    if not usable.any():
        return GapPlan(
            gap_mg, kcal_max, exclusions, needed=True, feasible=False,
            hints=(Message.of(Code.PLAN_HINT_NOTHING_LEFT),),
        )  # fmt: skip
    program = _Program(candidates, familiar)
    model = _Model(program)
    options = program.kept(usable, kcal_max=_option_kcal_bound(program, usable, gap_mg, kcal_max))
    columns = model.plan_block(options, gap_mg=gap_mg, kcal_max=kcal_max)
    chosen = model.solve()
    if chosen is None:
        return GapPlan(
            gap_mg, kcal_max, exclusions, needed=True, feasible=False,
            hints=_hints(program, candidates, usable, gap_mg, kcal_max, exclusions),
        )  # fmt: skip
    first = program.plan(options[chosen[columns]])
    plans = [first, *_alternatives(program, usable, first, gap_mg, kcal_max, alternatives)]
    return GapPlan(gap_mg, kcal_max, exclusions, needed=True, feasible=True, plans=tuple(plans))


def _option_kcal_bound(
    program: _Program, usable: np.ndarray, gap_mg: float, kcal_max: float
) -> float:
    """The most kcal one option of a best plan can have: the budget, or the kcal of a quick
    plan plus the most the tie-breaker can give back (one bonus per food)."""
    greedy = program.greedy_kcal(usable, gap_mg) if usable.any() else None
    if greedy is None:
        return kcal_max
    return min(kcal_max, greedy + MAX_FOODS * FAMILIAR_BONUS_KCAL)


def _alternatives(
    program: _Program, usable: np.ndarray, first: Plan, gap_mg: float, kcal_max: float, count: int
) -> list[Plan]:
    """Up to `count` alternatives, each without the main food of every earlier plan."""
    found = [first]
    usable = usable.copy()
    for _ in range(count):
        usable[program.candidates.index(found[-1].items[0].candidate)] = False
        model = _Model(program)
        bound = _option_kcal_bound(program, usable, gap_mg, kcal_max)
        options = program.kept(usable, kcal_max=bound)
        columns = model.plan_block(options, gap_mg=gap_mg, kcal_max=kcal_max)
        chosen = model.solve(rel_gap=ALTERNATIVE_REL_GAP)
        if chosen is None:
            break
        found.append(program.plan(options[chosen[columns]]))
    return found[1:]


def _hints(
    program: _Program,
    candidates: Sequence[Candidate],
    usable: np.ndarray,
    gap_mg: float,
    kcal_max: float,
    exclusions: Exclusions,
) -> tuple[Message, ...]:
    """What would make a plan possible, with numbers.

    The most magnesium at most four foods bring without a budget needs no solver: the four
    foods richest at their most portions. When that reaches the gap, the budget that would
    suffice is the fewest kcal that close the gap without a budget. Then the most magnesium
    within the budget, and the most within the budget when one exclusion is dropped (the
    program chooses which: a binary per exclusion word, at most one set, and a food excluded
    by one word usable only when that word is dropped). Solved one by one: as blocks of one
    program they took longer (the search treats them together)."""
    most_overall = _most_magnesium_without_budget(program, usable)
    cheapest: Plan | None = None
    if most_overall >= gap_mg:
        model = _Model(program)
        bound = program.greedy_kcal(usable, gap_mg)
        options = program.kept(usable, kcal_max=None if bound is None else bound + 1.0)
        columns = model.plan_block(options, gap_mg=gap_mg, kcal_max=None)
        chosen = model.solve()
        if chosen is not None:
            cheapest = program.plan(options[chosen[columns]])
    model = _Model(program)
    options = program.kept(usable, kcal_max=kcal_max)
    columns = model.plan_block(options, gap_mg=None, kcal_max=kcal_max, most_magnesium=True)
    chosen = model.solve()
    within = program.plan(options[chosen[columns]]).magnesium_mg if chosen is not None else 0.0
    words = exclusions.words
    reach, dropped_word = 0.0, None
    if words:
        # which candidates each word excludes; a food excluded by two words stays out when
        # one of them is dropped
        excluded_by = np.array(
            [[exclusions.excludes_by(c, word) for c in candidates] for word in words], dtype=bool
        )
        reachable = usable | (excluded_by.sum(axis=0) == 1)
        model = _Model(program)
        options = program.kept(reachable, dominators=usable, kcal_max=kcal_max)
        columns = model.plan_block(options, gap_mg=None, kcal_max=kcal_max, most_magnesium=True)
        drop = model.variables(np.zeros(len(words)))
        model.row(drop, np.ones(len(words)), -np.inf, 1.0)
        for column, option in zip(columns, options, strict=True):
            food = program.food[option]
            if not usable[food]:  # usable only when its one word is dropped
                by = int(np.flatnonzero(excluded_by[:, food])[0])
                model.row(np.array([column, drop[by]]), np.array([1.0, -1.0]), -np.inf, 0.0)
        chosen = model.solve()
        if chosen is not None:
            reach = program.plan(options[chosen[columns]]).magnesium_mg
            dropped = np.flatnonzero(chosen[drop])
            dropped_word = words[int(dropped[0])] if dropped.size else None

    hints: list[Message] = []
    if cheapest is not None:
        needed = float(math.ceil(cheapest.kcal / 10) * 10)
        hints.append(Message.of(Code.PLAN_HINT_BUDGET, kcal=needed, gap=gap_mg))
    else:
        hints.append(
            Message.of(
                Code.PLAN_HINT_GAP_TOO_LARGE,
                gap=gap_mg,
                magnesium=round(most_overall),
                foods=MAX_FOODS,
            )
        )
    hints.append(
        Message.of(Code.PLAN_HINT_MOST_WITHIN_BUDGET, kcal=kcal_max, magnesium=round(within))
    )
    if dropped_word is not None and reach > within + 0.5:
        if reach >= gap_mg:
            hints.append(Message.of(Code.PLAN_HINT_EXCLUSION_FITS, word=dropped_word))
        else:
            hints.append(
                Message.of(Code.PLAN_HINT_EXCLUSION_MOST, word=dropped_word, magnesium=round(reach))
            )
    return tuple(hints)


def _most_magnesium_without_budget(program: _Program, usable: np.ndarray) -> float:
    """The most magnesium at most `MAX_FOODS` usable foods bring at their most portions."""
    richest = sorted(
        (
            c.magnesium_mg * c.portion.max_portions
            for c, ok in zip(program.candidates, usable, strict=True)
            if ok
        ),
        reverse=True,
    )
    return float(sum(richest[:MAX_FOODS]))

"""The gap planner: its candidate foods (real Dutch portions with a source each), the exclusions
(checked by tags and by names), plans that meet the gap and the budget in realistic portions,
genuinely different alternatives, the tie-breaker, bad input, and the hints when no plan fits."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rugwijzer.content import sources
from rugwijzer.domain.foods import Food, FoodSource
from rugwijzer.domain.household import grams_for_dutch_measure
from rugwijzer.domain.nutrients import Nutrient, NutrientAmounts
from rugwijzer.domain.planner import (
    DEFAULT_KCAL_MAX,
    EXCLUSION_TAGS,
    MAX_FOODS,
    Candidate,
    GapPlan,
    PlanPortion,
    candidate,
    parse_exclusions,
    plan_gap,
)
from rugwijzer.domain.portions import DutchPortion
from rugwijzer.domain.text import fold
from rugwijzer.errors import DataError, InvalidInputError
from rugwijzer.fooddb.database import default_food_database
from rugwijzer.fooddb.household import dutch_measures
from rugwijzer.fooddb.plan_foods import bundled_plan_portions, parse_plan_foods, plan_candidates
from rugwijzer.fooddb.portions import dutch_portions
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code

#: SR food groups of meat, poultry, sausages, fish, lamb/veal/game, dairy and eggs.
ANIMAL_GROUPS = {"01", "05", "07", "10", "13", "15", "17", "23"}
ANIMAL_WORDS_NL = ("melk", "kaas", "yoghurt", "kwark", "ei", "zalm", "makreel", "kabeljauw",
                   "mossel", "kip", "vis", "honing", "chocolade")  # fmt: skip
NUT_WORDS = ("noot", "noten", "amandel", "cashew", "hazel", "walnut", "walnoot", "pecan",
             "pistach", "macadamia", "brazil", "almond", "nuts")  # fmt: skip
GLUTEN_WORDS = ("tarwe", "rogge", "gerst", "spelt", "brood", "pasta", "haver", "wheat", "rye",
                "barley", "bread", "oats", "macaroni", "pumpernickel")  # fmt: skip
CATEGORY_WORDS = ("veganistisch", "vegetarisch", "noten", "pinda", "gluten", "lactose", "vis",
                  "soja")  # fmt: skip


@pytest.fixture(scope="module")
def candidates() -> tuple[Candidate, ...]:
    return plan_candidates(default_food_database())


def _names(c: Candidate) -> str:
    return f"{c.food.name_nl} | {c.food.name_en} | {' '.join(c.portion.words_nl)}".lower()


def _plans(result: GapPlan) -> list[list[Candidate]]:
    return [[item.candidate for item in plan.items] for plan in result.plans]


def _check_plans(result: GapPlan, gap: float, budget: float) -> None:
    """Every plan meets the gap and the budget in whole portions of at most four foods."""
    portions = {p.ndb: p for p in bundled_plan_portions()}
    for plan in result.plans:
        assert 1 <= len(plan.items) <= MAX_FOODS
        assert plan.magnesium_mg >= gap - 1e-6
        assert plan.kcal <= budget + 1e-6
        for item in plan.items:
            portion = portions[item.candidate.food.id.split(":")[1]]
            assert 1 <= item.portions <= portion.max_portions
            assert item.grams == pytest.approx(item.portions * portion.grams)
            assert item.words("nl") == portion.words_nl[item.portions - 1]


# --- the candidate foods ------------------------------------------------------------------------


def test_every_candidate_is_an_sr24_food_with_a_dutch_name_and_values(
    candidates: tuple[Candidate, ...],
) -> None:
    portions = bundled_plan_portions()
    assert 50 <= len(portions) <= 80
    assert len(candidates) == len(portions)  # none missing from the bundled data
    for c in candidates:
        assert c.food.id == f"sr24:{c.portion.ndb}"
        assert c.food.name_nl, c.food.id
        assert c.magnesium_mg > 0, c.food.id
        assert c.kcal > 0, c.food.id


def test_every_portion_has_words_per_count_and_a_source_or_an_assumption() -> None:
    for portion in bundled_plan_portions():
        assert len(portion.words_nl) == len(portion.words_en) == portion.max_portions >= 1
        assert portion.max_portions <= 3
        assert portion.words_nl[0].startswith(("een ", "twee ")), portion.words_nl
        assert portion.words_en[0].startswith(("a ", "an ", "two ")), portion.words_en
        if portion.source is None:
            assert portion.assumption_nl
            assert portion.assumption_nl.startswith("aanname")
            assert portion.assumption_en
            assert portion.assumption_en.startswith("assumption")
        else:
            assert portion.source.url.startswith("https://")
            assert portion.source.title
            assert portion.source.year
            assert portion.source.organisation
        assert portion.basis("nl")
        assert portion.basis("en")


def test_the_portions_are_the_dutch_ones_of_the_facts_sheet() -> None:
    by_ndb = {p.ndb: p for p in bundled_plan_portions()}
    assert by_ndb["12061"].grams == 25
    assert by_ndb["12061"].words_nl[0] == "een handje amandelen"
    assert by_ndb["11458"].grams == 50  # een opscheplepel (cooked) spinach
    assert by_ndb["08120"].grams == 40
    assert by_ndb["08120"].max_portions == 1
    assert by_ndb["18075"].grams == 35  # a slice of wholemeal bread
    assert by_ndb["16070"].grams == 60  # cooked lentils, a serving spoon


def test_the_animal_tag_follows_meat_fish_dairy_and_egg() -> None:
    for portion in bundled_plan_portions():
        if portion.tags & {"meat", "fish", "dairy", "egg"}:
            assert "animal" in portion.tags


def test_oats_count_as_gluten() -> None:
    oats = next(p for p in bundled_plan_portions() if p.ndb == "08120")
    assert "gluten" in oats.tags


@pytest.mark.parametrize(
    ("group", "codes"),
    [
        ("nuts", {"12061", "12087", "12155"}),
        ("seeds", {"12014", "12006", "12220"}),
        ("legumes", {"16070", "16057"}),
        ("soy", {"16126", "16114"}),
        ("whole grains", {"08120", "20037", "20137"}),
        ("bread", {"18075"}),
        ("leafy greens", {"11458", "11234"}),
        ("other vegetables", {"11091", "11053"}),
        ("potatoes", {"11367"}),
        ("fruit", {"09040", "09148"}),
        ("dairy", {"01175", "01117"}),
        ("fish", {"15237"}),
        ("chocolate", {"19904"}),
    ],
)
def test_every_kind_of_food_is_covered(group: str, codes: set[str]) -> None:
    assert codes <= {p.ndb for p in bundled_plan_portions()}, group


@pytest.mark.parametrize("word", CATEGORY_WORDS)
def test_every_exclusion_leaves_choices(candidates: tuple[Candidate, ...], word: str) -> None:
    exclusions = parse_exclusions([word], candidates)
    left = [c for c in candidates if not exclusions.excludes(c)]
    assert len(left) >= 20
    assert len(left) < len(candidates)  # and it does leave something out


def test_a_plan_foods_file_without_a_source_is_refused() -> None:
    text = 'food = [{ ndb = "12061", nl = ["een handje"], en = ["a handful"], grams = 25, ' \
        'max_portions = 1, tags = [] }]'  # fmt: skip
    with pytest.raises(DataError) as refused:
        parse_plan_foods(text)
    assert refused.value.message.code is Code.PLAN_FILE_INVALID


def test_every_portion_source_is_one_of_the_app_catalogue() -> None:
    known = sources()
    cited = [p for p in bundled_plan_portions() if p.source is not None]
    assert len(cited) >= 40
    for portion in cited:
        assert portion.source is not None
        source = known[portion.source.key]
        assert portion.source.title == source.title
        assert portion.source.organisation == source.organisation
        assert portion.source.year == source.year
        assert portion.source.url == source.url
        assert portion.source.lang == source.language
        assert (
            portion.basis("nl")
            == f"{source.title}, {source.organisation}, {source.year}, {source.url}"
        )


def test_a_plan_foods_file_citing_an_unknown_source_is_refused() -> None:
    text = 'food = [{ ndb = "12061", nl = ["een handje"], en = ["a handful"], grams = 25, ' \
        'max_portions = 1, tags = [], source = "no-such-source" }]'  # fmt: skip
    with pytest.raises(DataError) as refused:
        parse_plan_foods(text)
    assert refused.value.message.code is Code.PLAN_FILE_INVALID
    assert "no-such-source" in str(refused.value.message.params["detail"])
    # the same file is read when the id is known
    known = {"no-such-source": sources()["hln-handje-noten"]}
    (portion,) = parse_plan_foods(text, known)
    assert portion.source is not None
    assert portion.source.organisation == known["no-such-source"].organisation


def test_a_plan_foods_file_with_its_own_sources_table_is_refused() -> None:
    text = '[sources.handje]\ntitle = "t"\n\n[[food]]\nndb = "12061"\nnl = ["een handje"]\n' \
        'en = ["a handful"]\ngrams = 25\nmax_portions = 1\ntags = []\n' \
        'source = "hln-handje-noten"\n'  # fmt: skip
    with pytest.raises(DataError) as refused:
        parse_plan_foods(text)
    assert refused.value.message.code is Code.PLAN_FILE_INVALID


# --- the planner's portions are the Dutch portions the diary uses ---------------------------------


def _dutch_figure(
    portion: PlanPortion, entry: DutchPortion, food: Food
) -> tuple[str, float, str | None]:
    """The Dutch figure that ONE planner portion names, by its Dutch words, as (what it is,
    grams, source id):

    1. Words with a household measure of weight or volume ("handje", "eetlepel",
       "opscheplepel", "boterham", "plak", "glas", "schaaltje", "bord"): the entry's override of
       that measure (`entry.measures[key]`); else the entry's portion or piece whose Dutch name
       is that measure ("handje" of nuts, "plak" of cheese, "glas" of milk, "snee" of bread);
       else the household measure itself, which must apply to the food's group.
    2. Words with "portie": the entry's portion ("een portie tofu (100 g)").
    3. Words with "stukje(s)": that many of the entry's stukje ("twee stukjes chocolade").
    4. Other words name one piece ("een banaan", "een gekookt ei", "een moot zalm"): the piece,
       else the portion.

    A volume (ml) is weighed as the diary weighs it (`grams_for`: the food's own USDA volume
    measure, else 1 g/ml)."""
    words = fold(portion.words_nl[0]).split()
    for measure in dutch_measures():
        if measure.kind == "piece" or not set(measure.words) & set(words):
            continue
        if measure.key in entry.measures:
            figure = entry.measures[measure.key]
            return f"override {measure.key}", figure.grams_for(food).grams, figure.source_id
        for named in (entry.portion, entry.piece):
            if named is not None and fold(named.name_nl).split()[0] in measure.words:
                return f"named {measure.key}", named.grams_for(food).grams, named.source_id
        assert measure.applies(food), (food.id, measure.key)
        return f"household {measure.key}", grams_for_dutch_measure(measure, food)[0], None
    if "portie" in words and entry.portion is not None:
        return "portion", entry.portion.grams_for(food).grams, entry.portion.source_id
    stukjes = {"stukje", "stukjes"} & set(words)
    if stukjes and entry.stukje is not None:
        count = {"een": 1, "twee": 2, "drie": 3}[words[0]]
        stukje = entry.stukje.grams_for(food)
        return f"{count} x stukje", count * stukje.grams, stukje.source_id
    figure = entry.piece or entry.portion
    assert figure is not None
    return "piece" if entry.piece else "portion", figure.grams_for(food).grams, figure.source_id


def test_every_planner_portion_weighs_what_the_dutch_portions_say() -> None:
    """A plan and the diary weigh "een opscheplepel spinazie" alike: for every planner food the
    Dutch portions cover, one portion's grams are the Dutch figure its words name, and where
    both cite a source it is the same one."""
    database = default_food_database()
    dutch = dutch_portions()
    covered = 0
    for portion in bundled_plan_portions():
        food = database.get(portion.ndb)
        entry = dutch.for_food(food)
        if entry is None:
            continue
        covered += 1
        what, grams, source_id = _dutch_figure(portion, entry, food)
        assert portion.grams == pytest.approx(grams, abs=1e-9), (portion.words_nl[0], what, grams)
        if source_id is not None and portion.source is not None:
            assert portion.source.key == source_id, (portion.words_nl[0], what)
    assert covered == len(bundled_plan_portions())  # today every planner food is covered


@pytest.mark.parametrize(
    ("ndb", "what", "grams"),
    [
        ("11458", "household opscheplepel", 50.0),  # spinach: the serving spoon of vegetables
        ("16070", "override opscheplepel", 60.0),  # lentils: the spoon of legumes
        ("12061", "named handje", 25.0),
        ("18075", "named snee_brood", 35.0),
        ("08120", "override bord", 40.0),
        ("09040", "piece", 130.0),
        ("15047", "portion", 100.0),
        ("19904", "2 x stukje", 10.0),
        ("16139", "named glas", 154.1),  # 150 ml by USDA's cup of soy drink (243 g)
    ],
)
def test_the_dutch_figure_follows_the_portion_words(ndb: str, what: str, grams: float) -> None:
    food = default_food_database().get(ndb)
    entry = dutch_portions().for_food(food)
    assert entry is not None
    portion = next(p for p in bundled_plan_portions() if p.ndb == ndb)
    found = _dutch_figure(portion, entry, food)
    assert found[:2] == (what, pytest.approx(grams))


def test_a_portion_that_disagrees_with_the_dutch_figure_is_caught() -> None:
    food = default_food_database().get("11458")
    entry = dutch_portions().for_food(food)
    assert entry is not None
    wrong = PlanPortion(
        "11458", ("een opscheplepel spinazie",), ("a serving spoon",), 60, frozenset()
    )
    assert _dutch_figure(wrong, entry, food)[1] != wrong.grams


def test_a_food_without_a_magnesium_value_cannot_be_planned() -> None:
    food = Food(
        id="x:1",
        name_en="Mystery",
        group_code="11",
        per_100g=NutrientAmounts({Nutrient.ENERGY_KCAL: 20.0}),
        measures=(),
        source=FoodSource("test", "1", "none"),
        name_nl="raadsel",
    )
    portion = PlanPortion("1", ("een lepel",), ("a spoon",), 50, frozenset())
    with pytest.raises(DataError):
        candidate(food, portion)


# --- exclusions ---------------------------------------------------------------------------------


def test_vegan_plans_contain_no_animal_food(candidates: tuple[Candidate, ...]) -> None:
    exclusions = parse_exclusions(["veganistisch"], candidates)
    for gap in (80, 150, 250, 350):
        result = plan_gap(candidates, gap, exclusions=exclusions)
        assert result.feasible
        for plan in _plans(result):
            for c in plan:
                assert "animal" not in c.tags
                assert c.food.group_code not in ANIMAL_GROUPS, c.food.name_en
                names = (c.food.name_nl or "").split(",")[0].split()
                assert not any(word in names for word in ANIMAL_WORDS_NL), names


def test_vegan_in_english_is_the_same_exclusion(candidates: tuple[Candidate, ...]) -> None:
    dutch = plan_gap(candidates, 250, exclusions=parse_exclusions(["veganistisch"], candidates))
    english = plan_gap(candidates, 250, exclusions=parse_exclusions(["Vegan"], candidates))
    assert _plans(dutch) == _plans(english)


def test_no_nuts_plans_contain_no_tree_nuts(candidates: tuple[Candidate, ...]) -> None:
    exclusions = parse_exclusions(["noten", "veganistisch"], candidates)
    # without the exclusion a plan has nuts here (an alternative, at the time of writing)
    with_nuts = plan_gap(
        candidates, 350, kcal_max=600, exclusions=parse_exclusions(["vegan"], candidates)
    )
    assert any("tree_nuts" in c.tags for plan in _plans(with_nuts) for c in plan)
    result = plan_gap(candidates, 350, kcal_max=600, exclusions=exclusions)
    assert result.feasible
    for plan in _plans(result):
        for c in plan:
            assert "tree_nuts" not in c.tags
            assert not any(word in _names(c) for word in NUT_WORDS), _names(c)


def test_gluten_free_plans_contain_no_wheat_rye_barley_or_spelt(
    candidates: tuple[Candidate, ...],
) -> None:
    exclusions = parse_exclusions(["glutenvrij", "veganistisch", "noten", "soja"], candidates)
    for gap, budget in ((150, 400), (250, 300), (300, 600)):
        result = plan_gap(candidates, gap, kcal_max=budget, exclusions=exclusions)
        for plan in _plans(result):
            for c in plan:
                assert "gluten" not in c.tags
                assert not any(word in _names(c) for word in GLUTEN_WORDS), _names(c)


def test_a_named_food_is_left_out_in_either_language(candidates: tuple[Candidate, ...]) -> None:
    first = plan_gap(candidates, 150)
    main = first.plans[0].items[0].candidate  # chard, at the time of writing
    for word in (
        main.food.name_nl or "",
        main.food.name_en.split(",")[0],
        main.food.synonyms_nl[0],
    ):
        result = plan_gap(candidates, 150, exclusions=parse_exclusions([word], candidates))
        assert all(main not in plan for plan in _plans(result)), word
    almonds = parse_exclusions(["almonds"], candidates)
    assert [c.food.id for c in candidates if almonds.excludes(c)] == ["sr24:12061"]
    assert parse_exclusions(["Amandelen"], candidates).excludes(
        next(c for c in candidates if c.food.id == "sr24:12061")
    )


def test_an_unknown_word_is_an_error_listing_the_accepted_words(
    candidates: tuple[Candidate, ...],
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_exclusions(["kaviaar"], candidates)
    message = refused.value.message
    assert message.code is Code.PLAN_UNKNOWN_EXCLUSION
    accepted = message.params["accepted"]
    assert isinstance(accepted, tuple)
    assert {"veganistisch", "noten", "soy"} <= set(accepted)
    assert "kaviaar" in render_message(message, "nl")


def test_every_listed_word_is_known(candidates: tuple[Candidate, ...]) -> None:
    for word in EXCLUSION_TAGS:
        exclusions = parse_exclusions([word], candidates)
        assert exclusions.words == (word,)
        # a category word leaves out foods by tag, never by name
        (_word, tags, food_ids) = exclusions.by_word[0]
        assert tags
        assert not food_ids


# --- plans --------------------------------------------------------------------------------------


def _brute_force_kcal(candidates: Sequence[Candidate], gap: float, budget: float) -> float | None:
    best = None
    choices = [range(c.portion.max_portions + 1) for c in candidates]
    for counts in itertools.product(*choices):
        if sum(1 for n in counts if n) > MAX_FOODS:
            continue
        mg = sum(n * c.magnesium_mg for n, c in zip(counts, candidates, strict=True))
        kcal = sum(n * c.kcal for n, c in zip(counts, candidates, strict=True))
        if mg >= gap and kcal <= budget and (best is None or kcal < best):
            best = kcal
    return best


@pytest.mark.parametrize(("gap", "budget"), [(100, 400), (180, 250), (260, 400), (40, 60)])
def test_the_first_plan_has_the_fewest_kcal(
    candidates: tuple[Candidate, ...], gap: float, budget: float
) -> None:
    # a small set, so every combination can be tried
    codes = {"12061", "12014", "11091", "09040", "16070", "18075", "01117", "11367"}
    few = [c for c in candidates if c.portion.ndb in codes]
    result = plan_gap(few, gap, kcal_max=budget)
    best = _brute_force_kcal(few, gap, budget)
    if best is None:
        assert not result.feasible
    else:
        assert result.feasible
        assert result.plans[0].kcal == pytest.approx(best, abs=0.9)
        _check_plans(result, gap, budget)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    gap=st.floats(min_value=1, max_value=700),
    budget=st.floats(min_value=0, max_value=1500),
    words=st.sets(st.sampled_from(CATEGORY_WORDS), max_size=4),
)
def test_every_plan_meets_the_gap_and_the_budget_and_the_exclusions(
    candidates: tuple[Candidate, ...], gap: float, budget: float, words: set[str]
) -> None:
    exclusions = parse_exclusions(sorted(words), candidates)
    result = plan_gap(candidates, gap, kcal_max=budget, exclusions=exclusions)
    assert result.needed
    if not result.feasible:
        assert result.plans == ()
        assert result.hints
        return
    _check_plans(result, gap, budget)
    for plan in _plans(result):
        assert not any(exclusions.excludes(c) for c in plan)
    # each alternative goes without the main food of every earlier plan
    sets = [plan.food_ids for plan in result.plans]
    assert len(set(sets)) == len(sets)
    for later, plan in enumerate(result.plans[1:], start=1):
        for earlier in result.plans[:later]:
            assert earlier.items[0].candidate.food.id not in plan.food_ids


def test_up_to_three_alternatives_that_differ(candidates: tuple[Candidate, ...]) -> None:
    result = plan_gap(candidates, 200)
    assert len(result.plans) == 4
    mains = [plan.items[0].candidate.food.id for plan in result.plans]
    assert len(set(mains)) == 4
    assert result.plans[0].kcal <= min(plan.kcal for plan in result.plans[1:])
    assert len(plan_gap(candidates, 200, alternatives=0).plans) == 1


def test_foods_already_eaten_break_a_tie() -> None:
    def food(code: str, name: str) -> Candidate:
        item = Food(
            id=f"t:{code}",
            name_en=name,
            group_code="11",
            per_100g=NutrientAmounts({Nutrient.MAGNESIUM_MG: 100.0, Nutrient.ENERGY_KCAL: 40.0}),
            measures=(),
            source=FoodSource("test", code, "none"),
            name_nl=name,
        )
        return candidate(item, PlanPortion(code, ("een lepel",), ("a spoon",), 50, frozenset()))

    both = [food("1", "eerste"), food("2", "tweede")]
    for eaten in ("t:1", "t:2"):
        result = plan_gap(both, 40, familiar={eaten})
        assert [c.food.id for c in _plans(result)[0]] == [eaten]
    # a food eaten before that costs more kcal is not preferred
    dearer = Food(
        id="t:3",
        name_en="dearer",
        group_code="11",
        per_100g=NutrientAmounts({Nutrient.MAGNESIUM_MG: 100.0, Nutrient.ENERGY_KCAL: 42.0}),
        measures=(),
        source=FoodSource("test", "3", "none"),
        name_nl="duurder",
    )
    three = [
        both[0],
        candidate(dearer, PlanPortion("3", ("een lepel",), ("a spoon",), 50, frozenset())),
    ]
    result = plan_gap(three, 40, familiar={"t:3"})
    assert [c.food.id for c in _plans(result)[0]] == ["t:1"]


def test_the_tie_breaker_never_costs_a_kcal(candidates: tuple[Candidate, ...]) -> None:
    plain = plan_gap(candidates, 200, alternatives=0)
    eaten = {c.food.id for c in candidates if "dairy" in c.tags or "gluten" in c.tags}
    familiar = plan_gap(candidates, 200, familiar=eaten, alternatives=0)
    assert familiar.plans[0].kcal <= plain.plans[0].kcal + 0.8


# --- no plan needed, no plan possible, bad input ------------------------------------------------


@pytest.mark.parametrize("gap", [0, -20.5])
def test_no_gap_needs_no_plan(candidates: tuple[Candidate, ...], gap: float) -> None:
    result = plan_gap(candidates, gap)
    assert (result.needed, result.feasible, result.plans) == (False, True, ())
    assert [hint.code for hint in result.hints] == [Code.PLAN_NOT_NEEDED]


@pytest.mark.parametrize(
    ("gap", "budget", "code"),
    [
        (5000.5, DEFAULT_KCAL_MAX, Code.PLAN_GAP_TOO_LARGE),
        (200, -1, Code.PLAN_KCAL_NEGATIVE),
        (200, 20_000, Code.PLAN_KCAL_TOO_LARGE),
        (float("nan"), DEFAULT_KCAL_MAX, Code.PLAN_NOT_A_NUMBER),
        (200, float("inf"), Code.PLAN_NOT_A_NUMBER),
    ],
)
def test_bad_input_is_an_error(
    candidates: tuple[Candidate, ...], gap: float, budget: float, code: Code
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        plan_gap(candidates, gap, kcal_max=budget)
    assert refused.value.message.code is code


def test_a_budget_too_small_says_which_budget_would_do(candidates: tuple[Candidate, ...]) -> None:
    result = plan_gap(candidates, 300, kcal_max=40)
    assert (result.needed, result.feasible, result.plans) == (True, False, ())
    codes = [hint.code for hint in result.hints]
    assert codes[:2] == [Code.PLAN_HINT_BUDGET, Code.PLAN_HINT_MOST_WITHIN_BUDGET]
    enough = result.hints[0].params["kcal"]
    assert isinstance(enough, float)
    assert enough > 40
    assert plan_gap(candidates, 300, kcal_max=enough).feasible  # the number is right
    assert not plan_gap(candidates, 300, kcal_max=enough - 10).feasible  # and the least
    most = result.hints[1].params["magnesium"]
    assert isinstance(most, int)
    assert 0 < most < 300
    assert plan_gap(candidates, most - 1, kcal_max=40).feasible
    assert not plan_gap(candidates, most + 1, kcal_max=40).feasible


def test_a_gap_no_four_foods_reach_says_the_most_they_do(
    candidates: tuple[Candidate, ...],
) -> None:
    result = plan_gap(candidates, 2000, kcal_max=5000)
    assert not result.feasible
    assert result.hints[0].code is Code.PLAN_HINT_GAP_TOO_LARGE
    assert "2.000" in render_message(result.hints[0], "nl")


def test_the_exclusion_that_costs_most_is_named(candidates: tuple[Candidate, ...]) -> None:
    words = ["veganistisch", "spinazie", "snijbiet"]
    result = plan_gap(candidates, 300, kcal_max=300, exclusions=parse_exclusions(words, candidates))
    assert not result.feasible
    codes = [hint.code for hint in result.hints]
    assert Code.PLAN_HINT_EXCLUSION_FITS in codes
    hint = result.hints[codes.index(Code.PLAN_HINT_EXCLUSION_FITS)]
    word = hint.params["word"]
    assert word in ("spinazie", "snijbiet")
    fewer = parse_exclusions([w for w in words if w != word], candidates)
    assert plan_gap(candidates, 300, kcal_max=300, exclusions=fewer).feasible
    # dropping "veganistisch" alone would not do
    other = parse_exclusions(["spinazie", "snijbiet"], candidates)
    assert not plan_gap(candidates, 300, kcal_max=300, exclusions=other).feasible


def test_exclusions_that_leave_nothing_say_so() -> None:
    only_nuts = [c for c in plan_candidates(default_food_database()) if "tree_nuts" in c.tags]
    result = plan_gap(only_nuts, 100, exclusions=parse_exclusions(["noten"], only_nuts))
    assert not result.feasible
    assert [hint.code for hint in result.hints] == [Code.PLAN_HINT_NOTHING_LEFT]

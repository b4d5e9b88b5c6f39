"""Ergonomic aids: the catalogue's rules and advice graded by the evidence. Never a diagnosis.

Every category gets one recommendation from the answers (how long the pain has lasted, hours of
sitting, work, the goal) and the evidence kept with the other content (statements `aids.*`):

- a lumbar support (brace, belt, corset) is never suggested: NICE NG59 says not to offer belts or
  corsets, and the Cochrane review found no evidence that they prevent back pain;
- a heat wrap is worth considering for relief of acute or subacute pain (under 12 weeks; the
  Cochrane review of superficial heat); for prevention or long-lasting pain it is not shown;
- a sit-stand desk helps people sit less (the Cochrane review of workplace interventions), but
  that it eases or prevents back pain is not shown; the advice says so to those who sit much;
- posture correctors, chairs, cushions, mattresses and footrests: no evidence that they treat or
  prevent back pain;
- a warning sign in the triage answers turns every item into "see a professional" (or "not
  recommended" where the evidence is against it), and nothing is suggested.

The rules and thresholds are Rugwijzer's reading of that evidence (docs/aids.md).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Literal, get_args

from rugwijzer.domain.triage import Urgency, parse_answers, triage
from rugwijzer.errors import InvalidInputError, InvalidRowsError
from rugwijzer.messages import Code, Message, Param

__all__ = [
    "ACUTE_WEEKS_BELOW",
    "CATALOGUE_COLUMNS",
    "CATEGORIES",
    "MANY_SITTING_HOURS",
    "WORK",
    "AidAdvice",
    "AidAnswers",
    "AidItem",
    "Category",
    "Product",
    "Recommendation",
    "advise",
    "parse_aid_answers",
    "parse_catalogue_csv",
]

Category = Literal[
    "lumbar_support",
    "posture_corrector",
    "heat_wrap",
    "sit_stand_desk",
    "office_chair",
    "seat_cushion",
    "lumbar_cushion",
    "mattress",
    "footrest",
]
#: The categories of the catalogue, in the order advice lists them.
CATEGORIES: tuple[Category, ...] = get_args(Category)
WORK = ("desk", "manual", "standing", "other")
GOALS = ("relief", "prevention")
Recommendation = Literal["consider", "no_evidence", "not_recommended", "see_professional"]
#: Acute and subacute pain (under 12 weeks), where the heat trials were done.
ACUTE_WEEKS_BELOW = 12.0
#: From this many hours of sitting a day, sitting less is worth a thought (Rugwijzer's own
#: threshold: the sitting trials were done in office workers who sit most of the working day).
MANY_SITTING_HOURS = 6.0
MAX_PAIN_WEEKS = 5200.0  # 100 years, as in the triage
MAX_PRICE_EUR = Decimal("100000")
CATALOGUE_COLUMNS = ("sku", "name_nl", "name_en", "category", "price_eur", "url", "description")
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_MAX_NAME = 200
_MAX_DESCRIPTION = 2000
_MAX_URL = 2000


@dataclass(frozen=True, slots=True)
class Product:
    """A product of the catalogue. `example` marks the sample catalogue of local mode."""

    sku: str
    name_nl: str
    name_en: str
    category: str
    price_eur: Decimal
    url: str
    description: str = ""
    example: bool = False

    def name(self, lang: str) -> str:
        """The name in `lang`."""
        return self.name_nl if lang == "nl" else self.name_en


@dataclass(frozen=True, slots=True)
class AidAnswers:
    """What the advice knows about the person."""

    pain_weeks: float
    sitting_hours_per_day: float
    work: str
    goal: str
    triage: Mapping[str, bool | float | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AidItem:
    """One category's recommendation, why (message codes with the answers as parameters) and
    the key of its evidence statement."""

    category: str
    recommendation: Recommendation
    because: tuple[Message, ...]
    evidence: str  # statement key, e.g. "aids.lumbar_support"


@dataclass(frozen=True, slots=True)
class AidAdvice:
    """The advice: the urgency the triage answers give, and one item per category."""

    urgency: Urgency
    items: tuple[AidItem, ...]

    @property
    def red_flag(self) -> bool:
        """True when the triage answers give any urgency above none."""
        return self.urgency > Urgency.NONE


# --- answers --------------------------------------------------------------------------------


def parse_aid_answers(data: object) -> AidAnswers:
    """Validate JSON answers: {"pain_weeks": 3, "sitting_hours_per_day": 8, "work": "desk",
    "goal": "relief", "triage": {...}}; the first four are required, `triage` takes the
    triage's answer keys. Raises `InvalidInputError` naming the problem."""
    if not isinstance(data, dict):
        raise InvalidInputError(Code.AIDS_ANSWERS_NOT_OBJECT)
    allowed = {"pain_weeks", "sitting_hours_per_day", "work", "goal", "triage"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInputError(Code.AIDS_UNKNOWN_FIELDS, fields=tuple(unknown))
    missing = sorted({"pain_weeks", "sitting_hours_per_day", "work", "goal"} - set(data))
    if missing:
        raise InvalidInputError(Code.AIDS_MISSING_FIELDS, fields=tuple(missing))

    def number(key: str, highest: float) -> float:
        value = data[key]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 <= value <= highest
        ):
            raise InvalidInputError(Code.AIDS_NUMBER_RANGE, field=key, maximum=highest)
        return float(value)

    def choice(key: str, known: tuple[str, ...]) -> str:
        value = data[key]
        if value not in known:
            raise InvalidInputError(Code.AIDS_UNKNOWN_CHOICE, field=key, known=known)
        return str(value)

    triage_answers = data.get("triage") or {}
    return AidAnswers(
        pain_weeks=number("pain_weeks", MAX_PAIN_WEEKS),
        sitting_hours_per_day=number("sitting_hours_per_day", 24),
        work=choice("work", WORK),
        goal=choice("goal", GOALS),
        triage=parse_answers(triage_answers),
    )


# --- advice ---------------------------------------------------------------------------------


def _item(
    category: str, recommendation: Recommendation, *because: Message, evidence: str = ""
) -> AidItem:
    return AidItem(category, recommendation, because, evidence or f"aids.{category}")


def _why(code: Code, **params: Param) -> Message:
    return Message(code, params)


def advise(answers: AidAnswers) -> AidAdvice:
    """One recommendation per category, from the answers and the evidence (see the module)."""
    urgency = triage(answers.triage).urgency if answers.triage else Urgency.NONE
    weeks = answers.pain_weeks
    hours = answers.sitting_hours_per_day
    acute = weeks < ACUTE_WEEKS_BELOW
    duration = _why(
        Code.AIDS_BECAUSE_ACUTE if acute else Code.AIDS_BECAUSE_LONG_LASTING, weeks=weeks
    )
    if urgency > Urgency.NONE:
        # Red flags suppress every suggestion: first a doctor, then perhaps an aid.
        referral = _why(Code.AIDS_BECAUSE_RED_FLAG)
        return AidAdvice(
            urgency,
            tuple(
                _item(
                    category,
                    "not_recommended"
                    if category in ("lumbar_support", "posture_corrector")
                    else "see_professional",
                    referral,
                )
                for category in CATEGORIES
            ),
        )
    relief = answers.goal == "relief"
    goal = _why(Code.AIDS_BECAUSE_GOAL_RELIEF if relief else Code.AIDS_BECAUSE_GOAL_PREVENTION)
    sitting = _why(
        Code.AIDS_BECAUSE_SITS_MUCH
        if hours >= MANY_SITTING_HOURS
        else Code.AIDS_BECAUSE_SITS_LITTLE,
        hours=hours,
    )
    items = [
        _item("lumbar_support", "not_recommended", goal),
        _item("posture_corrector", "no_evidence", goal),
        _item("heat_wrap", "consider" if relief and acute else "no_evidence", duration, goal),
        _item("sit_stand_desk", "no_evidence", sitting),
        _item("office_chair", "no_evidence", sitting),
        _item("seat_cushion", "no_evidence", sitting),
        _item("lumbar_cushion", "no_evidence", sitting),
        _item("mattress", "no_evidence", duration),
        _item("footrest", "no_evidence", sitting),
    ]
    return AidAdvice(urgency, tuple(items))


# --- the catalogue file ---------------------------------------------------------------------


def _row_problems(line: int, row: Mapping[str, str]) -> tuple[Product | None, list[Message]]:
    problems: list[Message] = []

    def problem(code: Code, **params: Param) -> None:
        problems.append(Message(code, {"line": line, **params}))

    sku = (row.get("sku") or "").strip()
    if not _SKU.match(sku):
        problem(Code.AIDS_IMPORT_BAD_SKU, sku=sku)
    names = {lang: (row.get(f"name_{lang}") or "").strip() for lang in ("nl", "en")}
    for lang, name in names.items():
        if not name or len(name) > _MAX_NAME:
            problem(Code.AIDS_IMPORT_BAD_NAME, column=f"name_{lang}", maximum=_MAX_NAME)
    category = (row.get("category") or "").strip()
    if category not in CATEGORIES:
        problem(Code.AIDS_IMPORT_UNKNOWN_CATEGORY, category=category, known=CATEGORIES)
    price_text = (row.get("price_eur") or "").strip().replace(",", ".")
    price: Decimal | None = None
    try:
        price = Decimal(price_text)
    except InvalidOperation:
        problem(Code.AIDS_IMPORT_BAD_PRICE, value=price_text)
    else:
        if not price.is_finite() or price < 0 or price > MAX_PRICE_EUR:
            problem(Code.AIDS_IMPORT_BAD_PRICE, value=price_text)
            price = None
    url = (row.get("url") or "").strip()
    if not re.match(r"^https?://[^\s/]+", url) or len(url) > _MAX_URL:
        problem(Code.AIDS_IMPORT_BAD_URL, value=url[:80])
    description = (row.get("description") or "").strip()
    if len(description) > _MAX_DESCRIPTION:
        problem(Code.AIDS_IMPORT_LONG_DESCRIPTION, maximum=_MAX_DESCRIPTION)
    if problems or price is None:
        return None, problems
    return Product(sku, names["nl"], names["en"], category, price, url, description), []


def parse_catalogue_csv(text: str) -> list[Product]:
    """Every product of a catalogue CSV (a header with `CATALOGUE_COLUMNS`; `,` or `;`), or
    `InvalidRowsError` with every problem and its line: nothing is imported from a file with
    any problem."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InvalidInputError(Code.AIDS_IMPORT_EMPTY)
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in CATALOGUE_COLUMNS if column not in header]
    if missing:
        raise InvalidInputError(Code.AIDS_IMPORT_MISSING_COLUMNS, columns=tuple(missing))
    reader.fieldnames = header
    products: list[Product] = []
    problems: list[Message] = []
    first_line: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:  # more fields than the header has
            problems.append(Message(Code.AIDS_IMPORT_TOO_MANY_FIELDS, {"line": line}))
            continue
        product, found = _row_problems(line, row)
        problems.extend(found)
        if product is None:
            continue
        if product.sku in first_line:
            problems.append(
                Message(
                    Code.AIDS_IMPORT_DUPLICATE_SKU,
                    {"line": line, "sku": product.sku, "first": first_line[product.sku]},
                )
            )
            continue
        first_line[product.sku] = line
        products.append(product)
    if problems:
        raise InvalidRowsError(Code.AIDS_IMPORT_REFUSED, problems, count=len(problems))
    if not products:
        raise InvalidInputError(Code.AIDS_IMPORT_EMPTY)
    return products


def products_by_category(products: Sequence[Product]) -> dict[str, list[Product]]:
    """The products of each category, cheapest first."""
    found: dict[str, list[Product]] = {category: [] for category in CATEGORIES}
    for product in sorted(products, key=lambda p: (p.price_eur, p.sku)):
        found.setdefault(product.category, []).append(product)
    return found

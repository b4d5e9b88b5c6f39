"""Cited statements and their sources, in Dutch and English."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from rugwijzer.errors import DataError
from rugwijzer.i18n import format_number
from rugwijzer.messages import Code, Foreign

__all__ = [
    "ARTICLE_LINKS",
    "VERDICTS",
    "Article",
    "ArticleFood",
    "ArticlePoint",
    "ArticleSection",
    "Claim",
    "FaqItem",
    "Source",
    "Statement",
    "articles",
    "cite",
    "claims",
    "faq",
    "parse_article",
    "parse_claims",
    "parse_faq",
    "render",
    "sources",
    "statements",
]


@dataclass(frozen=True, slots=True)
class Source:
    """A cited primary source: what users see is its title, organisation, year and address.

    `verified` is False where the page could not be read when the source was entered (`note`
    says what was checked instead)."""

    id: str
    title: str
    url: str
    organisation: str = ""
    year: str = ""
    verified: bool = True
    note: str = ""
    language: str = "en"  # of the title: pages mark it lang="…" when it differs from theirs


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement with its evidence grade and sources, in Dutch and English."""

    key: str
    nl: str
    en: str
    grade: str
    sources: tuple[str, ...]


def _load(name: str) -> dict[str, Any]:
    text = (resources.files("rugwijzer") / "content" / name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(Code.DATA_CORRUPT, detail=Foreign(f"content/{name}: {exc}")) from exc


@lru_cache(maxsize=1)
def sources() -> dict[str, Source]:
    """All sources by id."""
    return {
        entry["id"]: Source(
            entry["id"],
            entry["title"],
            entry.get("url", ""),
            organisation=entry.get("organisation", ""),
            year=str(entry.get("year", "")),
            verified=bool(entry.get("verified", True)),
            note=entry.get("note", ""),
            language=entry.get("language", "en"),
        )
        for entry in _load("sources.toml")["source"]
    }


@lru_cache(maxsize=1)
def statements() -> dict[str, Statement]:
    """All statements by key; every source id must exist."""
    known = sources()
    found: dict[str, Statement] = {}
    for key, entry in _load("statements.toml")["statement"].items():
        missing = [s for s in entry["sources"] if s not in known]
        if missing or entry.get("grade") not in {"A", "B", "C", "D"}:
            detail = f"statement {key}: unknown sources {missing} or bad grade"
            raise DataError(Code.DATA_CORRUPT, detail=Foreign(detail))
        found[key] = Statement(
            key, entry["nl"], entry["en"], entry["grade"], tuple(entry["sources"])
        )
    return found


def cite(source_ids: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
    """Sources as JSON-ready mappings (unknown ids are an error: every claim must be cited);
    `lang` is the language of the title."""
    known = sources()
    missing = [s for s in source_ids if s not in known]
    if missing:
        raise DataError(
            Code.DATA_CORRUPT, detail=Foreign(f"unknown source id(s): {', '.join(missing)}")
        )
    return [
        {
            "id": s,
            "title": known[s].title,
            "organisation": known[s].organisation,
            "year": known[s].year,
            "url": known[s].url,
            "lang": known[s].language,
        }
        for s in source_ids
    ]


def render(key: str, lang: str, **params: object) -> dict[str, Any]:
    """A statement in `lang` with its parameters filled in (numbers in the locale of `lang`,
    e.g. 1.234,5 in Dutch), its grade and its sources."""
    statement = statements()[key]
    template = statement.nl if lang == "nl" else statement.en
    shown = {
        name: format_number(value, lang, 0, 2)
        if isinstance(value, int | float) and not isinstance(value, bool)
        else value
        for name, value in params.items()
    }
    return {
        "key": key,
        "text": template.format(**shown) if params else template,
        "grade": statement.grade,
        "sources": cite(statement.sources),
    }


# --- the knowledge base: questions people ask, and the article's claims audited -----------------

GRADES = frozenset({"A", "B", "C", "D"})
#: How far the cited evidence supports a claim, strongest first.
VERDICTS = ("supported", "mixed", "weak", "unsupported", "contradicted")
LANGUAGES = ("nl", "en")


@dataclass(frozen=True, slots=True)
class FaqItem:
    """A question with its answer in Dutch and English, graded and cited."""

    id: str
    question: dict[str, str]
    answer: dict[str, str]
    grade: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim of the article Rugwijzer answers, in our words, with what the evidence says."""

    id: str
    claim: dict[str, str]
    verdict: str
    explanation: dict[str, str]
    grade: str
    sources: tuple[str, ...]


def _bilingual(kind: str, item_id: str, entry: dict[str, Any], field: str) -> dict[str, str]:
    texts = entry.get(field)
    if not isinstance(texts, dict) or any(
        not isinstance(texts.get(lang), str) or not texts[lang].strip() for lang in LANGUAGES
    ):
        raise DataError(
            Code.DATA_CORRUPT, detail=Foreign(f"{kind} {item_id}: {field} needs nl and en")
        )
    return {lang: " ".join(texts[lang].split()) for lang in LANGUAGES}


def _graded(kind: str, item_id: str, entry: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    known = sources()
    cited = entry.get("sources") or []
    missing = [s for s in cited if s not in known]
    if entry.get("grade") not in GRADES or not cited or missing:
        detail = f"{kind} {item_id}: a grade A-D and known sources are needed (unknown: {missing})"
        raise DataError(Code.DATA_CORRUPT, detail=Foreign(detail))
    return entry["grade"], tuple(cited)


def parse_faq(data: dict[str, Any]) -> dict[str, FaqItem]:
    """The FAQ from its TOML (`[[faq]]` tables), checked: both languages, a grade, sources
    that exist, unique ids."""
    found: dict[str, FaqItem] = {}
    for entry in data.get("faq", []):
        item_id = str(entry.get("id", ""))
        if not item_id or item_id in found:
            raise DataError(
                Code.DATA_CORRUPT, detail=Foreign(f"faq: missing or repeated id {item_id!r}")
            )
        grade, cited = _graded("faq", item_id, entry)
        found[item_id] = FaqItem(
            item_id,
            _bilingual("faq", item_id, entry, "question"),
            _bilingual("faq", item_id, entry, "answer"),
            grade,
            cited,
        )
    return found


def parse_claims(data: dict[str, Any]) -> dict[str, Claim]:
    """The audited claims from their TOML (`[[claim]]` tables), checked like the FAQ, with a
    verdict from `VERDICTS`."""
    found: dict[str, Claim] = {}
    for entry in data.get("claim", []):
        item_id = str(entry.get("id", ""))
        if not item_id or item_id in found:
            raise DataError(
                Code.DATA_CORRUPT, detail=Foreign(f"claim: missing or repeated id {item_id!r}")
            )
        if entry.get("verdict") not in VERDICTS:
            detail = f"claim {item_id}: the verdict must be one of {', '.join(VERDICTS)}"
            raise DataError(Code.DATA_CORRUPT, detail=Foreign(detail))
        grade, cited = _graded("claim", item_id, entry)
        found[item_id] = Claim(
            item_id,
            _bilingual("claim", item_id, entry, "claim"),
            entry["verdict"],
            _bilingual("claim", item_id, entry, "explanation"),
            grade,
            cited,
        )
    return found


@lru_cache(maxsize=1)
def faq() -> dict[str, FaqItem]:
    """The questions people ask, in the order of content/faq.toml."""
    return parse_faq(_load("faq.toml"))


@lru_cache(maxsize=1)
def claims() -> dict[str, Claim]:
    """The article's claims audited, in the order of content/claims.toml."""
    return parse_claims(_load("claims.toml"))


# --- articles: short pages on one topic, every point graded and cited ---------------------------

#: Pages of the app an article may lead to (the shells know their addresses and names).
ARTICLE_LINKS = frozenset(
    {"screen", "breathe", "triage", "supplements", "foods", "today", "trends", "faq", "claims"}
)


@dataclass(frozen=True, slots=True)
class ArticlePoint:
    """One statement of an article, in Dutch and English, graded and cited."""

    text: dict[str, str]
    grade: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ArticleSection:
    """A heading and its graded points."""

    heading: dict[str, str]
    points: tuple[ArticlePoint, ...]


@dataclass(frozen=True, slots=True)
class ArticleFood:
    """A row of an article's food table: a food of the bundled data and a usual portion.

    The magnesium per portion is computed from the food data when shown, never written here.
    `portion_source` is the id of the source of the portion size, or empty where the portion is
    Rugwijzer's assumption."""

    food_id: str
    portion: dict[str, str]
    grams: float
    portion_source: str


@dataclass(frozen=True, slots=True)
class Article:
    """A short article in Dutch and English (content/articles/<id>.toml)."""

    id: str
    order: int
    title: dict[str, str]
    summary: dict[str, str]
    sections: tuple[ArticleSection, ...]
    links: tuple[str, ...] = ()
    related_claims: tuple[str, ...] = ()
    related_faq: tuple[str, ...] = ()
    related_articles: tuple[str, ...] = ()
    foods: tuple[ArticleFood, ...] = ()


def _ids(article_id: str, entry: dict[str, Any], field: str, known: object) -> tuple[str, ...]:
    values = entry.get(field, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise DataError(
            Code.DATA_CORRUPT,
            detail=Foreign(f"article {article_id}: {field} must be a list of ids"),
        )
    if known is not None:
        unknown = [v for v in values if v not in known]  # type: ignore[operator]
        if unknown:
            raise DataError(
                Code.DATA_CORRUPT,
                detail=Foreign(f"article {article_id}: unknown {field}: {unknown}"),
            )
    return tuple(values)


def _article_food(article_id: str, entry: dict[str, Any]) -> ArticleFood:
    food_id = entry.get("food")
    grams = entry.get("grams")
    source = entry.get("portion_source", "")
    if (
        not isinstance(food_id, str)
        or isinstance(grams, bool)
        or not isinstance(grams, int | float)
        or not 0 < grams <= 1000
        or not isinstance(source, str)
        or (source and source not in sources())
    ):
        raise DataError(
            Code.DATA_CORRUPT,
            detail=Foreign(
                f"article {article_id}: food {food_id!r} needs grams and a known source"
            ),
        )
    return ArticleFood(
        food_id, _bilingual("article food", food_id, entry, "portion"), float(grams), source
    )


def parse_article(data: dict[str, Any]) -> Article:
    """One article from its TOML, checked: both languages everywhere, each point with a grade
    and known sources, links to known pages; related FAQ items and claims must exist."""
    article_id = data.get("id")
    order = data.get("order")
    if not isinstance(article_id, str) or not article_id.isidentifier():
        raise DataError(
            Code.DATA_CORRUPT,
            detail=Foreign(f"article: the id {article_id!r} must be a word like food_first"),
        )
    if isinstance(order, bool) or not isinstance(order, int):
        raise DataError(
            Code.DATA_CORRUPT, detail=Foreign(f"article {article_id}: order must be a whole number")
        )
    sections: list[ArticleSection] = []
    for number, section in enumerate(data.get("section", []), start=1):
        where = f"{article_id} section {number}"
        points = tuple(
            ArticlePoint(
                _bilingual("article", where, point, "text"), *_graded("article", where, point)
            )
            for point in section.get("point", [])
        )
        if not points:
            raise DataError(
                Code.DATA_CORRUPT,
                detail=Foreign(f"article {where}: a section needs at least one point"),
            )
        sections.append(ArticleSection(_bilingual("article", where, section, "heading"), points))
    if not sections:
        raise DataError(
            Code.DATA_CORRUPT,
            detail=Foreign(f"article {article_id}: at least one section is needed"),
        )
    return Article(
        id=article_id,
        order=order,
        title=_bilingual("article", article_id, data, "title"),
        summary=_bilingual("article", article_id, data, "summary"),
        sections=tuple(sections),
        links=_ids(article_id, data, "links", ARTICLE_LINKS),
        related_claims=_ids(article_id, data, "related_claims", claims()),
        related_faq=_ids(article_id, data, "related_faq", faq()),
        related_articles=_ids(article_id, data, "related_articles", None),
        foods=tuple(_article_food(article_id, food) for food in data.get("food", [])),
    )


@lru_cache(maxsize=1)
def articles() -> dict[str, Article]:
    """Every article (content/articles/*.toml) by id, in their `order`."""
    folder = resources.files("rugwijzer") / "content" / "articles"
    found: dict[str, Article] = {}
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".toml"):
            continue
        article = parse_article(_load(f"articles/{path.name}"))
        if article.id in found or path.name != f"{article.id}.toml":
            raise DataError(
                Code.DATA_CORRUPT,
                detail=Foreign(
                    f"article {article.id}: repeated, or not in articles/{article.id}.toml"
                ),
            )
        found[article.id] = article
    missing = {other for a in found.values() for other in a.related_articles if other not in found}
    if missing:
        raise DataError(
            Code.DATA_CORRUPT,
            detail=Foreign(f"articles: related_articles name unknown articles {sorted(missing)}"),
        )
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))

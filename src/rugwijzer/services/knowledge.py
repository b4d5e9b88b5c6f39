"""The knowledge base as the shells show it: the questions people ask and the article's claims
audited, in the reader's language, each graded and with its primary sources."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from rugwijzer.content import Article, Claim, FaqItem, articles, claims, faq
from rugwijzer.errors import FoodNotFoundError, NotFoundError
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message
from rugwijzer.services.views import CitedSource, View, cited_sources

__all__ = [
    "ArticleFoodView",
    "ArticleLinkView",
    "ArticleSummaryView",
    "ArticleView",
    "ClaimView",
    "FaqItemView",
    "article",
    "article_summaries",
    "audited_claim",
    "audited_claims",
    "faq_item",
    "faq_items",
]

Verdict = Literal["supported", "mixed", "weak", "unsupported", "contradicted"]
_VERDICT_CODES: dict[str, Code] = {
    "supported": Code.KNOWLEDGE_SUPPORTED,
    "mixed": Code.KNOWLEDGE_MIXED,
    "weak": Code.KNOWLEDGE_WEAK,
    "unsupported": Code.KNOWLEDGE_UNSUPPORTED,
    "contradicted": Code.KNOWLEDGE_CONTRADICTED,
}


class FaqItemView(View):
    """A question and its answer in one language, with the evidence grade and sources."""

    id: str
    question: str
    answer: str
    grade: Literal["A", "B", "C", "D"] = Field(description="Evidence grade (docs/evidence.md).")
    sources: list[CitedSource]


class ClaimView(View):
    """One of the article's claims in our words, and what the cited evidence says of it."""

    id: str
    claim: str
    verdict: Verdict
    verdict_label: str = Field(description="The verdict in the language asked for.")
    grade: Literal["A", "B", "C", "D"] = Field(description="Evidence grade (docs/evidence.md).")
    explanation: str
    sources: list[CitedSource]


def _faq_view(item: FaqItem, lang: str) -> FaqItemView:
    return FaqItemView(
        id=item.id,
        question=item.question[lang],
        answer=item.answer[lang],
        grade=item.grade,  # type: ignore[arg-type]  # checked when loaded
        sources=cited_sources(item.sources),
    )


def _claim_view(item: Claim, lang: str) -> ClaimView:
    return ClaimView(
        id=item.id,
        claim=item.claim[lang],
        verdict=item.verdict,  # type: ignore[arg-type]  # checked when loaded
        verdict_label=render_message(Message.of(_VERDICT_CODES[item.verdict]), lang),
        grade=item.grade,  # type: ignore[arg-type]
        explanation=item.explanation[lang],
        sources=cited_sources(item.sources),
    )


def faq_items(lang: str) -> list[FaqItemView]:
    """Every question with its answer in `lang` ("nl" or "en")."""
    return [_faq_view(item, lang) for item in faq().values()]


def faq_item(item_id: str, lang: str) -> FaqItemView:
    """One question by its id, or `NotFoundError`."""
    found = faq().get(item_id)
    if found is None:
        raise NotFoundError(Code.KNOWLEDGE_FAQ_NOT_FOUND, id=item_id)
    return _faq_view(found, lang)


def audited_claims(lang: str) -> list[ClaimView]:
    """Every claim of the article with its verdict, in `lang`."""
    return [_claim_view(item, lang) for item in claims().values()]


def audited_claim(item_id: str, lang: str) -> ClaimView:
    """One claim by its id, or `NotFoundError`."""
    found = claims().get(item_id)
    if found is None:
        raise NotFoundError(Code.KNOWLEDGE_CLAIM_NOT_FOUND, id=item_id)
    return _claim_view(found, lang)


# --- articles -------------------------------------------------------------------------------------

#: The food table's figures: magnesium per 100 g from USDA SR24, measured values.
FOOD_TABLE_SOURCE = "usda-sr24"
FOOD_TABLE_GRADE: Literal["B"] = "B"
Page = Literal[
    "screen", "breathe", "triage", "supplements", "foods", "today", "trends", "faq", "claims"
]


class ArticleSummaryView(View):
    """An article in a list: its id, title and what it covers."""

    id: str
    title: str
    summary: str


class ArticlePointView(View):
    """One statement of an article with its evidence grade and sources."""

    text: str
    grade: Literal["A", "B", "C", "D"] = Field(description="Evidence grade (docs/evidence.md).")
    sources: list[CitedSource]


class ArticleSectionView(View):
    """A heading and its graded statements."""

    heading: str
    points: list[ArticlePointView]


class ArticleFoodView(View):
    """A food and a usual portion, with the magnesium in that portion from the food data."""

    food_id: str
    name: str
    name_lang: str = Field(description='The language of the name: "nl" or "en".')
    portion: str
    grams: float
    magnesium_mg: float | None = Field(description="In the portion; null where the data has none.")
    portion_source: CitedSource | None = Field(
        description="Where the portion size comes from; null where it is Rugwijzer's assumption."
    )


class ArticleLinkView(View):
    """A page of the app the article leads to (the shells know its address and name)."""

    page: Page


class ArticleView(View):
    """A whole article in one language."""

    id: str
    title: str
    summary: str
    sections: list[ArticleSectionView]
    foods: list[ArticleFoodView] = Field(
        description="A table of foods and usual portions, most magnesium first (may be empty)."
    )
    foods_grade: Literal["A", "B", "C", "D"] | None = None
    foods_sources: list[CitedSource] = Field(default_factory=list)
    links: list[ArticleLinkView]
    related_articles: list[ArticleSummaryView]
    related_faq: list[FaqItemView]
    related_claims: list[ClaimView]


def _summary(item: Article, lang: str) -> ArticleSummaryView:
    return ArticleSummaryView(id=item.id, title=item.title[lang], summary=item.summary[lang])


def article_summaries(lang: str) -> list[ArticleSummaryView]:
    """Every article's title and summary in `lang`, in reading order."""
    return [_summary(item, lang) for item in articles().values()]


def _food_rows(item: Article, database: FoodDatabase, lang: str) -> list[ArticleFoodView]:
    rows: list[ArticleFoodView] = []
    for row in item.foods:
        try:
            food = database.get(row.food_id)
        except FoodNotFoundError:
            continue  # a configured food file without this food: the row is left out
        per_100g = food.magnesium_mg_per_100g
        name_lang = "nl" if lang == "nl" and food.name_nl else "en"
        rows.append(
            ArticleFoodView(
                food_id=food.id,
                name=food.name(lang),
                name_lang=name_lang,
                portion=row.portion[lang],
                grams=row.grams,
                magnesium_mg=None if per_100g is None else per_100g * row.grams / 100,
                portion_source=cited_sources([row.portion_source])[0]
                if row.portion_source
                else None,
            )
        )
    return sorted(rows, key=lambda r: -(r.magnesium_mg or 0.0))


def article(article_id: str, lang: str, database: FoodDatabase) -> ArticleView:
    """One article by its id in `lang`, its food table computed from `database`; or
    `NotFoundError`."""
    found = articles().get(article_id)
    if found is None:
        raise NotFoundError(Code.KNOWLEDGE_ARTICLE_NOT_FOUND, id=article_id)
    known = articles()
    foods = _food_rows(found, database, lang)
    return ArticleView(
        id=found.id,
        title=found.title[lang],
        summary=found.summary[lang],
        sections=[
            ArticleSectionView(
                heading=section.heading[lang],
                points=[
                    ArticlePointView(
                        text=point.text[lang],
                        grade=point.grade,  # type: ignore[arg-type]  # checked when loaded
                        sources=cited_sources(point.sources),
                    )
                    for point in section.points
                ],
            )
            for section in found.sections
        ],
        foods=foods,
        foods_grade=FOOD_TABLE_GRADE if foods else None,
        foods_sources=cited_sources([FOOD_TABLE_SOURCE]) if foods else [],
        links=[ArticleLinkView(page=page) for page in found.links],  # type: ignore[arg-type]
        related_articles=[_summary(known[other], lang) for other in found.related_articles],
        related_faq=[faq_item(other, lang) for other in found.related_faq],
        related_claims=[audited_claim(other, lang) for other in found.related_claims],
    )

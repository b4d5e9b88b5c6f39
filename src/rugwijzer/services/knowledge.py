"""The knowledge base as the shells show it: the questions people ask and the article's claims
audited, in the reader's language, each graded and with its primary sources."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from rugwijzer.content import Claim, FaqItem, claims, faq
from rugwijzer.errors import NotFoundError
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message
from rugwijzer.services.views import CitedSource, View, cited_sources

__all__ = [
    "ClaimView",
    "FaqItemView",
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

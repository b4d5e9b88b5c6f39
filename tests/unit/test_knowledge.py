"""The knowledge base: every question and claim in both languages, graded, with primary
sources; the loader refuses anything less."""

from __future__ import annotations

from typing import Any

import pytest

from rugwijzer.content import (
    VERDICTS,
    articles,
    claims,
    faq,
    parse_article,
    parse_claims,
    parse_faq,
    sources,
)
from rugwijzer.errors import DataError

REQUIRED_FAQ = {
    "deficiency_symptoms",
    "daily_need",
    "food_or_supplements",
    "side_effects",
    "how_fast",
}
REQUIRED_CLAIMS = {
    "enzymes_300",
    "calcium_contracts_magnesium_relaxes",
    "deficiency_causes_back_pain",
    "deficiency_symptoms",
    "stress_depletes_magnesium",
    "stress_techniques_help",
    "chronic_more_than_acute",
    "glycerophosphate_absorption",
    "bone_health",
    "diet_sources",
    "ergonomic_aids_relief",
    "relief_within_weeks",
    "daily_need_300_400",
    "side_effects_rare_diarrhoea",
}


def test_the_five_questions_of_the_article_are_answered() -> None:
    assert set(faq()) >= REQUIRED_FAQ


def test_every_claim_of_the_article_is_audited() -> None:
    assert set(claims()) == REQUIRED_CLAIMS
    assert {claim.verdict for claim in claims().values()} <= set(VERDICTS)


def test_every_item_cites_primary_sources_with_a_web_address() -> None:
    known = sources()
    items = [*faq().values(), *claims().values()]
    for item in items:
        assert item.grade in {"A", "B", "C", "D"}, item.id
        assert item.sources, item.id
        for source_id in item.sources:
            source = known[source_id]
            assert source.url.startswith("https://"), (item.id, source_id)
            assert source.title
            assert source.organisation
            assert source.year
            # never a file of this repository or the shared notes
            assert "github.com" not in source.url
            assert "shared/" not in source.url


def test_dutch_and_english_are_both_there() -> None:
    for item in faq().values():
        assert item.question["nl"] != item.question["en"], item.id
        assert item.answer["nl"] != item.answer["en"], item.id
    for claim in claims().values():
        assert claim.claim["nl"] != claim.claim["en"], claim.id
        assert claim.explanation["nl"] != claim.explanation["en"], claim.id


def _faq_entry(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "x",
        "grade": "B",
        "sources": ["iom-1997"],
        "question": {"nl": "Vraag?", "en": "Question?"},
        "answer": {"nl": "Antwoord.", "en": "Answer."},
    }
    entry.update(changes)
    return entry


def test_a_good_item_loads() -> None:
    loaded = parse_faq({"faq": [_faq_entry()]})
    assert loaded["x"].question == {"nl": "Vraag?", "en": "Question?"}
    assert loaded["x"].sources == ("iom-1997",)


@pytest.mark.parametrize(
    "bad",
    [
        {"question": {"nl": "Vraag?"}},  # no English
        {"answer": {"nl": " ", "en": "Answer."}},  # empty Dutch
        {"grade": "E"},
        {"grade": None},
        {"sources": []},
        {"sources": ["no-such-source"]},
        {"id": ""},
    ],
)
def test_an_incomplete_question_is_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(DataError):
        parse_faq({"faq": [_faq_entry(**bad)]})


def test_a_repeated_id_is_refused() -> None:
    with pytest.raises(DataError):
        parse_faq({"faq": [_faq_entry(), _faq_entry()]})


def _claim_entry(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "c",
        "verdict": "weak",
        "grade": "C",
        "sources": ["ods-magnesium"],
        "claim": {"nl": "Bewering.", "en": "Claim."},
        "explanation": {"nl": "Uitleg.", "en": "Explanation."},
    }
    entry.update(changes)
    return entry


def test_a_claim_needs_a_known_verdict() -> None:
    assert parse_claims({"claim": [_claim_entry()]})["c"].verdict == "weak"
    for verdict in ("true", "", None, "Supported"):
        with pytest.raises(DataError):
            parse_claims({"claim": [_claim_entry(verdict=verdict)]})
    with pytest.raises(DataError):
        parse_claims({"claim": [_claim_entry(explanation={"en": "Explanation."})]})


# --- articles ---------------------------------------------------------------------------------

REQUIRED_ARTICLES = [
    "magnesium_in_the_body",
    "deficiency",
    "stress_and_back_pain",
    "chronic_vs_acute",
    "supplements",
    "bone_health",
    "food_first",
    "ergonomic_aids",
]


def test_the_eight_articles_are_there_in_reading_order() -> None:
    assert list(articles()) == REQUIRED_ARTICLES


def test_every_article_point_is_graded_and_cited_in_both_languages() -> None:
    known = sources()
    for article in articles().values():
        for field in (article.title, article.summary):
            assert field["nl"] != field["en"], article.id
        points = [point for section in article.sections for point in section.points]
        assert len(points) >= 3, article.id
        for point in points:
            assert point.grade in {"A", "B", "C", "D"}, article.id
            assert point.text["nl"] != point.text["en"], article.id
            for source_id in point.sources:
                source = known[source_id]
                assert source.url.startswith("https://"), (article.id, source_id)
                assert "github.com" not in source.url
                assert "shared/" not in source.url
        for row in article.foods:
            if row.portion_source:
                assert known[row.portion_source].url.startswith("https://")


def test_the_articles_lead_where_the_issue_asks() -> None:
    found = articles()
    assert "screen" in found["deficiency"].links  # the deficiency-risk screen page
    assert "breathe" in found["stress_and_back_pain"].links  # the breathing page
    assert "triage" in found["bone_health"].links  # the red flag of a vertebral fracture
    assert len(found["food_first"].foods) >= 8  # the foods that give most per usual portion


def _article(**changes: Any) -> dict[str, Any]:
    point = {"grade": "B", "sources": ["iom-1997"], "text": {"nl": "Punt.", "en": "Point."}}
    entry: dict[str, Any] = {
        "id": "x",
        "order": 1,
        "title": {"nl": "Titel", "en": "Title"},
        "summary": {"nl": "Samenvatting.", "en": "Summary."},
        "section": [{"heading": {"nl": "Kop", "en": "Heading"}, "point": [point]}],
    }
    entry.update(changes)
    return entry


def test_a_good_article_loads() -> None:
    article = parse_article(_article(links=["screen"], related_faq=["daily_need"]))
    assert article.sections[0].points[0].sources == ("iom-1997",)
    assert article.links == ("screen",)


@pytest.mark.parametrize(
    "bad",
    [
        {"title": {"nl": "Alleen Nederlands"}},
        {"order": "first"},
        {"id": "not an id"},
        {"section": []},
        {"section": [{"heading": {"nl": "Kop", "en": "Heading"}, "point": []}]},
        {
            "section": [
                {
                    "heading": {"nl": "Kop", "en": "Heading"},
                    "point": [
                        {"grade": "E", "sources": ["iom-1997"], "text": {"nl": "a", "en": "b"}}
                    ],
                }
            ]
        },
        {
            "section": [
                {
                    "heading": {"nl": "Kop", "en": "Heading"},
                    "point": [{"grade": "B", "sources": [], "text": {"nl": "a", "en": "b"}}],
                }
            ]
        },
        {"links": ["no_such_page"]},
        {"related_claims": ["no_such_claim"]},
        {"food": [{"food": "12516", "grams": -5, "portion": {"nl": "a", "en": "b"}}]},
        {
            "food": [
                {
                    "food": "12516",
                    "grams": 25,
                    "portion": {"nl": "a", "en": "b"},
                    "portion_source": "no-such-source",
                }
            ]
        },
    ],
)
def test_an_incomplete_article_is_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(DataError):
        parse_article(_article(**bad))

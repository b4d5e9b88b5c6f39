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
    "VERDICTS",
    "Claim",
    "FaqItem",
    "Source",
    "Statement",
    "cite",
    "claims",
    "faq",
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

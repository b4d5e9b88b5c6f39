"""Ergonomic aids as the shells show them: the catalogue a shop or clinic configures (stored in
the database, imported all or nothing) and the advice, graded by the evidence, in the reader's
language with the catalogue's products where the evidence allows them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from rugwijzer.domain.aids import (
    CATEGORIES,
    AidAdvice,
    AidAnswers,
    Category,
    Product,
    Recommendation,
    advise,
    parse_catalogue_csv,
    products_by_category,
)
from rugwijzer.domain.triage import parse_answers
from rugwijzer.errors import InvalidInputError, NotFoundError
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message
from rugwijzer.services.profile import DiaryPart
from rugwijzer.services.summaries import latest_red_flag
from rugwijzer.services.views import CitedSource, CitedStatement, View, cited_statement
from rugwijzer.store import queries
from rugwijzer.store.engine import transaction
from rugwijzer.store.models import AidProduct

__all__ = [
    "AidAdviceView",
    "AidCatalogue",
    "AidItemView",
    "AidProductView",
    "CatalogueImportView",
    "advice_view",
    "category_label",
    "example_products",
    "favoured_statements",
    "product_view",
]

_RECOMMENDATION_CODES: dict[str, Code] = {
    "consider": Code.AIDS_CONSIDER,
    "no_evidence": Code.AIDS_NO_EVIDENCE,
    "not_recommended": Code.AIDS_NOT_RECOMMENDED,
    "see_professional": Code.AIDS_SEE_PROFESSIONAL,
}
_CATEGORY_CODES: dict[str, Code] = {
    category: Code(f"aids.category.{category}") for category in CATEGORIES
}
#: Products are shown only where the evidence does not advise against the aid.
SHOWS_PRODUCTS = frozenset({"consider", "no_evidence"})


class AidProductView(View):
    """A product of the catalogue in one language."""

    sku: str
    name: str
    category: Category
    price_eur: float
    url: str
    description: str
    example: bool = Field(description="True for the sample catalogue that ships for local mode.")


class AidItemView(View):
    """One category: the recommendation, why (from the answers, then the evidence), its grade
    and sources, and the catalogue's products after the evidence (only where allowed)."""

    category: Category
    category_label: str
    recommendation: Recommendation
    recommendation_label: str
    grade: Literal["A", "B", "C", "D"]
    reason: str = Field(description="Why, from the answers, followed by the evidence.")
    because: list[str] = Field(description="The reasons taken from the answers.")
    evidence: str = Field(description="The evidence statement for this category.")
    sources: list[CitedSource]
    products: list[AidProductView]


class AidAdviceView(View):
    """The advice: red flag first, what the evidence favours most, then one item per category."""

    red_flag: bool
    urgency: Literal["none", "soon", "urgent", "emergency"]
    referral: str | None = Field(description="With a red flag: see a doctor first.")
    favoured: list[CitedStatement] = Field(
        description="What the evidence favours most (staying active, exercise), always shown."
    )
    # `items` in JSON; the attribute has another name because `View.items()` reads fields
    aid_items: list[AidItemView] = Field(serialization_alias="items")


class CatalogueImportView(View):
    """What an import did."""

    added: int
    updated: int
    removed: int
    products: int


def category_label(category: str, lang: str) -> str:
    """The category's name in `lang`."""
    return render_message(Message.of(_CATEGORY_CODES[category]), lang)


def product_view(product: Product, lang: str) -> AidProductView:
    """A product in `lang`."""
    return AidProductView(
        sku=product.sku,
        name=product.name(lang),
        category=product.category,  # type: ignore[arg-type]  # checked on import
        price_eur=float(product.price_eur),
        url=product.url,
        description=product.description,
        example=product.example,
    )


@lru_cache(maxsize=1)
def example_products() -> tuple[Product, ...]:
    """The sample catalogue that ships for local mode (every product marked as an example)."""
    text = (resources.files("rugwijzer") / "data" / "aids_example.csv").read_text("utf-8")
    return tuple(
        Product(p.sku, p.name_nl, p.name_en, p.category, p.price_eur, p.url, p.description, True)
        for p in parse_catalogue_csv(text)
    )


def favoured_statements(lang: str) -> list[CitedStatement]:
    """What the evidence favours most (staying active, exercise), shown next to any aid."""
    return [
        cited_statement(key, lang) for key in ("aids.favoured_active", "aids.favoured_exercise")
    ]


def advice_view(advice: AidAdvice, products: Sequence[Product], lang: str) -> AidAdviceView:
    """The advice in `lang`; each item's products (cheapest first) only where it allows them."""
    by_category = products_by_category(products)
    items = []
    for item in advice.items:
        evidence = cited_statement(item.evidence, lang)
        because = [render_message(message, lang) for message in item.because]
        items.append(
            AidItemView(
                category=item.category,  # type: ignore[arg-type]  # one of CATEGORIES
                category_label=category_label(item.category, lang),
                recommendation=item.recommendation,
                recommendation_label=render_message(
                    Message.of(_RECOMMENDATION_CODES[item.recommendation]), lang
                ),
                grade=evidence.grade,  # type: ignore[arg-type]  # checked when loaded
                reason=" ".join([*because, evidence.text]),
                because=because,
                evidence=evidence.text,
                sources=evidence.sources,
                products=[product_view(p, lang) for p in by_category.get(item.category, [])]
                if item.recommendation in SHOWS_PRODUCTS and not advice.red_flag
                else [],
            )
        )
    return AidAdviceView(
        red_flag=advice.red_flag,
        urgency=advice.urgency.label,  # type: ignore[arg-type]
        referral=render_message(Message.of(Code.AIDS_BECAUSE_RED_FLAG), lang)
        if advice.red_flag
        else None,
        favoured=favoured_statements(lang),
        aid_items=items,
    )


def _product(row: AidProduct) -> Product:
    return Product(
        row.sku,
        row.name_nl,
        row.name_en,
        row.category,
        Decimal(row.price_eur),
        row.url,
        row.description,
    )


class AidCatalogue(DiaryPart):
    """The catalogue of this installation. Local mode shows the sample catalogue (marked as an
    example) until a catalogue is imported; server mode shows only what was imported."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        example_when_empty: bool = True,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(sessions, today=today, now=now)
        self.example_when_empty = example_when_empty

    def products(self) -> list[Product]:
        """Every product, by category and price."""
        with transaction(self.sessions) as session:
            rows = session.scalars(select(AidProduct).order_by(AidProduct.sku)).all()
            found = [_product(row) for row in rows]
        if not found and self.example_when_empty:
            return list(example_products())
        return sorted(found, key=lambda p: (CATEGORIES.index(p.category), p.price_eur, p.sku))

    def advice(self, answers: AidAnswers, lang: str) -> AidAdviceView:
        """The advice for these answers with this catalogue's products."""
        return advice_view(advise(answers), self.products(), lang)

    def advice_for_user(self, user_id: int, answers: AidAnswers, lang: str) -> AidAdviceView:
        """The advice for a signed-in user. When the answers carry no triage answers and the
        user's newest triage found a warning sign not yet acknowledged (the red flag that heads
        the pages), that triage's stored answers are taken: the advice then leads with the
        referral and suggests nothing, as it does for answers that carry the warning sign."""
        if not answers.triage:
            with transaction(self.sessions) as session:
                latest = queries.latest_triage(session, user_id)
                flagged = latest is not None and latest_red_flag(session, user_id) is not None
                stored = dict(latest.answers) if flagged and latest is not None else None
            if stored is not None:
                # an answer no longer asked is left out: the pages still lead with the red flag
                with suppress(InvalidInputError):
                    answers = replace(answers, triage=parse_answers(stored))
        return self.advice(answers, lang)

    def import_csv(self, text: str, *, replace: bool = False) -> CatalogueImportView:
        """Import a catalogue CSV: every row checked first (`InvalidRowsError` lists each
        problem with its line, and nothing is written), then all rows in one transaction.
        Products are matched on SKU; with `replace`, products not in the file are removed."""
        products = parse_catalogue_csv(text)
        with transaction(self.sessions) as session:
            existing = {row.sku: row for row in session.scalars(select(AidProduct))}
            added = updated = removed = 0
            for product in products:
                row = existing.get(product.sku)
                if row is None:
                    row = AidProduct(sku=product.sku)
                    session.add(row)
                    added += 1
                else:
                    updated += 1
                row.name_nl = product.name_nl
                row.name_en = product.name_en
                row.category = product.category
                row.price_eur = product.price_eur
                row.url = product.url
                row.description = product.description
            if replace:
                keep = {product.sku for product in products}
                gone = [sku for sku in existing if sku not in keep]
                if gone:
                    session.execute(delete(AidProduct).where(AidProduct.sku.in_(gone)))
                removed = len(gone)
            session.flush()
            total = len(existing) + added - removed
        return CatalogueImportView(added=added, updated=updated, removed=removed, products=total)

    def delete(self, sku: str) -> None:
        """Remove one product; an unknown SKU is `NotFoundError`."""
        with transaction(self.sessions) as session:
            row = session.scalars(select(AidProduct).where(AidProduct.sku == sku)).first()
            if row is None:
                raise NotFoundError(Code.AIDS_PRODUCT_NOT_FOUND, sku=sku)
            session.delete(row)

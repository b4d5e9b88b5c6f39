"""`rugwijzer articles`, `rugwijzer faq` and `rugwijzer claims`: the knowledge base on the
command line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rugwijzer.cli.common import Language, database, print_json
from rugwijzer.cli.errors import reported_errors
from rugwijzer.cli.language import Voice, voice
from rugwijzer.i18n import format_number
from rugwijzer.services.knowledge import (
    ArticleView,
    ClaimView,
    FaqItemView,
    article,
    article_summaries,
    audited_claim,
    audited_claims,
    faq_item,
    faq_items,
)
from rugwijzer.services.views import CitedSource

__all__ = ["articles", "claims", "faq"]

console = Console(highlight=False, soft_wrap=True)

LangOption = Annotated[
    Language | None, typer.Option("--lang", help="nl or en (default: as the command line).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="The items as JSON.")]


def _sources(sources: list[CitedSource], grade: str, say: Voice) -> str:
    cited = "; ".join(f"{s.title} ({s.organisation}, {s.year}) {s.url}" for s in sources)
    return escape(say("Grade {grade}; sources: {sources}", grade=grade, sources=cited))


def _show(items: Sequence[FaqItemView | ClaimView], say: Voice, as_json: bool) -> None:
    """The items as JSON, or each as its heading, its text and its grade and sources."""
    if as_json:
        print_json([item.model_dump(mode="json") for item in items])
        return
    for item in items:
        if isinstance(item, FaqItemView):
            console.print(f"[bold]{escape(item.question)}[/bold]")
            console.print(escape(item.answer))
        else:
            console.print(f"[bold]{escape(item.claim)}[/bold]")
            console.print(f"→ {escape(item.verdict_label)}")
            console.print(escape(item.explanation))
        console.print(_sources(item.sources, item.grade, say), style="dim")
        console.print()


def faq(
    item_id: Annotated[
        str | None, typer.Option("--id", help="One question, e.g. daily_need.")
    ] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Questions about magnesium and back pain, answered with grade and sources."""
    say = voice(lang.value if lang else None)
    with reported_errors():
        items = [faq_item(item_id, say.lang)] if item_id is not None else faq_items(say.lang)
    _show(items, say, as_json)


def claims(
    item_id: Annotated[
        str | None, typer.Option("--id", help="One claim, e.g. enzymes_300.")
    ] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """The article's claims, each with what the evidence shows."""
    say = voice(lang.value if lang else None)
    with reported_errors():
        items = (
            [audited_claim(item_id, say.lang)] if item_id is not None else audited_claims(say.lang)
        )
    _show(items, say, as_json)


def _show_article(view: ArticleView, say: Voice) -> None:
    console.print(f"[bold]{escape(view.title)}[/bold]")
    console.print(escape(view.summary))
    for section in view.sections:
        console.print()
        console.print(f"[bold]{escape(section.heading)}[/bold]")
        for point in section.points:
            console.print(f"- {escape(point.text)}")
            console.print(f"  {_sources(point.sources, point.grade, say)}", style="dim")
    if view.foods:
        table = Table(title=say("Magnesium per usual portion"), title_justify="left")
        table.add_column(say("Food"))
        table.add_column(say("Portion"))
        table.add_column("mg", justify="right")
        for row in view.foods:
            amount = (
                "?" if row.magnesium_mg is None else format_number(row.magnesium_mg, say.lang, 0, 0)
            )
            portion = row.portion if row.portion_source else f"{row.portion} *"
            table.add_row(escape(row.name), escape(portion), amount)
        console.print()
        console.print(table)
        if any(row.portion_source is None for row in view.foods):
            console.print(escape(say("* A usual portion by Rugwijzer's own estimate.")))
        console.print(_sources(view.foods_sources, view.foods_grade or "", say), style="dim")


def articles(
    item_id: Annotated[
        str | None, typer.Option("--id", help="One article, e.g. food_first.")
    ] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Short articles on magnesium and back pain; every statement graded and cited."""
    say = voice(lang.value if lang else None)
    with reported_errors():
        if item_id is not None:
            view = article(item_id, say.lang, database())
            if as_json:
                print_json(view.model_dump(mode="json"))
            else:
                _show_article(view, say)
            return
        summaries = article_summaries(say.lang)
    if as_json:
        print_json([item.model_dump(mode="json") for item in summaries])
        return
    for item in summaries:
        console.print(f"[bold]{escape(item.title)}[/bold] ({item.id})")
        console.print(escape(item.summary))
        console.print()

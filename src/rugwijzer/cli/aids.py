"""`rugwijzer aids …`: the ergonomic-aids catalogue of this installation and the advice, graded
by the evidence (import, list, advise, delete)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from rugwijzer.cli.common import Language, print_json, read_json, read_text
from rugwijzer.cli.errors import EXIT_INVALID_INPUT, print_error, reported_errors
from rugwijzer.cli.language import Voice, voice
from rugwijzer.domain.aids import CATEGORIES, parse_aid_answers
from rugwijzer.errors import InvalidRowsError
from rugwijzer.i18n import format_euros
from rugwijzer.services.aids import AidAdviceView, AidProductView, category_label, product_view
from rugwijzer.services.views import CitedSource

if TYPE_CHECKING:
    from rugwijzer.services.diary import Diary

__all__ = ["aids_app", "print_advice"]

aids_app = typer.Typer(
    help="Ergonomic aids: the catalogue and advice graded by the evidence.", no_args_is_help=True
)
console = Console(highlight=False, soft_wrap=True)
_stderr = Console(stderr=True, highlight=False, soft_wrap=True)

LangOption = Annotated[
    Language | None, typer.Option("--lang", help="nl or en (default: as the command line).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="The answer as JSON.")]


def _diary() -> Diary:
    from rugwijzer.services.app import diary_service

    return diary_service()


def _sources(sources: list[CitedSource], grade: str, say: Voice) -> str:
    cited = "; ".join(f"{s.title} ({s.organisation}, {s.year}) {s.url}" for s in sources)
    return escape(say("Grade {grade}; sources: {sources}", grade=grade, sources=cited))


def _product_line(product: AidProductView, say: Voice) -> str:
    example = f" ({say('example')})" if product.example else ""
    price = format_euros(product.price_eur, say.lang)
    return escape(f"{product.name}{example}, {price}: {product.url}")


@aids_app.command("import")
def import_catalogue(
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV file with the columns sku, name_nl, name_en, category, price_eur, "
            "url, description (',' or ';')."
        ),
    ],
    replace: Annotated[
        bool, typer.Option("--replace", help="Remove the products that are not in the file.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Import a catalogue, all or nothing: a file with any problem changes nothing, and every
    problem is listed with its line."""
    say = voice()
    with reported_errors():
        text = read_text(file)
        try:
            done = _diary().aids.import_csv(text, replace=replace)
        except InvalidRowsError as refused:
            print_error(say.message(refused.message), say)
            for problem in refused.problems:
                _stderr.print(f"  {escape(say.message(problem))}")
            raise typer.Exit(EXIT_INVALID_INPUT) from None
    if as_json:
        print_json(done.to_json())
        return
    console.print(
        say(
            "Imported: {added} added, {updated} updated, {removed} removed; "
            "the catalogue has {products} products.",
            added=done.added,
            updated=done.updated,
            removed=done.removed,
            products=done.products,
        )
    )


@aids_app.command("list")
def list_products(lang: LangOption = None, as_json: JsonOption = False) -> None:
    """The products of the catalogue by category (the sample catalogue is marked as an
    example)."""
    say = voice(lang.value if lang else None)
    with reported_errors():
        products = [product_view(p, say.lang) for p in _diary().aids.products()]
    if as_json:
        print_json([product.to_json() for product in products])
        return
    if not products:
        console.print(say("The catalogue is empty: import one with 'rugwijzer aids import'."))
        return
    if any(product.example for product in products):
        console.print(
            escape(say("This is the sample catalogue: the products and prices are examples."))
        )
    for category in CATEGORIES:
        mine = [product for product in products if product.category == category]
        if not mine:
            continue
        console.print()
        console.print(f"[bold]{escape(category_label(category, say.lang))}[/]")
        for product in mine:
            console.print(f"  {product.sku}  {_product_line(product, say)}")


def print_advice(view: AidAdviceView, say: Voice) -> None:
    """The advice in plain words: the referral first when there is a warning sign, then what
    the evidence favours most, then each category with its reason, grade and sources, and the
    products after the evidence."""
    if view.referral is not None:
        console.print(f"[bold red]{escape(view.referral)}[/]")
        console.print()
    console.print(f"[bold]{escape(say('What helps most, by the evidence'))}[/]")
    for statement in view.favoured:
        console.print(f"- {escape(statement.text)}")
        console.print(f"  {_sources(statement.sources, statement.grade, say)}", style="dim")
    for item in view.aid_items:
        console.print()
        console.print(
            f"[bold]{escape(item.category_label)}[/]: {escape(item.recommendation_label)}"
        )
        for reason in item.because:
            console.print(f"  {escape(reason)}")
        console.print(f"  {escape(item.evidence)}")
        console.print(f"  {_sources(item.sources, item.grade, say)}", style="dim")
        if item.products:
            console.print(f"  {escape(say('In the catalogue:'))}")
            for product in item.products:
                console.print(f"    {_product_line(product, say)}")


@aids_app.command("advise")
def advise(
    answers_file: Annotated[
        Path,
        typer.Option(
            "--answers",
            help='A JSON file: {"pain_weeks": 3, "sitting_hours_per_day": 8, "work": "desk", '
            '"goal": "relief"}, optionally "triage" with the triage answers.',
        ),
    ],
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Which aids are worth it, graded by the evidence, with the reason from your answers.
    Never a diagnosis."""
    say = voice(lang.value if lang else None)
    with reported_errors():
        answers = parse_aid_answers(read_json(answers_file))
        view = _diary().aids.advice(answers, say.lang)
    if as_json:
        print_json(view.to_json())
        return
    print_advice(view, say)


@aids_app.command("delete")
def delete(sku: Annotated[str, typer.Argument(help="The product's SKU.")]) -> None:
    """Remove one product from the catalogue (exit code 1 when there is none with this SKU)."""
    say = voice()
    with reported_errors():
        _diary().aids.delete(sku)
    console.print(say("Deleted: {sku}", sku=escape(sku)))

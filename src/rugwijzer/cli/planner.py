"""`rugwijzer plan`: everyday foods in real portions that close the day's magnesium gap."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rugwijzer.cli.common import Language, print_json
from rugwijzer.cli.errors import reported_errors
from rugwijzer.cli.language import Voice, voice
from rugwijzer.domain.planner import DEFAULT_KCAL_MAX
from rugwijzer.services.planner import GapPlanView, PlanItemView

__all__ = ["plan", "print_plan"]

console = Console(highlight=False, soft_wrap=True)


def _table(items: list[PlanItemView], say: Voice, title: str) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False)
    table.add_column(say("Portion"))
    table.add_column(say("Grams"), justify="right")
    table.add_column(say("Magnesium (mg)"), justify="right")
    table.add_column("kcal", justify="right")
    for item in items:
        table.add_row(
            escape(item.portion),
            say.number(item.grams),
            say.number(item.magnesium_mg),
            say.number(item.kcal),
        )
    return table


def print_plan(view: GapPlanView, say: Voice) -> None:
    """The plan as tables: the first plan, then the alternatives, then the sources; or why
    no plan is needed, or what would make one possible."""
    if not view.needed:
        for hint in view.hints:
            console.print(escape(hint))
        return
    console.print(
        say(
            "Gap: {gap} mg magnesium; budget: {kcal} kcal",
            gap=say.number(view.gap_mg),
            kcal=say.number(view.kcal_max),
        )
    )
    if view.exclusions:
        console.print(say("Leaving out: {words}", words=escape(", ".join(view.exclusions))))
    if not view.feasible:
        console.print(f"[bold]{escape(say('No plan fits.'))}[/]")
        for hint in view.hints:
            console.print(f"- {escape(hint)}")
        return
    console.print(_table(view.plan_items, say, say("How to close the gap")))
    console.print(
        say(
            "Together: {magnesium} mg magnesium, {kcal} kcal",
            magnesium=say.number(view.total_magnesium_mg),
            kcal=say.number(view.total_kcal),
        )
    )
    for number, alternative in enumerate(view.alternatives, start=1):
        console.print()
        console.print(_table(alternative.plan_items, say, say("Alternative {n}", n=str(number))))
        console.print(
            say(
                "Together: {magnesium} mg magnesium, {kcal} kcal",
                magnesium=say.number(alternative.total_magnesium_mg),
                kcal=say.number(alternative.total_kcal),
            )
        )
    console.print()
    console.print(escape(view.sources), style="dim")
    sources = sorted(
        {
            f"{item.portion}: {item.portion_source}"
            for plan in [view.plan_items, *(a.plan_items for a in view.alternatives)]
            for item in plan
        }
    )
    for line in sources:
        console.print(f"  {escape(line)}", style="dim")


def plan(
    gap_mg: Annotated[
        float | None,
        typer.Option("--gap-mg", help="The gap in mg (default: today's gap from your diary)."),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            help="Leave out: vegan, vegetarisch, noten, pinda, gluten, lactose, vis, soja, or a "
            "food's name (repeat the option for more).",
        ),
    ] = None,
    kcal_max: Annotated[
        float | None,
        typer.Option(
            "--kcal-max", help=f"The energy budget in kcal (default {DEFAULT_KCAL_MAX:g})."
        ),
    ] = None,
    lang: Annotated[
        Language | None, typer.Option("--lang", help="nl or en (default: as the command line).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The answer as JSON.")] = False,
) -> None:
    """Everyday foods in real Dutch portions that close the magnesium gap, within your
    exclusions and an energy budget; with up to three alternatives."""
    say = voice(lang.value if lang else None)
    with reported_errors():
        from rugwijzer.services.app import diary_service

        service = diary_service()
        user = service.profiles.ensure_local_user()
        view = service.planner.plan(
            user, gap_mg=gap_mg, exclude=exclude or [], kcal_max=kcal_max, lang=say.lang
        )
    if as_json:
        print_json(view.to_json())
        return
    print_plan(view, say)

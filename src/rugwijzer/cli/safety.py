"""`rugwijzer supplement …`, `rugwijzer screen` and `rugwijzer triage`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from rugwijzer.cli.common import Language, Reference, database, print_json, read_json
from rugwijzer.cli.errors import reported_errors
from rugwijzer.domain.screen import parse_screen
from rugwijzer.domain.triage import QUESTIONS, parse_answers, triage
from rugwijzer.errors import InvalidInputError
from rugwijzer.reference_data import supplement_catalogue
from rugwijzer.services.safety import check_from_json, elemental_view, screen_view, triage_view

supplement_app = typer.Typer(help="Magnesium supplements, safely.", no_args_is_help=True)
console = Console(highlight=False)


def _cited(item: dict[str, Any]) -> str:
    """A statement with its grade and source ids, escaped for Rich."""
    ids = ", ".join(source["id"] for source in item.get("sources", []))
    grade = f"grade {item['grade']}; " if item.get("grade") else ""
    return escape(f"{item['text']} [{grade}{ids}]")


def print_hard_stops(advice: dict[str, Any]) -> None:
    """Each hard stop, then "no dose, see your doctor", with grades and sources."""
    for stop in advice["hard_stops"]:
        console.print(f"[bold red]STOP[/] {_cited(stop)}")
    if advice["hard_stops"]:
        console.print(f"[bold red]{_cited(advice['advice'])}[/]")


@supplement_app.command("elemental")
def elemental(
    form: Annotated[str, typer.Option(help="The compound, e.g. oxide, citrate, bisglycinate.")],
    compound_mg: Annotated[float, typer.Option(help="Milligrams of the compound (not elemental).")],
    lang: Annotated[Language, typer.Option(help="Language.")] = Language.nl,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Elemental magnesium in an amount of a compound; a range when the name is ambiguous."""
    with reported_errors():
        view = elemental_view(supplement_catalogue().elemental(form, compound_mg), lang.value)
    if as_json:
        print_json(view)
        return
    if view["exact"]:
        (details,) = view["forms"]
        console.print(
            f"{compound_mg:g} mg {details['name']} ({details['formula']}) = "
            f"[bold]{view['elemental_mg']:g} mg[/] elemental magnesium "
            f"({details['elemental_percent']:g}%)"
        )
        console.print(_cited(details["absorption"]))
        console.print(_cited(details["tolerance"]))
        return
    low, high = view["elemental_range_mg"]
    console.print(
        f"{form!r} can mean several compounds: [bold]{low:g}-{high:g} mg[/] elemental magnesium"
    )
    for details in view["forms"]:
        console.print(
            f"  {details['key']}: {details['name']} {details['formula']}, "
            f"{details['elemental_percent']:g}%"
        )
    console.print(_cited(view["message"]))


@supplement_app.command("check")
def check(
    profile_file: Annotated[Path, typer.Option("--profile", help="Profile JSON.")],
    supplements_file: Annotated[Path, typer.Option("--supplements", help="Supplements JSON list.")],
    reference: Annotated[Reference | None, typer.Option(help="Reference system.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Today's supplements against the upper limit, with interactions and when to see a doctor."""
    with reported_errors():
        data = read_json(profile_file)
        view = check_from_json(
            database(),
            data,
            read_json(supplements_file),
            reference=reference.value if reference else None,
        )
    if as_json:
        print_json(view)
        return
    lang = data.get("language") or "nl"
    print_hard_stops(view)
    limit = view["supplement_upper_limit_mg"]
    # Under a hard stop the limit is left out: beside a stop it would read as an allowance.
    shown = (
        "" if view["hard_stops"] else f"; upper limit {'—' if limit is None else f'{limit:g} mg'}"
    )
    console.print(
        f"Supplements: [bold]{view['total_elemental_mg']:g} mg[/] elemental magnesium a day"
        f"{shown} ({view['reference']})"
    )
    for supplement in view["supplements"]:
        console.print(
            f"  {escape(supplement['name'])}: {supplement['elemental_mg_per_day']:g} mg "
            f"({escape(supplement['how'])})"
        )
    if not view["hard_stops"]:
        console.print(_cited(view["advice"]))
    for warning in view["warnings"]:
        console.print(f"[yellow]![/] {_cited(warning)}")
    for interaction in view["interactions"]:
        console.print(f"[yellow]{interaction['medicine']}[/]: {_cited(interaction)}")
    food = view["food_first"]
    console.print(_cited(food["message"]))
    for suggestion in food["suggestions"][:5]:
        food = suggestion["food"]
        name = (food["name_nl"] if lang == "nl" else None) or food["name_en"]
        console.print(f"  {name}, {suggestion['portion']}: {suggestion['magnesium_mg']:g} mg")
    for note in view["notes"]:
        console.print(_cited(note))


def screen(
    answers_file: Annotated[Path, typer.Option("--answers", help="Screen answers JSON.")],
    lang: Annotated[Language, typer.Option(help="Language.")] = Language.nl,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Magnesium deficiency-risk screen: low, moderate or elevated, with reasons. No diagnosis."""
    with reported_errors():
        view = screen_view(parse_screen(read_json(answers_file)), lang.value)
    if as_json:
        print_json(view)
        return
    console.print(f"Risk level: [bold]{view['level']}[/]")
    for reason in view["reasons"]:
        console.print(f"  {_cited(reason)}")
    for symptom in view["see_gp_for"]:
        console.print(f"[yellow]See your GP about {symptom}.[/]")
    for note in view["notes"]:
        console.print(_cited(note))


def _ask(lang: str) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    yes_words = {"j", "ja", "y", "yes"}
    no_words = {"n", "nee", "no"}
    hint = "(j/n/?)" if lang == "nl" else "(y/n/?)"
    for question in QUESTIONS:
        text = question.nl if lang == "nl" else question.en
        while True:
            reply = typer.prompt(f"{text} {'' if question.kind != 'yes_no' else hint}", default="?")
            reply = reply.strip().lower()
            if reply in ("?", ""):
                answers[question.key] = None
                break
            if question.kind == "yes_no" and reply in yes_words | no_words:
                answers[question.key] = reply in yes_words
                break
            if question.kind != "yes_no":
                try:
                    answers[question.key] = float(reply.replace(",", "."))
                    break
                except ValueError:
                    pass
            console.print("?")
    return answers


def triage_command(
    answers_file: Annotated[Path | None, typer.Option("--answers", help="Answers JSON.")] = None,
    interactive: Annotated[bool, typer.Option("--interactive", help="Ask the questions.")] = False,
    lang: Annotated[Language, typer.Option(help="Language.")] = Language.nl,
    save: Annotated[bool, typer.Option("--save", help="Keep the result in your diary.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Back-pain warning signs → how soon to get help. Never a diagnosis."""
    with reported_errors():
        if interactive == (answers_file is not None):
            raise InvalidInputError("give either --answers FILE or --interactive")
        raw = _ask(lang.value) if interactive else read_json(answers_file)  # type: ignore[arg-type]
        view = triage_view(triage(parse_answers(raw)), lang.value)
        if save:
            from rugwijzer.services.app import diary_service

            diary = diary_service()
            user = diary.profiles.ensure_local_user()
            view["id"] = diary.entries.record_assessment(user, "triage", raw, view)
    if as_json:
        print_json(view)
        return
    colour = {"emergency": "bold white on red", "urgent": "bold red", "soon": "yellow"}.get(
        view["urgency"], "green"
    )
    console.print(f"[{colour}]{view['urgency'].upper()}[/]: {_cited(view['advice'])}")
    for reason in view["reasons"]:
        console.print(f"  - {_cited(reason)}")
    if view["duration_class"]:
        console.print(f"Duration: {view['duration_class']}")
    if view["unknown"]:
        console.print(f"Not answered: {', '.join(view['unknown'])}")
    for note in view["notes"]:
        console.print(_cited(note))

"""`rugwijzer supplement …`, `rugwijzer screen` and `rugwijzer triage`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from rugwijzer.cli.common import Language, Reference, database, print_json, read_json
from rugwijzer.cli.errors import reported_errors
from rugwijzer.cli.language import Voice, cli_language, voice
from rugwijzer.domain.screen import parse_screen
from rugwijzer.domain.triage import QUESTIONS, parse_answers, triage
from rugwijzer.domain.triage import question as question_of
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code
from rugwijzer.reference_data import supplement_catalogue
from rugwijzer.services.safety import check_from_json, elemental_view, screen_view, triage_view
from rugwijzer.services.targets import default_reference
from rugwijzer.services.views import SupplementAdviceView

supplement_app = typer.Typer(help="Magnesium supplements, safely.", no_args_is_help=True)
console = Console(highlight=False)


def _cited(item: dict[str, Any], say: Voice) -> str:
    """A statement with its grade and source ids, escaped for Rich."""
    ids = ", ".join(source["id"] for source in item.get("sources", []))
    grade = f"{say('grade')} {item['grade']}; " if item.get("grade") else ""
    return escape(f"{item['text']} [{grade}{ids}]")


def print_hard_stops(advice: SupplementAdviceView, say: Voice | None = None) -> None:
    """Each hard stop, then "no dose, see your doctor", with grades and sources."""
    say = say or voice()
    for stop in advice["hard_stops"]:
        console.print(f"[bold red]{escape(say('STOP'))}[/] {_cited(stop, say)}")
    if advice["hard_stops"]:
        console.print(f"[bold red]{_cited(advice['advice'], say)}[/]")


def urgency_label(urgency: str, say: Voice) -> str:
    """A triage urgency as the short capitalised label the command line leads with."""
    labels = {
        "emergency": say("EMERGENCY"),
        "urgent": say("URGENT"),
        "soon": say("SOON"),
        "none": say("NONE"),
    }
    return labels.get(urgency, urgency.upper())


def _content_language(lang: Language | None) -> str:
    """The language of a command's statements: its own `--lang`, else the command line's."""
    return cli_language(lang.value if lang else None)


@supplement_app.command("elemental")
def elemental(
    form: Annotated[str, typer.Option(help="The compound, e.g. oxide, citrate, bisglycinate.")],
    compound_mg: Annotated[float, typer.Option(help="Milligrams of the compound (not elemental).")],
    lang: Annotated[
        Language | None, typer.Option(help="Language (default: the command line's).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Elemental magnesium in an amount of a compound; a range when the name is ambiguous."""
    say = Voice(_content_language(lang))
    with reported_errors():
        view = elemental_view(supplement_catalogue().elemental(form, compound_mg), say.lang)
    if as_json:
        print_json(view)
        return
    if view["exact"]:
        (details,) = view["forms"]
        console.print(
            say(
                "{compound} mg {name} ({formula}) = {elemental} elemental magnesium ({percent}%)",
                compound=compound_mg,
                name=escape(details["name"]),
                formula=details["formula"],
                elemental=f"[bold]{say.amount(view['elemental_mg'])} mg[/]",
                percent=float(details["elemental_percent"]),
            )
        )
        console.print(_cited(details["absorption"], say))
        console.print(_cited(details["tolerance"], say))
        return
    low, high = view["elemental_range_mg"]
    console.print(
        say(
            "{form} can mean several compounds: {range} elemental magnesium",
            form=escape(repr(form)),
            range=f"[bold]{say.amount(low)}-{say.amount(high)} mg[/]",
        )
    )
    for details in view["forms"]:
        percent = say.amount(details["elemental_percent"])
        console.print(f"  {details['key']}: {details['name']} {details['formula']}, {percent}%")
    console.print(_cited(view["message"], say))


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
        profile = data if isinstance(data, dict) else {}
        language = profile.get("language")
        say = voice(profile=language if isinstance(language, str) else None)
        view = check_from_json(
            database(),
            data,
            read_json(supplements_file),
            reference=reference.value if reference else _implied_reference(profile),
            lang=say.lang,
        )
    if as_json:
        print_json(view)
        return
    print_hard_stops(view, say)
    limit = view["supplement_upper_limit_mg"]
    total = f"[bold]{say.amount(view['total_elemental_mg'])} mg[/]"
    # Under a hard stop the limit is left out: beside a stop it would read as an allowance.
    if view["hard_stops"]:
        line = say(
            "Supplements: {total} elemental magnesium a day ({reference})",
            total=total,
            reference=view["reference"],
        )
    else:
        line = say(
            "Supplements: {total} elemental magnesium a day; upper limit {limit} ({reference})",
            total=total,
            limit="—" if limit is None else f"{say.amount(limit)} mg",
            reference=view["reference"],
        )
    console.print(line)
    for supplement in view["supplements"]:
        console.print(
            f"  {escape(supplement['name'])}: {say.amount(supplement['elemental_mg_per_day'])} mg "
            f"({escape(say.text(supplement['how']))})"
        )
        if supplement.get("label_reading"):
            print_label_reading(supplement["label_reading"], say, indent="    ")
    if not view["hard_stops"]:
        console.print(_cited(view["advice"], say))
    for warning in view["warnings"]:
        console.print(f"[yellow]![/] {_cited(warning, say)}")
    for interaction in view["interactions"]:
        console.print(f"[yellow]{escape(interaction['medicine'])}[/]: {_cited(interaction, say)}")
    food = view["food_first"]
    console.print(_cited(food["message"], say))
    for suggestion in food["suggestions"][:5]:
        food = suggestion["food"]
        name = (food["name_nl"] if say.lang == "nl" else None) or food["name_en"]
        portion = escape(say.text(suggestion["portion"]))
        amount = say.amount(suggestion["magnesium_mg"])
        console.print(f"  {escape(name)}, {portion}: {amount} mg")
    for note in view["notes"]:
        console.print(_cited(note, say))


def print_label_reading(reading: dict[str, Any], say: Voice, *, indent: str = "  ") -> None:
    """How a label line was read: the reading taken, the other figures, what is counted, the
    notes (which reading and why) and the labelling rule with its sources."""
    line = say(
        "Label read as {amount} mg elemental magnesium per serving; counted: {counted} mg",
        amount=say.amount(reading["elemental_mg"]),
        counted=say.amount(reading["counted_mg"]),
    )
    console.print(f"{indent}{escape(line)}")
    compound = reading.get("elemental_if_compound_mg")
    if compound:
        low, high = compound
        figure = say.amount(low) if low == high else f"{say.amount(low)}-{say.amount(high)}"
        text = say("If the amount is the compound: {figure} mg", figure=figure)
        console.print(f"{indent}{escape(text)}")
    if reading.get("elemental_if_other_units_mg") is not None:
        text = say(
            "If the amount is for {units} (tablets or capsules): {figure} mg",
            units=say.amount(reading["other_units_per_serving"]),
            figure=say.amount(reading["elemental_if_other_units_mg"]),
        )
        console.print(f"{indent}{escape(text)}")
    for note in reading["notes"]:
        console.print(f"{indent}- {escape(say.text(note))}")
    console.print(f"{indent}{_cited(reading['convention'], say)}")


def _implied_reference(profile: dict[str, Any]) -> str | None:
    """The reference a profile file implies when the command gives none: its own (None: the
    service reads it), else the one of its language, Dutch values when it names none. Not the
    one of the command line's language: switching the words must not switch the numbers."""
    language = profile.get("language")
    if profile.get("reference") is not None or language not in (None, "nl", "en"):
        return None  # the service reads (and checks) the profile's own choice
    return default_reference(language or "nl")


def screen(
    answers_file: Annotated[Path, typer.Option("--answers", help="Screen answers JSON.")],
    lang: Annotated[
        Language | None, typer.Option(help="Language (default: the command line's).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Magnesium deficiency-risk screen: low, moderate or elevated, with reasons. No diagnosis."""
    say = Voice(_content_language(lang))
    with reported_errors():
        view = screen_view(parse_screen(read_json(answers_file)), say.lang)
    if as_json:
        print_json(view)
        return
    levels = {"low": say("low"), "moderate": say("moderate"), "elevated": say("elevated")}
    level = levels.get(view["level"], view["level"])
    console.print(say("Risk level: {level}", level=f"[bold]{escape(level)}[/]"))
    for reason in view["reasons"]:
        console.print(f"  {_cited(reason, say)}")
    for symptom in view["see_gp_for"]:
        console.print(f"[yellow]{say('See your GP about {symptom}.', symptom=escape(symptom))}[/]")
    for note in view["notes"]:
        console.print(_cited(note, say))


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
    lang: Annotated[
        Language | None, typer.Option(help="Language (default: the command line's).")
    ] = None,
    save: Annotated[bool, typer.Option("--save", help="Keep the result in your diary.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Back-pain warning signs → how soon to get help. Never a diagnosis."""
    say = Voice(_content_language(lang))
    with reported_errors():
        if interactive == (answers_file is not None):
            raise InvalidInputError(Code.CLI_TRIAGE_MODE)
        raw = _ask(say.lang) if interactive else read_json(answers_file)  # type: ignore[arg-type]
        view = triage_view(triage(parse_answers(raw)), say.lang).to_json()
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
    label = escape(urgency_label(view["urgency"], say))
    console.print(f"[{colour}]{label}[/]: {_cited(view['advice'], say)}")
    for reason in view["reasons"]:
        console.print(f"  - {_cited(reason, say)}")
    if view["duration_class"]:
        durations = {"acute": say("acute"), "subacute": say("subacute"), "chronic": say("chronic")}
        duration = durations.get(view["duration_class"], view["duration_class"])
        console.print(say("Duration: {duration}", duration=duration))
    if view["unknown"]:
        console.print(say("Not answered:"))
        for key in view["unknown"]:
            asked = question_of(key)
            console.print(f"  - {escape(asked.nl if say.lang == 'nl' else asked.en)}")
    for note in view["notes"]:
        console.print(_cited(note, say))

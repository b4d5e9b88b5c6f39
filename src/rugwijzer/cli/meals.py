"""`rugwijzer meal`, `rugwijzer targets` and `rugwijzer day`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from rugwijzer.cli.common import Language, Reference, database, print_json, read_json, read_text
from rugwijzer.cli.errors import reported_errors
from rugwijzer.cli.language import Voice, voice
from rugwijzer.domain.references import Profile
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code
from rugwijzer.services.meal_items import nothing_recognised
from rugwijzer.services.meals import day_view, meal_view, parse_meal_text, summarize_meals
from rugwijzer.services.targets import (
    default_reference,
    profile_from_mapping,
    targets_for,
    targets_view,
)

meal_app = typer.Typer(help="Understand meals written in plain words.", no_args_is_help=True)
console = Console(highlight=False)


class Sex(StrEnum):
    female = "female"
    male = "male"


def _number(say: Voice, value: float | None, unit: str = "") -> str:
    return "—" if value is None else say.number(value, 1) + unit


def _food_name(food: dict[str, Any], say: Voice) -> str:
    """The food's Dutch name on Dutch output (when it has one), else its English name."""
    return str((food["name_nl"] if say.lang == "nl" else None) or food["name_en"])


def _print_meal(view: dict[str, Any], say: Voice) -> None:
    table = Table(title=say("Understood"))
    for column in ("text", "food", "grams", "how", "Mg mg"):
        table.add_column(say(column), justify="right" if column in ("grams", "Mg mg") else "left")
    for item in view["items"]:
        name = _food_name(item["food"], say)
        if item["alternatives"]:
            others = "; ".join(_food_name(a, say) for a in item["alternatives"])
            name += " " + say("(or: {foods})", foods=others)
        table.add_row(
            item["text"],
            name,
            say.amount(item["grams"]),
            say.text(item["grams_derivation"]),
            _number(say, item["nutrients"]["magnesium_mg"]),
        )
    console.print(table)
    magnesium = view["totals"]["magnesium_mg"]
    console.print(
        say(
            "Magnesium: {amount} mg in {grams} g",
            amount=say.number(magnesium["amount"]),
            grams=say.number(view["total_grams"]),
        )
    )
    if not magnesium["complete"]:
        grams = float(magnesium["grams_without_value"])
        console.print("  " + say("{grams} g of food has no magnesium value", grams=grams))
    for item in view["items"]:
        for warning in item["warnings"]:
            console.print(f"  [yellow]![/] {item['text']}: {say.text(warning)}")
    for part in view["unparsed"]:
        console.print(
            f"[red]{say('Not understood:')}[/] {part['text']!r} ({say.text(part['reason'])})"
        )


@meal_app.command("parse")
def parse(
    text: Annotated[str, typer.Argument(help="e.g. '2 sneetjes volkorenbrood met pindakaas'")],
    lang: Annotated[Language | None, typer.Option(help="Language of the text.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Turn a meal in plain words into foods, grams and nutrients."""
    say = voice(lang.value if lang else None)
    with reported_errors():
        parsed = parse_meal_text(database(), text, lang=lang.value if lang else None)
        if not parsed.items:
            raise nothing_recognised(parsed)
    view = meal_view(parsed, say.lang).model_dump(mode="json")
    if as_json:
        print_json(view)
    else:
        _print_meal(view, say)


def targets(
    age: Annotated[float, typer.Option(help="Age in years (0-130).")],
    sex: Annotated[Sex, typer.Option(help="female or male.")],
    pregnant: Annotated[bool, typer.Option("--pregnant", help="Pregnant.")] = False,
    lactating: Annotated[bool, typer.Option("--lactating", help="Breastfeeding.")] = False,
    reference: Annotated[
        Reference | None,
        typer.Option(help="Reference system (default: nl for Dutch, nih for English)."),
    ] = None,
    lang: Annotated[Language | None, typer.Option(help="Language.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Magnesium target and supplemental upper limit, with calcium, potassium and vitamin D."""
    say = voice(lang.value if lang else None)
    with reported_errors():
        profile = Profile(age, sex.value, pregnant=pregnant, lactating=lactating)
        system = reference.value if reference else default_reference(lang.value if lang else "nl")
        view = targets_view(targets_for(profile, system), say.lang)
    if as_json:
        print_json(view)
        return
    magnesium = view["magnesium"]
    console.print(f"[bold]{say.text(view['reference_name'])}[/]")
    value = _number(say, magnesium["value"], " mg")
    kind = magnesium["kind"] or say("no value")
    console.print(say("Magnesium: {value} ({kind})", value=value, kind=kind))
    for note in magnesium["notes"]:
        console.print(f"  {say.text(note)}")
    for conflict in magnesium["conflict"]:
        console.print(f"  {say.amount(conflict['value'])} mg — {say.text(conflict['source'])}")
    console.print("  " + say("Source: {source}", source=say.text(magnesium["source"])))
    limit = view["supplement_upper_limit"]
    console.print(
        say("Upper limit for supplements: {value}", value=_number(say, limit["value"], " mg"))
    )
    for note in limit["notes"]:
        console.print(f"  {say.text(note)}")
    for key, target in view["context"].items():
        console.print(
            f"{_nutrient(key, say)}: {_number(say, target['value'], ' ' + target['unit'])} "
            f"({target['kind']}) — {say.text(target['source'])}"
        )


def _nutrient(key: str, say: Voice) -> str:
    """The name of a context nutrient of the targets ("calcium_mg" → "Calcium")."""
    names = {
        "calcium_mg": say("Calcium"),
        "potassium_mg": say("Potassium"),
        "vitamin_d_ug": say("Vitamin D"),
    }
    return names.get(key, key)


def day(
    profile_file: Annotated[Path, typer.Option("--profile", help="Profile JSON (age, sex, ...).")],
    meals_file: Annotated[Path, typer.Option("--meals", help="Text file, one meal per line.")],
    reference: Annotated[
        Reference | None, typer.Option(help="Override the profile's reference.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """A day's meals against your targets: the magnesium gap and where it came from."""
    with reported_errors():
        profile, profile_reference, language = profile_from_mapping(read_json(profile_file))
        say = voice(profile=language)
        lines = read_text(meals_file).splitlines()
        if not any(line.strip() for line in lines):
            raise InvalidInputError(Code.FILE_NO_MEALS, path=str(meals_file))
        system = (
            reference.value
            if reference
            else profile_reference or default_reference(language or "nl")
        )
        parses, target_set, summary = summarize_meals(
            database(), lines, profile, reference=system, lang=language
        )
        if not any(parse.items for parse in parses):
            raise InvalidInputError(Code.CLI_NO_FOOD_IN_ANY_MEAL)
    view = day_view(parses, target_set, summary, say.lang)
    if as_json:
        print_json(view)
        return
    for meal in view["meals"]:
        _print_meal(meal, say)
    _print_day_summary(view, say)


def _print_day_summary(view: dict[str, Any], say: Voice) -> None:
    magnesium = view["magnesium"]
    target = magnesium["target"]
    console.print(
        "\n"
        + say(
            "Magnesium today: {intake} of {target} ({kind}, {reference}): {percent}",
            intake=f"[bold]{say.number(magnesium['intake'])} mg[/]",
            target=_number(say, target["value"], " mg"),
            kind=target["kind"],
            reference=view["reference"],
            percent=_number(say, magnesium["percent_of_target"], "%"),
        )
    )
    if magnesium["gap"]:
        console.print(
            say(
                "Gap: {gap} mg ({percent}% of the target)",
                gap=say.number(magnesium["gap"]),
                percent=say.number(magnesium["gap_percent"]),
            )
        )
    if magnesium["share_of_food_without_value_percent"]:
        console.print(
            say(
                "{percent}% of today's food (by weight) has no magnesium value: "
                "the true intake is higher than shown",
                percent=float(magnesium["share_of_food_without_value_percent"]),
            )
        )
    for top in magnesium["top_foods"]:
        name = _food_name(top["food"], say)
        amount, share = say.number(top["magnesium_mg"]), say.amount(top["share_percent"])
        console.print(f"  {name}: {amount} mg ({share}%)")
    for key, context in view["context"].items():
        console.print(
            say(
                "{nutrient}: {intake} of {target}",
                nutrient=_nutrient(key, say),
                intake=f"{say.number(context['intake'], 1)} {context['intake_unit']}",
                target=_number(say, context["target"]["value"], " " + context["target"]["unit"]),
            )
        )
    ratio = view["calcium_magnesium_ratio"]
    if ratio["value"] is not None:
        console.print(
            say("Calcium:magnesium ratio {ratio}.", ratio=float(ratio["value"]))
            + f" {say.text(ratio['note'])}"
        )

"""`rugwijzer meal`, `rugwijzer targets` and `rugwijzer day`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from rugwijzer.cli.common import Language, Reference, database, print_json, read_json
from rugwijzer.cli.errors import reported_errors
from rugwijzer.domain.references import Profile
from rugwijzer.errors import InvalidInputError
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


def _number(value: float | None, unit: str = "") -> str:
    return "—" if value is None else f"{value:,.1f}{unit}"


def _print_meal(view: dict[str, Any]) -> None:
    table = Table(title="Understood")
    for column in ("text", "food", "grams", "how", "Mg mg"):
        table.add_column(column, justify="right" if column in ("grams", "Mg mg") else "left")
    for item in view["items"]:
        food = item["food"]
        name = food["name_nl"] or food["name_en"]
        if item["alternatives"]:
            name += (
                " (or: "
                + "; ".join(a["name_nl"] or a["name_en"] for a in item["alternatives"])
                + ")"
            )
        table.add_row(
            item["text"],
            name,
            f"{item['grams']:g}",
            item["grams_derivation"]["text"],
            _number(item["nutrients"]["magnesium_mg"]),
        )
    console.print(table)
    magnesium = view["totals"]["magnesium_mg"]
    console.print(f"Magnesium: {magnesium['amount']:.0f} mg in {view['total_grams']:.0f} g")
    if not magnesium["complete"]:
        console.print(f"  {magnesium['grams_without_value']:g} g of food has no magnesium value")
    for item in view["items"]:
        for warning in item["warnings"]:
            console.print(f"  [yellow]![/] {item['text']}: {warning['text']}")
    for part in view["unparsed"]:
        console.print(f"[red]Not understood:[/] {part['text']!r} ({part['reason']['text']})")


@meal_app.command("parse")
def parse(
    text: Annotated[str, typer.Argument(help="e.g. '2 sneetjes volkorenbrood met pindakaas'")],
    lang: Annotated[Language | None, typer.Option(help="Language of the text.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Turn a meal in plain words into foods, grams and nutrients."""
    with reported_errors():
        parsed = parse_meal_text(database(), text, lang=lang.value if lang else None)
        if not parsed.items:
            raise nothing_recognised(parsed)
    view = meal_view(parsed, lang.value if lang else "en").model_dump(mode="json")
    if as_json:
        print_json(view)
    else:
        _print_meal(view)


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
    with reported_errors():
        profile = Profile(age, sex.value, pregnant=pregnant, lactating=lactating)
        system = reference.value if reference else default_reference(lang.value if lang else "nl")
        view = targets_view(targets_for(profile, system))
    if as_json:
        print_json(view)
        return
    magnesium = view["magnesium"]
    console.print(f"[bold]{view['reference_name']}[/]")
    console.print(
        f"Magnesium: {_number(magnesium['value'], ' mg')} ({magnesium['kind'] or 'no value'})"
    )
    for note in magnesium["notes"]:
        console.print(f"  {note}")
    for conflict in magnesium["conflict"]:
        console.print(f"  {conflict['value']:g} mg — {conflict['source']}")
    console.print(f"  Source: {magnesium['source']}")
    limit = view["supplement_upper_limit"]
    console.print(f"Upper limit for supplements: {_number(limit['value'], ' mg')}")
    for note in limit["notes"]:
        console.print(f"  {note}")
    for key, target in view["context"].items():
        console.print(
            f"{key}: {_number(target['value'], ' ' + target['unit'])} ({target['kind']}) "
            f"— {target['source']}"
        )


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
        try:
            lines = meals_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInputError(f"cannot read {meals_file}: {exc}") from exc
        if not any(line.strip() for line in lines):
            raise InvalidInputError(f"{meals_file} has no meals")
        system = (
            reference.value
            if reference
            else profile_reference or default_reference(language or "nl")
        )
        parses, target_set, summary = summarize_meals(
            database(), lines, profile, reference=system, lang=language
        )
        if not any(parse.items for parse in parses):
            raise InvalidInputError("no food recognised in any meal")
    view = day_view(parses, target_set, summary, language or "en")
    if as_json:
        print_json(view)
        return
    for meal in view["meals"]:
        _print_meal(meal)
    magnesium = view["magnesium"]
    target = magnesium["target"]
    console.print(
        f"\n[bold]Magnesium today: {magnesium['intake']:.0f} mg[/] "
        f"of {_number(target['value'], ' mg')} "
        f"({target['kind']}, {view['reference']}): {_number(magnesium['percent_of_target'], '%')}"
    )
    if magnesium["gap"]:
        console.print(
            f"Gap: {magnesium['gap']:.0f} mg ({magnesium['gap_percent']:.0f}% of the target)"
        )
    if magnesium["share_of_food_without_value_percent"]:
        console.print(
            f"{magnesium['share_of_food_without_value_percent']:g}% of today's food (by weight) "
            "has no magnesium value: the true intake is higher than shown"
        )
    for top in magnesium["top_foods"]:
        name = top["food"]["name_nl"] or top["food"]["name_en"]
        console.print(f"  {name}: {top['magnesium_mg']:.0f} mg ({top['share_percent']:g}%)")
    for key, context in view["context"].items():
        console.print(
            f"{key}: {context['intake']:.1f} {context['intake_unit']} of "
            f"{_number(context['target']['value'], ' ' + context['target']['unit'])}"
        )
    ratio = view["calcium_magnesium_ratio"]
    if ratio["value"] is not None:
        console.print(f"Calcium:magnesium ratio {ratio['value']:g}. {ratio['note']}")

"""`rugwijzer db`, `log`, `checkin`, `change`, `today`, `week`, `profile`, `export`, `import`,
`delete-everything`: the local diary (one implicit user)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rugwijzer.cli.common import Language, print_json, read_json
from rugwijzer.cli.errors import reported_errors
from rugwijzer.cli.safety import print_hard_stops
from rugwijzer.domain.diary import ChangeInput, CheckInInput
from rugwijzer.errors import InvalidInputError

if TYPE_CHECKING:
    from rugwijzer.services.diary import Diary

db_app = typer.Typer(help="The diary database.", no_args_is_help=True)
log_app = typer.Typer(help="Log what you ate or took.", no_args_is_help=True)
profile_app = typer.Typer(help="Your profile.", no_args_is_help=True)
console = Console(highlight=False)


def _diary() -> tuple[Diary, int]:
    from rugwijzer.services.app import diary_service

    service = diary_service()
    return service, service.profiles.ensure_local_user()


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInputError(f"not a date (YYYY-MM-DD): {value!r}") from exc


@db_app.command("upgrade")
def upgrade() -> None:
    """Create or update the database schema (safe to run again)."""
    from rugwijzer.services.app import engine
    from rugwijzer.store.migrate import current_revision, upgrade

    with reported_errors():
        upgrade(engine())
        console.print(f"Database schema at revision {current_revision(engine())}")


@log_app.command("meal")
def log_meal(
    text: Annotated[str, typer.Argument(help="What you ate, in plain words.")],
    on: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).")] = None,
    lang: Annotated[Language | None, typer.Option(help="Language of the text.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Log a meal."""
    with reported_errors():
        service, user = _diary()
        meal = service.entries.log_meal(user, text, day=_day(on), lang=lang.value if lang else None)
    if as_json:
        print_json(meal.model_dump(mode="json"))
        return
    magnesium = sum(item.nutrients.get("magnesium_mg", 0.0) for item in meal.items)
    console.print(f"Logged meal {meal.id} on {meal.eaten_on}: {magnesium:.0f} mg magnesium")
    for item in meal.items:
        console.print(
            f"  {escape(item.text)}: "
            f"{escape(item.food_name_nl or item.food_name_en)}, {item.grams:g} g"
        )
    for part in meal.unparsed:
        console.print(f"  [red]Not understood:[/] {escape(part.text)}")


@log_app.command("supplement")
def log_supplement(
    label: Annotated[
        str | None, typer.Option(help="Label line, e.g. 'magnesium (as citrate) 200 mg'.")
    ] = None,
    form: Annotated[str | None, typer.Option(help="Compound, e.g. bisglycinate.")] = None,
    compound_mg: Annotated[float | None, typer.Option(help="Milligrams of the compound.")] = None,
    elemental_mg: Annotated[
        float | None, typer.Option(help="Milligrams of elemental magnesium.")
    ] = None,
    servings: Annotated[float, typer.Option(help="Servings taken.")] = 1.0,
    name: Annotated[str | None, typer.Option(help="Product name.")] = None,
    on: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Log a supplement taken."""
    entry: dict[str, Any] = {"servings_per_day": servings}
    for key, value in (
        ("label", label),
        ("form", form),
        ("compound_mg", compound_mg),
        ("elemental_mg", elemental_mg),
        ("name", name),
    ):
        if value is not None:
            entry[key] = value
    with reported_errors():
        service, user = _diary()
        row = service.entries.log_supplement(user, entry, day=_day(on))
    if as_json:
        print_json(row.model_dump(mode="json"))
        return
    console.print(
        f"Logged {escape(row.name)}: {row.elemental_mg * row.servings:g} mg elemental magnesium"
    )
    if row.supplement_advice:
        print_hard_stops(row.supplement_advice)


def checkin(
    pain: Annotated[int | None, typer.Option(help="Back pain 0-10.")] = None,
    stress: Annotated[int | None, typer.Option(help="Stress 0-10.")] = None,
    sleep: Annotated[int | None, typer.Option(help="Sleep quality 0-10.")] = None,
    stiffness: Annotated[int | None, typer.Option(help="Stiffness 0-10.")] = None,
    cramps: Annotated[
        bool | None, typer.Option("--cramps/--no-cramps", help="Cramps today.")
    ] = None,
    minutes_active: Annotated[int | None, typer.Option(help="Minutes of activity.")] = None,
    aid: Annotated[str | None, typer.Option(help="Aid worn (chair, brace …).")] = None,
    note: Annotated[str | None, typer.Option(help="A short note.")] = None,
    location: Annotated[list[str] | None, typer.Option(help="Where it hurts (repeatable).")] = None,
    on: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Record how today went."""
    with reported_errors():
        service, user = _diary()
        checkin_row = service.entries.check_in(
            user,
            CheckInInput(
                day=_day(on) or service.today(),
                pain=pain,
                stress=stress,
                sleep_quality=sleep,
                stiffness=stiffness,
                cramps=cramps,
                minutes_active=minutes_active,
                aid_worn=aid,
                note=note,
                pain_locations=tuple(location or ()),
            ),
        )
    if as_json:
        print_json(checkin_row.model_dump(mode="json"))
    else:
        console.print(f"Check-in saved for {checkin_row.day}")


def change(
    description: Annotated[
        str, typer.Argument(help="What changed, e.g. 'started magnesium glycerophosphate'.")
    ],
    start: Annotated[str | None, typer.Option(help="Start date (default: today).")] = None,
    end: Annotated[str | None, typer.Option(help="End date.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Record a change, to see later whether it helped."""
    with reported_errors():
        service, user = _diary()
        change_row = service.entries.record_change(
            user, ChangeInput(description, _day(start) or service.today(), _day(end))
        )
    if as_json:
        print_json(change_row.model_dump(mode="json"))
    else:
        console.print(f"Change {change_row.id} recorded from {change_row.started_on}")


def today(
    on: Annotated[str | None, typer.Option("--date", help="Another day (YYYY-MM-DD).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Today's meals, supplements, check-in and magnesium against your target."""
    with reported_errors():
        service, user = _diary()
        view = service.summaries.day(user, _day(on))
    if as_json:
        print_json(view.model_dump(mode="json"))
        return
    red_flag = view.red_flag
    if red_flag:  # red flags come before everything else
        advice = red_flag.advice["text"] if red_flag.advice else ""
        console.print(f"[bold white on red]{red_flag.urgency.upper()}[/] {escape(advice)}")
        for reason in red_flag.reasons:
            console.print(f"  - {escape(reason['text'])}")
    magnesium = view.totals["magnesium_mg"]
    line = f"{view.day}: {magnesium.amount:.0f} mg magnesium from food"
    if view.targets and view.targets.magnesium["value"]:
        target = view.targets.magnesium
        line += f" of {target['value']:g} mg ({target['kind']}, {view.targets.reference})"
    console.print(line)
    if view.supplement_magnesium_mg:
        console.print(f"Supplements: {view.supplement_magnesium_mg:g} mg")
    if view.supplement_advice:
        print_hard_stops(view.supplement_advice)
    without = getattr(magnesium, "grams_without_value", 0.0)
    if without:
        console.print(f"{without:g} g of food had no magnesium value")
    if view.targets is None:
        console.print("Set your profile (rugwijzer profile set) to see your target.")
    for meal in view.meals:
        console.print(f"  meal {meal.id}: {escape(meal.text)}")
    if view.checkin:
        console.print(f"  pain {view.checkin.pain}, stress {view.checkin.stress}")


def week(
    end: Annotated[str | None, typer.Option(help="Last day (default: today).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The last seven days: magnesium, pain and stress, and your changes."""
    with reported_errors():
        service, user = _diary()
        last = _day(end) or service.today()
        period = service.summaries.period(user, last - timedelta(days=6), last)
    if as_json:
        print_json(period.model_dump(mode="json"))
        return
    table = Table(title=f"{period.start} – {period.end}")
    for column in ("day", "Mg food mg", "Mg supplements mg", "pain", "stress"):
        table.add_column(column, justify="right")
    for day_row in period.days:
        food = day_row.magnesium_food_mg
        table.add_row(
            day_row.day.isoformat(),
            "—" if food is None else f"{food:.0f}",
            f"{day_row.magnesium_supplements_mg:g}",
            "—" if day_row.pain is None else str(day_row.pain),
            "—" if day_row.stress is None else str(day_row.stress),
        )
    console.print(table)
    for item in period.changes:
        console.print(f"Change since {item.started_on}: {escape(item.description)}")


@profile_app.command("set")
def profile_set(
    birth_year: Annotated[int | None, typer.Option(help="Year of birth.")] = None,
    sex: Annotated[str | None, typer.Option(help="female or male.")] = None,
    pregnant: Annotated[bool | None, typer.Option("--pregnant/--not-pregnant")] = None,
    lactating: Annotated[bool | None, typer.Option("--lactating/--not-lactating")] = None,
    kidney_disease: Annotated[
        bool | None, typer.Option("--kidney-disease/--no-kidney-disease")
    ] = None,
    heart_rhythm: Annotated[
        bool | None, typer.Option("--heart-rhythm-problems/--no-heart-rhythm-problems")
    ] = None,
    medicine: Annotated[
        list[str] | None, typer.Option(help="A medicine you take (repeatable).")
    ] = None,
    language: Annotated[str | None, typer.Option(help="nl or en.")] = None,
    reference: Annotated[str | None, typer.Option(help="nih, efsa or nl.")] = None,
) -> None:
    """Set your profile (only the options you give change)."""
    values: dict[str, Any] = {
        key: value
        for key, value in {
            "birth_year": birth_year,
            "sex": sex,
            "pregnant": pregnant,
            "lactating": lactating,
            "kidney_disease": kidney_disease,
            "heart_rhythm_problems": heart_rhythm,
            "medicines": medicine,
            "language": language,
            "reference": reference,
        }.items()
        if value is not None
    }
    with reported_errors():
        service, user = _diary()
        print_json(service.profiles.set_profile(user, values).model_dump(mode="json"))


def export(
    out: Annotated[
        Path | None,
        typer.Option(help="File to write: .json, or .zip for JSON plus a CSV per table."),
    ] = None,
) -> None:
    """Export everything in your diary."""
    from rugwijzer.services.diary import export_zip

    with reported_errors():
        service, user = _diary()
        document = service.portability.export(user)
    text = document.to_json()
    if out is None:
        typer.echo(text)
        return
    content = export_zip(document) if out.suffix == ".zip" else (text + "\n").encode()
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_bytes(content)
    tmp.replace(out)
    console.print(f"Exported to {out}")


def import_(
    file: Annotated[Path, typer.Argument(help="A Rugwijzer export (JSON).")],
) -> None:
    """Restore an export into an empty diary (all or nothing)."""
    with reported_errors():
        service, user = _diary()
        counts = service.portability.import_(user, read_json(file))
    console.print(
        "Imported: " + ", ".join(f"{count} {kind}" for kind, count in counts.model_dump().items())
    )


def delete_everything(
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
) -> None:
    """Delete your whole diary and profile."""
    with reported_errors():
        if not yes:
            raise InvalidInputError("this deletes everything; add --yes to confirm")
        service, user = _diary()
        service.portability.delete_everything(user)
    console.print("Everything deleted.")

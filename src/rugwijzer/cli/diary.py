"""`rugwijzer db`, `log`, `checkin`, `change`, `today`, `week`, `profile`, `export`, `import`,
`delete-everything`: the local diary (one implicit user)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rugwijzer.cli.common import Language, parse_day, print_json, read_json, write_file
from rugwijzer.cli.errors import reported_errors
from rugwijzer.cli.language import Voice, cli_language, voice
from rugwijzer.cli.safety import print_hard_stops, print_label_reading, urgency_label
from rugwijzer.content import render
from rugwijzer.domain.aids import CATEGORIES as AID_CATEGORIES
from rugwijzer.domain.diary import ChangeInput, CheckInInput
from rugwijzer.domain.triage import FLAGS
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code

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


@db_app.command("upgrade")
def upgrade() -> None:
    """Create or update the database schema (safe to run again)."""
    from rugwijzer.services.app import engine
    from rugwijzer.store.migrate import current_revision, upgrade

    with reported_errors():
        upgrade(engine())
        revision = current_revision(engine()) or "—"
        console.print(voice()("Database schema at revision {revision}", revision=revision))


@db_app.command("prune")
def prune() -> None:
    """Delete what is kept no longer: login and registration attempts outside the rate
    limits' windows, and access-audit events older than RUGWIJZER_AUDIT_RETENTION_DAYS (run
    it daily, docs/operating.md)."""
    from rugwijzer.services.app import account_service
    from rugwijzer.settings import get_settings

    with reported_errors():
        accounts = account_service()
        retention_days = get_settings().audit_retention_days
        attempts = accounts.prune_attempts()
        events = accounts.audit.prune(retention_days)
        say = voice()
        minutes = int(accounts.attempts_kept_for.total_seconds() // 60)
        console.print(
            say(
                "Deleted {count} login and registration attempts older than {minutes} minutes",
                count=attempts,
                minutes=minutes,
            )
        )
        console.print(
            say(
                "Deleted {count} access-log events older than {days} days",
                count=events,
                days=retention_days,
            )
        )


@log_app.command("meal")
def log_meal(
    text: Annotated[str, typer.Argument(help="What you ate, in plain words.")],
    on: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).")] = None,
    lang: Annotated[Language | None, typer.Option(help="Language of the text.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Log a meal."""
    say = voice(lang.value if lang else None)
    with reported_errors():
        service, user = _diary()
        logged = service.entries.log_meal(
            user, text, day=parse_day(on), lang=lang.value if lang else None
        )
    meal = logged.model_dump(mode="json", by_alias=True)
    if as_json:
        print_json(meal)
        return
    magnesium = sum(item["nutrients"].get("magnesium_mg", 0.0) for item in meal["items"])
    console.print(
        say(
            "Logged meal {id} on {day}: {amount} mg magnesium",
            id=str(meal["id"]),
            day=say.day(meal["eaten_on"]),
            amount=say.number(magnesium),
        )
    )
    for item in meal["items"]:
        console.print(
            f"  {escape(item['text'])}: "
            f"{escape(_food_name(item, say))}, {say.amount(item['grams'])} g"
        )
    for part in meal["unparsed"]:
        console.print(f"  [red]{escape(say('Not understood:'))}[/] {escape(part['text'])}")


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
    servings: Annotated[
        float | None,
        typer.Option(help="Servings taken (default: as the label says, else 1)."),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Product name.")] = None,
    on: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Log a supplement taken."""
    entry: dict[str, Any] = {}
    for key, value in (
        ("servings_per_day", servings),
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
        row = service.entries.log_supplement(user, entry, day=parse_day(on), lang=cli_language())
    if as_json:
        print_json(row.model_dump(mode="json"))
        return
    say = voice()
    console.print(
        say(
            "Logged {name}: {amount} mg elemental magnesium",
            name=escape(row.name),
            amount=float(row.elemental_mg * row.servings),
        )
    )
    reading = row.label_reading.model_dump(mode="json") if row.label_reading else None
    if reading and (reading["ambiguous"] or len(reading["notes"]) > 1):
        # a plain "magnesium (as citrate) 200 mg" needs no more words than the line above
        print_label_reading(reading, say)
    if row.supplement_advice:
        print_hard_stops(row.supplement_advice, say)


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
    aid_category: Annotated[
        str | None,
        typer.Option(help=f"The aid's kind, for 'did it help': {', '.join(AID_CATEGORIES)}."),
    ] = None,
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
                day=parse_day(on) or service.today(),
                pain=pain,
                stress=stress,
                sleep_quality=sleep,
                stiffness=stiffness,
                cramps=cramps,
                minutes_active=minutes_active,
                aid_worn=aid,
                note=note,
                pain_locations=tuple(location or ()),
                aid_category=aid_category,
            ),
        )
    if as_json:
        print_json(checkin_row.model_dump(mode="json"))
    else:
        say = voice()
        console.print(say("Check-in saved for {day}", day=say.day(checkin_row.day)))


def change(
    description: Annotated[
        str, typer.Argument(help="What changed, e.g. 'started magnesium glycerophosphate'.")
    ],
    start: Annotated[str | None, typer.Option(help="Start date (default: today).")] = None,
    end: Annotated[str | None, typer.Option(help="End date.")] = None,
    aid_category: Annotated[
        str | None,
        typer.Option(help=f"When the change is an aid, its kind: {', '.join(AID_CATEGORIES)}."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Record a change, to see later whether it helped."""
    with reported_errors():
        service, user = _diary()
        change_row = service.entries.record_change(
            user,
            ChangeInput(
                description,
                parse_day(start) or service.today(),
                parse_day(end),
                aid_category,
            ),
        )
    if as_json:
        print_json(change_row.model_dump(mode="json"))
    else:
        say = voice()
        console.print(
            say(
                "Change {id} recorded from {day}",
                id=str(change_row.id),
                day=say.day(change_row.started_on),
            )
        )


def today(
    on: Annotated[str | None, typer.Option("--date", help="Another day (YYYY-MM-DD).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Today's meals, supplements, check-in and magnesium against your target."""
    with reported_errors():
        service, user = _diary()
        say = voice()
        day_view = service.summaries.day(user, parse_day(on), lang=say.lang)
    view = day_view.model_dump(mode="json", by_alias=True)
    if as_json:
        print_json(view)
        return
    if view["red_flag"]:  # red flags come before everything else
        _print_red_flag(view["red_flag"], say)
    magnesium = view["totals"]["magnesium_mg"]
    day, amount = say.day(view["day"]), say.number(magnesium["amount"])
    target = view["targets"]["magnesium"] if view["targets"] else None
    if target and target["value"]:
        line = say(
            "{day}: {amount} mg magnesium from food, of {target} mg ({kind}, {reference})",
            day=day,
            amount=amount,
            target=float(target["value"]),
            kind=target["kind"],
            reference=view["targets"]["reference"],
        )
    else:
        line = say("{day}: {amount} mg magnesium from food", day=day, amount=amount)
    console.print(line)
    if view["supplement_magnesium_mg"]:
        console.print(
            say("Supplements: {amount} mg", amount=float(view["supplement_magnesium_mg"]))
        )
    if day_view.supplement_advice:
        print_hard_stops(day_view.supplement_advice, say)
    if magnesium["grams_without_value"]:
        grams = float(magnesium["grams_without_value"])
        console.print(say("{grams} g of food had no magnesium value", grams=grams))
    if view["targets"] is None:
        console.print(say("Set your profile (rugwijzer profile set) to see your target."))
    for meal in view["meals"]:
        console.print(
            "  " + say("meal {id}: {text}", id=str(meal["id"]), text=escape(meal["text"]))
        )
    if view["checkin"]:
        checkin = view["checkin"]
        scores = {"pain": _score(checkin["pain"]), "stress": _score(checkin["stress"])}
        console.print("  " + say("pain {pain}, stress {stress}", **scores))


def _food_name(item: dict[str, Any], say: Voice) -> str:
    """A logged item's food: its Dutch name on Dutch output (when it has one), else English."""
    return str((item["food_name_nl"] if say.lang == "nl" else None) or item["food_name_en"])


def _score(value: int | None) -> str:
    return "—" if value is None else str(value)


def _print_red_flag(red_flag: dict[str, Any], say: Voice) -> None:
    """The stored triage result's urgency, advice and reasons, in the language of the command
    line (the stored text is in the language it was recorded in; the keys say what it was)."""
    advice = red_flag["advice"] or {}
    text = render(advice["key"], say.lang)["text"] if "key" in advice else advice.get("text", "")
    label = urgency_label(red_flag["urgency"], say)
    console.print(f"[bold white on red]{escape(label)}[/] {escape(text)}")
    for reason in red_flag["reasons"]:
        flag = FLAGS.get(reason.get("key", ""))
        reason_text = (flag.nl if say.lang == "nl" else flag.en) if flag else reason["text"]
        console.print(f"  - {escape(reason_text)}")


def week(
    end: Annotated[str | None, typer.Option(help="Last day (default: today).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The last seven days: magnesium, pain and stress, and your changes."""
    with reported_errors():
        service, user = _diary()
        last = parse_day(end) or service.today()
        view = service.summaries.period(user, last - timedelta(days=6), last).model_dump(
            mode="json", by_alias=True
        )
    if as_json:
        print_json(view)
        return
    say = voice()
    table = Table(title=f"{say.day(view['start'])} – {say.day(view['end'])}")
    for column in ("day", "Mg food mg", "Mg supplements mg", "pain", "stress"):
        table.add_column(say(column), justify="right")
    for day_row in view["days"]:
        food = day_row["magnesium_food_mg"]
        table.add_row(
            say.day(day_row["day"], "medium"),
            "—" if food is None else say.number(food),
            say.amount(day_row["magnesium_supplements_mg"]),
            _score(day_row["pain"]),
            _score(day_row["stress"]),
        )
    console.print(table)
    for item in view["changes"]:
        console.print(
            say(
                "Change since {day}: {description}",
                day=say.day(item["started_on"]),
                description=escape(item["description"]),
            )
        )


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
    with reported_errors():
        write_file(out, content)
    console.print(voice()("Exported to {path}", path=escape(str(out))))


def import_(
    file: Annotated[Path, typer.Argument(help="A Rugwijzer export (JSON).")],
) -> None:
    """Restore an export into an empty diary (all or nothing)."""
    with reported_errors():
        service, user = _diary()
        counts = service.portability.import_(user, read_json(file)).model_dump()
    say = voice()
    # the keys are the export's own lists (meals, supplements, checkins, changes, assessments)
    kinds = {
        "meals": say("meals"),
        "supplements": say("supplements"),
        "checkins": say("check-ins"),
        "changes": say("changes"),
        "assessments": say("triage results"),
    }
    listed = ", ".join(f"{count} {kinds.get(kind, kind)}" for kind, count in counts.items())
    console.print(say("Imported: {counts}", counts=listed))


def delete_everything(
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
) -> None:
    """Delete your whole diary and profile."""
    with reported_errors():
        if not yes:
            raise InvalidInputError(Code.CLI_CONFIRM_DELETE)
        service, user = _diary()
        service.portability.delete_everything(user)
    console.print(voice()("Everything deleted."))

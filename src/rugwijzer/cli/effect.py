"""`rugwijzer effect`: did a change help? On a change in the local diary (`--change ID`) or on a
file of check-ins kept elsewhere (`--checkins FILE.csv --change-date YYYY-MM-DD`)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from rugwijzer.cli.common import Language, parse_day, print_json
from rugwijzer.cli.errors import reported_errors
from rugwijzer.cli.language import Voice, voice
from rugwijzer.domain.progress import Outcome
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code
from rugwijzer.services.progress import EffectView

__all__ = ["effect"]

console = Console(highlight=False, soft_wrap=True)


def effect(
    change: Annotated[
        int | None,
        typer.Option(
            "--change",
            min=1,
            max=2**31 - 1,
            help="A change in your diary: its id, which 'rugwijzer change' printed "
            "('rugwijzer week --json' lists the changes with their ids).",
        ),
    ] = None,
    checkins: Annotated[
        Path | None,
        typer.Option(
            "--checkins",
            help="A CSV file of check-ins: a 'day' column (YYYY-MM-DD) and a column per outcome "
            "(pain, stress, sleep_quality, stiffness; 0-10, empty = not recorded).",
        ),
    ] = None,
    change_date: Annotated[
        str | None,
        typer.Option("--change-date", help="With --checkins: the first day of the change."),
    ] = None,
    end_date: Annotated[
        str | None,
        typer.Option(
            "--end-date", help="With --checkins: the last day after (default: the last day)."
        ),
    ] = None,
    outcome: Annotated[Outcome, typer.Option("--outcome", help="What to compare.")] = Outcome.PAIN,
    lang: Annotated[Language | None, typer.Option("--lang", help="nl or en.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The whole answer as JSON.")] = False,
) -> None:
    """Did it help? Compare the days before a change with the days after it."""
    say = voice(lang.value if lang else None)
    with reported_errors():
        if (change is None) == (checkins is None):
            raise InvalidInputError(Code.CLI_EFFECT_CHANGE_OR_FILE)
        if checkins is not None:
            from rugwijzer.services.checkin_file import effect_of_checkins, read_checkins

            start = parse_day(change_date)
            if start is None:
                raise InvalidInputError(Code.CLI_EFFECT_CHANGE_DATE_NEEDED)
            end = parse_day(end_date)
            view = effect_of_checkins(read_checkins(checkins), start, end, outcome, say.lang)
        else:
            assert change is not None
            if change_date is not None or end_date is not None:
                raise InvalidInputError(Code.CLI_EFFECT_DATES_WITH_FILE_ONLY)
            from rugwijzer.services.app import diary_service

            service = diary_service()
            user = service.profiles.ensure_local_user()
            view = service.effects.effect(user, change, outcome, lang=say.lang)
    if as_json:
        print_json(view.model_dump(mode="json"))
        return
    print_effect(view, say)


def _points(say: Voice, value: float) -> str:
    return say.number(value, 1)


def print_effect(view: EffectView, say: Voice) -> None:
    """The answer in plain words: verdict, figures, method, caveats and suggestions."""
    if view.description is not None:
        console.print(
            say(
                "Change {id}: {description}",
                id=str(view.change_id),
                description=escape(view.description),
            )
        )
    console.print(
        say(
            "Compared: {outcome} before ({before_start} – {before_end}) "
            "and after ({after_start} – {after_end})",
            outcome=view.outcome_name,
            before_start=say.day(view.baseline_start),
            before_end=say.day(max(view.baseline_start, view.change_date - timedelta(days=1))),
            after_start=say.day(view.change_date),
            after_end=say.day(view.end_date),
        )
    )
    console.print()
    console.print(f"[bold]{escape(view.verdict_text.text)}[/]")
    console.print()
    if view.difference is not None and view.ci_low is not None and view.ci_high is not None:
        console.print(
            say(
                "Difference (after − before): {difference} points, 95 % interval {low} to {high}",
                difference=_points(say, view.difference),
                low=_points(say, view.ci_low),
                high=_points(say, view.ci_high),
            )
        )
    for label, mean, days in (
        (say("Before"), view.before_mean, view.days_before),
        (say("After"), view.after_mean, view.days_after),
    ):
        console.print(
            say(
                "{phase}: mean {mean} over {days} recorded days",
                phase=label,
                mean="—" if mean is None else _points(say, mean),
                days=days,
            )
        )
    if view.mic is not None:
        console.print(
            say(
                "Smallest change that matters (MIC): {mic} points",
                mic=say.number(view.mic, 0, 1),
            )
        )
    if view.more_days_text is not None:
        console.print(escape(view.more_days_text.text))
    console.print(say("Method: {method}", method=escape(view.method)))
    for title, messages in ((say("Caveats"), view.caveats), (say("Suggestions"), view.suggestions)):
        if messages:
            console.print()
            console.print(f"[bold]{escape(title)}[/]")
            for message in messages:
                console.print(f"  - {escape(message.text)}")

"""`rugwijzer report`: the PDF report of the local diary for a GP or physiotherapist."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from rugwijzer.cli.common import Language, parse_day, write_file
from rugwijzer.cli.errors import reported_errors
from rugwijzer.cli.language import voice

__all__ = ["report"]

#: Without --from, the report covers this many days up to --to.
DEFAULT_DAYS = 90
console = Console(highlight=False)


def report(
    out: Annotated[Path, typer.Option("--out", help="The PDF file to write.")],
    start: Annotated[
        str | None,
        typer.Option("--from", help="First day, YYYY-MM-DD (default: 90 days up to --to)."),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (default: today).")
    ] = None,
    lang: Annotated[
        Language | None,
        typer.Option("--lang", help="Language of the report (default: your profile's)."),
    ] = None,
) -> None:
    """Write a PDF report for your GP or physiotherapist: profile, warning signs, magnesium
    against your target, supplements, pain and stress, and whether your changes helped."""
    from rugwijzer.services.app import report_service
    from rugwijzer.services.profile import ProfileService
    from rugwijzer.web.report import report_pdf

    say = voice(lang.value if lang else None)
    with reported_errors():
        last = parse_day(end)
        first = parse_day(start)
        reports = report_service()
        user = ProfileService(reports.sessions).ensure_local_user()
        last = last or reports.today()
        first = first or last - timedelta(days=DEFAULT_DAYS - 1)
        view = reports.report(user, first, last, lang=say.lang)
        write_file(out, report_pdf(view))
    console.print(
        say(
            "Report of {start} to {end} written to {path}",
            start=say.day(first),
            end=say.day(last),
            path=escape(str(out)),
        )
    )

"""`rugwijzer backup` and `rugwijzer restore`: the whole database (every user) to a file and
back (services/backup.py does the work; docs/operating.md, "Backups", says how to use them)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from rugwijzer.cli.errors import reported_errors
from rugwijzer.cli.language import Voice, voice

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["backup", "restore"]

console = Console(highlight=False)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )


class _Bar:
    """The service's progress reports as one Rich bar per phase and table."""

    def __init__(self, progress: Progress, say: Voice) -> None:
        self._progress = progress
        self._say = say
        self._tasks: dict[tuple[str, str], object] = {}

    def __call__(self, phase: str, table: str, done: int, total: int) -> None:
        key = (phase, "" if phase == "check" else table)
        task = self._tasks.get(key)
        if task is None:
            if phase == "check":
                description = self._say("Checking the backup")
            elif phase == "backup":
                description = self._say("Backing up {table}", table=table)
            else:
                description = self._say("Restoring {table}", table=table)
            task = self._progress.add_task(escape(description), total=total or 1)
            self._tasks[key] = task
        self._progress.update(task, completed=done if total else 1)  # type: ignore[arg-type]


def _moment(iso: str, say: Voice) -> str:
    """A backup's creation time as people read it: the day in their language, the time in UTC
    (the file keeps UTC, whatever the machine's zone)."""
    try:
        moment = datetime.fromisoformat(iso).astimezone(UTC)
    except ValueError:
        return iso
    return f"{say.day(moment.date())} {moment:%H:%M} UTC"


def _engine() -> Engine:
    from rugwijzer.services.app import engine
    from rugwijzer.settings import get_settings

    settings = get_settings()
    if settings.mode == "local" and settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return engine()


def backup(
    out: Annotated[Path, typer.Option("--out", help="File to write (e.g. rugwijzer-DATE.rwb).")],
) -> None:
    """Back up the whole database (every user) to one file, readable by you only."""
    from rugwijzer.services.backup import backup_database

    say = voice()
    with reported_errors(), _progress() as progress:
        view = backup_database(_engine(), out, progress=_Bar(progress, say))
    console.print(
        say(
            "Backup written to {path}: {rows} rows in {tables} tables, schema {revision}.",
            path=escape(view.path),
            rows=sum(view.tables.values()),
            tables=len(view.tables),
            revision=view.schema_revision,
        )
    )


def restore(
    file: Annotated[Path, typer.Argument(help="A backup made by `rugwijzer backup`.")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace everything in a database that is not empty."),
    ] = False,
) -> None:
    """Restore a backup into an empty database (all or nothing)."""
    from rugwijzer.services.backup import restore_database

    say = voice()
    with reported_errors(), _progress() as progress:
        view = restore_database(_engine(), file, replace=force, progress=_Bar(progress, say))
    if view.replaced_rows:
        console.print(say("Deleted first: {rows} rows.", rows=view.replaced_rows))
    console.print(
        say(
            "Restored {rows} rows into {tables} tables (schema {revision}, backup of {created} "
            "from {database}).",
            rows=sum(view.tables.values()),
            tables=len(view.tables),
            revision=view.schema_revision,
            database=view.source_database,
            created=_moment(view.created_at, say),
        )
    )

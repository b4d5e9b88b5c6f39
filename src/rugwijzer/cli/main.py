"""Entry point of the `rugwijzer` command."""

from __future__ import annotations

import errno
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from rugwijzer import __version__
from rugwijzer.cli import (
    accounts,
    aids,
    backup,
    diary,
    effect,
    foods,
    knowledge,
    meals,
    planner,
    report,
    safety,
)
from rugwijzer.cli.common import Language
from rugwijzer.cli.errors import print_error, reported_errors
from rugwijzer.cli.language import begin, voice
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code
from rugwijzer.settings import get_settings

app = typer.Typer(
    help="Rugwijzer — magnesium, stress and back pain: honest, measurable, offline.",
    pretty_exceptions_enable=False,
)
app.add_typer(foods.app, name="foods")
app.add_typer(meals.meal_app, name="meal")
app.command("targets")(meals.targets)
app.command("day")(meals.day)
app.add_typer(safety.supplement_app, name="supplement")
app.command("screen")(safety.screen)
app.command("triage")(safety.triage_command)
app.add_typer(diary.db_app, name="db")
app.add_typer(diary.log_app, name="log")
app.add_typer(diary.profile_app, name="profile")
app.add_typer(accounts.accounts_app, name="accounts")
app.command("checkin")(diary.checkin)
app.command("change")(diary.change)
app.command("today")(diary.today)
app.command("week")(diary.week)
app.command("effect")(effect.effect)
app.command("export")(diary.export)
app.command("import")(diary.import_)
app.command("delete-everything")(diary.delete_everything)
app.command("report")(report.report)
app.command("articles")(knowledge.articles)
app.command("faq")(knowledge.faq)
app.command("claims")(knowledge.claims)
app.add_typer(aids.aids_app, name="aids")
app.command("plan")(planner.plan)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)
console = Console(highlight=False)


@app.callback(invoke_without_command=True)
def options(
    context: typer.Context,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help="Language of the output, nl or en (default: your profile's, else the locale's).",
        ),
    ] = None,
) -> None:
    """Rugwijzer — magnesium, stress and back pain: honest, measurable, offline."""
    begin(lang.value if lang else None)
    if context.invoked_subcommand is None:
        first_steps()


def first_steps() -> None:
    """What `rugwijzer` on its own says: what it is for and what to do first."""
    say = voice()
    console.print(
        say("Rugwijzer: magnesium, stress and back pain, in your own diary on this computer.")
    )
    console.print(say("Not a diagnosis: with warning signs, see your GP."))
    console.print()
    console.print(say("Start here:"))
    for command, what in (
        (
            'rugwijzer log meal "2 sneetjes volkorenbrood met pindakaas"',
            say("log a meal and see its magnesium"),
        ),
        ("rugwijzer checkin --pain 4 --stress 5", say("how today went")),
        ("rugwijzer triage", say("check for warning signs")),
        ("rugwijzer serve", say("the same in your browser")),
        ("rugwijzer --help", say("every command")),
    ):
        console.print(f"  [bold]{escape(command)}[/bold]  {escape(what)}")


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


@app.command()
def init() -> None:
    """Prepare the local data directory (private to this user)."""
    data_dir = get_settings().data_dir
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    console.print(voice()("Data directory: {path}", path=str(data_dir)))
    diary.upgrade()


class LogLevel(StrEnum):
    """uvicorn's log levels, quietest last."""

    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port.")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="App processes (server mode); a worker that dies is replaced.",
        ),
    ] = 1,
    log_level: Annotated[
        LogLevel, typer.Option(help="Server log level; 'warning' leaves out the access log.")
    ] = LogLevel.info,
) -> None:
    """Start the web app (http://127.0.0.1:8000 by default). SIGTERM stops it gracefully."""
    import sys

    import uvicorn
    from uvicorn.config import STARTUP_FAILURE

    from rugwijzer.observability.logs import choose_log_format, log_config
    from rugwijzer.observability.metrics_dir import prepare_metrics_directory
    from rugwijzer.web.workers import run_workers

    settings = get_settings()
    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    try:
        settings = settings.model_validate({**settings.model_dump(), **overrides})
    except ValueError as exc:
        print_error(str(exc))
        raise typer.Exit(2) from None
    if workers > 1 and settings.mode == "local":
        # One person and one SQLite file: the in-process write lock (store/engine.py) queues
        # writers only within one process, and more processes add no throughput.
        with reported_errors():
            raise InvalidInputError(Code.SERVE_WORKERS_LOCAL_MODE, workers=workers)
    console.print(
        voice()(
            "Rugwijzer {version} on {address}",
            version=__version__,
            address=f"http://{settings.host}:{settings.port}",
        )
    )
    log_format = choose_log_format(
        settings.log_format, mode=settings.mode, interactive=sys.stderr.isatty()
    )
    # With workers > 1 uvicorn's supervisor starts them, pings each every half second and
    # starts a new one when one dies. Each worker listens on a socket of its own
    # (web/workers.py), so the kernel spreads connections evenly over them. SIGTERM (to the
    # supervisor or to one process): stop accepting, let requests in flight finish within the
    # grace period, then the app's lifespan closes its connection pool.
    # Before any worker starts: the folder the workers share their metrics in, emptied.
    prepare_metrics_directory()
    config = uvicorn.Config(
        "rugwijzer.web.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_level=log_level.value,
        timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
        # JSON lines with request ids (readable lines for one person at a terminal); Rugwijzer
        # logs each request itself (by route template, without the path or query), so
        # uvicorn's access log is off.
        log_config=log_config(log_level.value, log_format),
        access_log=False,
    )
    if workers == 1:
        server = uvicorn.Server(config)
        server.run()
        if not server.started:  # uvicorn has logged why (the port taken, the app broken)
            raise typer.Exit(STARTUP_FAILURE)
        return
    try:
        run_workers(config)
    except OSError as exc:
        with reported_errors():
            raise InvalidInputError(
                Code.SERVE_ADDRESS_UNAVAILABLE,
                address=f"{settings.host}:{settings.port}",
                reason=errno.errorcode.get(exc.errno or 0, "OSError"),
            ) from None
    except KeyboardInterrupt:
        pass


def main() -> None:
    """Run the command line."""
    app()

"""How the command line reports Rugwijzer errors: a message on stderr, in the language of the
command line, and an exit code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from rugwijzer.cli.language import Voice, voice
from rugwijzer.errors import DataError, InvalidInputError, NotFoundError, RugwijzerError

__all__ = ["EXIT_DATA", "EXIT_INVALID_INPUT", "EXIT_NOT_FOUND", "print_error", "reported_errors"]

EXIT_NOT_FOUND = 1
EXIT_INVALID_INPUT = 2
EXIT_DATA = 3

_stderr = Console(stderr=True, highlight=False)


def _exit_code(error: RugwijzerError) -> int:
    if isinstance(error, InvalidInputError):
        return EXIT_INVALID_INPUT
    if isinstance(error, NotFoundError):
        return EXIT_NOT_FOUND
    if isinstance(error, DataError):
        return EXIT_DATA
    return 1


def print_error(text: str, say: Voice | None = None) -> None:
    """'Error: …' on stderr, the prefix in the command line's language."""
    say = say or voice()
    _stderr.print(f"[bold red]{escape(say('Error:'))}[/] {escape(text)}", soft_wrap=True)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn Rugwijzer errors into 'Error: …' on stderr, in the language of the command line,
    and the matching exit code."""
    try:
        yield
    except RugwijzerError as error:
        say = voice()
        print_error(say.message(error.message), say)
        raise typer.Exit(_exit_code(error)) from None

"""How the command line reports Rugwijzer errors: a message on stderr and an exit code."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from rugwijzer.errors import DataError, InvalidInputError, NotFoundError, RugwijzerError

__all__ = ["EXIT_DATA", "EXIT_INVALID_INPUT", "EXIT_NOT_FOUND", "reported_errors"]

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


@contextmanager
def reported_errors(hint: Callable[[RugwijzerError], str | None] | None = None) -> Iterator[None]:
    """Turn Rugwijzer errors into 'Error: …' on stderr and the matching exit code."""
    try:
        yield
    except RugwijzerError as error:
        _stderr.print(f"[bold red]Error:[/] {error}", markup=True, soft_wrap=True)
        extra = hint(error) if hint else None
        if extra:
            _stderr.print(extra, markup=False, soft_wrap=True)
        raise typer.Exit(_exit_code(error)) from None

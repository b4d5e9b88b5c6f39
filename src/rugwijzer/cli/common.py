"""Helpers shared by the command-line modules."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from pydantic_core import to_jsonable_python

from rugwijzer.errors import InvalidInputError
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.messages import Code, Foreign

__all__ = [
    "Language",
    "Reference",
    "database",
    "print_json",
    "read_json",
    "read_text",
    "write_file",
]


class Language(StrEnum):
    """Languages of the interface and of meal texts."""

    nl = "nl"
    en = "en"


class Reference(StrEnum):
    """Reference systems for targets."""

    nih = "nih"
    efsa = "efsa"
    nl = "nl"


def database() -> FoodDatabase:
    """The food database: the configured data file, or the bundled one."""
    from rugwijzer.services.app import configured_food_database

    return configured_food_database()


def parse_day(value: str | None) -> date | None:
    """A YYYY-MM-DD option as a date (None when not given), or a clear error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInputError(Code.CLI_NOT_A_DATE, value=value) from exc


def print_json(value: Any) -> None:
    """Print JSON for --json output."""
    # to_jsonable_python: views are Pydantic models, also inside the diary's dict views
    typer.echo(json.dumps(to_jsonable_python(value, by_alias=True), ensure_ascii=False, indent=2))


def read_text(path: Path) -> str:
    """Read a UTF-8 input file; a file that cannot be read is an input error."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InvalidInputError(Code.FILE_NOT_FOUND, path=str(path)) from exc
    except IsADirectoryError as exc:
        raise InvalidInputError(Code.FILE_IS_DIRECTORY, path=str(path)) from exc
    except PermissionError as exc:
        raise InvalidInputError(Code.FILE_NO_PERMISSION, path=str(path)) from exc
    except OSError as exc:
        # the system's own words for a rarer reason (a device error, a name too long)
        reason = Foreign(exc.strerror or type(exc).__name__)
        raise InvalidInputError(Code.FILE_UNREADABLE, path=str(path), reason=reason) from exc
    except UnicodeDecodeError as exc:
        raise InvalidInputError(Code.FILE_NOT_TEXT, path=str(path)) from exc


def write_file(path: Path, content: bytes) -> None:
    """Write `content` to `path` whole or not at all (through a temporary file beside it); a
    place that cannot be written is an input error."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    try:
        tmp.write_bytes(content)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        reason = Foreign(exc.strerror or type(exc).__name__)
        raise InvalidInputError(Code.FILE_NOT_WRITABLE, path=str(path), reason=reason) from exc


def read_json(path: Path) -> Any:
    """Read a JSON input file; unreadable or invalid files are input errors."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            Code.FILE_NOT_JSON, path=str(path), line=exc.lineno, column=exc.colno
        ) from exc

"""Helpers shared by the command-line modules."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from pydantic_core import to_jsonable_python

from rugwijzer.errors import InvalidInputError
from rugwijzer.fooddb.database import FoodDatabase

__all__ = ["Language", "Reference", "database", "print_json", "read_json"]


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


def print_json(value: Any) -> None:
    """Print JSON for --json output."""
    # to_jsonable_python: views are Pydantic models, also inside the diary's dict views
    typer.echo(json.dumps(to_jsonable_python(value, by_alias=True), ensure_ascii=False, indent=2))


def read_json(path: Path) -> Any:
    """Read a JSON input file; unreadable or invalid files are input errors."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInputError(f"cannot read {path}: {exc.strerror}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"{path} is not valid JSON: {exc}") from exc

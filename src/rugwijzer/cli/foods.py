"""`rugwijzer foods …`: search, show, build and import food data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from rugwijzer.cli.common import Language, database, print_json
from rugwijzer.cli.errors import reported_errors
from rugwijzer.i18n import render_message
from rugwijzer.messages import Message
from rugwijzer.services.foods import food_detail, search_rows
from rugwijzer.settings import get_settings

app = typer.Typer(help="Search and inspect the food database.", no_args_is_help=True)
console = Console(highlight=False)


def _amount(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for, e.g. 'amandelen' or 'almonds'.")],
    lang: Annotated[Language | None, typer.Option(help="Prefer names in this language.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Number of results.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON rows.")] = False,
) -> None:
    """Find foods by name, in Dutch or English."""
    with reported_errors():
        rows = search_rows(database(), query, lang=lang.value if lang else None, limit=limit)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print(f"No food matches {query!r}.")
        return
    table = Table(title=f"Foods matching {query!r}")
    table.add_column("id")
    table.add_column("name (nl)")
    table.add_column("name (en)")
    table.add_column("Mg mg/100 g", justify="right")
    table.add_column("score", justify="right")
    for row in rows:
        table.add_row(
            row["id"],
            row["name_nl"] or "",
            row["name_en"],
            _amount(row["magnesium_mg_per_100g"]),
            f"{row['score']:.3f}",
        )
    console.print(table)


@app.command()
def show(
    food_id: Annotated[
        str, typer.Argument(metavar="ID", help="A food id, e.g. sr24:12061 or 12061.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show all nutrients per 100 g and the household measures of one food."""
    with reported_errors():
        detail = food_detail(database().get(food_id))
    if as_json:
        print_json(detail)
        return
    title = detail["name_en"] + (f" — {detail['name_nl']}" if detail["name_nl"] else "")
    console.print(f"[bold]{title}[/]  ({detail['id']}, {detail['group']['name_en']})")
    source = detail["source"]
    console.print(f"Source: {source['dataset']} {source['source_id']} · {source['licence']}")
    if detail["mapping_note"]:
        console.print(f"Note: {detail['mapping_note']}")
    nutrients = Table(title="Per 100 g")
    nutrients.add_column("nutrient")
    nutrients.add_column("amount", justify="right")
    nutrients.add_column("unit")
    for value in detail["per_100g"].values():
        amount = "no value" if value["amount"] is None else f"{value['amount']:g}"
        nutrients.add_row(value["name_en"], amount, value["unit"])
    console.print(nutrients)
    measures = Table(title="Household measures")
    measures.add_column("measure")
    measures.add_column("grams", justify="right")
    measures.add_column("from")
    for m in detail["measures"]:
        measures.add_row(f"{m['amount']:g} {m['name']}", f"{m['grams']:g}", "USDA")
    for m in detail["dutch_measures"]:
        how = render_message(Message.from_json(m["derivation"]), "en")
        measures.add_row(f"1 {m['name_nl']}", f"{m['grams']:g}", how)
    console.print(measures)


@app.command()
def build(
    sr24: Annotated[
        Path,
        typer.Option(exists=True, dir_okay=False, help="usda_sr24.jar from Debian's cronometer."),
    ],
    out: Annotated[
        Path | None, typer.Option(help="Output file (default: the package's bundled data file).")
    ] = None,
) -> None:
    """Rebuild the bundled food data file from USDA SR24."""
    from importlib import resources

    from rugwijzer.fooddb.build import build_sr24_data_file
    from rugwijzer.fooddb.database import BUNDLED_DATA_FILE

    target = out or Path(str(resources.files("rugwijzer") / BUNDLED_DATA_FILE))
    with reported_errors(), _progress() as progress:
        task = progress.add_task("Reading SR24 foods", total=None)
        provenance = build_sr24_data_file(
            sr24,
            target,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    console.print(
        f"Wrote {provenance.food_count} foods to {target} "
        f"(source sha256 {provenance.source_sha256[:12]}…)"
    )


@app.command("import-fdc")
def import_fdc(
    folder: Annotated[
        Path,
        typer.Argument(
            exists=True, file_okay=False, help="Unpacked FoodData Central CSV download."
        ),
    ],
    out: Annotated[Path | None, typer.Option(help="Output data file.")] = None,
) -> None:
    """Import a USDA FoodData Central CSV download (SR Legacy or Foundation Foods).

    Use the result with RUGWIJZER_FOOD_DATA_FILE=<file>."""
    from rugwijzer.fooddb.fdc import import_fdc_folder

    target = out or get_settings().data_dir / "foods_fdc.json"
    with reported_errors(), _progress() as progress:
        task = progress.add_task("Reading FoodData Central", total=None)
        provenance = import_fdc_folder(
            folder,
            target,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    console.print(f"Wrote {provenance.food_count} foods ({provenance.dataset}) to {target}")
    console.print(f"Use it with: RUGWIJZER_FOOD_DATA_FILE={target}")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )

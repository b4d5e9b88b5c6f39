"""`rugwijzer foods …`: search, show, build and import food data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from rugwijzer.cli.common import Language, database, print_json
from rugwijzer.cli.errors import EXIT_INVALID_INPUT, print_error, reported_errors
from rugwijzer.cli.language import Voice, voice
from rugwijzer.errors import InvalidInputError, InvalidRowsError
from rugwijzer.messages import Code
from rugwijzer.services.foods import food_detail, search_rows
from rugwijzer.services.views import FoodDetailView
from rugwijzer.settings import get_settings

app = typer.Typer(help="Search and inspect the food database.", no_args_is_help=True)
console = Console(highlight=False)


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
    say = voice(lang.value if lang else None)
    if not rows:
        console.print(say("No food matches {query}.", query=escape(repr(query))))
        return
    table = Table(title=say("Foods matching {query}", query=escape(repr(query))))
    for column in ("id", "name (nl)", "name (en)"):
        table.add_column(say(column))
    for column in ("Mg mg/100 g", "score"):
        table.add_column(say(column), justify="right")
    for row in rows:
        table.add_row(
            row["id"],
            row["name_nl"] or "",
            row["name_en"],
            say.amount(row["magnesium_mg_per_100g"]),
            say.number(row["score"], 3),
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
    say = voice()
    _print_food_heading(detail, say)
    nutrients = Table(title=say("Per 100 g"))
    nutrients.add_column(say("nutrient"))
    nutrients.add_column(say("amount"), justify="right")
    nutrients.add_column(say("unit"))
    for value in detail["per_100g"].values():
        amount = say("no value") if value["amount"] is None else say.amount(value["amount"])
        nutrients.add_row(_name(value, say), amount, value["unit"])
    console.print(nutrients)
    measures = Table(title=say("Household measures"))
    measures.add_column(say("measure"))
    measures.add_column(say("grams"), justify="right")
    measures.add_column(say("from"))
    for m in detail["measures"]:
        grams = say.amount(m["grams"])
        measures.add_row(f"{say.amount(m['amount'])} {m['name']}", grams, "USDA")
    for m in detail["dutch_measures"]:
        grams = say.amount(m["grams"])
        measures.add_row(f"1 {m['name_nl']}", grams, say.text(m["derivation"]))
    console.print(measures)


def _name(named: dict[str, Any], say: Voice) -> str:
    """A name in the language of the output: Dutch when there is one, else English."""
    return str((named.get("name_nl") if say.lang == "nl" else None) or named["name_en"])


def _print_food_heading(detail: FoodDetailView, say: Voice) -> None:
    title = detail["name_en"] + (f" — {detail['name_nl']}" if detail["name_nl"] else "")
    group = _name(detail["group"], say)
    console.print(f"[bold]{escape(title)}[/]  ({detail['id']}, {escape(group)})")
    source = detail["source"]
    console.print(
        say(
            "Source: {source}",
            source=f"{source['dataset']} {source['source_id']} · {source['licence']}",
        )
    )
    if source["release"]:
        console.print(say("Release: {release}", release=escape(source["release"])))
    if detail["mapping_note"]:
        console.print(say("Note: {note}", note=escape(say.text(detail["mapping_note"]))))


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
    say = voice()
    with reported_errors(), _progress() as progress:
        task = progress.add_task(say("Reading SR24 foods"), total=None)
        provenance = build_sr24_data_file(
            sr24,
            target,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    console.print(
        say(
            "Wrote {count} foods to {path} (source sha256 {sha256}…)",
            count=provenance.food_count,
            path=escape(str(target)),
            sha256=provenance.source_sha256[:12],
        )
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
    say = voice()
    with reported_errors(), _progress() as progress:
        task = progress.add_task(say("Reading FoodData Central"), total=None)
        provenance = import_fdc_folder(
            folder,
            target,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    console.print(
        say(
            "Wrote {count} foods ({dataset}) to {path}",
            count=provenance.food_count,
            dataset=provenance.dataset,
            path=escape(str(target)),
        )
    )
    console.print(say("Use it with: {setting}", setting=f"RUGWIJZER_FOOD_DATA_FILE={target}"))


@app.command("import-nevo")
def import_nevo(
    file: Annotated[
        Path | None,
        typer.Argument(
            dir_okay=False,
            help="Your download of NEVO-online (NEVO2023_8.0.csv or NEVO2025_v9.0.csv).",
        ),
    ] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Remove the imported NEVO data instead.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Import the Dutch food composition table NEVO-online (RIVM) from your own download.

    The whole file is checked first; a file with any problem imports nothing. The foods are
    written to foods_nevo.json in Rugwijzer's data folder and are then searched beside the
    USDA foods (preferred for Dutch text)."""
    from rugwijzer.fooddb.database import reload_food_database
    from rugwijzer.fooddb.nevo import import_nevo_file, nevo_data_file, remove_nevo_data_file

    say = voice()
    with reported_errors():
        if (file is None) == (not remove):
            raise InvalidInputError(Code.NEVO_FILE_OR_REMOVE)
        data_dir = get_settings().data_dir
        target = nevo_data_file(data_dir)
        if remove:
            removed = remove_nevo_data_file(data_dir)
            reload_food_database()
            if as_json:
                print_json({"removed": removed, "path": str(target)})
            elif removed:
                console.print(say("Removed the imported NEVO data ({path}).", path=str(target)))
            else:
                console.print(say("There is no imported NEVO data ({path}).", path=str(target)))
            return
        assert file is not None
        try:
            with _progress() as progress:
                task = progress.add_task(say("Reading NEVO foods"), total=None)
                provenance, nevo = import_nevo_file(
                    file,
                    data_dir,
                    on_progress=lambda done, total: progress.update(
                        task, completed=done, total=total
                    ),
                )
        except InvalidRowsError as refused:
            print_error(say.message(refused.message), say)
            for problem in refused.problems:
                Console(stderr=True, highlight=False).print(f"  {escape(say.message(problem))}")
            raise typer.Exit(EXIT_INVALID_INPUT) from None
        reload_food_database()
    if as_json:
        print_json(
            {
                "path": str(target),
                "provenance": provenance.as_dict(),
                "traces_read_as_zero": nevo.traces,
                "foods_per_100_ml": nevo.per_100_ml,
            }
        )
        return
    console.print(
        say(
            "Imported {count} NEVO foods ({release}) into {path}",
            count=provenance.food_count,
            release=escape(provenance.release),
            path=escape(str(target)),
        )
    )
    console.print(
        say(
            "Traces read as 0: {traces}; foods given per 100 ml, read as per 100 g: {per_100_ml}.",
            traces=nevo.traces,
            per_100_ml=nevo.per_100_ml,
        )
    )


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )

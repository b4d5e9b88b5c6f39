"""Did it help? on a file of check-ins, for people who kept a diary elsewhere and for clinicians.

The file is CSV: a header row with a `day` column (ISO dates, YYYY-MM-DD) and one column per
outcome it has (`pain`, `stress`, `sleep_quality`, `stiffness`), scores from 0 to 10; an empty
cell is a day that was not recorded, never a zero. Other columns (a note, cramps) are passed
over. Spreadsheets' habits are accepted: a UTF-8 byte-order mark, `;` or a tab instead of `,`
between fields (the header row decides), a decimal comma ("6,5") and blank lines.

    day,pain,stress
    2026-03-01,7,5
    2026-03-02,,6

Everything wrong in the file is an `InvalidInputError` whose message names the file and the
line: no `day` column, a date that is not one, a score that is not a number or lies outside
0-10, the same day twice, the outcome asked for missing, no rows at all.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rugwijzer.domain.progress import Outcome, analyse_effect
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code, Foreign
from rugwijzer.services.progress import EffectView, effect_view

__all__ = [
    "DAY_COLUMN",
    "CheckinFile",
    "CheckinRow",
    "effect_of_checkins",
    "parse_checkins",
    "read_checkins",
]

#: The column with the dates.
DAY_COLUMN = "day"
#: Field separators tried on the header row, in this order (the first that yields a `day`
#: column wins; a Dutch spreadsheet writes `;` because `,` is its decimal sign).
_DELIMITERS = (",", ";", "\t")
_LOWEST, _HIGHEST = 0.0, 10.0


@dataclass(frozen=True, slots=True)
class CheckinRow:
    """One day of the file: its line number and the scores recorded on it."""

    line: int
    day: date
    scores: Mapping[Outcome, float]


@dataclass(frozen=True, slots=True)
class CheckinFile:
    """A file of check-ins, read and checked: its rows in the order of their days."""

    source: str
    #: The outcome columns the file has, in its order.
    outcomes: tuple[Outcome, ...]
    #: Every column of the header row, as written.
    columns: tuple[str, ...]
    rows: tuple[CheckinRow, ...]

    def observations(self, outcome: Outcome) -> list[tuple[date, float]]:
        """(day, score) of every day on which `outcome` was recorded, oldest first. A file
        without that column, or with the column but no value in it, is an input error."""
        if outcome not in self.outcomes:
            raise InvalidInputError(
                Code.CHECKIN_FILE_NO_OUTCOME_COLUMN,
                path=self.source,
                column=outcome.value,
                columns=self.columns,
            )
        found = [(row.day, row.scores[outcome]) for row in self.rows if outcome in row.scores]
        if not found:
            raise InvalidInputError(
                Code.CHECKIN_FILE_NO_VALUES, path=self.source, column=outcome.value
            )
        return found


def read_checkins(path: Path) -> CheckinFile:
    """Read and check the check-in file at `path` (UTF-8, with or without a byte-order mark).
    A file that is not there, cannot be read or is not UTF-8 text is an input error too."""
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InvalidInputError(Code.FILE_NOT_FOUND, path=source) from exc
    except IsADirectoryError as exc:
        raise InvalidInputError(Code.FILE_IS_DIRECTORY, path=source) from exc
    except PermissionError as exc:
        raise InvalidInputError(Code.FILE_NO_PERMISSION, path=source) from exc
    except OSError as exc:
        # the system's own words for a rarer reason (a device error, a name too long)
        reason = Foreign(exc.strerror or type(exc).__name__)
        raise InvalidInputError(Code.FILE_UNREADABLE, path=source, reason=reason) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(Code.FILE_NOT_TEXT, path=source) from exc
    return parse_checkins(text, source)


def _column_name(text: str) -> str:
    """A header cell as a column name: "Sleep quality" and "sleep-quality" are
    `sleep_quality`."""
    return "_".join(text.strip().lower().replace("-", " ").split())


def _delimiter(header: str) -> str:
    """The separator that gives the header row a `day` column; else the most frequent one (the
    error then lists the columns as that separator splits them)."""
    for delimiter in _DELIMITERS:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        if DAY_COLUMN in (_column_name(cell) for cell in cells):
            return delimiter
    return max(_DELIMITERS, key=header.count)


def _score(text: str, source: str, line: int, column: str) -> float:
    """A cell's score 0-10 ("6,5" is 6.5)."""
    value = text.strip()
    if "," in value and "." not in value:
        value = value.replace(",", ".")
    try:
        score = float(value)
    except ValueError:
        score = math.nan
    if not math.isfinite(score):  # "nan" and "inf" parse, but are no scores
        raise InvalidInputError(
            Code.CHECKIN_FILE_NOT_A_NUMBER, path=source, line=line, column=column, value=text
        )
    if not _LOWEST <= score <= _HIGHEST:
        raise InvalidInputError(
            Code.CHECKIN_FILE_OUT_OF_RANGE, path=source, line=line, column=column, value=score
        )
    return score


def _header(
    cells: Sequence[str], source: str, line: int
) -> tuple[int, dict[int, Outcome], tuple[str, ...]]:
    """The day column's position, the outcome columns' positions, and all column names."""
    names = [_column_name(cell) for cell in cells]
    written = tuple(cell.strip() for cell in cells)
    if DAY_COLUMN not in names:
        raise InvalidInputError(
            Code.CHECKIN_FILE_NO_DAY_COLUMN, path=source, line=line, columns=written
        )
    known = {DAY_COLUMN, *(outcome.value for outcome in Outcome)}
    seen: set[str] = set()
    for name in names:
        if name in known and name in seen:
            raise InvalidInputError(
                Code.CHECKIN_FILE_DUPLICATE_COLUMN, path=source, line=line, column=name
            )
        seen.add(name)
    outcomes = {
        index: Outcome(name) for index, name in enumerate(names) if name in known - {DAY_COLUMN}
    }
    return names.index(DAY_COLUMN), outcomes, written


def parse_checkins(text: str, source: str) -> CheckinFile:
    """Check the CSV `text` of a check-in file; `source` names it in error messages (the file's
    path). Lines are counted from 1, the header row included."""
    text = text.removeprefix("\ufeff")
    header_line = next((line for line in text.splitlines() if line.strip()), None)
    if header_line is None:
        raise InvalidInputError(Code.CHECKIN_FILE_NO_ROWS, path=source)
    # newline="": the csv module reads line ends itself and counts the lines (line_num)
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(header_line), strict=True
    )
    rows: list[CheckinRow] = []
    first_line_of: dict[date, int] = {}
    header: tuple[int, dict[int, Outcome], tuple[str, ...]] | None = None
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or a row of empty cells
            if header is None:
                header = _header(cells, source, line)
                continue
            day_index, outcomes, columns = header
            if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
                raise InvalidInputError(
                    Code.CHECKIN_FILE_TOO_MANY_FIELDS,
                    path=source,
                    line=line,
                    fields=len(cells),
                    columns=len(columns),
                )
            written = cells[day_index].strip() if day_index < len(cells) else ""
            try:
                day = date.fromisoformat(written)
            except ValueError:
                raise InvalidInputError(
                    Code.CHECKIN_FILE_BAD_DATE, path=source, line=line, value=written
                ) from None
            if day in first_line_of:
                raise InvalidInputError(
                    Code.CHECKIN_FILE_DUPLICATE_DAY,
                    path=source,
                    line=line,
                    day=day.isoformat(),
                    first_line=first_line_of[day],
                )
            first_line_of[day] = line
            scores = {
                outcome: _score(cells[index], source, line, outcome.value)
                for index, outcome in outcomes.items()
                if index < len(cells) and cells[index].strip()
            }
            rows.append(CheckinRow(line=line, day=day, scores=scores))
    except csv.Error as exc:
        raise InvalidInputError(
            Code.CHECKIN_FILE_NOT_CSV, path=source, line=reader.line_num, reason=Foreign(str(exc))
        ) from exc
    if header is None or not rows:
        raise InvalidInputError(Code.CHECKIN_FILE_NO_ROWS, path=source)
    rows.sort(key=lambda row: row.day)
    return CheckinFile(
        source=source,
        outcomes=tuple(header[1].values()),
        columns=header[2],
        rows=tuple(rows),
    )


def effect_of_checkins(
    checkins: CheckinFile,
    change_date: date,
    end_date: date | None = None,
    outcome: Outcome = Outcome.PAIN,
    lang: str = "en",
) -> EffectView:
    """Did the change that started on `change_date` help `outcome`? The days before it are
    compared with those from it to `end_date` (default: the last recorded day). The change
    date must lie within the recorded days of `outcome`, and the end date not before it."""
    observations = checkins.observations(outcome)
    first_day, last_day = observations[0][0], observations[-1][0]
    if not first_day <= change_date <= last_day:
        raise InvalidInputError(
            Code.EFFECT_CHANGE_DATE_OUTSIDE_DATA,
            change_date=change_date.isoformat(),
            first_day=first_day.isoformat(),
            last_day=last_day.isoformat(),
        )
    if end_date is not None and end_date < change_date:
        raise InvalidInputError(
            Code.EFFECT_END_BEFORE_CHANGE,
            end_date=end_date.isoformat(),
            change_date=change_date.isoformat(),
        )
    analysis = analyse_effect(observations, change_date, end_date or last_day, outcome=outcome)
    return effect_view(analysis, observations, lang)

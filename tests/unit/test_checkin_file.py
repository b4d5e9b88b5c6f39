"""A file of check-ins kept elsewhere: what is read, each mistake as a code with its line, and the
before/after answer on it (also on ten years of daily rows)."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from rugwijzer.domain.progress import Outcome, Verdict
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code
from rugwijzer.services.checkin_file import effect_of_checkins, parse_checkins, read_checkins

START = date(2026, 3, 1)


def _diary(days: int = 56, change_at: int = 28, before: float = 7.0, after: float = 3.0) -> str:
    """A daily diary whose pain steps from `before` to `after` on day `change_at` (seeded)."""
    noise = random.Random(12)
    rows = ["day,pain,stress"]
    for index in range(days):
        level = before if index < change_at else after
        pain = min(10, max(0, round(level + noise.gauss(0, 1))))
        rows.append(f"{START + timedelta(days=index)},{pain},5")
    return "\n".join(rows) + "\n"


def _error(text: str) -> tuple[Code, dict[str, object]]:
    with pytest.raises(InvalidInputError) as caught:
        parse_checkins(text, "diary.csv")
    return caught.value.message.code, dict(caught.value.message.params)


def test_a_file_is_read_with_its_empty_cells_left_out() -> None:
    read = parse_checkins(
        "day,pain,stress,note\n2026-03-02,4,,walked\n2026-03-01,6.5,3,\n", "diary.csv"
    )
    assert read.outcomes == (Outcome.PAIN, Outcome.STRESS)
    assert [(row.line, row.day) for row in read.rows] == [
        (3, date(2026, 3, 1)),
        (2, date(2026, 3, 2)),
    ]
    assert read.observations(Outcome.PAIN) == [(date(2026, 3, 1), 6.5), (date(2026, 3, 2), 4.0)]
    assert read.observations(Outcome.STRESS) == [(date(2026, 3, 1), 3.0)]  # empty is not 0


def test_a_dutch_spreadsheet_export_is_read() -> None:
    # A byte-order mark, `;` between fields, a decimal comma, capitals, a blank line.
    text = "\ufeffDay;Pain;Sleep quality\r\n2026-03-01;6,5;7\r\n\r\n2026-03-02;;8\r\n"
    read = parse_checkins(text, "dagboek.csv")
    assert read.outcomes == (Outcome.PAIN, Outcome.SLEEP_QUALITY)
    assert read.observations(Outcome.PAIN) == [(date(2026, 3, 1), 6.5)]
    assert read.observations(Outcome.SLEEP_QUALITY) == [
        (date(2026, 3, 1), 7.0),
        (date(2026, 3, 2), 8.0),
    ]
    assert read.rows[1].line == 4  # the blank line counts


@pytest.mark.parametrize(
    ("text", "code", "params"),
    [
        ("", Code.CHECKIN_FILE_NO_ROWS, {}),
        ("day,pain\n", Code.CHECKIN_FILE_NO_ROWS, {}),
        ("day,pain\n\n,\n", Code.CHECKIN_FILE_NO_ROWS, {}),
        (
            "date,pain\n2026-03-01,4\n",
            Code.CHECKIN_FILE_NO_DAY_COLUMN,
            {"line": 1, "columns": ("date", "pain")},
        ),
        (
            "\n2026-03-01,4\n",  # no header row: the first row is taken for one
            Code.CHECKIN_FILE_NO_DAY_COLUMN,
            {"line": 2},
        ),
        ("day,pain,Pain\n2026-03-01,4,4\n", Code.CHECKIN_FILE_DUPLICATE_COLUMN, {"line": 1}),
        (
            "day,pain\n2026-03-01,4\n1-3-2026,5\n",
            Code.CHECKIN_FILE_BAD_DATE,
            {"line": 3, "value": "1-3-2026"},
        ),
        ("day,pain\n2026-02-30,4\n", Code.CHECKIN_FILE_BAD_DATE, {"line": 2}),
        ("day,pain\n,4\n", Code.CHECKIN_FILE_BAD_DATE, {"line": 2, "value": ""}),
        (
            "day,pain\n2026-03-01,4\n2026-03-02,veel\n",
            Code.CHECKIN_FILE_NOT_A_NUMBER,
            {"line": 3, "column": "pain", "value": "veel"},
        ),
        ("day,pain\n2026-03-01,nan\n", Code.CHECKIN_FILE_NOT_A_NUMBER, {"line": 2}),
        ("day,stress\n2026-03-01,inf\n", Code.CHECKIN_FILE_NOT_A_NUMBER, {"column": "stress"}),
        (
            "day,pain\n2026-03-01,4\n2026-03-02,11\n",
            Code.CHECKIN_FILE_OUT_OF_RANGE,
            {"line": 3, "column": "pain", "value": 11.0},
        ),
        ("day,stiffness\n2026-03-01,-1\n", Code.CHECKIN_FILE_OUT_OF_RANGE, {"line": 2}),
        (
            "day,pain\n2026-03-01,4\n2026-03-02,5\n2026-03-01,6\n",
            Code.CHECKIN_FILE_DUPLICATE_DAY,
            {"line": 4, "day": "2026-03-01", "first_line": 2},
        ),
        (
            "day,pain\n2026-03-01,4,5\n",
            Code.CHECKIN_FILE_TOO_MANY_FIELDS,
            {"line": 2, "fields": 3, "columns": 2},
        ),
        ('day,pain\n2026-03-01,"4\n', Code.CHECKIN_FILE_NOT_CSV, {}),
    ],
)
def test_each_mistake_is_a_code_with_its_line(
    text: str, code: Code, params: dict[str, object]
) -> None:
    found, found_params = _error(text)
    assert found == code
    assert found_params["path"] == "diary.csv"
    assert {key: found_params.get(key) for key in params} == params


def test_a_trailing_separator_is_no_extra_field() -> None:
    read = parse_checkins("day;pain;\n2026-03-01;4;\n", "diary.csv")
    assert read.observations(Outcome.PAIN) == [(date(2026, 3, 1), 4.0)]


def test_the_outcome_asked_for_must_be_there() -> None:
    read = parse_checkins("day,pain,stress\n2026-03-01,4,\n", "diary.csv")
    with pytest.raises(InvalidInputError) as missing:
        read.observations(Outcome.STIFFNESS)
    assert missing.value.message.code is Code.CHECKIN_FILE_NO_OUTCOME_COLUMN
    assert missing.value.message.params["columns"] == ("day", "pain", "stress")
    with pytest.raises(InvalidInputError) as empty:
        read.observations(Outcome.STRESS)
    assert empty.value.message.code is Code.CHECKIN_FILE_NO_VALUES


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    cases = {
        tmp_path / "missing.csv": Code.FILE_NOT_FOUND,
        tmp_path: Code.FILE_IS_DIRECTORY,
    }
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("day,pain\n2026-03-01,4 \xe9\n".encode("latin-1"))
    cases[latin1] = Code.FILE_NOT_TEXT
    for path, code in cases.items():
        with pytest.raises(InvalidInputError) as caught:
            read_checkins(path)
        assert caught.value.message.code is code, path
    with_bom = tmp_path / "bom.csv"
    with_bom.write_bytes(b"\xef\xbb\xbfday,pain\n2026-03-01,4\n")
    assert read_checkins(with_bom).observations(Outcome.PAIN) == [(date(2026, 3, 1), 4.0)]


def test_a_step_down_is_an_improvement() -> None:
    view = effect_of_checkins(
        parse_checkins(_diary(), "diary.csv"), START + timedelta(days=28), None, Outcome.PAIN, "nl"
    )
    assert view.verdict is Verdict.IMPROVED
    assert (view.days_before, view.days_after) == (28, 28)
    assert view.difference is not None
    assert view.difference < -2
    assert view.change_id is None
    assert view.verdict_text.text.startswith("Beter na de verandering: pijn")


def test_the_end_date_bounds_the_period_after() -> None:
    read = parse_checkins(_diary(), "diary.csv")
    view = effect_of_checkins(
        read, START + timedelta(days=28), START + timedelta(days=41), Outcome.PAIN, "en"
    )
    assert view.days_after == 14
    assert view.end_date == START + timedelta(days=41)


@pytest.mark.parametrize(
    ("change", "end", "code"),
    [
        (START - timedelta(days=1), None, Code.EFFECT_CHANGE_DATE_OUTSIDE_DATA),
        (START + timedelta(days=56), None, Code.EFFECT_CHANGE_DATE_OUTSIDE_DATA),
        (START + timedelta(days=28), START + timedelta(days=27), Code.EFFECT_END_BEFORE_CHANGE),
    ],
)
def test_dates_outside_the_data_are_refused(change: date, end: date | None, code: Code) -> None:
    read = parse_checkins(_diary(), "diary.csv")
    with pytest.raises(InvalidInputError) as caught:
        effect_of_checkins(read, change, end, Outcome.PAIN, "en")
    assert caught.value.message.code is code


def test_the_last_day_is_still_inside_the_data() -> None:
    read = parse_checkins(_diary(), "diary.csv")
    view = effect_of_checkins(read, START + timedelta(days=55), None, Outcome.PAIN, "en")
    assert view.verdict is Verdict.TOO_LITTLE_DATA
    assert view.days_after == 1


def test_ten_years_of_daily_rows_answer_quickly() -> None:
    days = 3653
    text = _diary(days=days, change_at=days // 2)
    effect_of_checkins(  # load numpy and scipy outside the timing
        parse_checkins(_diary(), "warm.csv"), START + timedelta(days=28), None, Outcome.PAIN, "en"
    )
    began = time.perf_counter()
    read = parse_checkins(text, "ten-years.csv")
    view = effect_of_checkins(read, START + timedelta(days=days // 2), None, Outcome.PAIN, "en")
    elapsed = time.perf_counter() - began
    assert len(read.rows) == days
    assert view.verdict is Verdict.IMPROVED
    assert view.days_after == days - days // 2
    # measured about 25 ms on the 2-core build machine; generous for a loaded CI runner
    assert elapsed < 1.0

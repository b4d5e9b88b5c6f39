"""The soak's people: with --keep-days they delete each meal and supplement once it is that
many days old, so their diaries stop growing; without it they keep everything."""

from __future__ import annotations

import itertools
import json
from datetime import date
from typing import Any

from bench.bench_soak import DAY_STEPS, Person


def _live(person: Person, days: int) -> tuple[dict[int, date], dict[int, date]]:
    """Run `person` through `days` diary days, answering every request as the server would
    (ids counting up). What was kept (meals and supplements, by id: the day logged) and what
    was deleted (by id: the day it was deleted)."""
    ids = itertools.count(1)
    kept: dict[int, date] = {}
    deleted: dict[int, date] = {}
    while person.cycle < days:
        action = person.next_action()
        if person.cycle == days and person.step == 1:  # the next day's first step: stop
            break
        route, method, path, body = action
        content: dict[str, Any] = {"id": next(ids)}
        logged = route in ("POST /api/v1/me/meals", "POST /api/v1/me/supplements")
        if logged and body and body.get("_as") != "snack":
            kept[content["id"]] = date.fromisoformat(str(body["date"]))
        if method == "DELETE":
            deleted[int(path.rsplit("/", 1)[1])] = person.day
        person.answered(action, 200, json.dumps(content).encode())
    return kept, deleted


def test_a_person_keeps_a_window_of_days() -> None:
    person = Person(0, connection=None, keep_days=3)  # type: ignore[arg-type]
    kept, deleted = _live(person, 10)
    assert len(kept) == 30  # breakfast, lunch, a supplement a day
    gone = {entry: day for entry, day in deleted.items() if entry in kept}
    # each day logged before the last three is gone, on the day it fell out of the window
    assert {entry for entry, day in kept.items() if (date(2015, 1, 10) - day).days >= 3} == set(
        gone
    )
    assert all((gone[entry] - kept[entry]).days == 3 for entry in gone)


def test_without_a_window_the_diary_only_grows() -> None:
    person = Person(1, connection=None, keep_days=None)  # type: ignore[arg-type]
    kept, deleted = _live(person, 10)
    assert len(kept) == 30
    assert not set(deleted) & set(kept)  # only the day's snack is ever deleted


def test_a_day_has_a_step_for_each_entry_to_forget() -> None:
    # three entries a day fall out of the window, so three chances a day to delete one
    assert sum(step is Person.forget_old_entry for step in DAY_STEPS) == 3

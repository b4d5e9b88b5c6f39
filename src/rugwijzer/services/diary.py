"""The diary's services, built together over one session factory, food database and clock.

Each concern is a service of its own (`rugwijzer.services.profile`, `.entries`, `.summaries`,
`.portability`, `.progress`, `.report`) over the user-filtered queries of
`rugwijzer.store.queries`; a caller takes the one it needs from the `Diary`. The clock
(`today`, `now`) is injectable: the shells ask `diary.today()` for the day instead of reading the
system clock themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.services.aids import AidCatalogue
from rugwijzer.services.entries import EntryService
from rugwijzer.services.planner import GapPlanner
from rugwijzer.services.portability import EXPORT_FORMAT, PortabilityService, export_zip
from rugwijzer.services.profile import ProfileService
from rugwijzer.services.progress import EffectService
from rugwijzer.services.report import ReportService
from rugwijzer.services.summaries import SummaryService

__all__ = ["EXPORT_FORMAT", "Diary", "export_zip", "open_diary"]


@dataclass(frozen=True, slots=True)
class Diary:
    """The diary services of one process, sharing a clock."""

    profiles: ProfileService
    entries: EntryService
    summaries: SummaryService
    portability: PortabilityService
    effects: EffectService
    reports: ReportService
    #: The ergonomic-aids catalogue of this installation (not a user's diary, but the same store).
    aids: AidCatalogue
    #: The gap planner: foods that close the day's magnesium gap.
    planner: GapPlanner
    foods: FoodDatabase
    #: The service's day (injectable, so tests and shells never read the system clock).
    today: Callable[[], date]


def open_diary(
    sessions: sessionmaker[Session],
    foods: FoodDatabase,
    *,
    today: Callable[[], date] = date.today,
    now: Callable[[], datetime] | None = None,
    example_catalogue: bool = True,
) -> Diary:
    """The diary services over `sessions` and `foods`, with one clock. `example_catalogue`:
    show the sample aids catalogue while none is imported (local mode)."""
    effects = EffectService(sessions, today=today, now=now)
    summaries = SummaryService(sessions, today=today, now=now)
    return Diary(
        profiles=ProfileService(sessions, today=today, now=now),
        entries=EntryService(sessions, foods, today=today, now=now),
        summaries=summaries,
        portability=PortabilityService(sessions, today=today, now=now),
        effects=effects,
        reports=ReportService(sessions, effects, today=today, now=now),
        aids=AidCatalogue(sessions, example_when_empty=example_catalogue, today=today, now=now),
        planner=GapPlanner(sessions, foods, summaries, today=today, now=now),
        foods=foods,
        today=today,
    )

"""Liveness and readiness: is this process alive, and can it do its work (the database
answers and its schema is the one this version of Rugwijzer was written for)."""

from __future__ import annotations

import logging
from functools import cache
from typing import Literal

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from rugwijzer import __version__
from rugwijzer.messages import Code, Message
from rugwijzer.services.views import View
from rugwijzer.store.migrate import current_revision, head_revision

__all__ = ["LivenessView", "ReadinessView", "liveness", "readiness"]

_log = logging.getLogger(__name__)


class LivenessView(View):
    """The process answers (it does not look at the database)."""

    status: Literal["ok"] = "ok"
    version: str
    foods: int


class ReadinessView(View):
    """Whether the process can serve requests: the database answers and its schema is current."""

    ready: bool
    version: str
    database_reachable: bool
    #: The schema revision the database is at (None: unknown or empty) and the one needed.
    schema_revision: str | None
    schema_needed: str | None

    def problem(self) -> Message | None:
        """Why the process is not ready (None when it is)."""
        if not self.database_reachable:
            return Message.of(Code.HEALTH_DATABASE_UNREACHABLE)
        if not self.ready:
            return Message.of(
                Code.HEALTH_SCHEMA_NOT_CURRENT,
                current=self.schema_revision or "-",
                head=self.schema_needed or "-",
            )
        return None


@cache
def _newest_revision() -> str | None:
    # Read from the migration scripts on disk: once per process is enough.
    return head_revision()


def liveness(foods: int) -> LivenessView:
    """The process is alive; `foods`: the number of foods it has loaded."""
    return LivenessView(version=__version__, foods=foods)


def readiness(engine: Engine) -> ReadinessView:
    """Ask the database for its schema revision: ready when it answers with the newest one."""
    needed = _newest_revision()
    try:
        current = current_revision(engine)
    except SQLAlchemyError as exc:
        # The driver's own text can name the host, user and database: it stays out of the
        # answer and the log line, which names the kind of error only.
        _log.warning("not ready: the database does not answer (%s)", type(exc).__name__)
        return ReadinessView(
            ready=False,
            version=__version__,
            database_reachable=False,
            schema_revision=None,
            schema_needed=needed,
        )
    return ReadinessView(
        ready=current == needed,
        version=__version__,
        database_reachable=True,
        schema_revision=current,
        schema_needed=needed,
    )

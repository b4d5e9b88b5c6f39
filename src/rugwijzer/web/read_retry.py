"""One more try for a read whose database connection was cut, and a clean 503 otherwise.

When PostgreSQL closes a connection (a restart, a failover, `pg_terminate_backend`), the request
using it fails. A GET or HEAD only reads, so running it again on a fresh connection is safe and
the person never notices. Writes are never run again: the server may have committed the first
attempt before the connection broke, and a second attempt could store a meal twice. A request
that still fails gets 503 with Retry-After (problem+json, or the error page), not a bare 500;
the HTTP connection stays open for the client's next request.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rugwijzer.errors import UnavailableError
from rugwijzer.store.engine import is_disconnect

__all__ = ["IDEMPOTENT_METHODS", "RetryReadsOnDisconnect", "UnavailableResponder"]

_log = logging.getLogger("rugwijzer.database")

#: Methods that only read (RFC 9110 section 9.2.2 lists these as safe and idempotent).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD"})

#: How the app answers an UnavailableError (its RugwijzerError handler, api/problems.py).
UnavailableResponder = Callable[[Request, Any], Response | Awaitable[Response]]


class RetryReadsOnDisconnect:
    """ASGI middleware: a GET or HEAD that fails with a lost database connection before its
    answer has started is run once more; a request that fails that way and is not (or no
    longer) retried is answered by `unavailable`. Everything else passes through untouched."""

    def __init__(self, app: ASGIApp, unavailable: UnavailableResponder) -> None:
        self.app = app
        self.unavailable = unavailable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tries = 2 if scope.get("method") in IDEMPOTENT_METHODS else 1
        received: list[Message] = []
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        # The routes add their own entries to the scope: each try starts from a copy of what
        # came in, and reads again the request messages the first try read.
        for attempt in range(1, tries + 1):
            replay = list(received)

            async def receive_once_more(replay: list[Message] = replay) -> Message:
                if replay:
                    return replay.pop(0)
                message = await receive()
                received.append(message)
                return message

            attempt_scope = _copy_scope(scope)
            try:
                await self.app(attempt_scope, receive_once_more, watching_send)
                return
            except Exception as error:
                if started or not is_disconnect(error):
                    raise
                # no path or query in the log: they can name a person's diary day
                _log.warning(
                    "a %s lost its database connection (try %d of %d)",
                    scope.get("method"),
                    attempt,
                    tries,
                )
            finally:
                # The middleware outside (request telemetry) names the request by the route
                # the router found: hand it back from the try's own scope.
                for key in _ROUTING_KEYS:
                    if key in attempt_scope:
                        scope[key] = attempt_scope[key]
        answer = self.unavailable(Request(scope), UnavailableError())
        response = await answer if inspect.isawaitable(answer) else answer
        await response(scope, receive, send)


#: What the router adds to a request's scope that middleware outside this one reads.
_ROUTING_KEYS = ("route", "endpoint", "path_params")


def _copy_scope(scope: Scope) -> Scope:
    copied = dict(scope)
    if isinstance(scope.get("state"), dict):
        copied["state"] = dict(scope["state"])
    return copied

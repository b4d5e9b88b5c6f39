"""One more try for a read whose database connection was cut.

When PostgreSQL closes a connection (a restart, a failover, `pg_terminate_backend`), the request
using it fails. A GET or HEAD only reads, so running it again on a fresh connection is safe and
the person never notices. Writes are never run again: the server may have committed the first
attempt before the connection broke, and a second attempt could store a meal twice.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rugwijzer.store.engine import is_disconnect

__all__ = ["IDEMPOTENT_METHODS", "RetryReadsOnDisconnect"]

_log = logging.getLogger("rugwijzer.database")

#: Methods that only read (RFC 9110 section 9.2.2 lists these as idempotent and safe).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD"})


class RetryReadsOnDisconnect:
    """ASGI middleware: a GET or HEAD that fails with a lost database connection before its
    answer has started is run once more. Anything else passes through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in IDEMPOTENT_METHODS:
            await self.app(scope, receive, send)
            return
        received: list[Message] = []
        started = False

        async def recording_receive() -> Message:
            message = await receive()
            received.append(message)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        # The routes add their own entries to the scope; the second try starts from a copy
        # of what came in.
        original = _copy_scope(scope)
        try:
            await self.app(scope, recording_receive, watching_send)
            return
        except Exception as error:
            if started or not is_disconnect(error):
                raise
        # no path or query in the log line: they can name a person's diary day
        _log.warning("a %s lost its database connection; trying it once more", scope["method"])
        replay = list(received)

        async def replaying_receive() -> Message:
            if replay:
                return replay.pop(0)
            return await receive()

        await self.app(original, replaying_receive, send)


def _copy_scope(scope: Scope) -> Scope:
    copied = dict(scope)
    if isinstance(scope.get("state"), dict):
        copied["state"] = dict(scope["state"])
    return copied

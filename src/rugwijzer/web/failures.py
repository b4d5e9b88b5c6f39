"""The answer to an error that nobody expected: a bug, an exception no handler takes.

Starlette's own last resort (`ServerErrorMiddleware`) sits outside every middleware of ours: its
plain-text 500 would carry no request id and no security headers, and uvicorn would log the
error a second time. `AnswerUnexpectedErrors` sits inside the request telemetry and the security
headers, so its answer passes both:

* 500 problem+json with the code `general.internal_error` and the request id (the API, and
  clients that do not ask for a page), or the error page (a browser asking for a page);
* one log line (`rugwijzer.unhandled`, level error) with the request id and the exception's type
  and stack, never its message: that can quote what a person wrote (`exception_summary`).

An error after the answer has started cannot be answered any more: it goes on to the server,
which logs it (with the request id: `REQUEST_ID` is still set) and closes the connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rugwijzer.observability.logs import REQUEST_ID

__all__ = ["UNHANDLED_LOGGER", "AnswerUnexpectedErrors", "InternalErrorResponder"]

#: The logger of the one line written per unexpected error.
UNHANDLED_LOGGER = "rugwijzer.unhandled"

#: Builds the answer to an unexpected error: (request, request id) → response.
InternalErrorResponder = Callable[[Request, str], Response]

_log = logging.getLogger(UNHANDLED_LOGGER)


class AnswerUnexpectedErrors:
    """ASGI middleware: an exception that escapes the app before its answer started is logged
    once and answered by `respond`; it does not reach the server."""

    def __init__(self, app: ASGIApp, respond: InternalErrorResponder) -> None:
        self.app = app
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception as error:
            if started:
                raise
            request_id = REQUEST_ID.get() or "-"
            _log.error(
                "unhandled %s while answering a %s",
                type(error).__name__,
                scope.get("method"),
                exc_info=error,
                extra={"request_id": request_id},
            )
            response = self.respond(Request(scope), request_id)
            await response(scope, receive, send)

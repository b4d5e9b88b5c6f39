"""Request telemetry, the outermost middleware: a request id, the request metrics and one log
line per request.

* The request id: a client's (or the reverse proxy's) `X-Request-ID` when it is a plain token of
  at most 128 letters, digits and `._:-`, otherwise a new random one; it is sent back in the
  answer's `X-Request-ID` and carried by every log line written while the request is answered.
* Metrics and the log line name the route by its template (`/api/v1/meals/{meal_id}`), never
  the path or query the client sent: those can hold ids, search words and, for the aids widget,
  answers about someone's health. A request that no route took is "unmatched".
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import fastapi.routing
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rugwijzer.observability.logs import REQUEST_ID, REQUEST_LOGGER
from rugwijzer.observability.metrics import REQUEST_SECONDS, REQUESTS

__all__ = ["REQUEST_ID_HEADER", "UNMATCHED", "RequestTelemetry", "request_id_from"]

REQUEST_ID_HEADER = "x-request-id"
#: The route label of a request that no route took (unknown path, refused by a guard).
UNMATCHED = "unmatched"

_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_log = logging.getLogger(REQUEST_LOGGER)


def request_id_from(headers: Headers) -> str:
    """The client's X-Request-ID when it is a plain token; otherwise a new one."""
    given = headers.get(REQUEST_ID_HEADER, "")
    return given if _ACCEPTED_ID.match(given) else uuid.uuid4().hex


def _route_contexts(routes: Iterable[Any]) -> Iterator[Any]:
    # FastAPI 0.12x+ keeps included routers as such and lists their routes with
    # iter_route_contexts (each with its full path); older versions list them flat.
    iterate = getattr(fastapi.routing, "iter_route_contexts", None)
    return iter(iterate(list(routes))) if iterate is not None else iter(routes)


class RequestTelemetry:
    """ASGI middleware: request id, request count and latency by route template, a JSON log
    line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # id(route object) → its full path template; built at the first request, when every
        # route is in place.
        self._templates: dict[int, str] | None = None

    def _template(self, scope: Scope, root_path: str) -> str:
        route = scope.get("route")
        if route is None:
            # A mounted app (the static files) extends root_path by its own prefix.
            mounted = str(scope.get("root_path", ""))[len(root_path) :]
            return f"{mounted}/{{path}}" if mounted else UNMATCHED
        if self._templates is None:
            app = scope.get("app")
            routes = getattr(app, "routes", ())
            self._templates = {
                id(getattr(context, "original_route", context)): str(context.path_format)
                for context in _route_contexts(routes)
                if getattr(context, "path_format", None)
            }
        template = self._templates.get(id(route)) or getattr(route, "path_format", None)
        return str(template) if template else UNMATCHED

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Headers(scope=scope))
        # Not reset afterwards: uvicorn logs an unhandled error after the app has returned, in
        # the same task, and that line should carry the id too. Each request is its own task.
        REQUEST_ID.set(request_id)
        root_path = str(scope.get("root_path", ""))
        status = 500  # unless a response starts
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = list(message.get("headers", ()))
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            method = str(scope["method"])
            route = self._template(scope, root_path)
            REQUESTS.labels(method, route, str(status)).inc()
            REQUEST_SECONDS.labels(method, route).observe(seconds)
            _log.info(
                "%s %s %d",
                method,
                route,
                status,
                extra={
                    "request_id": request_id,
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )

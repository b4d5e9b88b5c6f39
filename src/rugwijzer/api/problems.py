"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from rugwijzer.errors import (
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    RateLimitedError,
    RugwijzerError,
)

__all__ = ["ErrorPage", "install_problem_handlers", "problem_response"]

PROBLEM_JSON = "application/problem+json"


def problem_response(
    status: int, title: str, detail: str, *, instance: str | None = None, **extra: Any
) -> JSONResponse:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


#: Renders an error as a web page: (request, status, detail) → response.
ErrorPage = Callable[[Request, int, str], Response]


def _wants_page(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path == "/healthz":
        return False
    return "text/html" in request.headers.get("accept", "")


def install_problem_handlers(app: FastAPI, *, error_page: ErrorPage | None = None) -> None:
    """Make every error answer with problem+json; browsers asking for a page outside the API
    get `error_page` instead (same status and headers)."""

    def respond(
        request: Request,
        status: int,
        title: str,
        detail: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> Response:
        response: Response
        if error_page is not None and _wants_page(request):
            response = error_page(request, status, detail)
        else:
            response = problem_response(status, title, detail, instance=request.url.path, **extra)
        response.headers.update(headers or {})
        return response

    @app.exception_handler(RugwijzerError)
    async def _rugwijzer_error(request: Request, exc: RugwijzerError) -> Response:
        if isinstance(exc, RateLimitedError):
            retry = {"retry-after": str(exc.retry_after_seconds)}
            return respond(request, 429, "Too many attempts", str(exc), retry)
        if isinstance(exc, AuthenticationError):
            challenge = {"www-authenticate": "Bearer"}
            return respond(request, 401, "Not authenticated", str(exc), challenge)
        if isinstance(exc, NotFoundError):
            return respond(request, 404, "Not found", str(exc))
        if isinstance(exc, InvalidInputError):
            return respond(request, 422, "Invalid input", str(exc))
        return respond(request, 500, "Data error", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "loc": [
                    part if isinstance(part, int) else str(part) for part in error.get("loc", ())
                ],
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
            for error in exc.errors()
        ]
        return respond(
            request, 422, "Invalid input", "the request has invalid fields", errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return respond(request, exc.status_code, str(exc.detail), str(exc.detail))

"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from rugwijzer.errors import (
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    RateLimitedError,
    RugwijzerError,
)

__all__ = ["install_problem_handlers", "problem_response"]

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


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error answer with problem+json."""

    @app.exception_handler(RugwijzerError)
    async def _rugwijzer_error(request: Request, exc: RugwijzerError) -> JSONResponse:
        if isinstance(exc, RateLimitedError):
            response = problem_response(
                429, "Too many attempts", str(exc), instance=request.url.path
            )
            response.headers["retry-after"] = str(exc.retry_after_seconds)
            return response
        if isinstance(exc, AuthenticationError):
            response = problem_response(
                401, "Not authenticated", str(exc), instance=request.url.path
            )
            response.headers["www-authenticate"] = "Bearer"
            return response
        if isinstance(exc, NotFoundError):
            return problem_response(404, "Not found", str(exc), instance=request.url.path)
        if isinstance(exc, InvalidInputError):
            return problem_response(422, "Invalid input", str(exc), instance=request.url.path)
        return problem_response(500, "Data error", str(exc), instance=request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
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
        return problem_response(
            422,
            "Invalid input",
            "the request has invalid fields",
            instance=request.url.path,
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(
            exc.status_code, str(exc.detail), str(exc.detail), instance=request.url.path
        )

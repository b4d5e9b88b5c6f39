"""RFC 9457 problem details for every error the API returns.

Each problem carries the error's message three ways: `detail`, written in English or, when the
request's `Accept-Language` prefers Dutch, in Dutch; `code`, the message code (stable: compare
this, never the text); and `params`, the message's parameters as JSON."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from rugwijzer.errors import (
    AuthenticationError,
    InvalidInputError,
    InvalidRowsError,
    NotFoundError,
    RateLimitedError,
    RugwijzerError,
    UnavailableError,
)
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message

__all__ = [
    "ErrorPage",
    "install_problem_handlers",
    "internal_error_response",
    "problem_language",
    "problem_response",
    "refusal_response",
]

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


#: Renders an error as a web page: (request, status, the error's message or None) → response.
ErrorPage = Callable[[Request, int, Message | None], Response]


def problem_language(request: Request) -> str:
    """The language of a problem's `detail`: Dutch ("nl") when the request's Accept-Language
    prefers it to English, else English ("en"), whatever the web pages' default is."""
    best, best_q = "en", 0.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, weight = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("nl", "en"):
            continue
        try:
            q = float(weight.strip()[2:]) if weight.strip().startswith("q=") else 1.0
        except ValueError:
            q = 0.0
        if q > best_q:
            best, best_q = primary, q
    return best


def _wants_page(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path == "/healthz":
        return False
    return "text/html" in request.headers.get("accept", "")


def _respond(
    request: Request,
    status: int,
    title: str,
    message: Message,
    headers: dict[str, str] | None = None,
    *,
    error_page: ErrorPage | None,
    page_message: bool = True,
    **extra: Any,
) -> Response:
    """`message` as problem+json, or as `error_page` for a browser asking for a page outside
    the API (with the message only if `page_message`)."""
    response: Response
    if error_page is not None and _wants_page(request):
        response = error_page(request, status, message if page_message else None)
    else:
        response = problem_response(
            status,
            title,
            render_message(message, problem_language(request)),
            instance=request.url.path,
            code=message.code.value,
            params=message.to_json()["params"],
            **extra,
        )
    response.headers.update(headers or {})
    return response


def internal_error_response(
    request: Request, request_id: str, *, error_page: ErrorPage | None = None
) -> Response:
    """The answer to an error nobody expected (a bug): 500 with INTERNAL_ERROR and the request
    id, so that a person can quote it and the operator find the log line. Nothing of the
    error itself: its text can hold what someone wrote, and its stack is for the log."""
    message = Message.of(Code.INTERNAL_ERROR, request_id=request_id)
    return _respond(request, 500, "Internal server error", message, error_page=error_page)


def refusal_response(request: Request, status: int, title: str, code: Code) -> Response:
    """The answer of a request guard (web/guards.py) that refused a request before the app saw
    it: problem+json in the reader's language, with the message code."""
    return _respond(request, status, title, Message.of(code), error_page=None)


def install_problem_handlers(app: FastAPI, *, error_page: ErrorPage | None = None) -> None:
    """Make every error answer with problem+json; browsers asking for a page outside the API
    get `error_page` instead (same status and headers). (Errors that no handler takes are
    answered by `rugwijzer.web.failures.AnswerUnexpectedErrors` with
    `internal_error_response`.)"""

    respond = partial(_respond, error_page=error_page)

    @app.exception_handler(RugwijzerError)
    async def _rugwijzer_error(request: Request, exc: RugwijzerError) -> Response:
        message = exc.message
        if isinstance(exc, RateLimitedError):
            retry = {"retry-after": str(exc.retry_after_seconds)}
            return respond(request, 429, "Too many requests", message, retry)
        if isinstance(exc, UnavailableError):
            retry = {"retry-after": str(exc.retry_after_seconds)}
            return respond(request, 503, "Service unavailable", message, retry)
        if isinstance(exc, AuthenticationError):
            challenge = {"www-authenticate": "Bearer"}
            return respond(request, 401, "Not authenticated", message, challenge)
        if isinstance(exc, NotFoundError):
            return respond(request, 404, "Not found", message)
        if isinstance(exc, InvalidRowsError):  # a file refused as a whole: every problem
            lang = problem_language(request)
            errors = [
                {
                    "line": problem.params.get("line"),
                    "code": problem.code.value,
                    "params": problem.to_json()["params"],
                    "detail": render_message(problem, lang),
                }
                for problem in exc.problems
            ]
            return respond(request, 422, "Invalid input", message, errors=errors)
        if isinstance(exc, InvalidInputError):
            return respond(request, 422, "Invalid input", message)
        return respond(request, 500, "Data error", message)

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
        invalid = Message.of(Code.FORM_INVALID_FIELDS)
        return respond(request, 422, "Invalid input", invalid, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # Starlette's own refusals (no such route, wrong method): the page explains the status.
        message = (
            Message.of(Code.ACCOUNT_NOT_FOUND)
            if exc.status_code == 404
            else Message.of(Code.FORM_REQUEST_REFUSED, status=exc.status_code)
        )
        return respond(request, exc.status_code, str(exc.detail), message, page_message=False)

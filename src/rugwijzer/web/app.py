"""The ASGI application: web pages, the API under /api/v1, /healthz, /readyz and /metrics."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from anyio import to_thread
from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError

from rugwijzer import __version__
from rugwijzer.api import admin as admin_api
from rugwijzer.api import aids as aids_api
from rugwijzer.api import auth as auth_api
from rugwijzer.api import diary as diary_api
from rugwijzer.api import foods as foods_api
from rugwijzer.api import health as health_api
from rugwijzer.api import planner as planner_api
from rugwijzer.api import report as report_api
from rugwijzer.api import tools as tools_api
from rugwijzer.api.problems import (
    install_problem_handlers,
    internal_error_response,
    refusal_response,
)
from rugwijzer.errors import RugwijzerError
from rugwijzer.observability.memory import trim_now_and_then
from rugwijzer.observability.metrics import (
    instrument_pool,
    pool_closed,
    pool_opened,
    worker_stopped,
)
from rugwijzer.services.accounts import AccountService
from rugwijzer.services.app import configured_food_database, require_current_schema
from rugwijzer.services.diary import open_diary
from rugwijzer.settings import Settings, get_settings
from rugwijzer.store.engine import make_engine, make_session_factory
from rugwijzer.web import account_pages, aids_pages, embed, pages, planner_pages, report_pages
from rugwijzer.web.failures import AnswerUnexpectedErrors
from rugwijzer.web.guards import RequestGuard, SecurityHeaders
from rugwijzer.web.observe import RequestTelemetry
from rugwijzer.web.read_retry import RetryReadsOnDisconnect
from rugwijzer.web.rendering import LoginRequired, error_page, redirect_to_login

__all__ = ["create_app"]

_HERE = Path(__file__).parent
_log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application (used by `rugwijzer serve` and the tests). The database must be
    at the newest schema (`rugwijzer db upgrade`); in server mode a database that does not
    answer at start is no reason to fail: /readyz answers 503 until it does."""
    settings = settings or get_settings()
    engine = make_engine(settings.effective_database_url, settings.pool_options)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # The thread pool that runs the routes (and their database work): a few threads and a
        # first-come-first-served line, instead of dozens of threads taking turns at Python.
        to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        # Everything built at start (food data, content, templates, the route tables) stays
        # for the life of the process: out of the garbage collector's sight, so that a full
        # collection while serving walks only what requests made, not all of that again.
        gc.collect()
        gc.freeze()
        pool_opened(engine)
        trimming = asyncio.create_task(trim_now_and_then(), name="trim freed memory")
        yield
        trimming.cancel()
        with suppress(asyncio.CancelledError):
            await trimming
        pool_closed(engine)
        worker_stopped()
        engine.dispose()  # close pooled connections when the process stops

    app = FastAPI(
        title="Rugwijzer",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        # No Swagger UI page: it loads its script and styles from a CDN, and Rugwijzer works
        # offline. The OpenAPI document above describes the API for any local tool.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    install_problem_handlers(app, error_page=error_page)
    try:
        require_current_schema(engine)
    except SQLAlchemyError as exc:
        if settings.mode != "server":
            engine.dispose()
            raise
        # A hosted worker starts while the database is away (a restart, a failover) and says
        # so on /readyz until the database answers with the newest schema.
        _log.warning("the database does not answer at start (%s): not ready", type(exc).__name__)
    except Exception:
        engine.dispose()
        raise
    instrument_pool(engine)
    app.state.engine = engine
    app.state.metrics_token = settings.metrics_token
    sessions = make_session_factory(engine)
    foods = configured_food_database(settings)
    app.state.diary = open_diary(sessions, foods, example_catalogue=settings.mode == "local")
    app.state.secure_cookies = settings.mode == "server"
    if settings.mode == "server":
        app.state.accounts = AccountService(
            sessions,
            secret_key=settings.secret_key or "",
            session_days=settings.session_days,
            attempts_per_window=settings.login_attempts_per_window,
            window_minutes=settings.login_window_minutes,
            registrations_per_window=settings.registrations_per_window,
            registration_window_minutes=settings.registration_window_minutes,
            api_requests_per_minute=settings.api_requests_per_minute,
        )
        app.state.local_user_id = None
    else:
        app.state.accounts = None
        app.state.local_user_id = app.state.diary.profiles.ensure_local_user()
    # Added first, so it sits innermost, right around the routes: a read whose database
    # connection was cut runs once more without passing the guards again.
    app.add_middleware(RetryReadsOnDisconnect, unavailable=app.exception_handlers[RugwijzerError])
    if settings.cors_origins:  # closed unless an operator opens it
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["authorization", "content-type"],
        )
    # Added last, so it runs first: refused requests never reach CORS or the routes.
    app.add_middleware(
        RequestGuard,
        loopback_only=settings.mode == "local",
        refuse=refusal_response,
        trusted_origins=settings.cors_origins,
    )
    # A bug's exception is answered here, inside the two below, so that its 500 (problem+json
    # or the error page) carries the request id and the security headers like any answer.
    app.add_middleware(
        AnswerUnexpectedErrors,
        respond=lambda request, request_id: internal_error_response(
            request, request_id, error_page=error_page
        ),
    )
    # It only adds headers, to every response (refusals too). No inline script, and nothing
    # may be framed by another site unless it sets its own policy (the aids widget).
    app.add_middleware(SecurityHeaders)
    # Outermost of all: every request gets an id, is counted and timed, and logged once,
    # refusals by the guards included.
    app.add_middleware(RequestTelemetry)
    api = APIRouter(prefix="/api/v1")
    # The diary first: FastAPI tries the routes in order, and a person's diary requests are
    # most of the traffic. No diary path can take another router's (none starts /me/{…}).
    api.include_router(diary_api.router)
    api.include_router(foods_api.router)
    api.include_router(tools_api.router)
    api.include_router(auth_api.router)
    api.include_router(report_api.router)
    api.include_router(aids_api.router)
    api.include_router(admin_api.router)
    api.include_router(planner_api.router)
    app.include_router(api)
    app.include_router(pages.router)
    app.include_router(account_pages.router)
    app.include_router(report_pages.router)
    app.include_router(aids_pages.router)
    app.include_router(planner_pages.router)
    app.include_router(embed.router)
    app.include_router(health_api.router)
    app.state.embed = embed.embed_config(settings)
    embed.install_access_log_filter()
    app.add_exception_handler(LoginRequired, redirect_to_login)
    app.state.default_language = settings.default_language
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")
    return app

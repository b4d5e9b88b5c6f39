"""The ASGI application: web pages, the API under /api/v1 and /healthz."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from rugwijzer import __version__
from rugwijzer.api import auth as auth_api
from rugwijzer.api import diary as diary_api
from rugwijzer.api import foods as foods_api
from rugwijzer.api import tools as tools_api
from rugwijzer.api.problems import install_problem_handlers
from rugwijzer.errors import QueryError
from rugwijzer.fooddb.database import default_food_database
from rugwijzer.services.accounts import AccountService
from rugwijzer.services.app import configured_food_database, require_current_schema
from rugwijzer.services.diary import DiaryService
from rugwijzer.services.foods import search_rows
from rugwijzer.settings import Settings, get_settings
from rugwijzer.store.engine import make_engine, make_session_factory

__all__ = ["create_app"]

_HERE = Path(__file__).parent
_TEXT = {
    "nl": {
        "tagline": "Magnesium, stress en rugpijn: eerlijk, meetbaar en offline.",
        "search_label": "Zoek een voedingsmiddel",
        "search_button": "Zoeken",
        "placeholder": "bijv. amandelen, volkorenbrood, pindakaas",
        "mg": "magnesium (mg per 100 g)",
        "none": "Niets gevonden voor",
        "no_value": "geen waarde",
        "switch": "English",
        "foods": "voedingsmiddelen",
        "source": "Bron: USDA SR24 (publiek domein); Nederlandse namen van Rugwijzer.",
        "disclaimer": (
            "Rugwijzer stelt geen diagnose. Bij ernstige of aanhoudende klachten: "
            "neem contact op met je huisarts."
        ),
    },
    "en": {
        "tagline": "Magnesium, stress and back pain: honest, measurable and offline.",
        "search_label": "Search a food",
        "search_button": "Search",
        "placeholder": "e.g. almonds, whole wheat bread, peanut butter",
        "mg": "magnesium (mg per 100 g)",
        "none": "Nothing found for",
        "no_value": "no value",
        "switch": "Nederlands",
        "foods": "foods",
        "source": "Source: USDA SR24 (public domain); Dutch names by Rugwijzer.",
        "disclaimer": (
            "Rugwijzer never diagnoses. For severe or lasting complaints, contact your GP."
        ),
    },
}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application (used by `rugwijzer serve` and the tests). The database must be
    at the newest schema (`rugwijzer db upgrade`)."""
    settings = settings or get_settings()
    engine = make_engine(settings.effective_database_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()  # close pooled connections when the process stops

    app = FastAPI(
        title="Rugwijzer",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    try:
        require_current_schema(engine)
    except Exception:
        engine.dispose()
        raise
    sessions = make_session_factory(engine)
    foods = configured_food_database(settings)
    app.state.diary = DiaryService(sessions, foods)
    app.state.secure_cookies = settings.mode == "server"
    if settings.mode == "server":
        app.state.accounts = AccountService(
            sessions,
            secret_key=settings.secret_key or "",
            session_days=settings.session_days,
            attempts_per_window=settings.login_attempts_per_window,
            window_minutes=settings.login_window_minutes,
        )
        app.state.local_user_id = None
    else:
        app.state.accounts = None
        app.state.local_user_id = app.state.diary.ensure_local_user()
    if settings.cors_origins:  # closed unless an operator opens it
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["authorization", "content-type"],
        )
    api = APIRouter(prefix="/api/v1")
    api.include_router(foods_api.router)
    api.include_router(tools_api.router)
    api.include_router(auth_api.router)
    api.include_router(diary_api.router)
    app.include_router(api)
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")
    templates = Jinja2Templates(directory=_HERE / "templates")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "foods": len(default_food_database())}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def landing(request: Request, q: str = "", lang: str = "nl") -> HTMLResponse:
        language = lang if lang in _TEXT else "nl"
        rows: list[dict[str, Any]] = []
        error = None
        if q.strip():
            try:
                rows = search_rows(default_food_database(), q, lang=language, limit=10)
            except QueryError as exc:
                error = str(exc)
        return templates.TemplateResponse(
            request,
            "landing.html",
            {
                "t": _TEXT[language],
                "lang": language,
                "other_lang": "en" if language == "nl" else "nl",
                "q": q,
                "rows": rows,
                "error": error,
                "food_count": len(default_food_database()),
                "version": __version__,
            },
        )

    return app

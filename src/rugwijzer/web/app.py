"""The ASGI application: web pages, the API under /api/v1 and /healthz."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from rugwijzer import __version__
from rugwijzer.api import foods as foods_api
from rugwijzer.api.problems import install_problem_handlers
from rugwijzer.errors import QueryError
from rugwijzer.fooddb.database import default_food_database
from rugwijzer.services.foods import search_rows

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


def create_app() -> FastAPI:
    """Build the application (used by `rugwijzer serve` and the tests)."""
    app = FastAPI(
        title="Rugwijzer",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    install_problem_handlers(app)
    api = APIRouter(prefix="/api/v1")
    api.include_router(foods_api.router)
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

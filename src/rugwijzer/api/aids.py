"""Ergonomic aids: the catalogue and the advice for everyone (also cross-origin, for the shops in
`RUGWIJZER_CORS_ORIGINS`), and the catalogue's administration for admins in server mode."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from rugwijzer.api.deps import Diary, Identity, _identity
from rugwijzer.domain.aids import MAX_PAIN_WEEKS, parse_aid_answers
from rugwijzer.errors import InvalidInputError, NotFoundError
from rugwijzer.messages import Code
from rugwijzer.services.aids import (
    AidAdviceView,
    AidProductView,
    CatalogueImportView,
    product_view,
)

__all__ = ["MAX_CATALOGUE_BYTES", "router"]

router = APIRouter(tags=["aids"])
Lang = Annotated[Literal["nl", "en"], Query(description="The language of the texts.")]
#: The largest catalogue file accepted: ample for thousands of products (a 1,000-row file is
#: about 150 kB), small enough that nobody fills the server's memory with one request.
MAX_CATALOGUE_BYTES = 5 * 1024 * 1024

_ANSWERS_EXAMPLE = {
    "pain_weeks": 3,
    "sitting_hours_per_day": 8,
    "work": "desk",
    "goal": "relief",
    "triage": {"age": 45, "fever": False},
}


def _admin(request: Request) -> Identity:
    """The calling admin. In local mode there is no catalogue administration over HTTP (404;
    `rugwijzer aids import` does it), and in server mode other roles get 404, as a
    practitioner's routes answer everyone else."""
    if request.app.state.accounts is None:
        raise NotFoundError(Code.ACCOUNT_SERVER_MODE_ONLY)
    who = _identity(request)
    if who.role != "admin":
        raise NotFoundError(Code.ACCOUNT_NOT_FOUND)
    return who


Admin = Annotated[Identity, Depends(_admin)]


@router.get("/aids/products", response_model=list[AidProductView])
def products(diary: Diary, lang: Lang = "nl") -> list[AidProductView]:
    """The catalogue of this installation, by category and price. In local mode the sample
    catalogue (each product `example: true`) shows until a catalogue is imported."""
    return [product_view(product, lang) for product in diary.aids.products()]


@router.post("/aids/advice", response_model=AidAdviceView)
def advice(
    diary: Diary,
    answers: Annotated[
        dict[str, Any],
        Body(
            description="`pain_weeks` (0-5200), `sitting_hours_per_day` (0-24), `work` (desk, "
            "manual, standing, other), `goal` (relief, prevention), and optionally `triage` "
            "with the triage's answers (as POST /triage takes them). Unknown keys and values "
            "out of range are refused (422).",
            examples=[_ANSWERS_EXAMPLE],
        ),
    ],
    lang: Lang = "nl",
) -> AidAdviceView:
    """Which aids are worth it, graded by the evidence: `red_flag` (a warning sign in the
    triage answers: then every item is `see_professional` or `not_recommended` and nothing is
    suggested), what the evidence favours most (`favoured`), and per category the
    recommendation, the reason from the answers, grade, sources and the catalogue's products
    (only where the evidence does not advise against them). Never a diagnosis."""
    return diary.aids.advice(parse_aid_answers(answers), lang)


@router.get("/aids/advice", response_model=AidAdviceView)
def advice_from_query(
    diary: Diary,
    pain_weeks: Annotated[
        float, Query(description=f"How long the pain has lasted, in weeks (0-{MAX_PAIN_WEEKS:g}).")
    ],
    sitting_hours_per_day: Annotated[float, Query(description="Hours of sitting a day (0-24).")],
    work: Annotated[str, Query(description="desk, manual, standing or other.")],
    goal: Annotated[str, Query(description="relief or prevention.")],
    lang: Lang = "nl",
) -> AidAdviceView:
    """The same advice from query parameters (without triage answers), for a shop's page that
    asks from another origin: allowed only for the origins in `RUGWIJZER_CORS_ORIGINS`."""
    answers = {
        "pain_weeks": pain_weeks,
        "sitting_hours_per_day": sitting_hours_per_day,
        "work": work,
        "goal": goal,
    }
    return diary.aids.advice(parse_aid_answers(answers), lang)


# --- administration (server mode, admins) -------------------------------------------------------


@router.get("/admin/aids/products", response_model=list[AidProductView])
def admin_products(_: Admin, diary: Diary, lang: Lang = "nl") -> list[AidProductView]:
    """(Admins) the catalogue as it is stored (never the sample catalogue)."""
    return [product_view(p, lang) for p in diary.aids.products() if not p.example]


async def _catalogue_text(request: Request) -> str:
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > MAX_CATALOGUE_BYTES:
            raise InvalidInputError(
                Code.AIDS_IMPORT_TOO_LARGE, megabytes=MAX_CATALOGUE_BYTES // (1024 * 1024)
            )
    try:
        return bytes(received).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(Code.AIDS_IMPORT_NOT_TEXT) from exc


_CSV_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The catalogue as CSV (UTF-8): a header with sku, name_nl, name_en, "
        "category, price_eur, url, description; ',' or ';' between fields.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


@router.put("/admin/aids/products", response_model=CatalogueImportView, openapi_extra=_CSV_BODY)
async def import_products(
    _: Admin,
    diary: Diary,
    request: Request,
    replace: Annotated[
        bool, Query(description="Remove the products that are not in the file.")
    ] = False,
) -> CatalogueImportView:
    """(Admins) import a catalogue, all or nothing: products are matched on SKU. A file with
    any problem changes nothing; the 422 problem lists every problem with its line in
    `errors` ({line, code, params, detail})."""
    text = await _catalogue_text(request)
    # the parse and the transaction are blocking work: not on the event loop
    return await run_in_threadpool(diary.aids.import_csv, text, replace=replace)


@router.delete("/admin/aids/products/{sku}", status_code=204)
def delete_product(sku: str, _: Admin, diary: Diary) -> Response:
    """(Admins) remove one product; an unknown SKU is 404."""
    diary.aids.delete(sku)
    return Response(status_code=204)

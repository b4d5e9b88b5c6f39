"""The report as a PDF: /api/v1/me/report.pdf, and a client's for a practitioner with a grant."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from rugwijzer.api.auth import _practitioner
from rugwijzer.api.deps import Accounts, CurrentUser, Diary, EntryId
from rugwijzer.web.report import report_pdf

__all__ = ["router"]

router = APIRouter(tags=["report"])

From = Annotated[date, Query(alias="from", description="The first day of the period.")]
To = Annotated[date, Query(alias="to", description="The last day (at most two years later).")]
Lang = Annotated[
    Literal["nl", "en"] | None,
    Query(description="The report's language (default: the profile's, else Dutch)."),
]
#: The answer as OpenAPI describes it: a PDF file.
PDF_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report: a PDF of one to six A4 pages.",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def pdf_response(pdf: bytes, filename: str) -> Response:
    """A PDF download, never cached (it holds health data)."""
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "content-disposition": f'attachment; filename="{filename}"',
            "cache-control": "no-store",
        },
    )


@router.get("/me/report.pdf", response_class=Response, responses=PDF_RESPONSE)
def my_report(start: From, end: To, user: CurrentUser, diary: Diary, lang: Lang = None) -> Response:
    """Your report for your GP or physiotherapist over a period of up to two years: profile,
    warning signs, magnesium against the target, supplements against the upper limit, pain and
    stress, each change with its verdict, and sources."""
    view = diary.reports.report(user.user_id, start, end, lang=lang)
    return pdf_response(report_pdf(view), f"rugwijzer-report-{start}-{end}.pdf")


@router.get("/clients/{client_id}/report.pdf", response_class=Response, responses=PDF_RESPONSE)
def client_report(
    client_id: EntryId,
    start: From,
    end: To,
    user: CurrentUser,
    accounts: Accounts,
    diary: Diary,
    lang: Lang = None,
) -> Response:
    """(Practitioners) a client's report, only with their grant; otherwise 404 (the same check
    as the client's export), and recorded in the client's access log."""
    _practitioner(user)
    pdf = accounts.read_client(
        user.user_id,
        client_id,
        "report.pdf",
        lambda: report_pdf(diary.reports.report(client_id, start, end, lang=lang)),
    )
    return pdf_response(pdf, f"rugwijzer-client-{client_id}-{start}-{end}.pdf")

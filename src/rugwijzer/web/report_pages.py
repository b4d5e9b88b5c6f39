"""The report from the pages: Settings has a form that asks for a period and gets /report.pdf;
a practitioner downloads a client's report from Clients while the client's grant lasts."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from rugwijzer.api.deps import EntryId
from rugwijzer.api.report import pdf_response
from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code
from rugwijzer.web.account_pages import _practitioner, settings_page
from rugwijzer.web.i18n import LANGUAGES
from rugwijzer.web.rendering import page_lang, signed_in_diary
from rugwijzer.web.report import report_pdf

__all__ = ["DEFAULT_DAYS", "router"]

router = APIRouter(include_in_schema=False)
#: The period a form offers first, and a practitioner's report covers: the last 90 days.
DEFAULT_DAYS = 90


def _period(start: str, end: str) -> tuple[date, date]:
    try:
        return date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        raise InvalidInputError(Code.REPORT_PERIOD_DATES) from None


@router.get("/report.pdf")
def report(
    request: Request,
    start: str = Query("", alias="from"),
    end: str = Query("", alias="to"),
    lang: str = "",
) -> Response:
    """The signed-in user's report as a PDF; a wrong period shows Settings with the reason."""
    diary, user = signed_in_diary(request)
    language = lang if lang in LANGUAGES else page_lang(request)
    try:
        first, last = _period(start, end)
        view = diary.reports.report(user, first, last, lang=language)
    except InvalidInputError as exc:
        return settings_page(request, 422, error=exc.message)
    return pdf_response(report_pdf(view), f"rugwijzer-report-{first}-{last}.pdf")


@router.get("/clients/{client_id}/report.pdf")
def client_report(request: Request, client_id: EntryId) -> Response:
    """(Practitioners) a client's report of the last 90 days in the page's language, only
    while their grant lasts; the read goes into the client's access log."""
    accounts, who = _practitioner(request)  # the same check as the client's export
    diary = request.app.state.diary
    last = diary.today()
    first = last - timedelta(days=DEFAULT_DAYS - 1)
    lang = page_lang(request)
    pdf = accounts.read_client(
        who.user_id,
        client_id,
        "report.pdf",
        lambda: report_pdf(diary.reports.report(client_id, first, last, lang=lang)),
    )
    return pdf_response(pdf, f"rugwijzer-client-{client_id}-{first}-{last}.pdf")

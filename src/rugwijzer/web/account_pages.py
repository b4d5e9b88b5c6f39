"""Server-mode pages: register, log in and out, change the password, practitioner access.

In local mode these pages do not exist (404): there is one implicit user and no accounts.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rugwijzer.api.deps import EntryId, set_session_cookie
from rugwijzer.domain.references import REFERENCE_SYSTEMS
from rugwijzer.errors import (
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    RateLimitedError,
)
from rugwijzer.i18n import format_day
from rugwijzer.messages import Code, Message
from rugwijzer.services.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, AccountService
from rugwijzer.services.targets import default_reference
from rugwijzer.web.i18n import translations
from rugwijzer.web.rendering import (
    SESSION_COOKIE,
    LoginRequired,
    Viewer,
    page_lang,
    render,
    safe_next,
    signed_in_diary,
    viewer,
)

__all__ = ["router", "settings_page"]

router = APIRouter(include_in_schema=False)


def _accounts(request: Request) -> AccountService:
    accounts: AccountService | None = request.app.state.accounts
    if accounts is None:
        raise NotFoundError(Code.ACCOUNT_SERVER_MODE_ONLY)
    return accounts


def _signed_in(request: Request) -> tuple[AccountService, Viewer]:
    accounts = _accounts(request)
    who = viewer(request)
    if who is None:
        raise LoginRequired
    return accounts, who


def _start_session(request: Request, token: str, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, request, token, _accounts(request).session_days)
    return response


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login")
def login_page(request: Request, next: str = "/", registered: bool = False) -> Response:
    """The login form; after a registration (`registered`) with what happened to it."""
    _accounts(request)
    _ = translations(page_lang(request)).gettext
    if viewer(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    notice = Message.of(Code.REGISTRATION_RECEIVED) if registered else None
    return render(request, "login.html", _("Log in"), next=safe_next(next), email="", notice=notice)


@router.post("/login")
def login(
    request: Request, email: str = Form(""), password: str = Form(""), next: str = Form("/")
) -> Response:
    """Check the credentials; on success a session cookie and on to where the user was going."""
    accounts = _accounts(request)
    _ = translations(page_lang(request)).gettext
    target = safe_next(next)
    try:
        token, _user_id = accounts.login(email, password, client=_client(request))
    except RateLimitedError as exc:
        response = render(
            request, "login.html", _("Log in"), 429, error=exc.message, next=target, email=email
        )
        response.headers["retry-after"] = str(exc.retry_after_seconds)
        return response
    except AuthenticationError as exc:
        return render(
            request, "login.html", _("Log in"), 401, error=exc.message, next=target, email=email
        )
    return _start_session(request, token, target)


@router.get("/register")
def register_page(request: Request) -> HTMLResponse:
    """The registration form."""
    _accounts(request)
    _ = translations(page_lang(request)).gettext
    return render(
        request, "register.html", _("Create an account"), email="", min_length=MIN_PASSWORD_LENGTH
    )


@router.post("/register")
def register(
    request: Request,
    email: str = Form(""),
    password: str = Form(""),
    password_again: str = Form(""),
) -> Response:
    """Create the account, then log in and start with the profile questions. The answer is
    the same whether the address was new or had an account already (the login page, with
    what happened), so the form tells nobody who has an account here."""
    accounts = _accounts(request)
    _ = translations(page_lang(request)).gettext
    status, retry_after = 422, 0
    error = _password_problem(password, password_again)
    if error is None:
        try:
            accounts.request_registration(email, password, client=_client(request))
        except RateLimitedError as exc:
            error, status = exc.message, 429
            retry_after = exc.retry_after_seconds
        except InvalidInputError as exc:
            error = exc.message  # not an email address
        else:
            return RedirectResponse("/login?next=/welcome&registered=true", status_code=303)
    response = render(
        request,
        "register.html",
        _("Create an account"),
        status,
        error=error,
        email=email,
        min_length=MIN_PASSWORD_LENGTH,
    )
    if status == 429:
        response.headers["retry-after"] = str(retry_after)
    return response


def _password_problem(password: str, again: str) -> Message | None:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        return Message.of(
            Code.ACCOUNT_PASSWORD_LENGTH, minimum=MIN_PASSWORD_LENGTH, maximum=MAX_PASSWORD_LENGTH
        )
    if password != again:
        return Message.of(Code.ACCOUNT_PASSWORDS_DIFFER)
    return None


@router.post("/logout")
def logout(request: Request) -> Response:
    """End this browser's session."""
    accounts = _accounts(request)
    who = viewer(request)
    if who is not None and who.token:
        accounts.logout(who.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _access_log(accounts: AccountService, user_id: int, lang: str) -> list[dict[str, Any]]:
    """The access audit as Settings shows it: which practitioner read what, newest first,
    with the moment as the reader writes a date (the time in UTC, as stored)."""
    return [
        {
            "occurred_at": record.occurred_at.isoformat(),
            "when": f"{format_day(record.occurred_at.date(), lang, 'medium')}"
            f" {record.occurred_at:%H:%M} UTC",
            "practitioner_email": record.practitioner_email,
            "resource": record.resource,
        }
        for record in reversed(accounts.audit.access_log(user_id))
    ]


def _settings_context(request: Request) -> dict[str, Any]:
    """What the settings page shows: the language and reference values, and in server mode the
    account and who has access."""
    diary, user = signed_in_diary(request)
    profile = diary.profiles.profile(user)
    today = diary.today()
    context: dict[str, Any] = {
        "has_profile": profile is not None,
        # the report form's first offer: the last 90 days
        "report_start": today - timedelta(days=89),
        "report_end": today,
        "reference": (profile and profile.reference) or default_reference(page_lang(request)),
        "references": list(REFERENCE_SYSTEMS.items()),
    }
    if request.app.state.accounts is not None:
        accounts, who = _signed_in(request)
        context |= {
            "account": accounts.account(who.user_id),
            "grants": accounts.grants(who.user_id),
            "min_length": MIN_PASSWORD_LENGTH,
            "access_log": _access_log(accounts, who.user_id, page_lang(request)),
        }
    return context


def settings_page(request: Request, status_code: int = 200, **extra: Any) -> HTMLResponse:
    """The settings page (with an error or notice in `extra`)."""
    _ = translations(page_lang(request)).gettext
    return render(
        request, "settings.html", _("Settings"), status_code, **extra, **_settings_context(request)
    )


@router.post("/settings/password")
def change_password(
    request: Request,
    current_password: str = Form(""),
    password: str = Form(""),
    password_again: str = Form(""),
) -> Response:
    """Change the password; the user's other sessions end, this one stays."""
    accounts, who = _signed_in(request)
    problem = _password_problem(password, password_again)
    if problem is not None:
        return settings_page(request, 422, error=problem)
    try:
        accounts.change_password(who.user_id, current_password, password, keep_token=who.token)
    except AuthenticationError as exc:
        return settings_page(request, 422, error=exc.message)
    return RedirectResponse("/settings?changed=password", status_code=303)


@router.post("/settings/grants")
def add_grant(request: Request, practitioner_email: str = Form("")) -> Response:
    """Let a practitioner (physiotherapist, GP) see the diary."""
    accounts, who = _signed_in(request)
    try:
        accounts.grant(who.user_id, practitioner_email)
    except (InvalidInputError, NotFoundError):
        # Not an address, or nobody by it: the same answer, so no account is revealed.
        no_one = Message.of(Code.ACCOUNT_NO_PRACTITIONER)
        return settings_page(request, 422, error=no_one)
    return RedirectResponse("/settings#access", status_code=303)


@router.post("/settings/grants/{grant_id}/revoke")
def revoke_grant(request: Request, grant_id: EntryId) -> Response:
    """Withdraw a practitioner's access."""
    accounts, who = _signed_in(request)
    _ = translations(page_lang(request)).gettext
    try:
        accounts.revoke(who.user_id, grant_id)
    except NotFoundError:
        return settings_page(request, 404, error=_("This access was already withdrawn."))
    return RedirectResponse("/settings#access", status_code=303)


def _practitioner(request: Request) -> tuple[AccountService, Viewer]:
    accounts, who = _signed_in(request)
    if who.role != "practitioner":
        raise NotFoundError(Code.ACCOUNT_NOT_FOUND)
    return accounts, who


@router.get("/clients")
def clients(request: Request) -> HTMLResponse:
    """(Practitioners) the people who let you see their diary."""
    accounts, who = _practitioner(request)
    _ = translations(page_lang(request)).gettext
    return render(request, "clients.html", _("Clients"), clients=accounts.clients(who.user_id))


@router.get("/clients/{client_id}/export")
def client_export(request: Request, client_id: EntryId) -> Response:
    """(Practitioners) a client's diary as JSON, only while their grant lasts; the read goes
    into the client's access log."""
    accounts, who = _practitioner(request)
    portability = request.app.state.diary.portability
    document = accounts.read_client(
        who.user_id,
        client_id,
        "export",
        lambda: portability.export(client_id, with_access_log=False),
    )
    return Response(
        document.to_json(),
        media_type="application/json",
        headers={
            "content-disposition": f'attachment; filename="rugwijzer-client-{client_id}.json"'
        },
    )

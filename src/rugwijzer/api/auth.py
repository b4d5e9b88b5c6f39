"""Accounts (server mode): /api/v1/auth/… and /api/v1/me (account), grants, practitioners."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from rugwijzer.api.deps import (
    SESSION_COOKIE,
    Accounts,
    CurrentUser,
    Diary,
    EntryId,
    set_session_cookie,
)
from rugwijzer.api.problems import problem_language
from rugwijzer.api.schemas import Credentials, GrantCreate, PasswordChange
from rugwijzer.errors import NotFoundError
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message
from rugwijzer.services.app import delete_user
from rugwijzer.services.diary_views import ExportDocument
from rugwijzer.services.views import (
    ClientView,
    GrantView,
    LoginAnswer,
    RegistrationAnswer,
    WhoAmI,
)

router = APIRouter(tags=["accounts"])


@router.post("/auth/register", status_code=202)
def register(body: Credentials, request: Request, accounts: Accounts) -> RegistrationAnswer:
    """Create an account. The answer is the same (202) whether the address was new or had an
    account already, so it tells nobody who has one: log in next. 429 when too many
    registrations came from your address or for this email address."""
    client = request.client.host if request.client else "unknown"
    accounts.request_registration(body.email, body.password, client=client)
    received = Message.of(Code.REGISTRATION_RECEIVED)
    return RegistrationAnswer(
        code=received.code.value, detail=render_message(received, problem_language(request))
    )


@router.post("/auth/login")
def login(
    body: Credentials, request: Request, response: Response, accounts: Accounts
) -> LoginAnswer:
    """Log in: a bearer token for API clients and a secure session cookie for browsers."""
    client = request.client.host if request.client else "unknown"
    token, user_id = accounts.login(body.email, body.password, client=client)
    set_session_cookie(response, request, token, accounts.session_days)
    return LoginAnswer(token=token, user_id=user_id)


@router.post("/auth/logout", status_code=204)
def logout(user: CurrentUser, accounts: Accounts) -> Response:
    """End this session."""
    if user.token:
        accounts.logout(user.token)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/auth/password", status_code=204)
def change_password(body: PasswordChange, user: CurrentUser, accounts: Accounts) -> Response:
    """Change your password; your other sessions end."""
    accounts.change_password(
        user.user_id, body.current_password, body.new_password, keep_token=user.token
    )
    return Response(status_code=204)


@router.get("/me")
def me(user: CurrentUser) -> WhoAmI:
    """Who you are."""
    return WhoAmI(user_id=user.user_id, role=user.role)


@router.delete("/me", status_code=204)
def delete_me(user: CurrentUser, diary: Diary, request: Request) -> Response:
    """Delete your account and everything in it."""
    local_user = delete_user(diary, request.app.state.accounts, user.user_id)
    if local_user is not None:
        request.app.state.local_user_id = local_user
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/me/grants")
def list_grants(user: CurrentUser, accounts: Accounts) -> list[GrantView]:
    """Practitioners who may see your diary."""
    return accounts.grants(user.user_id)


@router.post("/me/grants", status_code=201)
def grant(body: GrantCreate, user: CurrentUser, accounts: Accounts) -> GrantView:
    """Let a practitioner see your diary."""
    return accounts.grant(user.user_id, body.practitioner_email)


@router.delete("/me/grants/{grant_id}", status_code=204)
def revoke(grant_id: EntryId, user: CurrentUser, accounts: Accounts) -> Response:
    """Withdraw a practitioner's access."""
    accounts.revoke(user.user_id, grant_id)
    return Response(status_code=204)


def _practitioner(user: Any) -> None:
    if user.role != "practitioner":
        raise NotFoundError(Code.ACCOUNT_NOT_FOUND)


@router.get("/clients")
def clients(user: CurrentUser, accounts: Accounts) -> list[ClientView]:
    """(Practitioners) the users who granted you access."""
    _practitioner(user)
    return accounts.clients(user.user_id)


@router.get("/clients/{client_id}/export")
def client_export(
    client_id: EntryId, user: CurrentUser, accounts: Accounts, diary: Diary
) -> ExportDocument:
    """(Practitioners) a client's diary, only with their grant; otherwise 404. Each read is
    recorded in the client's access log (without the log itself in the answer)."""
    _practitioner(user)
    return accounts.read_client(
        user.user_id,
        client_id,
        "export",
        lambda: diary.portability.export(client_id, with_access_log=False),
    )

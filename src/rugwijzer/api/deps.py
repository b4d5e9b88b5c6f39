"""Dependencies of the API routes: services and the current user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request, Response

from rugwijzer.errors import AuthenticationError, NotFoundError
from rugwijzer.messages import Code
from rugwijzer.services.accounts import AccountService
from rugwijzer.services.diary import Diary as DiaryServices
from rugwijzer.services.entries import EntryService
from rugwijzer.services.portability import PortabilityService
from rugwijzer.services.profile import ProfileService
from rugwijzer.services.summaries import SummaryService

__all__ = [
    "SESSION_COOKIE",
    "Accounts",
    "CurrentUser",
    "Diary",
    "Entries",
    "EntryId",
    "Identity",
    "ItemPosition",
    "Portability",
    "Profiles",
    "Summaries",
    "set_session_cookie",
]

SESSION_COOKIE = "rugwijzer_session"


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is calling: the user id, role, and the session token (server mode)."""

    user_id: int
    role: str
    token: str | None = None


def set_session_cookie(response: Response, request: Request, token: str, days: int) -> None:
    """The browser's session: HttpOnly, SameSite=Lax, and Secure in server mode."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=days * 86400,
        httponly=True,
        secure=request.app.state.secure_cookies,
        samesite="lax",
    )


# The dependencies that only look up a service are `async def`: FastAPI runs a plain `def`
# dependency in the thread pool, and a hop to a thread and back costs more than the lookup.


def _services(request: Request) -> DiaryServices:
    services: DiaryServices = request.app.state.diary
    return services


async def _diary(request: Request) -> DiaryServices:
    return _services(request)


async def _profiles(request: Request) -> ProfileService:
    return _services(request).profiles


async def _entries(request: Request) -> EntryService:
    return _services(request).entries


async def _summaries(request: Request) -> SummaryService:
    return _services(request).summaries


async def _portability(request: Request) -> PortabilityService:
    return _services(request).portability


async def _accounts(request: Request) -> AccountService:
    accounts: AccountService | None = request.app.state.accounts
    if accounts is None:
        raise NotFoundError(Code.ACCOUNT_SERVER_MODE_ONLY)
    return accounts


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(SESSION_COOKIE)


def _identity(request: Request) -> Identity:
    if request.app.state.accounts is None:  # local mode: one implicit user, loopback only
        return Identity(request.app.state.local_user_id, "user")
    token = _token(request)
    if not token:
        raise AuthenticationError(Code.ACCOUNT_NOT_LOGGED_IN)
    # every signed-in API request counts against the user's rate limit (429 over it)
    user_id, role = request.app.state.accounts.authenticate(token, count_api_request=True)
    return Identity(user_id, role, token)


Diary = Annotated[DiaryServices, Depends(_diary)]
Profiles = Annotated[ProfileService, Depends(_profiles)]
Entries = Annotated[EntryService, Depends(_entries)]
Summaries = Annotated[SummaryService, Depends(_summaries)]
Portability = Annotated[PortabilityService, Depends(_portability)]
Accounts = Annotated[AccountService, Depends(_accounts)]
CurrentUser = Annotated[Identity, Depends(_identity)]

# Ids are database keys: positive 32-bit integers (larger ones cannot name a row).
EntryId = Annotated[int, Path(ge=1, le=2**31 - 1)]
# The place of an item in a meal (0 = the first).
ItemPosition = Annotated[int, Path(ge=0, le=1000)]

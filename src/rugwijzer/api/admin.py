"""Administration of the installation's accounts (server mode, admins): the access audit of
logins and role changes at /api/v1/admin/audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from rugwijzer.api.aids import Admin
from rugwijzer.api.deps import Accounts
from rugwijzer.services.audit import MAX_EVENTS, AccountEventView

__all__ = ["router"]

router = APIRouter(tags=["administration"])


@router.get("/admin/audit", response_model=list[AccountEventView])
def account_events(
    _: Admin,
    accounts: Accounts,
    limit: Annotated[int, Query(ge=1, le=MAX_EVENTS, description="At most this many.")] = 100,
    before: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="Only events older than this id.")
    ] = None,
) -> list[AccountEventView]:
    """(Admins) logins, failed logins and role changes, newest first: when, which account
    (a failed login of an unknown address names none), the role change as "old>new" and the
    client address of a login. Never a password or a token. Page on with `before` set to the
    last id of a page. Everyone else gets 404."""
    return accounts.audit.account_events(limit=limit, before_id=before)

"""`rugwijzer accounts`: operators' commands for server mode (create accounts, set roles).

There is no public way to become a practitioner: the operator of a hosted Rugwijzer decides.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from rugwijzer.cli.errors import reported_errors
from rugwijzer.cli.language import voice
from rugwijzer.messages import Param

accounts_app = typer.Typer(help="Accounts (server mode): create, set a role.", no_args_is_help=True)
console = Console(highlight=False)


class Role(StrEnum):
    """What an account may do."""

    user = "user"
    practitioner = "practitioner"
    admin = "admin"


def _account(user_id: int, email: str, role: Role) -> dict[str, Param]:
    """The parameters of a confirmation: the account's id, its email as stored, its role."""
    return {"id": str(user_id), "email": email.strip().lower(), "role": role.value}


@accounts_app.command("create")
def create(
    email: Annotated[str, typer.Argument(help="The account's email address.")],
    role: Annotated[Role, typer.Option(help="user, practitioner or admin.")] = Role.user,
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="RUGWIJZER_NEW_PASSWORD",
            help="Asked for when not given (or set RUGWIJZER_NEW_PASSWORD).",
        ),
    ] = "",
) -> None:
    """Create an account, for example a practitioner's."""
    from rugwijzer.services.app import account_service

    with reported_errors():
        user_id = account_service().register(email, password, role=role.value)
        say = voice()
        console.print(
            say("Account {id} created for {email} ({role})", **_account(user_id, email, role))
        )


@accounts_app.command("set-role")
def set_role(
    email: Annotated[str, typer.Argument(help="The account's email address.")],
    role: Annotated[Role, typer.Argument(help="user, practitioner or admin.")],
) -> None:
    """Give an existing account another role."""
    from rugwijzer.services.app import account_service

    with reported_errors():
        user_id = account_service().set_role(email, role.value)
        say = voice()
        console.print(say("Account {id} ({email}) is now {role}", **_account(user_id, email, role)))

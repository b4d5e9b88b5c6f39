"""`rugwijzer accounts`: operators create accounts and set roles; errors exit non-zero.
`rugwijzer db prune`: what is kept no longer goes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rugwijzer.cli.main import app
from rugwijzer.services.accounts import AccountService
from rugwijzer.services.app import reset
from rugwijzer.store import audit
from rugwijzer.store.engine import transaction
from rugwijzer.store.models import AuditEvent, LoginAttempt
from tests.factories import TEST_SECRET

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("cli_environment")


@pytest.fixture
def accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("RUGWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RUGWIJZER_SECRET_KEY", TEST_SECRET)
    monkeypatch.delenv("RUGWIJZER_DATABASE_URL", raising=False)
    monkeypatch.delenv("RUGWIJZER_NEW_PASSWORD", raising=False)
    reset()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    yield
    reset()


def _service() -> AccountService:
    from rugwijzer.services.app import account_service

    return account_service()


def test_create_a_practitioner_with_a_prompted_password(accounts: None) -> None:
    result = runner.invoke(
        app,
        ["accounts", "create", "Fysio@Example.org", "--role", "practitioner"],
        input="correct horse battery\ncorrect horse battery\n",
    )
    assert result.exit_code == 0, result.output
    assert "fysio@example.org (practitioner)" in result.output
    assert "correct horse battery" not in result.output  # the password is not echoed
    token, user_id = _service().login("fysio@example.org", "correct horse battery")
    assert _service().authenticate(token) == (user_id, "practitioner")


def test_create_refuses_a_short_password_and_a_taken_email(
    accounts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUGWIJZER_NEW_PASSWORD", "short")
    short = runner.invoke(app, ["accounts", "create", "anna@example.org"])
    assert short.exit_code == 2
    assert "password" in short.stderr
    monkeypatch.setenv("RUGWIJZER_NEW_PASSWORD", "correct horse battery")
    assert runner.invoke(app, ["accounts", "create", "anna@example.org"]).exit_code == 0
    taken = runner.invoke(app, ["accounts", "create", "anna@example.org"])
    assert taken.exit_code == 2
    assert "already exists" in taken.stderr


def test_set_role(accounts: None) -> None:
    user_id = _service().register("anna@example.org", "correct horse battery")
    result = runner.invoke(app, ["accounts", "set-role", "anna@example.org", "practitioner"])
    assert result.exit_code == 0
    assert _service().account(user_id)["role"] == "practitioner"
    unknown_role = runner.invoke(app, ["accounts", "set-role", "anna@example.org", "boss"])
    assert unknown_role.exit_code == 2


def test_db_prune_deletes_old_attempts_and_audit_events(
    accounts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUGWIJZER_AUDIT_RETENTION_DAYS", "30")
    monkeypatch.setenv("RUGWIJZER_REGISTRATION_WINDOW_MINUTES", "90")
    reset()
    service = _service()
    user_id = service.register("anna@example.org", "correct horse battery")
    now = datetime.now(UTC)
    with transaction(service.sessions) as session:
        for key, minutes in (
            ("email:anna@example.org", 91),
            ("client:198.51.100.7", 91),
            ("register:client:198.51.100.7", 89),  # inside the largest window
        ):
            session.add(LoginAttempt(key=key, attempted_at=now - timedelta(minutes=minutes)))
        for days in (31, 29):
            audit.record(session, event="login", occurred_at=now - timedelta(days=days))
    result = runner.invoke(app, ["--lang", "en", "db", "prune"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 login and registration attempts older than 90 minutes" in result.output
    assert "Deleted 1 access-log events older than 30 days" in result.output
    with transaction(service.sessions) as session:
        keys = session.scalars(select(LoginAttempt.key).order_by(LoginAttempt.key)).all()
        events = session.scalars(select(AuditEvent.occurred_at)).all()
    assert keys == ["register:client:198.51.100.7"]
    assert len(events) == 1
    assert _service().account(user_id)["email"] == "anna@example.org"  # accounts stay
    dutch = runner.invoke(app, ["--lang", "nl", "db", "prune"])
    assert "0 login- en registratiepogingen" in dutch.output

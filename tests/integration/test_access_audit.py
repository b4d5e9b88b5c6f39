"""The access audit (issue #16): a practitioner's read of a client's data is recorded and shown
to the client (Settings and the export); the client's own reads are not; admins see logins and
role changes; a failed audit write fails the read; deleting an account takes its log along.

Runs on SQLite and PostgreSQL. The client talks HTTPS because server-mode cookies are Secure.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from rugwijzer.domain.diary import ChangeInput
from rugwijzer.services import accounts as accounts_module
from rugwijzer.services.accounts import AccountService
from rugwijzer.services.diary import Diary
from rugwijzer.settings import Settings
from rugwijzer.store import audit as audit_store
from rugwijzer.store.engine import transaction
from rugwijzer.store.models import AuditEvent
from rugwijzer.web.app import create_app
from tests.html_text import text as page_text

PASSWORD = "correct horse battery"
BASE = "https://rugwijzer.test"
ACCESS_LOG = 'section[aria-labelledby="access-log-title"]'


@pytest.fixture(autouse=True)
def _quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheaper argon2 parameters (hashing itself is tested in test_api.py)."""
    monkeypatch.setattr(
        accounts_module, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@dataclass
class Clinic:
    """The app with Alice (a client), Pia (her practitioner) and Ada (an admin), each with a
    browser that is logged in."""

    app: Any
    engine: Engine
    browsers: dict[str, TestClient]
    ids: dict[str, int]

    @property
    def accounts(self) -> AccountService:
        service: AccountService = self.app.state.accounts
        return service

    @property
    def diary(self) -> Diary:
        services: Diary = self.app.state.diary
        return services


@pytest.fixture
def clinic(server_settings: Settings, migrated_engine: Engine) -> Iterator[Clinic]:
    app = create_app(server_settings)
    with TestClient(app, base_url=BASE) as first:
        browsers = {"alice": first} | {w: TestClient(app, base_url=BASE) for w in ("pia", "ada")}
        built = Clinic(app, migrated_engine, browsers, {})
        for who, role in (("alice", "user"), ("pia", "practitioner"), ("ada", "admin")):
            email = f"{who}@example.org"
            built.ids[who] = built.accounts.register(email, PASSWORD, role=role)
            token, _user = built.accounts.login(email, PASSWORD, client="198.51.100.7")
            browsers[who].cookies.set("rugwijzer_session", token)
        alice = built.ids["alice"]
        built.diary.profiles.set_profile(alice, {"birth_year": 1970, "sex": "female"})
        built.diary.entries.record_change(
            alice, ChangeInput("alice: nieuwe stoel", built.diary.today() - timedelta(days=3))
        )
        built.accounts.grant(alice, "pia@example.org")
        yield built
        for who in ("pia", "ada"):
            browsers[who].close()


def _reads(clinic: Clinic) -> list[tuple[Any, ...]]:
    """The audit's reads as (actor, subject, resource), in order."""
    with clinic.engine.connect() as connection:
        rows = connection.execute(
            select(AuditEvent.actor_id, AuditEvent.subject_id, AuditEvent.resource)
            .where(AuditEvent.event == "read")
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in rows]


def _pia_reads_alice(clinic: Clinic) -> None:
    pia, alice = clinic.browsers["pia"], clinic.ids["alice"]
    assert pia.get(f"/api/v1/clients/{alice}/export").status_code == 200
    assert pia.get(f"/clients/{alice}/report.pdf").status_code == 200


def test_a_practitioners_reads_are_recorded_and_shown_to_the_client(clinic: Clinic) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)
    _pia_reads_alice(clinic)
    pia, alice = clinic.ids["pia"], clinic.ids["alice"]
    assert _reads(clinic) == [(pia, alice, "export"), (pia, alice, "report.pdf")]

    # The export (API and service): who, what and when, oldest first.
    document = clinic.browsers["alice"].get("/api/v1/me/export").json()
    log = document["access_log"]
    assert [(r["practitioner_email"], r["resource"]) for r in log] == [
        ("pia@example.org", "export"),
        ("pia@example.org", "report.pdf"),
    ]
    for record in log:
        moment = datetime.fromisoformat(record["occurred_at"])
        assert started <= moment <= datetime.now(UTC) + timedelta(seconds=1)
    assert [r.resource for r in clinic.diary.portability.export(alice).access_log] == [
        "export",
        "report.pdf",
    ]

    # Settings, in the reader's language: newest first.
    page = clinic.browsers["alice"].get("/settings")
    assert page.status_code == 200
    shown = page_text(page.text, ACCESS_LOG)
    assert "pia@example.org" in shown
    assert shown.index("Je rapport (PDF)") < shown.index("Je dagboek (JSON)")
    assert "Nog geen zorgverlener" not in shown


def test_a_clients_own_reads_are_no_access(clinic: Clinic) -> None:
    alice = clinic.browsers["alice"]
    today = clinic.diary.today().isoformat()
    for path in (
        "/api/v1/me/export",
        "/api/v1/me/export?format=zip",
        f"/api/v1/me/report.pdf?from={today}&to={today}",
        f"/report.pdf?from={today}&to={today}",
        "/settings",
        "/today",
    ):
        assert alice.get(path).status_code == 200, path
    assert _reads(clinic) == []
    assert alice.get("/api/v1/me/export").json()["access_log"] == []
    assert "Nog geen zorgverlener heeft je dagboek gelezen." in page_text(
        alice.get("/settings").text, ACCESS_LOG
    )


def test_a_refused_read_is_not_recorded(clinic: Clinic) -> None:
    alice = clinic.ids["alice"]
    clinic.accounts.revoke(alice, clinic.accounts.grants(alice)[0].id)
    assert clinic.browsers["pia"].get(f"/api/v1/clients/{alice}/export").status_code == 404
    assert _reads(clinic) == []


def test_a_failing_audit_write_fails_the_read(clinic: Clinic) -> None:
    """Fail closed: without its audit row, the client's data does not leave."""
    with clinic.engine.begin() as connection:
        connection.execute(text("DROP TABLE audit_events"))
    alice = clinic.ids["alice"]
    for path in (
        f"/api/v1/clients/{alice}/export",
        f"/clients/{alice}/export",
        f"/clients/{alice}/report.pdf",
    ):
        response = clinic.browsers["pia"].get(path)
        assert response.status_code == 500, (path, response.text)
        assert "alice: nieuwe stoel" not in response.text
        assert "application/pdf" not in response.headers["content-type"]
    problem = clinic.browsers["pia"].get(f"/api/v1/clients/{alice}/export").json()
    assert problem["code"] == "audit.write_failed"


def _lost_connection() -> OperationalError:
    """What SQLAlchemy raises when the server closed the connection under a statement."""
    return OperationalError("COMMIT", {}, Exception("server closed the connection"), False, True)


@pytest.mark.parametrize("commit_landed", [True, False], ids=["commit-landed", "commit-lost"])
def test_a_read_whose_audit_commit_lost_its_connection_is_not_run_again(
    clinic: Clinic, commit_landed: bool
) -> None:
    """A read whose connection was lost is run once more (web/read_retry.py), but not when the
    connection broke while its audit row was committed: the commit may have landed (only its
    reply was lost) or not. The audit's DataError is answered inside the retry (a 500, data
    withheld), so no second try can write a second row: at most one, none if it did not land.
    A row for data that did not leave errs on the side of the client knowing too much."""
    sessions = clinic.accounts.audit.sessions  # shared with the rest of the app
    audit_commits: list[str] = []

    def note_an_audited_read(session: Session) -> None:
        # only the unit of work that writes a read's audit row (not the session check, not
        # the read itself): before the commit its row is still pending
        session.info["audit_read"] = any(
            isinstance(row, AuditEvent) and row.event == "read" for row in session.new
        )
        if session.info["audit_read"]:
            audit_commits.append("tried")
            if not commit_landed:
                raise _lost_connection()

    def lose_the_reply(session: Session) -> None:
        if session.info.get("audit_read") and commit_landed:
            raise _lost_connection()

    event.listen(sessions, "before_commit", note_an_audited_read)
    event.listen(sessions, "after_commit", lose_the_reply)
    try:
        response = clinic.browsers["pia"].get(f"/api/v1/clients/{clinic.ids['alice']}/export")
    finally:
        event.remove(sessions, "before_commit", note_an_audited_read)
        event.remove(sessions, "after_commit", lose_the_reply)
    assert audit_commits == ["tried"]  # one try, not two
    assert response.status_code == 500
    assert response.json()["code"] == "audit.write_failed"
    assert "alice: nieuwe stoel" not in response.text
    pia, alice = clinic.ids["pia"], clinic.ids["alice"]
    assert _reads(clinic) == ([(pia, alice, "export")] if commit_landed else [])


def test_a_read_that_lost_its_connection_before_its_audit_is_recorded_once(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A connection lost during the read itself (before any audit row) is run again, and the
    second try records the one read."""
    portability = clinic.diary.portability
    export = portability.export
    tries: list[int] = []

    def export_losing_the_first_connection(*args: Any, **kwargs: Any) -> Any:
        tries.append(len(tries) + 1)
        if len(tries) == 1:
            raise _lost_connection()
        return export(*args, **kwargs)

    monkeypatch.setattr(portability, "export", export_losing_the_first_connection)
    response = clinic.browsers["pia"].get(f"/api/v1/clients/{clinic.ids['alice']}/export")
    assert tries == [1, 2]
    assert response.status_code == 200, response.text
    assert response.json()["changes"]
    assert _reads(clinic) == [(clinic.ids["pia"], clinic.ids["alice"], "export")]


def test_two_requests_are_two_reads(clinic: Clinic) -> None:
    """Every request is a read of its own."""
    for _ in range(2):
        _pia_reads_alice(clinic)
    pia, alice = clinic.ids["pia"], clinic.ids["alice"]
    assert _reads(clinic) == [(pia, alice, "export"), (pia, alice, "report.pdf")] * 2


def test_admins_see_logins_and_role_changes(clinic: Clinic) -> None:
    server = clinic.browsers["alice"]
    wrong = "not alices password at all"
    unknown = "nobody-typed-this@example.org"
    assert (
        server.post(
            "/api/v1/auth/login", json={"email": "alice@example.org", "password": wrong}
        ).status_code
        == 401
    )
    assert (
        server.post("/api/v1/auth/login", json={"email": unknown, "password": wrong}).status_code
        == 401
    )
    logged_in = server.post(
        "/api/v1/auth/login", json={"email": "alice@example.org", "password": PASSWORD}
    )
    assert logged_in.status_code == 200
    token = logged_in.json()["token"]
    clinic.accounts.set_role("alice@example.org", "practitioner")
    clinic.accounts.set_role("alice@example.org", "practitioner")  # no change: no event

    response = clinic.browsers["ada"].get("/api/v1/admin/audit")
    assert response.status_code == 200
    events = response.json()
    newest = [(e["event"], e["email"], e["detail"]) for e in events[:4]]
    assert newest == [
        ("role_change", "alice@example.org", "user>practitioner"),
        ("login", "alice@example.org", None),
        ("login_failed", None, None),
        ("login_failed", "alice@example.org", None),
    ]
    assert events[1]["client"] == "testclient"
    assert [e["id"] for e in events] == sorted((e["id"] for e in events), reverse=True)
    assert len(events) == 7  # and the fixture's three logins
    for secret in (wrong, PASSWORD, token, unknown):
        assert secret not in response.text
    # No event is a read: which client a practitioner saw is the client's to know.
    _pia_reads_alice(clinic)
    again = clinic.browsers["ada"].get("/api/v1/admin/audit").json()
    assert {e["event"] for e in again} == {"login", "login_failed", "role_change"}

    page = clinic.browsers["ada"].get(f"/api/v1/admin/audit?limit=2&before={events[1]['id']}")
    assert [e["id"] for e in page.json()] == [events[2]["id"], events[3]["id"]]
    for bad in ("limit=0", "limit=1001", "before=0"):
        assert clinic.browsers["ada"].get(f"/api/v1/admin/audit?{bad}").status_code == 422


def test_deleting_accounts_follows_the_gdpr_choice(clinic: Clinic) -> None:
    """The practitioner's deletion keeps the client's log (without a name); the client's
    "delete everything" takes every event about her along."""
    _pia_reads_alice(clinic)
    assert clinic.browsers["pia"].delete("/api/v1/me").status_code == 204
    log = clinic.browsers["alice"].get("/api/v1/me/export").json()["access_log"]
    assert [(r["practitioner_email"], r["resource"]) for r in log] == [
        (None, "export"),
        (None, "report.pdf"),
    ]
    shown = page_text(clinic.browsers["alice"].get("/settings").text, ACCESS_LOG)
    assert "een verwijderd account" in shown

    alice = clinic.ids["alice"]
    assert clinic.browsers["alice"].delete("/api/v1/me").status_code == 204
    with clinic.engine.connect() as connection:
        left = connection.execute(select(AuditEvent.event)).scalars().all()
    # Only Ada's login is left: nothing about Alice, and Pia's own login went with her.
    assert left == ["login"]
    assert alice not in {row[1] for row in _reads(clinic)}


def test_an_import_takes_exports_with_and_without_the_log(clinic: Clinic) -> None:
    _pia_reads_alice(clinic)
    document = clinic.browsers["alice"].get("/api/v1/me/export").json()
    assert len(document["access_log"]) == 2
    bob = clinic.accounts.register("bob@example.org", PASSWORD)
    carol = clinic.accounts.register("carol@example.org", PASSWORD)
    reads_before = _reads(clinic)
    counts = clinic.diary.portability.import_(bob, document)
    assert counts.changes == 1
    without = {key: value for key, value in document.items() if key != "access_log"}
    assert clinic.diary.portability.import_(carol, without).changes == 1
    # The log of reads elsewhere is not brought in: an import cannot write the audit.
    assert _reads(clinic) == reads_before
    assert clinic.diary.portability.export(bob).access_log == []


def test_events_older_than_the_retention_are_pruned(clinic: Clinic) -> None:
    _pia_reads_alice(clinic)
    now = datetime.now(UTC)
    pia, alice = clinic.ids["pia"], clinic.ids["alice"]
    with transaction(clinic.accounts.sessions) as session:
        for days, event_kind in ((731, "read"), (731, "login"), (729, "read")):
            audit_store.record(
                session,
                event=event_kind,  # type: ignore[arg-type]
                occurred_at=now - timedelta(days=days),
                actor_id=pia if event_kind == "read" else None,
                subject_id=alice,
                resource="export" if event_kind == "read" else None,
            )
    assert len(_reads(clinic)) == 4
    assert clinic.accounts.audit.prune(730) == 2  # the read and the login 731 days old
    assert len(_reads(clinic)) == 3
    log = clinic.diary.portability.export(alice).access_log
    assert min(record.occurred_at for record in log) < now - timedelta(days=728)
    assert clinic.accounts.audit.prune(730) == 0
    with clinic.engine.connect() as connection:
        logins = connection.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.event == "login")
        )
    assert logins == 3  # the fixture's, of today

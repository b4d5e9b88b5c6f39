"""`rugwijzer backup` and `rugwijzer restore` on SQLite and PostgreSQL: what goes in comes back
out (the diary export and every row), across database kinds, and a restore that must refuse
leaves the target as it was."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from rugwijzer.cli.main import app
from rugwijzer.domain.diary import ChangeInput, CheckInInput
from rugwijzer.errors import AuthenticationError
from rugwijzer.fooddb.database import default_food_database
from rugwijzer.services.accounts import AccountService
from rugwijzer.services.app import reset
from rugwijzer.services.backup import MAGIC, read_header
from rugwijzer.services.diary import open_diary
from rugwijzer.store.engine import make_engine, make_session_factory
from rugwijzer.store.migrate import current_revision, head_revision, upgrade
from tests.factories import TEST_SECRET
from tests.integration.conftest import throwaway_postgres_database
from tests.integration.user_rows import everything

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("cli_environment")
PASSWORD = "correct horse battery staple"
DAY = date.today() - timedelta(days=3)


@pytest.fixture
def other_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second new, empty database of the same kind as `database_url` (the restore target)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path_factory.mktemp('target') / 'rugwijzer.db'}"
        return
    with throwaway_postgres_database() as url:
        yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database (for the restores across database kinds)."""
    with throwaway_postgres_database() as url:
        yield url


def _use(monkeypatch: pytest.MonkeyPatch, url: str, mode: str = "server") -> None:
    """Point the command line at the database `url`."""
    monkeypatch.setenv("RUGWIJZER_DATABASE_URL", url)
    monkeypatch.setenv("RUGWIJZER_MODE", mode)
    monkeypatch.setenv("RUGWIJZER_SECRET_KEY", TEST_SECRET)
    reset()


def _run(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    return result


def _fill(url: str) -> dict[str, int]:
    """A hosted installation: a client with a full diary who lets a practitioner read it, the
    practitioner, a login session and a failed login. Returns the user ids by email."""
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    accounts = AccountService(sessions, secret_key=TEST_SECRET, session_days=30)
    client = accounts.register("client@example.org", PASSWORD)
    practitioner = accounts.register("fysio@example.org", PASSWORD, role="practitioner")
    accounts.grant(client, "fysio@example.org")
    accounts.login("client@example.org", PASSWORD)
    with pytest.raises(AuthenticationError):  # the failed attempt is stored
        accounts.login("client@example.org", "wrong password")
    diary = open_diary(sessions, default_food_database(), example_catalogue=False)
    diary.profiles.set_profile(client, {"birth_year": 1975, "sex": "female", "language": "nl"})
    diary.entries.log_meal(client, "2 sneetjes volkorenbrood met pindakaas", day=DAY)
    diary.entries.log_meal(client, "30 g amandelen", day=DAY + timedelta(days=1))
    diary.entries.log_supplement(client, {"label": "magnesium (as citrate) 200 mg"}, day=DAY)
    diary.entries.check_in(client, CheckInInput(day=DAY, pain=6, stress=7, note="zwaar"))
    diary.entries.record_change(client, ChangeInput("magnesiumcitraat 200 mg", started_on=DAY))
    engine.dispose()
    return {"client": client, "practitioner": practitioner}


def _export(url: str, user_id: int) -> dict[str, Any]:
    """The diary export of one user, without the moment it was made."""
    engine = make_engine(url)
    try:
        diary = open_diary(make_session_factory(engine), default_food_database())
        document: dict[str, Any] = json.loads(diary.portability.export(user_id).to_json())
    finally:
        engine.dispose()
    document.pop("exported_at")
    return document


def _rows(url: str) -> dict[str, list[str]]:
    engine = make_engine(url)
    try:
        return everything(engine)
    finally:
        engine.dispose()


def _backup(monkeypatch: pytest.MonkeyPatch, url: str, out: Path) -> None:
    _use(monkeypatch, url)
    result = _run("backup", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.stdout


def test_backup_and_restore_give_back_every_row_and_the_export(
    monkeypatch: pytest.MonkeyPatch, database_url: str, other_url: str, tmp_path: Path
) -> None:
    users = _fill(database_url)
    out = tmp_path / "backups" / "rugwijzer.rwb"
    out.parent.mkdir()
    _backup(monkeypatch, database_url, out)
    assert out.stat().st_mode & 0o777 == 0o600  # health data: the owner's eyes only
    header = read_header(out)
    assert header["database"] == database_url.split(":", 1)[0].split("+")[0]
    assert header["tables"]["meal_entries"]["rows"] == 2
    assert header["tables"]["access_grants"]["rows"] == 1

    _use(monkeypatch, other_url)
    result = _run("restore", str(out))
    assert result.exit_code == 0, result.output
    assert "Restored" in result.stdout
    assert _rows(other_url) == _rows(database_url)
    for user in users.values():
        assert _export(other_url, user) == _export(database_url, user)
    # the restored installation works on: a new account gets a new id, and the client logs in
    engine = make_engine(other_url)
    accounts = AccountService(make_session_factory(engine), secret_key=TEST_SECRET, session_days=1)
    assert accounts.register("new@example.org", PASSWORD) > max(users.values())
    accounts.login("client@example.org", PASSWORD)
    engine.dispose()


def test_rugwijzer_export_is_the_same_after_a_restore(
    monkeypatch: pytest.MonkeyPatch, database_url: str, other_url: str, tmp_path: Path
) -> None:
    _use(monkeypatch, database_url, mode="local")
    for command in (
        ("db", "upgrade"),
        ("log", "meal", "2 sneetjes volkorenbrood met pindakaas", "--date", DAY.isoformat()),
        ("log", "supplement", "--elemental-mg", "100", "--date", DAY.isoformat()),
        ("checkin", "--pain", "4", "--stress", "5", "--date", DAY.isoformat()),
        ("change", "minder koffie", "--start", DAY.isoformat()),
    ):
        assert _run(*command).exit_code == 0, command
    before = json.loads(_run("export").stdout)
    out = tmp_path / "local.rwb"
    assert _run("backup", "--out", str(out)).exit_code == 0

    _use(monkeypatch, other_url, mode="local")
    result = _run("restore", str(out))
    assert result.exit_code == 0, result.output
    after = json.loads(_run("export").stdout)
    before.pop("exported_at")
    after.pop("exported_at")
    assert after == before
    assert len(after["meals"]) == 1
    assert len(after["checkins"]) == 1


@pytest.mark.parametrize("direction", ["sqlite to postgresql", "postgresql to sqlite"])
def test_a_backup_moves_between_database_kinds(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, tmp_path: Path, direction: str
) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'rugwijzer.db'}"
    source, target = (
        (sqlite_url, postgres_url)
        if direction == "sqlite to postgresql"
        else (postgres_url, sqlite_url)
    )
    users = _fill(source)
    out = tmp_path / "move.rwb"
    _backup(monkeypatch, source, out)
    _use(monkeypatch, target)
    result = _run("restore", str(out))
    assert result.exit_code == 0, result.output
    for user in users.values():
        assert _export(target, user) == _export(source, user)
    assert {k: len(v) for k, v in _rows(target).items()} == {
        k: len(v) for k, v in _rows(source).items()
    }


@pytest.fixture
def backup_file(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path) -> Path:
    """A good backup of a filled database."""
    _fill(database_url)
    out = tmp_path / "good.rwb"
    _backup(monkeypatch, database_url, out)
    return out


def test_a_database_that_is_not_empty_is_refused_unless_forced(
    monkeypatch: pytest.MonkeyPatch, backup_file: Path, database_url: str, other_url: str
) -> None:
    engine = make_engine(other_url)
    upgrade(engine)
    AccountService(make_session_factory(engine), secret_key=TEST_SECRET, session_days=1).register(
        "someone@example.org", PASSWORD
    )
    engine.dispose()
    before = _rows(other_url)
    _use(monkeypatch, other_url)
    refused = _run("restore", str(backup_file))
    assert refused.exit_code == 2
    assert "not empty" in refused.stderr
    assert "--force" in refused.stderr
    assert _rows(other_url) == before

    forced = _run("restore", str(backup_file), "--force")
    assert forced.exit_code == 0, forced.output
    assert "Deleted first: 1 rows." in forced.stdout
    assert _rows(other_url) == _rows(database_url)


def _rewrite(source: Path, target: Path, change: Any) -> Path:
    """A copy of a backup with its decompressed lines changed by `change(lines)`."""
    lines = gzip.decompress(source.read_bytes()).splitlines(keepends=True)
    target.write_bytes(gzip.compress(b"".join(change(lines))))
    return target


def _newer_schema(lines: list[bytes]) -> list[bytes]:
    header = json.loads(lines[1])
    header["schema_revision"] = "9999_from_the_future"
    return [lines[0], (json.dumps(header) + "\n").encode(), *lines[2:]]


def _as_revision_0005(lines: list[bytes]) -> list[bytes]:
    """The backup as Rugwijzer would have written it at revision 0005: before migration 0006
    added the aids catalogue and the aid category of check-ins and changes, before 0007
    added the access audit, and before 0008 added the API request counts."""
    header = json.loads(lines[1])
    header["schema_revision"] = "0005"
    later_tables = ("aid_products", "audit_events", "api_request_counts")
    for later in later_tables:
        header["tables"].pop(later, None)
    dropped = {}
    for table in ("checkins", "changes"):
        columns = header["tables"][table]["columns"]
        dropped[table] = columns.index("aid_category")
        columns.remove("aid_category")
    body = []
    for line in lines[2:]:
        table, values = json.loads(line)
        if table in later_tables:
            continue
        if table in dropped:
            del values[dropped[table]]
        body.append((json.dumps([table, values]) + "\n").encode())
    header["body_sha256"] = hashlib.sha256(b"".join(body)).hexdigest()
    return [lines[0], (json.dumps(header) + "\n").encode(), *body]


def _changed_row(lines: list[bytes]) -> list[bytes]:
    # a diary entry changed after the backup was made: the checksum no longer fits
    changed = [line.replace(b"zwaar", b"licht") for line in lines]
    assert changed != lines
    return changed


def _row_left_out(lines: list[bytes]) -> list[bytes]:
    return lines[:-1]


def _newer_format(lines: list[bytes]) -> list[bytes]:
    return [f"{MAGIC} 2\n".encode(), *lines[1:]]


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("truncated", "damaged or incomplete"),
        ("changed row", "damaged or incomplete"),
        ("row left out", "damaged or incomplete"),
        ("not gzip", "not a Rugwijzer backup"),
        ("other gzip", "not a Rugwijzer backup"),
        ("newer schema", "newer database schema"),
        ("newer format", "format 2"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_written(
    monkeypatch: pytest.MonkeyPatch,
    backup_file: Path,
    other_url: str,
    tmp_path: Path,
    damage: str,
    words: str,
) -> None:
    bad = tmp_path / "bad.rwb"
    if damage == "truncated":
        content = backup_file.read_bytes()
        bad.write_bytes(content[: len(content) * 2 // 3])
    elif damage == "not gzip":
        bad.write_text("id,name\n1,appel\n")
    elif damage == "other gzip":
        bad.write_bytes(gzip.compress(json.dumps({"format": 1, "meals": []}).encode()))
    else:
        change = {
            "changed row": _changed_row,
            "row left out": _row_left_out,
            "newer schema": _newer_schema,
            "newer format": _newer_format,
        }[damage]
        _rewrite(backup_file, bad, change)
    _use(monkeypatch, other_url)
    result = _run("restore", str(bad))
    assert result.exit_code == 2, result.output
    assert words in result.stderr
    assert "Nothing was changed" in result.stderr
    # not even the schema: the target is as new as it was
    engine = make_engine(other_url)
    try:
        assert current_revision(engine) is None
    finally:
        engine.dispose()


def test_a_bad_file_leaves_a_forced_target_as_it_was(
    monkeypatch: pytest.MonkeyPatch, backup_file: Path, database_url: str, tmp_path: Path
) -> None:
    before = _rows(database_url)
    bad = _rewrite(backup_file, tmp_path / "bad.rwb", _changed_row)
    _use(monkeypatch, database_url)
    result = _run("restore", str(bad), "--force")
    assert result.exit_code == 2
    assert _rows(database_url) == before


def test_a_sqlite_backup_is_consistent_while_another_connection_writes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    _fill(url)
    engine: Engine = make_engine(url)
    before = everything(engine)
    out = tmp_path / "busy.rwb"
    with engine.connect() as writer:
        writer.execute(text("BEGIN IMMEDIATE"))  # the app is in the middle of a write
        writer.execute(text("DELETE FROM checkins"))
        _backup(monkeypatch, url, out)
        writer.execute(text("ROLLBACK"))
    engine.dispose()
    target = f"sqlite:///{tmp_path / 'target.db'}"
    _use(monkeypatch, target)
    assert _run("restore", str(out)).exit_code == 0
    assert _rows(target) == before


def test_a_backup_to_a_folder_that_does_not_exist_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'rugwijzer.db'}"
    _fill(url)
    _use(monkeypatch, url)
    out = tmp_path / "missing" / "x.rwb"
    result = _run("--lang", "nl", "backup", "--out", str(out))
    assert result.exit_code == 2
    assert "missing" in result.stderr
    assert not out.parent.exists()


def test_a_backup_from_an_older_schema_goes_into_a_new_database_and_is_brought_up_to_date(
    monkeypatch: pytest.MonkeyPatch,
    backup_file: Path,
    database_url: str,
    other_url: str,
    tmp_path: Path,
) -> None:
    old = _rewrite(backup_file, tmp_path / "old.rwb", _as_revision_0005)
    _use(monkeypatch, other_url)
    result = _run("restore", str(old))
    assert result.exit_code == 0, result.output
    engine = make_engine(other_url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
    # the access audit came after revision 0005: the old backup has none of its rows
    restored, original = _rows(other_url), _rows(database_url)
    assert restored.pop("audit_events") == []
    original.pop("audit_events")
    assert restored == original


def test_a_backup_from_an_older_schema_is_refused_by_a_database_with_a_schema(
    monkeypatch: pytest.MonkeyPatch, backup_file: Path, other_url: str, tmp_path: Path
) -> None:
    old = _rewrite(backup_file, tmp_path / "old.rwb", _as_revision_0005)
    engine = make_engine(other_url)
    upgrade(engine)
    engine.dispose()
    before = _rows(other_url)
    _use(monkeypatch, other_url)
    result = _run("restore", str(old), "--force")
    assert result.exit_code == 2
    assert "older database schema" in result.stderr
    assert _rows(other_url) == before


def _user_twice(lines: list[bytes]) -> list[bytes]:
    """A well-formed file whose rows break a database rule: the first user twice."""
    header = json.loads(lines[1])
    body = list(lines[2:])
    first_user = next(line for line in body if line.startswith(b'["users"'))
    body.insert(body.index(first_user), first_user)
    header["tables"]["users"]["rows"] += 1
    header["body_sha256"] = hashlib.sha256(b"".join(body)).hexdigest()
    return [lines[0], (json.dumps(header) + "\n").encode(), *body]


def test_a_load_that_fails_halfway_puts_back_what_force_deleted(
    monkeypatch: pytest.MonkeyPatch, backup_file: Path, database_url: str, tmp_path: Path
) -> None:
    before = _rows(database_url)
    bad = _rewrite(backup_file, tmp_path / "twice.rwb", _user_twice)
    _use(monkeypatch, database_url)
    result = _run("restore", str(bad), "--force")
    assert result.exit_code == 2
    assert "breaks a rule" in result.stderr
    assert _rows(database_url) == before

"""Behind a real PgBouncer in transaction mode (docs/operating.md, "PgBouncer in transaction
mode"): each transaction may run on another server connection, so nothing may outlive one.
Server-side prepared statements would (psycopg prepares a statement on its fifth run): with
more clients than PgBouncer has server connections, a statement prepared on one connection
would be looked for on another and fail.

Needs Debian's `pgbouncer` (scripts/system_packages.sh --tests); skips without it unless
RUGWIJZER_REQUIRE_POSTGRES=1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from scripts.local_server import LOOPBACK, free_port
from sqlalchemy import text

from rugwijzer.settings import Settings
from rugwijzer.store.engine import PoolOptions, make_engine
from rugwijzer.store.migrate import upgrade
from rugwijzer.web.app import create_app
from tests.factories import TEST_SECRET
from tests.integration.conftest import signed_in_people

PEOPLE = 6
ROUNDS = 12  # per person: more than psycopg's 5 runs before it would prepare a statement
PASSWORD = "pgbouncer test password 123"
#: fewer server connections than clients, so transactions change connections all the time
SERVER_CONNECTIONS = 2


def _pgbouncer_or_skip() -> str:
    found = shutil.which("pgbouncer") or (
        "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None
    )
    if found is None:
        if os.environ.get("RUGWIJZER_REQUIRE_POSTGRES") == "1":
            pytest.fail("PgBouncer is required here: scripts/system_packages.sh --tests")
        pytest.skip("PgBouncer is not installed (scripts/system_packages.sh --tests)")
    return found


def _listening(port: int) -> bool:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def bouncer_url(postgres_url: str) -> Iterator[str]:
    """`postgres_url`, reached through a PgBouncer of this test's own in transaction mode."""
    executable = _pgbouncer_or_skip()
    name = postgres_url.rsplit("/", 1)[1]
    port = free_port()
    # PgBouncer will not run as root: as root it runs as `nobody`, who must read the folder
    folder = Path(tempfile.mkdtemp(prefix="rugwijzer-pgbouncer-"))
    folder.chmod(0o755)
    (folder / "userlist.txt").write_text('"postgres" ""\n')
    config = folder / "pgbouncer.ini"
    config.write_text(
        f"""[databases]
{name} = host=127.0.0.1 port=5432 dbname={name}

[pgbouncer]
listen_addr = {LOOPBACK}
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "userlist.txt"}
pool_mode = transaction
default_pool_size = {SERVER_CONNECTIONS}
max_client_conn = 200
logfile =
pidfile =
"""
    )
    for file in folder.iterdir():
        file.chmod(0o644)
    command = [executable, str(config)]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "nobody"]
    log = folder / "output.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while not _listening(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"PgBouncer did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield f"postgresql+psycopg://postgres@{LOOPBACK}:{port}/{name}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def test_the_app_works_behind_pgbouncer_in_transaction_mode(
    postgres_url: str, bouncer_url: str, tmp_path: Path
) -> None:
    # migrations go to PostgreSQL directly, as the docs say; everything else through the pooler
    direct = make_engine(postgres_url)
    upgrade(direct)
    tokens = signed_in_people(bouncer_url, PEOPLE, PASSWORD, PoolOptions(statement_timeout_ms=0))
    settings = Settings(
        data_dir=tmp_path,
        database_url=bouncer_url,
        mode="server",
        secret_key=TEST_SECRET,
        database_statement_timeout_ms=0,  # PgBouncer refuses the startup option
        api_requests_per_minute=100_000,
    )
    first_day = date(2025, 3, 1)

    with TestClient(create_app(settings), base_url="https://rugwijzer.test") as client:

        def person(token: str) -> list[int]:
            auth = {"authorization": f"Bearer {token}"}
            statuses = []
            for round_number in range(ROUNDS):
                day = (first_day + timedelta(days=round_number)).isoformat()
                logged = client.post(
                    "/api/v1/me/meals",
                    json={"text": "een banaan en 30 gram amandelen", "lang": "nl", "date": day},
                    headers=auth,
                )
                statuses.append(logged.status_code)
                statuses.append(client.get(f"/api/v1/me/days/{day}", headers=auth).status_code)
                statuses.append(client.get("/api/v1/me/profile", headers=auth).status_code)
            statuses.append(client.get("/api/v1/me/export", headers=auth).status_code)
            return statuses

        with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
            answered = [status for statuses in pool.map(person, tokens) for status in statuses]
        day = client.get(
            f"/api/v1/me/days/{first_day.isoformat()}",
            headers={"authorization": f"Bearer {tokens[0]}"},
        ).json()

    failed = [status for status in answered if status >= 400]
    assert failed == []
    assert answered.count(201) == PEOPLE * ROUNDS
    assert len(day["meals"]) == 1
    assert day["totals"]["magnesium_mg"]["amount"] > 0
    try:
        with direct.connect() as connection:
            stored = connection.scalar(text("SELECT count(*) FROM meal_entries"))
    finally:
        direct.dispose()
    assert stored == PEOPLE * ROUNDS

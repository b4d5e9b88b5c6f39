"""Faults with real processes: `rugwijzer serve --workers 2` in server mode on PostgreSQL, with
clients logging meals, while (a) one worker is killed with SIGKILL and (b) the database cuts
every connection of the app. Each test makes its own database and drops it afterwards.

Skipped when PostgreSQL is absent, unless RUGWIJZER_REQUIRE_POSTGRES=1 (as the other
PostgreSQL tests)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from scripts.local_server import LOOPBACK, free_port, listening_sockets, worker_pids
from sqlalchemy import create_engine, text

from tests.factories import TEST_SECRET
from tests.integration.conftest import postgres_admin_or_skip, signed_in_people

CLIENTS = 20
#: The worker kill is tested as the issue words it: 50 clients writing.
KILL_CLIENTS = 50
PEOPLE = 5
PASSWORD = "workers test password 123"
MEAL = "een banaan en 30 gram amandelen"


@dataclass
class Server:
    """A running `rugwijzer serve --workers 2`: its supervisor process and base URL."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def workers(self) -> set[int]:
        """The worker processes now running under the supervisor."""
        return worker_pids(self.process.pid)


@pytest.fixture
def server(postgres_url: str, tmp_path: Path) -> Iterator[Server]:
    """`rugwijzer init` then `rugwijzer serve --workers 2` on the test's database."""
    env = {
        **os.environ,
        "RUGWIJZER_DATA_DIR": str(tmp_path / "data"),
        "RUGWIJZER_DATABASE_URL": postgres_url,
        "RUGWIJZER_MODE": "server",
        "RUGWIJZER_SECRET_KEY": TEST_SECRET,
        # a few people share the clients: the per-user API limit is not what is tested here
        "RUGWIJZER_API_REQUESTS_PER_MINUTE": "100000",
    }
    init = subprocess.run(
        [sys.executable, "-m", "rugwijzer", "init"], env=env, capture_output=True, timeout=120
    )
    assert init.returncode == 0, init.stderr.decode(errors="replace")
    port = free_port()
    log = tmp_path / "server.log"
    command = [sys.executable, "-m", "rugwijzer", "serve", "--host", LOOPBACK, "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--workers", "2", "--log-level", "warning"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    running = Server(process, f"http://{LOOPBACK}:{port}", log)
    try:
        _wait_until(lambda: _answers(running.url) and len(running.workers()) == 2, 60, running)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _wait_until(condition: Callable[[], bool], seconds: float, server: Server) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline or server.process.poll() is not None:
            pytest.fail(f"the server did not get there\n{server.log.read_text(errors='replace')}")
        time.sleep(0.2)


def _sockets_of(pid: int) -> set[int]:
    """The inodes of the sockets process `pid` holds open."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except FileNotFoundError:  # closed while we looked
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[len("socket:[") : -1]))
    return inodes


def _assert_each_worker_listens_on_its_own_socket(server: Server) -> None:
    port = int(server.url.rsplit(":", 1)[1])
    # a worker listens once its start-up is done, a moment after its process exists
    _wait_until(lambda: len(listening_sockets(port)) == 2, 30, server)
    listening = listening_sockets(port)
    held = {pid: _sockets_of(pid) & listening for pid in server.workers()}
    assert len(held) == 2
    assert all(len(sockets) == 1 for sockets in held.values()), held
    assert len(set().union(*held.values())) == 2, held  # not one socket shared
    assert not _sockets_of(server.process.pid) & listening  # the supervisor accepts nothing


def test_each_worker_accepts_on_its_own_socket(server: Server) -> None:
    _assert_each_worker_listens_on_its_own_socket(server)


def _tokens(postgres_url: str) -> list[str]:
    return signed_in_people(postgres_url, PEOPLE, PASSWORD)


@dataclass
class Load:
    """Clients that log a meal and read the day, over and over, until told to stop."""

    url: str
    tokens: list[str]
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged: list[int] = field(default_factory=list)
    #: (seconds since the start, request kind, what went wrong)
    failures: list[tuple[float, str, str]] = field(default_factory=list)
    #: seconds since the start of each successful request
    successes: list[float] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def run(self, number: int) -> None:
        token = self.tokens[number % len(self.tokens)]
        headers = {"authorization": f"Bearer {token}"}
        day = (date(2020, 1, 1) + timedelta(days=number)).isoformat()
        with httpx.Client(base_url=self.url, headers=headers, timeout=20) as client:
            step = 0
            while not self.stop.is_set():
                kind = "write" if step % 2 == 0 else "read"
                try:
                    if kind == "write":
                        meal = {"text": MEAL, "lang": "nl", "date": day}
                        response = client.post("/api/v1/me/meals", json=meal)
                    else:
                        response = client.get(f"/api/v1/me/days/{day}")
                except httpx.HTTPError as error:
                    self._failed(kind, type(error).__name__)
                else:
                    if response.status_code in (200, 201):
                        with self.lock:
                            self.successes.append(time.monotonic() - self.started)
                            if kind == "write":
                                self.acknowledged.append(int(response.json()["id"]))
                    else:
                        self._failed(kind, f"HTTP {response.status_code}")
                step += 1

    def _failed(self, kind: str, what: str) -> None:
        with self.lock:
            self.failures.append((time.monotonic() - self.started, kind, what))

    def total(self) -> int:
        return len(self.successes) + len(self.failures)


def _run_load(
    server: Server,
    tokens: list[str],
    seconds: float,
    fault_at: float,
    fault: Callable[[], object],
    clients: int = CLIENTS,
) -> tuple[Load, float]:
    """Run `clients` clients for `seconds`, calling `fault` after `fault_at`; the load and the
    moment of the fault (seconds since the start)."""
    load = Load(server.url, tokens)
    threads = [threading.Thread(target=load.run, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(fault_at)
        fault_time = time.monotonic() - load.started
        fault()
        time.sleep(seconds - fault_at)
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(timeout=30)
    return load, fault_time


def _stored_meal_ids(postgres_url: str) -> set[int]:
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as connection:
            return set(connection.scalars(text("SELECT id FROM meal_entries")))
    finally:
        engine.dispose()


def test_a_killed_worker_is_replaced_and_no_acknowledged_meal_is_lost(
    server: Server, postgres_url: str
) -> None:
    tokens = _tokens(postgres_url)
    before = server.workers()
    victim = min(before)

    load, killed_at = _run_load(
        server,
        tokens,
        seconds=10,
        fault_at=3,
        fault=lambda: os.kill(victim, signal.SIGKILL),
        clients=KILL_CLIENTS,
    )

    # every meal the service acknowledged with 201 is in the database
    assert load.acknowledged, load.failures[:5]
    assert set(load.acknowledged) <= _stored_meal_ids(postgres_url)
    # the other worker kept answering: successes after the kill, not only before it
    assert sum(1 for moment in load.successes if moment > killed_at + 1) > 50
    # only the requests that were in the killed worker's hands can have failed
    assert len(load.failures) <= KILL_CLIENTS, load.failures
    # the supervisor started a new worker in its place
    _wait_until(lambda: victim not in server.workers() and len(server.workers()) == 2, 30, server)
    assert len(server.workers() - before) == 1
    assert _answers(server.url)
    # the new worker took a share of the port again (the dead one's socket went with it)
    _assert_each_worker_listens_on_its_own_socket(server)


def test_cut_database_connections_fail_at_most_the_requests_in_flight(
    server: Server, postgres_url: str
) -> None:
    tokens = _tokens(postgres_url)
    name = postgres_url.rsplit("/", 1)[1]
    admin = postgres_admin_or_skip()
    cut: list[int] = []

    def cut_every_connection() -> None:
        with admin.connect() as connection:
            killed = connection.scalars(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            ).all()
        cut.append(len(killed))

    try:
        load, cut_at = _run_load(server, tokens, seconds=12, fault_at=4, fault=cut_every_connection)
    finally:
        admin.dispose()

    assert cut[0] > 0  # the app had connections open, and the server cut them
    total = load.total()
    assert total > 300, total
    assert len(load.failures) / total < 0.02, (total, load.failures)
    # every failure is a request that was in flight when the connections were cut
    assert all(moment >= cut_at for moment, _, _ in load.failures), load.failures
    # the service recovered by itself: it went on answering after the cut
    assert sum(1 for moment in load.successes if moment > cut_at + 2) > 50
    assert set(load.acknowledged) <= _stored_meal_ids(postgres_url)
    with httpx.Client(
        base_url=server.url, headers={"authorization": f"Bearer {tokens[0]}"}, timeout=10
    ) as client:
        assert client.get("/api/v1/me/days/2020-01-01").status_code == 200


def test_sigterm_lets_requests_in_flight_finish_and_closes_the_pool(
    server: Server, postgres_url: str
) -> None:
    tokens = _tokens(postgres_url)
    workers = server.workers()

    load, stopped_at = _run_load(
        server, tokens, seconds=5, fault_at=3, fault=server.process.terminate
    )

    assert server.process.wait(timeout=30) == 0
    # requests that were in flight when the signal came still got their answer
    assert any(moment > stopped_at for moment in load.successes)
    # nothing answered with an error: later requests found the door closed instead
    assert not [failure for failure in load.failures if failure[2].startswith("HTTP")]
    assert set(load.acknowledged) <= _stored_meal_ids(postgres_url)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    admin = postgres_admin_or_skip()
    try:
        with admin.connect() as connection:
            open_connections = connection.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name"),
                {"name": postgres_url.rsplit("/", 1)[1]},
            )
    finally:
        admin.dispose()
    assert open_connections == 0

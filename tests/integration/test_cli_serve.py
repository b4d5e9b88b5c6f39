"""`rugwijzer serve --workers N`: several processes only in server mode, with a grace period
for requests in flight on SIGTERM; JSON log lines, or readable ones for a person at a terminal."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from scripts.local_server import local_server
from typer.testing import CliRunner

from rugwijzer.cli.main import app
from rugwijzer.settings import get_settings
from rugwijzer.web import workers
from tests.factories import TEST_SECRET

runner = CliRunner()


@dataclass
class Started:
    """What `serve` would have started (nothing is): one process or a supervisor of workers."""

    kind: str
    config: uvicorn.Config

    def __getitem__(self, option: str) -> Any:
        return getattr(self.config, option)


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Started]:
    """What `serve` would have run: uvicorn's server in this process (one worker) or the
    supervisor of several (web/workers.py), neither of which is run."""
    calls: list[Started] = []

    def one_process(server: uvicorn.Server, sockets: object = None) -> None:
        calls.append(Started("server", server.config))
        server.started = True

    monkeypatch.setattr(uvicorn.Server, "run", one_process)
    monkeypatch.setattr(
        workers, "run_workers", lambda config: calls.append(Started("workers", config))
    )
    # the test process keeps its own logging
    monkeypatch.setattr(uvicorn.Config, "configure_logging", lambda config: None)
    return calls


@pytest.mark.usefixtures("cli_environment")
def test_local_mode_refuses_several_workers(started: list[Started]) -> None:
    result = runner.invoke(app, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "--workers 2 needs server mode" in result.output
    assert started == []


@pytest.mark.usefixtures("cli_environment")
def test_local_mode_serves_one_process(started: list[Started]) -> None:
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert started[0].kind == "server"
    assert started[0]["workers"] == 1
    assert started[0]["timeout_graceful_shutdown"] == 20


@pytest.mark.usefixtures("cli_environment")
def test_server_mode_starts_the_workers_asked_for(
    started: list[Started], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUGWIJZER_MODE", "server")
    monkeypatch.setenv("RUGWIJZER_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("RUGWIJZER_GRACEFUL_SHUTDOWN_SECONDS", "7")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["serve", "--workers", "3", "--log-level", "warning"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    call = started[0]
    assert call.kind == "workers"
    assert (call["workers"], call["log_level"], call["factory"]) == (3, "warning", True)
    assert call["timeout_graceful_shutdown"] == 7


@pytest.mark.usefixtures("cli_environment")
def test_a_taken_port_stops_serve_before_any_worker_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    supervised: list[object] = []
    monkeypatch.setattr(workers.multiprocess, "Multiprocess", lambda *a, **k: supervised.append(a))
    monkeypatch.setattr(uvicorn.Config, "configure_logging", lambda config: None)
    monkeypatch.setenv("RUGWIJZER_MODE", "server")
    monkeypatch.setenv("RUGWIJZER_SECRET_KEY", TEST_SECRET)
    get_settings.cache_clear()
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", 0))
        other_program.listen()
        port = other_program.getsockname()[1]
        try:
            result = runner.invoke(
                app, ["serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)]
            )
        finally:
            get_settings.cache_clear()
    assert result.exit_code == 2
    assert f"Cannot listen on 127.0.0.1:{port} (EADDRINUSE)" in result.output
    assert supervised == []


@pytest.mark.usefixtures("cli_environment")
def test_zero_workers_is_a_usage_error(started: list[Started]) -> None:
    result = runner.invoke(app, ["serve", "--workers", "0"])
    assert result.exit_code == 2
    assert started == []


@pytest.mark.usefixtures("cli_environment")
def test_the_log_is_json_unless_a_person_watches_or_text_is_asked_for(
    started: list[Started], monkeypatch: pytest.MonkeyPatch
) -> None:
    # not a terminal here (the runner's output): JSON, for whatever collects the lines
    assert runner.invoke(app, ["serve"]).exit_code == 0
    assert started[-1]["log_config"]["handlers"]["stderr"]["formatter"] == "json"
    monkeypatch.setenv("RUGWIJZER_LOG_FORMAT", "text")
    get_settings.cache_clear()
    try:
        assert runner.invoke(app, ["serve"]).exit_code == 0
    finally:
        get_settings.cache_clear()
    assert started[-1]["log_config"]["handlers"]["stderr"]["formatter"] == "text"


def test_serve_writes_readable_lines_in_the_text_format(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    env = {"RUGWIJZER_LOG_FORMAT": "text"}
    with local_server(tmp_path / "data", log=log, extra_env=env) as url:
        assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200
        found = httpx.get(f"{url}/api/v1/foods", params={"q": "pindakaas"}, timeout=5)
        assert found.status_code == 200
    lines = log.read_text().splitlines()
    assert any(
        re.fullmatch(r"\d\d:\d\d:\d\d INFO  GET /healthz 200 \d+ ms", line) for line in lines
    )
    assert any(re.search(r"INFO  GET /api/v1/foods 200 \d+ ms$", line) for line in lines)
    assert not any(line.startswith("{") for line in lines)
    assert "pindakaas" not in log.read_text()  # the query is in no line

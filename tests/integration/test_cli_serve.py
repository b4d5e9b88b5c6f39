"""`rugwijzer serve --workers N`: several processes only in server mode, with a grace period
for requests in flight on SIGTERM; JSON log lines, or readable ones for a person at a terminal."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from scripts.local_server import local_server
from typer.testing import CliRunner

from rugwijzer.cli.main import app
from rugwijzer.settings import get_settings
from tests.factories import TEST_SECRET

runner = CliRunner()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What `serve` would have passed to uvicorn.run (which is not run)."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    return calls


@pytest.mark.usefixtures("cli_environment")
def test_local_mode_refuses_several_workers(started: list[dict[str, Any]]) -> None:
    result = runner.invoke(app, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "--workers 2 needs server mode" in result.output
    assert started == []


@pytest.mark.usefixtures("cli_environment")
def test_local_mode_serves_one_process(started: list[dict[str, Any]]) -> None:
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert started[0]["workers"] == 1
    assert started[0]["timeout_graceful_shutdown"] == 20


@pytest.mark.usefixtures("cli_environment")
def test_server_mode_starts_the_workers_asked_for(
    started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
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
    assert (call["workers"], call["log_level"], call["factory"]) == (3, "warning", True)
    assert call["timeout_graceful_shutdown"] == 7


@pytest.mark.usefixtures("cli_environment")
def test_zero_workers_is_a_usage_error(started: list[dict[str, Any]]) -> None:
    result = runner.invoke(app, ["serve", "--workers", "0"])
    assert result.exit_code == 2
    assert started == []


@pytest.mark.usefixtures("cli_environment")
def test_the_log_is_json_unless_a_person_watches_or_text_is_asked_for(
    started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
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

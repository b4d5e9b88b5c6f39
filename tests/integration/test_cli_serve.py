"""`rugwijzer serve --workers N`: several processes only in server mode, with a grace period
for requests in flight on SIGTERM."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn
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

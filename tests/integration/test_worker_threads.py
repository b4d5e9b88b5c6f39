"""Each app process runs its routes on a few threads (RUGWIJZER_WORKER_THREADS, default 4) with
a first-come-first-served line, not on anyio's default 40 threads taking turns at Python."""

from __future__ import annotations

import asyncio
from typing import Any

from anyio import to_thread
from fastapi.testclient import TestClient

from rugwijzer.settings import Settings
from rugwijzer.web.app import create_app


def _threads(settings: Settings) -> Any:
    with TestClient(create_app(settings), base_url="https://rugwijzer.test") as client:
        assert client.portal is not None

        async def tokens() -> float:
            return to_thread.current_default_thread_limiter().total_tokens

        return client.portal.call(tokens)


def test_the_thread_pool_follows_the_setting(server_settings: Settings) -> None:
    assert Settings().worker_threads == 4
    assert _threads(server_settings) == 4
    assert _threads(server_settings.model_copy(update={"worker_threads": 2})) == 2


def test_each_worker_trims_freed_memory_while_it_serves(server_settings: Settings) -> None:
    async def trimming() -> list[str]:
        return [task.get_name() for task in asyncio.all_tasks() if not task.done()]

    with TestClient(create_app(server_settings), base_url="https://rugwijzer.test") as client:
        assert client.portal is not None
        assert "trim freed memory" in client.portal.call(trimming)

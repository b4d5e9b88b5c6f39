"""Handing freed C memory back to the system (observability/memory.py)."""

from __future__ import annotations

import asyncio
import ctypes.util
import platform

import pytest

from rugwijzer.observability import memory


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)
def test_glibc_trims_its_heaps() -> None:
    assert memory.release_freed_memory() is True


def test_without_malloc_trim_it_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    memory._malloc_trim.cache_clear()
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    try:
        assert memory.release_freed_memory() is False
    finally:
        memory._malloc_trim.cache_clear()


def test_a_worker_trims_now_and_then_until_it_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    trims: list[int] = []
    monkeypatch.setattr(memory, "release_freed_memory", lambda: trims.append(1) or True)

    async def run_a_while() -> None:
        trimming = asyncio.create_task(memory.trim_now_and_then(every_s=0.01))
        await asyncio.sleep(0.2)
        trimming.cancel()
        with pytest.raises(asyncio.CancelledError):
            await trimming
        stopped_at = len(trims)
        await asyncio.sleep(0.05)
        assert len(trims) == stopped_at  # nothing after it stopped

    asyncio.run(run_a_while())
    assert 3 <= len(trims) <= 25

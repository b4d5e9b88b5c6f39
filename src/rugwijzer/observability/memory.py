"""Give memory that large, short-lived work freed back to the system.

An export builds a whole diary in memory (more as the diary grows), and glibc keeps freed
memory in its heaps for the next allocation, so such requests can leave a worker larger than it
needs to be. `malloc_trim(0)` hands the free pages of every heap back to the system, in each
worker once a minute (`trim_now_and_then`). It does not touch memory still in use.

Measured: four rounds of 12 PDF reports in two threads left a process at 302-320 MB, and at
257-269 MB with a trim after each. Reports now print in a child process of their own
(`rugwijzer.web.pdf_printer`), which hands back everything when it exits.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
from collections.abc import Callable
from functools import cache

__all__ = ["TRIM_EVERY_SECONDS", "release_freed_memory", "trim_now_and_then"]

#: How often a worker hands freed memory back. A trim takes up to a few tens of milliseconds
#: (it walks the heaps and holds them meanwhile), so not after every request.
TRIM_EVERY_SECONDS = 60.0


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None on a C library without it (musl, macOS)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_freed_memory() -> bool:
    """Return the C heaps' free pages to the system; False where the C library cannot."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


async def trim_now_and_then(every_s: float = TRIM_EVERY_SECONDS) -> None:
    """Release freed memory every `every_s` seconds until cancelled, on a thread of its own
    (the foreign call lets go of the interpreter; the routes' thread pool is not used)."""
    while True:
        await asyncio.sleep(every_s)
        await asyncio.to_thread(release_freed_memory)

"""Give memory that large, short-lived work freed back to the system.

Printing a PDF (WeasyPrint, Pango, HarfBuzz) allocates tens of megabytes in C and frees them
again. glibc keeps freed memory in its heaps for the next allocation, so each report left the
worker a little larger, in steps that never came back: the soak saw worker memory grow with
every few reports. `malloc_trim(0)` hands the free pages of every heap back to the system.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from functools import cache

__all__ = ["release_freed_memory"]


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

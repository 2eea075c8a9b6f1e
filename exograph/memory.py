"""Freed memory given back to the system between the build's phases, so that one phase's peak does not
stack on pages the phase before freed (the SHACL check's Oxigraph store, a writer's text)."""
from __future__ import annotations

import ctypes
import functools


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, musl): its allocator returns memory its own way
        return None


def give_back() -> None:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim``); nothing elsewhere."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)

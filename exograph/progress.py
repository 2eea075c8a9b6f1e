"""A progress line for slow work, on a terminal only."""
from __future__ import annotations

import sys
import threading
from contextlib import contextmanager
from typing import Iterator, TextIO

DELAY = 2.0  # seconds of silence before saying what is going on


@contextmanager
def progress(message: str, stream: TextIO | None = None, delay: float = DELAY) -> Iterator[None]:
    """Print ``exograph: MESSAGE ...`` once if the work takes longer than ``delay`` seconds and
    ``stream`` (stderr by default) is a terminal; pipes and files never see it."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield
        return
    timer = threading.Timer(delay, lambda: print(f"exograph: {message} ...", file=stream, flush=True))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()

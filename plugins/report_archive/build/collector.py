"""Python's cycle collector around a build that holds millions of long-lived objects.

A large archive loads millions of objects (reports, groups, rendered answers) that live until
the build ends and hold no garbage. Python's cycle collector would traverse all of them at
each full collection: at 1,000 groups, a fifth of a later build. So `paused` stops it while
the archive is loaded and laid out, `freeze` then moves every object alive into Python's
permanent generation (``gc.freeze``: they are still freed when unused, as any object; only
cycles among them wait), and `thaw` puts them back when the build ends, so that a process
that builds again (``mkdocs serve``, the tests) collects the last build's cycles. Python
runs a full collection rarely when many objects live, so a process that serves the site
collects the last build's cycles itself: else every rebuild would leave the last one's pages
and navigation (cycles of parents and children) in memory, a few hundred MB at 1,000 groups.
It does so while it waits for an edit (`collect_later`, a second after a build); `settle`,
before the next build, collects only when that has not happened yet.

While frozen, full collections are also made rarer (`FULL_EVERY`). Python weighs whether a
full collection is due against the objects its last full collection kept, and the frozen
objects do not count: the build's own pages, kept until it ends, were walked again and
again, more often the more groups (0.35 s at 1,000 groups, 0.83 s at 2,000 in a later
build). The young generations are collected as usual, which frees the short-lived cycles.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["FULL_EVERY", "IDLE_DELAY", "collect_later", "freeze", "paused", "settle", "thaw"]

FULL_EVERY = 100
"""While frozen: collections of the middle generation between full ones (Python's is 10)."""

IDLE_DELAY = 1.0
"""Seconds after a build before `collect_later` collects (the build has returned by then)."""

_lock = threading.Lock()
_timer: threading.Timer | None = None
_owed = False  # a build ended and its cycles are not collected yet
_thresholds: tuple[int, int, int] | None = None  # Python's, while frozen


@contextmanager
def paused() -> Iterator[None]:
    """Stop the cycle collector inside the block (unless it was stopped already)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def freeze() -> None:
    """Leave every object alive now out of the next collections; collect fully more rarely.

    Both last until `thaw`.
    """
    global _thresholds
    gc.freeze()
    if _thresholds is None:
        _thresholds = young, middle, full = gc.get_threshold()
        gc.set_threshold(young, middle, max(full, FULL_EVERY))


def thaw() -> None:
    """Collect the objects `freeze` left out again, as often as before."""
    global _thresholds
    gc.unfreeze()
    if _thresholds is not None:
        gc.set_threshold(*_thresholds)
        _thresholds = None


def collect_later(delay: float = IDLE_DELAY) -> None:
    """Collect in the background in `delay` seconds, once the build is over."""
    global _timer, _owed
    with _lock:
        if _timer is not None:
            _timer.cancel()
        _owed = True
        _timer = threading.Timer(delay, _collect_owed)
        _timer.daemon = True
        _timer.start()


def settle() -> None:
    """Collect now what the last build left, unless `collect_later` has done it already."""
    global _timer
    with _lock:
        if _timer is not None:
            _timer.cancel()
            _timer = None
    _collect_owed()


def _collect_owed() -> None:
    global _owed
    with _lock:
        if _owed:
            gc.collect()
            _owed = False

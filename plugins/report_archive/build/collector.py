"""Python's cycle collector around a build that holds millions of long-lived objects.

A large archive loads millions of objects (reports, groups, rendered answers) that live until
the build ends and hold no garbage. Python's cycle collector would traverse all of them at
each full collection: at 1,000 groups, a fifth of a later build. So `paused` stops it while
the archive is loaded and laid out, `freeze` then moves every object alive into Python's
permanent generation (``gc.freeze``: they are still freed when unused, as any object; only
cycles among them wait), and `thaw` puts them back when the build ends, so that a process
that builds again (``mkdocs serve``, the tests) collects the last build's cycles. Python
runs a full collection rarely when many objects live, so a process that serves the site
calls `collect` before each new build: else every rebuild would leave the last one's pages
and navigation (cycles of parents and children) in memory, a few hundred MB at 1,000 groups.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collect", "freeze", "paused", "thaw"]


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
    """Leave every object alive now out of the next collections (until `thaw`)."""
    gc.freeze()


def thaw() -> None:
    """Collect the objects `freeze` left out again."""
    gc.unfreeze()


def collect() -> None:
    """Free what the last build left in cycles (a full collection)."""
    gc.collect()

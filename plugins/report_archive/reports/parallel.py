"""Independent work spread over processes: parsing and rendering hundreds of reports.

Workers are started with ``spawn`` (the same on Linux, macOS and Windows, and safe while
other threads run); whatever a worker needs comes with each item, so a worker's results are
the same as this process's. Small archives are done in this process: starting workers costs
more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

__all__ = ["AUTO_MIN_ITEMS", "cpu_count", "process_map", "workers"]

T = TypeVar("T")
R = TypeVar("R")

AUTO_MIN_ITEMS = 50
"""With ``jobs: 0``, fewer items than this are done in this process."""


def cpu_count() -> int:
    """Return the CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def workers(jobs: int, items: int) -> int:
    """Return how many processes to use for `items` items.

    Args:
        jobs: The ``jobs`` option: 0 for one per CPU (for `AUTO_MIN_ITEMS` items or more),
            1 for this process only, N for N processes.
        items: How many items there are.
    """
    wanted = jobs if jobs >= 1 else (cpu_count() if items >= AUTO_MIN_ITEMS else 1)
    return max(1, min(wanted, items))


def process_map(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """Return ``[fn(x) for x in items]``, computed in worker processes when worth it.

    `fn` must be a module-level function and items and results picklable. Exceptions
    raised by `fn` are raised here.
    """
    count = workers(jobs, len(items))
    if count <= 1:
        return [fn(x) for x in items]
    context = multiprocessing.get_context("spawn")
    chunk = max(1, len(items) // (count * 8))
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        return list(pool.map(fn, items, chunksize=chunk))

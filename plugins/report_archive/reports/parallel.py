"""Independent work spread over processes: parsing and rendering hundreds of reports.

Workers are started with ``spawn`` (the same on Linux, macOS and Windows, and safe while
other threads run); whatever a worker needs comes with each item, so a worker's results are
the same as this process's. Small archives are done in this process: starting workers costs
more than it saves.

Starting a worker costs about a quarter of a second (a new Python importing this package).
Within `shared_workers`, every map runs in the processes started by the first that needs as
many or more. `process_map_later` hands the items to the workers and
returns at once, so that this process can do other work meanwhile; `process_iter` gives
the results one by one as they come.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

__all__ = [
    "AUTO_MIN_ITEMS",
    "cpu_count",
    "process_iter",
    "process_map",
    "process_map_later",
    "shared_workers",
    "workers",
]

T = TypeVar("T")
R = TypeVar("R")

AUTO_MIN_ITEMS = 50
"""With ``jobs: 0``, fewer items than this are done in this process."""

_shared: dict[int, ProcessPoolExecutor] | None = None
"""Worker count → the processes maps share, within `shared_workers`."""


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
    return process_map_later(fn, items, jobs)()


def process_map_later(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> Callable[[], list[R]]:
    """Start ``[fn(x) for x in items]`` in worker processes; return what waits for it.

    The returned function returns the results (and raises what `fn` raised); call it
    once. Done in this process (`workers` says 1), the items are computed when it is
    called. Items are sent to the workers in the background: they must not change until
    it returns.
    """
    count = workers(jobs, len(items))
    if count <= 1:
        return lambda: [fn(x) for x in items]
    results = _in_workers(fn, items, count)
    return lambda: list(results)


def process_iter(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> Iterator[R]:
    """Yield ``fn(x)`` for every item, in order, computed in worker processes when worth it.

    Each result comes as soon as it and those before it are done, so that this process
    can use them while the workers go on. What `fn` raised is raised when its item is
    reached. Items must not change until the last result.
    """
    count = workers(jobs, len(items))
    if count <= 1:
        return (fn(x) for x in items)
    return _in_workers(fn, items, count)


def _in_workers(fn: Callable[[T], R], items: Sequence[T], count: int) -> Iterator[R]:
    """Start `fn` on every item in `count` processes (shared ones, within `shared_workers`)."""
    chunk = max(1, len(items) // (count * 8))
    if _shared is None:
        pool = _pool(count)
        try:
            results = pool.map(fn, items, chunksize=chunk)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise

        def own() -> Iterator[R]:
            with pool:
                yield from results

        return own()
    shared = next((p for n, p in _shared.items() if n >= count), None)
    if shared is None:
        shared = _shared[count] = _pool(count)
    return shared.map(fn, items, chunksize=chunk)


def _pool(count: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"))


@contextlib.contextmanager
def shared_workers() -> Iterator[None]:
    """Within, maps share their processes: a map uses those of one that needed as many or more.

    They are stopped on leaving (work not collected is cancelled). Not for threads: maps
    are started from one thread.
    """
    global _shared
    outer, _shared = _shared, {}
    try:
        yield
    finally:
        pools, _shared = _shared, outer
        for pool in pools.values():
            pool.shutdown(cancel_futures=True)

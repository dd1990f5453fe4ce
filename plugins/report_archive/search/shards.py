"""Several Pagefind indexes instead of one, written one after another: Pagefind's memory.

The ``pagefind`` process holds every word and position of its index, and at its peak, while
it writes the bundle, about 0.9 GB per 1,000 groups (``docs/reference/benchmarks.md``). So
an archive of more than ``search.shard_groups`` group records is split into several indexes
(`split`), each a complete bundle in its own folder (``pagefind/``, ``pagefind-2/``...:
`report_archive.site.urls.search_index`), written by its own process; `ShardWriter` starts
the next process only once the previous one has written its bundle and stopped, so the peak
is one index's. The search page merges them in the browser (Pagefind's ``mergeIndex``).

With one index, its process is fed while MkDocs builds the pages, and written with them.
With several, the indexes but the last hold only group records, known before the pages are
built: given their folders, `ShardWriter` writes them at once, one after another, in the
background while MkDocs renders (the build's other core has little else to do then), and
the last index, which takes the hand-written pages, once they are rendered.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from pathlib import Path

from report_archive.search.index_cache import IndexCache
from report_archive.search.pagefind import IndexStats, IndexWriter, SearchError, bundle_stats
from report_archive.search.records import FILTER_SEMESTER, SearchRecord

__all__ = ["ShardWriter", "split"]


def split(records: Sequence[SearchRecord], limit: int) -> list[list[SearchRecord]]:
    """Split records into indexes of at most `limit` records, in order.

    A semester's records (consecutive records with the same ``Semester`` filter) stay in one
    index when they fit: an index takes the next semester whole if it has room for it, else
    the next index starts with it. A semester of more than `limit` records fills indexes of
    its own, in order. The first semester (the newest, in the site's order) has indexes of
    its own: it is the one staff edit while they review it, and after an edit only the
    index that holds the edited group is written again (`report_archive.search.index_cache`).

    Args:
        records: The records, in the site's order.
        limit: Most records per index; 0 (or at least as many as there are records) for
            one index.

    Returns:
        The records of each index (at least one, possibly empty, index).
    """
    if limit <= 0 or len(records) <= limit:
        return [list(records)]
    shards: list[list[SearchRecord]] = [[]]
    for n, run in enumerate(_semesters(records)):
        if shards[-1] and (n == 1 or len(shards[-1]) + len(run) > limit):
            shards.append([])
        for record in run:
            if len(shards[-1]) == limit:
                shards.append([])
            shards[-1].append(record)
    return shards


def _semesters(records: Iterable[SearchRecord]) -> list[list[SearchRecord]]:
    """Runs of consecutive records with the same semesters."""
    runs: list[list[SearchRecord]] = []
    previous: tuple[str, ...] | None = None
    for record in records:
        key = tuple(record.filters.get(FILTER_SEMESTER, ()))
        if not runs or key != previous:
            runs.append([])
        runs[-1].append(record)
        previous = key
    return runs


class ShardWriter:
    """Writes several Pagefind indexes, one ``pagefind`` process at a time.

    One index: its process starts at once and takes its records in the background
    (`IndexWriter`) while the caller goes on; `add` sends it more records, and `write`
    writes the bundle and stops the process. Several: every index but the last is written
    into its folder at once, one after another, in a background thread; `add` sends records
    (the hand-written pages) to the last, which `write` writes after them. Always end with
    `write` (or `start_writing`) or `close`.

    With a cache (`IndexCache`) and several indexes, an index whose records are unchanged
    since a build that kept it is copied instead. The background thread only waits on the
    ``pagefind`` processes (and encodes the records): keys are made, bundles already in
    the site recognised and old folders removed by the caller's thread, bundles are copied
    from and into the cache by a process of their own, and the bundles' files are counted
    when asked (`IndexStats`). A thread that hashes or handles files while the pages render
    waits for Python's lock after each call (hashlib and file calls let it go), and falls
    seconds behind.

    Args:
        shards: The records of each index (at least one).
        outputs: One folder per index, in order (each replaced).
        cache: Bundles kept between builds (None indexes every one).

    Raises:
        SearchError: Pagefind is missing or failed (from the constructor, `add` or `write`).
    """

    def __init__(
        self,
        shards: Sequence[Sequence[SearchRecord]],
        outputs: Sequence[Path],
        cache: IndexCache | None = None,
    ) -> None:
        self._shards = [list(records) for records in shards] or [[]]
        if len(outputs) != self.count:
            raise ValueError(f"{self.count} indexes need {self.count} folders")
        self._outputs = list(outputs)
        self._cache = cache if self.count > 1 else None
        self._lock = threading.Lock()
        self._closed = False
        self._start = time.perf_counter()
        self._keys: list[str | None] = [None] * self.count
        self._current: IndexWriter | None = None
        self._before: Future[list[IndexStats]] | None = None
        if self.count == 1:
            self._current = IndexWriter()
            self._current.add(self._shards[0])
            return
        ready = [self._ready(n) for n in range(self.count - 1)]
        self._before = _in_thread(lambda: [r or self._make(n) for n, r in enumerate(ready)])

    @property
    def count(self) -> int:
        """How many indexes are written."""
        return len(self._shards)

    def add(self, records: Iterable[SearchRecord]) -> None:
        """Send more records (before `write`): to the index, or with several the last."""
        if self._before is not None:
            self._shards[-1].extend(records)
        else:
            assert self._current is not None
            self._current.add(records)

    def write(self) -> list[IndexStats]:
        """Write the index, or with several the last after the others; return what each holds."""
        return self._last()()

    def start_writing(self) -> Future[list[IndexStats]]:
        """`write` in a background thread; the future gives its stats or its error."""
        return _in_thread(self._last())

    def _last(self) -> Callable[[], list[IndexStats]]:
        """Prepare the last index here; return what writes it and gathers every index's stats."""
        if self._before is None:
            current = self._current
            assert current is not None
            return lambda: [current.write(self._outputs[0])]
        before = self._before
        last = self.count - 1
        ready = self._ready(last)
        return lambda: [*before.result(), ready or self._make(last)]

    def _ready(self, n: int) -> IndexStats | None:
        """Index `n` when its folder holds it already, else None (its old folder removed)."""
        output = self._outputs[n]
        if self._cache is not None:
            self._keys[n] = key = self._cache.key(self._shards[n])
            if self._cache.same(key, output):
                return bundle_stats(output, len(self._shards[n]), self._start, kept=True)
        if output.exists():
            shutil.rmtree(output)
        return None

    def _make(self, n: int) -> IndexStats:
        """Index `n` copied from the cache (by a process of its own), or indexed."""
        key = self._keys[n]
        if self._cache is not None and key is not None and self._cache.copy(key, self._outputs[n]):
            return bundle_stats(self._outputs[n], len(self._shards[n]), self._start, kept=True)
        return self._index(n)

    def _index(self, n: int) -> IndexStats:
        """Index `n` written by a ``pagefind`` process, then kept in the cache."""
        with self._lock:
            if self._closed:
                raise SearchError("stopped before every index was written")
            self._current = writer = IndexWriter()
        writer.add(self._shards[n])
        output = self._outputs[n]
        stats = writer.write(output)
        key = self._keys[n]
        if self._cache is not None and key is not None:
            self._cache.put(key, output)
        return stats

    def close(self) -> None:
        """Stop the running ``pagefind`` process and start no other (safe to call twice)."""
        with self._lock:
            self._closed = True
            current = self._current
        if current is not None:
            current.close()


def _in_thread(work: Callable[[], list[IndexStats]]) -> Future[list[IndexStats]]:
    """Run `work` in a daemon thread; the future gives its result or its error."""
    future: Future[list[IndexStats]] = Future()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as e:  # handed to whoever waits
            future.set_exception(e)

    threading.Thread(target=run, daemon=True).start()
    return future

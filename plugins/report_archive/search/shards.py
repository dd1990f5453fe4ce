"""Several Pagefind indexes instead of one, written one after another: Pagefind's memory.

The ``pagefind`` process holds every word and position of its index, and at its peak, while
it writes the bundle, about 0.9 GB per 1,000 groups (``docs/reference/benchmarks.md``). So
an archive of more than ``search.shard_groups`` group records is split into several indexes
(`split`), each a complete bundle in its own folder (``pagefind/``, ``pagefind-2/``...:
`report_archive.site.urls.search_index`), written by its own process; `ShardWriter` starts
the next process only once the previous one has written its bundle and stopped, so the peak
is one index's. The search page merges them in the browser (Pagefind's ``mergeIndex``).

The first index is fed while MkDocs builds the pages, as a single index is; the records of
the others wait in memory (they are made at once anyway) until the first is written.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
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

    One index's process starts at once and takes its records in the background
    (`IndexWriter`), while the caller goes on. `write` writes that bundle and stops its
    process, then, for each other index, starts a process, sends its records, writes its
    bundle and stops it. Always end with `write` or `close`.

    With a cache (`IndexCache`) and several indexes, an index whose records are unchanged
    since a build that kept it is copied instead; the records `add` sends (the hand-written
    pages) go to the last index, whose key is known only then, and the process started at
    once is the first index's that is not kept. Without, `add` sends to the first index,
    started at once.

    Args:
        shards: The records of each index (at least one).
        cache: Bundles kept between builds (None indexes every one).

    Raises:
        SearchError: Pagefind is missing or failed (from the constructor, `add` or `write`).
    """

    def __init__(
        self, shards: Sequence[Sequence[SearchRecord]], cache: IndexCache | None = None
    ) -> None:
        self._shards = [list(records) for records in shards] or [[]]
        self._cache = cache if len(self._shards) > 1 else None
        self._lock = threading.Lock()
        self._closed = False
        self._start = time.perf_counter()
        self._keys: list[str | None] = [None] * len(self._shards)
        self._early: int | None = 0
        if self._cache is not None:
            self._early = None
            for n, records in enumerate(self._shards[:-1]):
                self._keys[n] = key = self._cache.key(records)
                if self._early is None and not (self._cache.folder / key).is_dir():
                    self._early = n
        self._current: IndexWriter | None = None
        if self._early is not None:
            self._current = IndexWriter()
            self._current.add(self._shards[self._early])

    @property
    def count(self) -> int:
        """How many indexes are written."""
        return len(self._shards)

    def add(self, records: Iterable[SearchRecord]) -> None:
        """Send more records (before `write`): to the last index with a cache, else the first."""
        if self._cache is not None:
            self._shards[-1].extend(records)
        else:
            assert self._current is not None
            self._current.add(records)

    def write(self, outputs: Sequence[Path]) -> list[IndexStats]:
        """Write each index into its folder (replaced), one process after the other.

        Args:
            outputs: One folder per index, in order (`count` of them).

        Returns:
            What was written, per index.
        """
        assert len(outputs) == self.count
        stats: list[IndexStats] = []
        for n, (records, output) in enumerate(zip(self._shards, outputs, strict=True)):
            cache = self._cache
            key = self._keys[n] or (cache.key(records) if cache is not None else None)
            if n == self._early and self._current is not None:
                stats.append(self._current.write(output))
            elif cache is not None and key is not None and cache.copy(key, output):
                stats.append(bundle_stats(output, len(records), self._start, kept=True))
                continue
            else:
                with self._lock:
                    if self._closed:
                        raise SearchError("stopped before every index was written")
                    self._current = IndexWriter()
                self._current.add(records)
                stats.append(self._current.write(output))
            if cache is not None and key is not None:
                cache.put(key, output)
        return stats

    def start_writing(self, outputs: Sequence[Path]) -> Future[list[IndexStats]]:
        """Run `write` in a background thread; the future gives its stats or its error."""
        future: Future[list[IndexStats]] = Future()

        def run() -> None:
            try:
                future.set_result(self.write(outputs))
            except BaseException as e:  # handed to whoever waits
                future.set_exception(e)

        threading.Thread(target=run, daemon=True).start()
        return future

    def close(self) -> None:
        """Stop the running ``pagefind`` process and start no other (safe to call twice)."""
        with self._lock:
            self._closed = True
            current = self._current
        if current is not None:
            current.close()

"""The Pagefind indexes of a build: started once the pages are known, written with the site.

``on_nav`` makes every group page's record and splits the records into indexes of at most
``search.shard_groups`` groups (`report_archive.search.shards.split`; one index for most
sites), and tells the search page which indexes there are. With one index, it sends the
records to the ``pagefind`` process, which indexes while MkDocs renders; the hand-written
pages are added as MkDocs renders them. With several, every index but the last is written
into the site at once (``pagefind/``, ``pagefind-2/``..., one process after another, or
copied from the cache when unchanged since the last build,
`report_archive.search.index_cache`) while MkDocs renders, and the hand-written pages go to
the last. ``on_env`` starts writing what is left while MkDocs writes the pages, and
``on_post_build`` waits for it. A failed build stops the process.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from report_archive.build.archive import log
from report_archive.search.answers import answer_records, page_record
from report_archive.search.index_cache import IndexCache
from report_archive.search.pagefind import IndexStats, SearchError
from report_archive.search.records import SearchRecord
from report_archive.search.shards import ShardWriter, split
from report_archive.site.plan import SitePlan
from report_archive.site.urls import search_index

__all__ = ["SearchIndex"]


class SearchIndex:
    """One build's Pagefind indexes, from the first record to the written bundles."""

    def __init__(self) -> None:
        self._index: ShardWriter | None = None  # taking records
        self._writer: ShardWriter | None = None  # writing the bundles
        self._writing: Future[list[IndexStats]] | None = None
        self._pages: list[SearchRecord] = []
        self._folders: list[str] = []  # of each index, from the site root
        self._cache: IndexCache | None = None

    def start(
        self,
        plan: SitePlan,
        files: Files,
        shard_groups: int,
        cache: Path | None,
        site_dir: str,
    ) -> None:
        """Start Pagefind and send it every answer; set the plan's `search_indexes`.

        Args:
            plan: The laid-out site.
            files: The site's files (for the pages' URLs).
            shard_groups: Most group records per index (0: one index).
            cache: Where bundles are kept between builds (`IndexCache`; None: not kept).
            site_dir: The site folder (with several indexes, all but the last are written
                there at once).

        Raises:
            PluginError: Pagefind is missing or failed.
        """
        self.close()
        self._pages = []

        def url(src_uri: str) -> str:
            file = files.get_file_from_path(src_uri)
            assert file is not None
            return file.url

        shards = split(answer_records(plan, url), shard_groups)
        plan.search_indexes = tuple(search_index(n + 1) for n in range(len(shards)))
        self._folders = list(plan.search_indexes)
        if len(shards) > 1:
            sizes = ", ".join(str(len(records)) for records in shards)
            log.info(f"search: {len(shards)} indexes of {sizes} records (search.shard_groups)")
        try:
            self._cache = IndexCache(cache) if cache is not None else None
            outputs = [Path(site_dir) / folder for folder in self._folders]
            self._index = ShardWriter(shards, outputs, self._cache)
        except SearchError as e:
            self.close()
            raise PluginError(f"report-archive: cannot build the search index: {e}") from e

    def add_page(self, page: Page, html: str) -> None:
        """Index a hand-written page (unless its front matter says ``search: exclude``)."""
        if self._index is not None and not page.meta.get("search", {}).get("exclude"):
            self._pages.append(page_record(page.url, page.title or "", html))

    def write(self) -> None:
        """Start writing what is left of the bundles into the site, in the background."""
        index, self._index = self._index, None
        if index is not None:
            index.add(self._pages)
            self._writing = index.start_writing()
            self._writer = index

    def finish(self) -> None:
        """Wait for the bundles and log what was written.

        Raises:
            PluginError: Pagefind failed.
        """
        writing, self._writing, self._writer = self._writing, None, None
        if writing is None:
            return
        try:
            written = writing.result()
        except SearchError as e:
            raise PluginError(f"report-archive: cannot write the search index: {e}") from e
        for folder, stats in zip(self._folders, written, strict=True):
            how = "unchanged since the last build" if stats.kept else f"in {stats.seconds:.1f} s"
            log.info(
                f"search index ({folder}): {stats.records} records, {stats.files} files, "
                f"{stats.bytes / 1e6:.1f} MB {how}"
            )
        if self._cache is not None:
            self._cache.prune()

    def close(self) -> None:
        """Stop Pagefind without writing anything (safe to call twice)."""
        for index in (self._index, self._writer):
            if index is not None:
                index.close()
        self._index = self._writer = None
        self._writing = None

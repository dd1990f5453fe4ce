"""The Pagefind index of a build: started once the pages are known, written with the site.

``on_nav`` sends every group page's record to the ``pagefind`` process, which indexes while
MkDocs renders; the hand-written pages are added as MkDocs renders them; ``on_env`` starts
writing the bundle into ``<site_dir>/pagefind/`` while MkDocs writes the pages, and
``on_post_build`` waits for it. A failed build stops the process.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from report_archive.build.archive import log
from report_archive.build.files import PAGEFIND_DIR
from report_archive.search.pagefind import IndexStats, IndexWriter, SearchError
from report_archive.search.records import SearchRecord, answer_records, page_record
from report_archive.site.plan import SitePlan

__all__ = ["SearchIndex"]


class SearchIndex:
    """One build's Pagefind index, from the first record to the written bundle."""

    def __init__(self) -> None:
        self._index: IndexWriter | None = None  # taking records
        self._writer: IndexWriter | None = None  # writing the bundle
        self._writing: Future[IndexStats] | None = None
        self._pages: list[SearchRecord] = []

    def start(self, plan: SitePlan, files: Files) -> None:
        """Start Pagefind and send it every answer.

        Raises:
            PluginError: Pagefind is missing or failed.
        """
        self.close()
        self._pages = []

        def url(src_uri: str) -> str:
            file = files.get_file_from_path(src_uri)
            assert file is not None
            return file.url

        try:
            self._index = IndexWriter()
            self._index.add(answer_records(plan, url))
        except SearchError as e:
            self.close()
            raise PluginError(f"report-archive: cannot build the search index: {e}") from e

    def add_page(self, page: Page, html: str) -> None:
        """Index a hand-written page (unless its front matter says ``search: exclude``)."""
        if self._index is not None and not page.meta.get("search", {}).get("exclude"):
            self._pages.append(page_record(page.url, page.title or "", html))

    def write(self, site_dir: str) -> None:
        """Start writing the bundle into the site, in the background."""
        index, self._index = self._index, None
        if index is not None:
            index.add(self._pages)
            self._writing = index.start_writing(Path(site_dir) / PAGEFIND_DIR)
            self._writer = index

    def finish(self) -> None:
        """Wait for the bundle and log what was written.

        Raises:
            PluginError: Pagefind failed.
        """
        writing, self._writing, self._writer = self._writing, None, None
        if writing is None:
            return
        try:
            stats = writing.result()
        except SearchError as e:
            raise PluginError(f"report-archive: cannot write the search index: {e}") from e
        log.info(
            f"search index: {stats.records} records, {stats.files} files, "
            f"{stats.bytes / 1e6:.1f} MB in {stats.seconds:.1f} s"
        )

    def close(self) -> None:
        """Stop Pagefind without writing anything (safe to call twice)."""
        for index in (self._index, self._writer):
            if index is not None:
                index.close()
        self._index = self._writer = None
        self._writing = None

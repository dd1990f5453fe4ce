"""Generated pages' stubs rendered by MkDocs once while serving, then kept in memory.

MkDocs renders every page's markdown with the site's extensions, a new Markdown instance
each time. A generated page's markdown is a stub: its title and two placeholders
(`report_archive.build.pages` puts the body in place). While ``mkdocs serve`` rebuilds
after an edit, that is 1,500 identical renders at 1,000 groups, about a second of every
rebuild. So, while serving, each stub's render is kept in memory
(`report_archive.reports.store.memory`) and given again to the same page with the same
markdown under the same markdown options: its HTML, table of contents, title and anchors.

The placeholders' token changes with every build (`SitePlan.token`), so the key and the
kept HTML hold a fixed marker in its place. A render that links anywhere (a title holding
a link) is not kept: MkDocs resolves links against the build's files. With `check`, a kept
render is compared with a new one and a difference fails the build (the tests set it, with
the page cache's check).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from report_archive.reports.store import memory

__all__ = ["StubRenders"]

_MARKER = "\x00token\x00"
_LINKS = re.compile(r"""\s(?:href|src)=(?!["']?#)""")
"""A link or a source that is not an anchor of the page itself."""


@dataclass(frozen=True)
class _Render:
    """What `Page.render` leaves on a page, with the token replaced by `_MARKER`."""

    content: str
    toc: Any
    title: str | None
    anchors: frozenset[str] | None
    own_links: dict[str, str] | None
    other_links: bool

    @classmethod
    def of(cls, page: Page, token: str) -> _Render:
        links = page.links_to_anchors
        own = None if links is None else dict(links.get(page.file, {}))
        return cls(
            (page.content or "").replace(token, _MARKER),
            copy.deepcopy(page.toc),
            page._title_from_render,
            frozenset(page.present_anchor_ids) if page.present_anchor_ids is not None else None,
            own,
            links is not None and any(file is not page.file for file in links),
        )

    @property
    def keepable(self) -> bool:
        """Whether it links to nothing but its own anchors (those do not depend on files)."""
        return not self.other_links and not _LINKS.search(self.content)

    def give(self, page: Page, token: str) -> None:
        page.content = self.content.replace(_MARKER, token)
        page.toc = copy.deepcopy(self.toc)
        page._title_from_render = self.title
        page.present_anchor_ids = set(self.anchors) if self.anchors is not None else None
        own = self.own_links
        page.links_to_anchors = None if own is None else ({page.file: dict(own)} if own else {})

    def same(self, other: _Render) -> bool:
        toc = [(a.id, a.title, a.level) for a in self.toc]
        return (self.content, toc, self.title, self.anchors, self.own_links) == (
            other.content,
            [(a.id, a.title, a.level) for a in other.toc],
            other.title,
            other.anchors,
            other.own_links,
        )


class StubRenders:
    """Renders generated pages' stubs, keeping each render in memory while serving.

    Args:
        folder: Names the kept renders in memory (no file is written there).
        config: The site's configuration (its markdown options are part of every key).
        token: This build's placeholder token.
        check: Render kept stubs again and fail when they differ.
    """

    def __init__(self, folder: Path, config: MkDocsConfig, token: str, *, check: bool) -> None:
        self._kept = memory(folder)
        self._options = repr((config.markdown_extensions, config.mdx_configs))
        self._token = token
        self._check = check
        self._used: dict[str, _Render] = {}
        self.hits = 0
        self.pages = 0

    @property
    def active(self) -> bool:
        """Whether renders are kept (only while serving)."""
        return self._kept is not None

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """Render `page`'s stub as `Page.render` does, or give it the kept render."""
        assert page.markdown is not None
        if _MARKER in page.markdown:  # cannot be told from the token: rendered, not kept
            Page.render(page, config, files)
            return
        stub = page.markdown.replace(self._token, _MARKER)
        key = "\x01".join((self._options, page.file.src_uri, page.url, stub))
        kept = self._kept.get(key) if self._kept is not None else None
        self.pages += 1
        if kept is not None:
            self.hits += 1
            if not self._check:
                kept.give(page, self._token)
                self._used[key] = kept
                return
        Page.render(page, config, files)
        fresh = _Render.of(page, self._token)
        if kept is not None and not kept.same(fresh):
            raise PluginError(
                f"report-archive: the kept render of {page.file.src_uri!r}'s stub differs "
                "from a new one"
            )
        if fresh.keepable:
            self._used[key] = fresh

    def done(self) -> None:
        """Keep this build's renders (and only them) for the next build."""
        if self._kept is not None:
            self._kept.clear()
            self._kept.update(self._used)

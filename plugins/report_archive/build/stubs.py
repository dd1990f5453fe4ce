"""Generated pages' stubs rendered by MkDocs once a build, and while serving once in all.

MkDocs renders every page's markdown with the site's extensions, a new Markdown instance
each time: at 1,000 groups, 1,500 renders and more than a second of a build. A generated
page's markdown is a stub, its placeholder alone (`report_archive.site.views.PageSpec.stub`),
the same for every page; `report_archive.build.pages` puts the breadcrumbs, the title and
the body in its place. So the stub is rendered once a build, and every other page with the
same stub under the same markdown options is given that render: its HTML, table of
contents, anchors and links. While serving, the render is kept in memory
(`report_archive.reports.store.memory`) for the next builds.

The placeholder's token changes with every build (`SitePlan.token`), so the key and the
kept HTML hold a fixed marker in its place. A render that links anywhere is not shared
(MkDocs resolves links against the page and the build's files); nor is a stub that
another plugin made different. With `check`, every stub is rendered and compared with the
render it would have been given, and a difference fails the build (the tests set it, with
the page cache's check).

MkDocs takes a page's title from its first heading, and the stub has none: each page is
given its title as if its render had found it (``Page._title_from_render``, HTML, below the
navigation's title and the page's metadata, as before), from before its render
(`StubRenders.entitle`), so that plugins reading ``page.title`` on the page's markdown see
it too.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Mapping
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
    """Renders generated pages' stubs, each different one once (while serving, once in all).

    Args:
        folder: Names the renders kept in memory while serving (no file is written there);
            None keeps them for this build only.
        config: The site's configuration (its markdown options are part of every key).
        token: This build's placeholder token.
        titles: Source path → title (plain text) of every generated page.
        check: Render every stub and fail when it differs from the render it would get.
    """

    def __init__(
        self,
        folder: Path | None,
        config: MkDocsConfig,
        token: str,
        titles: Mapping[str, str],
        *,
        check: bool,
    ) -> None:
        self._kept = memory(folder) if folder is not None else None
        self._options = repr((config.markdown_extensions, config.mdx_configs))
        self._token = token
        self._titles = titles
        self._check = check
        self._used: dict[str, _Render] = {}
        self.rendered = 0
        """Stubs rendered by the site's markdown in this build (in check mode, every one)."""
        self.kept = 0
        """Stubs given the render kept from the last build (or compared with it)."""
        self.pages = 0

    def entitle(self, page: Page) -> None:
        """Give a generated page its title, as MkDocs takes it from a rendered first heading.

        That is HTML: the themes print it through ``striptags``, which decodes entities,
        so the plain title is escaped here (a title holding ``&lt;`` stays text).
        """
        title = self._titles.get(page.file.src_uri)
        if title is not None:
            page._title_from_render = html.escape(title, quote=False)

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """Render `page`'s stub as `Page.render` does, or give it the same stub's render.

        Then give the page its title again (`Page.render` sets none: the stub has no
        heading).
        """
        self._render(page, config, files)
        self.entitle(page)

    def _render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        assert page.markdown is not None
        self.pages += 1
        if _MARKER in page.markdown:  # cannot be told from the token: rendered, not shared
            self.rendered += 1
            Page.render(page, config, files)
            return
        key = "\x01".join((self._options, page.markdown.replace(self._token, _MARKER)))
        given = self._used.get(key)
        if given is None and self._kept is not None and (given := self._kept.get(key)):
            self.kept += 1
        if given is not None and not self._check:
            given.give(page, self._token)
            self._used[key] = given
            return
        self.rendered += 1
        Page.render(page, config, files)
        fresh = _Render.of(page, self._token)
        if given is not None and not given.same(fresh):
            raise PluginError(
                f"report-archive: the render {page.file.src_uri!r} was given for its stub "
                "differs from a new one"
            )
        if fresh.keepable:
            self._used.setdefault(key, fresh)

    def done(self) -> None:
        """While serving, keep this build's renders (and only them) for the next build."""
        if self._kept is not None:
            self._kept.clear()
            self._kept.update(self._used)

"""Rendered page bodies kept on disk between builds, keyed by what they are made from.

A page's key (`PageCache.key`) is a SHA-256 over:

- the code and templates that render it: every file of the ``report_archive`` package, the
  site's override templates, the versions of the libraries that render (Jinja2, Markdown,
  cmarkgfm, nh3...) and of Python;
- the site in outline: its options and top-level pages; the page's breadcrumbs;
- the groups whose content the page shows, each by its digest (`group_digest`): what its
  report was read from (`report_archive.reports.archive.GroupEntry.digest`), its
  ``group.yml``, its figures as published, its problems and its answers as rendered. By
  default every group, with every page (source path, title), where each answer is shown
  and the archive's own problems; a view may name fewer (`View.inputs`) and then says what
  the page shows of the others and of other pages (`View.others`). A group page names its
  group (and its neighbours' and similar groups' names, its tools' and answers' pages); a
  semester page its groups; a question page, or a semester's part of it, the groups of its
  semesters (and the counts over every semester, the questions around it); a tool page
  the groups on it (and the counts); a checklist item's page none (it shows only groups'
  labels and pages, which it names); a part of the problems page the groups on it. The
  other pages (home, lists, the problems page when whole) every group;
- the page itself: its source path, its URL.

A site with override templates has every page keyed by every group (an override may show
anything). A group whose report was not read through the reading cache has no digest, so
the pages that show it are rendered every time. With `PageCache.check` (the environment variable
`CHECK_ENV` set, as the tests do) every page kept is rendered again and compared, and a
difference is an error naming the page: a view whose `View.inputs` misses what it shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from report_archive.reports.store import Store
from report_archive.site import digests
from report_archive.site.answers import ROOT
from report_archive.site.groups import GroupData
from report_archive.site.plan import SitePlan
from report_archive.site.views.base import PageSpec, RenderedPage

__all__ = ["CHECK_ENV", "PageCache", "PageCacheError", "group_digest"]

CHECK_ENV = "REPORT_ARCHIVE_CHECK_PAGE_CACHE"
"""Set to 1, every page taken from the cache is rendered again and compared."""


class PageCacheError(Exception):
    """A page taken from the cache differs from the page rendered again (in check mode)."""


def _templates(folders: Iterable[Path]) -> bytes:
    """The site's override templates (names and bytes)."""
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(str(folder).encode())
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(folder).as_posix().encode())
                    digest.update(path.read_bytes())
    return digest.digest()


def group_digest(data: GroupData) -> bytes | None:
    """What a group's content is made from, or None when its report has no digest."""
    entry = data.entry
    if entry.digest is None:
        return None
    digest = hashlib.sha256(entry.digest.encode())
    semester = data.semester
    parts: list[Any] = [
        entry.semester,
        entry.slug,
        entry.number,
        entry.meta,
        entry.problems,
        (semester.slug, semester.title, semester.order),
        data.uri,
        data.position,
        data.identity,
        data.figures,
        data.problems,
    ]
    digest.update(repr(parts).encode("utf-8", "surrogateescape"))
    if data.rendering:  # the key of what its answers were rendered from
        digest.update(data.rendering.encode())
        return digest.digest()
    # The HTML has this process's stand-in for the site root (`ROOT`), the same in every one
    for texts in (data.answers, data.texts):
        for question, text in texts.items():
            digest.update(f"\0{question}\0".encode())
            digest.update(text.replace(ROOT, "\0root\0").encode("utf-8", "surrogateescape"))
    for text in (data.extra, data.extra_text):
        digest.update(b"\0")
        digest.update(text.replace(ROOT, "\0root\0").encode("utf-8", "surrogateescape"))
    return digest.digest()


def _outline(site: SitePlan) -> bytes:
    """What any page may show of the site: its options and top-level pages."""
    options = site.options
    digest = hashlib.sha256()
    digest.update(
        repr(
            (
                options.urls,
                sorted(options.pages),
                options.redact,
                options.max_page_size,
                options.search_engine,
                options.display_root,
                options.site_name,
                options.dedupe_figures,
                options.link_figures,
            )
        ).encode()
    )
    digest.update(repr(site.index()).encode())
    return digest.digest()


def _everything(site: SitePlan, groups: list[bytes]) -> bytes:
    """What a page that may show anything of any group or page is made from."""
    digest = hashlib.sha256()
    for one in groups:
        digest.update(one)
    for spec in site.pages.values():
        digest.update(repr((spec.src_uri, spec.kind, spec.title, spec.in_nav)).encode())
    digest.update(repr(sorted(site.answer_links.items())).encode())
    digest.update(repr(site.archive.problems).encode("utf-8", "surrogateescape"))
    return digest.digest()


class PageCache:
    """Page bodies kept in a folder, each under the key of what it is made from.

    Args:
        site: The laid-out site.
        folder: Where the bodies are kept (created when needed).
        templates: The site's override template folders.
        check: Render every kept page again and compare (`CHECK_ENV`).
    """

    def __init__(
        self, site: SitePlan, folder: Path, templates: Iterable[Path] = (), *, check: bool = False
    ) -> None:
        self.site = site
        self.check = check
        self.hits = 0
        self.misses = 0
        self._store = Store(folder)
        self._digests: dict[int, bytes | None] = {}
        self._every: bytes | None = None
        folders = list(templates)
        # An override template may show anything of any group: no page names fewer inputs
        self._narrow = not any(p.is_file() for f in folders if f.is_dir() for p in f.rglob("*"))
        self._base = hashlib.sha256(digests.code())
        self._base.update(_templates(folders))
        self._base.update(_outline(site))

    def _group(self, data: GroupData) -> bytes | None:
        found = self._digests.get(id(data), b"")
        if found == b"":
            found = self._digests[id(data)] = group_digest(data)
        return found

    def key(self, spec: PageSpec[Any], url: str) -> str | None:
        """The key of a page's body at `url`, or None when it cannot be kept (a miss)."""
        key = self._key(spec, url)
        if key is None:
            self.misses += 1
        return key

    def _key(self, spec: PageSpec[Any], url: str) -> str | None:
        groups = spec.view.inputs(spec, self.site) if self._narrow else None
        digest = self._base.copy()
        trail = spec.view.trail(spec, self.site)
        digest.update(repr((spec.src_uri, spec.kind, spec.title, url, trail)).encode())
        if groups is None:
            if self._every is None:
                every = [self._group(data) for data in self.site.groups]
                if None in every:
                    return None
                self._every = _everything(self.site, [d for d in every if d is not None])
            digest.update(self._every)
        else:
            for data in groups:
                one = self._group(data)
                if one is None:
                    return None
                digest.update(one)
            others = spec.view.others(spec, self.site)
            digest.update(repr(others).encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def get(self, key: str) -> RenderedPage | None:
        """The body kept under a key, or None."""
        page = self._store.get(key)
        if isinstance(page, RenderedPage):
            self.hits += 1
            return page
        self.misses += 1
        return None

    def put(self, key: str, page: RenderedPage) -> None:
        """Keep a body."""
        self._store.put(key, page)

    def compare(self, spec: PageSpec[Any], kept: RenderedPage, fresh: RenderedPage) -> None:
        """Check a kept body against the same page rendered again.

        Raises:
            PageCacheError: They differ.
        """
        if kept != fresh:
            raise PageCacheError(
                f"the cached body of {spec.src_uri} ({spec.kind}) differs from a fresh "
                "rendering: its view's inputs miss something the page shows"
            )

    def prune(self) -> int:
        """Remove the bodies this build did not use; return how many."""
        return self._store.prune()

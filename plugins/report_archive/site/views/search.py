"""The search page (with ``search.engine: pagefind``)."""

from __future__ import annotations

from dataclasses import dataclass

from report_archive.site.views.base import PageSpec, Site, View

__all__ = ["SearchContext", "SearchView"]


@dataclass(frozen=True)
class SearchContext:
    """What ``search.html`` receives: the common context only."""


class SearchView(View[None]):
    """The search page, with Pagefind's search box and results."""

    kind = "search"
    template = "search.html"
    option = "search"

    def plan(self, site: Site) -> None:
        """Add the search page."""
        site.add(PageSpec(site.urls.index("search"), self, "Search", in_nav=True))

    def context(self, spec: PageSpec[None], site: Site) -> SearchContext:
        """Nothing of its own."""
        return SearchContext()

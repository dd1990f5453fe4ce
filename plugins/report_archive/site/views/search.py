"""The search page (with ``search.engine: pagefind``)."""

from __future__ import annotations

from dataclasses import dataclass

from report_archive.site.views.base import PageSpec, Site, View

__all__ = ["OTHER_SECTIONS", "SearchContext", "SearchView"]

OTHER_SECTIONS = {"extra": "Other content of the report", "checklist": "Checklist notes"}
"""The sections of a group's search record that are not answers: anchor → name."""


@dataclass(frozen=True)
class SearchContext:
    """What ``search.html`` receives.

    Attributes:
        labels: What the results call each part of a group's page, by its anchor: the
            catalogue's question titles, then the report's other content and the checklist
            notes. The titles are not in the search index, so a word of a question's title
            never makes a group a hit; the page names the answers with them.
        indexes: The folders of the Pagefind indexes to search, from the site root: the
            first (``pagefind/``) is loaded, the others (``pagefind-2/``..., when the
            records were split to bound Pagefind's memory) are merged into it.
    """

    labels: dict[str, str]
    indexes: list[str]


class SearchView(View[None]):
    """The search page: a search box, filters and results (Pagefind's JavaScript API)."""

    kind = "search"
    template = "search.html"
    option = "search"

    def plan(self, site: Site) -> None:
        """Add the search page."""
        site.add(PageSpec(site.urls.index("search"), self, "Search", in_nav=True))

    def context(self, spec: PageSpec[None], site: Site) -> SearchContext:
        """The names of the sections of a group's page, and the indexes to search."""
        labels = {q.id: q.title for q in site.catalogue.questions}
        labels.update(OTHER_SECTIONS)
        return SearchContext(labels=labels, indexes=list(site.search_indexes))

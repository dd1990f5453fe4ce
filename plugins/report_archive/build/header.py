"""The search box in the theme's header, on every page.

Material puts a search box in its header only with its own search plugin, which this site
turns off for Pagefind. The plugin adds its own instead: a form (``partials/search.html``,
``header``) that opens the search page with ``?q=``, rendered once and put into each page's
header (``<nav class="md-header__inner ...">``) after MkDocs rendered it, with the search
page's address relative to the page. A theme without that header gets no box; the search
page is in the navigation.
"""

from __future__ import annotations

import re

from mkdocs.structure.files import Files

from report_archive.site.answers import ROOT, fill_root, relative_root
from report_archive.site.plan import SitePlan
from report_archive.site.rendering import PageRenderer

__all__ = ["HeaderSearch"]

_HEADER = re.compile(r'<nav class="md-header__inner[^"]*"[^>]*>')
_SOURCE = '<div class="md-header__source">'


class HeaderSearch:
    """Puts the search box into the header of every page MkDocs renders.

    Args:
        plan: The laid-out site (its search page, if any).
        renderer: Renders the ``header`` macro of ``partials/search.html``.
        files: The site's files (to find the search page's URL).
    """

    def __init__(self, plan: SitePlan, renderer: PageRenderer, files: Files) -> None:
        self._box = ""
        uri = plan.index_uri("search")
        page = files.get_file_from_path(uri) if uri else None
        if page is not None:
            module = renderer.env.get_template("partials/search.html").module
            self._box = str(module.header(f"{ROOT}{page.url}"))  # type: ignore[attr-defined]

    def add(self, html: str, page_url: str) -> str:
        """Return a rendered page with the search box in its header (unchanged without one)."""
        if not self._box:
            return html
        start = _HEADER.search(html)
        if start is None:
            return html
        end = html.find("</nav>", start.end())
        if end < 0:
            return html
        source = html.find(_SOURCE, start.end(), end)
        at = source if source >= 0 else end
        box = fill_root(self._box, relative_root(page_url) or "./")
        return html[:at] + box + html[at:]

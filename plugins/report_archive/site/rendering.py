"""Filling a page's template once every page is known.

Templates are HTML with autoescaping on: everything from a report is escaped unless it went
through the sanitiser (answers) or is made by the site (charts). A site overrides a
template by putting one of the same name in ``templates_dir`` (or in
``<theme custom_dir>/report_archive/``), searched before the package's own; a template that
is missing everywhere is named in the error. What each template receives is documented in
``docs/reference/templates.md`` (the `Common` context, then its view's).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import fields
from pathlib import Path
from typing import Any

import jinja2

from report_archive.site.answers import ROOT, fill_root
from report_archive.site.plan import SitePlan
from report_archive.site.views.base import Common, Crumb, PageSpec, RenderedPage, TocEntry

__all__ = ["TEMPLATES", "PageRenderer", "extract_toc", "make_environment", "title_id"]

TEMPLATES = Path(__file__).parent / "templates"
"""The package's own templates."""
BREADCRUMBS = "partials/breadcrumbs.html"
"""Rendered above the title of every generated page but the home page, with the page's
context."""
TITLE = "partials/title.html"
"""The title of every generated page (its ``h1``), with the page's context and
``title_id``."""

_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_NOT_SLUG = re.compile(r"[^\w\s-]")
_SLUG_BREAKS = re.compile(r"[-\s]+")


def make_environment(extra_dirs: Iterable[Path] = ()) -> jinja2.Environment:
    """Return the Jinja environment: override folders first, then the package's templates."""
    loaders: list[jinja2.BaseLoader] = [
        jinja2.FileSystemLoader(str(d)) for d in extra_dirs if d.is_dir()
    ]
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment per build: templates are not checked for changes at every
        # `{% import %}` (a stat per import and page, 120,000 at 1,000 groups)
        auto_reload=False,
    )
    env.filters["percent"] = _percent
    return env


def _percent(part: float, whole: float) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


class PageRenderer:
    """Renders a site's pages with its views' templates.

    Args:
        site: The laid-out site.
        env: Jinja environment (default: the package's templates).
    """

    def __init__(self, site: SitePlan, env: jinja2.Environment | None = None) -> None:
        self.site = site
        self.env = env or make_environment()
        self._index = site.index()

    def render(
        self, spec: PageSpec[Any], url: Callable[[str], str], root: str = ""
    ) -> RenderedPage:
        """Render a page's body.

        Args:
            spec: The page.
            url: Returns the URL of another generated or published file (by src_uri),
                relative to this page.
            root: Relative path from this page to the site root (for figures).

        Returns:
            The HTML body and its headings.
        """

        def link(uri: str | None, anchor: str | None = None) -> str | None:
            if uri is None:
                return None
            target = url(uri)
            return f"{target}#{anchor}" if anchor else target

        common = Common(
            page=spec,
            link=link,
            root=ROOT,
            index=self._index,
            search_engine=self.site.options.search_engine,
            site_name=self.site.options.site_name,
            breadcrumbs=self.breadcrumbs(spec),
        )
        own = spec.view.context(spec, self.site)
        context = {f.name: getattr(common, f.name) for f in fields(common)}
        context.update({f.name: getattr(own, f.name) for f in fields(own)})  # type: ignore[arg-type]
        template = self.env.get_template(spec.view.template)
        html = fill_root(template.render(context), root)
        trail = self.env.get_template(BREADCRUMBS).render(context) if common.breadcrumbs else ""
        context["title_id"] = anchor = title_id(spec.plain_title)
        heading = self.env.get_template(TITLE).render(context)
        return RenderedPage(
            html=html,
            toc=extract_toc(html),
            trail=fill_root(trail, root),
            heading=heading,
            anchor=anchor,
        )

    def breadcrumbs(self, spec: PageSpec[Any]) -> list[Crumb]:
        """Home, the page's parents (`View.trail`), then the page; none on the home page."""
        home = self._index.get("home")
        if spec.src_uri == home:
            return []
        first = [Crumb("Home", home)] if home else []
        return [*first, *spec.view.trail(spec, self.site), Crumb(spec.title)]


def title_id(title: str) -> str:
    """The anchor of a page's title, as Python-Markdown's ``toc`` makes one by default.

    ASCII letters, digits, ``_`` and ``-`` in lower case, runs of white space and ``-`` one
    ``-`` ("Group 15 · January 2026" → ``group-15-january-2026``); ``_1`` when nothing is
    left. A ``slugify`` set for ``toc`` in ``mkdocs.yml`` is not used.
    """
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    text = _NOT_SLUG.sub("", text).strip().lower()
    return _SLUG_BREAKS.sub("-", text) or "_1"


def extract_toc(html: str) -> list[TocEntry]:
    """Return the h2/h3 headings with an id of a rendered body, in order.

    Student HTML never has such headings (its headings are demoted to h4-h6 and ids are
    removed), so only the template's own headings are found.
    """
    entries = []
    for m in _HEADING.finditer(html):
        title = _HEADERLINK.sub("", m.group(3))
        title = _TAG.sub("", title).strip()
        entries.append(TocEntry(level=int(m.group(1)), id=m.group(2), title=title))
    return entries

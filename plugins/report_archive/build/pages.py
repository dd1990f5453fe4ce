"""A generated page's body put in place of its placeholder, with its table of contents.

Student HTML never goes through the site's markdown: MkDocs renders the page's title and a
placeholder paragraph, and this module replaces the placeholder by the body the page's view
renders (`report_archive.site.rendering.PageRenderer`).
"""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from report_archive.site.answers import relative_root
from report_archive.site.page_cache import PageCache, PageCacheError
from report_archive.site.plan import SitePlan
from report_archive.site.rendering import PageRenderer
from report_archive.site.views import PageSpec, RenderedPage, TocEntry
from report_archive.site.views.base import TRAIL

__all__ = ["PageBodies"]


class PageBodies:
    """Renders generated pages into MkDocs' pages.

    Args:
        plan: The laid-out site.
        renderer: Renders a page's body.
        cache: Keeps bodies between builds (None renders every page).
    """

    def __init__(
        self, plan: SitePlan, renderer: PageRenderer, cache: PageCache | None = None
    ) -> None:
        self.plan = plan
        self.renderer = renderer
        self.cache = cache
        self._urls: dict[str, str] = {}  # src_uri → URL, for links between pages

    def generated(self, html: str, page: Page, files: Files) -> str | None:
        """The HTML of a generated page with its body in place, or None for other pages."""
        spec = self.plan.pages.get(page.file.src_uri)
        if spec is None or page.file.generated_by is None:
            return None
        body = self.render(spec, page, files)
        page.toc = get_toc(_toc_tokens(page, body.toc))
        html = _move_trail(html, self.plan.token + TRAIL, body.trail)
        return _replace_placeholder(html, self.plan.token, body.html)

    def render(self, spec: PageSpec[Any], page: Page, files: Files) -> RenderedPage:
        """Render a page's body for MkDocs' `page`.

        Raises:
            PluginError: The page cannot be rendered (a template failed, a link is missing).
        """

        def url(src_uri: str) -> str:
            target = self._urls.get(src_uri)
            if target is None:
                file = files.get_file_from_path(src_uri)
                if file is None:
                    raise PluginError(f"report-archive: no file {src_uri!r} to link to")
                target = self._urls[src_uri] = file.url
            return get_relative_url(target, page.url) or "./"

        cache = self.cache
        key = cache.key(spec, page.url) if cache is not None else None
        kept = cache.get(key) if cache is not None and key is not None else None
        if kept is not None and cache is not None and not cache.check:
            return kept
        try:
            fresh = self.renderer.render(spec, url, relative_root(page.url))
            if cache is not None and key is not None:
                if kept is None:
                    cache.put(key, fresh)
                else:
                    cache.compare(spec, kept, fresh)
            return fresh
        except PageCacheError as e:
            raise PluginError(f"report-archive: {e}") from e
        except PluginError:
            raise
        except Exception as e:
            raise PluginError(
                f"report-archive: cannot render {spec.src_uri} ({spec.kind}): {e}"
            ) from e


def _replace_placeholder(html: str, token: str, body: str) -> str:
    wrapped = f"<p>{token}</p>"
    if wrapped in html:
        return html.replace(wrapped, body, 1)
    if token in html:
        return html.replace(token, body, 1)
    raise PluginError("report-archive: a markdown extension changed a generated page's placeholder")


def _move_trail(html: str, token: str, trail: str) -> str:
    """Put the breadcrumbs in place of their placeholder's paragraph, above the title."""
    wrapped = f"<p>{token}</p>"
    at = html.find(wrapped)
    if at < 0:
        raise PluginError("report-archive: a markdown extension changed a generated page's title")
    html = html[:at] + html[at + len(wrapped) :]
    title = html.rfind("<h1", 0, at)
    return html[:title] + trail + html[title:] if title >= 0 else html[:at] + trail + html[at:]


def _toc_tokens(page: Page, entries: list[TocEntry]) -> list[Any]:
    children: list[dict[str, Any]] = []
    for entry in entries:
        token = {"level": entry.level, "id": entry.id, "name": entry.title, "children": []}
        if entry.level == 3 and children:
            children[-1]["children"].append(token)
        else:
            children.append(token)
    first = next(iter(page.toc), None)
    if first is None:
        return children
    return [{"level": 1, "id": first.id, "name": first.title, "children": children}]

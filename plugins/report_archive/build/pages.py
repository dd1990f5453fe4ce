"""A generated page's body put in place of its placeholder, with its table of contents.

Student HTML never goes through the site's markdown: MkDocs renders a placeholder
paragraph (`report_archive.build.stubs`), and this module replaces it by what the page's
view renders (`report_archive.site.rendering.PageRenderer`): the breadcrumbs, the title
(the page's ``h1``, first in its table of contents) and the body.
"""

from __future__ import annotations

import posixpath
from html import escape
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from report_archive.site.answers import relative_root
from report_archive.site.page_cache import PageCache, PageCacheError
from report_archive.site.plan import SitePlan
from report_archive.site.rendering import PageRenderer
from report_archive.site.views import PageSpec, RenderedPage, TocEntry

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
        self._urls: dict[str, tuple[tuple[str, ...], bool]] = {}  # src_uri → `_target`

    def generated(self, html: str, page: Page, files: Files) -> str | None:
        """The HTML of a generated page with its body in place, or None for other pages."""
        spec = self.plan.pages.get(page.file.src_uri)
        if spec is None or page.file.generated_by is None:
            return None
        body = self.render(spec, page, files)
        page.toc = get_toc(_toc_tokens(body.anchor, spec.plain_title, body.toc))
        if page.present_anchor_ids is not None:  # for MkDocs' check of links to anchors
            page.present_anchor_ids |= {body.anchor, *(entry.id for entry in body.toc)}
        return _replace_placeholder(html, self.plan.token, body.trail + body.heading + body.html)

    def render(self, spec: PageSpec[Any], page: Page, files: Files) -> RenderedPage:
        """Render a page's body for MkDocs' `page`.

        Raises:
            PluginError: The page cannot be rendered (a template failed, a link is missing).
        """
        here = _folder_parts(page.url)

        def url(src_uri: str) -> str:
            target = self._urls.get(src_uri)
            if target is None:
                file = files.get_file_from_path(src_uri)
                if file is None:
                    raise PluginError(f"report-archive: no file {src_uri!r} to link to")
                target = self._urls[src_uri] = _target(file.url)
            return _relative(*target, here)

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


def _parts(url: str) -> tuple[str, ...]:
    """A URL's path as MkDocs' `get_relative_url` splits it (normalised, no leading ``/``)."""
    path = posixpath.normpath(url if url.startswith("/") else "/" + url)[1:]
    return tuple(path.split("/")) if path else ()


def _target(url: str) -> tuple[tuple[str, ...], bool]:
    """A link's target: its URL's parts, and whether it names a folder (ends with ``/``)."""
    return _parts(url), url.endswith("/")


def _folder_parts(page_url: str) -> tuple[str, ...]:
    """The parts of the folder a page's links are relative to.

    The URL's last part is dropped when it names a file (has a dot).
    """
    folder, _, last = page_url.rpartition("/")
    return _parts(folder if "." in last else page_url)


def _relative(dest: tuple[str, ...], folder: bool, here: tuple[str, ...]) -> str:
    """`dest` relative to the folder `here`, as ``mkdocs.utils.get_relative_url`` gives it.

    Both are split once (`_parts`) instead of at every link: a group page links to its
    answers' question pages, a question page to its groups.
    """
    common = 0
    for a, b in zip(here, dest, strict=False):
        if a != b:
            break
        common += 1
    relative = "/".join((*[".."] * (len(here) - common), *dest[common:])) or "."
    return relative + "/" if folder else relative


def _replace_placeholder(html: str, token: str, body: str) -> str:
    wrapped = f"<p>{token}</p>"
    if wrapped in html:
        return html.replace(wrapped, body, 1)
    if token in html:
        return html.replace(token, body, 1)
    raise PluginError("report-archive: a markdown extension changed a generated page's placeholder")


def _toc_tokens(anchor: str, title: str, entries: list[TocEntry]) -> list[Any]:
    """The page's title, with the body's h2 headings under it and each one's h3 under those."""
    children: list[dict[str, Any]] = []
    for entry in entries:
        token = {"level": entry.level, "id": entry.id, "name": entry.title, "children": []}
        if entry.level == 3 and children:
            children[-1]["children"].append(token)
        else:
            children.append(token)
    return [{"level": 1, "id": anchor, "name": escape(title), "children": children}]

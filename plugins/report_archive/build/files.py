"""The generated pages, published figures and assets added to MkDocs' files, and the nav.

Nothing is written into ``docs/``: every page is a generated file whose content is a title
and a placeholder (`report_archive.build.pages` puts the body in place). A hand-written
page at a generated page's path or URL is an error naming it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import nest_paths

from report_archive.build.copying import FigureCopier, FigureFile
from report_archive.site.plan import SitePlan
from report_archive.site.rendering import make_environment
from report_archive.site.urls import SEARCH_INDEX_FOLDER

__all__ = [
    "CSS_URI",
    "JS_URI",
    "SEARCH_JS_URI",
    "add_assets",
    "add_figures",
    "add_pages",
    "default_nav",
    "drop_report_sources",
]

CSS_URI = "assets/report-archive.css"
SEARCH_JS_URI = "assets/report-archive-search.js"
JS_URI = "assets/report-archive.js"
NAV_TITLES = {
    "home": "Home",
    "semesters": "Semesters",
    "questions": "Questions",
    "tools": "Tools",
    "checklist": "Checklist",
    "search": "Search",
}
"""The students' menu, in order."""
STAFF_TITLES = {"problems": "Problems"}
"""Generated pages in the "For staff" section, before the hand-written pages."""
STAFF_SECTION = "For staff"


def drop_report_sources(files: Files, reports_dir: Path) -> None:
    """Never let MkDocs render a report as a page (``reports_dir`` inside ``docs_dir``)."""
    for file in list(files):
        if file.abs_src_path and Path(file.abs_src_path).resolve().is_relative_to(reports_dir):
            files.remove(file)


def add_pages(files: Files, config: MkDocsConfig, plan: SitePlan) -> None:
    """Add every generated page, unless a docs file has its source path or its URL.

    Raises:
        PluginError: A hand-written page is in the way (named).
    """
    taken = {file.dest_uri: file.src_uri for file in files}
    for spec in plan.pages.values():
        inclusion = InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.NOT_IN_NAV
        file = File.generated(config, spec.src_uri, content=plan.stub(spec), inclusion=inclusion)
        theirs = taken.get(file.dest_uri)
        if theirs is not None or files.get_file_from_path(spec.src_uri) is not None:
            raise PluginError(
                f"report-archive: docs/{theirs or spec.src_uri} is in the way of a generated "
                f"page ({file.dest_uri}); rename it or change the plugin's URL options"
            )
        files.append(file)


def add_figures(
    files: Files, config: MkDocsConfig, plan: SitePlan, copier: FigureCopier | None = None
) -> None:
    """Add every published figure (copied by `copier` when given).

    Raises:
        PluginError: A file of ``docs/`` is at a figure's path.
    """
    shared = plan.urls.figure_folder() if plan.options.dedupe_figures else None
    for site_path, source in plan.figures.items():
        if files.get_file_from_path(site_path) is not None:
            raise PluginError(
                f"report-archive: the figure {source} would overwrite {site_path!r} of docs/"
            )
        file = FigureFile.generated(config, site_path, abs_src_path=str(source))
        assert isinstance(file, FigureFile)
        file.copier = copier
        file.named_by_content = bool(shared and site_path.startswith(shared))
        files.append(file)


def add_assets(
    files: Files, config: MkDocsConfig, template_dirs: list[Path], *, pagefind: bool
) -> None:
    """Add the stylesheet (and the search script), unless ``docs/`` has its own.

    Raises:
        PluginError: With Pagefind, a file of ``docs/`` is where an index goes
            (``pagefind/``, ``pagefind-2/``...).
    """
    env = make_environment(template_dirs)
    assert env.loader is not None
    wanted = [CSS_URI, JS_URI, SEARCH_JS_URI] if pagefind else [CSS_URI, JS_URI]
    for uri in wanted:
        if files.get_file_from_path(uri) is None:
            source: str = env.loader.get_source(env, uri)[0]
            files.append(File.generated(config, uri, content=source))
    if pagefind:
        for file in files:
            folder = SEARCH_INDEX_FOLDER.match(file.dest_uri)
            if folder is not None:
                raise PluginError(
                    f"report-archive: {file.src_uri} is in the way of the search index "
                    f"({folder.group(0)}); move it or set search.engine to mkdocs or none"
                )


def default_nav(files: Files, plan: SitePlan) -> list[Any]:
    """The students' menu, then a "For staff" section.

    Home, Semesters, Questions, Tools, Checklist, Search (those that exist); then "For staff": the
    problems page and every hand-written page of ``docs/`` (publishing, how reports are
    read, the reference), nested by folder.
    """
    nav: list[Any] = []
    used: set[str] = set()
    if files.get_file_from_path("index.md") is not None:
        nav.append({"Home": "index.md"})
        used.add("index.md")
    staff: list[Any] = []
    for titles, into in ((NAV_TITLES, nav), (STAFF_TITLES, staff)):
        for kind, title in titles.items():
            uri = plan.index_uri(kind)
            if uri and uri not in used:
                into.append({title: uri})
                used.add(uri)
    others = sorted(
        f.src_uri
        for f in files.documentation_pages()
        if f.src_uri not in used and f.src_uri not in plan.pages and f.inclusion.is_in_nav()  # type: ignore[no-untyped-call]
    )
    if others:
        staff.extend(nest_paths(others))  # type: ignore[no-untyped-call]
    if staff:
        nav.append({STAFF_SECTION: staff})
    return nav

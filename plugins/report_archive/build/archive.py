"""Loading the archive for a build, the site's options, and logging the reports' problems."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from report_archive.build.layout_cache import LayoutCache
from report_archive.build.stubs import StubRenders
from report_archive.cli.terminal import EscapeControlsFilter
from report_archive.config import PluginConfig
from report_archive.reports.archive import Archive, ArchiveError, load_archive
from report_archive.reports.catalogue import Catalogue, CatalogueError, load_catalogue
from report_archive.reports.model import Level
from report_archive.site.figures import NOT_PUBLISHED, Decide, FileChecks
from report_archive.site.page_cache import CHECK_ENV, PageCache
from report_archive.site.plan import Options, PlanError, SitePlan

__all__ = [
    "cache_folder",
    "catalogue",
    "layout_cache",
    "load",
    "log_layouts",
    "log_pages",
    "log_problems",
    "log_stubs",
    "page_cache",
    "plan_site",
    "prune_read",
    "site_options",
    "stub_renders",
]

log = get_plugin_logger("report_archive.plugin")
log.logger.addFilter(EscapeControlsFilter())  # messages quote student file names and text

PAGE_OPTIONS = ("home", "semesters", "groups", "questions", "checklist", "problems", "tools")


def load(reports_dir: Path, options: PluginConfig, base: Path) -> Archive:
    """Load every report of `reports_dir`, through the reading cache unless it is off.

    Args:
        reports_dir: The reports folder.
        options: The plugin's options.
        base: The folder of ``mkdocs.yml`` (cache folders are relative to it).

    Raises:
        PluginError: The folder cannot be read (problems of reports are not errors).
    """
    cache = cache_folder(options, base, "reports")
    try:
        archive = load_archive(
            reports_dir,
            jobs=options.jobs,
            max_report_bytes=options.max_report_bytes,
            tools=options.pages.tools,
            cache=cache,
            prune=False,  # `prune_read`, after the build: the results are written meanwhile
        )
    except ArchiveError as e:
        raise PluginError(f"report-archive: {e}") from e
    if archive.read_counts is not None:
        kept, read = archive.read_counts
        log.info(f"reports: {read} read, {kept} unchanged since the last build (cache {cache})")
    return archive


def cache_folder(options: PluginConfig, base: Path, name: str) -> Path | None:
    """``<figures.cache_dir>/<name>/`` beside ``mkdocs.yml``, or None with ``cache: false``."""
    return base / options.figures.cache_dir / name if options.cache else None


def page_cache(
    plan: SitePlan, options: PluginConfig, base: Path, templates: list[Path]
) -> PageCache | None:
    """The page cache, in ``<figures.cache_dir>/pages/`` (None with ``cache: false``)."""
    folder = cache_folder(options, base, "pages")
    if folder is None:
        return None
    return PageCache(plan, folder, templates, check=os.environ.get(CHECK_ENV) == "1")


def layout_cache(folder: Path, config: MkDocsConfig) -> LayoutCache:
    """The layout cache in `folder`, checking every kept layout when `CHECK_ENV` is set."""
    return LayoutCache(folder, config, check=os.environ.get(CHECK_ENV) == "1")


def stub_renders(
    options: PluginConfig, base: Path, config: MkDocsConfig, plan: SitePlan
) -> StubRenders:
    """The generated pages' stubs' renders (kept in memory while serving, with the cache on)."""
    folder = cache_folder(options, base, "stubs")
    titles = {uri: spec.plain_title for uri, spec in plan.pages.items()}
    check = os.environ.get(CHECK_ENV) == "1"
    return StubRenders(folder, config, plan.token, titles, check=check)


def log_stubs(stubs: StubRenders | None) -> None:
    """Say how many generated pages' stubs the site's markdown rendered; keep this build's."""
    if stubs is None:
        return
    stubs.done()
    kept = " (the render kept from the last build given)" if stubs.kept else ""
    log.info(f"stubs: {stubs.rendered} rendered for {stubs.pages} generated pages{kept}")


def prune_read(plan: SitePlan | None) -> None:
    """Forget the reports' readings and the groups' renderings this build did not use.

    Their new values were written in the background while the build went on
    (`report_archive.reports.store_writer`); this waits for them.
    """
    if plan is None:
        return
    plan.archive.prune_cache()
    if plan.group_cache is not None:
        plan.group_cache.prune()


def log_layouts(cache: LayoutCache | None) -> None:
    """Say how many generated pages were laid out and how many kept; forget the others."""
    if cache is None:
        return
    cache.prune()
    log.info(f"layouts: {cache.misses} laid out, {cache.hits} unchanged since the last build")


def log_pages(cache: PageCache | None) -> None:
    """Say how many pages were rendered and how many kept; forget the bodies not used."""
    if cache is None:
        return
    cache.prune()
    log.info(f"pages: {cache.misses} rendered, {cache.hits} unchanged since the last build")


def catalogue() -> Catalogue:
    """The question catalogue.

    Raises:
        PluginError: The shipped catalogue is malformed.
    """
    try:
        return load_catalogue()
    except CatalogueError as e:
        raise PluginError(f"report-archive: {e}") from e


def site_options(
    options: PluginConfig,
    config: MkDocsConfig,
    reports_dir: Path,
    *,
    home: bool,
    figures: Decide | None,
    cache_dir: Path | None = None,
    figure_checks: FileChecks | None = None,
) -> Options:
    """The plan's options from the plugin's and MkDocs' configuration.

    Args:
        options: The plugin's options.
        config: MkDocs' configuration.
        reports_dir: The reports folder.
        home: Whether the plugin makes the home page (``docs/`` has no ``index.md``).
        figures: Says which file is published for each figure.
        cache_dir: Where groups' titles and rendered answers are kept between builds.
        figure_checks: The figures' checks made when `figures` started.
    """
    pages = {k for k in PAGE_OPTIONS if options.pages[k] and (k != "home" or home)}
    if options.search.engine == "pagefind":
        pages.add("search")
    return Options(
        archive_url=options.archive_url,
        semesters_url=options.semesters_url,
        questions_url=options.questions_url,
        checklist_url=options.checklist_url,
        problems_url=options.problems_url,
        tools_url=options.tools_url,
        search_url=options.search.url,
        pages=frozenset(pages),
        redact=options.redact_members,
        max_page_size=options.max_page_size,
        search_engine=options.search.engine,
        display_root=reports_dir.parent,
        site_name=config.site_name,
        figures=figures,
        figure_checks=figure_checks,
        figures_url=options.figures.url,
        dedupe_figures=options.figures.dedupe,
        link_figures=options.figures.mode == "link",
        jobs=options.jobs,
        cache_dir=cache_dir,
    )


def plan_site(archive: Archive, options: Options) -> SitePlan:
    """Lay out the site.

    Raises:
        PluginError: Two pages or files would be at one place.
    """
    try:
        plan = SitePlan(archive, catalogue(), options)
    except PlanError as e:
        raise PluginError(f"report-archive: {e}") from e
    kept = plan.group_cache
    if kept is not None:
        log.info(f"groups: {kept.misses} rendered, {kept.hits} unchanged since the last build")
    return plan


def log_problems(archive: Archive, plan: SitePlan, reports_dir: Path) -> None:
    """Log the reports' problems (the archive's and the figures not published) at INFO."""
    problems = [*archive.problems, *(p for group in plan.groups for p in group.problems)]
    for p in problems:
        where = f"{p.file}:{p.diagnostic.line}" if p.diagnostic.line else str(p.file)
        text = f"{where}: {p.diagnostic.message} [{p.diagnostic.code}]"
        if p.diagnostic.level is Level.ERROR or p.diagnostic.code == NOT_PUBLISHED:
            log.info(text)
        else:
            log.debug(text)
    log.info(
        f"{len(plan.groups)} reports in {len(archive.semesters)} semesters from "
        f"{reports_dir}; {len(problems)} report problems (see the problems page)"
    )

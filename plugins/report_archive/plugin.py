"""The MkDocs plugin: one short hook per step of the build, over `report_archive.build`.

- ``on_config``: the reports and template folders, the stylesheet.
- ``on_pre_build`` / ``on_files`` / the last ``on_post_build``: keep the last build's site
  folder, to write over it rather than into an emptied one, and remove what this build did
  not write (`report_archive.build.site_folder`).
- ``on_files``: load the reports (in worker processes that then render the answers, while
  this process derives the titles), decide the published figures (converting on every core),
  lay out the site, add the generated pages (a placeholder each, nothing written into
  ``docs/``), the figures and the assets, and set the navigation when ``mkdocs.yml`` has
  none; Python's cycle collector is paused meanwhile, then what was loaded is frozen until
  the build ends (`report_archive.build.collector`).
- ``on_nav``: start indexing every group page (with ``search.engine: pagefind``), split
  into several indexes for a large archive.
- ``on_pre_page``: render a generated page's stub once a build (while serving, once in
  all), and give the page its title (`report_archive.build.stubs`).
- ``on_page_content``: put a generated page's breadcrumbs, title and body in place of its
  placeholder (student HTML never goes through the site's markdown); index the hand-written pages.
- ``on_page_context``: give a generated page its layout kept from the last build when none
  of its inputs changed (`report_archive.build.layout_cache`).
- ``on_post_page``: keep a generated page's layout as the theme made it; put the search box
  into the theme's header (with Pagefind).
- ``on_env`` / ``on_post_build``: write the search indexes while MkDocs writes the pages
  (and another process copies the figures: `report_archive.build.copying`); wait. While
  serving, ``on_env`` also keeps the theme's compiled templates for the next build, as
  ``on_files`` does the pages' own (`report_archive.build.compiled`).
- ``on_build_error``: stop Pagefind and the conversions.
- ``on_serve``: rebuild when a report or an override template changes (the reports are
  polled by the plugin, not while a build runs: `report_archive.build.watch`);
  ``on_startup`` / ``on_shutdown``: while serving, keep the caches' values in memory
  between builds (`report_archive.reports.store.remember`).

Problems in reports are diagnostics (problems page, INFO/DEBUG log), never warnings; only
problems of the site itself (bad options, clashing URLs) are warnings or errors.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from report_archive.build import archive as build
from report_archive.build import collector, compiled, figures, files
from report_archive.build.archive import log
from report_archive.build.copying import FigureCopier
from report_archive.build.header import HeaderSearch
from report_archive.build.layout_cache import LayoutCache, LayoutCacheError
from report_archive.build.pages import PageBodies
from report_archive.build.search import SearchIndex
from report_archive.build.site_folder import SiteFolder
from report_archive.build.stubs import StubRenders
from report_archive.build.watch import Watching
from report_archive.config import PluginConfig
from report_archive.reports.parallel import shared_workers
from report_archive.reports.store import flush_all, remember
from report_archive.site.figures import FileChecks
from report_archive.site.plan import SitePlan
from report_archive.site.publish import FigurePublisher
from report_archive.site.rendering import PageRenderer, make_environment
from report_archive.site.views import HOME, PageSpec

__all__ = ["HOME_MARKER", "ReportArchivePlugin"]

HOME_MARKER = "<!-- report-archive:home -->"
"""Put this line in a hand-written ``docs/index.md`` to get the generated home page's
content there."""

THEME_SEARCH_PLUGINS = ("search", "material/search")


class ReportArchivePlugin(BasePlugin[PluginConfig]):  # type: ignore[no-untyped-call]
    """Turns ``reports/<semester>/<group>/README.md`` into archive pages."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.reports_dir: Path = Path()
        self.template_dirs: list[Path] = []
        self.plan: SitePlan | None = None
        self.bodies: PageBodies | None = None
        self.header: HeaderSearch | None = None
        self.search = SearchIndex()
        self.copier = FigureCopier()
        self._home_in_docs = False
        self.layouts: LayoutCache | None = None
        self.stubs: StubRenders | None = None
        self._figures: FigurePublisher | None = None  # converting, during on_files
        self._serving = False  # `mkdocs serve`: builds again and again in this process
        self._dirty = False  # `--dirty`: MkDocs empties nothing
        self.site = SiteFolder()
        self._watching: Watching | None = None  # while serving

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """With ``mkdocs serve``, keep the caches' values in memory from one build to the next.

        (MkDocs keeps a plugin that has this hook from one build to the next.)
        """
        self._serving = command == "serve"
        self._dirty = dirty
        remember(self._serving)

    def on_shutdown(self) -> None:
        """Forget the values kept in memory; stop watching the reports."""
        self._serving = False
        remember(False)
        if self._watching is not None:
            self._watching.stop()
            self._watching = None

    @property
    def _pagefind(self) -> bool:
        return bool(self.config.search.engine == "pagefind")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Resolve the reports and template folders and add the stylesheet and script."""
        self.plan = self.bodies = self.header = self.layouts = self.stubs = None  # the last's
        if self._watching is not None:
            self._watching.building()
        if self._serving:
            collector.settle()
        # Both are checked by the config (`config_options.Dir(exists=True)`).
        self.reports_dir = Path(self.config.reports_dir).resolve()
        self.template_dirs = [Path(d).resolve() for d in [self.config.templates_dir] if d]
        if config.theme.custom_dir:
            self.template_dirs.append(Path(config.theme.custom_dir) / "report_archive")
        if files.CSS_URI not in config.extra_css:
            config.extra_css.append(files.CSS_URI)
        if files.JS_URI not in config.extra_javascript:
            config.extra_javascript.append(files.JS_URI)
        theirs = [name for name in THEME_SEARCH_PLUGINS if name in config.plugins]
        if self._pagefind and theirs:
            log.warning(
                f"search.engine is 'pagefind' but the '{theirs[0]}' plugin is enabled too: "
                "the site would ship both indexes. Remove it from 'plugins' or set "
                "search.engine to 'mkdocs'."
            )
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Set the last build's folders aside, out of the way of MkDocs emptying the site."""
        if not self._dirty:
            self.site.set_aside(config.site_dir)

    def on_files(self, files_: Files, *, config: MkDocsConfig) -> Files:
        """Load the archive, then add the generated pages, figures and assets."""
        self.site.put_back()  # to be written over
        # Millions of objects that live as long as the build; one set of worker processes
        # reads the reports, then renders their answers
        with collector.paused(), shared_workers():
            self._load(files_, config)
            collector.freeze()
        return files_

    def _load(self, files_: Files, config: MkDocsConfig) -> None:
        files.drop_report_sources(files_, self.reports_dir)
        base = Path(config.config_file_path or ".").resolve().parent
        archive = build.load(self.reports_dir, self.config, base)
        docs_index = files_.get_file_from_path("index.md")
        self._home_in_docs = HOME_MARKER in (docs_index.content_string if docs_index else "")
        checks = FileChecks()  # each figure checked once in this build
        self._figures = figures.start(self.config, config, archive, checks)
        options = build.site_options(
            self.config,
            config,
            self.reports_dir,
            home=docs_index is None,
            figures=self._figures,
            cache_dir=build.cache_folder(self.config, base, "groups"),
            figure_checks=checks,
        )
        self.plan = plan = build.plan_site(archive, options)
        env = make_environment(self.template_dirs)
        compiled.keep_compiled(env, build.cache_folder(self.config, base, "templates"))
        renderer = PageRenderer(plan, env)
        cache = build.page_cache(plan, self.config, base, self.template_dirs)
        self.bodies = PageBodies(plan, renderer, cache)
        figures.finish(self._figures)
        self._figures = None
        build.log_problems(archive, plan, self.reports_dir)
        files.add_pages(files_, config, plan)
        files.add_figures(files_, config, plan, self.copier)
        self.site.written(plan.figures)  # copied, or there already
        files.add_assets(files_, config, self.template_dirs, pagefind=self._pagefind)
        self.header = HeaderSearch(plan, renderer, files_) if self._pagefind else None
        folder = build.cache_folder(self.config, base, "layouts")
        self.layouts = build.layout_cache(folder, config) if folder is not None else None
        self.stubs = build.stub_renders(self.config, base, config, plan)
        if config.nav is None and self.config.nav:
            config.nav = files.default_nav(files_, plan)

    @event_priority(-100)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> None:
        """Start indexing every answer (Pagefind works while MkDocs builds the pages)."""
        self.search.close()
        if self._pagefind and self.plan is not None:
            base = Path(config.config_file_path or ".").resolve().parent
            cache = build.cache_folder(self.config, base, "search")
            shards = self.config.search.shard_groups
            self.search.start(self.plan, files, shards, cache, config.site_dir)
            self.site.written(self.plan.search_indexes)  # each written whole

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        """Render a generated page's stub once a build, and give it its title (`build.stubs`)."""
        if self.stubs is not None and self._generated(page):
            page.render = functools.partial(self.stubs.render, page)  # type: ignore[method-assign]
            self.stubs.entitle(page)
        return page

    @event_priority(100)
    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Put a generated page's body in place of its placeholder; index the others."""
        if self.bodies is None:
            return html
        generated = self.bodies.generated(html, page, files)
        if generated is not None:
            if self.layouts is not None:
                self.layouts.use(page)
            return generated
        self.search.add_page(page, html)
        if self._home_in_docs and page.file.src_uri == "index.md" and HOME_MARKER in html:
            home: PageSpec[None] = PageSpec("index.md", HOME, page.title or config.site_name)
            return html.replace(HOME_MARKER, self.bodies.render(home, page, files).html, 1)
        return html

    @event_priority(-100)
    def on_page_context(
        self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        """Give a generated page its kept layout when nothing it depends on changed."""
        if self.layouts is not None and self._generated(page):
            self.layouts.context(context, page, nav)
        return context

    @event_priority(100)
    def _keep_layout(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.layouts is not None and self._generated(page):
            try:
                self.layouts.output(output, page)
            except LayoutCacheError as e:
                raise PluginError(f"report-archive: {e}") from e
        return output

    def _add_search_box(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self.header.add(output, page.url) if self.header else output

    on_post_page = CombinedEvent(_keep_layout, _add_search_box)
    """Keep a generated page's layout as the theme made it; add the header's search box."""

    def _generated(self, page: Page) -> bool:
        return self.plan is not None and page.file.src_uri in self.plan.pages

    @event_priority(-100)
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Start writing the search index (every page's content is known); wrap the theme."""
        self.search.write()
        if self.layouts is not None:
            self.layouts.wrap(env)
        base = Path(config.config_file_path or ".").resolve().parent
        compiled.keep_compiled(env, build.cache_folder(self.config, base, "theme-templates"))
        return env

    def _finish(self, *, config: MkDocsConfig) -> None:
        self.copier.wait()
        self.search.finish()
        build.prune_read(self.plan)
        if self.bodies is not None:
            build.log_pages(self.bodies.cache)
        build.log_layouts(self.layouts)
        build.log_stubs(self.stubs)
        collector.thaw()
        self._after_build()

    @event_priority(-100)
    def _sweep(self, *, config: MkDocsConfig) -> None:
        removed = self.site.sweep()
        if removed:
            log.debug(f"{removed} files of the last build removed from the site")

    on_post_build = CombinedEvent(_finish, _sweep)
    """Wait for the figures' copies and the search index; forget what was not used; last,
    remove the last build's files that this build did not write."""

    def on_build_error(self, *, error: Exception) -> None:
        """Stop Pagefind, the conversions and copies when the build fails; write the caches."""
        try:
            self.site.abandon()
            self.search.close()
            self.copier.close()
            if self._figures is not None:
                self._figures.close()
                self._figures = None
            flush_all()
            collector.thaw()
        finally:  # while serving, the next edit must still be seen
            self._after_build()

    def _after_build(self) -> None:
        """While serving, let go of the build and collect its cycles while waiting for an edit."""
        if self._watching is not None:
            self._watching.built()
        if self._serving:
            self.plan = self.bodies = self.header = self.layouts = self.stubs = None
            collector.collect_later()

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild when a report, its metadata or an override template changes."""
        if self._watching is None:
            self._watching = Watching(server, self.reports_dir)
        for folder in self.template_dirs:
            if folder.is_dir():
                server.watch(str(folder))
        return server

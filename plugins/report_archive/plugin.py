"""The MkDocs plugin: thin hooks around `archive`, `pages` and `render`.

- ``on_config``: resolve folders, set up templates and the stylesheet.
- ``on_files``: load the reports, decide what is published for every figure (`publish`,
  converting on every core), lay out the site (`pages.SitePlan`), add the generated pages
  (a title and a placeholder, nothing written into ``docs/``) and the published figures, and
  set the navigation when ``mkdocs.yml`` has none.
- ``on_page_content``: replace a generated page's placeholder by its rendered body (student
  HTML never goes through the site's markdown) and give the page its table of contents.
- ``on_nav`` / ``on_env`` / ``on_post_build``: with ``search.engine: pagefind``, start
  indexing every group page once the pages are known (the ``pagefind`` process works while
  MkDocs builds the pages), add the hand-written pages and start writing the bundle into
  ``<site_dir>/pagefind/`` once every page's content is known, and wait for it at the end
  (`report_archive.search.records`).
- ``on_serve``: rebuild when a report or an override template changes.

Problems in reports are diagnostics (problems page, INFO/DEBUG log), never warnings; only
problems of the site itself (bad options, a bad ``semester.yml``, clashing URLs) are warnings
or errors.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url, nest_paths

from report_archive.cli.terminal import EscapeControlsFilter
from report_archive.config import PluginConfig
from report_archive.reports.archive import Archive, ArchiveError, load_archive
from report_archive.reports.model import Level
from report_archive.search.pagefind import IndexStats, IndexWriter, SearchError
from report_archive.search.records import SearchRecord, answer_records, page_record
from report_archive.site.answers import relative_root
from report_archive.site.figures import NOT_PUBLISHED, candidates
from report_archive.site.plan import Options, PlanError, SitePlan
from report_archive.site.publish import FigurePublisher, PublishOptions
from report_archive.site.rendering import PageRenderer, make_environment
from report_archive.site.views import HOME, PageSpec, TocEntry

__all__ = ["HOME_MARKER", "ReportArchivePlugin"]

log = get_plugin_logger(__name__)
log.logger.addFilter(EscapeControlsFilter())  # messages quote student file names and text

HOME_MARKER = "<!-- report-archive:home -->"
"""Put this line in a hand-written ``docs/index.md`` to get the generated home page's
content there."""

CSS_URI = "assets/report-archive.css"
SEARCH_JS_URI = "assets/report-archive-search.js"
PAGEFIND_DIR = "pagefind"
THEME_SEARCH_PLUGINS = ("search", "material/search")


class ReportArchivePlugin(BasePlugin[PluginConfig]):  # type: ignore[no-untyped-call]
    """Turns ``reports/<semester>/<group>/README.md`` into archive pages."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.reports_dir: Path = Path()
        self.template_dirs: list[Path] = []
        self.plan: SitePlan | None = None
        self.renderer: PageRenderer | None = None
        self._home_in_docs = False
        self._docs_records: list[SearchRecord] = []
        self._file_urls: dict[str, str] = {}  # src_uri → URL, for links between pages
        self._figures: FigurePublisher | None = None  # conversions under way, in on_files
        self._writer: IndexWriter | None = None  # writing the search index
        self._writing: Future[IndexStats] | None = None
        self._index: IndexWriter | None = None

    # -- configuration ---------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Resolve the reports and template folders and add the stylesheet."""
        # Both are checked by the config (`config_options.Dir(exists=True)`), relative to
        # mkdocs.yml.
        self.reports_dir = Path(self.config.reports_dir).resolve()
        self.template_dirs = []
        if self.config.templates_dir:
            self.template_dirs.append(Path(self.config.templates_dir).resolve())
        custom_dir = config.theme.custom_dir
        if custom_dir:
            self.template_dirs.append(Path(custom_dir) / "report_archive")
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        if self._pagefind:
            theirs = [name for name in THEME_SEARCH_PLUGINS if name in config.plugins]
            if theirs:
                log.warning(
                    f"search.engine is 'pagefind' but the '{theirs[0]}' plugin is enabled too: "
                    "the site would ship both indexes. Remove it from 'plugins' or set "
                    "search.engine to 'mkdocs'."
                )
        return config

    # -- files and navigation --------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Load the archive, then add the generated pages and figures."""
        self._drop_report_sources(files)
        archive = self._load_archive()
        pages = {
            k
            for k in ("home", "semesters", "groups", "questions", "checklist", "problems")
            if self.config.pages[k]
        }
        if self._pagefind:
            pages.add("search")
        docs_index = files.get_file_from_path("index.md")
        self._home_in_docs = False
        if docs_index is not None:
            pages.discard("home")
            self._home_in_docs = HOME_MARKER in (docs_index.content_string or "")
        options = Options(
            archive_url=self.config.archive_url,
            semesters_url=self.config.semesters_url,
            questions_url=self.config.questions_url,
            checklist_url=self.config.checklist_url,
            problems_url=self.config.problems_url,
            search_url=self.config.search.url,
            pages=frozenset(pages),
            redact=self.config.redact_members,
            max_page_size=self.config.max_page_size,
            search_engine=self.config.search.engine,
            display_root=self.reports_dir.parent,
            site_name=config.site_name,
            figures=self._publisher(archive, config),
            jobs=self.config.jobs,
        )
        try:
            from report_archive.reports.catalogue import CatalogueError, load_catalogue
        except ImportError as e:  # pragma: no cover - the package is incomplete
            raise PluginError(f"report-archive: cannot load the question catalogue: {e}") from e
        try:
            catalogue = load_catalogue()
            plan = SitePlan(archive, catalogue, options)
        except (CatalogueError, PlanError) as e:
            raise PluginError(f"report-archive: {e}") from e
        self.plan = plan
        self.renderer = PageRenderer(plan, make_environment(self.template_dirs))
        self._figures_done()
        self._log_problems(archive, plan)
        taken = {file.dest_uri: file.src_uri for file in files}
        for spec in plan.pages.values():
            self._add(files, config, spec, taken)
        for site_path, source in plan.figures.items():
            if files.get_file_from_path(site_path) is not None:
                raise PluginError(
                    f"report-archive: the figure {source} would overwrite {site_path!r} of docs/"
                )
            files.append(File.generated(config, site_path, abs_src_path=str(source)))
        if files.get_file_from_path(CSS_URI) is None:
            files.append(File.generated(config, CSS_URI, content=self._asset(CSS_URI)))
        if self._pagefind:
            if files.get_file_from_path(SEARCH_JS_URI) is None:
                files.append(
                    File.generated(config, SEARCH_JS_URI, content=self._asset(SEARCH_JS_URI))
                )
            for file in files:
                if file.dest_uri.startswith(PAGEFIND_DIR + "/"):
                    raise PluginError(
                        f"report-archive: {file.src_uri} is in the way of the search index "
                        f"({PAGEFIND_DIR}/); move it or set search.engine to mkdocs or none"
                    )
        self._docs_records = []
        self._file_urls = {}
        if config.nav is None and self.config.nav:
            config.nav = self._nav(files, plan)
        return files

    def _publisher(self, archive: Archive, config: MkDocsConfig) -> FigurePublisher | None:
        """Decide which file is published for every figure; convert in the background.

        The conversions (results are cached) run on every core; the plan waits for each
        figure's before it renders the pages that show it (a failed conversion is a figure
        not published).
        """
        if not self.config.pages.groups:
            return None
        opts = self.config.figures
        base = Path(config.config_file_path or ".").resolve().parent
        publisher = FigurePublisher(
            base / opts.cache_dir,
            PublishOptions(
                shrink=opts.shrink,
                max_side=opts.max_side,
                min_bytes=opts.min_bytes,
                quality=opts.quality,
                max_pixels=opts.max_pixels,
            ),
        )
        publisher.start(
            path
            for entry in archive.groups
            if entry.report is not None
            for path in candidates(entry.folder, entry.report.references)
        )
        self._figures = publisher
        return publisher

    def _figures_done(self) -> None:
        """Wait for the last figure conversions (the plan has asked for every figure)."""
        publisher, self._figures = self._figures, None
        if publisher is None:
            return
        stats = publisher.wait()
        if stats.bytes_before:
            failed = f", {stats.failed} could not be converted" if stats.failed else ""
            log.info(
                f"figures: {stats.converted + stats.cached - stats.failed} large figures shrunk "
                f"({stats.cached} from the cache{failed}), "
                f"{stats.bytes_before / 1e6:.1f} MB → {stats.bytes_after / 1e6:.1f} MB"
            )
        if stats.svg_rebuilt or stats.refused:
            log.info(
                f"figures: {stats.svg_rebuilt} SVG figures rebuilt, {stats.refused} "
                "figures not published (see the problems page)"
            )

    @event_priority(-100)
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Start writing the search index.

        Every page's content is known by now: the index is written while MkDocs writes the
        pages.
        """
        index, self._index = self._index, None
        if index is not None:
            index.add(self._docs_records)
            self._writing = index.start_writing(Path(config.site_dir) / PAGEFIND_DIR)
            self._writer = index
        return env

    def _drop_report_sources(self, files: Files) -> None:
        """Never let MkDocs render a report as a page (reports_dir inside docs_dir)."""
        for file in list(files):
            if file.abs_src_path and Path(file.abs_src_path).resolve().is_relative_to(
                self.reports_dir
            ):
                files.remove(file)

    def _load_archive(self) -> Archive:
        try:
            archive = load_archive(
                self.reports_dir,
                jobs=self.config.jobs,
                max_report_bytes=self.config.max_report_bytes,
            )
        except ArchiveError as e:
            raise PluginError(f"report-archive: {e}") from e
        return archive

    def _log_problems(self, archive: Archive, plan: SitePlan) -> None:
        """Log the reports' problems (the archive's and the figures not published)."""
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
            f"{self.reports_dir}; {len(problems)} report problems (see the problems page)"
        )

    def _add(
        self, files: Files, config: MkDocsConfig, spec: PageSpec[Any], taken: dict[str, str]
    ) -> None:
        """Add a generated page, unless a docs file has its source path or its URL."""
        assert self.plan is not None
        inclusion = InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.NOT_IN_NAV
        file = File.generated(
            config, spec.src_uri, content=self.plan.stub(spec), inclusion=inclusion
        )
        theirs = taken.get(file.dest_uri)
        if theirs is not None or files.get_file_from_path(spec.src_uri) is not None:
            raise PluginError(
                f"report-archive: docs/{theirs or spec.src_uri} is in the way of a generated "
                f"page ({file.dest_uri}); rename it or change the plugin's URL options"
            )
        files.append(file)

    @property
    def _pagefind(self) -> bool:
        return bool(self.config.search.engine == "pagefind")

    def _asset(self, uri: str) -> str:
        env = make_environment(self.template_dirs)
        assert env.loader is not None
        source: str = env.loader.get_source(env, uri)[0]
        return source

    def _nav(self, files: Files, plan: SitePlan) -> list[Any]:
        """Home, Search, Semesters, Questions, Checklist, Problems, then the other docs pages."""
        titles = {
            "home": "Home",
            "search": "Search",
            "semesters": "Semesters",
            "questions": "Questions",
            "checklist": "Checklist",
            "problems": "Problems",
        }
        nav: list[Any] = []
        used: set[str] = set()
        if files.get_file_from_path("index.md") is not None:
            nav.append({"Home": "index.md"})
            used.add("index.md")
        for kind, title in titles.items():
            uri = plan.index_uri(kind)
            if uri and uri not in used:
                nav.append({title: uri})
                used.add(uri)
        others = sorted(
            f.src_uri
            for f in files.documentation_pages()
            if f.src_uri not in used and f.src_uri not in plan.pages and f.inclusion.is_in_nav()  # type: ignore[no-untyped-call]
        )
        if others:
            nav.extend(nest_paths(others))  # type: ignore[no-untyped-call]
        return nav

    # -- pages -----------------------------------------------------------------------------

    @event_priority(100)
    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Put a generated page's body in place of its placeholder."""
        plan = self.plan
        if plan is None:
            return html
        spec = plan.pages.get(page.file.src_uri)
        if spec is not None and page.file.generated_by is not None:
            body = self._render(plan, spec, page, files)
            html = _replace_placeholder(html, plan.token, body.html)
            page.toc = get_toc(_toc_tokens(page, body.toc))
            return html
        if self._pagefind and not page.meta.get("search", {}).get("exclude"):
            self._docs_records.append(page_record(page.url, page.title or "", html))
        if self._home_in_docs and page.file.src_uri == "index.md" and HOME_MARKER in html:
            home: PageSpec[None] = PageSpec("index.md", HOME, page.title or config.site_name)
            body = self._render(plan, home, page, files)
            return html.replace(HOME_MARKER, body.html, 1)
        return html

    def _render(self, plan: SitePlan, spec: PageSpec[Any], page: Page, files: Files) -> Any:
        def url(src_uri: str) -> str:
            target = self._file_urls.get(src_uri)
            if target is None:
                file = files.get_file_from_path(src_uri)
                if file is None:
                    raise PluginError(f"report-archive: no file {src_uri!r} to link to")
                target = self._file_urls[src_uri] = file.url
            return get_relative_url(target, page.url) or "./"

        try:
            assert self.renderer is not None
            return self.renderer.render(spec, url, relative_root(page.url))
        except PluginError:
            raise
        except Exception as e:
            raise PluginError(
                f"report-archive: cannot render {spec.src_uri} ({spec.kind}): {e}"
            ) from e

    # -- search ----------------------------------------------------------------------------

    @event_priority(-100)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> None:
        """Start indexing every answer (Pagefind works while MkDocs builds the pages)."""
        self._close_index()
        if not self._pagefind or self.plan is None:
            return

        def url(src_uri: str) -> str:
            file = files.get_file_from_path(src_uri)
            assert file is not None
            return file.url

        try:
            self._index = IndexWriter()
            self._index.add(answer_records(self.plan, url))
        except SearchError as e:
            self._close_index()
            raise PluginError(f"report-archive: cannot build the search index: {e}") from e

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Wait for the search index to be written into the site."""
        writing, self._writing, self._writer = self._writing, None, None
        if writing is None:
            return
        try:
            stats = writing.result()
        except SearchError as e:
            raise PluginError(f"report-archive: cannot write the search index: {e}") from e
        log.info(
            f"search index: {stats.records} records, {stats.files} files, "
            f"{stats.bytes / 1e6:.1f} MB in {stats.seconds:.1f} s"
        )

    def on_build_error(self, *, error: Exception) -> None:
        """Stop Pagefind and the figure conversions when the build fails."""
        self._close_index()
        if self._figures is not None:
            self._figures.close()
            self._figures = None

    def _close_index(self) -> None:
        for index in (self._index, self._writer):
            if index is not None:
                index.close()
        self._index = self._writer = None
        self._writing = None

    # -- serve -----------------------------------------------------------------------------

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild when a report, its metadata or an override template changes."""
        server.watch(str(self.reports_dir))
        for folder in self.template_dirs:
            if folder.is_dir():
                server.watch(str(folder))
        return server


def _replace_placeholder(html: str, token: str, body: str) -> str:
    wrapped = f"<p>{token}</p>"
    if wrapped in html:
        return html.replace(wrapped, body, 1)
    if token in html:
        return html.replace(token, body, 1)
    raise PluginError("report-archive: a markdown extension changed a generated page's placeholder")


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

"""Which pages the archive has, where they go and how they link (plain Python, no rendering).

`SitePlan` takes the loaded archive and the question catalogue, prepares every group once
(`report_archive.site.groups`: its figures, its redactor, its answers rendered), then lets
each page kind's view (`report_archive.site.views`) add its pages. Once every page is known,
`report_archive.site.rendering.PageRenderer` fills each page's template, so cross-page
listings and links are complete.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from report_archive.reports.archive import Archive, Semester
from report_archive.reports.catalogue import Catalogue
from report_archive.site.answers import MarkdownRenderer
from report_archive.site.figures import Decide, FileChecks
from report_archive.site.group_cache import GroupCache
from report_archive.site.groups import GroupData, identify_groups, prepare_groups, start_rendering
from report_archive.site.redact import Redactor
from report_archive.site.tool_index import ToolIndex
from report_archive.site.urls import Urls, search_index
from report_archive.site.views.base import PageSpec, View

__all__ = ["INDEX_KINDS", "PAGE_CHROME", "Options", "PlanError", "SitePlan"]

PAGE_CHROME = 40_000
"""Bytes the theme adds around a page's content (navigation, header, scripts), estimated
from Material pages; subtracted from `Options.max_page_size` when splitting pages."""

INDEX_KINDS = ("home", "semesters", "questions", "tools", "checklist", "problems", "search")
"""The top-level pages every template can link to (`Common.index`)."""


class PlanError(Exception):
    """The site cannot be laid out (e.g. two pages at one URL): a problem of the site."""


@dataclass(frozen=True)
class Options:
    """What the plan needs from the plugin's configuration.

    Attributes:
        archive_url: Prefix of semester and group pages ("" for the site root).
        semesters_url: Where the list of semesters goes.
        questions_url: Prefix of question pages.
        checklist_url: Where checklist statistics go.
        problems_url: Where the problems page goes.
        search_url: Where the search page goes.
        tools_url: Where the list of tools goes; prefix of tool pages.
        pages: Which kinds of page to generate (home, semesters, groups, questions,
            checklist, problems, search, tools).
        redact: Whether to redact student numbers.
        max_page_size: Largest page in bytes to aim for.
        search_engine: Passed to the templates' search hooks.
        display_root: File paths on the problems page are shown relative to this folder.
        site_name: Used in the home page's heading.
        figures: Says which file is published for each figure
            (`report_archive.site.publish.FigurePublisher`); None publishes no figure.
        figure_checks: The figures' checks made when `figures` started deciding
            (`report_archive.site.figures.candidates`), to not check each file twice.
        figures_url: The folder of figures published under names made from their content.
        dedupe_figures: Publish each figure under a name made from its content, in
            `figures_url`, so that identical files are published once (else beside its
            group's page, under its own name).
        link_figures: Link the figures of groups whose repository and commit are known to
            the file in the repository instead of publishing them.
        jobs: Processes that render the reports (`report_archive.reports.parallel.workers`).
        cache_dir: Where each group's title and rendered answers are kept between builds
            (`report_archive.site.group_cache`); None derives and renders them all.
    """

    archive_url: str = ""
    semesters_url: str = "semesters"
    questions_url: str = "questions"
    checklist_url: str = "checklist"
    problems_url: str = "problems"
    search_url: str = "search"
    tools_url: str = "tools"
    pages: frozenset[str] = frozenset(
        {"home", "semesters", "groups", "questions", "checklist", "problems", "tools"}
    )
    redact: bool = True
    max_page_size: int = 300_000
    search_engine: str = "pagefind"
    display_root: Path | None = None
    site_name: str = "Report archive"
    figures: Decide | None = None
    figure_checks: FileChecks | None = field(default=None, compare=False, repr=False)
    figures_url: str = "figures"
    dedupe_figures: bool = True
    link_figures: bool = False
    jobs: int = 1
    cache_dir: Path | None = None

    def on(self, kind: str) -> bool:
        """Whether pages of a kind are generated."""
        return kind in self.pages

    @property
    def urls(self) -> Urls:
        """Where pages go."""
        return Urls(
            archive=self.archive_url,
            semesters=self.semesters_url,
            questions=self.questions_url,
            checklist=self.checklist_url,
            problems=self.problems_url,
            search=self.search_url,
            tools=self.tools_url,
            figures=self.figures_url,
        )


class SitePlan:
    """The archive laid out as pages.

    Args:
        archive: The loaded reports.
        catalogue: The question catalogue.
        options: Layout options.
        views: The page kinds, in the order their pages are added (default: every view of
            `report_archive.site.views.VIEWS`).

    Raises:
        PlanError: Two pages or files would be at one place.
    """

    def __init__(
        self,
        archive: Archive,
        catalogue: Catalogue,
        options: Options | None = None,
        views: Sequence[View[Any]] | None = None,
    ) -> None:
        from report_archive.site.views import VIEWS

        self.archive = archive
        self.catalogue = catalogue
        self.options = options or Options()
        self.urls = self.options.urls
        self.token = f"RAPAGEBODY{secrets.token_hex(12)}"
        """Stands in a page's markdown for its body (`stub`)."""
        self.pages: dict[str, PageSpec[Any]] = {}
        self.figures: dict[str, Path] = {}
        """Site path → file, for every published file."""
        self.answer_links: dict[tuple[str, str], tuple[str, str]] = {}
        """(group page, question id) → (question page, anchor) where the answer is shown."""
        self.markdown = MarkdownRenderer()
        self._prompts: dict[tuple[str, str], str] = {}
        self._uris: dict[tuple[str, str], str] = {}  # (kind, id) → src_uri (`_found`)
        # Semester titles come from semester.yml: redacted once, for every page and record.
        redactor = Redactor(enabled=self.options.redact)
        for semester in archive.semesters:
            semester.title = redactor.text(semester.title)
        folder = self.options.cache_dir
        self.group_cache = cache = GroupCache(folder) if folder is not None else None
        """Keeps groups' titles and rendered answers between builds (None: off). Its values
        are written in the background; whoever made the plan prunes it (`GroupCache.prune`)
        once the build is done."""
        self.groups: list[GroupData] = prepare_groups(
            archive,
            self.urls,
            pages=self.options.on("groups"),
            redact=self.options.redact,
            figures=self.options.figures,
            dedupe=self.options.dedupe_figures,
            link=self.options.link_figures,
            checks=self.options.figure_checks,
        )
        self._by_semester: dict[int, list[GroupData]] = {id(s): [] for s in archive.semesters}
        for data in self.groups:
            self._by_semester[id(data.semester)].append(data)
        rendered = start_rendering(self.groups, catalogue, self.options.jobs, cache)
        # Titles are derived here while the answers render in the worker processes
        identify_groups(self.groups, cache.identity if cache is not None else None)
        rendered()
        self.tool_index: ToolIndex | None = None
        """The groups' tools, counted once (None with tool pages off or no tool detected)."""
        if self.options.on("tools") and any(g.entry.tools is not None for g in self.groups):
            self.tool_index = ToolIndex(self.groups, archive.semesters)
        self.search_indexes: tuple[str, ...] = (search_index(1),)
        """The folders of the Pagefind indexes the search page searches, from the site root
        (``pagefind/``, then ``pagefind-2/``...): set when the search records are split into
        indexes (`report_archive.build.search`), before any page is rendered."""
        self.views = tuple(views if views is not None else VIEWS)
        for view in self.views:
            if view.enabled(self):
                view.plan(self)

    # -- building ----------------------------------------------------------------------------

    def add(self, spec: PageSpec[Any]) -> None:
        """Add a page.

        Raises:
            PlanError: A page is there already.
        """
        if spec.src_uri in self.pages or spec.src_uri in self.figures:
            raise PlanError(f"Two generated pages would be at {spec.src_uri!r}")
        self.pages[spec.src_uri] = spec

    def publish(self, files: dict[str, Path]) -> None:
        """Add published files (site path → file).

        A file named from its content (in `Urls.figure_folder`) that is there already is the
        same file: it is published once.

        Raises:
            PlanError: A page or file is there already.
        """
        shared = self.urls.figure_folder() if self.options.dedupe_figures else None
        for site, path in files.items():
            if shared and site in self.figures and site.startswith(shared):
                continue
            if site in self.figures or site in self.pages:
                raise PlanError(f"Two published files would be at {site!r}")
            self.figures[site] = path

    @property
    def budget(self) -> int:
        """Bytes of content a page may have (the largest page without the theme's)."""
        return max(self.options.max_page_size - PAGE_CHROME, 20_000)

    # -- what is there -----------------------------------------------------------------------

    def page(self, src_uri: str) -> str | None:
        """Return `src_uri` when a page is there, else None."""
        return src_uri if src_uri in self.pages else None

    def index_uri(self, kind: str) -> str | None:
        """Return the src_uri of a top-level page (home, semesters, questions, ...)."""
        return self.page(self.urls.index(kind))

    def index(self) -> dict[str, str | None]:
        """Kind → src_uri of every top-level page (None when the site has none)."""
        return {kind: self.index_uri(kind) for kind in INDEX_KINDS}

    def semester_uri(self, semester: Semester) -> str | None:
        """Return the src_uri of a semester's page, or None when there is none."""
        return self.page(self.urls.semester(semester.slug))

    def question_uri(self, question_id: str) -> str | None:
        """Return the src_uri of a question's page, or None when there is none."""
        return self._found("question", question_id, self.urls.question)

    def tool_uri(self, tool_id: str) -> str | None:
        """Return the src_uri of a tool's page, or None when there is none."""
        return self._found("tool", tool_id, self.urls.tool)

    def _found(self, kind: str, key: str, uri: Callable[[str], str]) -> str | None:
        """The src_uri of a page, kept once found (asked for every answer and badge).

        A page not found yet is looked for again: it may be planned later.
        """
        found = self._uris.get((kind, key))
        if found is None:
            found = self.page(uri(key))
            if found is not None:
                self._uris[kind, key] = found
        return found

    def groups_of(self, semester: Semester) -> list[GroupData]:
        """The groups of a semester, in order."""
        return self._by_semester[id(semester)]

    @property
    def nav_pages(self) -> list[PageSpec[Any]]:
        """Pages that belong in the navigation, in order."""
        return [p for p in self.pages.values() if p.in_nav]

    def of_kind(self, kind: str) -> Iterable[PageSpec[Any]]:
        """The pages of a kind, in order."""
        return (p for p in self.pages.values() if p.kind == kind)

    def stub(self, spec: PageSpec[Any]) -> str:
        """Return the markdown MkDocs gets for a page."""
        return spec.stub(self.token)

    # -- text shared by pages ----------------------------------------------------------------

    def prompt_html(self, text: str) -> str:
        """A question's prompt (the catalogue's markdown, tags shown as text) as HTML, once."""
        key = ("prompt", text)
        if key not in self._prompts:
            self._prompts[key] = self.markdown.render(
                text.replace("<", "&lt;").replace(">", "&gt;")
            )
        return self._prompts[key]

    def inline_html(self, text: str, redactor: Redactor | None = None) -> str:
        """One line of student markdown (a checklist item) as HTML, redacted."""
        if redactor is not None:
            return self.markdown.render_inline(text, redactor)
        key = ("inline", text)
        if key not in self._prompts:
            self._prompts[key] = self.markdown.render_inline(
                text, Redactor(enabled=self.options.redact)
            )
        return self._prompts[key]

    def display(self, path: Path) -> str:
        """A file's path as the problems page shows it (relative to the archive's parent)."""
        root = self.options.display_root
        if root is not None:
            try:
                return path.relative_to(root).as_posix()
            except ValueError:
                pass
        return path.as_posix()

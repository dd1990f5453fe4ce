"""What every page kind has: a view with its template, the pages it plans, its context.

A view is one class per page kind (`View`): its `View.template` is the Jinja template that
renders the page, `View.plan` adds the pages of its kind to the site (`PageSpec`, with the
data the page shows), and `View.context` says, as a typed and documented dataclass, what the
template receives on top of the `Common` context every template has. A new page kind is
one new view in `report_archive.site.views.VIEWS`; nothing central changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from report_archive.reports.archive import Archive, Semester
from report_archive.reports.catalogue import Catalogue
from report_archive.site.answers import title_text
from report_archive.site.groups import GroupData
from report_archive.site.redact import Redactor
from report_archive.site.tool_index import ToolIndex
from report_archive.site.urls import Urls

__all__ = [
    "Common",
    "Crumb",
    "Link",
    "PageSpec",
    "Paged",
    "RenderedPage",
    "Site",
    "SiteOptions",
    "TocEntry",
    "View",
    "index_crumb",
]

D = TypeVar("D")

Link = Callable[..., "str | None"]
"""``link(src_uri, anchor=None)``: the URL of a generated page or published file, relative
to the page being rendered (None for None)."""


@dataclass
class PageSpec(Generic[D]):
    """A generated page.

    Attributes:
        src_uri: Where it pretends to be in ``docs/`` (``questions/api/index.md``).
        view: The view that plans and renders it.
        title: Plain-text title.
        in_nav: Whether it belongs in the navigation.
        data: What the page shows, of the type its view plans.
    """

    src_uri: str
    view: View[D]
    title: str
    in_nav: bool = False
    data: D = None  # type: ignore[assignment]

    @property
    def kind(self) -> str:
        """The page's kind (its view's)."""
        return self.view.kind

    def stub(self, token: str) -> str:
        """Return the markdown MkDocs gets: the placeholder `token`, alone.

        It is the same for every generated page, so the site's markdown renders it once a
        build (`report_archive.build.stubs`). The breadcrumbs, the title and the body take
        its place, and MkDocs is given the page's title (`report_archive.build.pages`).
        """
        return f"{token}\n"

    @property
    def plain_title(self) -> str:
        """The title as pages show it: ``h1``, table of contents, MkDocs' ``page.title``.

        One line, no ``<>"`` or backquote (`title_text`).
        """
        return title_text(self.title)


@dataclass(kw_only=True)
class Paged:
    """Where a page stands among the parts of a split listing.

    Attributes:
        overview: This is the overview that links the parts.
        parts: (title, src_uri, count) of each part, on the overview.
        parent: The overview's src_uri, on a part.
        page: This part's number, from 1.
        pages: How many parts this part's semester has.
        prev: The previous part's src_uri.
        next: The next part's src_uri.
    """

    overview: bool = False
    parts: list[tuple[str, str, int]] = field(default_factory=list)
    parent: str | None = None
    page: int = 1
    pages: int = 1
    prev: str | None = None
    next: str | None = None

    def place(self) -> tuple[object, ...]:
        """Every field above, for a page's key (`View.others`)."""
        return (self.overview, self.parts, self.parent, self.page, self.pages, self.prev, self.next)


@dataclass(frozen=True)
class Crumb:
    """One step of a page's breadcrumbs.

    Attributes:
        title: Plain text.
        uri: The page's source path (None for the page being rendered).
    """

    title: str
    uri: str | None = None


@dataclass(frozen=True)
class Common:
    """What every template receives.

    Attributes:
        page: The page being rendered (its `PageSpec`: ``page.title``, ``page.src_uri``).
        link: ``link(src_uri, anchor=None)``, the URL of another page or a published file,
            relative to this page (None for None).
        root: The token that stands for the path to the site root (figures' URLs start with
            it; it is replaced after rendering).
        index: Kind → source path of the top-level pages that exist (home, semesters,
            questions, tools, checklist, problems, search); a kind without a page maps to
            None.
        search_engine: The ``search.engine`` option (``pagefind``, ``mkdocs`` or ``none``).
        site_name: The site's name.
        breadcrumbs: Where the page stands: Home, its parents, then itself (empty on the
            home page); rendered above every page by ``partials/breadcrumbs.html``.
    """

    page: PageSpec[Any]
    link: Link
    root: str
    index: dict[str, str | None]
    search_engine: str
    site_name: str
    breadcrumbs: list[Crumb] = field(default_factory=list)


@dataclass(frozen=True)
class TocEntry:
    """A heading of a generated page, for the theme's table of contents.

    Attributes:
        level: 2 or 3.
        id: Anchor.
        title: HTML (already escaped).
    """

    level: int
    id: str
    title: str


@dataclass(frozen=True)
class RenderedPage:
    """A rendered page body and its headings.

    Attributes:
        html: The body.
        toc: Its h2 and h3 headings.
        trail: The breadcrumbs, shown above the page's title ("" for none).
        heading: The page's title, as its ``h1``.
        anchor: The ``h1``'s anchor (`report_archive.site.rendering.title_id`).
    """

    html: str
    toc: list[TocEntry]
    trail: str = ""
    heading: str = ""
    anchor: str = ""


class SiteOptions(Protocol):
    """The options a view reads (`report_archive.site.plan.Options`)."""

    @property
    def redact(self) -> bool:
        """Whether student numbers are redacted."""
        ...

    @property
    def site_name(self) -> str:
        """The site's name."""
        ...

    def on(self, kind: str) -> bool:
        """Whether pages of a kind are generated."""
        ...


class Site(Protocol):
    """What a view may use of the site it plans (`report_archive.site.plan.SitePlan`)."""

    @property
    def archive(self) -> Archive:
        """The loaded reports."""
        ...

    @property
    def catalogue(self) -> Catalogue:
        """The question catalogue."""
        ...

    @property
    def options(self) -> SiteOptions:
        """The site's options."""
        ...

    @property
    def urls(self) -> Urls:
        """Where pages go."""
        ...

    @property
    def groups(self) -> list[GroupData]:
        """Every group, in the site's order."""
        ...

    @property
    def answer_links(self) -> dict[tuple[str, str], tuple[str, str]]:
        """(group page, question id) → (question page, anchor)."""
        ...

    @property
    def budget(self) -> int:
        """Bytes of content a page may have."""
        ...

    @property
    def tool_index(self) -> ToolIndex | None:
        """The groups' tools, counted once (None without tool pages)."""
        ...

    @property
    def search_indexes(self) -> tuple[str, ...]:
        """The folders of the Pagefind indexes, from the site root (``pagefind/``...)."""
        ...

    def add(self, spec: PageSpec[Any]) -> None:
        """Add a page."""
        ...

    def publish(self, files: dict[str, Path]) -> None:
        """Add published files."""
        ...

    def groups_of(self, semester: Semester) -> list[GroupData]:
        """The groups of a semester."""
        ...

    def semester_uri(self, semester: Semester) -> str | None:
        """A semester's page."""
        ...

    def index_uri(self, kind: str) -> str | None:
        """The top-level page of a kind (``questions``), if the site has it."""
        ...

    def question_uri(self, question_id: str) -> str | None:
        """A question's page."""
        ...

    def tool_uri(self, tool_id: str) -> str | None:
        """A tool's page."""
        ...

    def prompt_html(self, text: str) -> str:
        """A prompt as HTML."""
        ...

    def inline_html(self, text: str, redactor: Redactor | None = None) -> str:
        """A line of student markdown as HTML."""
        ...

    def display(self, path: Path) -> str:
        """A file's path as the problems page shows it."""
        ...


class View(Generic[D]):
    """A page kind: the pages it adds to the site, its template and its context.

    Attributes:
        kind: The page kind (``question``); also the name the ``pages`` option may turn off
            it by, through `option`.
        template: The template that renders its pages.
        option: The ``pages`` option that turns its pages on, if any.
    """

    kind: ClassVar[str]
    template: ClassVar[str]
    option: ClassVar[str | None] = None

    def enabled(self, site: Site) -> bool:
        """Whether the site has pages of this kind."""
        return self.option is None or site.options.on(self.option)

    def plan(self, site: Site) -> None:
        """Add this kind's pages to the site (with `Site.add`)."""
        raise NotImplementedError

    def context(self, spec: PageSpec[D], site: Site) -> object:
        """Return what the template receives for a page, on top of `Common` (a dataclass)."""
        raise NotImplementedError

    def trail(self, spec: PageSpec[D], site: Site) -> list[Crumb]:
        """Return the pages between Home and this page, for its breadcrumbs (none here)."""
        return []

    def inputs(self, spec: PageSpec[D], site: Site) -> list[GroupData] | None:
        """The groups whose content a page shows, or None (the default) for any group's.

        The page cache (`report_archive.site.page_cache`) renders a page again when one of
        these groups changed, or what `others` returns. A view that names its inputs says
        in `others` everything the page shows of the other groups.
        """
        return None

    def others(self, spec: PageSpec[D], site: Site) -> object:
        """What a page shows of groups other than its `inputs` (their names, places...).

        A value whose ``repr`` is the same whenever the page would be (lists, tuples,
        strings, numbers); only asked when `inputs` is not None.
        """
        return None


def index_crumb(site: Site, kind: str, title: str) -> list[Crumb]:
    """The crumb of a top-level page, or none when the site does not have it."""
    uri = site.index_uri(kind)
    return [Crumb(title, uri)] if uri else []

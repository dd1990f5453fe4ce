"""The list of semesters, and one page per semester with its groups."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from report_archive.reports.archive import Semester
from report_archive.reports.model import RefKind, RefStatus
from report_archive.site.groups import GroupData
from report_archive.site.views.base import Crumb, PageSpec, Site, View, index_crumb
from report_archive.site.views.rows import GroupRow, SemesterRow, group_row, semester_rows
from report_archive.site.views.tool_rows import ToolLink, semester_tools

__all__ = [
    "ARCHITECTURE",
    "CARD_TOOLS",
    "GroupCard",
    "SemesterContext",
    "SemesterView",
    "SemestersContext",
    "SemestersView",
    "group_cards",
]

ARCHITECTURE = "architecture-figure"
"""The question whose first published figure is a group's thumbnail on its semester page."""
CARD_TOOLS = 5
"""Tools named on a group's card; the rest are counted."""
_THUMBNAIL_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg"})


@dataclass(frozen=True)
class SemestersContext:
    """What ``semesters.html`` receives.

    Attributes:
        semesters: One row per semester, newest first, with its count of problems.
    """

    semesters: list[SemesterRow]


class SemestersView(View[None]):
    """The list of semesters."""

    kind = "semesters"
    template = "semesters.html"
    option = "semesters"

    def plan(self, site: Site) -> None:
        """Add the list of semesters."""
        site.add(PageSpec(site.urls.index("semesters"), self, "Semesters", in_nav=True))

    def context(self, spec: PageSpec[None], site: Site) -> SemestersContext:
        """Every semester's row."""
        return SemestersContext(semester_rows(site))


@dataclass(frozen=True)
class SemesterContext:
    """What ``semester.html`` receives.

    Attributes:
        semester: The semester (``semester.title``).
        groups: One card per group, in the natural order of group numbers.
        redacted: Whether student numbers are redacted (members are then counted, not
            listed).
        tools: Its most used tools and practices, most used first, each with its page and
            how many of its groups used it (empty without tool pages).
        filter_tools: Every tool some of its groups used, most used first: the choices of
            the page's tool filter (empty without tool pages).
    """

    semester: Semester
    groups: list[GroupCard]
    redacted: bool
    tools: list[ToolLink]
    filter_tools: list[ToolLink]


class SemesterView(View[Semester]):
    """One semester's page: its groups."""

    kind = "semester"
    template = "semester.html"
    option = "semesters"

    def plan(self, site: Site) -> None:
        """Add one page per semester."""
        for semester in site.archive.semesters:
            site.add(
                PageSpec(site.urls.semester(semester.slug), self, semester.title, data=semester)
            )

    def trail(self, spec: PageSpec[Semester], site: Site) -> list[Crumb]:
        """Home › Semesters › the semester."""
        return index_crumb(site, "semesters", "Semesters")

    def inputs(self, spec: PageSpec[Semester], site: Site) -> list[GroupData]:
        """The semester's groups."""
        return site.groups_of(spec.data)

    def others(self, spec: PageSpec[Semester], site: Site) -> object:
        """The pages of its groups' tools."""
        return [(t.tool.id, t.uri) for t in semester_tools(site, spec.data, limit=100_000)]

    def context(self, spec: PageSpec[Semester], site: Site) -> SemesterContext:
        """The semester's groups."""
        every = semester_tools(site, spec.data, limit=100_000)
        cards = group_cards(site, site.groups_of(spec.data), every)
        return SemesterContext(spec.data, cards, site.options.redact, every[:10], every)


@dataclass(frozen=True)
class GroupCard:
    """A group on its semester's page.

    Attributes:
        row: Its line (``row.title``, ``row.summary``, ``row.entry.answered``...).
        tools: Its tools that fewest groups of the semester used (what tells it apart),
            at most `CARD_TOOLS`.
        more_tools: How many more tools it used.
        tool_ids: The catalogue ids of every tool it used, separated by spaces (the
            page's tool filter reads them; ids are the catalogue's, never student text).
        thumbnail: Site path of the first published figure of its architecture answer, or
            None.
    """

    row: GroupRow
    tools: list[ToolLink]
    more_tools: int
    tool_ids: str
    thumbnail: str | None


def group_cards(site: Site, groups: list[GroupData], adoption: list[ToolLink]) -> list[GroupCard]:
    """The cards of a semester's groups; `adoption` is the semester's tools with counts."""
    used_by = {link.tool.id: link.used for link in adoption}
    index = site.tool_index
    cards = []
    for data in groups:
        uses = [use.tool for use in index.uses(data)] if index is not None else []
        ranked = sorted(uses, key=lambda tool: used_by.get(tool.id, 0))  # stable: catalogue order
        shown = [ToolLink(tool, site.tool_uri(tool.id)) for tool in ranked[:CARD_TOOLS]]
        cards.append(
            GroupCard(
                row=group_row(data),
                tools=shown,
                more_tools=max(0, len(uses) - CARD_TOOLS),
                tool_ids=" ".join(tool.id for tool in uses),
                thumbnail=_thumbnail(data),
            )
        )
    return cards


def _thumbnail(data: GroupData) -> str | None:
    report = data.entry.report
    answer = report.answer(ARCHITECTURE) if report is not None else None
    if answer is None:
        return None
    for ref in answer.references:
        if ref.kind is not RefKind.IMAGE or ref.status is not RefStatus.FOUND:
            continue
        site_path = data.figures.site_path(ref.path)
        if site_path and PurePosixPath(site_path).suffix.lower() in _THUMBNAIL_SUFFIXES:
            return site_path
    return None

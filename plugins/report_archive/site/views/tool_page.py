"""One page per tool: the groups that used it, each with the sentence that shows it.

The first page has the entry's description, its adoption over semesters and the entries
used with it. When its groups would pass the size budget they go on several pages
(`urls.paginate`, newest semesters first), and the first page lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup

from report_archive.reports.archive import Semester
from report_archive.reports.tools import EXTRA, Tool, ToolCategory
from report_archive.site.charts import ShareBar, share_bars
from report_archive.site.groups import GroupData
from report_archive.site.tool_index import Adoption, ToolIndex
from report_archive.site.urls import paginate
from report_archive.site.views.base import Paged, PageSpec, Site, View
from report_archive.site.views.group import EXTRA_ANCHOR, EXTRA_TITLE
from report_archive.site.views.tool_rows import ToolLink, tool_index

__all__ = [
    "EVIDENCE_CHARS",
    "ToolContext",
    "ToolPage",
    "ToolSemester",
    "ToolUser",
    "ToolUsers",
    "ToolView",
    "UsedWith",
]

EVIDENCE_CHARS = 300
"""Longest evidence sentence shown on a tool page (longer ones end with "…")."""
_ITEM = 160
"""Bytes one group takes on a tool page besides its name and its sentence."""
_FIXED = 12_000
"""Bytes of a tool page besides its groups (description, chart, tools used with it)."""
_UNSEEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Control characters and bidi overrides: dropped from quoted sentences and titles."""


@dataclass(slots=True)
class ToolUser:
    """A group that used the entry, with the sentence of its report that shows it.

    Attributes:
        group: The group.
        uri: Its page, or None.
        name: Its name (`GroupData.name`).
        evidence: The sentence, redacted and shortened to `EVIDENCE_CHARS` (plain text).
        anchor: The answer's anchor on the group's page ("" when not known); the group's
            name links there.
        where: The answer's title ("Data version control"; "" when not known).
    """

    group: GroupData
    uri: str | None
    name: str
    evidence: str
    anchor: str
    where: str


@dataclass
class ToolSemester:
    """The groups of one semester that used an entry (what a page plans).

    Attributes:
        semester: The semester.
        groups: Its groups on the page that used the entry, in group order.
        used: Its groups that used the entry, on this page or another.
        detected: Its groups whose tools were detected.
    """

    semester: Semester
    groups: list[GroupData]
    used: int
    detected: int


@dataclass
class ToolPage(Paged):
    """What one page of an entry shows (its groups go on several pages when many).

    Attributes:
        tool: The entry.
        semesters: The semesters (and their groups) on this page, newest first; a semester
            can go on over two pages.
    """

    tool: Tool
    semesters: list[ToolSemester] = field(default_factory=list)

    def __len__(self) -> int:
        return sum(len(s.groups) for s in self.semesters)


def _span(page: ToolPage) -> str:
    """The semesters a page covers ("January 2026 to January 2024")."""
    first, last = page.semesters[0].semester.title, page.semesters[-1].semester.title
    return first if first == last else f"{first} to {last}"


@dataclass(frozen=True)
class ToolUsers:
    """One semester's groups on a tool page.

    Attributes:
        semester: The semester (``semester.title``, ``semester.slug``).
        users: Its groups on this page that used the entry, each with its sentence.
        used: Its groups that used the entry, on this page or another.
        detected: Its groups whose tools were detected.
    """

    semester: Semester
    users: list[ToolUser]
    used: int
    detected: int


@dataclass(frozen=True)
class UsedWith:
    """An entry the groups that used the page's entry used too.

    Attributes:
        link: The entry and its page; ``used``: the groups that used both, ``groups``: the
            groups that used the page's entry.
        overall: The share of all groups that used it, for comparison (None when no
            group's tools were detected).
    """

    link: ToolLink
    overall: float | None


@dataclass(frozen=True)
class ToolContext:
    """What ``tool.html`` receives.

    Attributes:
        tpage: This page: where it stands among the entry's pages (`Paged`: on the first,
            ``parts``: (semesters, src_uri, groups) of each page when there are several; on
            the others ``parent``, the first; ``page``, ``pages``, ``prev``, ``next``).
        tool: The entry (``tool.name``, ``tool.url``, ``tool.description``).
        category: Its category.
        used: Groups that used it.
        groups: Groups whose tools were detected.
        adoption: Its use in each semester, newest first (on the first page only).
        chart: The adoption as an inline SVG bar chart (on the first page only).
        together: The entries most often used by the same groups, most first.
        semesters: The groups on this page, semester by semester, newest first.
    """

    tpage: ToolPage
    tool: Tool
    category: ToolCategory
    used: int
    groups: int
    adoption: list[Adoption]
    chart: Markup
    together: list[UsedWith]
    semesters: list[ToolUsers]


class ToolView(View[ToolPage]):
    """One page per entry some group used (its groups on several pages when many)."""

    kind = "tool"
    template = "tool.html"
    option = "tools"

    def enabled(self, site: Site) -> bool:
        """Whether the site has tool pages: the option is on and tools were detected."""
        return super().enabled(site) and site.tool_index is not None

    def plan(self, site: Site) -> None:
        """Add every used entry's page(s), in catalogue order.

        (Not by use: an edit that changes which tool is used most would change the order of
        the site's pages, an input of every page's layout.)
        """
        index = tool_index(site)
        for tool in index.catalogue.tools:
            if not index.count(tool.id):
                continue
            self._plan(tool, index, site)

    def _plan(self, tool: Tool, index: ToolIndex, site: Site) -> None:
        users = {id(g) for g in index.users[tool.id]}
        flat: list[tuple[ToolSemester, GroupData]] = []
        for adoption in index.adoption(tool.id):  # newest first
            groups = [g for g in site.groups_of(adoption.semester) if id(g) in users]
            block = ToolSemester(adoption.semester, groups, adoption.used, adoption.groups)
            flat += [(block, g) for g in groups]
        sizes = [_ITEM + len(index.name(g)) + _evidence_size(index, g, tool) for _, g in flat]
        chunks = paginate(sizes, site.budget - _FIXED)
        uris = [site.urls.tool(tool.id, n) for n in range(1, len(chunks) + 1)]
        pages: list[ToolPage] = []
        start = 0
        for n, chunk in enumerate(chunks, start=1):
            semesters: list[ToolSemester] = []
            for block, group in flat[start : start + chunk]:
                if not semesters or semesters[-1].semester is not block.semester:
                    semesters.append(ToolSemester(block.semester, [], block.used, block.detected))
                semesters[-1].groups.append(group)
            start += chunk
            pages.append(
                ToolPage(
                    tool=tool,
                    semesters=semesters,
                    parent=uris[0] if n > 1 else None,
                    page=n,
                    pages=len(chunks),
                    prev=uris[n - 2] if n > 1 else None,
                    next=uris[n] if n < len(chunks) else None,
                )
            )
        if len(pages) > 1:
            pages[0].parts = [(_span(p), uri, len(p)) for p, uri in zip(pages, uris, strict=True)]
        for n, (uri, page) in enumerate(zip(uris, pages, strict=True), start=1):
            title = tool.name if n == 1 else f"{tool.name} ({n}/{len(pages)})"
            site.add(PageSpec(uri, self, title, data=page))

    def inputs(self, spec: PageSpec[ToolPage], site: Site) -> list[GroupData]:
        """The groups on the page."""
        return [group for block in spec.data.semesters for group in block.groups]

    def others(self, spec: PageSpec[ToolPage], site: Site) -> object:
        """The counts: over the archive, per semester, with the entries used with it."""
        index = tool_index(site)
        page = spec.data
        tool = page.tool
        first = page.parent is None
        adoption = [
            (a.semester.slug, a.semester.title, a.used, a.groups)
            for a in (index.adoption(tool.id) if first else [])
        ]
        together = [
            (t.tool.id, site.tool_uri(t.tool.id), t.groups, index.share(t.tool.id))
            for t in (index.together(tool.id) if first else [])
        ]
        blocks = [(b.semester.slug, b.semester.title, b.used, b.detected) for b in page.semesters]
        used = (index.count(tool.id), index.detected)
        return used, adoption, together, blocks, page.place()

    def context(self, spec: PageSpec[ToolPage], site: Site) -> ToolContext:
        """The entry, its adoption, the tools used with it and its groups' sentences."""
        index = tool_index(site)
        page = spec.data
        tool = page.tool
        first = page.parent is None
        adoption = index.adoption(tool.id) if first else []
        chart = ""
        if adoption:
            chart = share_bars(
                [ShareBar(a.semester.title, a.share, f"{a.used}/{a.groups}") for a in adoption],
                title=f"Share of each semester's groups that used {tool.name}",
                description="One bar per semester, newest first: the percentage of its "
                "groups that used it, then how many of how many.",
            )
        used = index.count(tool.id)
        together = [
            UsedWith(
                ToolLink(t.tool, site.tool_uri(t.tool.id), t.groups, used), index.share(t.tool.id)
            )
            for t in (index.together(tool.id) if first else [])
        ]
        categories = {c.id: c for c in index.catalogue.categories}
        return ToolContext(
            tpage=page,
            tool=tool,
            category=categories.get(tool.category, ToolCategory(tool.category, tool.category)),
            used=used,
            groups=index.detected,
            adoption=adoption,
            chart=Markup(chart),
            together=together,
            semesters=[
                ToolUsers(
                    block.semester,
                    [_user(index, g, tool, site) for g in block.groups],
                    block.used,
                    block.detected,
                )
                for block in page.semesters
            ],
        )


def _evidence_size(index: ToolIndex, group: GroupData, tool: Tool) -> int:
    use = index.use(group, tool.id)
    return min(len(use.evidence[0].text), EVIDENCE_CHARS) if use and use.evidence else 0


def _user(index: ToolIndex, group: GroupData, tool: Tool, site: Site) -> ToolUser:
    name, uri = index.name(group), group.uri
    use = index.use(group, tool.id)
    if use is None or not use.evidence:
        return ToolUser(group, uri, name, "", "", "")
    evidence = use.evidence[0]
    text = _shorten(group.redactor.text(evidence.text), EVIDENCE_CHARS)
    if evidence.question == EXTRA:
        anchor = EXTRA_ANCHOR if group.extra else ""
        return ToolUser(group, uri, name, text, anchor, EXTRA_TITLE)
    question = site.catalogue.by_id.get(evidence.question)
    if question is not None:  # evidence comes from answered questions, all on the page
        return ToolUser(group, uri, name, text, question.id, question.title)
    report = group.entry.report
    answer = report.answer(evidence.question) if report else None
    if answer is None:
        return ToolUser(group, uri, name, text, "", "")
    where = _shorten(group.redactor.text(answer.title), 200)
    return ToolUser(group, uri, name, text, answer.question, where)


def _shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters (cut at a space, with "…"), without controls."""
    if len(text) <= limit and not _UNSEEN.search(text) and "  " not in text:
        return text
    text = " ".join(_UNSEEN.sub(" ", text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + " …"

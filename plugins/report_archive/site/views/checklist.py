"""Checklist statistics across semesters, and one page per item with the groups that ticked it.

The checklist page shows every item of the templates' checklists with the share of each
semester's groups that ticked it (a table and a chart that reads on a phone), most ticked
first; each item links to its own page, which lists the groups that ticked it, semester by
semester. Only the templates' own items are counted: lines a group wrote into its checklist
itself are counted apart (`ChecklistStats.own_items`), so a report cannot add pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup

from report_archive.reports.archive import Semester
from report_archive.reports.catalogue import normalize_line
from report_archive.site.groups import GroupData
from report_archive.site.views.base import Crumb, PageSpec, Site, View, index_crumb

__all__ = [
    "ChecklistContext",
    "ChecklistItemContext",
    "ChecklistItemView",
    "ChecklistRow",
    "ChecklistStats",
    "ChecklistView",
    "ItemSemester",
    "Share",
]

_MODULES = re.compile(r"\(\s*M\d+(?:\s*[+,/&]\s*M\d+)*\s*\)\s*$")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Share:
    """How many of a set of groups ticked an item.

    Attributes:
        checked: Groups that ticked it.
        total: Groups whose checklist has it.
    """

    checked: int
    total: int

    @property
    def percent(self) -> int | None:
        """The share in percent, rounded (None when no group's checklist has the item)."""
        return round(100 * self.checked / self.total) if self.total else None


@dataclass
class ChecklistRow:
    """One item of the templates' checklists, across semesters.

    Attributes:
        key: The item's normalised text.
        text: Its text.
        html: It as HTML.
        section: The checklist section ("Week 1").
        modules: The course modules it names.
        order: Its place in the template's checklist.
        uri: Its own page (the groups that ticked it), or None.
        shares: Per semester of `ChecklistStats.semesters`, in that order.
        overall: Over every semester.
    """

    key: str
    text: str
    html: Markup
    section: str
    modules: tuple[str, ...]
    order: int
    uri: str | None = None
    shares: list[Share] = field(default_factory=list)
    overall: Share = Share(0, 0)


@dataclass(frozen=True)
class ItemSemester:
    """One semester on an item's page.

    Attributes:
        semester: The semester.
        ticked: The groups that ticked the item.
        open: The groups whose checklist has it unticked.
    """

    semester: Semester
    ticked: list[GroupData]
    open: list[GroupData]


@dataclass
class ChecklistStats:
    """The checklist counted once per site.

    Attributes:
        semesters: The semesters, oldest first (the table's columns).
        groups: Per semester, the groups with a checklist.
        rows: Every item some group's checklist has, most ticked first.
        own_items: Distinct lines that groups wrote into their checklists themselves (not
            counted).
        members: Item key → per semester, (ticked, unticked) groups.
    """

    semesters: list[Semester]
    groups: list[int]
    rows: list[ChecklistRow]
    own_items: int
    members: dict[str, list[tuple[list[GroupData], list[GroupData]]]]


def _count(site: Site) -> ChecklistStats:
    order: dict[str, int] = {}
    known: dict[str, tuple[str, tuple[str, ...], str]] = {}
    for i, entry in enumerate(site.catalogue.checklist):
        text = _MODULES.sub("", entry.text).strip()
        key = normalize_line(text)
        order.setdefault(key, i)
        known.setdefault(key, (text, entry.modules, entry.section))
    semesters = list(reversed(site.archive.semesters))
    members: dict[str, list[tuple[list[GroupData], list[GroupData]]]] = {}
    groups: list[int] = []
    own: set[str] = set()
    for column, semester in enumerate(semesters):
        with_checklist = 0
        for data in site.groups_of(semester):
            report = data.entry.report
            if report is None or not report.checklist:
                continue
            with_checklist += 1
            seen: set[str] = set()
            for item in report.checklist:
                key = normalize_line(item.text)
                if key not in known:
                    own.add(key)
                    continue
                if key in seen:
                    continue
                seen.add(key)
                cells = members.setdefault(key, [([], []) for _ in semesters])
                cells[column][0 if item.checked else 1].append(data)
        groups.append(with_checklist)
    rows = []
    for key, cells in members.items():
        text, modules, section = known[key]
        shares = [Share(len(t), len(t) + len(u)) for t, u in cells]
        overall = Share(sum(s.checked for s in shares), sum(s.total for s in shares))
        rows.append(
            ChecklistRow(
                key,
                text,
                Markup(site.inline_html(text)),
                section,
                modules,
                order[key],
                shares=shares,
                overall=overall,
            )
        )
    rows.sort(key=lambda r: (-(r.overall.checked / r.overall.total), r.order))
    return ChecklistStats(semesters, groups, rows, len(own), members)


def _slug(text: str, taken: set[str]) -> str:
    words = _SLUG.sub("-", text.lower()).strip("-")[:60].rstrip("-") or "item"
    slug, n = words, 2
    while slug in taken:
        slug, n = f"{words}-{n}", n + 1
    taken.add(slug)
    return slug


@dataclass(frozen=True)
class ChecklistContext:
    """What ``checklist.html`` receives.

    Attributes:
        stats: The counts (``stats.semesters``, ``stats.groups``, ``stats.rows`` most
            ticked first, each with ``shares`` per semester and ``overall``;
            ``stats.own_items``).
    """

    stats: ChecklistStats


class ChecklistView(View[ChecklistStats]):
    """The checklist across semesters; it plans the items' pages too."""

    kind = "checklist"
    template = "checklist.html"
    option = "checklist"

    def plan(self, site: Site) -> None:
        """Add the checklist page and one page per item."""
        stats = _count(site)
        index = site.urls.index("checklist")
        site.add(PageSpec(index, self, "Checklist", True, stats))
        taken: set[str] = set()
        for row in sorted(stats.rows, key=lambda r: r.order):
            row.uri = site.urls.checklist_item(_slug(row.text, taken))
            cells = stats.members[row.key]
            data = [ItemSemester(s, t, u) for s, (t, u) in zip(stats.semesters, cells, strict=True)]
            site.add(PageSpec(row.uri, ITEM, f"Checklist: {row.text}", data=(row, data)))

    def context(self, spec: PageSpec[ChecklistStats], site: Site) -> ChecklistContext:
        """The counts."""
        return ChecklistContext(spec.data)


@dataclass(frozen=True)
class ChecklistItemContext:
    """What ``checklist_item.html`` receives.

    Attributes:
        item: The item, with its shares per semester (``item.text``, ``item.overall``).
        semesters: Newest first: the groups that ticked it and those that did not (each a
            `GroupData`: ``name``, ``uri``).
    """

    item: ChecklistRow
    semesters: list[ItemSemester]


class ChecklistItemView(View[tuple[ChecklistRow, list[ItemSemester]]]):
    """One checklist item: the groups that ticked it (planned by `ChecklistView`)."""

    kind = "checklist-item"
    template = "checklist_item.html"
    option = "checklist"

    def plan(self, site: Site) -> None:
        """Nothing: the checklist view adds these pages with its counts."""

    def trail(
        self, spec: PageSpec[tuple[ChecklistRow, list[ItemSemester]]], site: Site
    ) -> list[Crumb]:
        """Home › Checklist › the item."""
        return index_crumb(site, "checklist", "Checklist")

    def inputs(
        self, spec: PageSpec[tuple[ChecklistRow, list[ItemSemester]]], site: Site
    ) -> list[GroupData]:
        """No group: of a group, the page shows only its label and page (`others`)."""
        return []

    def others(self, spec: PageSpec[tuple[ChecklistRow, list[ItemSemester]]], site: Site) -> object:
        """The item's counts, and each semester's groups that ticked it or not."""
        row, semesters = spec.data

        def names(groups: list[GroupData]) -> list[tuple[str, str | None]]:
            return [(data.entry.label, data.uri) for data in groups]

        listed = [
            (s.semester.slug, s.semester.title, names(s.ticked), names(s.open)) for s in semesters
        ]
        return row.section, row.modules, row.overall, listed

    def context(
        self, spec: PageSpec[tuple[ChecklistRow, list[ItemSemester]]], site: Site
    ) -> ChecklistItemContext:
        """The item and its groups, newest semester first."""
        row, semesters = spec.data
        return ChecklistItemContext(row, list(reversed(semesters)))


ITEM = ChecklistItemView()

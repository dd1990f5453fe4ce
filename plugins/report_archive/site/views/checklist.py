"""Checklist statistics: how many groups ticked each item, per semester (table and chart).

When every semester's table would not fit in one page, the checklist page lists one page
per semester.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from report_archive.reports.archive import Semester
from report_archive.reports.catalogue import normalize_line
from report_archive.site.charts import Bar, bar_chart
from report_archive.site.views.base import PageSpec, Site, View

__all__ = [
    "ChecklistContext",
    "ChecklistPage",
    "ChecklistRow",
    "ChecklistSemester",
    "ChecklistView",
]

_ROW = 900
"""Bytes one checklist item takes on the checklist page (a bar of the chart, a table row)."""
_SEMESTER = 2_000
"""Bytes one semester takes besides its items."""


@dataclass(frozen=True)
class ChecklistPage:
    """Which checklist page this is.

    Attributes:
        index: The page that lists one page per semester.
        semester: The semester of a semester's own page (None: every semester).
    """

    index: bool = False
    semester: Semester | None = None


@dataclass
class ChecklistRow:
    """One item of the checklist in one semester.

    Attributes:
        text: The item's text.
        html: It as HTML.
        section: The checklist section ("Week 1").
        modules: The course modules it names.
        checked: Groups that ticked it.
        total: Groups whose checklist has it.
        order: Its place in the template's checklist.
    """

    text: str
    html: Markup
    section: str
    modules: tuple[str, ...]
    checked: int = 0
    total: int = 0
    order: int = 0


@dataclass(frozen=True)
class ChecklistSemester:
    """One semester on the checklist page.

    Attributes:
        semester: The semester.
        groups: How many groups (on the page listing semesters: all; else with a report).
        uri: The semester's own checklist page (on the page listing semesters), or None.
        rows: Its items, in the template's order.
        chart: A bar chart of its items (inline SVG).
    """

    semester: Semester
    groups: int
    uri: str | None = None
    rows: list[ChecklistRow] = field(default_factory=list)
    chart: Markup = field(default_factory=Markup)


@dataclass(frozen=True)
class ChecklistContext:
    """What ``checklist.html`` receives.

    Attributes:
        semesters: The semesters shown (every one, or the page's own).
        split: Whether this page only lists the semesters' own pages.
    """

    semesters: list[ChecklistSemester]
    split: bool


class ChecklistView(View[ChecklistPage]):
    """The checklist page, split into one page per semester when too large."""

    kind = "checklist"
    template = "checklist.html"
    option = "checklist"

    def plan(self, site: Site) -> None:
        """Add the checklist page, or one page per semester and their list."""
        index = site.urls.index("checklist")
        semesters = site.archive.semesters
        rows = [
            len(
                {
                    normalize_line(item.text)
                    for data in site.groups_of(semester)
                    if data.entry.report
                    for item in data.entry.report.checklist
                }
            )
            for semester in semesters
        ]
        size = sum(_SEMESTER + _ROW * n for n in rows)
        if size <= site.budget or len(semesters) < 2:
            site.add(PageSpec(index, self, "Checklist", True, ChecklistPage()))
            return
        site.add(PageSpec(index, self, "Checklist", True, ChecklistPage(index=True)))
        for semester in semesters:
            uri = site.urls.checklist_of(semester.slug)
            title = f"Checklist · {semester.title}"
            site.add(PageSpec(uri, self, title, data=ChecklistPage(semester=semester)))

    def context(self, spec: PageSpec[ChecklistPage], site: Site) -> ChecklistContext:
        """Every semester's counts (or the list of their pages)."""
        page = spec.data
        if page.index:
            listed = [
                ChecklistSemester(s, len(site.groups_of(s)), site.checklist_uri(s))
                for s in site.archive.semesters
            ]
            return ChecklistContext(listed, split=True)
        chosen = [page.semester] if page.semester else site.archive.semesters
        return ChecklistContext([_semester(s, site) for s in chosen], split=False)


def _semester(semester: Semester, site: Site) -> ChecklistSemester:
    order = {e.normalized: i for i, e in enumerate(site.catalogue.checklist)}
    rows: dict[str, ChecklistRow] = {}
    groups = [g for g in site.groups_of(semester) if g.entry.report]
    for data in groups:
        assert data.entry.report is not None
        for item in data.entry.report.checklist:
            key = normalize_line(item.text)
            row = rows.get(key)
            if row is None:
                row = rows[key] = ChecklistRow(
                    text=item.text,
                    html=Markup(site.inline_html(item.text)),
                    section=item.section,
                    modules=item.modules,
                    order=order.get(key, len(order)),
                )
            row.total += 1
            row.checked += item.checked
    ordered = sorted(rows.values(), key=lambda r: (r.order, r.text))
    chart = bar_chart(
        [
            Bar(
                label=(f"{'+'.join(r.modules)} " if r.modules else "") + r.text,
                value=r.checked,
                note=f"{r.checked}/{r.total}",
            )
            for r in ordered
        ],
        maximum=max((r.total for r in ordered), default=1),
        title=f"Checklist items ticked by the groups of {semester.title}",
    )
    return ChecklistSemester(semester, len(groups), rows=ordered, chart=Markup(chart))

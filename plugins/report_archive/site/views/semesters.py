"""The list of semesters, and one page per semester with its groups."""

from __future__ import annotations

from dataclasses import dataclass

from report_archive.reports.archive import Semester
from report_archive.site.views.base import Crumb, PageSpec, Site, View, index_crumb
from report_archive.site.views.rows import GroupRow, SemesterRow, group_row, semester_rows
from report_archive.site.views.tool_rows import ToolLink, semester_tools

__all__ = ["SemesterContext", "SemesterView", "SemestersContext", "SemestersView"]


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
        groups: One row per group, in group order.
        redacted: Whether student numbers are redacted (members are then counted, not
            listed).
        tools: Its most used tools and practices, most used first, each with its page and
            how many of its groups used it (empty without tool pages).
    """

    semester: Semester
    groups: list[GroupRow]
    redacted: bool
    tools: list[ToolLink]


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

    def context(self, spec: PageSpec[Semester], site: Site) -> SemesterContext:
        """The semester's groups."""
        rows = [group_row(g) for g in site.groups_of(spec.data)]
        tools = semester_tools(site, spec.data)
        return SemesterContext(spec.data, rows, site.options.redact, tools)

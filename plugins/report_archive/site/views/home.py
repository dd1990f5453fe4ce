"""The home page: the semesters, the questions, and a search box."""

from __future__ import annotations

from dataclasses import dataclass

from report_archive.site.views.base import PageSpec, Site, View
from report_archive.site.views.rows import (
    QuestionSection,
    SemesterRow,
    question_sections,
    semester_rows,
)

__all__ = ["HomeContext", "HomeView"]


@dataclass(frozen=True)
class HomeContext:
    """What ``home.html`` receives.

    Attributes:
        semesters: One row per semester, newest first.
        sections: The template's sections and their questions, with their pages.
    """

    semesters: list[SemesterRow]
    sections: list[QuestionSection]


class HomeView(View[None]):
    """The home page (``index.md``), unless ``docs/`` has its own."""

    kind = "home"
    template = "home.html"
    option = "home"

    def plan(self, site: Site) -> None:
        """Add the home page."""
        site.add(PageSpec(site.urls.index("home"), self, site.options.site_name, in_nav=True))

    def context(self, spec: PageSpec[None], site: Site) -> HomeContext:
        """The semesters and the questions."""
        return HomeContext(semester_rows(site), question_sections(site))

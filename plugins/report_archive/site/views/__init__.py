"""The page kinds: one view each, with its template and its typed context.

`VIEWS` is the order in which a site's pages are planned (and listed): home, semesters,
groups, questions, tools, checklist, problems, search. Adding a page kind is adding a view here.
"""

from __future__ import annotations

from typing import Any

from report_archive.site.views.base import Common, Paged, PageSpec, RenderedPage, TocEntry, View
from report_archive.site.views.checklist import ITEM as CHECKLIST_ITEM
from report_archive.site.views.checklist import ChecklistView
from report_archive.site.views.group import GroupView
from report_archive.site.views.home import HomeView
from report_archive.site.views.problems import ProblemsView
from report_archive.site.views.questions import QuestionsView, QuestionView
from report_archive.site.views.search import SearchView
from report_archive.site.views.semesters import SemestersView, SemesterView
from report_archive.site.views.tool_page import ToolView
from report_archive.site.views.tools import ToolsView

__all__ = [
    "HOME",
    "VIEWS",
    "Common",
    "PageSpec",
    "Paged",
    "RenderedPage",
    "TocEntry",
    "View",
]

HOME = HomeView()
"""The home page's view (the plugin also renders it into a hand-written ``docs/index.md``)."""

VIEWS: tuple[View[Any], ...] = (
    HOME,
    SemestersView(),
    SemesterView(),
    GroupView(),
    QuestionsView(),
    QuestionView(),
    ToolsView(),
    ToolView(),
    ChecklistView(),
    CHECKLIST_ITEM,
    ProblemsView(),
    SearchView(),
)
"""Every page kind, in the order their pages are planned."""

"""Tools as other pages show them: a group's badges, its similar groups, a semester's top."""

from __future__ import annotations

from dataclasses import dataclass

from report_archive.reports.archive import Semester
from report_archive.reports.tools import Tool, ToolCategory
from report_archive.site.groups import GroupData
from report_archive.site.tool_index import Similar, ToolIndex
from report_archive.site.views.base import Site

__all__ = [
    "ToolBadges",
    "ToolLink",
    "semester_tools",
    "similar_groups",
    "tool_badges",
    "tool_index",
]


@dataclass(slots=True)
class ToolLink:
    """A catalogue entry, its page, and how many groups used it where it is shown.

    Attributes:
        tool: The entry (``tool.name``, ``tool.id``, ``tool.description``, ``tool.url``).
        uri: Its page, or None.
        used: Groups that used it (in a semester, in the archive, or with another entry).
        groups: Of how many groups (0 where nothing is counted).
    """

    tool: Tool
    uri: str | None
    used: int = 0
    groups: int = 0

    @property
    def share(self) -> float | None:
        """``used / groups``, or None when nothing is counted."""
        return self.used / self.groups if self.groups else None


@dataclass(frozen=True)
class ToolBadges:
    """A category of the entries a group used.

    Attributes:
        category: The category (``category.title``).
        tools: Its entries the group used, in catalogue order.
    """

    category: ToolCategory
    tools: list[ToolLink]


def tool_index(site: Site) -> ToolIndex:
    """The site's tool index, for the views that exist only with it."""
    assert site.tool_index is not None  # the tool views are enabled only with it
    return site.tool_index


def tool_badges(site: Site, group: GroupData) -> list[ToolBadges]:
    """The entries a group used, by category in the catalogue's order (empty without tools)."""
    index = site.tool_index
    if index is None:
        return []
    by_category: dict[str, list[ToolLink]] = {}
    for use in index.uses(group):
        tool = use.tool
        link = ToolLink(tool, site.tool_uri(tool.id))
        if tool.category in by_category:
            by_category[tool.category].append(link)
        else:
            by_category[tool.category] = [link]
    return [
        ToolBadges(category, by_category[category.id])
        for category in index.catalogue.categories
        if category.id in by_category
    ]


def similar_groups(site: Site, group: GroupData, limit: int = 5) -> list[Similar]:
    """The groups whose tools are most like a group's (empty without tools)."""
    index = site.tool_index
    return index.similar(group, limit) if index is not None else []


def semester_tools(site: Site, semester: Semester, limit: int = 10) -> list[ToolLink]:
    """A semester's most used entries, with how many of its groups used each."""
    index = site.tool_index
    if index is None:
        return []
    return [
        ToolLink(tool, site.tool_uri(tool.id), adoption.used, adoption.groups)
        for tool, adoption in index.top(semester, limit)
    ]

"""The list of tools: every entry by category, with its adoption over semesters.

Only entries some group used have a page (`report_archive.site.views.tool_page`); the list
names the others, per category, as not used by any group.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from report_archive.reports.archive import Semester
from report_archive.reports.tools import Tool, ToolCategory
from report_archive.site.charts import HeatRow, heatmap
from report_archive.site.tool_index import Adoption
from report_archive.site.views.base import Link, PageSpec, Site, View
from report_archive.site.views.tool_rows import ToolLink, tool_index

__all__ = ["ToolCategoryRows", "ToolRow", "ToolsContext", "ToolsView"]


@dataclass(frozen=True)
class ToolRow:
    """An entry on the list of tools.

    Attributes:
        link: The entry, its page, and how many of all groups used it.
        adoption: Its use in each semester of `ToolsContext.semesters`, newest first.
    """

    link: ToolLink
    adoption: list[Adoption]


@dataclass(frozen=True)
class ToolCategoryRows:
    """A category on the list of tools.

    Attributes:
        category: The category (``category.title``, ``category.id``).
        rows: Its entries some group used, most used first.
        unused: Its entries no group used, in catalogue order.
    """

    category: ToolCategory
    rows: list[ToolRow]
    unused: list[Tool]


@dataclass(frozen=True)
class ToolsContext:
    """What ``tools.html`` receives.

    Attributes:
        categories: The catalogue's categories that have entries, in catalogue order.
        semesters: The semesters counted (groups whose tools were detected), newest first.
        groups: Groups whose tools were detected, all semesters together.
        ranked: Every entry some group used, most used first (the chart's rows).
        chart: ``chart(link)``: the adoption heatmap (inline SVG) of `ranked`, each row
            linking to its entry's page.
    """

    categories: list[ToolCategoryRows]
    semesters: list[Semester]
    groups: int
    ranked: list[ToolRow]
    chart: Callable[[Link], Markup]


class ToolsView(View[None]):
    """The list of tools, by category, with their adoption over semesters."""

    kind = "tools"
    template = "tools.html"
    option = "tools"

    def enabled(self, site: Site) -> bool:
        """Whether the site has tool pages: the option is on and tools were detected."""
        return super().enabled(site) and site.tool_index is not None

    def plan(self, site: Site) -> None:
        """Add the list of tools."""
        site.add(PageSpec(site.urls.index("tools"), self, "Tools", in_nav=True))

    def context(self, spec: PageSpec[None], site: Site) -> ToolsContext:
        """Every entry with its counts, and the chart."""
        index = tool_index(site)
        rows = {
            tool.id: ToolRow(
                ToolLink(tool, site.tool_uri(tool.id), index.count(tool.id), index.detected),
                index.adoption(tool.id),
            )
            for tool in index.used
        }
        categories = []
        for category in index.catalogue.categories:
            used = [r for r in rows.values() if r.link.tool.category == category.id]
            unused = [t for t in index.unused if t.category == category.id]
            if used or unused:
                categories.append(ToolCategoryRows(category, used, unused))
        semesters = index.counted()

        def chart(link: Link) -> Markup:
            heat = [
                HeatRow(r.link.tool.name, link(r.link.uri), [a.share for a in r.adoption])
                for r in rows.values()
            ]
            return Markup(
                heatmap(
                    heat,
                    [s.title for s in semesters],
                    title="Adoption of tools over semesters",
                    description="Percentage of each semester's groups that used each tool, "
                    "most used tools first, newest semester first; the table below the chart "
                    "gives the same numbers.",
                )
            )

        return ToolsContext(categories, semesters, index.detected, list(rows.values()), chart)

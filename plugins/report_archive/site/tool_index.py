"""The site's tool statistics, computed once: who used what, per semester, and together.

`ToolIndex` is made from the site's groups (`report_archive.site.groups.GroupData`, each
with the tools its report shows, ``entry.tools``): for every catalogue entry the groups that
used it, their share of each semester's groups, the entries most often used with it; and
for every group the groups whose tool sets are most alike (`report_archive.site.similarity`).
The tool pages, the group pages and the semester pages read it; nothing here renders.

A group counts in a semester's share when its tools were detected (its report could be
read); a group whose report could not be read is in no count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from report_archive.reports.archive import Semester
from report_archive.reports.tools import Tool, ToolCatalogue, ToolUse, load_tool_catalogue
from report_archive.site.groups import GroupData
from report_archive.site.similarity import Jaccard

__all__ = ["Adoption", "Similar", "Together", "ToolIndex"]


@dataclass(frozen=True)
class Adoption:
    """How many of a semester's groups used an entry.

    Attributes:
        semester: The semester.
        used: Its groups that used the entry.
        groups: Its groups whose tools were detected.
    """

    semester: Semester
    used: int
    groups: int

    @property
    def share(self) -> float | None:
        """``used / groups``, or None when no group's tools were detected."""
        return self.used / self.groups if self.groups else None


@dataclass(frozen=True)
class Together:
    """An entry used by groups that used another.

    Attributes:
        tool: The entry.
        groups: The groups that used both.
    """

    tool: Tool
    groups: int


@dataclass(frozen=True)
class Similar:
    """A group whose tools are like another group's.

    Attributes:
        group: The group.
        shared: Entries both used.
        either: Entries either used.
        score: Jaccard index of the two sets of entries (``shared / either``).
    """

    group: GroupData
    shared: int
    either: int
    score: float


class ToolIndex:
    """Every group's tools, counted once for every page.

    Args:
        groups: The site's groups, in the site's order.
        semesters: The site's semesters, in the site's order (newest first).
        catalogue: The tool catalogue (default: the one shipped with the package).
    """

    def __init__(
        self,
        groups: Sequence[GroupData],
        semesters: Sequence[Semester],
        catalogue: ToolCatalogue | None = None,
    ) -> None:
        self.catalogue = catalogue or load_tool_catalogue()
        self.groups = list(groups)
        self.semesters = list(semesters)
        self.users: dict[str, list[GroupData]] = {t.id: [] for t in self.catalogue.tools}
        """Entry id → the groups that used it, in the site's order."""
        self._uses: dict[int, dict[str, ToolUse]] = {}
        self._detected: dict[int, int] = {id(s): 0 for s in self.semesters}
        self._counts: dict[tuple[int, str], int] = {}
        self._position = {id(g): i for i, g in enumerate(self.groups)}
        self._columns: dict[str, int] = {}
        """Entry id → the groups that used it, as a bitset of their places."""
        for at, data in enumerate(self.groups):
            report = data.entry.tools
            if report is None:
                continue
            self._detected[id(data.semester)] = self._detected.get(id(data.semester), 0) + 1
            uses = self._uses[id(data)] = {u.tool.id: u for u in report.used}
            for tool_id in uses:
                self.users.setdefault(tool_id, []).append(data)
                self._columns[tool_id] = self._columns.get(tool_id, 0) | 1 << at
                key = (id(data.semester), tool_id)
                self._counts[key] = self._counts.get(key, 0) + 1
        self._order = {t.id: i for i, t in enumerate(self.catalogue.tools)}
        self._jaccard: Jaccard | None = None
        self._names: dict[int, str] = {}

    # -- entries -----------------------------------------------------------------------------

    @property
    def detected(self) -> int:
        """Groups whose tools were detected."""
        return len(self._uses)

    def count(self, tool_id: str) -> int:
        """How many groups used an entry."""
        return len(self.users.get(tool_id, ()))

    def share(self, tool_id: str) -> float | None:
        """The share of all groups (whose tools were detected) that used an entry."""
        return self.count(tool_id) / self.detected if self.detected else None

    @property
    def used(self) -> list[Tool]:
        """The entries some group used, most used first (then in catalogue order)."""
        tools = [t for t in self.catalogue.tools if self.users.get(t.id)]
        return sorted(tools, key=lambda t: (-self.count(t.id), self._order[t.id]))

    @property
    def unused(self) -> list[Tool]:
        """The entries no group used, in catalogue order."""
        return [t for t in self.catalogue.tools if not self.users.get(t.id)]

    def counted(self) -> list[Semester]:
        """The semesters with groups whose tools were detected, newest first."""
        return [s for s in self.semesters if self._detected.get(id(s))]

    def adoption(self, tool_id: str) -> list[Adoption]:
        """An entry's use in each semester (`counted`), newest first."""
        return [
            Adoption(s, self._counts.get((id(s), tool_id), 0), self._detected[id(s)])
            for s in self.counted()
        ]

    def top(self, semester: Semester, limit: int = 10) -> list[tuple[Tool, Adoption]]:
        """A semester's most used entries and their use there, most used first."""
        groups = self._detected.get(id(semester), 0)
        counted = [
            (tool, self._counts.get((id(semester), tool.id), 0)) for tool in self.catalogue.tools
        ]
        counted = [(t, n) for t, n in counted if n]
        counted.sort(key=lambda p: (-p[1], self._order[p[0].id]))
        return [(t, Adoption(semester, n, groups)) for t, n in counted[:limit]]

    def together(self, tool_id: str, limit: int = 8) -> list[Together]:
        """The entries most often used by the groups that used `tool_id`, most first.

        Entries tied to it by the catalogue (it implies them, they imply it, or one is a
        composite of the other) are left out: every group that used Locust did load testing.
        """
        tool = self.catalogue.tool(tool_id)
        related = {tool.id, *tool.implies, *tool.all_of}
        related |= {t.id for t in self.catalogue.tools if tool_id in (*t.implies, *t.all_of)}
        mine = self._columns.get(tool_id, 0)
        found = []
        for other in self.catalogue.tools:
            if other.id in related:
                continue
            both = (mine & self._columns.get(other.id, 0)).bit_count()
            if both:
                found.append(Together(other, both))
        found.sort(key=lambda t: (-t.groups, -self.count(t.tool.id), self._order[t.tool.id]))
        return found[:limit]

    # -- groups ------------------------------------------------------------------------------

    def name(self, group: GroupData) -> str:
        """The group's name (`GroupData.name`), made once for every tool page it is on."""
        name = self._names.get(id(group))
        if name is None:
            name = self._names[id(group)] = group.name
        return name

    def uses(self, group: GroupData) -> list[ToolUse]:
        """The entries a group used, with their evidence, in catalogue order."""
        return list(self._uses.get(id(group), {}).values())

    def use(self, group: GroupData, tool_id: str) -> ToolUse | None:
        """A group's use of an entry (its evidence), or None."""
        return self._uses.get(id(group), {}).get(tool_id)

    def similar(self, group: GroupData, limit: int = 5) -> list[Similar]:
        """The groups whose tools are most like a group's (Jaccard), best first.

        Any semester; never the group itself; groups that share no entry are not listed.
        Ties go to the group sharing more entries, then to the earlier in the site's order.
        """
        if self._jaccard is None:
            self._jaccard = Jaccard([frozenset(self._uses.get(id(g), ())) for g in self.groups])
        at = self._position.get(id(group))
        if at is None:
            return []
        sets = self._jaccard.sets
        return [
            Similar(
                self.groups[n.index],
                n.shared,
                len(sets[at]) + len(sets[n.index]) - n.shared,
                n.score,
            )
            for n in self._jaccard.nearest(at, limit)
        ]

"""The site's URL scheme: where each generated page goes, as a source path of ``docs/``.

A page at ``questions/api/index.md`` is served at ``questions/api/`` (MkDocs' directory
URLs) or ``questions/api/index.html``; the plan only deals in these source paths and MkDocs
turns them into URLs. Every prefix comes from the plugin's options.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["SEARCH_INDEX", "SEARCH_INDEX_FOLDER", "Urls", "join", "paginate", "search_index"]

INDEX = "index.md"
SEARCH_INDEX = "pagefind"
"""The folder of the (first) Pagefind index; later indexes are ``pagefind-2``..."""
SEARCH_INDEX_FOLDER = re.compile(r"^pagefind(-[0-9]+)?/")
"""Matches a site path inside a Pagefind index's folder (reserved with Pagefind search)."""


def join(*parts: str) -> str:
    """Join site path segments, skipping empty ones."""
    return posixpath.join(*[p for p in parts if p])


@dataclass(frozen=True)
class Urls:
    """Where every page goes.

    Attributes:
        archive: Prefix of semester and group pages ("" for the site root).
        semesters: The list of semesters.
        questions: Prefix of question pages.
        checklist: The checklist statistics.
        problems: The problems page.
        search: The search page.
        tools: The list of tools; prefix of tool pages.
        figures: The folder of figures published under a name made from their content.
    """

    archive: str = ""
    semesters: str = "semesters"
    questions: str = "questions"
    checklist: str = "checklist"
    problems: str = "problems"
    search: str = "search"
    tools: str = "tools"
    figures: str = "figures"

    def index(self, kind: str) -> str:
        """The page that lists a kind (home, semesters, questions, checklist, problems...)."""
        if kind == "home":
            return INDEX
        prefix: str = getattr(self, kind)
        return join(prefix, INDEX)

    def semester(self, semester: str) -> str:
        """A semester's page (by folder name)."""
        return join(self.archive, semester, INDEX)

    def group_folder(self, semester: str, group: str) -> str:
        """The site folder of a group (its page and its figures), ending in ``/``."""
        return join(self.archive, semester, group) + "/"

    def group(self, semester: str, group: str) -> str:
        """A group's page."""
        return self.group_folder(semester, group) + INDEX

    def figure_folder(self) -> str:
        """The folder of figures named from their content (``figures/``), ending in ``/``."""
        return self.figures + "/"

    def question(self, question: str, semester: str = "", part: int = 1) -> str:
        """A question's page, or one part of it when it is split by semester."""
        return join(self.questions, question, semester, str(part) if part > 1 else "", INDEX)

    def checklist_item(self, slug: str) -> str:
        """A checklist item's page: the groups that ticked it."""
        return join(self.checklist, slug, INDEX)

    def tool(self, tool: str, part: int = 1) -> str:
        """A tool's page, or one of its next pages when its groups go on several."""
        return join(self.tools, tool, str(part) if part > 1 else "", INDEX)

    def problems_of(self, semester: str, part: int = 1) -> str:
        """One part of the problems page, when it is split by semester."""
        return join(self.problems, semester, str(part) if part > 1 else "", INDEX)


def search_index(number: int) -> str:
    """The folder of the `number`-th Pagefind index (from 1), ending in ``/``.

    ``pagefind/``, then ``pagefind-2/``, ``pagefind-3/``...
    """
    return f"{SEARCH_INDEX}/" if number == 1 else f"{SEARCH_INDEX}-{number}/"


def paginate(sizes: Sequence[int], budget: int) -> list[int]:
    """Split consecutive blocks into pages under a budget; return the block count per page.

    A block larger than the budget gets a page of its own; there is always at least one page.
    """
    chunks: list[int] = []
    count = used = 0
    for size in sizes:
        if count and used + size > budget:
            chunks.append(count)
            count = used = 0
        count += 1
        used += size
    if count or not chunks:
        chunks.append(count)
    return chunks

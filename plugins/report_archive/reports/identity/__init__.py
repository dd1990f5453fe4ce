"""How a group's project is named: its title, where the title comes from, its summary.

A title is, in this order, what staff wrote in ``group.yml`` (``title``), what
``report-archive import`` read from the repository's README (``readme_title``), or one
derived from the report (`derive_title`): a group is never shown without one. The summary
is staff's, else the README's, else none. Plain Python, no MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from report_archive.reports.identity.derive import MAX_TITLE, derive_title
from report_archive.reports.identity.readme import ReadmeIdentity, readme_identity
from report_archive.reports.identity.text import cap, name_words, plain_line
from report_archive.reports.meta import GroupMeta
from report_archive.reports.model import Report
from report_archive.reports.tools import ToolReport

__all__ = [
    "MAX_TITLE",
    "Identity",
    "ReadmeIdentity",
    "TitleSource",
    "cap",
    "derive_title",
    "group_identity",
    "name_words",
    "plain_line",
    "readme_identity",
]


class TitleSource(StrEnum):
    """Where a project's title comes from."""

    STAFF = "staff"
    """``title`` in ``group.yml``."""
    README = "readme"
    """``readme_title`` in ``group.yml``: the repository's README, read by the import."""
    DERIVED = "derived"
    """Derived from the report (`derive_title`)."""


@dataclass(frozen=True)
class Identity:
    """A project's title and summary, as every page shows them (before redaction).

    Attributes:
        title: The title (never empty).
        source: Where the title comes from.
        summary: What the project does, in a sentence or two ("" when unknown).
    """

    title: str
    source: TitleSource
    summary: str = ""

    @property
    def derived(self) -> bool:
        """Whether the title was derived from the report (the site marks it so)."""
        return self.source is TitleSource.DERIVED


def group_identity(
    meta: GroupMeta, report: Report | None, tools: ToolReport | None = None
) -> Identity:
    """Return a group's title (staff's, the README's, else derived) and summary."""
    summary = meta.summary or meta.readme_summary or ""
    if meta.title:
        return Identity(meta.title, TitleSource.STAFF, summary)
    if meta.readme_title:
        return Identity(meta.readme_title, TitleSource.README, summary)
    title = derive_title(report, tools=tools, summary=summary, repository=meta.repository)
    return Identity(title, TitleSource.DERIVED, summary)

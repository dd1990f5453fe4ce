"""The problems page, for staff: every diagnostic of every report, with file and line.

When too large it is split into one page per semester, each paginated
(`report_archive.site.urls.paginate`).
"""

from __future__ import annotations

from dataclasses import dataclass

from report_archive.reports.archive import Problem, Semester
from report_archive.site.groups import GroupData
from report_archive.site.redact import Redactor
from report_archive.site.urls import paginate
from report_archive.site.views.base import Crumb, Paged, PageSpec, Site, View

__all__ = [
    "FileProblem",
    "GroupProblems",
    "ProblemRow",
    "ProblemsContext",
    "ProblemsPage",
    "ProblemsView",
    "SemesterProblems",
]

_FIXED = 10_000
"""Bytes of the problems page besides its groups."""


@dataclass
class ProblemsPage(Paged):
    """What the problems page (or one part of it) shows."""

    semesters: list[tuple[Semester, list[GroupData]]]


@dataclass(frozen=True)
class ProblemRow:
    """One problem of a group.

    Attributes:
        level: error, warning or info.
        code: A short stable identifier (``missing-figure``).
        message: The problem, redacted.
        where: ``path:line``, redacted.
        anchor: The answer's anchor on the group's page, or None.
        question: The question's title, or None.
    """

    level: str
    code: str
    message: str
    where: str
    anchor: str | None
    question: str | None


@dataclass(frozen=True)
class GroupProblems:
    """A group and its problems.

    Attributes:
        group: The group (``group.uri``, ``group.entry.label``).
        problems: Its problems.
    """

    group: GroupData
    problems: list[ProblemRow]


@dataclass(frozen=True)
class SemesterProblems:
    """A semester's groups and their problems.

    Attributes:
        semester: The semester.
        groups: Its groups on this page.
    """

    semester: Semester
    groups: list[GroupProblems]


@dataclass(frozen=True)
class FileProblem:
    """A problem of a file or folder that is no group's report (a ``semester.yml``, a link).

    Attributes:
        file: Its path, redacted.
        line: Its line, or None.
        message: The problem, redacted.
    """

    file: str
    line: int | None
    message: str


@dataclass(frozen=True)
class ProblemsContext:
    """What ``problems.html`` receives.

    Attributes:
        ppage: This page and where it stands among the parts (`Paged`).
        blocks: Its semesters with their groups' problems.
        loose: Problems of files and folders that are no group's report.
    """

    ppage: ProblemsPage
    blocks: list[SemesterProblems]
    loose: list[FileProblem]


def _size(group: GroupData) -> int:
    """About how many bytes a group's problems take on the page.

    Its heading, then a table row per problem (badge, message, the question's link, the
    code, the file and line with their link: about 460 bytes of markup besides the message
    and twice the path).
    """
    rows = sum(460 + len(p.diagnostic.message) + 2 * len(str(p.file)) for p in group.problems)
    return 400 + len(group.name) + rows


class ProblemsView(View[ProblemsPage]):
    """The problems page, split per semester and paginated when too large."""

    kind = "problems"
    template = "problems.html"
    option = "problems"

    def plan(self, site: Site) -> None:
        """Add the problems page (and its parts)."""
        index = site.urls.index("problems")
        title = "Report problems"
        per_semester = [(s, site.groups_of(s)) for s in site.archive.semesters]
        sizes = [[_size(g) for g in groups] for _, groups in per_semester]
        if _FIXED + sum(sum(s) for s in sizes) <= site.budget:
            site.add(PageSpec(index, self, title, True, ProblemsPage(per_semester)))
            return
        overview = ProblemsPage([], overview=True)
        site.add(PageSpec(index, self, title, True, overview))
        for (semester, groups), group_sizes in zip(per_semester, sizes, strict=True):
            chunks = paginate(group_sizes, site.budget - _FIXED)
            uris = [site.urls.problems_of(semester.slug, n) for n in range(1, len(chunks) + 1)]
            overview.parts.append((semester.title, uris[0], sum(len(g.problems) for g in groups)))
            start = 0
            for n, (uri, chunk) in enumerate(zip(uris, chunks, strict=True), start=1):
                part_title = f"{title} · {semester.title}"
                if len(chunks) > 1:
                    part_title += f" ({n}/{len(chunks)})"
                page = ProblemsPage(
                    [(semester, groups[start : start + chunk])],
                    parent=index,
                    page=n,
                    pages=len(chunks),
                    prev=uris[n - 2] if n > 1 else None,
                    next=uris[n] if n < len(chunks) else None,
                )
                start += chunk
                site.add(PageSpec(uri, self, part_title, data=page))

    def inputs(self, spec: PageSpec[ProblemsPage], site: Site) -> list[GroupData]:
        """The groups on the page."""
        return [group for _, groups in spec.data.semesters for group in groups]

    def others(self, spec: PageSpec[ProblemsPage], site: Site) -> object:
        """Where the page stands (the parts' counts), the problems of no group's report."""
        return spec.data.place(), site.archive.problems

    def trail(self, spec: PageSpec[ProblemsPage], site: Site) -> list[Crumb]:
        """Home › Report problems (› a semester's part)."""
        parent = spec.data.parent
        return [Crumb("Report problems", parent)] if parent else []

    def context(self, spec: PageSpec[ProblemsPage], site: Site) -> ProblemsContext:
        """The problems of the page's groups."""
        page = spec.data
        blocks = [
            SemesterProblems(
                semester,
                [GroupProblems(g, [_row(g, p, site) for p in g.problems]) for g in groups],
            )
            for semester, groups in page.semesters
        ]
        redactor = Redactor(enabled=site.options.redact)
        loose = [
            FileProblem(
                redactor.text(site.display(p.file)),
                p.diagnostic.line,
                redactor.text(p.diagnostic.message),
            )
            for p in site.archive.problems
        ]
        return ProblemsContext(page, blocks, loose)


def _row(data: GroupData, problem: Problem, site: Site) -> ProblemRow:
    d = problem.diagnostic
    report = data.entry.report
    anchor = d.question if d.question and report and report.answer(d.question) else None
    where = site.display(problem.file) + (f":{d.line}" if d.line else "")
    question: str | None = None
    if d.question is not None:
        known = site.catalogue.by_id.get(d.question)
        question = known.title if known else d.question
    return ProblemRow(
        level=str(d.level),
        code=d.code,
        message=data.redactor.text(d.message),
        where=data.redactor.text(where),
        anchor=anchor,
        question=question,
    )

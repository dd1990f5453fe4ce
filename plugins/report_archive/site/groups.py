"""Each group as the site shows it: its redactor, its published figures, its answers as HTML.

`prepare_groups` decides, for every group of the archive, where its page and figures go
and which figures are published (`report_archive.site.figures`); `start_rendering` renders
every answer once, for every page that shows it (the group's page, the question pages, the
search index), in worker processes when there are many, while `identify_groups` gives
every group its title in this process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

from report_archive.reports.archive import Archive, GroupEntry, Problem, Semester
from report_archive.reports.catalogue import Catalogue
from report_archive.reports.identity import Identity, group_identity
from report_archive.reports.model import Reference, Status
from report_archive.reports.parallel import process_map_later
from report_archive.site.answers import GroupJob, Rendered, render_group
from report_archive.site.figures import (
    Decide,
    FigurePlan,
    FileChecks,
    plan_figures,
    repository_file_url,
)
from report_archive.site.group_cache import GroupCache
from report_archive.site.redact import Redactor
from report_archive.site.urls import Urls

__all__ = ["GroupData", "identify_groups", "prepare_groups", "start_rendering"]


@dataclass(eq=False)
class GroupData:
    """A group, with everything rendered once for all pages (compared by identity).

    Attributes:
        entry: The group's report and metadata.
        semester: Its semester.
        uri: Its page's source path, or None without group pages.
        redactor: Replaces its students' numbers and names.
        figures: Its published files.
        identity: Its project's title (staff's, the README's or derived) and summary, as
            written (`title`, `summary` and `name` are redacted); set by `identify_groups`.
        problems: Its problems: the archive's, then its figures not published.
        position: Its place among every group of the site (for previous and next).
        answers: Question id → the answer's HTML.
        texts: Question id → the answer's visible text (for search).
        extra: The HTML of the report's text outside the questions.
        extra_text: Its visible text.
        rendering: The key of what its answers were rendered from (`GroupCache`), "" when
            they are not kept between builds.
    """

    entry: GroupEntry
    semester: Semester
    uri: str | None
    redactor: Redactor
    figures: FigurePlan
    identity: Identity = field(init=False)
    problems: list[Problem] = field(default_factory=list)
    position: int = 0
    answers: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    extra: str = ""
    extra_text: str = ""
    rendering: str = ""

    @property
    def title(self) -> str:
        """The project's title, redacted (never empty: derived from the report if need be)."""
        return self.redactor.text(self.identity.title)

    @property
    def derived(self) -> bool:
        """Whether the title was derived from the report (pages mark it so)."""
        return self.identity.derived

    @property
    def summary(self) -> str:
        """What the project does, in a sentence or two, redacted ("" when unknown)."""
        return self.redactor.text(self.identity.summary) if self.identity.summary else ""

    @property
    def name(self) -> str:
        """How every page names the group: "Group 42 · January 2025 · <title>".

        The semester is part of the name because group numbers repeat across semesters.
        """
        return " · ".join((self.entry.label, self.semester.title, self.title))

    def answer_html(self, question: str) -> str:
        """Return an answer's rendered HTML ("" when none)."""
        return self.answers.get(question, "")

    def answer_text(self, question: str) -> str:
        """Return an answer's visible text, for search ("" when none)."""
        return self.texts.get(question, "")


def prepare_groups(
    archive: Archive,
    urls: Urls,
    *,
    pages: bool,
    redact: bool,
    figures: Decide | None,
    dedupe: bool = False,
    link: bool = False,
    checks: FileChecks | None = None,
) -> list[GroupData]:
    """Return every group of the archive, semester by semester, ready to be rendered.

    Their titles are not derived yet (`identify_groups`).

    Args:
        archive: The loaded reports.
        urls: Where pages go.
        pages: Whether groups get pages (and so publish figures).
        redact: Whether student numbers are redacted.
        figures: Says which file is published for each figure; None publishes none.
        dedupe: Publish figures under names made from their content
            (`report_archive.site.urls.Urls.figure_folder`), each file once.
        link: Link the figures of groups whose repository and commit are known to the
            repository instead of publishing them.
        checks: The figures' checks made earlier in this build
            (`report_archive.site.figures.candidates`).
    """
    shared = urls.figure_folder() if dedupe else None
    groups: list[GroupData] = []
    for semester in archive.semesters:
        for entry in semester.groups:
            data = _group(
                entry,
                semester,
                urls,
                pages=pages,
                redact=redact,
                decide=figures,
                shared=shared,
                link=link,
                checks=checks,
            )
            data.position = len(groups)
            groups.append(data)
    return groups


def _group(
    entry: GroupEntry,
    semester: Semester,
    urls: Urls,
    *,
    pages: bool,
    redact: bool,
    decide: Decide | None,
    shared: str | None,
    link: bool,
    checks: FileChecks | None,
) -> GroupData:
    base = urls.group_folder(entry.semester, entry.slug)
    report = entry.report
    problems = list(entry.problems)
    redactor = Redactor(entry.members, enabled=redact)
    if report and decide and pages:
        figures = plan_figures(
            entry.folder,
            report.references,
            base,
            decide,
            redactor.path,
            shared=shared,
            link=_repository_link(entry, redactor) if link else None,
            checks=checks,
        )
        questions = {r.line: a.question for a in report.answers for r in a.references}
        problems += [
            Problem(entry.source, replace(d, question=questions.get(d.line or 0)))
            for d in figures.diagnostics
        ]
    else:
        figures = FigurePlan(base=base)
    return GroupData(
        entry=entry,
        semester=semester,
        uri=urls.group(entry.semester, entry.slug) if pages else None,
        redactor=redactor,
        figures=figures,
        problems=problems,
    )


def identify_groups(
    groups: list[GroupData], identity: Callable[[GroupEntry], Identity] | None = None
) -> None:
    """Give every group its project's title and summary (`GroupData.identity`).

    Args:
        groups: The groups.
        identity: Gives a group's title and summary (default: derives them,
            `report_archive.reports.identity.group_identity`).
    """
    for data in groups:
        data.identity = (identity or _identity)(data.entry)


def _identity(entry: GroupEntry) -> Identity:
    return group_identity(entry.meta, entry.report, entry.tools)


def _repository_link(entry: GroupEntry, redactor: Redactor) -> Callable[[str], str | None]:
    """Where a figure of the group is linked: the file in its repository at its commit.

    None (publish it) when the group's repository or commit is unknown, and when the URL
    would show a student number (a repository under a student's account, a file named
    after one).
    """

    def link(rel: str) -> str | None:
        url = repository_file_url(entry.meta.repository, entry.meta.commit, rel)
        if url is None or redactor.affects(unquote(url)):
            return None
        return url

    return link


def start_rendering(
    groups: list[GroupData], catalogue: Catalogue, jobs: int, cache: GroupCache | None = None
) -> Callable[[], None]:
    """Start rendering every group's answers and other content, in worker processes if many.

    Args:
        groups: The groups (their `answers`, `texts`, `extra` and `extra_text` are filled).
        catalogue: Gives the canonical order of the questions.
        jobs: Processes to use (`report_archive.reports.parallel.workers`).
        cache: Keeps renderings between builds (None renders every group).

    Returns:
        What waits for the renderings and fills the groups in. Until then, the groups'
        figures and redactors must not change (they are sent to the workers meanwhile).
    """
    order = {q.id: i for i, q in enumerate(catalogue.questions)}
    keys: list[list[str | None]] = []
    work: list[GroupJob] = []
    for data in groups:
        report = data.entry.report
        texts: list[tuple[str, tuple[Reference, ...]]] = []
        names: list[str | None] = []
        if report is not None:
            answers = sorted(
                report.answers,
                key=lambda a: (a.question not in order, order.get(a.question, 0)),
            )
            for answer in answers:
                if answer.status is Status.ANSWERED or answer.markdown.strip():
                    names.append(answer.question)
                    texts.append((answer.markdown, tuple(answer.references)))
            names.append(None)
            texts.append((report.extra, tuple(report.extra_references)))
        keys.append(names)
        work.append(GroupJob(texts, data.figures, data.redactor))

    def start_all(work: list[GroupJob]) -> Callable[[], list[list[Rendered]]]:
        return process_map_later(render_group, work, jobs)

    if cache is None:
        later = start_all(work)

        def results() -> tuple[list[list[Rendered]], list[str] | None]:
            return later(), None

    else:
        results = cache.start(work, start_all)

    def finish() -> None:
        rendered_all, made_from = results()
        if made_from is not None:
            for data, key in zip(groups, made_from, strict=True):
                data.rendering = key
        for data, names, rendered in zip(groups, keys, rendered_all, strict=True):
            for name, out in zip(names, rendered, strict=True):
                if name is None:
                    data.extra, data.extra_text = out.html, out.text
                else:
                    data.answers[name], data.texts[name] = out.html, out.text

    return finish

"""A group's page: its whole report, question by question, with its figures."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from markupsafe import Markup

from report_archive.reports.archive import GroupEntry
from report_archive.reports.catalogue import Question
from report_archive.reports.model import Answer, ChecklistItem
from report_archive.site.groups import GroupData
from report_archive.site.redact import Redactor
from report_archive.site.tool_index import Similar
from report_archive.site.views.base import Crumb, PageSpec, Site, View
from report_archive.site.views.rows import GroupRow, badges, group_row, latest_prompt
from report_archive.site.views.tool_rows import ToolBadges, similar_groups, tool_badges

__all__ = [
    "EXTRA_ANCHOR",
    "EXTRA_TITLE",
    "AnswerBlock",
    "ChecklistLine",
    "GroupContext",
    "GroupView",
    "ReportSection",
    "Repository",
]

EXTRA_ANCHOR = "extra"
"""The anchor of the report's text outside the questions on its page (``group.html``)."""
EXTRA_TITLE = "Other content of the report"
"""Its heading there."""


@dataclass(frozen=True)
class ChecklistLine:
    """One checklist item of the report.

    Attributes:
        item: The item (``item.checked``, ``item.modules``, ``item.note``).
        html: Its text as HTML (sanitised, redacted).
        note: The student's note after it as HTML.
    """

    item: ChecklistItem
    html: Markup
    note: Markup


@dataclass(frozen=True)
class AnswerBlock:
    """One question of the report with the group's answer.

    Attributes:
        answer: The answer (``answer.number``, ``answer.question`` is the anchor).
        question: The catalogue's question, or None for a template the catalogue lacks.
        title: The question's short title.
        html: The answer as HTML ("" when unanswered).
        prompt: The template's prompt as HTML ("" when unknown).
        badges: (kind, text) badges: unanswered, out of range, missing figures.
        question_uri: The question's page (where every group's answer is), or None.
        question_anchor: The anchor of this answer on that page, or None.
    """

    answer: Answer
    question: Question | None
    title: str
    html: Markup
    prompt: Markup
    badges: list[tuple[str, str]]
    question_uri: str | None
    question_anchor: str | None


@dataclass(frozen=True)
class ReportSection:
    """A section of the report.

    Attributes:
        id: Its anchor (``section-<id>``).
        title: Its title.
        blocks: Its questions.
    """

    id: str
    title: str
    blocks: list[AnswerBlock]


@dataclass(frozen=True)
class Repository:
    """The group's repository.

    Attributes:
        url: Its URL ("" when it is not linked: its URL names a student).
        name: ``owner/name``, redacted.
        commit: The commit imported ("" when unknown).
        commit_url: The commit's page ("" when not linked).
    """

    url: str
    name: str
    commit: str
    commit_url: str


@dataclass(frozen=True)
class GroupContext:
    """What ``group.html`` receives.

    Attributes:
        group: The group (``group.semester``, ``group.redactor``, ``group.uri``).
        entry: Its report and metadata (``entry.report`` is None when it could not be read).
        row: Its line as listings show it (title, summary, members, figures).
        semester_uri: Its semester's page, or None.
        prev: The group before it in the site's order, or None.
        next: The group after it, or None.
        checklist: (section, lines) of its checklist, in order.
        sections: Its questions, section by section.
        extra: The report's text outside the questions, as HTML.
        repository: Its repository, or None.
        tools: The tools and practices it used, by category, each with its page (empty
            without tool pages).
        similar: The groups whose tools are most like its own, best first (``group``,
            ``shared``: entries both used, ``either``: entries either used, ``score``:
            Jaccard index).
    """

    group: GroupData
    entry: GroupEntry
    row: GroupRow
    semester_uri: str | None
    prev: GroupData | None
    next: GroupData | None
    checklist: list[tuple[str, list[ChecklistLine]]]
    sections: list[ReportSection]
    extra: Markup
    repository: Repository | None
    tools: list[ToolBadges]
    similar: list[Similar]


class GroupView(View[GroupData]):
    """One page per group, at ``<semester>/group-<n>/``, with its published figures."""

    kind = "group"
    template = "group.html"
    option = "groups"

    def plan(self, site: Site) -> None:
        """Add one page per group and publish its figures beside it."""
        for data in site.groups:
            assert data.uri is not None
            site.add(PageSpec(data.uri, self, data.name, data=data))
            site.publish(data.figures.files)

    def trail(self, spec: PageSpec[GroupData], site: Site) -> list[Crumb]:
        """Home › its semester › the group."""
        semester = spec.data.semester
        return [Crumb(semester.title, site.semester_uri(semester))]

    def inputs(self, spec: PageSpec[GroupData], site: Site) -> list[GroupData]:
        """The group."""
        return [spec.data]

    def others(self, spec: PageSpec[GroupData], site: Site) -> object:
        """Its neighbours, similar groups, and its semester's, tools' and answers' pages."""
        data = spec.data
        at = data.position
        around = [
            (g.uri, g.name) if g is not None else None
            for g in (
                site.groups[at - 1] if at > 0 else None,
                site.groups[at + 1] if at + 1 < len(site.groups) else None,
            )
        ]
        similar = [
            (s.group.uri, s.group.name, s.shared, s.either) for s in similar_groups(site, data)
        ]
        report = data.entry.report
        shown = [
            site.answer_links.get((data.uri or "", answer.question))
            for answer in (report.answers if report else ())
        ]
        tools = [(t.tool.id, t.uri) for c in tool_badges(site, data) for t in c.tools]
        questions = [
            site.question_uri(answer.question) for answer in (report.answers if report else ())
        ]
        return around, similar, shown, tools, questions, site.semester_uri(data.semester)

    def context(self, spec: PageSpec[GroupData], site: Site) -> GroupContext:
        """The whole report."""
        data = spec.data
        entry = data.entry
        at = data.position
        report = entry.report
        checklist: list[tuple[str, list[ChecklistLine]]] = []
        for item in report.checklist if report else ():
            if not checklist or checklist[-1][0] != item.section:
                checklist.append((item.section, []))
            html = Markup(site.inline_html(item.text, data.redactor))
            note = Markup(site.inline_html(item.note, data.redactor))
            checklist[-1][1].append(ChecklistLine(item, html, note))
        return GroupContext(
            group=data,
            entry=entry,
            row=group_row(data),
            semester_uri=site.semester_uri(data.semester),
            prev=site.groups[at - 1] if at > 0 else None,
            next=site.groups[at + 1] if at + 1 < len(site.groups) else None,
            checklist=checklist,
            sections=_sections(data, site),
            extra=Markup(data.extra),
            repository=repository(entry, data.redactor),
            tools=tool_badges(site, data),
            similar=similar_groups(site, data),
        )


def _sections(data: GroupData, site: Site) -> list[ReportSection]:
    report = data.entry.report
    if report is None:
        return []
    catalogue = site.catalogue
    family = report.template.id
    known = {q.id for q in catalogue.questions}
    sections: list[ReportSection] = []
    for section in catalogue.sections:
        blocks = [
            _block(data, answer, question, family, site)
            for question in catalogue.questions
            if question.section == section.id and (answer := report.answer(question.id)) is not None
        ]
        if blocks:
            sections.append(ReportSection(f"section-{section.id}", section.title, blocks))
    other = [a for a in report.answers if a.question not in known]
    if other:
        blocks = [_block(data, a, None, family, site) for a in other]
        sections.append(ReportSection("section-other", "Other questions", blocks))
    return sections


def _block(
    data: GroupData, answer: Answer, question: Question | None, family: str, site: Site
) -> AnswerBlock:
    prompt = ""
    if question is not None:
        text = question.prompt.get(family) or latest_prompt(question.prompt, site.catalogue)
        prompt = site.prompt_html(text)
    uri, anchor = site.answer_links.get(
        (data.uri or "", answer.question), (site.question_uri(answer.question), "")
    )
    return AnswerBlock(
        answer=answer,
        question=question,
        title=question.title if question else data.redactor.text(answer.title),
        html=Markup(data.answer_html(answer.question)),
        prompt=Markup(prompt),
        badges=badges(answer),
        question_uri=uri,
        question_anchor=anchor or None,
    )


def repository(entry: GroupEntry, redactor: Redactor) -> Repository | None:
    """The repository's link, name and commit; no link when its URL names a student.

    A repository under a student's own account (``github.com/s224176/...``) would publish
    the student number in the link: with redaction on, its name is shown redacted and
    neither it nor the commit is linked.
    """
    url = entry.meta.repository
    if not url:
        return None
    name = url.rstrip("/").split("://", 1)[-1]
    name = name.removeprefix("github.com/").removeprefix("www.github.com/")
    commit = entry.meta.commit
    commit_url = f"{url.rstrip('/')}/tree/{commit}" if commit and "github.com/" in url else None
    if redactor.affects(unquote(url)):
        url, commit_url = "", None
    return Repository(url, redactor.text(name), commit or "", commit_url or "")

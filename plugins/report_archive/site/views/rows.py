"""Rows that several pages show: a semester's counts, a group's line, an answer's badges."""

from __future__ import annotations

from dataclasses import dataclass

from report_archive.reports.archive import GroupEntry, Semester
from report_archive.reports.catalogue import Catalogue, Question, Section
from report_archive.reports.model import Answer, Status
from report_archive.site.groups import GroupData
from report_archive.site.views.base import Site

__all__ = [
    "GroupRow",
    "QuestionLink",
    "QuestionSection",
    "SemesterRow",
    "badges",
    "group_row",
    "latest_prompt",
    "question_sections",
    "semester_rows",
]


@dataclass(frozen=True)
class SemesterRow:
    """A semester with its counts (home and semesters pages).

    Attributes:
        semester: The semester (``semester.title``, ``semester.slug``).
        uri: Its page, or None.
        groups: How many groups.
        answered: Answered questions, all groups together.
        questions: Questions of their templates, all groups together.
        checked: Checklist items ticked, all groups together.
        checklist_items: Checklist items, all groups together.
        problems: Problems found in its reports.
    """

    semester: Semester
    uri: str | None
    groups: int
    answered: int
    questions: int
    checked: int
    checklist_items: int
    problems: int


def semester_rows(site: Site) -> list[SemesterRow]:
    """One row per semester, newest first."""
    rows = []
    for semester in site.archive.semesters:
        groups = site.groups_of(semester)
        rows.append(
            SemesterRow(
                semester=semester,
                uri=site.semester_uri(semester),
                groups=len(groups),
                answered=sum(g.entry.answered for g in groups),
                questions=sum(g.entry.questions for g in groups),
                checked=sum(g.entry.checked for g in groups),
                checklist_items=sum(g.entry.checklist_size for g in groups),
                problems=sum(len(g.problems) for g in groups),
            )
        )
    return rows


@dataclass(frozen=True)
class GroupRow:
    """A group as a line of a listing.

    Attributes:
        data: The group (``data.uri``, ``data.entry``, ``data.semester``).
        entry: Its report and metadata (``entry.label``, ``entry.answered``...).
        title: Its project's title, redacted (never empty).
        derived: Whether the title was derived from the report (shown marked as such).
        summary: What the project does, redacted ("" when unknown).
        members: Its members as shown (labels when redacted).
        found: Figures found.
        missing: Figures referenced but missing.
    """

    data: GroupData
    entry: GroupEntry
    title: str
    derived: bool
    summary: str
    members: list[str]
    found: int
    missing: int


def group_row(data: GroupData) -> GroupRow:
    """The row of one group."""
    entry = data.entry
    found, missing = entry.figure_counts()
    return GroupRow(
        data=data,
        entry=entry,
        title=data.title,
        derived=data.derived,
        summary=data.summary,
        members=[data.redactor.member(m) for m in entry.members],
        found=found,
        missing=missing,
    )


@dataclass(frozen=True)
class QuestionLink:
    """A question and its page.

    Attributes:
        question: The catalogue's question (``question.title``, ``question.id``).
        uri: Its page, or None.
        answered: How many groups answered it.
        total: How many groups' templates have it.
    """

    question: Question
    uri: str | None
    answered: int = 0
    total: int = 0


@dataclass(frozen=True)
class QuestionSection:
    """A section of the template and its questions.

    Attributes:
        section: The section (``section.title``, ``section.id``).
        questions: Its questions, in order.
    """

    section: Section
    questions: list[QuestionLink]


def question_sections(site: Site, *, counts: bool = False) -> list[QuestionSection]:
    """The template's sections with their questions (and, with `counts`, who answered)."""
    tally: dict[str, list[int]] = {}
    if counts:
        for data in site.groups:
            report = data.entry.report
            for answer in report.answers if report else ():
                pair = tally.setdefault(answer.question, [0, 0])
                pair[1] += 1
                pair[0] += answer.status is Status.ANSWERED
    out = []
    for section in site.catalogue.sections:
        links = [
            QuestionLink(q, site.question_uri(q.id), *tally.get(q.id, (0, 0)))
            for q in site.catalogue.questions
            if q.section == section.id
        ]
        out.append(QuestionSection(section, links))
    return out


def latest_prompt(prompts: dict[str, str], catalogue: Catalogue) -> str:
    """The prompt of the newest template family that has the question."""
    for family in reversed(catalogue.families):
        if family.id in prompts:
            return prompts[family.id]
    return next(iter(prompts.values()), "")


def badges(answer: Answer) -> list[tuple[str, str]]:
    """Return (kind, text) badges for an answer: unanswered, out of range, missing figures."""
    out: list[tuple[str, str]] = []
    if answer.status is Status.UNANSWERED:
        out.append(("unanswered", "Unanswered"))
        return out
    if not answer.words_ok and answer.word_range:
        low, high = answer.word_range
        out.append(("range", f"{answer.words} words · {low}–{high} recommended"))
    if not answer.images_ok and answer.image_range:
        low, high = answer.image_range
        wanted = f"{low}" if low == high else f"{low}–{high}"
        noun = "image" if answer.images == 1 else "images"
        out.append(("range", f"{answer.images} {noun} · {wanted} required"))
    missing = len(answer.missing_figures)
    if missing:
        out.append(("missing", f"{missing} missing figure{'s' if missing > 1 else ''}"))
    return out

"""Which text is indexed: the groups' own words, one record per group page.

Every group page becomes one record (`answer_records`):

- its sections are the group's answered questions (anchor: the question's id) and, when
  there is any, the report's other content (``extra``) and the students' notes on checklist
  items (``checklist``): the visible text of the HTML the site rendered once for all pages
  (`SitePlan`), so it is sanitised and redacted exactly like the page; placeholders of
  missing figures are left out;
- nothing of the template: not the question titles (the search page names sections by
  their anchor), not the prompts (the parser leaves them out of answers), not the wording
  of checklist items;
- its filters are the semester and the tools the group used, whose catalogue names are
  also searched with extra weight (`report_archive.search.records.TOOL_WEIGHT`).

One record per group, not per answer, keeps what a browser loads before its first result
small: Pagefind loads its page table whole, and at 28,000 answers that table alone is
190 KB (see ``docs/reference/search.md``). With group pages off, each question page is a
record and the groups' answers on it are its sections.

Listings (and question pages, when group pages exist) are not indexed, so every answer is
found once. Hand-written pages of ``docs/`` are added as one record each (`page_record`),
marked as documentation.

Pure: records are data; `report_archive.search.pagefind` writes them into an index.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from report_archive.reports.model import Status
from report_archive.search.records import (
    DOCUMENTATION,
    FILTER_QUESTION,
    FILTER_SEMESTER,
    FILTER_SOURCE,
    FILTER_TOOL,
    SearchRecord,
    Section,
)
from report_archive.site.answers import BLOCKS
from report_archive.site.views.search import OTHER_SECTIONS

if TYPE_CHECKING:
    from report_archive.site.groups import GroupData
    from report_archive.site.plan import SitePlan
    from report_archive.site.views import PageSpec
    from report_archive.site.views.questions import QuestionPage

__all__ = ["CHECKLIST_ANCHOR", "EXTRA_ANCHOR", "answer_records", "html_text", "page_record"]

EXTRA_ANCHOR, CHECKLIST_ANCHOR = OTHER_SECTIONS  # the anchors the group page gives them

_SKIPPED_CLASSES = frozenset({"ra-figure-note"})
_VOID = frozenset({"br", "hr", "img", "wbr", "col", "input", "meta", "link", "source"})
_WORD = re.compile(r"\w")


class _Text(HTMLParser):
    """Collects the visible text of a sanitised fragment, skipping some classes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[bool] = []  # per open element: whether it is skipped
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in BLOCKS:
            self.parts.append(" ")
        if tag == "img" and values.get("alt") and not self._skipping:
            self.parts.append(f" {values['alt']} ")
        if tag in _VOID:
            return
        classes = set((values.get("class") or "").split())
        skipped = bool(classes & _SKIPPED_CLASSES)
        self._stack.append(skipped)
        self._skipping += skipped

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.handle_starttag(tag, attrs)
        elif tag in BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.parts.append(" ")
        if tag in _VOID or not self._stack:
            return
        self._skipping -= self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    """Return the visible text of an HTML fragment, on one line.

    Entities are decoded, tags dropped (blocks separate words), images give their ``alt``
    text, and the site's own notes on figures it cannot show (``class="ra-figure-note"``)
    are left out (the student's alt text beside them is kept).
    """
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def answer_records(plan: SitePlan, url: Callable[[str], str]) -> list[SearchRecord]:
    """Return one record per page that shows answers, with one section per answer.

    With group pages on, a record is a group page and its sections are the group's
    answered questions, then the report's other content and the checklist notes. With
    group pages off, a record is a question page and its sections are the groups' answers
    on it. Either way every answer is indexed once.

    Args:
        plan: The laid-out site (answers are already rendered, sanitised and redacted).
        url: Returns the URL of a generated page from the site root, without a leading
            ``/`` (``2026-january/group-42/``), by its src_uri.

    Returns:
        The records, in site order. Left out: answers without any text (a figure without
        alt text: there is nothing to search), and records without any section.
    """
    records: list[SearchRecord] = []
    if plan.options.on("groups"):
        catalogued = {q.id for q in plan.catalogue.questions}
        for data in plan.groups:
            record = _group_record(plan, data, catalogued, url)
            if record is not None:
                records.append(record)
    else:
        for spec in plan.pages.values():
            if spec.kind == "question":
                record = _question_record(spec, url)
                if record is not None:
                    records.append(record)
    return records


def _group_record(
    plan: SitePlan, data: GroupData, catalogued: set[str], url: Callable[[str], str]
) -> SearchRecord | None:
    report = data.entry.report
    if report is None or data.uri is None:
        return None
    answered = {a.question: a for a in report.answers if a.status is Status.ANSWERED}
    sections: list[Section] = []
    for question in data.answers:  # canonical order
        answer = answered.get(question)
        content = data.answer_text(question)
        if answer is None or not content:
            continue
        # A catalogue question is named by the search page; a title of an unknown
        # template is the students' own text.
        title = "" if question in catalogued else data.redactor.text(answer.title)
        sections.append(Section(anchor=question, content=content, title=title))
    if data.extra_text:
        sections.append(Section(anchor=EXTRA_ANCHOR, content=data.extra_text))
    notes = [html_text(plan.inline_html(item.note, data.redactor)) for item in report.checklist]
    notes = [note for note in notes if _WORD.search(note)]
    if notes:
        sections.append(Section(anchor=CHECKLIST_ANCHOR, content=" ".join(notes)))
    if not sections:
        return None
    tools = tuple(use.tool.name for use in data.entry.tools.used) if data.entry.tools else ()
    filters = {FILTER_SEMESTER: [data.semester.title]}
    if tools:
        filters[FILTER_TOOL] = list(tools)
    return SearchRecord(
        url=f"/{url(data.uri)}",
        title=data.name,
        filters=filters,
        sections=tuple(sections),
        tools=tools,
    )


def _question_record(
    spec: PageSpec[QuestionPage], url: Callable[[str], str]
) -> SearchRecord | None:
    sections: list[Section] = []
    semesters: list[str] = []
    for block in spec.data.semesters:
        for item in block.answered:
            if item.answer.status is not Status.ANSWERED:
                continue
            content = item.group.answer_text(item.answer.question)
            if not content:
                continue
            sections.append(Section(anchor=item.anchor, content=content, title=item.group.name))
            semester = item.group.semester.title
            if semester not in semesters:
                semesters.append(semester)
    if not sections:
        return None
    # The question's title names the hit through a filter, which is not searched.
    return SearchRecord(
        url=f"/{url(spec.src_uri)}",
        title="",
        filters={FILTER_SEMESTER: semesters, FILTER_QUESTION: [spec.data.question.title]},
        sections=tuple(sections),
    )


def page_record(url: str, title: str, html: str) -> SearchRecord:
    """Return the record of a hand-written page, marked as documentation.

    Args:
        url: The page's URL from the site root, without a leading ``/``.
        title: The page's title.
        html: The page's content as MkDocs rendered it (the theme's parts are not in it).
    """
    return SearchRecord(
        url=f"/{url}",
        title=title,
        content=html_text(html),
        filters={FILTER_SOURCE: [DOCUMENTATION]},
    )

"""What the site's search indexes: one record per group page, one section per answer.

Every group page becomes one Pagefind record, sent as a small HTML document of its own
(`SearchRecord.html`), not the page itself:

- ``url``: the group's page (``/2026-january/group-42/``); its ``title``: whose page it is
  ("Group 42 · January 2026");
- one section per answered question, ``<h2 id="data-version-control">Data version
  control</h2>`` then the answer's text as the page shows it: the visible text of the HTML
  the site rendered once for all pages (`SitePlan`), so it is sanitised and redacted exactly
  like the page; placeholders of missing figures are left out. Pagefind turns each matching
  section into a sub-result that opens the answer (``#data-version-control``);
- ``filters``: ``Semester``, and ``Question`` (every question the group answered).

One record per group, not per answer, keeps the index's page table small: Pagefind's
browser code loads it whole before the first result, and at 28,000 answers it alone was
190 KB. With group pages off, each question page is a record and the groups' answers on it
are its sections.

Listings (and question pages, when group pages exist) are not indexed, so every answer is
found once. Hand-written pages of ``docs/`` are added as one record each (`page_record`).

Pure: records are data; `report_archive.search.pagefind` writes them into an index.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from report_archive.reports.model import Status
from report_archive.site.answers import BLOCKS

if TYPE_CHECKING:
    from report_archive.site.groups import GroupData
    from report_archive.site.plan import SitePlan
    from report_archive.site.views import PageSpec
    from report_archive.site.views.questions import QuestionPage

__all__ = [
    "FILTER_QUESTION",
    "FILTER_SEMESTER",
    "LANGUAGE",
    "SearchRecord",
    "Section",
    "answer_records",
    "html_text",
    "page_record",
    "plain",
]

FILTER_SEMESTER = "Semester"
FILTER_QUESTION = "Question"
EXTRA_ANCHOR = "extra"
EXTRA_TITLE = "Other content of the report"
LANGUAGE = "en"

_SKIPPED_CLASSES = frozenset({"ra-figure-note"})
_VOID = frozenset({"br", "hr", "img", "wbr", "col", "input", "meta", "link", "source"})


# -- what reaches Pagefind ------------------------------------------------------------------

_INERT = str.maketrans(
    {"<": "\u2039", ">": "\u203a", "&": "\uff06", '"': "\u201d", "'": "\u2019", "`": "\u2018"}
)
"""HTML's special characters, as look-alikes HTML gives no meaning to (‹ › ＆ ” ’ ‘)."""
_INERT_CONTENT = str.maketrans({"<": "\u2039", ">": "\u203a", "&": "\uff06"})
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_ANCHOR = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")


def plain(text: str, *, label: bool = True) -> str:
    """Return text the same whether a search UI shows it as text or as HTML.

    Pagefind's default UI writes filter names and values into the page as HTML and titles
    as text; another UI may do either with any field. Whatever a student wrote, what the
    plugin sends to Pagefind has none of the characters HTML gives a meaning to: ``<``,
    ``>`` and ``&`` (and, in labels, quotes and backquotes) become look-alikes, control and
    invisible characters are removed and white space is folded. Escaping once is then the
    identity, so the value can never become markup.

    Args:
        text: Any text.
        label: A title, filter or meta value (quotes are replaced too); False for the
            searched content, whose quotes are kept for phrase search.
    """
    text = _INVISIBLE.sub(" ", text)
    return " ".join(text.translate(_INERT if label else _INERT_CONTENT).split())


@dataclass(frozen=True)
class Section:
    """One answer inside a record: Pagefind shows it as a sub-result that opens it.

    Attributes:
        anchor: The answer's anchor on the record's page.
        title: What the sub-result is called (the question, or the group).
        content: Plain text to search (never HTML).
    """

    anchor: str
    title: str
    content: str


@dataclass(frozen=True)
class SearchRecord:
    """One page to be found.

    A record without sections is a Pagefind *custom record* (hand-written pages). A record
    with sections is sent as a small HTML document, one ``<h2 id=...>`` per section, so
    that Pagefind's sub-results name and open each answer.

    Attributes:
        url: Where the hit leads, from the site root (``/2026-january/group-42/``).
        title: What the hit is called.
        content: Plain text to search (never HTML), before the sections.
        filters: Filter name → values.
        sections: The answers on the page.
    """

    url: str
    title: str
    content: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sections: tuple[Section, ...] = ()

    def payload(self, index_id: int) -> dict[str, Any]:
        """Return the Pagefind service request that adds this record.

        Every text goes through `plain` here, the one place records leave the plugin.
        """
        if self.sections:
            return {
                "type": "AddFile",
                "index_id": index_id,
                "file_path": None,
                "url": self.url,
                "file_contents": self.html(),
            }
        return {
            "type": "AddRecord",
            "index_id": index_id,
            "url": self.url,
            "content": plain(self.content, label=False),
            "language": LANGUAGE,
            "meta": {"title": plain(self.title)},
            "filters": self._filters() or None,
            "sort": None,
        }

    def _filters(self) -> dict[str, list[str]]:
        filters: dict[str, list[str]] = {}
        for name, values in self.filters.items():
            kept = [v for v in dict.fromkeys(plain(value) for value in values) if v]
            if kept and plain(name):
                filters[plain(name)] = kept
        return filters

    def html(self) -> str:
        """Return the document Pagefind indexes for a record with sections.

        Every text is made `plain` and then escaped, so nothing a student wrote can become
        an element or an attribute of the document, nor markup in what Pagefind stores.
        Headings keep the weight of body text, so a question's title does not outrank
        what groups wrote.
        """
        esc = html.escape
        parts = [
            f'<!DOCTYPE html><html lang="{LANGUAGE}"><head><meta charset="utf-8"></head><body>',
            f'<meta data-pagefind-meta="title[content]" content="{esc(plain(self.title))}">',
        ]
        for name, values in self._filters().items():
            parts.extend(
                f'<meta data-pagefind-filter="{esc(name)}[content]" content="{esc(value)}">'
                for value in values
            )
        if self.content:
            parts.append(f"<p>{esc(plain(self.content, label=False))}</p>")
        for section in self.sections:
            anchor = section.anchor if _ANCHOR.match(section.anchor) else ""
            parts.append(
                f'<h2 id="{anchor}" data-pagefind-weight="1">'
                f"{esc(plain(section.title))}</h2><p>{esc(plain(section.content, label=False))}</p>"
            )
        parts.append("</body></html>")
        return "".join(parts)


# -- records ------------------------------------------------------------------------------


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

    With group pages on, a record is a group page ("Group 42 · January 2026") and its
    sections are the group's answered questions (anchor: the question's id, title: the
    question's short title), then the report's other content. With group pages off, a
    record is a question page and its sections are the groups' answers on it. Either way
    every answer is indexed once, and Pagefind shows each matching answer as a sub-result
    that opens it.

    Args:
        plan: The laid-out site (answers are already rendered, sanitised and redacted).
        url: Returns the URL of a generated page from the site root, without a leading
            ``/`` (``2026-january/group-42/``), by its src_uri.

    Returns:
        The records, in site order. Left out: answers without any text (a figure without
        alt text: there is nothing to search), and records without any section.
    """
    titles = {q.id: q.title for q in plan.catalogue.questions}
    records: list[SearchRecord] = []
    if plan.options.on("groups"):
        for data in plan.groups:
            record = _group_record(data, titles, url)
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
    data: GroupData, titles: dict[str, str], url: Callable[[str], str]
) -> SearchRecord | None:
    report = data.entry.report
    if report is None or data.uri is None:
        return None
    answered = {a.question: a for a in report.answers if a.status is Status.ANSWERED}
    sections: list[Section] = []
    for question in data.answers:  # canonical order
        answer = answered.get(question)
        if answer is None:
            continue
        content = data.answer_text(question)
        if content:
            title = titles.get(question) or data.redactor.text(answer.title)
            sections.append(Section(anchor=question, title=title, content=content))
    questions = [s.title for s in sections]
    extra = data.extra_text
    if extra:
        sections.append(Section(anchor=EXTRA_ANCHOR, title=EXTRA_TITLE, content=extra))
    if not sections:
        return None
    return SearchRecord(
        url=f"/{url(data.uri)}",
        title=data.name,
        filters={FILTER_SEMESTER: [data.semester.title], FILTER_QUESTION: questions},
        sections=tuple(sections),
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
            semester = item.group.semester.title
            sections.append(Section(anchor=item.anchor, title=item.group.name, content=content))
            if semester not in semesters:
                semesters.append(semester)
    if not sections:
        return None
    return SearchRecord(
        url=f"/{url(spec.src_uri)}",
        title=spec.title,
        filters={FILTER_SEMESTER: semesters, FILTER_QUESTION: [spec.data.question.title]},
        sections=tuple(sections),
    )


def page_record(url: str, title: str, html: str) -> SearchRecord:
    """Return the record of a hand-written page.

    Args:
        url: The page's URL from the site root, without a leading ``/``.
        title: The page's title.
        html: The page's content as MkDocs rendered it (the theme's parts are not in it).
    """
    return SearchRecord(url=f"/{url}", title=title, content=html_text(html))

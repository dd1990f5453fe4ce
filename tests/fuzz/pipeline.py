"""One report through the site's pipeline (parse → render → search record), and its checks.

`run` does what the site does with a report (`site.groups.start_rendering` and
`search.answers.answer_records`): parse it, render every answer and the report's other text with
the group's `FigurePlan` and `Redactor`, render the checklist items inline, and build the
group's search record. `problems` lists what is unsafe in the result:

- a tag outside `sanitize.TAGS`; an attribute outside `sanitize.ATTRIBUTES` and
  `sanitize.GENERIC_ATTRIBUTES` (the rewriter's own ``class``, ``loading`` and ``rel``
  aside); a class outside `sanitize.CLASSES`; an ``on*`` or ``style`` attribute; a URL
  whose scheme is not http, https or mailto (read as a browser reads it: entities decoded,
  tabs and newlines dropped); an image that is not one of the report's published figures;
  a comment; a ``<`` that is not a tag;
- in the search record, any tag or attribute the plugin does not write itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from report_archive.reports.catalogue import load_catalogue
from report_archive.reports.model import Status
from report_archive.reports.parser import parse_bytes
from report_archive.reports.tools import detect_tools
from report_archive.search.answers import EXTRA_ANCHOR
from report_archive.search.records import FILTER_SEMESTER, FILTER_TOOL, SearchRecord, Section
from report_archive.site.answers import GroupJob, MarkdownRenderer, fill_root, render_group
from report_archive.site.figures import Publish, plan_figures
from report_archive.site.redact import Redactor
from report_archive.site.sanitize import ATTRIBUTES, CLASSES, GENERIC_ATTRIBUTES, TAGS, URL_SCHEMES

BASE = "2026-january/group-1/"
"""Where the fuzzed report's page and figures would be published."""
PAGE_ROOT = "../../"
"""The relative path from the group's page to the site root."""

_OWN_ATTRIBUTES = {"a": {"class", "rel"}, "img": {"class", "loading"}, "span": {"class"}}
_URL_ATTRIBUTES = frozenset({"href", "src"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_RECORD_TAGS = {
    "html": {frozenset({"lang"})},
    "head": {frozenset()},
    "body": {frozenset()},
    "meta": {
        frozenset({"charset"}),
        frozenset({"data-pagefind-meta", "content"}),
        frozenset({"data-pagefind-filter", "content"}),
    },
    "p": {frozenset(), frozenset({"data-pagefind-weight"})},
    "h2": {frozenset({"id", "data-pagefind-weight"})},
}

_renderer = MarkdownRenderer()


@dataclass(frozen=True)
class Output:
    """What the site makes of one report.

    Attributes:
        fragments: The rendered student HTML, as pages show it (answers, other text,
            checklist items and notes), `render.ROOT` replaced.
        record: The search record's document.
        sections: How many sections the record has.
    """

    fragments: list[str]
    record: str
    sections: int


def run(data: bytes, source: Path) -> Output:
    """Parse, render and index one report as the site does.

    Args:
        data: The report's bytes.
        source: Where the report is (its figures are looked up beside it).

    Returns:
        The rendered HTML and the search record.
    """
    report = parse_bytes(data, source)
    catalogue = load_catalogue()
    order = {q.id: i for i, q in enumerate(catalogue.questions)}
    titles = {q.id: q.title for q in catalogue.questions}
    redactor = Redactor(report.group.members)
    figures = plan_figures(source.parent, report.references, BASE, Publish, redactor.path)
    answers = sorted(
        (a for a in report.answers if a.status is Status.ANSWERED or a.markdown.strip()),
        key=lambda a: (a.question not in order, order.get(a.question, 0)),
    )
    texts = [(a.markdown, tuple(a.references)) for a in answers]
    texts.append((report.extra, tuple(report.extra_references)))
    rendered = render_group(GroupJob(texts, figures, redactor))
    fragments = [fill_root(r.html, PAGE_ROOT) for r in rendered]
    for item in report.checklist:
        fragments.append(_renderer.render_inline(item.text, redactor))
        fragments.append(_renderer.render_inline(item.note, redactor))
    sections = [
        Section(a.question, r.text, "" if a.question in titles else redactor.text(a.title))
        for a, r in zip(answers, rendered[:-1], strict=True)
        if a.status is Status.ANSWERED and r.text
    ]
    if rendered[-1].text:
        sections.append(Section(EXTRA_ANCHOR, rendered[-1].text))
    tools = tuple(use.tool.name for use in detect_tools(report).used)
    record = SearchRecord(
        url=f"/{BASE}",
        title="Group 1 · January 2026",
        filters={FILTER_SEMESTER: ["January 2026"], FILTER_TOOL: list(tools)},
        sections=tuple(sections),
        tools=tools,
    )
    return Output(fragments, record.html(), len(sections))


def problems(output: Output) -> list[str]:
    """Return what is unsafe in a pipeline's output (empty when all is well)."""
    found: list[str] = []
    for fragment in output.fragments:
        found.extend(fragment_problems(fragment))
    found.extend(record_problems(output.record, output.sections))
    return found


def fragment_problems(html: str) -> list[str]:
    """Return what is unsafe in rendered student HTML (see the module's docstring)."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    found = list(parser.problems)
    for tag, attrs in parser.tags:
        if tag not in TAGS:
            found.append(f"tag <{tag}> is not allowed")
            continue
        allowed = GENERIC_ATTRIBUTES | ATTRIBUTES.get(tag, set()) | _OWN_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name.startswith("on") or name == "style" or name not in allowed:
                found.append(f"attribute {name!r} on <{tag}>")
            elif name == "class" and not set((value or "").split()) <= CLASSES.get(tag, set()):
                found.append(f"class {value!r} on <{tag}>")
            elif name in _URL_ATTRIBUTES and not _safe_url(tag, value or ""):
                found.append(f"{name}={value!r} on <{tag}>")
    return found


def record_problems(document: str, sections: int) -> list[str]:
    """Return what in a search record's document the plugin does not write itself."""
    parser = _Markup()
    parser.feed(document)
    parser.close()
    found = [p for p in parser.problems if p != "declaration 'DOCTYPE html'"]
    for tag, attrs in parser.tags:
        if frozenset(name for name, _ in attrs) not in _RECORD_TAGS.get(tag, set()):
            found.append(f"record: <{tag}> with {sorted(name for name, _ in attrs)}")
    if sum(tag == "h2" for tag, _ in parser.tags) != sections:
        found.append("record: the sections are not one <h2> each")
    return found


def _safe_url(tag: str, url: str) -> bool:
    """Whether a URL is one a browser would open without running anything."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(33))))
    scheme = _SCHEME.match(cleaned)
    if tag == "img":  # only the report's own published figures, never hot-linked
        return scheme is None and cleaned.startswith(PAGE_ROOT + BASE)
    return scheme is None or scheme.group(1).lower() in URL_SCHEMES


class _Markup(HTMLParser):
    """Collects the tags of a document, and whatever is neither a tag nor escaped text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        if "<" in data:
            self.problems.append(f"unescaped '<' in {data[:60]!r}")

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment {data[:60]!r}")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration {decl[:60]!r}")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"declaration {data[:60]!r}")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction {data[:60]!r}")

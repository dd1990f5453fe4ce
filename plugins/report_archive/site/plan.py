"""Plan and render the archive's pages (plain Python; the MkDocs plugin only wires it in).

`SitePlan` decides, from an `Archive` and the question catalogue, which pages exist, where
(``src_uri``), which report files are published, and where each answer appears; it renders
every answer once (`report_archive.site.answers`). `SitePlan.render` then fills a page's Jinja
template, once every page is known, so cross-page listings and links are complete.

Templates are HTML with autoescaping on: everything from a report is escaped unless it went
through the sanitiser (answers) or is made here (charts). Page titles, which reach MkDocs
markdown, are escaped with `escape_markdown`.
"""

from __future__ import annotations

import posixpath
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import jinja2
from markupsafe import Markup

from report_archive.reports.archive import Archive, GroupEntry, Problem, Semester
from report_archive.reports.model import Answer, Diagnostic, Reference, Status
from report_archive.reports.parallel import process_map
from report_archive.site.answers import (
    ROOT,
    GroupJob,
    MarkdownRenderer,
    escape_markdown,
    fill_root,
    render_group,
    title_text,
)
from report_archive.site.charts import Bar, bar_chart
from report_archive.site.figures import Decide, FigurePlan, plan_figures
from report_archive.site.redact import Redactor

if TYPE_CHECKING:
    from report_archive.reports.catalogue import Catalogue, Question

__all__ = [
    "PAGE_CHROME",
    "Options",
    "PageSpec",
    "PlanError",
    "RenderedPage",
    "SitePlan",
    "TocEntry",
    "make_environment",
]

TEMPLATES = Path(__file__).parent / "templates"
"""The package's own templates."""

PAGE_CHROME = 40_000
"""Bytes the theme adds around a page's content (navigation, header, scripts), estimated
from Material pages; subtracted from `Options.max_page_size` when splitting pages."""

_BLOCK_OVERHEAD = 900
_CHECKLIST_ROW = 900
"""Bytes one checklist item takes on the checklist page (a bar of the chart, a table row)."""
_CHECKLIST_SEMESTER = 2_000
_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


class PlanError(Exception):
    """The site cannot be laid out (e.g. two pages at one URL): a problem of the site."""


@dataclass(frozen=True)
class Options:
    """What the plan needs from the plugin's configuration.

    Attributes:
        archive_url: Prefix of semester and group pages ("" for the site root).
        semesters_url: Where the list of semesters goes.
        questions_url: Prefix of question pages.
        checklist_url: Where checklist statistics go.
        problems_url: Where the problems page goes.
        search_url: Where the search page goes.
        pages: Which kinds of page to generate (home, semesters, groups, questions,
            checklist, problems, search).
        redact: Whether to redact student numbers.
        max_page_size: Largest page in bytes to aim for.
        search_engine: Passed to the templates' search hooks.
        display_root: File paths on the problems page are shown relative to this folder.
        site_name: Used in the home page's heading.
        figures: Says which file is published for each figure
            (`report_archive.site.publish.FigurePublisher`); None publishes no figure.
        jobs: Processes that render the reports (`report_archive.reports.parallel.workers`).
    """

    archive_url: str = ""
    semesters_url: str = "semesters"
    questions_url: str = "questions"
    checklist_url: str = "checklist"
    problems_url: str = "problems"
    search_url: str = "search"
    pages: frozenset[str] = frozenset(
        {"home", "semesters", "groups", "questions", "checklist", "problems"}
    )
    redact: bool = True
    max_page_size: int = 300_000
    search_engine: str = "pagefind"
    display_root: Path | None = None
    site_name: str = "Report archive"
    figures: Decide | None = None
    jobs: int = 1

    def on(self, kind: str) -> bool:
        """Whether pages of a kind are generated."""
        return kind in self.pages


@dataclass
class PageSpec:
    """A generated page.

    Attributes:
        src_uri: Where it pretends to be in ``docs/`` (``questions/api/index.md``).
        kind: home, semesters, semester, group, questions, question, checklist, problems or
            search.
        title: Plain-text title.
        in_nav: Whether it belongs in the navigation.
        data: What the page shows (kind-specific).
    """

    src_uri: str
    kind: str
    title: str
    in_nav: bool = False
    data: Any = None

    def stub(self, token: str) -> str:
        """Return the markdown MkDocs gets: the escaped title and a placeholder paragraph."""
        return f"# {escape_markdown(title_text(self.title))}\n\n{token}\n"


@dataclass(frozen=True)
class TocEntry:
    """A heading of a generated page, for the theme's table of contents.

    Attributes:
        level: 2 or 3.
        id: Anchor.
        title: HTML (already escaped).
    """

    level: int
    id: str
    title: str


@dataclass(frozen=True)
class RenderedPage:
    """A rendered page body and its headings."""

    html: str
    toc: list[TocEntry]


@dataclass(eq=False)
class GroupData:
    """A group, with everything rendered once for all pages (compared by identity).

    Attributes:
        problems: The group's problems: the archive's, then its figures not published.
    """

    entry: GroupEntry
    semester: Semester
    uri: str | None
    redactor: Redactor
    figures: FigurePlan
    problems: list[Problem] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    extra: str = ""
    extra_text: str = ""

    def answer_html(self, question: str) -> str:
        """Return an answer's rendered HTML ("" when none)."""
        return self.answers.get(question, "")

    def answer_text(self, question: str) -> str:
        """Return an answer's visible text, for search ("" when none)."""
        return self.texts.get(question, "")


@dataclass
class AnswerItem:
    """One group's answer on a question page."""

    group: GroupData
    answer: Answer
    anchor: str

    @property
    def html(self) -> Markup:
        """The rendered answer."""
        return Markup(self.group.answer_html(self.answer.question))


@dataclass
class SemesterAnswers:
    """A semester's answers to one question."""

    semester: Semester
    answered: list[AnswerItem] = field(default_factory=list)
    unanswered: list[GroupData] = field(default_factory=list)
    absent: list[GroupData] = field(default_factory=list)


@dataclass(kw_only=True)
class Paged:
    """Where a page stands among the parts of a split listing.

    Attributes:
        overview: This is the overview that links the parts.
        parts: (title, src_uri, count) of each part, on the overview.
        parent: The overview's src_uri, on a part.
        page: This part's number, from 1.
        pages: How many parts this part's semester has.
        prev: The previous part's src_uri.
        next: The next part's src_uri.
    """

    overview: bool = False
    parts: list[tuple[str, str, int]] = field(default_factory=list)
    parent: str | None = None
    page: int = 1
    pages: int = 1
    prev: str | None = None
    next: str | None = None


@dataclass
class QuestionPage(Paged):
    """What one question page (or one part of a split question) shows."""

    question: Question
    semesters: list[SemesterAnswers]


@dataclass
class ProblemsPage(Paged):
    """What the problems page (or one part of it) shows."""

    semesters: list[tuple[Semester, list[GroupData]]]


def make_environment(extra_dirs: Iterable[Path] = ()) -> jinja2.Environment:
    """Return the Jinja environment: override folders first, then the package's templates."""
    loaders: list[jinja2.BaseLoader] = [
        jinja2.FileSystemLoader(str(d)) for d in extra_dirs if d.is_dir()
    ]
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["percent"] = _percent
    return env


def _percent(part: float, whole: float) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


def _join(*parts: str) -> str:
    return posixpath.join(*[p for p in parts if p])


class SitePlan:
    """The archive laid out as pages.

    Args:
        archive: The loaded reports.
        catalogue: The question catalogue.
        options: Layout options.
        env: Jinja environment (default: the package's templates).
    """

    def __init__(
        self,
        archive: Archive,
        catalogue: Catalogue,
        options: Options | None = None,
        env: jinja2.Environment | None = None,
    ) -> None:
        self.archive = archive
        self.catalogue = catalogue
        self.options = options or Options()
        self.env = env or make_environment()
        self.token = f"RAPAGEBODY{secrets.token_hex(12)}"
        self.pages: dict[str, PageSpec] = {}
        self.figures: dict[str, Path] = {}
        self.groups: list[GroupData] = []
        self._positions: dict[int, int] = {}
        """id of a group's data → its place in `groups` (for previous/next)."""
        self.answer_links: dict[tuple[str, str], tuple[str, str]] = {}
        self._renderer = MarkdownRenderer()
        self._prompts: dict[tuple[str, str], str] = {}
        self._build()

    # -- URLs ------------------------------------------------------------------------------

    def semester_uri(self, semester: Semester) -> str | None:
        """Return the src_uri of a semester's page, or None when not generated."""
        if not self.options.on("semesters"):
            return None
        return _join(self.options.archive_url, semester.slug, "index.md")

    def group_base(self, entry: GroupEntry) -> str:
        """Return the site folder of a group (where its page and figures go), with ``/``."""
        return _join(self.options.archive_url, entry.semester, entry.slug) + "/"

    def question_uri(self, question_id: str) -> str | None:
        """Return the src_uri of a question's page, or None when there is none."""
        uri = _join(self.options.questions_url, question_id, "index.md")
        return uri if uri in self.pages else None

    def index_uri(self, kind: str) -> str | None:
        """Return the src_uri of a top-level page (home, semesters, questions, ...)."""
        uris = {
            "home": "index.md",
            "semesters": _join(self.options.semesters_url, "index.md"),
            "questions": _join(self.options.questions_url, "index.md"),
            "checklist": _join(self.options.checklist_url, "index.md"),
            "problems": _join(self.options.problems_url, "index.md"),
            "search": _join(self.options.search_url, "index.md"),
        }
        uri = uris[kind]
        return uri if uri in self.pages else None

    @property
    def nav_pages(self) -> list[PageSpec]:
        """Pages that belong in the navigation, in order."""
        return [p for p in self.pages.values() if p.in_nav]

    def stub(self, spec: PageSpec) -> str:
        """Return the markdown MkDocs gets for a page."""
        return spec.stub(self.token)

    # -- planning --------------------------------------------------------------------------

    def _add(self, spec: PageSpec) -> None:
        if spec.src_uri in self.pages:
            raise PlanError(f"Two generated pages would be at {spec.src_uri!r}")
        self.pages[spec.src_uri] = spec

    def _build(self) -> None:
        opts = self.options
        # Semester titles come from semester.yml: redacted once, for every page and record.
        redactor = Redactor(enabled=opts.redact)
        for semester in self.archive.semesters:
            semester.title = redactor.text(semester.title)
        for semester in self.archive.semesters:
            for entry in semester.groups:
                data = self._group_data(semester, entry)
                self._positions[id(data)] = len(self.groups)
                self.groups.append(data)
        self._render_groups()
        if opts.on("home"):
            self._add(PageSpec("index.md", "home", opts.site_name, in_nav=True))
        if opts.on("semesters"):
            self._add(
                PageSpec(_join(opts.semesters_url, "index.md"), "semesters", "Semesters", True)
            )
            for semester in self.archive.semesters:
                uri = self.semester_uri(semester)
                assert uri is not None
                self._add(PageSpec(uri, "semester", semester.title, data=semester))
        if opts.on("groups"):
            for data in self.groups:
                assert data.uri is not None
                self._add(
                    PageSpec(
                        data.uri,
                        "group",
                        f"{data.entry.label} · {data.semester.title}",
                        data=data,
                    )
                )
                for site, path in data.figures.files.items():
                    if site in self.figures or site in self.pages:
                        raise PlanError(f"Two published files would be at {site!r}")
                    self.figures[site] = path
        if opts.on("questions"):
            self._add(
                PageSpec(_join(opts.questions_url, "index.md"), "questions", "Questions", True)
            )
            for question in self.catalogue.questions:
                self._plan_question(question)
        if opts.on("checklist"):
            self._plan_checklist()
        if opts.on("problems"):
            self._plan_problems()
        if opts.on("search"):
            self._add(PageSpec(_join(opts.search_url, "index.md"), "search", "Search", True))

    def _group_data(self, semester: Semester, entry: GroupEntry) -> GroupData:
        base = self.group_base(entry)
        report = entry.report
        decide = self.options.figures
        problems = list(entry.problems)
        redactor = Redactor(entry.members, enabled=self.options.redact)
        if report and decide and self.options.on("groups"):
            figures = plan_figures(entry.folder, report.references, base, decide, redactor.path)
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
            uri=base + "index.md" if self.options.on("groups") else None,
            redactor=redactor,
            figures=figures,
            problems=problems,
        )

    def _render_groups(self) -> None:
        """Render every report's answers and other content, in worker processes if many."""
        order = {q.id: i for i, q in enumerate(self.catalogue.questions)}
        keys: list[list[str | None]] = []
        jobs: list[GroupJob] = []
        for data in self.groups:
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
            jobs.append(GroupJob(texts, data.figures, data.redactor))
        results = process_map(render_group, jobs, self.options.jobs)
        for data, names, rendered in zip(self.groups, keys, results, strict=True):
            for name, out in zip(names, rendered, strict=True):
                if name is None:
                    data.extra, data.extra_text = out.html, out.text
                else:
                    data.answers[name], data.texts[name] = out.html, out.text

    def _budget(self) -> int:
        return max(self.options.max_page_size - PAGE_CHROME, 20_000)

    def _plan_question(self, question: Question) -> None:
        opts = self.options
        by_semester: list[SemesterAnswers] = []
        sizes: list[list[int]] = []
        for semester in self.archive.semesters:
            block = SemesterAnswers(semester)
            block_sizes: list[int] = []
            for data in self.groups:
                if data.semester is not semester or data.entry.report is None:
                    continue
                answer = data.entry.report.answer(question.id)
                if answer is None:
                    block.absent.append(data)
                elif answer.status is Status.ANSWERED:
                    anchor = f"{semester.slug}-{data.entry.slug}"
                    block.answered.append(AnswerItem(data, answer, anchor))
                    block_sizes.append(len(data.answer_html(question.id)) + _BLOCK_OVERHEAD)
                else:
                    block.unanswered.append(data)
            if block.answered or block.unanswered or block.absent:
                by_semester.append(block)
                sizes.append(block_sizes)
        base = _join(opts.questions_url, question.id)
        index = _join(base, "index.md")
        fixed = 8_000 + 200 * sum(len(b.unanswered) + len(b.absent) for b in by_semester)
        total = fixed + sum(sum(s) for s in sizes)
        if total <= self._budget():
            self._add(
                PageSpec(
                    index, "question", question.title, data=QuestionPage(question, by_semester)
                )
            )
            self._link_answers(index, by_semester)
            return
        overview = QuestionPage(question, [], overview=True)
        self._add(PageSpec(index, "question", question.title, data=overview))
        for block, block_sizes in zip(by_semester, sizes, strict=True):
            lists = 200 * (len(block.unanswered) + len(block.absent))
            chunks = _paginate([lists, *block_sizes], self._budget() - 8_000)
            chunks[0] -= 1  # the lists of unanswered groups go on the first page
            first = _join(base, block.semester.slug, "index.md")
            uris = [first] + [
                _join(base, block.semester.slug, str(n), "index.md")
                for n in range(2, len(chunks) + 1)
            ]
            overview.parts.append((block.semester.title, first, len(block.answered)))
            start = 0
            for n, (uri, chunk) in enumerate(zip(uris, chunks, strict=True), start=1):
                part = SemesterAnswers(
                    block.semester,
                    answered=block.answered[start : start + chunk],
                    unanswered=block.unanswered if n == 1 else [],
                    absent=block.absent if n == 1 else [],
                )
                start += chunk
                title = f"{question.title} · {block.semester.title}"
                if len(chunks) > 1:
                    title += f" ({n}/{len(chunks)})"
                page = QuestionPage(
                    question,
                    [part],
                    parent=index,
                    page=n,
                    pages=len(chunks),
                    prev=uris[n - 2] if n > 1 else None,
                    next=uris[n] if n < len(chunks) else None,
                )
                self._add(PageSpec(uri, "question", title, data=page))
                self._link_answers(uri, [part])

    def _link_answers(self, uri: str, blocks: Iterable[SemesterAnswers]) -> None:
        for block in blocks:
            for item in block.answered:
                if item.group.uri:
                    self.answer_links[(item.group.uri, item.answer.question)] = (uri, item.anchor)

    def _plan_checklist(self) -> None:
        """One page for every semester's checklist, or one per semester when too big."""
        from report_archive.reports.catalogue import normalize_line

        index = _join(self.options.checklist_url, "index.md")
        rows = [
            len(
                {
                    normalize_line(item.text)
                    for data in self.groups
                    if data.semester is semester and data.entry.report
                    for item in data.entry.report.checklist
                }
            )
            for semester in self.archive.semesters
        ]
        size = sum(_CHECKLIST_SEMESTER + _CHECKLIST_ROW * n for n in rows)
        if size <= self._budget() or len(self.archive.semesters) < 2:
            self._add(PageSpec(index, "checklist", "Checklist", True))
            return
        self._add(PageSpec(index, "checklist", "Checklist", True, data="index"))
        for semester in self.archive.semesters:
            uri = _join(self.options.checklist_url, semester.slug, "index.md")
            self._add(PageSpec(uri, "checklist", f"Checklist · {semester.title}", data=semester))

    def checklist_uri(self, semester: Semester) -> str | None:
        """Return the src_uri of a semester's own checklist page, None when there is none."""
        uri = _join(self.options.checklist_url, semester.slug, "index.md")
        return uri if uri in self.pages else None

    def _plan_problems(self) -> None:
        opts = self.options
        index = _join(opts.problems_url, "index.md")
        per_semester = [
            (s, [g for g in self.groups if g.semester is s]) for s in self.archive.semesters
        ]
        sizes = [
            [400 + sum(300 + len(p.diagnostic.message) for p in g.problems) for g in groups]
            for _, groups in per_semester
        ]
        total = 10_000 + sum(sum(s) for s in sizes)
        if total <= self._budget():
            self._add(
                PageSpec(index, "problems", "Report problems", True, ProblemsPage(per_semester))
            )
            return
        overview = ProblemsPage([], overview=True)
        self._add(PageSpec(index, "problems", "Report problems", True, overview))
        for (semester, groups), group_sizes in zip(per_semester, sizes, strict=True):
            chunks = _paginate(group_sizes, self._budget() - 10_000)
            first = _join(opts.problems_url, semester.slug, "index.md")
            uris = [first] + [
                _join(opts.problems_url, semester.slug, str(n), "index.md")
                for n in range(2, len(chunks) + 1)
            ]
            count = sum(len(g.problems) for g in groups)
            overview.parts.append((semester.title, first, count))
            start = 0
            for n, (uri, chunk) in enumerate(zip(uris, chunks, strict=True), start=1):
                title = f"Report problems · {semester.title}"
                if len(chunks) > 1:
                    title += f" ({n}/{len(chunks)})"
                page = ProblemsPage(
                    [(semester, groups[start : start + chunk])],
                    parent=index,
                    page=n,
                    pages=len(chunks),
                    prev=uris[n - 2] if n > 1 else None,
                    next=uris[n] if n < len(chunks) else None,
                )
                start += chunk
                self._add(PageSpec(uri, "problems", title, data=page))

    # -- rendering -------------------------------------------------------------------------

    def render(self, spec: PageSpec, url: Callable[[str], str], root: str = "") -> RenderedPage:
        """Render a page's body.

        Args:
            spec: The page.
            url: Returns the URL of another generated or published file (by src_uri),
                relative to this page.
            root: Relative path from this page to the site root (for figures).

        Returns:
            The HTML body and its headings.
        """
        context = self._context(spec, url)
        template = self.env.get_template(f"{spec.kind}.html")
        html = fill_root(template.render(context), root)
        return RenderedPage(html=html, toc=extract_toc(html))

    def _context(self, spec: PageSpec, url: Callable[[str], str]) -> dict[str, Any]:
        def link(uri: str | None, anchor: str | None = None) -> str | None:
            if uri is None:
                return None
            target = url(uri)
            return f"{target}#{anchor}" if anchor else target

        context: dict[str, Any] = {
            "page": spec,
            "plan": self,
            "options": self.options,
            "catalogue": self.catalogue,
            "archive": self.archive,
            "link": link,
            "search_engine": self.options.search_engine,
            "root": ROOT,
            "index": {
                k: self.index_uri(k)
                for k in ("home", "semesters", "questions", "checklist", "problems", "search")
            },
        }
        builder = getattr(self, f"_context_{spec.kind}", None)
        if builder is not None:
            context.update(builder(spec))
        return context

    def semester_rows(self) -> list[dict[str, Any]]:
        """Return one summary row per semester (for the home and semesters pages)."""
        rows = []
        for semester in self.archive.semesters:
            groups = [g for g in self.groups if g.semester is semester]
            answered = sum(g.entry.answered for g in groups)
            questions = sum(g.entry.questions for g in groups)
            checked = sum(g.entry.checked for g in groups)
            items = sum(g.entry.checklist_size for g in groups)
            rows.append(
                {
                    "semester": semester,
                    "uri": self.semester_uri(semester),
                    "groups": len(groups),
                    "answered": answered,
                    "questions": questions,
                    "checked": checked,
                    "checklist_items": items,
                    "problems": sum(len(g.problems) for g in groups),
                }
            )
        return rows

    def _context_home(self, spec: PageSpec) -> dict[str, Any]:
        return {"semesters": self.semester_rows(), "sections": self._question_sections()}

    def _context_semesters(self, spec: PageSpec) -> dict[str, Any]:
        return {"semesters": self.semester_rows()}

    def _context_semester(self, spec: PageSpec) -> dict[str, Any]:
        semester: Semester = spec.data
        return {
            "semester": semester,
            "groups": [self._group_row(g) for g in self.groups if g.semester is semester],
        }

    def _group_row(self, data: GroupData) -> dict[str, Any]:
        entry = data.entry
        found, missing = entry.figure_counts()
        members = [data.redactor.member(m) for m in entry.members]
        return {
            "data": data,
            "entry": entry,
            "title": data.redactor.text(entry.meta.title or ""),
            "members": members,
            "found": found,
            "missing": missing,
        }

    def _context_group(self, spec: PageSpec) -> dict[str, Any]:
        data: GroupData = spec.data
        entry = data.entry
        index = self._positions[id(data)]
        prev = self.groups[index - 1] if index > 0 else None
        nxt = self.groups[index + 1] if index + 1 < len(self.groups) else None
        report = entry.report
        checklist: list[tuple[str, list[dict[str, Any]]]] = []
        if report:
            for item in report.checklist:
                if not checklist or checklist[-1][0] != item.section:
                    checklist.append((item.section, []))
                checklist[-1][1].append(
                    {
                        "item": item,
                        "html": Markup(self._renderer.render_inline(item.text, data.redactor)),
                        "note": Markup(self._renderer.render_inline(item.note, data.redactor)),
                    }
                )
        return {
            "group": data,
            "entry": entry,
            "row": self._group_row(data),
            "prev": prev,
            "next": nxt,
            "checklist": checklist,
            "sections": self._group_sections(data),
            "extra": Markup(data.extra),
            "repository": _repository(entry, data.redactor),
        }

    def _group_sections(self, data: GroupData) -> list[dict[str, Any]]:
        report = data.entry.report
        if report is None:
            return []
        family = report.template.id
        known = {q.id for q in self.catalogue.questions}
        sections: list[dict[str, Any]] = []
        for section in self.catalogue.sections:
            blocks = []
            for question in self.catalogue.questions:
                if question.section != section.id:
                    continue
                answer = report.answer(question.id)
                if answer is None:
                    continue
                blocks.append(self._question_block(data, answer, question, family))
            if blocks:
                sections.append(
                    {"id": f"section-{section.id}", "title": section.title, "blocks": blocks}
                )
        other = [a for a in report.answers if a.question not in known]
        if other:
            sections.append(
                {
                    "id": "section-other",
                    "title": "Other questions",
                    "blocks": [self._question_block(data, a, None, family) for a in other],
                }
            )
        return sections

    def _question_block(
        self, data: GroupData, answer: Answer, question: Question | None, family: str
    ) -> dict[str, Any]:
        prompt = ""
        if question is not None:
            text = question.prompt.get(family) or _latest(question.prompt, self.catalogue)
            prompt = self._prompt(text)
        uri, anchor = self.answer_links.get(
            (data.uri or "", answer.question), (self.question_uri(answer.question), "")
        )
        return {
            "answer": answer,
            "question": question,
            "title": question.title if question else data.redactor.text(answer.title),
            "html": Markup(data.answer_html(answer.question)),
            "prompt": Markup(prompt),
            "badges": badges(answer),
            "question_uri": uri,
            "question_anchor": anchor or None,
        }

    def _prompt(self, text: str) -> str:
        key = ("prompt", text)
        if key not in self._prompts:
            self._prompts[key] = self._renderer.render(
                text.replace("<", "&lt;").replace(">", "&gt;")
            )
        return self._prompts[key]

    def _inline(self, text: str) -> str:
        key = ("inline", text)
        if key not in self._prompts:
            self._prompts[key] = self._renderer.render_inline(
                text, Redactor(enabled=self.options.redact)
            )
        return self._prompts[key]

    def _question_sections(self) -> list[dict[str, Any]]:
        sections = []
        for section in self.catalogue.sections:
            questions = [q for q in self.catalogue.questions if q.section == section.id]
            sections.append({"section": section, "questions": questions})
        return sections

    def _context_questions(self, spec: PageSpec) -> dict[str, Any]:
        counts: dict[str, tuple[int, int]] = {}
        for question in self.catalogue.questions:
            answered = total = 0
            for data in self.groups:
                report = data.entry.report
                answer = report.answer(question.id) if report else None
                if answer is not None:
                    total += 1
                    answered += answer.status is Status.ANSWERED
            counts[question.id] = (answered, total)
        return {"sections": self._question_sections(), "counts": counts}

    def _context_question(self, spec: PageSpec) -> dict[str, Any]:
        page: QuestionPage = spec.data
        question = page.question
        families = [
            {
                "family": family,
                "number": question.numbers[family.id],
                "words": question.words.get(family.id),
                "images": question.images.get(family.id),
            }
            for family in self.catalogue.families
            if family.id in question.numbers
        ]
        prompt = _latest(question.prompt, self.catalogue)
        return {
            "qpage": page,
            "question": question,
            "families": families,
            "prompt": Markup(self._prompt(prompt)) if page.page == 1 else Markup(""),
            "badges_for": lambda item: badges(item.answer),
        }

    def _context_checklist(self, spec: PageSpec) -> dict[str, Any]:
        from report_archive.reports.catalogue import normalize_line

        order = {e.normalized: i for i, e in enumerate(self.catalogue.checklist)}
        semesters = []
        if spec.data == "index":
            return {
                "semesters": [
                    {
                        "semester": semester,
                        "uri": self.checklist_uri(semester),
                        "groups": sum(1 for g in self.groups if g.semester is semester),
                    }
                    for semester in self.archive.semesters
                ],
                "split": True,
            }
        chosen = [spec.data] if isinstance(spec.data, Semester) else self.archive.semesters
        for semester in chosen:
            rows: dict[str, dict[str, Any]] = {}
            groups = [g for g in self.groups if g.semester is semester and g.entry.report]
            for data in groups:
                assert data.entry.report is not None
                for item in data.entry.report.checklist:
                    key = normalize_line(item.text)
                    row = rows.setdefault(
                        key,
                        {
                            "text": item.text,
                            "html": Markup(self._inline(item.text)),
                            "section": item.section,
                            "modules": item.modules,
                            "checked": 0,
                            "total": 0,
                            "order": order.get(key, len(order)),
                        },
                    )
                    row["total"] += 1
                    row["checked"] += item.checked
            ordered = sorted(rows.values(), key=lambda r: (r["order"], r["text"]))
            chart = bar_chart(
                [
                    Bar(
                        label=(f"{'+'.join(r['modules'])} " if r["modules"] else "") + r["text"],
                        value=r["checked"],
                        note=f"{r['checked']}/{r['total']}",
                    )
                    for r in ordered
                ],
                maximum=max((r["total"] for r in ordered), default=1),
                title=f"Checklist items ticked by the groups of {semester.title}",
            )
            semesters.append(
                {
                    "semester": semester,
                    "groups": len(groups),
                    "rows": ordered,
                    "chart": Markup(chart),
                }
            )
        return {"semesters": semesters, "split": False}

    def _context_problems(self, spec: PageSpec) -> dict[str, Any]:
        page: ProblemsPage = spec.data
        blocks = []
        for semester, groups in page.semesters:
            entries = []
            for data in groups:
                problems = [self._problem_row(data, p) for p in data.problems]
                entries.append({"group": data, "problems": problems})
            blocks.append({"semester": semester, "groups": entries})
        redactor = Redactor(enabled=self.options.redact)
        loose = [
            {
                "file": redactor.text(self._display(p.file)),
                "line": p.diagnostic.line,
                "message": redactor.text(p.diagnostic.message),
            }
            for p in self.archive.problems
        ]
        return {"ppage": page, "blocks": blocks, "loose": loose}

    def _problem_row(self, data: GroupData, problem: Problem) -> dict[str, Any]:
        d: Diagnostic = problem.diagnostic
        anchor = (
            d.question
            if d.question and data.entry.report and data.entry.report.answer(d.question)
            else None
        )
        where = self._display(problem.file) + (f":{d.line}" if d.line else "")
        return {
            "level": str(d.level),
            "code": d.code,
            "message": data.redactor.text(d.message),
            "where": data.redactor.text(where),
            "anchor": anchor,
            "question": self._question_title(d.question),
        }

    def _question_title(self, question_id: str | None) -> str | None:
        if question_id is None:
            return None
        try:
            return self.catalogue.question(question_id).title
        except KeyError:
            return question_id

    def _display(self, path: Path) -> str:
        root = self.options.display_root
        if root is not None:
            try:
                return path.relative_to(root).as_posix()
            except ValueError:
                pass
        return path.as_posix()


def _latest(prompts: dict[str, str], catalogue: Catalogue) -> str:
    for family in reversed(catalogue.families):
        if family.id in prompts:
            return prompts[family.id]
    return next(iter(prompts.values()), "")


def _repository(entry: GroupEntry, redactor: Redactor) -> dict[str, str] | None:
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
    return {
        "url": url,
        "name": redactor.text(name),
        "commit": commit or "",
        "commit_url": commit_url or "",
    }


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


def extract_toc(html: str) -> list[TocEntry]:
    """Return the h2/h3 headings with an id of a rendered body, in order.

    Student HTML never has such headings (its headings are demoted to h4-h6 and ids are
    removed), so only the template's own headings are found.
    """
    entries = []
    for m in _HEADING.finditer(html):
        title = _HEADERLINK.sub("", m.group(3))
        title = _TAG.sub("", title).strip()
        entries.append(TocEntry(level=int(m.group(1)), id=m.group(2), title=title))
    return entries


def _paginate(sizes: Sequence[int], budget: int) -> list[int]:
    """Split consecutive blocks into pages under a budget; return the block count per page."""
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

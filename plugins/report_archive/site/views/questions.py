"""The list of questions, and one page per question with every group's answer.

A question page that would pass the size budget is split: an overview links one page per
semester, and a semester too large for one page is paginated (`urls.paginate`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from report_archive.reports.archive import Semester
from report_archive.reports.catalogue import Family, Question
from report_archive.reports.model import Answer, Status
from report_archive.site.groups import GroupData
from report_archive.site.urls import paginate
from report_archive.site.views.base import Crumb, Paged, PageSpec, Site, View, index_crumb
from report_archive.site.views.rows import QuestionSection, badges, latest_prompt, question_sections

__all__ = [
    "AnswerItem",
    "AnswerStats",
    "FamilyRow",
    "QuestionContext",
    "QuestionPage",
    "QuestionView",
    "QuestionsContext",
    "QuestionsView",
    "SemesterAnswers",
]

_BLOCK_OVERHEAD = 900
"""Bytes one answer takes on a question page besides its own HTML."""
_FIXED = 8_000
"""Bytes of a question page besides its answers (the prompt, the table of templates)."""
_LISTED = 200
"""Bytes of one group in the lists of unanswered and absent groups."""


@dataclass(frozen=True)
class QuestionsContext:
    """What ``questions.html`` receives.

    Attributes:
        sections: The template's sections; each question with its page and how many groups
            answered it (``answered``) of those whose template has it (``total``).
        families: The template families, oldest first (``family.title``, ``family.id``).
    """

    sections: list[QuestionSection]
    families: tuple[Family, ...]


class QuestionsView(View[None]):
    """The list of questions."""

    kind = "questions"
    template = "questions.html"
    option = "questions"

    def plan(self, site: Site) -> None:
        """Add the list of questions."""
        site.add(PageSpec(site.urls.index("questions"), self, "Questions", in_nav=True))

    def context(self, spec: PageSpec[None], site: Site) -> QuestionsContext:
        """Every question, with counts."""
        return QuestionsContext(question_sections(site, counts=True), site.catalogue.families)


@dataclass
class AnswerItem:
    """One group's answer on a question page.

    Attributes:
        group: The group (``group.entry.label``, ``group.uri``).
        answer: Its answer (``answer.number``, ``answer.question``).
        anchor: The answer's anchor on this page (``<semester>-group-<n>``).
    """

    group: GroupData
    answer: Answer
    anchor: str

    @property
    def html(self) -> Markup:
        """The rendered answer."""
        return Markup(self.group.answer_html(self.answer.question))


@dataclass
class SemesterAnswers:
    """A semester's answers to one question.

    Attributes:
        semester: The semester.
        answered: The groups that answered, with their answers.
        unanswered: The groups whose template has the question but that left it blank.
        absent: The groups whose template does not have the question.
    """

    semester: Semester
    answered: list[AnswerItem] = field(default_factory=list)
    unanswered: list[GroupData] = field(default_factory=list)
    absent: list[GroupData] = field(default_factory=list)


@dataclass(frozen=True)
class AnswerStats:
    """How a question was answered, over every semester.

    Attributes:
        answered: Groups that answered it.
        total: Groups whose template has it.
        median: The median length of the answers, in words (0 with no answer).
        lengths: (label, count) of answers per length band ("100–199 words").
    """

    answered: int
    total: int
    median: int
    lengths: list[tuple[str, int]]

    @property
    def most(self) -> int:
        """The largest band's count (for drawing the bands)."""
        return max((n for _, n in self.lengths), default=0)


_BANDS = (0, 50, 100, 200, 300, 500)
"""Where the length bands start, in words."""


def answer_stats(blocks: list[SemesterAnswers]) -> AnswerStats:
    """Count a question's answers and their lengths."""
    words = sorted(item.answer.words for b in blocks for item in b.answered)
    total = sum(len(b.answered) + len(b.unanswered) for b in blocks)
    lengths = []
    for low, high in zip(_BANDS, [*_BANDS[1:], None], strict=True):
        label = f"{low}–{high - 1} words" if high else f"{low} words or more"
        lengths.append((label, sum(low <= w and (high is None or w < high) for w in words)))
    median = words[len(words) // 2] if words else 0
    return AnswerStats(len(words), total, median, lengths)


@dataclass
class QuestionPage(Paged):
    """What one question page (or one part of a split question) shows.

    Attributes:
        question: The question.
        semesters: The semesters' answers on this page.
        stats: How the question was answered, over every semester.
    """

    question: Question
    semesters: list[SemesterAnswers]
    stats: AnswerStats = AnswerStats(0, 0, 0, [])


@dataclass(frozen=True)
class FamilyRow:
    """The question in one template family.

    Attributes:
        family: The family (``family.title``).
        number: The question's number there.
        words: Recommended words (low, high), or None.
        images: Required images (low, high), or None.
    """

    family: Family
    number: int
    words: tuple[int, int] | None
    images: tuple[int, int] | None


@dataclass(frozen=True)
class QuestionContext:
    """What ``question.html`` receives.

    Attributes:
        qpage: This page: its semesters' answers (``qpage.semesters``), and where it stands
            among the parts of a split question (`Paged`: ``parent``, ``parts``, ``prev``,
            ``next``...).
        question: The question (``question.title``, ``question.id``).
        families: The question's number and ranges in each template family.
        prompt: The newest prompt as HTML, on the first page only ("" otherwise).
        badges_for: ``badges_for(item)``, the badges of an `AnswerItem` (missing figures;
            lengths out of the recommended range are for staff, on the problems page).
        previous: The previous question in the template's order: (title, src_uri), or None.
        next: The next question: (title, src_uri), or None.
    """

    qpage: QuestionPage
    question: Question
    families: list[FamilyRow]
    prompt: Markup
    badges_for: Callable[[AnswerItem], list[tuple[str, str]]]
    previous: tuple[str, str] | None
    next: tuple[str, str] | None


class QuestionView(View[QuestionPage]):
    """One page per question (split by semester, then paginated, when too large)."""

    kind = "question"
    template = "question.html"
    option = "questions"

    def plan(self, site: Site) -> None:
        """Add every question's page(s) and note where each answer is shown."""
        answers = {  # each report's answers by question, asked for every question
            id(data): {a.question: a for a in reversed(data.entry.report.answers)}
            for data in site.groups
            if data.entry.report is not None
        }
        for question in site.catalogue.questions:
            self._plan(question, site, answers)

    def _plan(self, question: Question, site: Site, answers: dict[int, dict[str, Answer]]) -> None:
        blocks, sizes = self._answers(question, site, answers)
        stats = answer_stats(blocks)
        index = site.urls.question(question.id)
        listed = _LISTED * sum(len(b.unanswered) + len(b.absent) for b in blocks)
        if _FIXED + listed + sum(sum(s) for s in sizes) <= site.budget:
            page = QuestionPage(question, blocks, stats=stats)
            site.add(PageSpec(index, self, question.title, data=page))
            _link_answers(site, index, blocks)
            return
        overview = QuestionPage(question, [], overview=True, stats=stats)
        site.add(PageSpec(index, self, question.title, data=overview))
        for block, block_sizes in zip(blocks, sizes, strict=True):
            lists = _LISTED * (len(block.unanswered) + len(block.absent))
            chunks = paginate([lists, *block_sizes], site.budget - _FIXED)
            chunks[0] -= 1  # the lists of unanswered groups go on the first page
            slug = block.semester.slug
            uris = [site.urls.question(question.id, slug, n) for n in range(1, len(chunks) + 1)]
            overview.parts.append((block.semester.title, uris[0], len(block.answered)))
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
                    stats=stats,
                    parent=index,
                    page=n,
                    pages=len(chunks),
                    prev=uris[n - 2] if n > 1 else None,
                    next=uris[n] if n < len(chunks) else None,
                )
                site.add(PageSpec(uri, self, title, data=page))
                _link_answers(site, uri, [part])

    @staticmethod
    def _answers(
        question: Question, site: Site, answers: dict[int, dict[str, Answer]]
    ) -> tuple[list[SemesterAnswers], list[list[int]]]:
        """Each semester's answers to a question, and the size of each answer on a page.

        `answers` holds each report's answers by question (the first, as `Report.answer`).
        """
        blocks: list[SemesterAnswers] = []
        sizes: list[list[int]] = []
        for semester in site.archive.semesters:
            block = SemesterAnswers(semester)
            block_sizes: list[int] = []
            for data in site.groups_of(semester):
                if data.entry.report is None:
                    continue
                answer = answers[id(data)].get(question.id)
                if answer is None:
                    block.absent.append(data)
                elif answer.status is Status.ANSWERED:
                    anchor = f"{semester.slug}-{data.entry.slug}"
                    block.answered.append(AnswerItem(data, answer, anchor))
                    block_sizes.append(len(data.answer_html(question.id)) + _BLOCK_OVERHEAD)
                else:
                    block.unanswered.append(data)
            if block.answered or block.unanswered or block.absent:
                blocks.append(block)
                sizes.append(block_sizes)
        return blocks, sizes

    def inputs(self, spec: PageSpec[QuestionPage], site: Site) -> list[GroupData]:
        """The groups of the page's semesters: answered, unanswered, not in their template."""
        return [
            group
            for block in spec.data.semesters
            for group in (
                *(item.group for item in block.answered),
                *block.unanswered,
                *block.absent,
            )
        ]

    def others(self, spec: PageSpec[QuestionPage], site: Site) -> object:
        """The counts over every semester, the parts, the questions before and after."""
        order = [site.question_uri(q.id) for q in site.catalogue.questions]
        return spec.data.stats, spec.data.place(), order

    def trail(self, spec: PageSpec[QuestionPage], site: Site) -> list[Crumb]:
        """Home › Questions › the question (› a part of it)."""
        crumbs = index_crumb(site, "questions", "Questions")
        if spec.data.parent:
            crumbs.append(Crumb(spec.data.question.title, spec.data.parent))
        return crumbs

    def context(self, spec: PageSpec[QuestionPage], site: Site) -> QuestionContext:
        """The question's prompt, numbers and answers."""
        page = spec.data
        question = page.question
        families = [
            FamilyRow(
                family=family,
                number=question.numbers[family.id],
                words=question.words.get(family.id),
                images=question.images.get(family.id),
            )
            for family in site.catalogue.families
            if family.id in question.numbers
        ]
        prompt = latest_prompt(question.prompt, site.catalogue)
        order = [
            (q.title, uri)
            for q in site.catalogue.questions
            if (uri := site.question_uri(q.id)) is not None
        ]
        at = next(i for i, (_, uri) in enumerate(order) if uri == site.question_uri(question.id))
        return QuestionContext(
            qpage=page,
            question=question,
            families=families,
            prompt=Markup(site.prompt_html(prompt)) if page.page == 1 else Markup(""),
            badges_for=lambda item: [b for b in badges(item.answer) if b[0] == "missing"],
            previous=order[at - 1] if at > 0 else None,
            next=order[at + 1] if at + 1 < len(order) else None,
        )


def _link_answers(site: Site, uri: str, blocks: Iterable[SemesterAnswers]) -> None:
    for block in blocks:
        for item in block.answered:
            if item.group.uri:
                site.answer_links[(item.group.uri, item.answer.question)] = (uri, item.anchor)

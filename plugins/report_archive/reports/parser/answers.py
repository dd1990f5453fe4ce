"""Making answers of question blocks, with their references and the checks on them."""

from __future__ import annotations

from pathlib import Path

from report_archive.reports.catalogue import Question, normalize_line
from report_archive.reports.decoding import normalise
from report_archive.reports.layout import BARE_STUDENT, STUDENT_FORMS
from report_archive.reports.links import case_differs, count_images, find_references, resolve_target
from report_archive.reports.model import (
    Answer,
    Diagnostic,
    Group,
    Level,
    Reference,
    RefKind,
    RefStatus,
    Status,
)
from report_archive.reports.parser.blocks import Block
from report_archive.reports.parser.syntax import GROUP_WORD, NUMBER
from report_archive.reports.parser.text import Kept, Text

__all__ = ["AnswerMaker", "read_group"]


class AnswerMaker:
    """Makes answers and resolves references, adding diagnostics as it goes.

    Args:
        text: The report's lines.
        folder: The report's folder, against which references are resolved.
        diagnostics: Where diagnostics go.
    """

    def __init__(self, text: Text, folder: Path, diagnostics: list[Diagnostic]) -> None:
        self.text = text
        self.folder = folder
        self.diagnostics = diagnostics
        self.listings: dict[str, frozenset[str]] = {}  # folder listings, read once each

    def _diag(
        self, level: Level, line: int | None, message: str, code: str, question: str | None
    ) -> None:
        self.diagnostics.append(Diagnostic(level, line, message, code, question))

    def answer(
        self,
        key: str,
        blocks: list[Block],
        question: Question | None,
        number: int | None,
        title: str,
        family: str | None = None,
    ) -> Answer:
        """Make the answer to a question from the blocks that hold it.

        Args:
            key: The question's id (``q<N>`` in a report of no known template).
            blocks: The blocks of the question, in order (none if it is missing).
            question: The catalogue's question, if the template is known.
            number: The question's number in the report's template.
            title: The question's title.
            family: The report's template family.
        """
        kept = Kept()
        template = question.lines if question else frozenset()
        for b in blocks:
            if b.heading_rest and question is not None:
                # Text a student added to the heading ("Question 5 - structure") is theirs.
                rest = normalize_line(b.heading_rest)
                if rest and rest != normalize_line(question.title):
                    kept.add(b.start + 1, f"**{b.heading_rest}**")
                    kept.blank()
            self.text.keep(b.start + 1, b.end, template, kept, unquote=True)
            kept.blank()
        if len(blocks) > 1:
            where = ", ".join(str(b.start + 1) for b in blocks)
            self._diag(
                Level.WARNING,
                blocks[1].start + 1,
                f"Question {number} ({title}) appears {len(blocks)} times (lines "
                f"{where}); the texts are kept together.",
                "duplicate-question",
                key,
            )
        lines = kept.finish()
        markdown = "\n".join(t for _, t in lines)
        line = blocks[0].start + 1 if blocks else None
        answer = Answer(
            number=number,
            question=key,
            title=title,
            markdown=markdown,
            status=Status.ANSWERED if markdown.strip() else Status.UNANSWERED,
            words=len(markdown.split()),
            images=count_images(markdown),
            word_range=question.words.get(family) if question and family else None,
            image_range=question.images.get(family) if question and family else None,
            line=line,
            references=self.references(lines, key) if lines else [],
        )
        if question is not None:
            self._check(answer, bool(blocks))
        return answer

    def _check(self, answer: Answer, present: bool) -> None:
        """Add diagnostics for a missing, unanswered, too long or too short answer."""
        key, line = answer.question, answer.line
        label = f"Question {answer.number} ({answer.title})"
        if not present:
            self._diag(Level.WARNING, None, f"{label} is missing from the report.",
                       "missing-question", key)  # fmt: skip
            return
        if answer.status is Status.UNANSWERED:
            level = Level.INFO if answer.optional else Level.WARNING
            self._diag(level, line, f"{label} is not answered.", "unanswered", key)
            return
        word_range, image_range = answer.word_range, answer.image_range
        if not answer.words_ok and word_range:
            self._diag(
                Level.WARNING,
                line,
                f"{label} has {answer.words} words; {word_range[0]}–{word_range[1]} are "
                "recommended.",
                "out-of-range",
                key,
            )
        if not answer.images_ok and image_range:
            low, high = image_range
            wanted = str(low) if low == high else f"{low}–{high}"
            images = answer.images
            self._diag(
                Level.WARNING,
                line,
                f"{label} has {images} image{'s' if images != 1 else ''}; "
                f"{wanted} {'is' if wanted == '1' else 'are'} required.",
                "out-of-range",
                key,
            )

    def references(self, kept: list[tuple[int, str]], qid: str | None) -> list[Reference]:
        """Resolve the links and images of kept lines; report figures that cannot be shown.

        Args:
            kept: The kept lines, with their line numbers.
            qid: The question they answer (None for the text outside the questions).
        """
        refs: list[Reference] = []
        text = "\n".join(t for _, t in kept)
        for rel_line, kind, target in find_references(text):
            line_no = kept[rel_line - 1][0]
            status, path = resolve_target(target, self.folder, self.listings)
            ref_kind = RefKind.IMAGE if kind == "image" else RefKind.LINK
            refs.append(Reference(target, ref_kind, RefStatus(status), line_no, path))
            if ref_kind is not RefKind.IMAGE:
                continue
            if status == "missing":
                message = (
                    f"The figure '{target}' is referenced but is not in the report's "
                    "folder (was it committed?)."
                )
                self._diag(Level.WARNING, line_no, message, "missing-figure", qid)
            elif status == "outside":
                message = (
                    f"The figure '{target}' points outside the report's folder and is not shown."
                )
                self._diag(Level.WARNING, line_no, message, "outside-figure", qid)
            elif status == "found" and path and case_differs(target, path):
                message = (
                    f"The figure '{target}' was found as '{path}': the letter case "
                    "differs, which breaks on case-sensitive web servers."
                )
                self._diag(Level.INFO, line_no, message, "figure-case", qid)
        return refs


def read_group(answers: list[Answer], diagnostics: list[Diagnostic]) -> Group:
    """Read the group's number (question 1) and its members' student numbers (question 2).

    Args:
        answers: The report's answers.
        diagnostics: Where diagnostics go.
    """
    by_id = {a.question: a for a in answers}
    number: int | None = None
    first = by_id.get("group-number")
    if first is not None and first.markdown:
        text = first.markdown.replace("02476", " ")
        m = GROUP_WORD.search(text) or NUMBER.search(text)
        if m:
            number = int(m.group(1))
        else:
            diagnostics.append(
                Diagnostic(
                    Level.WARNING,
                    first.line,
                    "No group number could be read from question 1.",
                    "group-number",
                    "group-number",
                )
            )
    members: list[str] = []
    second = by_id.get("members")
    if second is not None and second.markdown:
        # Fullwidth digits, invisible characters: read as the redactor reads them.
        text = normalise(second.markdown)[0]
        for m in STUDENT_FORMS.finditer(text):
            members.append("s" + m.group(1))
        for m in BARE_STUDENT.finditer(STUDENT_FORMS.sub(" ", text)):
            members.append("s" + m.group(1))
            diagnostics.append(
                Diagnostic(
                    Level.INFO,
                    second.line,
                    f"Student number '{m.group(1)}' has no leading 's'; it is read as "
                    f"s{m.group(1)}.",
                    "student-number",
                    "members",
                )
            )
    return Group(number, tuple(dict.fromkeys(members)))

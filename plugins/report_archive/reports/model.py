"""The data model of a parsed report.

Plain dataclasses with no MkDocs dependency: the parser fills them, the site and the
command line read them. `Report.to_json()` gives the documented JSON form
(see `docs/reference/json-schema.md`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class Level(StrEnum):
    """How serious a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Status(StrEnum):
    """Whether a question was answered."""

    ANSWERED = "answered"
    UNANSWERED = "unanswered"


class RefKind(StrEnum):
    """What a reference in an answer points at."""

    IMAGE = "image"
    LINK = "link"


class RefStatus(StrEnum):
    """What became of a reference when it was resolved against the report's folder."""

    FOUND = "found"
    """A file inside the report's folder."""
    MISSING = "missing"
    """A relative path with no file behind it."""
    EXTERNAL = "external"
    """An absolute URL (http, https, mailto, ...)."""
    OUTSIDE = "outside"
    """A path that leaves the report's folder; never resolved."""
    ANCHOR = "anchor"
    """A link to an anchor in the same page (``#...``)."""


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in a report, for staff and students.

    Attributes:
        level: How serious it is.
        line: 1-based line in the report file, or None when it concerns the whole file.
        message: A sentence a student understands.
        code: A short stable identifier (``missing-figure``, ``out-of-range`` ...).
        question: Canonical id of the question concerned, if any.
    """

    level: Level
    line: int | None
    message: str
    code: str = "parse"
    question: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "level": str(self.level),
            "line": self.line,
            "message": self.message,
            "code": self.code,
            "question": self.question,
        }


@dataclass(frozen=True)
class Reference:
    """An image or link target found in student markdown.

    Attributes:
        target: The target as the student wrote it (after unescaping ``<...>``).
        kind: Image or link.
        status: What resolving it gave.
        line: 1-based line in the report file.
        path: Path relative to the report's folder, POSIX style, when status is FOUND
            (the real file name, whose case may differ from `target`).
    """

    target: str
    kind: RefKind
    status: RefStatus
    line: int
    path: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "target": self.target,
            "kind": str(self.kind),
            "status": str(self.status),
            "line": self.line,
            "path": self.path,
        }


@dataclass(frozen=True)
class ChecklistItem:
    """One line of the project checklist.

    Attributes:
        text: The item's text, without the box, module codes or note.
        checked: Whether the box is ticked (``x``, ``X`` or ``✅``).
        modules: Module codes such as ``("M2", "M6")``.
        note: Text the student appended to the item, or "".
        section: The checklist heading it stands under ("Week 1", "Extra", ...).
        line: 1-based line in the report file.
    """

    text: str
    checked: bool
    modules: tuple[str, ...]
    note: str
    section: str
    line: int

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "text": self.text,
            "checked": self.checked,
            "modules": list(self.modules),
            "note": self.note,
            "section": self.section,
            "line": self.line,
        }


Range = tuple[int, int]


@dataclass
class Answer:
    """A group's answer to one question.

    Attributes:
        number: The question's number in this report's template (as the heading says).
        question: Canonical question id (``architecture-figure``), stable across templates.
        title: Short title for headings.
        markdown: Only the student's markdown (prompt, example, placeholders removed).
        status: Answered or not.
        words: Words by the course checker's rule (``len(markdown.split())``).
        images: Images by the course checker's rule (``![...](...)``).
        word_range: Recommended words (min, max), or None.
        image_range: Required images (min, max), or None.
        line: 1-based line of the question heading, or None when the report lacks it.
        references: Images and links found in the answer.
    """

    number: int | None
    question: str
    title: str
    markdown: str
    status: Status
    words: int
    images: int
    word_range: Range | None
    image_range: Range | None
    line: int | None
    references: list[Reference] = field(default_factory=list)

    @property
    def words_ok(self) -> bool:
        """Whether the word count is within the recommended range (or has none)."""
        return _within(self.words, self.word_range)

    @property
    def images_ok(self) -> bool:
        """Whether the image count is within the required range (or has none)."""
        return _within(self.images, self.image_range)

    @property
    def optional(self) -> bool:
        """Whether leaving the question blank is fine (recommended length starts at 0)."""
        return self.word_range is not None and self.word_range[0] == 0 and not self.image_range

    @property
    def ok(self) -> bool:
        """Answered within both ranges, or an optional question left blank."""
        if self.status is Status.UNANSWERED:
            return self.optional
        return self.words_ok and self.images_ok

    @property
    def missing_figures(self) -> list[Reference]:
        """Image references whose file is not in the report's folder."""
        return [
            r
            for r in self.references
            if r.kind is RefKind.IMAGE and r.status in (RefStatus.MISSING, RefStatus.OUTSIDE)
        ]

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "number": self.number,
            "question": self.question,
            "title": self.title,
            "markdown": self.markdown,
            "status": str(self.status),
            "words": self.words,
            "images": self.images,
            "range": {
                "words": list(self.word_range) if self.word_range else None,
                "images": list(self.image_range) if self.image_range else None,
            },
            "ok": self.ok,
            "line": self.line,
            "references": [r.to_json() for r in self.references],
        }


def _within(value: int, bounds: Range | None) -> bool:
    return bounds is None or bounds[0] <= value <= bounds[1]


@dataclass(frozen=True)
class Group:
    """Who wrote the report.

    Attributes:
        number: The group number from question 1, or None when none could be read.
        members: Student numbers (``s224229``), normalised to lower case, in order.
    """

    number: int | None
    members: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {"number": self.number, "members": list(self.members)}


@dataclass(frozen=True)
class TemplateInfo:
    """Which template family the report follows.

    Attributes:
        id: Family id from the catalogue (``27``, ``31-2025``, ``31-2026``) or ``unknown``.
        questions: How many questions the family has (or the report had, when unknown).
    """

    id: str
    questions: int

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {"id": self.id, "questions": self.questions}


@dataclass
class Report:
    """One parsed report file.

    Attributes:
        source: The report file.
        template: The template family recognised.
        group: Group number and members.
        checklist: The project checklist, in order.
        answers: One answer per question, in the order of the report's template.
        extra: Student markdown found outside any question (kept, never dropped).
        diagnostics: Problems found, in line order.
        extra_references: Images and links found in `extra`.
    """

    source: Path
    template: TemplateInfo
    group: Group
    checklist: list[ChecklistItem]
    answers: list[Answer]
    extra: str
    diagnostics: list[Diagnostic]
    extra_references: list[Reference] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        """The report's folder, against which references are resolved."""
        return self.source.parent

    def answer(self, question: str) -> Answer | None:
        """Return the answer to a canonical question id, if the report has it."""
        for a in self.answers:
            if a.question == question:
                return a
        return None

    @property
    def references(self) -> list[Reference]:
        """Every reference in the answers, in order."""
        return [r for a in self.answers for r in a.references] + self.extra_references

    def to_json(self) -> dict[str, Any]:
        """Return the documented JSON form."""
        return {
            "source": str(self.source),
            "template": self.template.to_json(),
            "group": self.group.to_json(),
            "checklist": [c.to_json() for c in self.checklist],
            "answers": [a.to_json() for a in self.answers],
            "extra": self.extra,
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }

"""Reading one filled-in report into a `Report`.

The parser never raises on a report's content: whatever it cannot make sense of becomes
a diagnostic, and every line a student wrote ends up in an answer, in `Report.extra` or in
a checklist item's note. Only a file that cannot be read at all raises `ReportReadError`.

Outline:

1. decode the bytes (`decoding`), find fenced code (headings inside it are not headings;
   `syntax`);
2. split the text into blocks at the template's own headings (``### Question N``, the
   section and checklist headings); other headings stay inside the block they are in,
   except unknown ``#``/``##`` headings, which start student sections (kept as extra;
   `blocks`);
3. recognise each question block by its prompt text, so the template family is decided
   question by question (`blocks`);
4. strip the template's lines from each block; what remains is the student's text
   (`text`, `checklist`), made into answers with their references and checks (`answers`).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from report_archive.reports.catalogue import Catalogue, load_catalogue
from report_archive.reports.decoding import decode_report, looks_binary
from report_archive.reports.files import UnsafeFile, read_inside
from report_archive.reports.model import (
    Answer,
    ChecklistItem,
    Diagnostic,
    Level,
    Report,
    TemplateInfo,
)
from report_archive.reports.parser.answers import AnswerMaker, read_group
from report_archive.reports.parser.blocks import (
    UNKNOWN,
    Block,
    Prompts,
    decide_family,
    split_blocks,
)
from report_archive.reports.parser.checklist import ChecklistReader
from report_archive.reports.parser.syntax import find_code
from report_archive.reports.parser.text import Kept, Text

__all__ = ["MAX_REPORT_BYTES", "UNKNOWN", "ReportReadError", "parse_bytes", "parse_report"]

MAX_REPORT_BYTES = 1_000_000
"""Larger report files are not read: the largest real report is about 50 kB, and parsing and
rendering take time and memory in proportion (a 20 MB file took 27 s and 2 GB)."""


class ReportReadError(Exception):
    """A report file cannot be read at all (missing, unreadable, or not text)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def parse_report(
    path: Path,
    catalogue: Catalogue | None = None,
    *,
    root: Path | None = None,
    limit: int = MAX_REPORT_BYTES,
) -> Report:
    """Parse a report file.

    Args:
        path: The report's ``README.md``; references are resolved against its folder.
        catalogue: The question catalogue (default: the one shipped with the package).
        root: The file is read only if it is reached from this folder without symbolic
            links and has no other hard link (default: the report's own folder).
        limit: Larger files are not read.

    Returns:
        The parsed report.

    Raises:
        ReportReadError: The file cannot be read, is a link, is too large, or is not text.
    """
    try:
        data = read_inside(path, root or path.parent, limit)
    except UnsafeFile as e:
        raise ReportReadError(path, e.reason) from e
    except IsADirectoryError as e:
        raise ReportReadError(path, "is a folder, not a report file") from e
    except OSError as e:
        raise ReportReadError(path, e.strerror or str(e)) from e
    if looks_binary(data):
        raise ReportReadError(path, "is a binary file, not a markdown report")
    return parse_bytes(data, path, catalogue)


def parse_bytes(data: bytes, source: Path, catalogue: Catalogue | None = None) -> Report:
    """Parse a report from its bytes; never raises on any content.

    Args:
        data: The file's content.
        source: The file's path (references are resolved against its folder).
        catalogue: The question catalogue (default: the one shipped with the package).

    Returns:
        The parsed report.
    """
    return _Parser(data, source, catalogue or load_catalogue()).parse()


class _Parser:
    """One report being parsed (see the module's outline)."""

    def __init__(self, data: bytes, source: Path, catalogue: Catalogue) -> None:
        self.source = source
        self.cat = catalogue
        self.diagnostics: list[Diagnostic] = []
        decoded = decode_report(data)
        self.lines = decoded.lines
        for line, message in decoded.problems:
            level = Level.INFO if "repaired" in message else Level.WARNING
            self._diag(level, line, message, "encoding")
        code = find_code(self.lines)
        for i in code.unclosed:
            self._diag(
                Level.WARNING,
                i + 1,
                "A code block opened here is never closed (missing ```); it is read as "
                "ending before the next question.",
                "unclosed-fence",
            )
        self.text = Text(self.lines, code)
        self.maker = AnswerMaker(self.text, source.parent, self.diagnostics)

    def _diag(self, level: Level, line: int | None, message: str, code: str) -> None:
        self.diagnostics.append(Diagnostic(level, line, message, code, None))

    def parse(self) -> Report:
        """Parse the report."""
        if not any(line.strip() for line in self.lines):
            self._diag(Level.ERROR, None, "The report is empty.", "empty")
        blocks = split_blocks(self.lines, self.text.in_code, self.cat.headings)
        questions = [b for b in blocks if b.kind == "question"]
        prompts = Prompts(self.cat)
        for b in questions:
            prompts.recognise(b, self.lines)
        family = decide_family(questions, self.cat)
        if family == UNKNOWN and questions:
            self._diag(
                Level.WARNING,
                None,
                "This report does not follow a known 02476 template; questions are "
                "read from their headings.",
                "unknown-template",
            )
        elif not questions and any(line.strip() for line in self.lines):
            self._diag(
                Level.ERROR,
                None,
                "No question headings ('### Question N') were found; the whole text "
                "is kept as extra content.",
                "no-questions",
            )
        extra = Kept()
        checklist: list[ChecklistItem] = []
        per_question = self._assign(blocks, family, extra, checklist)
        answers = self._answers(per_question, family)
        extra_lines = extra.finish()
        questions_count = (
            self.cat.family(family).questions if family != UNKNOWN else len(per_question)
        )
        report = Report(
            source=self.source,
            template=TemplateInfo(family, questions_count),
            group=read_group(answers, self.diagnostics),
            checklist=checklist,
            answers=answers,
            extra="\n".join(t for _, t in extra_lines),
            diagnostics=[],
            extra_references=self.maker.references(extra_lines, None) if extra_lines else [],
        )
        report.diagnostics = sorted(
            self.diagnostics, key=lambda d: (d.line is not None, d.line or 0)
        )
        return report

    def _assign(
        self, blocks: list[Block], family: str, extra: Kept, checklist: list[ChecklistItem]
    ) -> dict[str, list[Block]]:
        """Give each question block to its question; keep the rest as extra or checklist."""
        reader = ChecklistReader(self.cat)
        per_question: dict[str, list[Block]] = defaultdict(list)
        by_number = (
            {q.numbers[family]: q for q in self.cat.questions_of(family)}
            if family != UNKNOWN
            else {}
        )
        for b in blocks:
            if b.kind == "checklist":
                reader.read(b, self.text, extra, checklist)
                continue
            if b.kind == "question" and family == UNKNOWN:
                per_question[f"q{b.number}"].append(b)
                continue
            q = None
            if b.kind == "question":
                q = b.question if b.question and family in b.question.numbers else None
                if q is None:
                    q = by_number.get(b.number or -1)
                    if q is not None and b.question is not None:
                        q = None  # its prompt is another template's question: do not guess
                if q is None:
                    self._diag(
                        Level.WARNING,
                        b.start + 1,
                        f"'Question {b.number}' is not a question of this template; its "
                        "text is kept as extra content.",
                        "unknown-question",
                    )
            if q is None:
                # A student's own heading is theirs; the template's headings are not.
                first = b.start + 1 if b.headed and b.kind != "student" else b.start
                self.text.keep(first, b.end, self.cat.boilerplate, extra, unquote=False)
                extra.blank()
                continue
            if b.number != q.numbers[family]:
                self.diagnostics.append(
                    Diagnostic(
                        Level.INFO,
                        b.start + 1,
                        f"The heading says Question {b.number}, but the prompt is that of "
                        f"question {q.numbers[family]} ({q.title}); it is read as the "
                        "latter.",
                        "renumbered",
                        q.id,
                    )
                )
            per_question[q.id].append(b)
        return per_question

    def _answers(self, per_question: dict[str, list[Block]], family: str) -> list[Answer]:
        if family == UNKNOWN:
            return [
                self.maker.answer(
                    key, bl, None, bl[0].number, bl[0].heading_rest or f"Question {bl[0].number}"
                )
                for key, bl in per_question.items()
            ]
        return [
            self.maker.answer(
                q.id, per_question.get(q.id, []), q, q.numbers[family], q.title, family
            )
            for q in self.cat.questions_of(family)
        ]
